/*
 * Consent events and the contactability rule (see consent.h). Recording an
 * event touches the party, so its ETag changes with its may_email/may_call.
 */
#include "domain/privacy/consent.h"
#include "domain/base/access.h"
#include "domain/privacy/consent-db.h"
#include "domain/base/batch.h"
#include "domain/base/audit.h"
#include "domain/party/party.h"
#include "domain/rules/rule-eval.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define SOURCE_MAX 200
#define WORDING_MAX 4000
#define CUSTOMER_MONTHS 36 /* a customer may be contacted up to 3 years after the role ended */

static const char *const purposes[] = {"newsletter", "marketing_email", "phone_marketing",
                                       "applicant_pool", NULL};

bool xrm_consent_purpose_valid(const char *purpose)
{
    for (const char *const *p = purposes; *p; p++)
        if (purpose && strcmp(*p, purpose) == 0)
            return true;
    return false;
}

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The event to store from input, or NULL with field errors in err. */
static json_t *parse_event(json_t *in, int64_t party_id, struct xrm_err *err)
{
    static const char *const keys[] = {"purpose", "granted", "source", "wording", "at", NULL};
    const char *purpose = NULL, *source = NULL, *wording = NULL, *at = NULL;
    bool granted = true;
    char norm[XRM_TIME_LEN], now[XRM_TIME_LEN];

    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_str(in, NULL, "purpose", 40, true, &purpose, err) &&
        !xrm_consent_purpose_valid(purpose))
        xrm_err_field(err, XRM_E_INVALID, "purpose",
                      "must be one of: newsletter, marketing_email, phone_marketing, "
                      "applicant_pool");
    xrm_json_get_bool(in, NULL, "granted", false, &granted, err);
    xrm_json_get_str(in, NULL, "source", SOURCE_MAX, true, &source, err);
    xrm_json_get_str(in, NULL, "wording", WORDING_MAX, false, &wording, err);
    xrm_clock_now(now);
    if (xrm_json_get_str(in, NULL, "at", 64, false, &at, err)) {
        if (xrm_valid_date(at))
            snprintf(norm, sizeof(norm), "%sT00:00:00Z", at);
        else if (!xrm_norm_datetime(at, norm, sizeof(norm)))
            xrm_err_field(err, XRM_E_INVALID, "at",
                          "must be a date (YYYY-MM-DD) or an RFC 3339 date-time");
        else if (strcmp(norm, now) > 0)
            xrm_err_field(err, XRM_E_INVALID, "at", "must not be in the future");
    } else {
        memcpy(norm, now, sizeof(norm));
    }
    if (err->rc)
        return NULL;
    json_t *ev = json_pack("{s:I, s:s, s:b, s:s, s:s}", "party", (json_int_t)party_id, "purpose",
                           purpose, "granted", granted, "source", source, "at", norm);
    xrm_json_set_str(ev, "wording", wording);
    xrm_json_set_str(ev, "recorded_at", now);
    return ev;
}

struct record_arg {
    const struct xrm_user *user;
    int64_t party;
    json_t *ev;
};

static enum xrm_rc record_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct record_arg *a = arg;
    struct xrm_err e = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_party_check(db, a->party, "party", &e);
    if (rc == XRM_E_NOTFOUND)
        return xrm_errf(err, rc, "no party %lld", (long long)a->party);
    if (rc) {
        *err = e;
        return rc;
    }
    rc = xrm_consent_db_insert(db, a->ev, a->user ? a->user->id : 0, err);
    if (!rc)
        json_object_set_new(a->ev, "recorded_by",
                            a->user && a->user->id ? json_integer(a->user->id) : json_null());
    if (!rc)
        rc = xrm_audit_add(
            db, a->user, json_is_true(json_object_get(a->ev, "granted")) ? "grant" : "withdraw",
            "consent", json_integer_value(json_object_get(a->ev, "id")), NULL, a->ev, err);
    if (!rc)
        rc = xrm_party_touch(db, a->party, err);
    return rc;
}

enum xrm_rc xrm_consent_record(struct xrm_ctx *ctx, int64_t party_id, json_t *in, json_t **out,
                               struct xrm_err *err)
{
    static const char *const writers[] = {"sales", "pr", NULL}; /* who asks for consent */
    enum xrm_rc rc0 = xrm_access_write_any(&ctx->user, writers, "recording consent", err);
    if (rc0)
        return rc0;
    json_t *ev = parse_event(in, party_id, err);
    if (!ev)
        return err->rc;
    struct record_arg a = {&ctx->user, party_id, ev};
    enum xrm_rc rc = xrm_store_write(ctx->store, record_tx, &a, err);
    if (rc) {
        json_decref(ev);
        return rc;
    }
    *out = ev;
    return XRM_OK;
}

