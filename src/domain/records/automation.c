/*
 * Automations: validation of trigger and action definitions, the search
 * for occurrences of each trigger, carrying out the actions once per
 * occurrence, and the scheduler thread of `xrm serve`.
 *
 * An occurrence fires in one write transaction that first claims it in
 * automation_fired and then creates its tasks and notes and sets its
 * fields, so the claim and the work commit or vanish together. The one
 * exception is the party's own fields (add_tag, set_field owner on a
 * party): they go through the party module's own write, before the claim,
 * and are idempotent, so a claim lost to a concurrent run repeats nothing
 * visible. A fired-check before any work keeps repeated runs cheap.
 *
 * Actions run as the system (no user: created_by is null and the audit
 * names no user), whoever caused the run.
 */
#include "domain/records/automation.h"
#include "domain/records/automation-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/party/activity.h"
#include "domain/records/agreement.h"
#include "domain/base/audit.h"
#include "domain/records/case.h"
#include "domain/records/deal.h"
#include "domain/party/party.h"
#include "domain/records/records.h"
#include "domain/party/role.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define NAME_MAX_LEN 200
#define ACTIONS_MAX 10
#define TEXT_MAX 500
#define BODY_MAX 10000
#define DAYS_MAX 3650
#define SCAN_MAX 100000
#define INTERVAL_DEFAULT 300

static const struct xrm_user system_user = {.id = 0, .name = "automation", .admin = true};

/* Fields set_field may set, per subject kind. */
static const struct {
    const char *subject;
    const char *field;
} settable[] = {
    {"deal", "probability"}, {"deal", "owner"},      {"deal", "expected_close"},
    {"case", "priority"},    {"case", "status"},     {"case", "assignee"},
    {"agreement", "owner"},  {"agreement", "notes"}, {"party", "owner"},
};

static atomic_bool stop_flag;
static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;

/* Validation */

static bool valid_tag(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* The fields of a deal_stage trigger: stage_id or stage (a name), pipeline?. */
static enum xrm_rc parse_stage(struct xrm_db *db, json_t *t, json_t *o, struct xrm_err *err)
{
    const char *s = NULL;
    int64_t n = 0;
    bool found = false;
    enum xrm_rc rc = XRM_OK;
    if (xrm_json_get_int(t, "trigger.", "stage_id", 1, INT64_MAX, false, &n, err)) {
        rc = xrm_auto_db_stage_exists(db, n, &found, err);
        if (!rc && !found)
            xrm_err_field(err, XRM_E_INVALID, "trigger.stage_id", "no stage %lld", (long long)n);
        json_object_set_new(o, "stage_id", json_integer(n));
    } else if (xrm_json_get_str(t, "trigger.", "stage", 60, true, &s, err)) {
        json_object_set_new(o, "stage", xrm_records_trimmed(s));
    }
    if (xrm_json_get_int(t, "trigger.", "pipeline", 1, INT64_MAX, false, &n, err))
        json_object_set_new(o, "pipeline", json_integer(n));
    return rc;
}

/* days (customer_idle, agreement_ending). */
static enum xrm_rc parse_days(struct xrm_db *db, json_t *t, json_t *o, struct xrm_err *err)
{
    int64_t n = 0;
    if (xrm_json_get_int(t, "trigger.", "days", 1, DAYS_MAX, true, &n, err))
        json_object_set_new(o, "days", json_integer(n));
    return XRM_OK;
}

/* days, kind?, domain? of an agreement_ending trigger. */
static enum xrm_rc parse_agreement(struct xrm_db *db, json_t *t, json_t *o, struct xrm_err *err)
{
    const char *s = NULL;
    parse_days(db, t, o, err);
    if (xrm_json_get_str(t, "trigger.", "kind", 40, false, &s, err))
        json_object_set_new(o, "kind", json_string(s));
    if (xrm_json_get_str(t, "trigger.", "domain", 32, false, &s, err)) {
        if (!xrm_domain_valid(s))
            xrm_err_field(err, XRM_E_INVALID, "trigger.domain",
                          "must be one of sales, hr, partners, purchasing, pr");
        json_object_set_new(o, "domain", json_string(s));
    }
    return XRM_OK;
}

/* role (a role type), within_days (default 7) of role_started / role_ended. */
static enum xrm_rc parse_role(struct xrm_db *db, json_t *t, json_t *o, struct xrm_err *err)
{
    const char *s = NULL;
    int64_t n = 7;
    bool found = false;
    enum xrm_rc rc = XRM_OK;
    if (xrm_json_get_str(t, "trigger.", "role", 40, true, &s, err)) {
        rc = xrm_auto_db_role_type_exists(db, s, &found, err);
        if (!rc && !found)
            xrm_err_field(err, XRM_E_INVALID, "trigger.role", "unknown role type '%s'", s);
        /* on- and offboarding: employees are HR's checklists (domain/hr/checklist.h), so one
           hire never gets its tasks twice */
        if (!rc && strcmp(s, "employee") == 0)
            xrm_err_field(err, XRM_E_INVALID, "trigger.role",
                          "employees start and end with the on- and offboarding checklists; "
                          "change their templates instead");
        json_object_set_new(o, "role", json_string(s));
    }
    xrm_json_get_int(t, "trigger.", "within_days", 1, 365, false, &n, err);
    json_object_set_new(o, "within_days", json_integer(n));
    return rc;
}

struct run_stats;
typedef enum xrm_rc (*run_fn)(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                              struct run_stats *st, struct xrm_err *err);
static enum xrm_rc run_deal_stage(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                  struct run_stats *st, struct xrm_err *err);
static enum xrm_rc run_idle(struct xrm_ctx *ctx, json_t *au, int64_t deal_id, struct run_stats *st,
                            struct xrm_err *err);
static enum xrm_rc run_agreements(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                  struct run_stats *st, struct xrm_err *err);
static enum xrm_rc run_cases(struct xrm_ctx *ctx, json_t *au, int64_t deal_id, struct run_stats *st,
                             struct xrm_err *err);
static enum xrm_rc run_role_started(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                    struct run_stats *st, struct xrm_err *err);
static enum xrm_rc run_role_ended(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                  struct run_stats *st, struct xrm_err *err);

/*
 * The trigger types, the one list of them: the kind of subject their
 * occurrences are about, the reader of their fields, and the search for
 * their occurrences. per_deal: it runs right after a deal entered a stage
 * (for that deal) as well as in the periodic run.
 */
static const struct trigger_def {
    const char *type;
    const char *subject; /* deal | party | agreement | case */
    enum xrm_rc (*parse)(struct xrm_db *db, json_t *t, json_t *o, struct xrm_err *err);
    run_fn run;
    bool per_deal;
} triggers[] = {
    {"deal_stage", "deal", parse_stage, run_deal_stage, true},
    {"customer_idle", "party", parse_days, run_idle, false},
    {"agreement_ending", "agreement", parse_agreement, run_agreements, false},
    {"case_sla_breached", "case", NULL, run_cases, false},
    {"role_started", "party", parse_role, run_role_started, false},
    {"role_ended", "party", parse_role, run_role_ended, false},
};
#define NTRIGGERS (sizeof(triggers) / sizeof(triggers[0]))

static const struct trigger_def *trigger_of(const char *type)
{
    for (size_t i = 0; type && i < NTRIGGERS; i++)
        if (strcmp(triggers[i].type, type) == 0)
            return &triggers[i];
    return NULL;
}

static const char *subject_of(const char *type)
{
    const struct trigger_def *d = trigger_of(type);
    return d ? d->subject : NULL;
}

static enum xrm_rc parse_trigger(struct xrm_db *db, json_t *t, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"type", "stage",  "stage_id", "pipeline",    "days",
                                       "kind", "domain", "role",     "within_days", NULL};
    const char *type = NULL;
    enum xrm_rc rc = XRM_OK;
    int nf = err->nfields;
    if (!json_is_object(t))
        return xrm_err_field(err, XRM_E_MALFORMED, "trigger", "must be an object");
    xrm_json_only_keys(t, "trigger.", keys, err);
    if (!xrm_json_get_str(t, "trigger.", "type", 40, true, &type, err))
        return err->rc;
    const struct trigger_def *d = trigger_of(type);
    if (!d) {
        struct xrm_buf names = XRM_BUF_INIT;
        for (size_t i = 0; i < NTRIGGERS; i++)
            xrm_buf_addf(&names, "%s%s", i ? ", " : "", triggers[i].type);
        xrm_err_field(err, XRM_E_INVALID, "trigger.type", "must be one of %s", names.s);
        xrm_buf_release(&names);
        return err->rc;
    }
    json_t *o = json_pack("{s:s}", "type", type);
    if (d->parse)
        rc = d->parse(db, t, o, err);
    if (rc || err->nfields > nf) {
        json_decref(o);
        return rc ? rc : err->rc;
    }
    *out = o;
    return XRM_OK;
}

