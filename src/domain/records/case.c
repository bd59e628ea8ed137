/*
 * Helpdesk cases: the rules. Validation of case input, the SLA (from the
 * party's treatment, else from the priority), status changes with their
 * resolved time, messages as activities, and the case query.
 *
 * The treatment is read before the write transaction, through the party
 * response (xrm_party_get), because that is where the treatment rules put
 * it; case.c needs no knowledge of how rules are evaluated. A case whose
 * SLA came from its priority follows a later change of priority until it
 * is breached (an escalation does not rewrite a due time that has passed);
 * one that came from the treatment or from input keeps its due time.
 */
#include "domain/records/case.h"
#include "domain/records/case-db.h"
#include "domain/base/record.h"
#include "domain/base/access.h"
#include "domain/party/activity.h"
#include "domain/base/audit.h"
#include "domain/party/party.h"
#include "domain/records/records.h"
#include "domain/rules/rule.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define SUBJECT_MAX 500
#define DESCRIPTION_MAX 65536
#define BODY_MAX 65536
#define Q_MAX 1000
#define WORD_MAX 100

static const char *const statuses[] = {"new", "open", "waiting", "resolved", "closed", NULL};
static const char *const priorities[] = {"low", "normal", "high", "top", NULL};
static const int priority_hours[] = {72, 24, 8, 4};
static const char *const priorities_nl[] = {"laag", "normaal", "hoog", "hoogste", NULL};