/* Campaigns: the withdrawal of e-mail consent by an unsubscribe link (consent.h). */
enum xrm_rc xrm_consent_withdraw_email_tx(struct xrm_db *db, const struct xrm_user *user,
                                          int64_t party_id, const char *source, struct xrm_err *err)
{
    static const char *const email_purposes[] = {"marketing_email", "newsletter", NULL};
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = XRM_OK;
    xrm_clock_now(now);
    for (int i = 0; !rc && email_purposes[i]; i++) {
        json_t *ev = json_pack("{s:I, s:s, s:b, s:s, s:s, s:s}", "party", (json_int_t)party_id,
                               "purpose", email_purposes[i], "granted", 0, "source", source, "at",
                               now, "recorded_at", now);
        struct record_arg a = {user, party_id, ev};
        rc = record_tx(db, &a, err);
        json_decref(ev);
    }
    return rc;
}

enum xrm_rc xrm_consent_list(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                             struct xrm_err *err)
{
    struct xrm_err e = XRM_ERR_INIT;
    json_t *history = NULL, *state = NULL;
    bool erased;
    enum xrm_rc rc = xrm_party_check(ctx->db, party_id, "party", &e);
    if (rc == XRM_E_NOTFOUND)
        return xrm_errf(err, rc, "no party %lld", (long long)party_id);
    if (rc) {
        *err = e;
        return rc;
    }
    rc = xrm_consent_db_history(ctx->db, party_id, &history, err);
    if (!rc)
        rc = xrm_consent_db_state(ctx->db, party_id, &state, &erased, err);
    if (rc) {
        json_decref(history);
        return rc;
    }
    json_t *items = json_array();
    for (const char *const *p = purposes; *p; p++) {
        json_t *ev = json_object_get(state, *p);
        if (ev)
            json_array_append(items, ev);
    }
    json_decref(state);
    *out = json_pack("{s:o, s:o, s:n}", "items", items, "history", history, "next");
    return XRM_OK;
}

enum xrm_rc xrm_consent_granted(struct xrm_db *db, int64_t party_id, const char *purpose,
                                bool *granted, struct xrm_err *err)
{
    json_t *state = NULL;
    bool erased;
    enum xrm_rc rc = xrm_consent_db_state(db, party_id, &state, &erased, err);
    if (rc)
        return rc;
    *granted = json_is_true(json_object_get(json_object_get(state, purpose), "granted"));
    json_decref(state);
    return XRM_OK;
}

/*
 * A customer role that counts for the 3-year rule: a customer (not a lead
 * or prospect) whose role is open or ended on or after `since`. *until
 * gets the end date of the best one ("" when open).
 */
static bool customer_basis(json_t *roles, const char *since, const char **until)
{
    size_t i;
    json_t *r;
    bool found = false;
    json_array_foreach(roles, i, r)
    {
        const char *type = str_of(r, "type"), *status = str_of(r, "status"),
                   *u = str_of(r, "until");
        if (!type || strcmp(type, "customer") != 0 || !status || strcmp(status, "lead") == 0 ||
            strcmp(status, "prospect") == 0)
            continue;
        if (!u) {
            *until = "";
            return true;
        }
        if (strcmp(u, since) >= 0 && (!found || strcmp(u, *until) > 0)) {
            *until = u;
            found = true;
        }
    }
    return found;
}

static json_t *verdict(const char *reason, const char *detail)
{
    json_t *v = json_object();
    xrm_json_set_str(v, "reason", reason);
    xrm_json_set_str(v, "detail", detail);
    return v;
}

/* One channel: the purposes that give consent for it (first one decides withdrawal). */
static json_t *channel(json_t *p, json_t *state, bool erased, bool staff, bool suppressed,
                       bool no_mail, const char *const *chan_purposes, const char *since,
                       bool *allowed)
{
    char detail[200];
    const char *until = NULL;
    *allowed = false;
    if (erased)
        return verdict("erased", "the party was erased");
    if (staff)
        return verdict("staff", "an active employee: staff never get marketing");
    if (suppressed)
        return verdict("suppressed", "a treatment rule suppresses marketing to this party");
    if (no_mail)
        return verdict("non_mailing", "the party does not want unsolicited mail (non-mailing)");
    for (int i = 0; chan_purposes[i]; i++) {
        json_t *ev = json_object_get(state, chan_purposes[i]);
        if (!ev)
            continue;
        const char *at = str_of(ev, "at");
        if (json_is_true(json_object_get(ev, "granted"))) {
            snprintf(detail, sizeof(detail), "consent for %s given on %.10s (%.80s)",
                     chan_purposes[i], at ? at : "?",
                     str_of(ev, "source") ? str_of(ev, "source") : "");
            *allowed = true;
            return verdict("consent", detail);
        }
        if (i == 0) {
            snprintf(detail, sizeof(detail), "consent for %s withdrawn on %.10s", chan_purposes[i],
                     at ? at : "?");
            return verdict("withdrawn", detail);
        }
    }
    if (customer_basis(json_object_get(p, "roles"), since, &until)) {
        if (*until)
            snprintf(detail, sizeof(detail),
                     "customer until %.10s, less than 3 years ago (existing customer)", until);
        else
            snprintf(detail, sizeof(detail), "current customer");
        *allowed = true;
        return verdict("customer", detail);
    }
    return verdict("no_basis", "no consent and not a customer in the last 3 years");
}