struct action_def;
static const struct action_def *action_of(const char *type);
static void action_names(struct xrm_buf *b);

static enum xrm_rc parse_action(struct xrm_db *db, json_t *a, const char *prefix,
                                const char *subject, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"type",   "subject", "body",  "due_days", "assignee",
                                       "domain", "tag",     "field", "value",    NULL};
    const char *type = NULL, *s = NULL;
    char f[64];
    int64_t n = 0;
    int nf = err->nfields;
    enum xrm_rc rc = XRM_OK;
    if (!json_is_object(a)) {
        snprintf(f, sizeof(f), "%.*s", (int)strlen(prefix) - 1, prefix);
        return xrm_err_field(err, XRM_E_MALFORMED, f, "must be an object");
    }
    xrm_json_only_keys(a, prefix, keys, err);
    if (!xrm_json_get_str(a, prefix, "type", 40, true, &type, err))
        return err->rc;
    json_t *o = json_pack("{s:s}", "type", type);
    if (strcmp(type, "create_task") == 0 || strcmp(type, "add_note") == 0) {
        if (xrm_json_get_str(a, prefix, "subject", TEXT_MAX, true, &s, err))
            json_object_set_new(o, "subject", json_string(s));
        if (xrm_json_get_str(a, prefix, "body", BODY_MAX, false, &s, err))
            json_object_set_new(o, "body", json_string(s));
        if (xrm_json_get_str(a, prefix, "domain", 32, false, &s, err)) {
            snprintf(f, sizeof(f), "%sdomain", prefix);
            if (!xrm_domain_valid(s))
                xrm_err_field(err, XRM_E_INVALID, f,
                              "must be one of sales, hr, partners, purchasing, pr");
            json_object_set_new(o, "domain", json_string(s));
        }
    }
    if (strcmp(type, "create_task") == 0) {
        n = 0;
        xrm_json_get_int(a, prefix, "due_days", 0, DAYS_MAX, false, &n, err);
        json_object_set_new(o, "due_days", json_integer(n));
        json_t *as = json_object_get(a, "assignee");
        snprintf(f, sizeof(f), "%sassignee", prefix);
        if (!as || json_is_null(as) ||
            (json_is_string(as) && strcmp(json_string_value(as), "owner") == 0)) {
            json_object_set_new(o, "assignee", json_string("owner"));
        } else if (json_is_integer(as)) {
            json_t *tmp = json_pack("{s:O}", f, as);
            rc = xrm_records_user(db, tmp, f, &n, err);
            json_decref(tmp);
            json_object_set(o, "assignee", as);
        } else {
            xrm_err_field(err, XRM_E_INVALID, f, "must be \"owner\" or a user id");
        }
    } else if (strcmp(type, "add_tag") == 0) {
        if (xrm_json_get_str(a, prefix, "tag", 64, true, &s, err)) {
            snprintf(f, sizeof(f), "%stag", prefix);
            if (!valid_tag(s))
                xrm_err_field(err, XRM_E_INVALID, f, "a tag is 1-64 letters, digits, '-' and '_'");
            char low[65];
            xrm_strlcpy(low, s, sizeof(low));
            xrm_ascii_lower(low);
            json_object_set_new(o, "tag", json_string(low));
        }
    } else if (strcmp(type, "set_field") == 0) {
        if (xrm_json_get_str(a, prefix, "field", 40, true, &s, err)) {
            bool ok = false;
            for (size_t i = 0; i < sizeof(settable) / sizeof(settable[0]); i++)
                ok = ok || (strcmp(settable[i].subject, subject) == 0 &&
                            strcmp(settable[i].field, s) == 0);
            snprintf(f, sizeof(f), "%sfield", prefix);
            if (!ok)
                xrm_err_field(err, XRM_E_INVALID, f, "'%s' cannot be set on a %s", s, subject);
            json_object_set_new(o, "field", json_string(s));
        }
        snprintf(f, sizeof(f), "%svalue", prefix);
        if (!json_object_get(a, "value"))
            xrm_err_field(err, XRM_E_INVALID, f, "is required (null clears)");
        else
            json_object_set(o, "value", json_object_get(a, "value"));
    } else if (!action_of(type)) {
        struct xrm_buf names = XRM_BUF_INIT;
        action_names(&names);
        snprintf(f, sizeof(f), "%stype", prefix);
        xrm_err_field(err, XRM_E_INVALID, f, "must be one of %s", names.s);
        xrm_buf_release(&names);
    }
    if (rc || err->nfields > nf) {
        json_decref(o);
        return rc ? rc : err->rc;
    }
    *out = o;
    return XRM_OK;
}

