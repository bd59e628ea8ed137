/*
 * Absences: the rules (who may have one, dates, hours, the status of
 * leave, the sensitive note of sick leave), the Poortwachter tasks of a
 * sick report and its recovery, who is away, and the sickness percentage.
 */
#include "domain/hr/absence.h"
#include "domain/hr/absence-db.h"
#include "domain/hr/poortwachter.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define HOURS_MAX 100000

/* The state of one write: what validation found for the after hook. */
struct abs_arg {
    const char *status; /* approve / reject: the new status */
    int64_t assignee;   /* sick report: who gets the tasks (0: the writer) */
};

static const char *str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool is_sick(json_t *o)
{
    const char *k = str_of(o, "kind");
    return k && strcmp(k, "sick") == 0;
}

/* A loaded absence (single reads and the audit trail) never holds a sick note. */
static void shape(json_t *o)
{
    if (is_sick(o))
        json_object_del(o, "note");
}

int64_t xrm_absence_weekdays(const char *a, const char *b)
{
    int64_t n = 0, start = 0;
    if (!a || !b || !xrm_date_diff(a, b, &n) || n < 0 || !xrm_date_diff("1970-01-05", a, &start))
        return 0;
    n += 1;
    int64_t dow = ((start % 7) + 7) % 7; /* 0: Monday */
    int64_t full = n / 7, rest = n % 7, days = full * 5;
    for (int64_t i = 0; i < rest; i++)
        if ((dow + i) % 7 < 5)
            days++;
    return days;
}

void xrm_absence_department_key(json_t *attributes, char *out, size_t n)
{
    json_t *d = json_object_get(attributes, "department");
    out[0] = '\0';
    if (json_is_string(d))
        xrm_strlcpy(out, json_string_value(d), n);
    else if (json_is_integer(d))
        snprintf(out, n, "%lld", (long long)json_integer_value(d));
}

