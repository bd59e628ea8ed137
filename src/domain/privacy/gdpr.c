/*
 * GDPR export and erasure (see gdpr.h).
 *
 * Erasure works from the party's personal values (names, e-mail addresses,
 * phone numbers in every form search knows, addresses, identifiers, custom
 * field texts): texts linked to the party lose every one of them; texts
 * anywhere else lose the values that identify the person on their own (full
 * name, e-mail, phone, IBAN), found with LIKE and replaced in C. Short
 * values (under MIN_VALUE bytes) are never replaced globally, so erasing
 * "Jan" does not rewrite every other Jan's notes.
 */
#include "domain/privacy/gdpr.h"
#include "domain/privacy/gdpr-db.h"
#include "domain/base/access.h"
#include "domain/party/activity.h"
#include "domain/base/audit.h"
#include "domain/base/audit-list.h"
#include "domain/privacy/consent-db.h"
#include "domain/party/party.h"
#include "domain/party/photo.h" /* party photos */
#include "core/clock.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/messages.h"

#include "core/banned.h"

#define MIN_VALUE 3
#define EXPORT_PAGE 500
#define FLUSH_TRIES 5

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Case-insensitive (ASCII) search for needle in hay. */
static const char *find_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

char *xrm_gdpr_scrub_text(const char *s, json_t *values)
{
    if (!s)
        return NULL;
    char *cur = xrm_strdup(s);
    bool changed = false;
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v)
    {
        const char *val = json_string_value(v);
        if (!val || strlen(val) < MIN_VALUE || !find_ci(cur, val))
            continue;
        struct xrm_buf b = XRM_BUF_INIT;
        const char *p = cur, *hit;
        while ((hit = find_ci(p, val))) {
            xrm_buf_add(&b, p, (size_t)(hit - p));
            xrm_buf_adds(&b, XRM_ERASED);
            p = hit + strlen(val);
        }
        xrm_buf_adds(&b, p);
        free(cur);
        cur = xrm_buf_detach(&b, NULL);
        changed = true;
    }
    if (!changed) {
        free(cur);
        return NULL;
    }
    return cur;
}

bool xrm_gdpr_scrub_json(json_t *v, json_t *values)
{
    bool changed = false;
    if (json_is_string(v)) {
        char *t = xrm_gdpr_scrub_text(json_string_value(v), values);
        if (t) {
            json_string_set(v, t);
            free(t);
            changed = true;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) changed |= xrm_gdpr_scrub_json(x, values);
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) changed |= xrm_gdpr_scrub_json(x, values);
    }
    return changed;
}

/* Export. */

/* Every page of a paged domain list into one array. */
typedef enum xrm_rc (*page_fn)(struct xrm_ctx *ctx, int64_t id, const char *cursor, json_t **out,
                               struct xrm_err *err);

static enum xrm_rc timeline_page(struct xrm_ctx *ctx, int64_t id, const char *cursor, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_page page = {.id = id, .limit = EXPORT_PAGE, .cursor = cursor};
    return xrm_activity_timeline(ctx, &page, out, err);
}

static enum xrm_rc audit_page(struct xrm_ctx *ctx, int64_t id, const char *cursor, json_t **out,
                              struct xrm_err *err)
{
    struct xrm_audit_filter f = {.party = id};
    return xrm_audit_list(ctx, &f, EXPORT_PAGE, cursor, out, err);
}

static enum xrm_rc all_pages(struct xrm_ctx *ctx, int64_t id, page_fn fn, json_t **out,
                             struct xrm_err *err)
{
    json_t *all = json_array();
    char *cursor = NULL;
    enum xrm_rc rc = XRM_OK;
    for (;;) {
        json_t *page = NULL;
        rc = fn(ctx, id, cursor, &page, err);
        free(cursor);
        cursor = NULL;
        if (rc)
            break;
        json_array_extend(all, json_object_get(page, "items"));
        if (json_is_string(json_object_get(page, "next")))
            cursor = xrm_strdup(str_of(page, "next"));
        json_decref(page);
        if (!cursor)
            break;
    }
    if (rc) {
        json_decref(all);
        return rc;
    }
    *out = all;
    return XRM_OK;
}