/* Validates name, trigger, actions and enabled of in (over before for updates) into *rec. */
static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    json_t *in = w->in;
    json_t *rec = json_object(), *trigger = NULL, *actions = json_array();
    const char *name = NULL;
    bool enabled = true;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(&xrm_automation_kind, in, err);
    json_t *t = json_object_get(in, "name");
    if (!t && before)
        name = json_string_value(json_object_get(before, "name"));
    else
        xrm_json_get_str(in, NULL, "name", NAME_MAX_LEN, true, &name, err);
    if (name)
        json_object_set_new(rec, "name", xrm_records_trimmed(name));
    if (before)
        enabled = json_is_true(json_object_get(before, "enabled"));
    xrm_json_get_bool(in, NULL, "enabled", false, &enabled, err);
    json_object_set_new(rec, "enabled", json_boolean(enabled));

    t = json_object_get(in, "trigger");
    if (!t && before)
        t = json_object_get(before, "trigger");
    if (!t)
        xrm_err_field(err, XRM_E_INVALID, "trigger", "is required");
    else if ((rc = parse_trigger(db, t, &trigger, err)) != XRM_OK && rc != err->rc)
        goto out;
    rc = XRM_OK;
    const char *subject =
        trigger ? subject_of(json_string_value(json_object_get(trigger, "type"))) : NULL;
    json_t *list = json_object_get(in, "actions");
    if (!list && before)
        list = json_object_get(before, "actions");
    if (!json_is_array(list) || json_array_size(list) < 1 || json_array_size(list) > ACTIONS_MAX) {
        xrm_err_field(err, list && !json_is_array(list) ? XRM_E_MALFORMED : XRM_E_INVALID,
                      "actions", "must be a list of 1 to %d actions", ACTIONS_MAX);
    } else {
        size_t i;
        json_t *a;
        json_array_foreach(list, i, a)
        {
            char prefix[32];
            json_t *o = NULL;
            snprintf(prefix, sizeof(prefix), "actions[%zu].", i);
            enum xrm_rc arc = parse_action(db, a, prefix, subject ? subject : "party", &o, err);
            if (!arc)
                json_array_append_new(actions, o);
            else if (arc == XRM_E_DB) {
                rc = arc;
                goto out;
            }
        }
    }
out:
    json_object_set_new(rec, "trigger", trigger ? trigger : json_null());
    json_object_set_new(rec, "actions", actions ? actions : json_null());
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

/* CRUD */

enum xrm_rc xrm_automation_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_auto_db_all(ctx->db, false, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

/* A built-in automation stays: it can be disabled instead. */
static enum xrm_rc may_delete(json_t *before, struct xrm_err *err)
{
    if (json_is_true(json_object_get(before, "builtin")))
        return xrm_errf(err, XRM_E_CONFLICT,
                        "automation '%s' is built in; disable it with {\"enabled\": false}",
                        json_string_value(json_object_get(before, "name")));
    return XRM_OK;
}

/* Changing automations is for administrators; reading them is not. */
static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    (void)w;
    if (strcmp(action, "get") == 0)
        return XRM_OK;
    return xrm_access_admin(&ctx->user, "changing automations", err);
}

/* Business time: deal_stage automations act on stage entries from their creation on. */
const struct xrm_record_ops xrm_automation_ops = {
    .kind = &xrm_automation_kind,
    .validate = validate,
    .may_delete = may_delete,
    .no_domain = true,
    .business_time = true,
    .begin = begin,
};

/* Occurrences */

struct occurrence {
    json_t *automation;       /* borrowed */
    const char *subject_type; /* deal | party | agreement | case | role */
    int64_t subject_id;
    char key[96];
    int64_t party;
    const char *record; /* deal | case | agreement: activities are linked to it; or NULL */
    int64_t record_id;
    char domain[16];
    json_t *vars;  /* template values, owned */
    int64_t owner; /* the "owner" assignee, 0 when unknown */
};

/* An occurrence whose write waits for the next flush (fire_batch_tx). */
struct pending;

struct run_stats {
    int fired;
    int errors;
    struct pending *pend; /* FIRE_BATCH of them, allocated on first use */
    size_t npend;
};

/* Appends the value at dotted path in vars, or false when there is none. */
static bool append_var(struct xrm_buf *b, json_t *vars, const char *path, size_t n)
{
    char key[64];
    json_t *v = vars;
    const char *p = path, *end = path + n;
    while (p < end) {
        const char *dot = memchr(p, '.', (size_t)(end - p));
        size_t len = (size_t)((dot ? dot : end) - p);
        if (len == 0 || len >= sizeof(key))
            return false;
        memcpy(key, p, len);
        key[len] = '\0';
        v = json_object_get(v, key);
        if (!v)
            return false;
        p = dot ? dot + 1 : end;
    }
    if (json_is_string(v))
        xrm_buf_adds(b, json_string_value(v));
    else if (json_is_integer(v))
        xrm_buf_addf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        xrm_buf_addf(b, "%g", json_real_value(v));
    else if (json_is_boolean(v))
        xrm_buf_adds(b, json_is_true(v) ? "ja" : "nee");
    else if (!json_is_null(v))
        return false;
    return true;
}

/* tpl with {path} replaced by values from vars, cut to max bytes on a UTF-8 boundary. */
static char *render(const char *tpl, json_t *vars, size_t max)
{
    struct xrm_buf b = XRM_BUF_INIT;
    for (const char *p = tpl; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close && close - p > 1 && close - p < 64 &&
            append_var(&b, vars, p + 1, (size_t)(close - p - 1))) {
            p = close + 1;
            continue;
        }
        xrm_buf_addc(&b, *p++);
    }
    if (b.len > max) {
        size_t n = max;
        while (n > 0 && ((unsigned char)b.s[n] & 0xc0) == 0x80)
            n--;
        b.s[n] = '\0';
        b.len = n;
    }
    return xrm_buf_detach(&b, NULL);
}