static int index_of(const char *const *list, const char *s)
{
    for (int i = 0; s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

static bool is_active(const char *status)
{
    return status && (strcmp(status, "new") == 0 || strcmp(status, "open") == 0 ||
                      strcmp(status, "waiting") == 0);
}

/* Adds "sla_breached" as of now. */
static void shape(json_t *c, const char *now)
{
    const char *due = json_string_value(json_object_get(c, "sla_due"));
    const char *status = json_string_value(json_object_get(c, "status"));
    const char *resolved = json_string_value(json_object_get(c, "resolved_at"));
    bool breached = false;
    if (due && is_active(status))
        breached = strcmp(now, due) > 0;
    else if (due && resolved)
        breached = strcmp(resolved, due) > 0;
    json_object_set_new(c, "sla_breached", json_boolean(breached));
}

static void shape_now(json_t *c)
{
    char now[XRM_TIME_LEN];
    xrm_clock_now(now);
    shape(c, now);
}

enum xrm_rc xrm_case_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_load(db, &xrm_case_ops, id, out, err);
}

/*
 * The treatment rules among because (names of the rules that fired) whose
 * sla_hours is hours: [{"name", "en", "nl"}] with the rule's first badge
 * (its name when it has none). Rules are read through the rules module.
 */
static enum xrm_rc sla_rules(struct xrm_ctx *ctx, json_t *because, int64_t hours, json_t **out,
                             struct xrm_err *err)
{
    json_t *all = NULL, *r, *res = json_array();
    size_t i, j;
    json_t *b;
    enum xrm_rc rc = xrm_rule_list(ctx, &all, err);
    if (rc) {
        json_decref(res);
        return rc;
    }
    json_array_foreach(json_object_get(all, "items"), i, r)
    {
        json_t *then = json_object_get(r, "then");
        const char *name = json_string_value(json_object_get(r, "name"));
        if (!name || json_integer_value(json_object_get(then, "sla_hours")) != hours)
            continue;
        json_array_foreach(because, j, b)
        {
            if (!json_is_string(b) || strcmp(json_string_value(b), name) != 0)
                continue;
            json_t *badge = json_array_get(json_object_get(then, "badges"), 0);
            json_t *en = json_object_get(badge, "en"), *nl = json_object_get(badge, "nl");
            json_array_append_new(res,
                                  json_pack("{s:s, s:s, s:s}", "name", name, "en",
                                            json_is_string(en) ? json_string_value(en) : name, "nl",
                                            json_is_string(nl) ? json_string_value(nl) : name));
            break;
        }
    }
    json_decref(all);
    *out = res;
    return XRM_OK;
}

enum xrm_rc xrm_case_treatment(struct xrm_ctx *ctx, int64_t party, int64_t *hours,
                               const char **priority, json_t **rules, struct xrm_err *err)
{
    json_t *p = NULL;
    enum xrm_rc rc;
    *hours = 0;
    *priority = NULL;
    *rules = NULL;
    if (party <= 0)
        return XRM_OK;
    struct xrm_err e = XRM_ERR_INIT;
    rc = xrm_party_get(ctx, party, &p, &e);
    if (rc == XRM_E_NOTFOUND)
        return XRM_OK; /* validation names the field */
    if (rc) {
        *err = e;
        return rc;
    }
    json_t *t = json_object_get(p, "treatment");
    json_t *h = json_object_get(t, "sla_hours");
    if (json_is_integer(h) && json_integer_value(h) > 0 && json_integer_value(h) <= 24 * 365)
        *hours = json_integer_value(h);
    else if (json_is_real(h) && json_real_value(h) > 0 && json_real_value(h) <= 24 * 365)
        *hours = (int64_t)(json_real_value(h) + 0.999);
    int i = index_of(priorities, json_string_value(json_object_get(t, "priority")));
    if (i >= 0)
        *priority = priorities[i];
    rc = *hours ? sla_rules(ctx, json_object_get(t, "because"), *hours, rules, err) : XRM_OK;
    json_decref(p);
    return rc;
}

/* An RFC 3339 time field into its canonical UTC form; false when absent or bad. */
static bool read_time(json_t *in, const char *key, char out[XRM_TIME_LEN], struct xrm_err *err)
{
    const char *s = NULL;
    if (!xrm_json_get_str(in, NULL, key, 64, false, &s, err))
        return false;
    if (!xrm_norm_datetime(s, out, XRM_TIME_LEN)) {
        xrm_err_field(err, XRM_E_INVALID, key,
                      "must be an RFC 3339 date-time such as 2027-01-15T09:00:00Z");
        return false;
    }
    return true;
}

static json_t *pick(json_t *patch, json_t *before, const char *key)
{
    json_t *v = json_object_get(patch, key);
    if (v || !before)
        return v;
    return json_object_get(before, key);
}

/* What a case write knows besides its input (struct xrm_record_write.arg). */
struct case_arg {
    int64_t t_hours;        /* from the treatment, 0 when none */
    const char *t_priority; /* from the treatment, NULL when none */
    json_t *t_rules;        /* the rules that set t_hours: [{"name", "en", "nl"}], or NULL */
    json_t *source;         /* the activity of from_activity (create) */
};

/* Appends the names (key "name") or texts (key "en" / "nl") of rules joined by sep. */
static void join_rules(struct xrm_buf *b, json_t *rules, const char *key, const char *sep)
{
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r)
    {
        if (i)
            xrm_buf_adds(b, sep);
        xrm_buf_adds(b, json_string_value(json_object_get(r, key)));
    }
}

/*
 * The reason of an SLA, {"code", "rules", "en", "nl"}: source "treatment"
 * with the rules that set hours, "priority" with the priority, or "input".
 */