struct export_audit {
    const struct xrm_user *user;
    int64_t party;
};

static enum xrm_rc export_audit_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct export_audit *a = arg;
    json_t *after =
        json_pack("{s:I, s:s}", "party", (json_int_t)a->party, "what", "data-subject export");
    enum xrm_rc rc = xrm_audit_add(db, a->user, "export", "party", a->party, NULL, after, err);
    json_decref(after);
    return rc;
}

/* party photos: the photo itself (base64), as it is personal data; NULL when there is none. */
static json_t *photo_export(struct xrm_ctx *ctx, int64_t party_id)
{
    char *type = NULL, sha[65] = "";
    unsigned char *data = NULL;
    size_t len = 0;
    json_t *out = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    if (!xrm_party_photo_get(ctx, party_id, &type, &data, &len, sha, &err)) {
        size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = xrm_malloc(n);
        sodium_bin2base64(b64, n, data, len, sodium_base64_VARIANT_ORIGINAL);
        out = json_pack("{s:s, s:s, s:s}", "media_type", type, "sha256", sha, "data", b64);
        free(b64);
    }
    free(type);
    free(data);
    return out;
}

enum xrm_rc xrm_gdpr_export(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                            struct xrm_err *err)
{
    json_t *party = NULL, *consents = NULL, *acts = NULL, *audit = NULL, *records = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_party_get(ctx, party_id, &party, err);
    if (!rc)
        rc = xrm_consent_db_history(ctx->db, party_id, &consents, err);
    if (!rc)
        rc = xrm_gdpr_db_party_records(ctx->db, &ctx->user, party_id, &records, err);
    if (!rc)
        rc = all_pages(ctx, party_id, timeline_page, &acts, err);
    if (!rc)
        rc = all_pages(ctx, party_id, audit_page, &audit, err);
    if (!rc) {
        /* Written before it is handed out, so it is in the trail it would show next time. */
        struct export_audit a = {&ctx->user, party_id};
        rc = xrm_store_write(ctx->store, export_audit_tx, &a, err);
    }
    if (rc) {
        json_decref(party);
        json_decref(consents);
        json_decref(acts);
        json_decref(audit);
        json_decref(records);
        return rc;
    }
    json_t *photo = photo_export(ctx, party_id);
    xrm_now(now);
    *out = json_pack("{s:s, s:s, s:{s:I, s:s}, s:b, s:o, s:o, s:o, s:o, s:o}", "format",
                     "xrm-gdpr-export/1", "exported_at", now, "exported_by", "id",
                     (json_int_t)ctx->user.id, "name", ctx->user.name, "complete",
                     xrm_access_all(&ctx->user), "party", party, "consents", consents, "activities",
                     acts, "audit", audit, "records", records);
    if (photo)
        json_object_set_new(*out, "photo", photo);
    return XRM_OK;
}

/* Erasure. */

static void add_value(json_t *values, const char *s)
{
    if (!s || strlen(s) < MIN_VALUE)
        return;
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v)
    {
        if (strcasecmp(json_string_value(v), s) == 0)
            return;
    }
    json_array_append_new(values, json_string(s));
}

/* Longest first, so "Jan Jansen" is replaced before "Jansen" is. */
static int by_length(const void *a, const void *b)
{
    size_t la = strlen(json_string_value(*(json_t *const *)a));
    size_t lb = strlen(json_string_value(*(json_t *const *)b));
    return la < lb ? 1 : la > lb ? -1 : 0;
}