/* "12.500,00 EUR" from cents, the way Dutch readers write money. */
static json_t *money_text(int64_t cents, const char *currency)
{
    char digits[32], out[64];
    int64_t whole = cents / 100, frac = cents % 100;
    snprintf(digits, sizeof(digits), "%lld", (long long)(whole < 0 ? -whole : whole));
    size_t n = strlen(digits), k = 0;
    if (cents < 0)
        out[k++] = '-';
    for (size_t i = 0; i < n && k < sizeof(out) - 16; i++) {
        if (i && (n - i) % 3 == 0)
            out[k++] = '.';
        out[k++] = digits[i];
    }
    snprintf(out + k, sizeof(out) - k, ",%02lld %s", (long long)(frac < 0 ? -frac : frac),
             currency ? currency : "EUR");
    return json_string(out);
}

/* Whether user id may be assigned (an active user). */
static bool user_ok(struct xrm_db *db, int64_t id)
{
    struct xrm_err e = XRM_ERR_INIT;
    int64_t got = 0;
    if (id <= 0)
        return false;
    json_t *tmp = json_pack("{s:I}", "u", (json_int_t)id);
    enum xrm_rc rc = xrm_records_user(db, tmp, "u", &got, &e);
    json_decref(tmp);
    return !rc && got == id;
}

/*
 * Reads the party of o (name, owner, customer account manager) into o->vars
 * and, when o->owner is still unknown, o->owner.
 */
static enum xrm_rc with_party(struct xrm_ctx *ctx, struct occurrence *o, struct xrm_err *err)
{
    json_t *p = NULL, *roles = NULL;
    /* Only the name, owner and roles are needed: the row, not a decorated read. */
    enum xrm_rc rc = xrm_party_load(ctx->db, o->party, &p, err);
    if (!rc)
        rc = xrm_role_array_for_party(ctx->db, o->party, &roles, err);
    if (rc) {
        json_decref(p);
        return rc;
    }
    json_object_set_new(p, "roles", roles);
    json_object_set_new(
        o->vars, "party",
        json_pack("{s:I, s:O}", "id", (json_int_t)o->party, "name", json_object_get(p, "name")));
    int64_t manager = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(p, "roles"), i, r)
    {
        const char *type = json_string_value(json_object_get(r, "type"));
        json_t *am = json_object_get(json_object_get(r, "attributes"), "account_manager");
        if (type && strcmp(type, "customer") == 0 && json_is_integer(am) && !manager)
            manager = json_integer_value(am);
    }
    int64_t owner = json_integer_value(json_object_get(p, "owner"));
    if (!user_ok(ctx->db, o->owner))
        o->owner = 0;
    if (!o->owner && strcmp(o->subject_type, "party") == 0 && user_ok(ctx->db, manager))
        o->owner = manager;
    if (!o->owner && user_ok(ctx->db, owner))
        o->owner = owner;
    if (!o->owner)
        rc = xrm_records_first_admin(ctx->db, &o->owner, err);
    json_decref(p);
    return rc;
}

struct fire_arg {
    struct occurrence *o;
    json_t *actions;
    bool claimed;
};

static enum xrm_rc activity_action(struct xrm_db *db, struct occurrence *o, json_t *a, bool task,
                                   struct xrm_err *err)
{
    char now[XRM_TIME_LEN], today[XRM_DATE_LEN], due[XRM_DATE_LEN];
    json_t *act = NULL;
    const char *domain = json_string_value(json_object_get(a, "domain"));
    char *subject = render(json_string_value(json_object_get(a, "subject")), o->vars, TEXT_MAX);
    const char *body_tpl = json_string_value(json_object_get(a, "body"));
    char *body = body_tpl ? render(body_tpl, o->vars, BODY_MAX) : NULL;
    xrm_clock_now(now);
    json_t *in = json_pack("{s:s, s:s, s:s, s:s?, s:[I], s:s}", "type", task ? "task" : "note",
                           "domain", domain ? domain : o->domain, "subject", subject, "body", body,
                           "parties", (json_int_t)o->party, "at", now);
    if (task) {
        xrm_clock_today(today);
        xrm_date_add_days(today, json_integer_value(json_object_get(a, "due_days")), due);
        json_object_set_new(in, "due", json_string(due));
        json_t *as = json_object_get(a, "assignee");
        int64_t who = json_is_integer(as) ? json_integer_value(as) : o->owner;
        if (json_is_integer(as) && !user_ok(db, who))
            who = o->owner;
        json_object_set_new(in, "assignee", who ? json_integer(who) : json_null());
    }
    enum xrm_rc rc = xrm_activity_insert_tx(db, &system_user, in, NULL, &act, err);
    if (!rc && o->record)
        rc = xrm_records_link(db, json_integer_value(json_object_get(act, "id")), o->record,
                              o->record_id, task ? "task" : "note", err);
    free(subject);
    free(body);
    json_decref(in);
    json_decref(act);
    return rc;
}

static enum xrm_rc set_field_action(struct xrm_db *db, struct occurrence *o, json_t *a,
                                    struct xrm_err *err)
{
    if (!o->record)
        return XRM_OK; /* party fields are set before the claim */
    json_t *patch = json_object();
    json_object_set(patch, json_string_value(json_object_get(a, "field")),
                    json_object_get(a, "value"));
    enum xrm_rc rc;
    if (strcmp(o->record, "deal") == 0)
        rc = xrm_record_update_in(db, &xrm_deal_ops, &system_user, o->record_id, patch, NULL, err);
    else if (strcmp(o->record, "case") == 0)
        rc = xrm_record_update_in(db, &xrm_case_ops, &system_user, o->record_id, patch, NULL, err);
    else
        rc = xrm_record_update_in(db, &xrm_agreement_ops, &system_user, o->record_id, patch, NULL,
                                  err);
    json_decref(patch);
    return rc;
}

static enum xrm_rc task_action(struct xrm_db *db, struct occurrence *o, json_t *a,
                               struct xrm_err *err)
{
    return activity_action(db, o, a, true, err);
}

static enum xrm_rc note_action(struct xrm_db *db, struct occurrence *o, json_t *a,
                               struct xrm_err *err)
{
    return activity_action(db, o, a, false, err);
}

/*
 * The action types, the one list of them, with the write each does inside
 * the transaction that claims an occurrence (NULL: add_tag, and set_field
 * on a party, are the party module's own writes done before the claim).
 */
static const struct action_def {
    const char *type;
    enum xrm_rc (*in_tx)(struct xrm_db *db, struct occurrence *o, json_t *a, struct xrm_err *err);
} action_defs[] = {
    {"create_task", task_action},
    {"add_note", note_action},
    {"add_tag", NULL},
    {"set_field", set_field_action},
};
#define NACTIONS (sizeof(action_defs) / sizeof(action_defs[0]))