static json_t *sla_reason(const char *source, int64_t hours, const char *priority, json_t *rules)
{
    struct xrm_buf en = XRM_BUF_INIT, nl = XRM_BUF_INIT;
    json_t *names = json_array(), *r;
    size_t i;
    json_array_foreach(rules, i, r) json_array_append(names, json_object_get(r, "name"));
    if (strcmp(source, "treatment") == 0) {
        xrm_buf_addf(&en, "%lld %s: ", (long long)hours, hours == 1 ? "hour" : "hours");
        xrm_buf_addf(&nl, "%lld uur: ", (long long)hours);
        if (json_array_size(rules)) {
            join_rules(&en, rules, "en", " and ");
            join_rules(&nl, rules, "nl", " en ");
            xrm_buf_adds(&en,
                         json_array_size(rules) > 1 ? " (treatment rules " : " (treatment rule ");
            xrm_buf_adds(&nl,
                         json_array_size(rules) > 1 ? " (behandelregels " : " (behandelregel ");
            join_rules(&en, rules, "name", ", ");
            join_rules(&nl, rules, "name", ", ");
            xrm_buf_adds(&en, ")");
            xrm_buf_adds(&nl, ")");
        } else {
            xrm_buf_adds(&en, "the party's treatment");
            xrm_buf_adds(&nl, "de behandeling van de relatie");
        }
    } else if (strcmp(source, "priority") == 0) {
        int pi = index_of(priorities, priority);
        xrm_buf_addf(&en, "%lld %s: priority %s", (long long)hours, hours == 1 ? "hour" : "hours",
                     pi < 0 ? "normal" : priorities[pi]);
        xrm_buf_addf(&nl, "%lld uur: prioriteit %s", (long long)hours,
                     priorities_nl[pi < 0 ? 1 : pi]);
    } else {
        xrm_buf_adds(&en, "due time set by hand");
        xrm_buf_adds(&nl, "tijdstip met de hand gezet");
    }
    json_t *out = json_pack("{s:s, s:o, s:s, s:s}", "code", source, "rules", names, "en",
                            en.s ? en.s : "", "nl", nl.s ? nl.s : "");
    xrm_buf_release(&en);
    xrm_buf_release(&nl);
    return out;
}

/* The SLA fields of rec from opened_at, priority and the treatment (source "priority"). */
static void set_sla(json_t *rec, int64_t t_hours, json_t *t_rules, const char *source)
{
    char due[XRM_TIME_LEN];
    int64_t opened = 0, hours = t_hours;
    const char *prio = json_string_value(json_object_get(rec, "priority"));
    int pi = index_of(priorities, prio);
    if (!hours)
        hours = priority_hours[pi < 0 ? 1 : pi];
    xrm_time_parse(json_string_value(json_object_get(rec, "opened_at")), &opened);
    xrm_time_format(opened + hours * 3600, due);
    json_object_set_new(rec, "sla_hours", json_integer(hours));
    json_object_set_new(rec, "sla_source", json_string(source));
    json_object_set_new(rec, "sla_reason", sla_reason(source, hours, prio, t_rules));
    json_object_set_new(rec, "sla_due", json_string(due));
}

/*
 * Validates a create (before NULL) or a patch of before into *rec_out.
 * Field errors are returned as their code, database failures as theirs.
 */