static json_t *sorted(json_t *values)
{
    size_t n = json_array_size(values);
    json_t **v = xrm_calloc(n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(values, i);
    qsort(v, n, sizeof(*v), by_length);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

/*
 * Adds the personal values of party object p to all (for texts linked to
 * the party) and strong (those that identify on their own, for texts
 * anywhere).
 */
static void collect_values(json_t *p, json_t *all, json_t *strong)
{
    static const char *const names[] = {"name", "legal_name", "trade_name", NULL};
    static const char *const parts[] = {"given_name", "family_name", NULL};
    static const char *const ids[] = {"kvk", "vat", "iban", NULL};
    size_t i;
    json_t *it;

    for (const char *const *k = names; *k; k++) {
        add_value(all, str_of(p, *k));
        add_value(strong, str_of(p, *k));
    }
    for (const char *const *k = parts; *k; k++)
        add_value(all, str_of(p, *k));
    if (str_of(p, "family_prefix") && str_of(p, "family_name")) {
        char full[256];
        snprintf(full, sizeof(full), "%s %s", str_of(p, "family_prefix"), str_of(p, "family_name"));
        add_value(all, full);
    }
    for (const char *const *k = ids; *k; k++) {
        add_value(all, str_of(p, *k));
        add_value(strong, str_of(p, *k));
    }
    json_array_foreach(json_object_get(p, "emails"), i, it)
    {
        add_value(all, str_of(it, "value"));
        add_value(strong, str_of(it, "value"));
    }
    json_array_foreach(json_object_get(p, "websites"), i, it) add_value(all, str_of(it, "value"));
    json_array_foreach(json_object_get(p, "phones"), i, it)
    {
        const char *ph = str_of(it, "value");
        char national[40];
        if (!ph)
            continue;
        add_value(all, ph);
        add_value(strong, ph);
        add_value(all, ph + 1); /* as the search index holds it */
        add_value(strong, ph + 1);
        if (strncmp(ph, "+31", 3) == 0) {
            snprintf(national, sizeof(national), "0%s", ph + 3);
            add_value(all, national);
            add_value(strong, national);
        }
    }
    json_array_foreach(json_object_get(p, "addresses"), i, it)
    {
        char line[300];
        const char *street = str_of(it, "street"), *nr = str_of(it, "house_number"),
                   *pc = str_of(it, "postcode");
        if (street && nr) {
            snprintf(line, sizeof(line), "%s %s", street, nr);
            add_value(all, line);
            add_value(strong, line);
        }
        add_value(all, street);
        if (pc) {
            char compact[20];
            size_t n = 0;
            for (const char *c = pc; *c && n < sizeof(compact) - 1; c++)
                if (*c != ' ')
                    compact[n++] = *c;
            compact[n] = '\0';
            add_value(all, pc);
            add_value(all, compact);
        }
    }
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(p, "custom"), k, v)
    {
        if (json_is_string(v))
            add_value(all, json_string_value(v));
    }
}

/* Leaves out values that hold "[erased]" (from an earlier erasure). */
static void drop_erased(json_t *values)
{
    for (size_t k = json_array_size(values); k-- > 0;)
        if (strstr(json_string_value(json_array_get(values, k)), XRM_ERASED))
            json_array_remove(values, k);
}

/*
 * The personal values the party holds now and every one it held before:
 * its own audit entries ("party" rows, each a whole party object before
 * and after a change) keep the earlier names, e-mail addresses and phone
 * numbers, which texts may still hold after a rename. rows as
 * xrm_gdpr_db_party_audit gives them; values of an earlier erasure are
 * left out.
 */
static void personal_values(json_t *p, json_t *rows, int64_t party_id, json_t **all_out,
                            json_t **strong_out)
{
    json_t *all = json_array(), *strong = json_array(), *row;
    size_t i;
    collect_values(p, all, strong);
    json_array_foreach(rows, i, row)
    {
        const char *entity = json_string_value(json_array_get(row, 3));
        if (!entity || strcmp(entity, "party") != 0 ||
            json_integer_value(json_array_get(row, 4)) != party_id)
            continue;
        for (size_t k = 1; k <= 2; k++) {
            const char *text = json_string_value(json_array_get(row, k));
            json_t *side = text ? xrm_json_load_stored(text, false) : NULL;
            if (json_is_object(side))
                collect_values(side, all, strong);
            json_decref(side);
        }
    }
    drop_erased(all);
    drop_erased(strong);
    *all_out = sorted(all);
    *strong_out = sorted(strong);
    json_decref(all);
    json_decref(strong);
}

/* The anonymous form of a stored party object (an audit before/after). */
static void anonymise_party_json(json_t *p)
{
    static const char *const nulls[] = {"given_name", "family_prefix", "legal_name", "trade_name",
                                        "kvk",        "vat",           "iban",       NULL};
    static const char *const lists[] = {"emails", "phones", "websites", "addresses", "tags", NULL};
    if (!json_is_object(p))
        return;
    for (const char *const *k = nulls; *k; k++)
        if (json_object_get(p, *k))
            json_object_set_new(p, *k, json_null());
    for (const char *const *k = lists; *k; k++)
        if (json_object_get(p, *k))
            json_object_set_new(p, *k, json_array());
    if (json_object_get(p, "custom"))
        json_object_set_new(p, "custom", json_object());
    if (json_object_get(p, "name"))
        json_object_set_new(p, "name", json_string(XRM_ERASED));
    if (json_object_get(p, "family_name") && !json_is_null(json_object_get(p, "family_name")))
        json_object_set_new(p, "family_name", json_string(XRM_ERASED));
    if (json_object_get(p, "sort_name"))
        json_object_set_new(p, "sort_name", json_string("~erased"));
}

/* Scrubs audit rows [id, before, after, entity, entity_id]; party_id's own rows fully. */
static enum xrm_rc scrub_audit_rows(struct xrm_db *db, json_t *rows, int64_t party_id,
                                    json_t *values, struct xrm_err *err)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        bool own = strcmp(json_string_value(json_array_get(row, 3)), "party") == 0 &&
                   json_integer_value(json_array_get(row, 4)) == party_id;
        json_t *side[2] = {NULL, NULL};
        bool changed = false;
        for (int k = 0; k < 2; k++) {
            const char *text = json_string_value(json_array_get(row, (size_t)k + 1));
            if (!text)
                continue;
            side[k] = xrm_json_load_stored(text, false);
            if (own) {
                anonymise_party_json(side[k]);
                changed = true;
            }
            /* roles of the party lose their attributes as the roles do */
            if (strcmp(json_string_value(json_array_get(row, 3)), "role") == 0 &&
                json_integer_value(json_object_get(side[k], "party")) == party_id &&
                json_object_get(side[k], "attributes")) {
                json_object_set_new(side[k], "attributes", json_object());
                changed = true;
            }
            /* the party's own activities lose their texts as the activities do */
            json_t *parties = json_object_get(side[k], "parties");
            if (strcmp(json_string_value(json_array_get(row, 3)), "activity") == 0 &&
                json_array_size(parties) == 1 &&
                json_integer_value(json_array_get(parties, 0)) == party_id) {
                json_object_set_new(side[k], "subject", json_string(XRM_ERASED));
                json_object_set_new(side[k], "body", json_null());
                changed = true;
            }
            changed |= xrm_gdpr_scrub_json(side[k], values);
        }
        enum xrm_rc rc = XRM_OK;
        if (changed) {
            char *b = side[0] ? xrm_json_dump(side[0]) : NULL;
            char *a = side[1] ? xrm_json_dump(side[1]) : NULL;
            rc = xrm_gdpr_db_set_audit(db, json_integer_value(json_array_get(row, 0)), b, a, err);
            free(b);
            free(a);
        }
        json_decref(side[0]);
        json_decref(side[1]);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

/* Scrubs text rows [id, a, b] with set(db, id, a', b'). */
static enum xrm_rc scrub_activity_rows(struct xrm_db *db, json_t *rows, json_t *values,
                                       struct xrm_err *err)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *subject = json_string_value(json_array_get(row, 1));
        const char *body = json_string_value(json_array_get(row, 2));
        char *s2 = xrm_gdpr_scrub_text(subject, values), *b2 = xrm_gdpr_scrub_text(body, values);
        enum xrm_rc rc = XRM_OK;
        if (s2 || b2)
            rc = xrm_gdpr_db_set_activity(db, json_integer_value(json_array_get(row, 0)),
                                          s2 ? s2 : subject, b2 ? b2 : body, err);
        free(s2);
        free(b2);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

struct erase_arg {
    const struct xrm_user *user;
    int64_t id;
    char now[XRM_TIME_LEN];
    int scrubbed;
    int64_t invoices_kept; /* quotes and invoices: issued ones kept for the tax authority */
};

static enum xrm_rc erase_activities(struct xrm_db *db, struct erase_arg *a, json_t *values,
                                    struct xrm_err *err)
{
    json_t *rows = NULL;
    enum xrm_rc rc = xrm_gdpr_db_party_activities(db, a->id, NULL, &rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc)
            break;
        int64_t act = json_integer_value(json_array_get(row, 0));
        if (json_integer_value(json_array_get(row, 3)) <= 1) {
            /* the party's own: only what is not personal stays */
            rc = xrm_gdpr_db_set_activity(db, act, XRM_ERASED, NULL, err);
        } else {
            json_t *one = json_pack("[O]", row);
            rc = scrub_activity_rows(db, one, values, err);
            json_decref(one);
        }
        a->scrubbed++;
    }
    json_decref(rows);
    return rc;
}