/* hours_per_week of an employee role, or 0. */
static double week_hours(json_t *role)
{
    json_t *h = json_object_get(json_object_get(role, "attributes"), "hours_per_week");
    return json_is_number(h) ? json_number_value(h) : 0;
}

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const dates[] = {"from", "until", NULL};
    const struct xrm_record_kind *K = &xrm_absence_kind;
    struct abs_arg *arg = w->arg;
    json_t *in = w->in, *tmp = json_object(), *rec = json_object(), *role = NULL;
    enum xrm_rc rc = XRM_OK;
    int64_t party = 0;
    char *stored_note = NULL;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    if (!before && json_object_get(in, "party"))
        json_object_set(tmp, "party", json_object_get(in, "party"));
    if (before) {
        json_object_set(tmp, "party", json_object_get(before, "party"));
        if (json_object_get(in, "party") &&
            !json_equal(json_object_get(in, "party"), json_object_get(before, "party")))
            xrm_err_field(err, XRM_E_INVALID, "party", "cannot be changed");
    }
    rc = xrm_records_party(db, tmp, "party", &party, err);
    if (rc)
        goto out;
    json_object_set_new(rec, "party", json_integer(party));
    if (party) {
        rc = xrm_abs_db_employee(db, party, &role, err);
        if (rc)
            goto out;
        if (!role)
            xrm_err_field(err, XRM_E_INVALID, "party", "has no employee role");
    }
    bool kind_ok = xrm_record_read(K, "kind", in, before, rec, err);
    if (before && json_object_get(in, "kind") &&
        !json_equal(json_object_get(in, "kind"), json_object_get(before, "kind")))
        xrm_err_field(err, XRM_E_INVALID, "kind", "cannot be changed; delete and record anew");
    bool sick = kind_ok && is_sick(rec);
    xrm_record_read_all(K, dates, in, before, rec, err);
    const char *from = str_of(rec, "from"), *until = str_of(rec, "until");
    if (from && until && strcmp(until, from) < 0)
        xrm_err_field(err, XRM_E_INVALID, "until", "must not be before from (%s)", from);
    if (kind_ok && !sick && !until && from)
        xrm_err_field(err, XRM_E_INVALID, "until", "is required (only sick leave may be open)");
    if (sick && !before && party) {
        /* one open sick report at a time (a second would double the Poortwachter tasks);
           a sickness that ended before it may still be recorded */
        struct xrm_abs_filter open = {.party = party, .kind = "sick", .open = true};
        json_t *found = NULL;
        rc = xrm_abs_db_list(db, &open, 1, 0, &found, err);
        json_t *o = json_array_get(found, 0);
        const char *u = str_of(rec, "until");
        if (!rc && o && (!u || strcmp(u, str_of(o, "from")) >= 0))
            xrm_err_field(err, XRM_E_CONFLICT, "from", "is already reported sick since %s",
                          str_of(o, "from"));
        json_decref(found);
        if (rc)
            goto out;
    }

    /* hours: given, else kept, else from the working days and the contract's hours */
    json_t *h = json_object_get(in, "hours");
    bool dates_changed = !before || json_object_get(in, "from") || json_object_get(in, "until");
    if (h && !json_is_null(h)) {
        if (!json_is_number(h) || json_number_value(h) < 0 || json_number_value(h) > HOURS_MAX)
            xrm_err_field(err, XRM_E_INVALID, "hours", "must be a number of hours from 0 to %d",
                          HOURS_MAX);
        else
            json_object_set_new(rec, "hours",
                                json_integer((json_int_t)llround(json_number_value(h) * 60.0)));
    } else if (!h && before && !dates_changed && json_is_number(json_object_get(before, "hours"))) {
        json_object_set_new(rec, "hours",
                            json_integer((json_int_t)llround(
                                json_number_value(json_object_get(before, "hours")) * 60.0)));
    } else if (from && until && kind_ok && !sick) {
        double per_day = week_hours(role) > 0 ? week_hours(role) / 5.0 : 8.0;
        json_object_set_new(rec, "hours",
                            json_integer((json_int_t)llround(
                                (double)xrm_absence_weekdays(from, until) * per_day * 60.0)));
    } else {
        json_object_set_new(rec, "hours", json_null());
    }

    /* status: leave starts requested; approve / reject change it */
    const char *status = before ? str_of(before, "status") : NULL;
    if (!status)
        status = kind_ok && !sick && strcmp(str_of(rec, "kind"), "leave") == 0 ? "requested"
                                                                               : "approved";
    if (arg && arg->status)
        status = arg->status;
    json_object_set_new(rec, "status", json_string(status));

    /* note: a sick absence's needs full access; a patch keeps the stored one */
    if (json_object_get(in, "note")) {
        xrm_record_read(K, "note", in, NULL, rec, err);
        if (sick && xrm_access_level(w->user, "hr") < XRM_LEVEL_FULL) {
            rc = xrm_err_field(err, XRM_E_DENIED, "note",
                               "a note on sick leave needs full access to domain 'hr'");
            goto out;
        }
    } else if (before) {
        rc = xrm_abs_db_note(db, w->id, &stored_note, err);
        if (rc)
            goto out;
        xrm_json_set_str(rec, "note", stored_note);
    } else {
        json_object_set_new(rec, "note", json_null());
    }

    /* assignee of the Poortwachter tasks (a sick report) */
    if (json_object_get(in, "assignee") && !json_is_null(json_object_get(in, "assignee"))) {
        int64_t uid = 0;
        rc = xrm_records_user(db, in, "assignee", &uid, err);
        if (rc)
            goto out;
        if (arg)
            arg->assignee = uid;
    }
out:
    free(stored_note);
    json_decref(tmp);
    json_decref(role);
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

static enum xrm_rc after(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                         json_t *before, json_t *rec, struct xrm_err *err)
{
    struct abs_arg *arg = w->arg;
    enum xrm_rc rc = XRM_OK;
    if (!is_sick(rec))
        return XRM_OK;
    const char *until = str_of(rec, "until");
    if (strcmp(action, "create") == 0) {
        rc = xrm_poortwachter_report_tx(db, w->user, w->id,
                                        json_integer_value(json_object_get(rec, "party")),
                                        str_of(rec, "from"), arg ? arg->assignee : 0, err);
        if (!rc && until)
            rc = xrm_poortwachter_recover_tx(db, w->user, w->id, until, err);
    } else if (until && before && !str_of(before, "until")) {
        rc = xrm_poortwachter_recover_tx(db, w->user, w->id, until, err);
    }
    return rc;
}