static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"subject", "description", "domain",
                                        "status",  "priority",    NULL};
    static const struct case_arg none = {0};
    const struct case_arg *a = w->arg ? w->arg : &none;
    json_t *in = w->in, *tmp = json_object(), *rec = json_object(), *src = json_copy(in);
    int nf = err->nfields;
    enum xrm_rc rc = XRM_OK;
    char now[XRM_TIME_LEN], t[XRM_TIME_LEN];
    int64_t id = 0;

    xrm_clock_now(now);
    xrm_record_known_keys(&xrm_case_kind, in, err);
    if (before && json_object_get(in, "from_activity"))
        xrm_err_field(err, XRM_E_INVALID, "from_activity", "can only be given on create");
    if (before && json_object_get(in, "opened_at") &&
        !json_equal(json_object_get(in, "opened_at"), json_object_get(before, "opened_at")))
        xrm_err_field(err, XRM_E_INVALID, "opened_at", "cannot be changed");

    /* defaults of a create: the source activity's party, subject and body; the treatment's
     * priority */
    if (!before && a->source && !json_object_get(src, "party"))
        json_object_set(src, "party", json_array_get(json_object_get(a->source, "parties"), 0));
    if (!before && a->source && !json_object_get(src, "subject"))
        json_object_set(src, "subject", json_object_get(a->source, "subject"));
    if (!before && a->source && !json_object_get(src, "description"))
        json_object_set(src, "description", json_object_get(a->source, "body"));
    if (!before && a->t_priority && !json_object_get(src, "priority"))
        json_object_set_new(src, "priority", json_string(a->t_priority));

    json_object_set(tmp, "party", pick(src, before, "party"));
    rc = xrm_records_party(db, tmp, "party", &id, err);
    if (rc)
        goto out;
    if (before && id && id != json_integer_value(json_object_get(before, "party")))
        xrm_err_field(err, XRM_E_INVALID, "party", "cannot be changed; open a new case");
    json_object_set_new(rec, "party", json_integer(id));
    xrm_record_read_all(&xrm_case_kind, plain, src, before, rec, err);

    const char *s = json_string_value(json_object_get(rec, "status"));
    const char *was = before ? json_string_value(json_object_get(before, "status")) : NULL;
    if (is_active(s))
        json_object_set_new(rec, "resolved_at", json_null());
    else if (was && !is_active(was) && json_is_string(json_object_get(before, "resolved_at")))
        json_object_set(rec, "resolved_at", json_object_get(before, "resolved_at"));
    else
        json_object_set_new(rec, "resolved_at", json_string(now));

    json_object_set(tmp, "assignee", pick(in, before, "assignee"));
    rc = xrm_records_user(db, tmp, "assignee", &id, err);
    if (rc)
        goto out;
    json_object_set_new(rec, "assignee", id ? json_integer(id) : json_null());

    /* opened_at: given (not in the future) or now; fixed after create */
    if (before) {
        json_object_set(rec, "opened_at", json_object_get(before, "opened_at"));
    } else if (read_time(in, "opened_at", t, err)) {
        if (strcmp(t, now) > 0)
            xrm_err_field(err, XRM_E_INVALID, "opened_at", "must not be in the future");
        json_object_set_new(rec, "opened_at", json_string(t));
    } else {
        json_object_set_new(rec, "opened_at", json_string(now));
    }
    json_object_set(rec, "source_activity",
                    before      ? json_object_get(before, "source_activity")
                    : a->source ? json_object_get(a->source, "id")
                                : json_null());
    if (err->nfields > nf)
        goto out;

    /* SLA: input, else kept, else treatment, else priority */
    json_t *due_in = json_object_get(in, "sla_due");
    bool echoed = before && due_in && json_equal(due_in, json_object_get(before, "sla_due"));
    if (due_in && !json_is_null(due_in) && !echoed) {
        if (read_time(in, "sla_due", t, err)) {
            json_object_set_new(rec, "sla_due", json_string(t));
            json_object_set_new(rec, "sla_hours", json_null());
            json_object_set_new(rec, "sla_source", json_string("input"));
            json_object_set_new(rec, "sla_reason", sla_reason("input", 0, NULL, NULL));
        }
    } else if (before &&
               (strcmp(json_string_value(json_object_get(before, "sla_source")), "priority") != 0 ||
                json_is_true(json_object_get(before, "sla_breached")) ||
                json_equal(json_object_get(before, "priority"),
                           json_object_get(rec, "priority")))) {
        /* kept: not from the priority, a passed due time stays passed, or no change */
        json_object_set(rec, "sla_due", json_object_get(before, "sla_due"));
        json_object_set(rec, "sla_hours", json_object_get(before, "sla_hours"));
        json_object_set(rec, "sla_source", json_object_get(before, "sla_source"));
        json_object_set(rec, "sla_reason", json_object_get(before, "sla_reason"));
    } else if (!before && a->t_hours) {
        set_sla(rec, a->t_hours, a->t_rules, "treatment");
    } else {
        set_sla(rec, 0, NULL, "priority");
    }
out:
    json_decref(tmp);
    json_decref(src);
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *domain_of(json_t *c)
{
    return json_string_value(json_object_get(c, "domain"));
}

/* Read gate (404) and, with write, write gate (403) on the domain of case c. */
static enum xrm_rc gate(const struct xrm_user *u, json_t *c, bool write, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_read(u, domain_of(c), "case", int_of(c, "id"), err);
    if (!rc && write)
        rc = xrm_access_write(u, domain_of(c), err);
    return rc;
}