void xrm_contact_compute(json_t *p, json_t *state, bool erased, const char *today)
{
    static const char *const email_purposes[] = {"marketing_email", "newsletter", NULL};
    static const char *const call_purposes[] = {"phone_marketing", NULL};
    char since[XRM_DATE_LEN];
    json_t *treatment = json_object_get(p, "treatment");
    json_t *supp = json_object_get(treatment, "suppress");
    if (!supp)
        supp = json_object_get(treatment, "suppressions");
    bool suppressed =
        xrm_json_has_str(supp, "no_marketing") || xrm_json_has_str(supp, "no_sales_outreach");
    bool no_mail = xrm_json_has_str(json_object_get(p, "tags"), XRM_NON_MAILING_TAG);
    bool staff = xrm_staff_active(p);
    bool may_email, may_call;

    if (!xrm_date_add_months(today, -CUSTOMER_MONTHS, since))
        xrm_strlcpy(since, "9999-12-31", sizeof(since));
    json_t *email =
        channel(p, state, erased, staff, suppressed, no_mail, email_purposes, since, &may_email);
    json_t *call =
        channel(p, state, erased, staff, suppressed, false, call_purposes, since, &may_call);
    json_object_set_new(p, "may_email", json_boolean(may_email));
    json_object_set_new(p, "may_call", json_boolean(may_call));
    json_t *contact = json_object();
    json_object_set_new(contact, "email", email);
    json_object_set_new(contact, "call", call);
    json_object_set_new(p, "contactability", contact);
}

enum xrm_rc xrm_consent_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                      bool full, struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    json_t **states = xrm_calloc(b->n ? b->n : 1, sizeof(*states));
    bool *erased = xrm_calloc(b->n ? b->n : 1, sizeof(*erased));
    (void)full;
    enum xrm_rc rc = xrm_consent_db_states(ctx->db, b, states, erased, err);
    xrm_clock_today(today);
    for (size_t i = 0; !rc && i < b->n; i++) {
        json_t *p = json_array_get(items, i);
        xrm_contact_compute(p, states[i], erased[i], today);
        json_decref(states[i]);
        if (erased[i])
            json_object_set_new(p, "erased", json_true());
    }
    free(states);
    free(erased);
    return rc;
}

/* "the latest event of purpose for p has granted = g" */
static void sql_latest(struct xrm_sql *out, const char *purpose, int granted)
{
    xrm_sql_add(out, "EXISTS (SELECT 1 FROM consents c WHERE c.party_id = p.id AND c.purpose = ?"
                     " AND c.granted = ? AND NOT EXISTS (SELECT 1 FROM consents c2 WHERE"
                     " c2.party_id = c.party_id AND c2.purpose = c.purpose AND (c2.given_at >"
                     " c.given_at OR (c2.given_at = c.given_at AND c2.id > c.id))))");
    xrm_sql_str(out, purpose);
    xrm_sql_int(out, granted);
}

enum xrm_rc xrm_consent_sql_may(const char *channel, struct xrm_sql *out, struct xrm_err *err)
{
    bool email = channel && strcmp(channel, "email") == 0;
    char today[XRM_DATE_LEN], since[XRM_DATE_LEN];
    if (!email && !(channel && strcmp(channel, "call") == 0))
        return xrm_err_field(err, XRM_E_INVALID, "q", "may: is email or call");
    xrm_clock_today(today);
    if (!xrm_date_add_months(today, -CUSTOMER_MONTHS, since))
        xrm_strlcpy(since, "9999-12-31", sizeof(since));
    const char *first = email ? "marketing_email" : "phone_marketing";
    xrm_sql_add(out, " AND (NOT EXISTS (SELECT 1 FROM erasures e WHERE e.party_id = p.id)");
    /* staff, as xrm_staff_active */
    xrm_sql_add(out, " AND NOT EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?"
                     " AND r.status IN ('active', 'on_leave'))");
    xrm_sql_str(out, XRM_STAFF_TYPE);
    if (email) {
        xrm_sql_add(out, " AND NOT EXISTS (SELECT 1 FROM party_tags t WHERE t.party_id = p.id"
                         " AND t.tag = ?)");
        xrm_sql_str(out, XRM_NON_MAILING_TAG);
    }
    xrm_sql_add(out, " AND NOT ");
    sql_latest(out, first, 0);
    xrm_sql_add(out, " AND (");
    sql_latest(out, first, 1);
    if (email) {
        xrm_sql_add(out, " OR ");
        sql_latest(out, "newsletter", 1);
    }
    xrm_sql_add(out, " OR EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND"
                     " r.type = 'customer' AND r.status NOT IN ('lead', 'prospect') AND"
                     " (r.until IS NULL OR r.until >= ?))))");
    xrm_sql_str(out, since);
    return XRM_OK;
}