/* Texts anywhere that hold one of the strong values. */
static enum xrm_rc erase_mentions(struct xrm_db *db, struct erase_arg *a, json_t *all,
                                  json_t *strong, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    size_t i;
    json_t *v;
    json_array_foreach(strong, i, v)
    {
        json_t *acts = json_array(), *audit = json_array();
        rc = xrm_gdpr_db_find_activities(db, json_string_value(v), acts, err);
        if (!rc)
            rc = scrub_activity_rows(db, acts, strong, err);
        if (!rc)
            rc = xrm_gdpr_db_find_audit(db, json_string_value(v), audit, err);
        if (!rc)
            rc = scrub_audit_rows(db, audit, a->id, strong, err);
        if (!rc)
            rc = xrm_gdpr_db_forget_replies(db, a->id, json_string_value(v), err);
        if (!rc) /* mail received: the review list */
            rc = xrm_gdpr_db_forget_mail_review(db, json_string_value(v), err);
        a->scrubbed += (int)(json_array_size(acts) + json_array_size(audit));
        json_decref(acts);
        json_decref(audit);
        if (rc)
            return rc;
    }
    (void)all;
    return xrm_gdpr_db_forget_replies(db, a->id, NULL, err);
}

static enum xrm_rc erase_records(struct xrm_db *db, struct erase_arg *a, json_t *values,
                                 struct xrm_err *err)
{
    json_t *rows = json_array();
    enum xrm_rc rc = xrm_gdpr_db_find_records(db, a->id, rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc)
            break;
        const char *x = json_string_value(json_array_get(row, 2));
        const char *y = json_string_value(json_array_get(row, 3));
        char *x2 = xrm_gdpr_scrub_text(x, values), *y2 = xrm_gdpr_scrub_text(y, values);
        if (x2 || y2)
            rc = xrm_gdpr_db_set_record(db, json_string_value(json_array_get(row, 0)),
                                        json_integer_value(json_array_get(row, 1)), x2 ? x2 : x,
                                        y2 ? y2 : y, err);
        free(x2);
        free(y2);
    }
    json_decref(rows);
    return rc;
}