/* After the row is written: the source activity of a new case links to it. */
static enum xrm_rc after(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                         json_t *before, json_t *rec, struct xrm_err *err)
{
    struct case_arg *a = w->arg;
    if (!before && rec && a && a->source)
        return xrm_records_link(db, int_of(a->source, "id"), "case", w->id, "source", err);
    return XRM_OK;
}

/*
 * Before a write: a body that is an object; for a create, the activity of
 * from_activity (its party, when none is given) and the treatment of the
 * party (the SLA hours and priority of the rules).
 */
static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    struct case_arg *a = w->arg;
    json_t *in = w->in;
    int64_t party = 0, src = 0;
    enum xrm_rc rc;

    if (strcmp(action, "get") == 0 || strcmp(action, "delete") == 0)
        return XRM_OK;
    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    if (strcmp(action, "create") != 0)
        return XRM_OK;
    if (xrm_json_get_int(in, NULL, "from_activity", 1, INT64_MAX, false, &src, err)) {
        struct xrm_err e = XRM_ERR_INIT;
        rc = xrm_activity_get(ctx, src, &a->source, &e);
        if (rc == XRM_E_NOTFOUND)
            return xrm_err_field(err, XRM_E_INVALID, "from_activity", "no activity %lld",
                                 (long long)src);
        if (rc) {
            *err = e;
            return rc;
        }
    }
    rc = err->rc;
    json_t *pv = json_object_get(in, "party");
    if (!rc && json_is_integer(pv))
        party = json_integer_value(pv);
    else if (!rc && !pv && a->source)
        party = json_integer_value(json_array_get(json_object_get(a->source, "parties"), 0));
    if (!rc)
        rc = xrm_case_treatment(ctx, party, &a->t_hours, &a->t_priority, &a->t_rules, err);
    return rc;
}

static void end(struct xrm_record_write *w)
{
    struct case_arg *a = w->arg;
    json_decref(a->source);
    json_decref(a->t_rules);
}

const struct xrm_record_ops xrm_case_ops = {
    .kind = &xrm_case_kind,
    .shape = shape_now,
    .validate = validate,
    .after = after,
    .touch = xrm_party_touch,
    .arg_size = sizeof(struct case_arg),
    .begin = begin,
    .end = end,
};

/* Messages */

struct msg_arg {
    const struct xrm_user *user;
    int64_t id;
    const char *subject;
    const char *body;
    bool internal;
    json_t *out;
};

static enum xrm_rc message_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct msg_arg *m = arg;
    json_t *c = NULL, *act = NULL, *in = NULL;
    char subject[SUBJECT_MAX + 32], now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_case_load(db, m->id, &c, err);
    if (!rc)
        rc = gate(m->user, c, true, err);
    if (rc) {
        json_decref(c);
        return rc;
    }
    if (m->subject)
        snprintf(subject, sizeof(subject), "%s", m->subject);
    else
        snprintf(subject, sizeof(subject), "%s%s", m->internal ? "Notitie: " : "Re: ",
                 json_string_value(json_object_get(c, "subject")));
    xrm_clock_now(now);
    in = json_pack("{s:s, s:O, s:s, s:s, s:[O], s:s}", "type", m->internal ? "note" : "email",
                   "domain", json_object_get(c, "domain"), "subject", subject, "body", m->body,
                   "parties", json_object_get(c, "party"), "at", now);
    rc = xrm_activity_insert_tx(db, m->user, in, NULL, &act, err);
    if (!rc)
        rc = xrm_records_link(db, int_of(act, "id"), "case", m->id,
                              m->internal ? "note" : "message", err);
    /* The first answer to a new case opens it. */
    if (!rc && !m->internal &&
        strcmp(json_string_value(json_object_get(c, "status")), "new") == 0) {
        json_t *patch = json_pack("{s:s}", "status", "open");
        rc = xrm_record_update_in(db, &xrm_case_ops, m->user, m->id, patch, NULL, err);
        json_decref(patch);
    }
    if (!rc) {
        json_object_set_new(act, "link", json_string(m->internal ? "note" : "message"));
        m->out = act;
        act = NULL;
    }
    json_decref(c);
    json_decref(in);
    json_decref(act);
    return rc;
}