/* What ctx->user may see of an absence: a sick note for full access only. */
static enum xrm_rc reader_view(struct xrm_ctx *ctx, json_t *o, struct xrm_err *err)
{
    if (!is_sick(o))
        return XRM_OK;
    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_FULL) {
        json_object_del(o, "note");
        return XRM_OK;
    }
    char *note = NULL;
    enum xrm_rc rc =
        xrm_abs_db_note(ctx->db, json_integer_value(json_object_get(o, "id")), &note, err);
    if (!rc)
        xrm_json_set_str(o, "note", note);
    free(note);
    return rc;
}

static enum xrm_rc finish(struct xrm_ctx *ctx, enum xrm_rc rc, json_t **out, struct xrm_err *err)
{
    if (!rc && out && *out)
        rc = reader_view(ctx, *out, err);
    if (rc && out && *out) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    (void)w;
    (void)action;
    return reader_view(ctx, *rec, err);
}

const struct xrm_record_ops xrm_absence_ops = {
    .kind = &xrm_absence_kind,
    .domain = "hr",
    .shape = shape,
    .validate = validate,
    .after = after,
    .arg_size = sizeof(struct abs_arg),
    .view = view,
};

struct status_arg {
    struct xrm_record_write w;
    struct abs_arg a;
};

/* approve / reject inside a write: leave only, from the statuses that allow it. */
static enum xrm_rc status_tx(struct xrm_db *db, struct xrm_record_write *w, struct xrm_err *err)
{
    struct abs_arg *a = w->arg;
    json_t *cur = NULL;
    enum xrm_rc rc = xrm_access_read(w->user, "hr", "absence", w->id, err);
    if (!rc)
        rc = xrm_record_load(db, &xrm_absence_ops, w->id, &cur, err);
    if (!rc)
        rc = xrm_access_write(w->user, "hr", err);
    if (rc)
        goto out;
    const char *kind = str_of(cur, "kind"), *status = str_of(cur, "status");
    if (!kind || strcmp(kind, "leave") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "only leave is approved or rejected");
        goto out;
    }
    if (status && strcmp(status, a->status) == 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "the leave is already %s", a->status);
        goto out;
    }
    rc = xrm_record_update_tx(db, w, err);
out:
    json_decref(cur);
    return rc;
}

static enum xrm_rc status_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    return status_tx(db, arg, err);
}

static enum xrm_rc set_status(struct xrm_ctx *ctx, int64_t id, const char *status, json_t **out,
                              struct xrm_err *err)
{
    json_t *patch = json_object();
    struct abs_arg a = {.status = status};
    struct xrm_record_write w = {
        .ops = &xrm_absence_ops, .user = &ctx->user, .id = id, .in = patch, .arg = &a};
    enum xrm_rc rc = xrm_record_write(ctx, status_fn, &w, out, err);
    json_decref(patch);
    return finish(ctx, rc, out, err);
}

enum xrm_rc xrm_absence_approve(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return set_status(ctx, id, "approved", out, err);
}

enum xrm_rc xrm_absence_reject(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return set_status(ctx, id, "rejected", out, err);
}

enum xrm_rc xrm_absence_status_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                  const char *status, struct xrm_err *err)
{
    json_t *patch = json_object();
    struct abs_arg a = {.status = status};
    struct xrm_record_write w = {
        .ops = &xrm_absence_ops, .user = user, .id = id, .in = patch, .arg = &a};
    enum xrm_rc rc = xrm_record_in_tx(db, status_tx, &w, NULL, err);
    json_decref(patch);
    return rc;
}