static enum xrm_rc erase_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct erase_arg *a = arg;
    json_t *p = NULL, *all = NULL, *strong = NULL, *audit = NULL;
    enum xrm_rc rc = xrm_party_load(db, a->id, &p, err);
    if (!rc)
        rc = xrm_gdpr_db_party_audit(db, a->id, &audit, err);
    if (rc) {
        json_decref(p);
        return rc;
    }
    personal_values(p, audit, a->id, &all, &strong);
    json_decref(audit);
    audit = NULL;
    bool person = str_of(p, "kind") && strcmp(str_of(p, "kind"), "person") == 0;
    rc = xrm_gdpr_db_anonymise_party(db, a->id, person, a->now, err);
    if (!rc)
        rc = xrm_gdpr_db_clear_roles(db, a->id, NULL, a->now, err);
    if (!rc)
        rc = erase_activities(db, a, all, err);
    if (!rc)
        rc = xrm_gdpr_db_clear_notes(db, a->id, err);
    if (!rc) /* quotes and invoices */
        rc = xrm_gdpr_db_billing(db, a->id, &a->invoices_kept, err);
    if (!rc)
        rc = xrm_consent_db_erase(db, a->id, err);
    if (!rc)
        rc = erase_records(db, a, all, err);
    if (!rc)
        rc = xrm_gdpr_db_party_audit(db, a->id, &audit, err);
    if (!rc)
        rc = scrub_audit_rows(db, audit, a->id, all, err);
    if (!rc)
        rc = erase_mentions(db, a, all, strong, err);
    if (!rc) /* party photos */
        rc = xrm_party_photo_delete_tx(db, a->id, err);
    if (!rc)
        rc = xrm_gdpr_db_mark_erased(db, a->id, a->user ? a->user->id : 0, a->now, err);
    if (!rc) /* documents on records, last: a removed file cannot be rolled back */
        rc = xrm_gdpr_documents_delete(db, a->id, NULL, NULL, err);
    if (!rc) {
        json_t *after = json_pack("{s:b, s:i}", "erased", 1, "texts_scrubbed", a->scrubbed);
        rc = xrm_audit_add(db, a->user, "erase", "party", a->id, NULL, after, err);
        json_decref(after);
    }
    if (!rc)
        rc = xrm_db_scrub(db, err);
    json_decref(p);
    json_decref(all);
    json_decref(strong);
    json_decref(audit);
    return rc;
}