enum xrm_rc xrm_case_add_message(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                 struct xrm_err *err)
{
    static const char *const keys[] = {"body", "subject", "internal", NULL};
    struct msg_arg m = {.user = &ctx->user, .id = id};
    xrm_json_only_keys(in, NULL, keys, err);
    xrm_json_get_str(in, NULL, "body", BODY_MAX, true, &m.body, err);
    xrm_json_get_str(in, NULL, "subject", SUBJECT_MAX, false, &m.subject, err);
    xrm_json_get_bool(in, NULL, "internal", false, &m.internal, err);
    if (err->rc)
        return err->rc;
    enum xrm_rc rc = xrm_store_write(ctx->store, message_tx, &m, err);
    if (rc) {
        json_decref(m.out);
        return rc;
    }
    *out = m.out;
    return XRM_OK;
}

enum xrm_rc xrm_case_messages(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                              struct xrm_err *err)
{
    int64_t id = page->id;
    json_t *c = NULL;
    enum xrm_rc rc = xrm_record_op_get(ctx, &xrm_case_ops, id, &c, err);
    json_decref(c);
    if (rc)
        return rc;
    return xrm_records_activities(ctx, "case", id, page->limit, out, err);
}

/* The case query */

struct case_query {
    struct xrm_record_cond c[XRM_CASE_CONDS_MAX];
    int n;
    char words[XRM_CASE_CONDS_MAX][WORD_MAX + 3];
    char now[XRM_TIME_LEN];
    char cursor_due[XRM_TIME_LEN]; /* the due time of an urgency cursor */
};

static struct xrm_record_cond *add_cond(struct case_query *q, const char *sql, struct xrm_err *err)
{
    if (q->n >= XRM_CASE_CONDS_MAX) {
        xrm_err_field(err, XRM_E_INVALID, "q", "has more than %d terms", XRM_CASE_CONDS_MAX);
        return NULL;
    }
    struct xrm_record_cond *c = &q->c[q->n++];
    memset(c, 0, sizeof(*c));
    c->sql = sql;
    return c;
}