/* recover: a sick absence only, on a date not before its start */
static enum xrm_rc recover_tx(struct xrm_db *db, struct xrm_record_write *w, struct xrm_err *err)
{
    json_t *cur = NULL;
    enum xrm_rc rc = xrm_access_read(w->user, "hr", "absence", w->id, err);
    if (!rc)
        rc = xrm_record_load(db, &xrm_absence_ops, w->id, &cur, err);
    if (!rc && !is_sick(cur))
        rc = xrm_errf(err, XRM_E_CONFLICT, "only sick leave ends with a recovery");
    if (!rc)
        rc = xrm_record_update_tx(db, w, err);
    json_decref(cur);
    return rc;
}

static enum xrm_rc recover_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    return recover_tx(db, arg, err);
}

enum xrm_rc xrm_absence_recover(struct xrm_ctx *ctx, int64_t id, const char *date, json_t **out,
                                struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    if (date && !xrm_valid_date(date))
        return xrm_err_field(err, XRM_E_INVALID, "date", "must be a date (YYYY-MM-DD)");
    json_t *patch = json_pack("{s:s}", "until", date ? date : today);
    struct abs_arg a = {0};
    struct xrm_record_write w = {
        .ops = &xrm_absence_ops, .user = &ctx->user, .id = id, .in = patch, .arg = &a};
    enum xrm_rc rc = xrm_record_write(ctx, recover_fn, &w, out, err);
    json_decref(patch);
    if (rc == XRM_E_INVALID && err && err->nfields && strcmp(err->fields[0].field, "until") == 0)
        xrm_strlcpy(err->fields[0].field, "date", sizeof(err->fields[0].field));
    return finish(ctx, rc, out, err);
}

static enum xrm_rc need_read(struct xrm_ctx *ctx, struct xrm_err *err)
{
    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "absences need read access to domain 'hr'");
    return XRM_OK;
}