enum xrm_rc xrm_gdpr_erase(struct xrm_ctx *ctx, int64_t party_id, json_t **out, struct xrm_err *err)
{
    enum xrm_rc arc = xrm_access_admin(&ctx->user, "erasing a party", err);
    if (arc)
        return arc;
    struct erase_arg a = {.user = &ctx->user, .id = party_id};
    xrm_now(a.now);
    enum xrm_rc rc = xrm_store_write(ctx->store, erase_tx, &a, err);
    if (rc)
        return rc;
    /* Committed; now leave no copy in the write-ahead log. */
    bool flushed = false;
    for (int i = 0; i < FLUSH_TRIES && !flushed; i++) {
        struct xrm_err ferr = XRM_ERR_INIT;
        flushed = xrm_db_flush(ctx->db, &ferr) == XRM_OK;
        if (!flushed && i == FLUSH_TRIES - 1)
            xrm_log(XRM_LOG_WARN, "erasure of party %lld: %s", (long long)party_id, ferr.message);
        if (!flushed)
            usleep(50000);
    }
    *out = json_pack("{s:I, s:b, s:s, s:i, s:b}", "id", (json_int_t)party_id, "erased", 1,
                     "erased_at", a.now, "scrubbed", a.scrubbed, "flushed", flushed);
    /* quotes and invoices: issued ones stay, and the answer says why */
    if (a.invoices_kept)
        json_object_set_new(
            *out, "retained",
            json_pack("{s:I, s:s}", "invoices", (json_int_t)a.invoices_kept, "reason",
                      xrm_msg("issued invoices and credit notes are kept for the fiscal "
                              "retention period of 7 years (art. 52 AWR; Art. 17(3)(b) GDPR)")));
    return XRM_OK;
}