/* One term "name:value" (neg: leading '-') or a free word. */
static void add_term(struct case_query *q, int64_t me, char *term, struct xrm_err *err)
{
    bool neg = term[0] == '-' && term[1];
    if (neg)
        term++;
    char *colon = strchr(term, ':');
    struct xrm_record_cond *c;
    int64_t id;
    if (!colon) {
        size_t n = strlen(term);
        if (n > WORD_MAX) {
            xrm_err_field(err, XRM_E_INVALID, "q", "word '%.20s...' is too long", term);
            return;
        }
        char *w = q->words[q->n < XRM_CASE_CONDS_MAX ? q->n : 0];
        size_t k = 0;
        w[k++] = '%';
        for (size_t i = 0; i < n && k < WORD_MAX + 1; i++) {
            char ch = term[i];
            if (ch == '%' || ch == '_' || ch == '\\')
                continue;
            w[k++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
        }
        w[k++] = '%';
        w[k] = '\0';
        c = add_cond(q, neg ? "LOWER(c.subject) NOT LIKE ?" : "LOWER(c.subject) LIKE ?", err);
        if (c)
            xrm_record_cond_text(c, w);
        return;
    }
    *colon = '\0';
    const char *name = term, *value = colon + 1;
    if (!*value) {
        xrm_err_field(err, XRM_E_MALFORMED, "q", "'%s:' needs a value", name);
        return;
    }
    if (strcmp(name, "sla") == 0) {
        bool breached = strcmp(value, "breached") == 0;
        if (!breached && strcmp(value, "ok") != 0) {
            xrm_err_field(err, XRM_E_INVALID, "q", "sla: is breached or ok");
            return;
        }
        if (neg)
            breached = !breached;
        c = add_cond(q,
                     breached ? "(c.status IN ('new', 'open', 'waiting') AND c.sla_due < ?)"
                              : "(c.status NOT IN ('new', 'open', 'waiting') OR c.sla_due IS NULL "
                                "OR c.sla_due >= ?)",
                     err);
        if (c)
            xrm_record_cond_text(c, q->now);
    } else if (strcmp(name, "status") == 0) {
        if (strcmp(value, "active") == 0) {
            c = add_cond(q,
                         neg ? "c.status NOT IN ('new', 'open', 'waiting')"
                             : "c.status IN ('new', 'open', 'waiting')",
                         err);
            return;
        }
        int i = index_of(statuses, value);
        if (i < 0) {
            xrm_err_field(err, XRM_E_INVALID, "q",
                          "status: is new, open, waiting, resolved, closed or active");
            return;
        }
        c = add_cond(q, neg ? "c.status <> ?" : "c.status = ?", err);
        if (c)
            xrm_record_cond_text(c, statuses[i]);
    } else if (strcmp(name, "priority") == 0) {
        int i = index_of(priorities, value);
        if (i < 0) {
            xrm_err_field(err, XRM_E_INVALID, "q", "priority: is low, normal, high or top");
            return;
        }
        c = add_cond(q, neg ? "c.priority <> ?" : "c.priority = ?", err);
        if (c)
            xrm_record_cond_text(c, priorities[i]);
    } else if (strcmp(name, "domain") == 0) {
        if (!xrm_domain_valid(value)) {
            xrm_err_field(err, XRM_E_INVALID, "q",
                          "domain: is sales, hr, partners, purchasing "
                          "or pr");
            return;
        }
        c = add_cond(q, neg ? "c.domain <> ?" : "c.domain = ?", err);
        if (c)
            xrm_record_cond_text(c, value);
    } else if (strcmp(name, "assignee") == 0) {
        if (strcmp(value, "none") == 0) {
            add_cond(q, neg ? "c.assignee IS NOT NULL" : "c.assignee IS NULL", err);
            return;
        }
        if (strcmp(value, "me") == 0)
            id = me;
        else if (!xrm_parse_int(value, 1, INT64_MAX, &id)) {
            xrm_err_field(err, XRM_E_INVALID, "q", "assignee: is me, none or a user id");
            return;
        }
        c = add_cond(q, neg ? "(c.assignee IS NULL OR c.assignee <> ?)" : "c.assignee = ?", err);
        if (c)
            xrm_record_cond_num(c, id);
    } else if (strcmp(name, "party") == 0) {
        if (!xrm_parse_int(value, 1, INT64_MAX, &id)) {
            xrm_err_field(err, XRM_E_INVALID, "q", "party: is a party id");
            return;
        }
        c = add_cond(q, neg ? "c.party_id <> ?" : "c.party_id = ?", err);
        if (c)
            xrm_record_cond_num(c, id);
    } else {
        xrm_err_field(err, XRM_E_MALFORMED, "q",
                      "unknown filter '%.30s:' (sla, status, priority, assignee, party, domain)",
                      name);
    }
}

/* The urgency order: active first, then the earliest SLA due (overdue first), the highest priority.
 */
#define URG_ACTIVE "(CASE WHEN c.status IN ('new', 'open', 'waiting') THEN 0 ELSE 1 END)"
#define URG_DUE "COALESCE(c.sla_due, '9999-12-31T23:59:59Z')"
#define URG_PRIO                                                                                   \
    "(CASE c.priority WHEN 'top' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END)"
#define URG_ORDER URG_ACTIVE ", " URG_DUE ", " URG_PRIO ", c.id"

static int64_t urgency_prio(json_t *c)
{
    int i = index_of(priorities, json_string_value(json_object_get(c, "priority")));
    return i < 0 ? 3 : 3 - i;
}

/* The urgency cursor [active, due, prio, id] after which the page goes on; false when bad. */
static bool urgency_cursor(struct case_query *cq, const char *cursor, struct xrm_err *err)
{
    json_t *k = xrm_cursor_decode(cursor);
    json_t *a = json_array_get(k, 0), *d = json_array_get(k, 1), *p = json_array_get(k, 2),
           *id = json_array_get(k, 3);
    bool ok = json_array_size(k) == 4 && json_is_integer(a) && json_is_string(d) &&
              json_string_length(d) < XRM_TIME_LEN && json_is_integer(p) && json_is_integer(id);
    if (ok) {
        struct xrm_record_cond *c =
            add_cond(cq, "(" URG_ACTIVE ", " URG_DUE ", " URG_PRIO ", c.id) > (?, ?, ?, ?)", err);
        if (c) {
            snprintf(cq->cursor_due, sizeof(cq->cursor_due), "%s", json_string_value(d));
            xrm_record_cond_num(c, json_integer_value(a));
            xrm_record_cond_text(c, cq->cursor_due);
            xrm_record_cond_num(c, json_integer_value(p));
            xrm_record_cond_num(c, json_integer_value(id));
        }
    }
    json_decref(k);
    if (!ok)
        xrm_err_field(err, XRM_E_MALFORMED, "cursor", "is not a cursor of this list");
    return ok;
}

/* {"items", "next"} of an urgency page: steals items (up to limit + 1). */
static json_t *urgency_page(json_t *items, int limit)
{
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        json_t *last = json_array_get(items, (size_t)limit - 1);
        const char *due = json_string_value(json_object_get(last, "sla_due"));
        json_t *key = json_pack(
            "[i, s, I, O]", is_active(json_string_value(json_object_get(last, "status"))) ? 0 : 1,
            due ? due : "9999-12-31T23:59:59Z", (json_int_t)urgency_prio(last),
            json_object_get(last, "id"));
        char *c = xrm_cursor_encode(key);
        json_decref(key);
        next = json_string(c);
        free(c);
    }
    return json_pack("{s:o, s:o}", "items", items, "next", next);
}