enum xrm_rc xrm_absence_tasks(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *a = NULL, *items = NULL;
    enum xrm_rc rc = xrm_record_get(ctx, &xrm_absence_ops, id, &a, err);
    json_decref(a);
    if (!rc)
        rc = xrm_poortwachter_tasks(ctx->db, id, false, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

/* {party id: department key} of every employee, and the key -> name map. */
static enum xrm_rc departments_of(struct xrm_ctx *ctx, json_t **by_party, json_t **names,
                                  json_t **employees, struct xrm_err *err)
{
    json_t *emps = NULL, *depts = NULL;
    enum xrm_rc rc = xrm_abs_db_employees(ctx->db, &emps, err);
    if (!rc)
        rc = xrm_abs_db_departments(ctx->db, &depts, err);
    if (rc) {
        json_decref(emps);
        json_decref(depts);
        return rc;
    }
    json_t *map = json_object(), *nm = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(emps, i, e)
    {
        char key[64], pid[32];
        xrm_absence_department_key(json_object_get(e, "attributes"), key, sizeof(key));
        snprintf(pid, sizeof(pid), "%lld",
                 (long long)json_integer_value(json_object_get(e, "party")));
        if (!json_object_get(map, pid))
            json_object_set_new(map, pid, json_string(key));
        json_object_set_new(e, "department", json_string(key));
        if (key[0] && !json_object_get(nm, key)) {
            json_t *n = json_object_get(depts, key);
            json_object_set_new(nm, key, json_is_string(n) ? json_copy(n) : json_string(key));
        }
    }
    json_decref(depts);
    *by_party = map;
    *names = nm;
    if (employees)
        *employees = emps;
    else
        json_decref(emps);
    return XRM_OK;
}

static const char *dept_of(json_t *by_party, json_t *absence)
{
    char pid[32];
    snprintf(pid, sizeof(pid), "%lld",
             (long long)json_integer_value(json_object_get(absence, "party")));
    const char *d = json_string_value(json_object_get(by_party, pid));
    return d ? d : "";
}

/* Drops the items not of department (when given) and applies the reader's view. */
static enum xrm_rc keep(struct xrm_ctx *ctx, json_t *items, json_t *by_party,
                        const char *department, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    for (size_t i = json_array_size(items); i-- > 0 && !rc;) {
        json_t *a = json_array_get(items, i);
        if (department && strcmp(dept_of(by_party, a), department) != 0)
            json_array_remove(items, i);
        else
            rc = reader_view(ctx, a, err);
    }
    return rc;
}

enum xrm_rc xrm_absence_list(struct xrm_ctx *ctx, const struct xrm_absence_filter *f, int limit,
                             const char *cursor, json_t **out, struct xrm_err *err)
{
    struct xrm_absence_filter any = {0};
    json_t *items = NULL, *by_party = NULL, *names = NULL;
    int64_t before_id = 0;
    if (!f)
        f = &any;
    enum xrm_rc rc = need_read(ctx, err);
    if (rc)
        return rc;
    if (f->kind && !xrm_str_in(xrm_absence_kinds, f->kind))
        xrm_err_field(err, XRM_E_MALFORMED, "kind",
                      "must be one of sick, leave, special, parental");
    if (f->status && !xrm_str_in(xrm_absence_statuses, f->status))
        xrm_err_field(err, XRM_E_MALFORMED, "status",
                      "must be one of requested, approved, rejected");
    if (f->from && !xrm_valid_date(f->from))
        xrm_err_field(err, XRM_E_MALFORMED, "from", "must be a date (YYYY-MM-DD)");
    if (f->until && !xrm_valid_date(f->until))
        xrm_err_field(err, XRM_E_MALFORMED, "until", "must be a date (YYYY-MM-DD)");
    xrm_records_cursor(cursor, &before_id, err);
    if (err && err->rc)
        return err->rc;
    limit = xrm_records_limit(limit);
    struct xrm_abs_filter df = {.party = f->party,
                                .kind = f->kind,
                                .status = f->status,
                                .from = f->from,
                                .until = f->until,
                                .open = f->open == 1};
    bool ranged = f->from || f->until || f->open == 1;
    rc = xrm_abs_db_list(ctx->db, &df, ranged ? XRM_LIST_MAX * 10 : limit + 1, before_id, &items,
                         err);
    if (!rc && f->department)
        rc = departments_of(ctx, &by_party, &names, NULL, err);
    if (!rc)
        rc = keep(ctx, items, by_party, f->department, err);
    json_decref(by_party);
    json_decref(names);
    if (rc) {
        json_decref(items);
        return rc;
    }
    if (ranged) {
        while (json_array_size(items) > (size_t)limit)
            json_array_remove(items, json_array_size(items) - 1);
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    } else {
        *out = xrm_records_page(items, limit);
    }
    return XRM_OK;
}

/* An overview entry for absence a. */
static enum xrm_rc entry(struct xrm_ctx *ctx, json_t *a, json_t *by_party, json_t *names,
                         const char *today, json_t **out, struct xrm_err *err)
{
    const char *d = dept_of(by_party, a);
    json_t *n = d[0] ? json_object_get(names, d) : NULL;
    json_t *e = json_pack("{s:O, s:o, s:O, s:n, s:n}", "absence", a, "department",
                          d[0] ? json_string(d) : json_null(), "department_name",
                          n ? n : json_null(), "sick_week", "next_task");
    if (is_sick(a) && !str_of(a, "until")) {
        int64_t days = 0;
        json_t *open = NULL;
        if (xrm_date_diff(str_of(a, "from"), today, &days) && days >= 0)
            json_object_set_new(e, "sick_week", json_integer(days / 7 + 1));
        enum xrm_rc rc = xrm_poortwachter_tasks(
            ctx->db, json_integer_value(json_object_get(a, "id")), true, &open, err);
        if (rc) {
            json_decref(e);
            return rc;
        }
        json_t *t = json_array_get(open, 0);
        if (t)
            json_object_set_new(e, "next_task",
                                json_pack("{s:O, s:O, s:O}", "id", json_object_get(t, "id"),
                                          "subject", json_object_get(t, "subject"), "due",
                                          json_object_get(t, "due")));
        json_decref(open);
    }
    *out = e;
    return XRM_OK;
}

/* The entries of the absences of filter df (department-filtered), not rejected. */
static enum xrm_rc entries(struct xrm_ctx *ctx, const struct xrm_abs_filter *df, bool approved_only,
                           json_t *by_party, json_t *names, const char *department,
                           const char *today, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL, *list = json_array();
    enum xrm_rc rc = xrm_abs_db_list(ctx->db, df, XRM_LIST_MAX * 10, 0, &items, err);
    if (!rc)
        rc = keep(ctx, items, by_party, department, err);
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a)
    {
        if (rc)
            break;
        if (approved_only && strcmp(str_of(a, "status"), "approved") != 0)
            continue;
        json_t *e = NULL;
        rc = entry(ctx, a, by_party, names, today, &e, err);
        if (!rc)
            json_array_append_new(list, e);
    }
    json_decref(items);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return XRM_OK;
}

enum xrm_rc xrm_absence_overview(struct xrm_ctx *ctx, const char *department, json_t **out,
                                 struct xrm_err *err)
{
    char today[XRM_DATE_LEN], mon[XRM_DATE_LEN], sun[XRM_DATE_LEN];
    json_t *by_party = NULL, *names = NULL, *t = NULL, *wk = NULL, *req = NULL, *sick = NULL;
    int64_t start = 0;
    enum xrm_rc rc = need_read(ctx, err);
    if (rc)
        return rc;
    xrm_clock_today(today);
    xrm_date_diff("1970-01-05", today, &start);
    xrm_date_add_days(today, -(((start % 7) + 7) % 7), mon);
    xrm_date_add_days(mon, 6, sun);
    rc = departments_of(ctx, &by_party, &names, NULL, err);
    struct xrm_abs_filter ft = {.from = today, .until = today};
    struct xrm_abs_filter fw = {.from = mon, .until = sun};
    struct xrm_abs_filter fr = {.status = "requested", .from = "0000-01-01"};
    struct xrm_abs_filter fs = {.kind = "sick", .open = true};
    if (!rc)
        rc = entries(ctx, &ft, true, by_party, names, department, today, &t, err);
    if (!rc)
        rc = entries(ctx, &fw, true, by_party, names, department, today, &wk, err);
    if (!rc)
        rc = entries(ctx, &fr, false, by_party, names, department, today, &req, err);
    if (!rc)
        rc = entries(ctx, &fs, false, by_party, names, department, today, &sick, err);
    if (!rc) {
        json_t *depts = json_array();
        const char *k;
        json_t *v;
        json_object_foreach(names, k, v)
        {
            json_array_append_new(depts, json_pack("{s:s, s:O}", "department", k, "name", v));
        }
        *out = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "date", today, "week_start",
                         mon, "week_end", sun, "today", t, "week", wk, "requests", req, "sick",
                         sick, "departments", depts);
        t = wk = req = sick = NULL;
    }
    json_decref(t);
    json_decref(wk);
    json_decref(req);
    json_decref(sick);
    json_decref(by_party);
    json_decref(names);
    return rc;
}