static const struct action_def *action_of(const char *type)
{
    for (size_t i = 0; type && i < NACTIONS; i++)
        if (strcmp(action_defs[i].type, type) == 0)
            return &action_defs[i];
    return NULL;
}

/* "create_task, add_note, ..." into b. */
static void action_names(struct xrm_buf *b)
{
    for (size_t i = 0; i < NACTIONS; i++)
        xrm_buf_addf(b, "%s%s", i ? ", " : "", action_defs[i].type);
}

static enum xrm_rc fire_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct fire_arg *f = arg;
    struct occurrence *o = f->o;
    char now[XRM_TIME_LEN];
    xrm_clock_now(now);
    enum xrm_rc rc =
        xrm_auto_db_claim(db, json_integer_value(json_object_get(o->automation, "id")),
                          o->subject_type, o->subject_id, o->key, now, &f->claimed, err);
    if (rc || !f->claimed)
        return rc;
    size_t i;
    json_t *a;
    json_array_foreach(f->actions, i, a)
    {
        const struct action_def *d = action_of(json_string_value(json_object_get(a, "type")));
        if (d && d->in_tx)
            rc = d->in_tx(db, o, a, err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

/* add_tag and party set_field: the party module's own writes, idempotent. */
static enum xrm_rc party_actions(struct xrm_ctx *ctx, struct occurrence *o, json_t *actions,
                                 struct xrm_err *err)
{
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a)
    {
        const char *type = json_string_value(json_object_get(a, "type"));
        json_t *p = NULL, *patch = NULL, *out = NULL;
        enum xrm_rc rc = XRM_OK;
        bool party_field = strcmp(type, "set_field") == 0 && !o->record;
        if (strcmp(type, "add_tag") != 0 && !party_field)
            continue;
        rc = xrm_party_get(ctx, o->party, &p, err);
        if (rc)
            return rc;
        if (party_field) {
            json_t *v = json_object_get(a, "value");
            json_t *cur = json_object_get(p, json_string_value(json_object_get(a, "field")));
            if (!json_equal(cur ? cur : json_null(), v))
                patch = json_pack("{s:O}", json_string_value(json_object_get(a, "field")), v);
        } else {
            json_t *tags = json_object_get(p, "tags"), *tag = json_object_get(a, "tag");
            bool has = false;
            size_t j;
            json_t *t;
            json_array_foreach(tags, j, t) has = has || json_equal(t, tag);
            if (!has) {
                json_t *nt = json_copy(tags);
                json_array_append(nt, tag);
                patch = json_pack("{s:o}", "tags", nt);
            }
        }
        if (patch)
            rc = xrm_party_update(ctx, o->party, 0, patch, &out, err);
        json_decref(p);
        json_decref(patch);
        json_decref(out);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

/*
 * Occurrences are written FIRE_BATCH at a time: one write (one commit, one
 * disk flush) for the batch, each occurrence in a savepoint of its own, so
 * that one that fails changes nothing and does not undo the others.
 */
#define FIRE_BATCH 128

struct pending {
    struct occurrence o; /* owns o.vars */
    struct fire_arg f;
    enum xrm_rc rc;
    struct xrm_err err;
};

static void log_failure(const struct occurrence *o, enum xrm_rc rc, const struct xrm_err *err)
{
    xrm_log(XRM_LOG_WARN, "automation %lld ('%s') on %s %lld: %s",
            (long long)json_integer_value(json_object_get(o->automation, "id")),
            json_string_value(json_object_get(o->automation, "name")), o->subject_type,
            (long long)o->subject_id, err->message[0] ? err->message : xrm_rc_name(rc));
}

static enum xrm_rc fire_batch_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct run_stats *st = arg;
    for (size_t i = 0; i < st->npend; i++) {
        struct pending *p = &st->pend[i];
        p->err = (struct xrm_err)XRM_ERR_INIT;
        p->f.claimed = false;
        enum xrm_rc rc = xrm_db_exec(db, "SAVEPOINT fire", err);
        if (rc)
            return rc;
        p->rc = fire_tx(db, &p->f, &p->err);
        if (p->rc) {
            p->f.claimed = false;
            rc = xrm_db_exec(db, "ROLLBACK TO SAVEPOINT fire", err);
        }
        if (!rc)
            rc = xrm_db_exec(db, "RELEASE SAVEPOINT fire", err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

/* Writes the pending occurrences and counts them. */
static void flush(struct xrm_ctx *ctx, struct run_stats *st)
{
    if (!st->npend)
        return;
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_store_write(ctx->store, fire_batch_tx, st, &err);
    for (size_t i = 0; i < st->npend; i++) {
        struct pending *p = &st->pend[i];
        if (rc || p->rc) {
            st->errors++;
            log_failure(&p->o, rc ? rc : p->rc, rc ? &err : &p->err);
        } else if (p->f.claimed) {
            st->fired++;
        }
        json_decref(p->o.vars);
    }
    st->npend = 0;
}

static void stats_release(struct xrm_ctx *ctx, struct run_stats *st)
{
    flush(ctx, st);
    free(st->pend);
    st->pend = NULL;
}

/*
 * Carries out occurrence o of its automation unless it fired before: the
 * party's own writes (tags, fields) now, the rest with the next flush,
 * which takes o.vars over.
 */
static void fire(struct xrm_ctx *ctx, struct occurrence *o, struct run_stats *st)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *actions = json_object_get(o->automation, "actions");
    enum xrm_rc rc = party_actions(ctx, o, actions, &err);
    if (rc) {
        st->errors++;
        log_failure(o, rc, &err);
        return;
    }
    if (!st->pend)
        st->pend = xrm_calloc(FIRE_BATCH, sizeof(*st->pend));
    struct pending *p = &st->pend[st->npend++];
    p->o = *o;
    p->f = (struct fire_arg){.o = &p->o, .actions = actions};
    p->rc = XRM_OK;
    o->vars = NULL;
    if (st->npend == FIRE_BATCH)
        flush(ctx, st);
}

/* Whether (automation, type, id, key) fired already. */
static enum xrm_rc fired_before(struct xrm_ctx *ctx, json_t *automation, const char *type,
                                int64_t id, const char *key, bool *fired, struct xrm_err *err)
{
    return xrm_auto_db_fired(ctx->db, json_integer_value(json_object_get(automation, "id")), type,
                             id, key, fired, err);
}

/* Sets up o for one subject; the caller fills party, record, vars and owner. */
static void occ_init(struct occurrence *o, json_t *automation, const char *type, int64_t id,
                     const char *key)
{
    memset(o, 0, sizeof(*o));
    o->automation = automation;
    o->subject_type = type;
    o->subject_id = id;
    xrm_strlcpy(o->key, key, sizeof(o->key));
    xrm_strlcpy(o->domain, "sales", sizeof(o->domain));
    o->vars = json_object();
}

/*
 * o's subject is the record rec (its kind is o's subject type): its party,
 * its owner (under owner_key: "owner", a case's "assignee") and its domain
 * when it has one; rec goes into the variables under its kind (the
 * reference is taken).
 */
static void occ_record(struct occurrence *o, json_t *rec, const char *owner_key)
{
    const char *dom = json_string_value(json_object_get(rec, "domain"));
    o->party = json_integer_value(json_object_get(rec, "party"));
    o->record = o->subject_type;
    o->record_id = o->subject_id;
    o->owner = json_integer_value(json_object_get(rec, owner_key));
    if (dom)
        xrm_strlcpy(o->domain, dom, sizeof(o->domain));
    json_object_set_new(o->vars, o->subject_type, rec);
}

/* Finishes o (party values, owner) and fires it; releases o's values. */
static void occ_fire(struct xrm_ctx *ctx, struct occurrence *o, struct run_stats *st)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (with_party(ctx, o, &err)) {
        st->errors++;
        xrm_log(XRM_LOG_WARN, "automation %lld: party %lld: %s",
                (long long)json_integer_value(json_object_get(o->automation, "id")),
                (long long)o->party, err.message);
    } else {
        fire(ctx, o, st);
    }
    json_decref(o->vars);
    o->vars = NULL;
}

static bool stopping(void)
{
    return atomic_load(&stop_flag);
}

static int64_t int_at(json_t *arr, size_t i)
{
    return json_integer_value(json_array_get(arr, i));
}

/*
 * One trigger's scan: the rows its query found, each a candidate subject.
 * `subject` names a row's subject (its id and the occurrence key; false:
 * not a candidate); `fill` gives an occurrence that has not fired yet its
 * record, party and variables (a failure stops the scan). The loop is
 * scan_rows(), the same for every trigger.
 */
struct scan {
    const char *type; /* the subject type: deal | party | agreement | case | role */
    bool (*subject)(struct scan *s, json_t *row, int64_t *id, char *key, size_t n);
    enum xrm_rc (*fill)(struct xrm_ctx *ctx, struct scan *s, json_t *row, struct occurrence *o,
                        struct xrm_err *err);
    /* what a trigger's two functions share */
    bool ended;    /* roles: the end, not the start */
    int64_t now_t; /* idle: now, and the start of the row's idle time */
    int64_t base_t;
    char cutoff[XRM_TIME_LEN]; /* idle: the latest start that is idle long enough */
};

/* Fires au for each row of rows (rc: its query's result) that did not fire before; frees rows. */
static enum xrm_rc scan_rows(struct xrm_ctx *ctx, json_t *au, json_t *rows, struct scan *s,
                             enum xrm_rc rc, struct run_stats *st, struct xrm_err *err)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        struct occurrence o;
        char key[64];
        int64_t id = 0;
        bool fired = false;
        if (rc || stopping())
            break;
        if (!s->subject(s, row, &id, key, sizeof(key)))
            continue;
        rc = fired_before(ctx, au, s->type, id, key, &fired, err);
        if (rc || fired)
            continue;
        occ_init(&o, au, s->type, id, key);
        rc = s->fill(ctx, s, row, &o, err);
        if (rc) {
            json_decref(o.vars);
            break;
        }
        occ_fire(ctx, &o, st);
    }
    json_decref(rows);
    return rc;
}

/* deal_stage: [deal id, stage id] of the deals in the stage; the deal with its amount text. */
static bool deal_subject(struct scan *s, json_t *row, int64_t *id, char *key, size_t n)
{
    *id = int_at(row, 0);
    snprintf(key, n, "stage:%lld", (long long)int_at(row, 1));
    return true;
}

static enum xrm_rc deal_fill(struct xrm_ctx *ctx, struct scan *s, json_t *row, struct occurrence *o,
                             struct xrm_err *err)
{
    json_t *deal = NULL;
    enum xrm_rc rc = xrm_deal_load(ctx->db, o->subject_id, &deal, err);
    if (rc)
        return rc;
    json_object_set_new(deal, "amount_text",
                        money_text(json_integer_value(json_object_get(deal, "amount")),
                                   json_string_value(json_object_get(deal, "currency"))));
    occ_record(o, deal, "owner");
    return XRM_OK;
}

static enum xrm_rc run_deal_stage(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                  struct run_stats *st, struct xrm_err *err)
{
    json_t *t = json_object_get(au, "trigger"), *rows = NULL;
    struct scan s = {.type = "deal", .subject = deal_subject, .fill = deal_fill};
    enum xrm_rc rc = xrm_auto_db_deals_in_stage(
        ctx->db, json_string_value(json_object_get(t, "stage")),
        json_integer_value(json_object_get(t, "stage_id")),
        json_integer_value(json_object_get(t, "pipeline")), deal_id,
        json_string_value(json_object_get(au, "created_at")), &rows, err);
    return scan_rows(ctx, au, rows, &s, rc, st, err);
}

/*
 * idle_customer: [party id, customer since, last activity]; idle since the
 * last activity, or since the start of a customer without one, when that
 * is at least the trigger's days ago.
 */
static bool idle_subject(struct scan *s, json_t *row, int64_t *id, char *key, size_t n)
{
    char base[XRM_TIME_LEN];
    const char *last = json_string_value(json_array_get(row, 2));
    const char *since = json_string_value(json_array_get(row, 1));
    if (last)
        xrm_strlcpy(base, last, sizeof(base));
    else if (since && xrm_time_parse(since, &s->base_t))
        xrm_time_format(s->base_t, base);
    else
        return false;
    if (strcmp(base, s->cutoff) > 0 || !xrm_time_parse(base, &s->base_t))
        return false; /* a customer for less than N days */
    *id = int_at(row, 0);
    snprintf(key, n, "idle:%s", base);
    return true;
}

static enum xrm_rc idle_fill(struct xrm_ctx *ctx, struct scan *s, json_t *row, struct occurrence *o,
                             struct xrm_err *err)
{
    const char *last = json_string_value(json_array_get(row, 2));
    o->party = o->subject_id;
    json_object_set_new(o->vars, "days", json_integer((s->now_t - s->base_t) / XRM_DAY_SECONDS));
    json_object_set_new(o->vars, "last_activity", last ? json_string(last) : json_null());
    return XRM_OK;
}

static enum xrm_rc run_idle(struct xrm_ctx *ctx, json_t *au, int64_t deal_id, struct run_stats *st,
                            struct xrm_err *err)
{
    json_t *t = json_object_get(au, "trigger"), *rows = NULL;
    int64_t days = json_integer_value(json_object_get(t, "days"));
    struct scan s = {.type = "party", .subject = idle_subject, .fill = idle_fill};
    char now[XRM_TIME_LEN], today[XRM_DATE_LEN];
    s.now_t = xrm_clock_now_t();
    xrm_time_format(s.now_t, now);
    xrm_time_format(s.now_t - days * XRM_DAY_SECONDS, s.cutoff);
    xrm_clock_today(today);
    enum xrm_rc rc = xrm_auto_db_idle_customers(ctx->db, today, now, s.cutoff, &rows, err);
    return scan_rows(ctx, au, rows, &s, rc, st, err);
}

/* agreement_ending: the agreements (objects) ending within the days, keyed by their end. */
static bool agreement_subject(struct scan *s, json_t *a, int64_t *id, char *key, size_t n)
{
    *id = json_integer_value(json_object_get(a, "id"));
    snprintf(key, n, "end:%s", json_string_value(json_object_get(a, "end")));
    return true;
}

static enum xrm_rc agreement_fill(struct xrm_ctx *ctx, struct scan *s, json_t *a,
                                  struct occurrence *o, struct xrm_err *err)
{
    occ_record(o, json_incref(a), "owner");
    json_object_set(o->vars, "days", json_object_get(a, "ends_in_days"));
    return XRM_OK;
}

static enum xrm_rc run_agreements(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                  struct run_stats *st, struct xrm_err *err)
{
    json_t *t = json_object_get(au, "trigger"), *rows = NULL;
    struct scan s = {.type = "agreement", .subject = agreement_subject, .fill = agreement_fill};
    enum xrm_rc rc =
        xrm_agreement_ending(ctx->db, (int)json_integer_value(json_object_get(t, "days")),
                             json_string_value(json_object_get(t, "kind")),
                             json_string_value(json_object_get(t, "domain")), SCAN_MAX, &rows, err);
    return scan_rows(ctx, au, rows, &s, rc, st, err);
}

/* case_sla_breached: [case id, SLA due] of the open cases past their SLA; the case. */
static bool case_subject(struct scan *s, json_t *row, int64_t *id, char *key, size_t n)
{
    *id = int_at(row, 0);
    snprintf(key, n, "sla:%s", json_string_value(json_array_get(row, 1)));
    return true;
}

static enum xrm_rc case_fill(struct xrm_ctx *ctx, struct scan *s, json_t *row, struct occurrence *o,
                             struct xrm_err *err)
{
    json_t *c = NULL;
    enum xrm_rc rc = xrm_case_load(ctx->db, o->subject_id, &c, err);
    if (!rc)
        occ_record(o, c, "assignee");
    return rc;
}

static enum xrm_rc run_cases(struct xrm_ctx *ctx, json_t *au, int64_t deal_id, struct run_stats *st,
                             struct xrm_err *err)
{
    json_t *rows = NULL;
    struct scan s = {.type = "case", .subject = case_subject, .fill = case_fill};
    char now[XRM_TIME_LEN];
    xrm_clock_now(now);
    enum xrm_rc rc = xrm_auto_db_breached_cases(ctx->db, now, &rows, err);
    return scan_rows(ctx, au, rows, &s, rc, st, err);
}

/* role_started / role_ended: [role id, party id, date] of the roles dated lately; the role. */
static bool role_subject(struct scan *s, json_t *row, int64_t *id, char *key, size_t n)
{
    *id = int_at(row, 0);
    snprintf(key, n, "%s:%s", s->ended ? "end" : "start",
             json_string_value(json_array_get(row, 2)));
    return true;
}

static enum xrm_rc role_fill(struct xrm_ctx *ctx, struct scan *s, json_t *row, struct occurrence *o,
                             struct xrm_err *err)
{
    json_t *role = NULL;
    enum xrm_rc rc = xrm_role_get(ctx, o->subject_id, &role, err);
    if (rc)
        return rc;
    o->party = int_at(row, 1);
    const char *dom = json_string_value(json_object_get(role, "domain"));
    if (dom)
        xrm_strlcpy(o->domain, dom, sizeof(o->domain));
    json_object_set_new(o->vars, "role", role);
    return XRM_OK;
}

static enum xrm_rc run_roles(struct xrm_ctx *ctx, json_t *au, bool ended, struct run_stats *st,
                             struct xrm_err *err)
{
    json_t *t = json_object_get(au, "trigger"), *rows = NULL;
    struct scan s = {.type = "role", .subject = role_subject, .fill = role_fill, .ended = ended};
    char today[XRM_DATE_LEN], from[XRM_DATE_LEN];
    /* an employee automation made before the checklists took on- and offboarding over */
    if (strcmp(json_string_value(json_object_get(t, "role")), "employee") == 0)
        return XRM_OK;
    xrm_clock_today(today);
    xrm_date_add_days(today, -json_integer_value(json_object_get(t, "within_days")), from);
    enum xrm_rc rc = xrm_auto_db_roles_dated(ctx->db, json_string_value(json_object_get(t, "role")),
                                             ended, from, today, &rows, err);
    return scan_rows(ctx, au, rows, &s, rc, st, err);
}

static enum xrm_rc run_role_started(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                    struct run_stats *st, struct xrm_err *err)
{
    return run_roles(ctx, au, false, st, err);
}

static enum xrm_rc run_role_ended(struct xrm_ctx *ctx, json_t *au, int64_t deal_id,
                                  struct run_stats *st, struct xrm_err *err)
{
    return run_roles(ctx, au, true, st, err);
}

/* Runs one automation; deal_id (0: the periodic run) runs only per_deal triggers, for it. */
static enum xrm_rc run_one(struct xrm_ctx *ctx, json_t *au, int64_t deal_id, struct run_stats *st,
                           struct xrm_err *err)
{
    const char *type = json_string_value(json_object_get(json_object_get(au, "trigger"), "type"));
    const struct trigger_def *d = trigger_of(type);
    if (!d || (deal_id && !d->per_deal))
        return XRM_OK;
    return d->run(ctx, au, deal_id, st, err);
}

/* The context actions run in: the caller's store and reader, as the system. */
static struct xrm_ctx system_ctx(const struct xrm_ctx *ctx)
{
    struct xrm_ctx c = {.store = ctx->store, .db = ctx->db, .user = system_user};
    return c;
}

enum xrm_rc xrm_automation_run(struct xrm_ctx *ctx, json_t **report, struct xrm_err *err)
{
    if (xrm_access_admin(&ctx->user, "running automations", err))
        return err ? err->rc : XRM_E_DENIED;
    struct xrm_ctx sys = system_ctx(ctx);
    json_t *all = NULL, *per = json_array();
    char now[XRM_TIME_LEN];
    int renewed = 0, fired = 0, errors = 0;

    pthread_mutex_lock(&run_lock);
    xrm_clock_now(now);
    enum xrm_rc rc = xrm_agreement_renew_due(&sys, &renewed, err);
    if (!rc)
        rc = xrm_auto_db_all(sys.db, true, &all, err);
    size_t i;
    json_t *au;
    json_array_foreach(all, i, au)
    {
        struct run_stats st = {0};
        if (rc || stopping())
            break;
        rc = run_one(&sys, au, 0, &st, err);
        stats_release(&sys, &st);
        fired += st.fired;
        errors += st.errors;
        json_array_append_new(
            per, json_pack("{s:O, s:O, s:i, s:i}", "id", json_object_get(au, "id"), "name",
                           json_object_get(au, "name"), "fired", st.fired, "errors", st.errors));
    }
    pthread_mutex_unlock(&run_lock);
    json_decref(all);
    if (!rc && report)
        *report = json_pack("{s:s, s:i, s:i, s:i, s:O}", "at", now, "fired", fired, "renewed",
                            renewed, "errors", errors, "automations", per);
    json_decref(per);
    return rc;
}

enum xrm_rc xrm_automation_on_deal(struct xrm_ctx *ctx, int64_t deal_id, struct xrm_err *err)
{
    struct xrm_ctx sys = system_ctx(ctx);
    json_t *all = NULL;
    pthread_mutex_lock(&run_lock);
    enum xrm_rc rc = xrm_auto_db_all(sys.db, true, &all, err);
    size_t i;
    json_t *au;
    json_array_foreach(all, i, au)
    {
        struct run_stats st = {0};
        if (rc)
            break;
        rc = run_one(&sys, au, deal_id, &st, err);
        stats_release(&sys, &st);
    }
    pthread_mutex_unlock(&run_lock);
    json_decref(all);
    return rc;
}

/* The scheduler */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool running;
    bool stopping;
    struct xrm_store *store;
    int64_t interval;
    int64_t runs;
    json_t *last;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static int64_t interval_setting(void)
{
    const char *s = getenv("XRM_AUTOMATION_INTERVAL");
    int64_t v = INTERVAL_DEFAULT;
    if (s && *s && !xrm_parse_int(s, 0, 7 * 24 * 3600, &v)) {
        xrm_log(XRM_LOG_WARN, "XRM_AUTOMATION_INTERVAL '%s' is not a number of seconds; using %d",
                s, INTERVAL_DEFAULT);
        v = INTERVAL_DEFAULT;
    }
    return v;
}

static void *sched_main(void *arg)
{
    struct xrm_ctx ctx = {.store = arg, .user = system_user};
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_store_reader(ctx.store, &ctx.db, &err)) {
        xrm_log(XRM_LOG_ERROR, "automation scheduler: %s", err.message);
        return NULL;
    }
    pthread_mutex_lock(&sched.lock);
    while (!sched.stopping) {
        pthread_mutex_unlock(&sched.lock);
        json_t *rep = NULL;
        xrm_err_clear(&err);
        if (xrm_automation_run(&ctx, &rep, &err))
            xrm_log(XRM_LOG_ERROR, "automation run: %s", err.message);
        else if (json_integer_value(json_object_get(rep, "fired")) ||
                 json_integer_value(json_object_get(rep, "renewed")))
            xrm_log(XRM_LOG_INFO, "automations: %lld fired, %lld agreements renewed",
                    (long long)json_integer_value(json_object_get(rep, "fired")),
                    (long long)json_integer_value(json_object_get(rep, "renewed")));
        pthread_mutex_lock(&sched.lock);
        sched.runs++;
        if (rep) {
            json_decref(sched.last);
            sched.last = rep;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += (time_t)sched.interval;
        while (!sched.stopping)
            if (pthread_cond_timedwait(&sched.cond, &sched.lock, &ts) == ETIMEDOUT)
                break;
    }
    pthread_mutex_unlock(&sched.lock);
    return NULL;
}

void xrm_automation_start(struct xrm_store *st)
{
    pthread_mutex_lock(&sched.lock);
    sched.interval = interval_setting();
    if (sched.running || sched.interval == 0) {
        pthread_mutex_unlock(&sched.lock);
        return;
    }
    sched.store = st;
    sched.stopping = false;
    atomic_store(&stop_flag, false);
    if (pthread_create(&sched.thread, NULL, sched_main, st) == 0)
        sched.running = true;
    else
        xrm_log(XRM_LOG_ERROR, "cannot start the automation scheduler");
    pthread_mutex_unlock(&sched.lock);
}

void xrm_automation_stop(void)
{
    pthread_mutex_lock(&sched.lock);
    if (!sched.running) {
        pthread_mutex_unlock(&sched.lock);
        return;
    }
    sched.stopping = true;
    atomic_store(&stop_flag, true);
    pthread_cond_broadcast(&sched.cond);
    pthread_mutex_unlock(&sched.lock);
    pthread_join(sched.thread, NULL);
    pthread_mutex_lock(&sched.lock);
    sched.running = false;
    json_decref(sched.last);
    sched.last = NULL;
    atomic_store(&stop_flag, false);
    pthread_mutex_unlock(&sched.lock);
}

json_t *xrm_automation_status(void)
{
    char now[XRM_TIME_LEN];
    xrm_clock_now(now);
    pthread_mutex_lock(&sched.lock);
    json_t *s = json_pack("{s:b, s:I, s:I, s:O?, s:s, s:b}", "scheduler", sched.running, "interval",
                          (json_int_t)sched.interval, "runs", (json_int_t)sched.runs, "last_run",
                          sched.last, "now", now, "fake_clock", xrm_clock_is_fake());
    pthread_mutex_unlock(&sched.lock);
    return s;
}

/*
 * The deal_stage triggers run right after a deal entered a stage: automation
 * registers itself for that deal event when the program loads, so deals need
 * no knowledge of automations (no include of automation.h in deal.c).
 */
__attribute__((constructor)) static void register_deal_events(void)
{
    xrm_deal_on_stage_entered(xrm_automation_on_deal);
}