enum xrm_rc xrm_case_list(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                          struct xrm_err *err)
{
    const char *q = page->q, *sort = page->sort, *cursor = page->cursor;
    int limit = page->limit;
    struct case_query *cq = NULL;
    char *text = NULL, *save = NULL;
    json_t *items = NULL;
    int64_t before_id = 0;
    enum xrm_rc rc = XRM_OK;
    bool urgency = false;

    if (q && strlen(q) > Q_MAX)
        return xrm_err_field(err, XRM_E_INVALID, "q", "is longer than %d bytes", Q_MAX);
    if (sort && strcmp(sort, "urgency") == 0)
        urgency = true;
    else if (sort && strcmp(sort, "newest") != 0)
        return xrm_err_field(err, XRM_E_INVALID, "sort", "is newest or urgency");
    if (!urgency && !xrm_records_cursor(cursor, &before_id, err))
        return err->rc;
    cq = xrm_calloc(1, sizeof(*cq));
    xrm_clock_now(cq->now);
    const char *dom[XRM_NDOMAINS];
    xrm_access_readable(&ctx->user, dom);
    struct xrm_record_cond *dc = add_cond(cq, XRM_ACCESS_MATCH("c.domain"), err);
    for (int i = 0; dc && i < XRM_NDOMAINS; i++)
        xrm_record_cond_text(dc, dom[i]);
    if (urgency && cursor)
        urgency_cursor(cq, cursor, err);
    text = xrm_strdup(q ? q : "");
    for (char *t = strtok_r(text, " \t\r\n", &save); t && !err->rc;
         t = strtok_r(NULL, " \t\r\n", &save))
        add_term(cq, ctx->user.id, t, err);
    rc = err->rc;
    if (!rc) {
        limit = xrm_records_limit(limit);
        rc = xrm_record_db_list(ctx->db, &xrm_case_kind, cq->c, cq->n, urgency ? URG_ORDER : NULL,
                                limit + 1, before_id, &items, err);
    }
    if (!rc) {
        size_t i;
        json_t *c;
        json_array_foreach(items, i, c) shape(c, cq->now);
        *out = urgency ? urgency_page(items, limit) : xrm_records_page(items, limit);
    }
    free(text);
    free(cq);
    return rc;
}