static const char *later(const char *a, const char *b)
{
    return strcmp(a, b) >= 0 ? a : b;
}

static const char *earlier(const char *a, const char *b)
{
    return strcmp(a, b) <= 0 ? a : b;
}

/* Days from a to b inclusive (0 when b < a). */
static int64_t span(const char *a, const char *b)
{
    int64_t n = 0;
    if (!xrm_date_diff(a, b, &n) || n < 0)
        return 0;
    return n + 1;
}

static json_t *pct(int64_t sick, int64_t avail)
{
    if (avail <= 0)
        return json_null();
    return json_real(round((double)sick * 10000.0 / (double)avail) / 100.0);
}

enum xrm_rc xrm_absence_stats(struct xrm_ctx *ctx, int year, const char *department, json_t **out,
                              struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    json_t *by_party = NULL, *names = NULL, *emps = NULL, *sick = NULL;
    enum xrm_rc rc = need_read(ctx, err);
    if (rc)
        return rc;
    if (year < 1900 || year > 2199)
        return xrm_err_field(err, XRM_E_MALFORMED, "year", "must be a year from 1900 to 2199");
    xrm_clock_today(today);
    rc = departments_of(ctx, &by_party, &names, &emps, err);
    char ystart[XRM_DATE_LEN], yend[XRM_DATE_LEN];
    snprintf(ystart, sizeof(ystart), "%04d-01-01", year);
    snprintf(yend, sizeof(yend), "%04d-12-31", year);
    struct xrm_abs_filter fs = {.kind = "sick", .from = ystart, .until = yend};
    if (!rc)
        rc = xrm_abs_db_list(ctx->db, &fs, 1000000, 0, &sick, err);
    if (rc)
        goto out;
    json_t *items = json_array(), *totals = json_array();
    for (int m = 1; m <= 12; m++) {
        char ms[XRM_DATE_LEN], me[XRM_DATE_LEN], next[XRM_DATE_LEN], month[8];
        snprintf(ms, sizeof(ms), "%04d-%02d-01", year, m);
        if (strcmp(ms, today) > 0)
            break;
        xrm_date_add_months(ms, 1, next);
        xrm_date_add_days(next, -1, me);
        const char *end = earlier(me, today);
        snprintf(month, sizeof(month), "%04d-%02d", year, m);
        json_t *per = json_object(); /* department -> [sick, avail] */
        int64_t tsick = 0, tavail = 0;
        size_t i;
        json_t *e;
        json_array_foreach(emps, i, e)
        {
            const char *d = str_of(e, "department");
            if (department && strcmp(d, department) != 0)
                continue;
            json_t *attrs = json_object_get(e, "attributes");
            const char *s = str_of(attrs, "start_date"), *u = str_of(attrs, "end_date");
            if (!s)
                s = str_of(e, "since");
            if (!u)
                u = str_of(e, "until");
            const char *a = s ? later(ms, s) : ms, *b = u ? earlier(end, u) : end;
            int64_t avail = span(a, b), sd = 0;
            if (avail <= 0)
                continue;
            /* sick days: each calendar day counted once even when absences overlap */
            int64_t pid = json_integer_value(json_object_get(e, "party"));
            char day[XRM_DATE_LEN];
            xrm_strlcpy(day, a, sizeof(day));
            for (int64_t k = 0; k < avail; k++) {
                size_t j;
                json_t *sa;
                json_array_foreach(sick, j, sa)
                {
                    const char *f = str_of(sa, "from"), *t = str_of(sa, "until");
                    if (json_integer_value(json_object_get(sa, "party")) == pid &&
                        strcmp(f, day) <= 0 && strcmp(t ? t : today, day) >= 0) {
                        sd++;
                        break;
                    }
                }
                xrm_date_add_days(day, 1, day);
            }
            json_t *acc = json_object_get(per, d);
            if (!acc) {
                acc = json_pack("[I, I]", (json_int_t)0, (json_int_t)0);
                json_object_set_new(per, d, acc);
            }
            json_array_set_new(acc, 0,
                               json_integer(json_integer_value(json_array_get(acc, 0)) + sd));
            json_array_set_new(acc, 1,
                               json_integer(json_integer_value(json_array_get(acc, 1)) + avail));
            tsick += sd;
            tavail += avail;
        }
        const char *k;
        json_t *v;
        json_object_foreach(per, k, v)
        {
            int64_t s = json_integer_value(json_array_get(v, 0)),
                    av = json_integer_value(json_array_get(v, 1));
            json_t *n = k[0] ? json_object_get(names, k) : NULL;
            json_array_append_new(
                items, json_pack("{s:s, s:o, s:o, s:I, s:I, s:o}", "month", month, "department",
                                 k[0] ? json_string(k) : json_null(), "name",
                                 n ? json_copy(n) : json_null(), "sick_days", (json_int_t)s,
                                 "available_days", (json_int_t)av, "percentage", pct(s, av)));
        }
        json_decref(per);
        json_array_append_new(totals,
                              json_pack("{s:s, s:I, s:I, s:o}", "month", month, "sick_days",
                                        (json_int_t)tsick, "available_days", (json_int_t)tavail,
                                        "percentage", pct(tsick, tavail)));
    }
    *out = json_pack("{s:i, s:o, s:s, s:o, s:o}", "year", year, "department",
                     department ? json_string(department) : json_null(), "formula",
                     "sick calendar days / available calendar days x 100 (employment days up "
                     "to today)",
                     "items", items, "totals", totals);
out:
    json_decref(by_party);
    json_decref(names);
    json_decref(emps);
    json_decref(sick);
    return rc;
}
