/*
 * On- and offboarding checklists (see checklist.h): template validation,
 * starting a checklist (its items become hr tasks), the items' state read
 * back from those tasks, ticking, and the role listener that starts them.
 */
#include "domain/hr/checklist.h"
#include "domain/hr/checklist-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define ITEMS_MAX 50
#define OFFSET_MAX 365
#define TITLE_MAX 200

static const char *const whos[] = {"hr", "manager", "it", "employee", NULL};

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Templates */

/* Reads the items of a template into *out ([{title, who, offset_days}]), field errors to err. */
static enum xrm_rc read_items(struct xrm_db *db, json_t *items, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {"title", "who", "offset_days", NULL};
    json_t *clean = json_array();
    char prefix[32], f[48];
    size_t i;
    json_t *it;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_array(items) || json_array_size(items) < 1 || json_array_size(items) > ITEMS_MAX) {
        xrm_err_field(err, XRM_E_INVALID, "items", "must be a list of 1 to %d items", ITEMS_MAX);
        goto out;
    }
    json_array_foreach(items, i, it)
    {
        const char *title = NULL;
        int64_t offset = 0;
        snprintf(prefix, sizeof(prefix), "items[%zu].", i);
        if (!json_is_object(it)) {
            snprintf(f, sizeof(f), "items[%zu]", i);
            xrm_err_field(err, XRM_E_INVALID, f, "must be an object");
            continue;
        }
        xrm_json_only_keys(it, prefix, keys, err);
        xrm_json_get_str(it, prefix, "title", TITLE_MAX, true, &title, err);
        xrm_json_get_int(it, prefix, "offset_days", -OFFSET_MAX, OFFSET_MAX, false, &offset, err);
        json_t *who = json_object_get(it, "who");
        snprintf(f, sizeof(f), "%swho", prefix);
        if (json_is_integer(who)) {
            bool found = false;
            rc = xrm_record_db_user_active(db, json_integer_value(who), &found, err);
            if (rc)
                goto out;
            if (!found)
                xrm_err_field(err, XRM_E_INVALID, f, "no active user %lld",
                              (long long)json_integer_value(who));
        } else if (!json_is_string(who) || !xrm_str_in(whos, json_string_value(who))) {
            xrm_err_field(err, XRM_E_INVALID, f,
                          "must be hr, manager, it, employee or the id of a user");
        }
        if (title)
            json_array_append_new(clean,
                                  json_pack("{s:o, s:O, s:I}", "title", xrm_record_trimmed(title),
                                            "who", who, "offset_days", (json_int_t)offset));
    }
out:
    /* field errors are in err; only a failed lookup fails the call */
    if (rc) {
        json_decref(clean);
        return rc;
    }
    *out = clean;
    return XRM_OK;
}

static enum xrm_rc template_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                     json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"name", "kind", "auto_start", NULL};
    const struct xrm_record_kind *K = &xrm_checklist_template_kind;
    json_t *in = w->in, *rec = json_object(), *items = NULL;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    xrm_record_read_all(K, plain, in, before, rec, err);
    json_t *given = json_object_get(in, "items");
    if (!given && before)
        given = json_object_get(before, "items");
    rc = read_items(db, given, &items, err);
    if (rc)
        goto out;
    json_object_set_new(rec, "items", items ? items : json_null());
out:
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

const struct xrm_record_ops xrm_checklist_template_ops = {
    .kind = &xrm_checklist_template_kind,
    .domain = "hr",
    .validate = template_validate,
};

enum xrm_rc xrm_checklist_template_list(struct xrm_ctx *ctx, const char *kind, json_t **out,
                                        struct xrm_err *err)
{
    struct xrm_record_cond c[1] = {{0}};
    int nc = 0;
    json_t *items = NULL;
    if (kind && !xrm_str_in(xrm_checklist_kinds, kind))
        return xrm_err_field(err, XRM_E_MALFORMED, "kind", "must be onboarding or offboarding");
    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_READ) {
        *out = json_pack("{s:[], s:n}", "items", "next");
        return XRM_OK;
    }
    if (kind) {
        c[nc].sql = "t.kind = ?";
        xrm_record_cond_text(&c[nc++], kind);
    }
    enum xrm_rc rc = xrm_record_db_list(ctx->db, &xrm_checklist_template_kind, c, nc,
                                        "t.kind DESC, t.name, t.id", XRM_LIST_MAX, 0, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

/* Checklists */

/* The role of party with id role, or NULL (a new reference). */
static enum xrm_rc role_of(struct xrm_db *db, int64_t party, int64_t role, json_t **out,
                           struct xrm_err *err)
{
    json_t *roles = NULL, *r;
    size_t i;
    *out = NULL;
    enum xrm_rc rc = xrm_role_array_for_party(db, party, &roles, err);
    json_array_foreach(roles, i, r)
    {
        if (json_integer_value(json_object_get(r, "id")) == role)
            *out = json_incref(r);
    }
    json_decref(roles);
    return rc;
}

static enum xrm_rc checklist_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                      json_t **rec_out, struct xrm_err *err)
{
    const struct xrm_record_kind *K = &xrm_checklist_kind;
    json_t *in = w->in, *rec = json_object(), *tpl = NULL, *role = NULL;
    enum xrm_rc rc = XRM_OK;
    int64_t party = 0, tid = 0, rid = 0;
    char today[XRM_DATE_LEN];

    if (before) { /* a checklist changes only through its items */
        rc = xrm_errf(err, XRM_E_INVALID, "a checklist changes only by ticking its items");
        goto out;
    }
    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    rc = xrm_records_party(db, in, "party", &party, err);
    if (rc)
        goto out;
    json_object_set_new(rec, "party", json_integer(party));
    if (xrm_json_get_int(in, NULL, "template", 1, INT64_MAX, true, &tid, err)) {
        struct xrm_err lerr = XRM_ERR_INIT;
        rc = xrm_record_db_load(db, &xrm_checklist_template_kind, tid, &tpl, &lerr);
        if (rc == XRM_E_NOTFOUND) {
            xrm_err_field(err, XRM_E_INVALID, "template", "no checklist template %lld",
                          (long long)tid);
            rc = XRM_OK;
        } else if (rc) {
            *err = lerr;
            goto out;
        }
    }
    if (xrm_json_get_int(in, NULL, "role", 1, INT64_MAX, false, &rid, err) && party) {
        rc = role_of(db, party, rid, &role, err);
        if (rc)
            goto out;
        if (!role || !is(str_of(role, "type"), "employee"))
            xrm_err_field(err, XRM_E_INVALID, "role", "is not an employee role of party %lld",
                          (long long)party);
    }
    json_object_set_new(rec, "role", rid ? json_integer(rid) : json_null());
    if (!xrm_record_read(K, "anchor_date", in, NULL, rec, err)) {
        xrm_clock_today(today);
        json_object_set_new(rec, "anchor_date", json_string(today));
    }
    if (tpl) {
        json_object_set_new(rec, "template", json_integer(tid));
        json_object_set(rec, "kind", json_object_get(tpl, "kind"));
        json_object_set(rec, "name", json_object_get(tpl, "name"));
        json_object_set(rec, "plan", json_object_get(tpl, "items"));
    }
out:
    json_decref(tpl);
    json_decref(role);
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

/* After the insert: each item of the plan becomes a task on the person, linked as item.<n>. */
static enum xrm_rc checklist_after(struct xrm_db *db, struct xrm_record_write *w,
                                   const char *action, json_t *before, json_t *rec,
                                   struct xrm_err *err)
{
    json_t *plan = json_object_get(rec, "plan"), *it;
    const char *anchor = str_of(rec, "anchor_date");
    enum xrm_rc rc = XRM_OK;
    size_t i;
    if (strcmp(action, "create") != 0)
        return XRM_OK;
    json_array_foreach(plan, i, it)
    {
        char due[XRM_DATE_LEN], kind[32];
        json_t *act = NULL;
        if (!xrm_date_add_days(anchor, json_integer_value(json_object_get(it, "offset_days")), due))
            xrm_strlcpy(due, anchor, sizeof(due));
        json_t *in = json_pack("{s:s, s:s, s:O, s:[O], s:s}", "type", "task", "domain", "hr",
                               "subject", json_object_get(it, "title"), "parties",
                               json_object_get(rec, "party"), "due", due);
        json_t *who = json_object_get(it, "who");
        if (json_is_integer(who))
            json_object_set(in, "assignee", who);
        rc = xrm_activity_insert_tx(db, w->user, in, "", &act, err);
        json_decref(in);
        snprintf(kind, sizeof(kind), "item.%zu", i);
        if (!rc)
            rc = xrm_records_link(db, json_integer_value(json_object_get(act, "id")), "checklist",
                                  w->id, kind, err);
        json_decref(act);
        if (rc)
            break;
    }
    return rc;
}

/* Reads the items' state from their tasks: items, progress, status; drops the stored plan. */
static enum xrm_rc decorate(struct xrm_db *db, json_t *c, struct xrm_err *err)
{
    json_t *rows = NULL, *plan = json_object_get(c, "plan"), *items = json_array(), *p;
    int64_t done = 0, total = 0;
    size_t n, i;
    enum xrm_rc rc = xrm_chk_db_items(db, json_integer_value(json_object_get(c, "id")), &rows, err);
    if (rc)
        goto out;
    json_array_foreach(plan, n, p)
    {
        json_t *row = NULL, *r;
        json_array_foreach(rows, i, r)
        {
            if (json_integer_value(json_array_get(r, 0)) == (json_int_t)n)
                row = r;
        }
        if (!row) /* its task was deleted */
            continue;
        bool is_done = json_integer_value(json_array_get(row, 4)) != 0;
        json_t *item = json_pack(
            "{s:I, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:b}", "n", (json_int_t)n + 1, "title",
            json_array_get(row, 2), "who", json_object_get(p, "who"), "offset_days",
            json_object_get(p, "offset_days"), "activity", json_array_get(row, 1), "due",
            json_array_get(row, 3), "assignee", json_array_get(row, 5), "assignee_name",
            json_array_get(row, 6), "done", is_done);
        json_object_set(item, "done_at", is_done ? json_array_get(row, 7) : json_null());
        json_object_set(item, "done_by", is_done ? json_array_get(row, 8) : json_null());
        json_object_set(item, "done_by_name", is_done ? json_array_get(row, 9) : json_null());
        json_array_append_new(items, item);
        total++;
        done += is_done;
    }
    json_object_set(c, "items", items);
    json_object_set_new(
        c, "progress",
        json_pack("{s:I, s:I}", "done", (json_int_t)done, "total", (json_int_t)total));
    json_object_set_new(c, "status", json_string(done == total ? "done" : "open"));
    json_object_del(c, "plan");
out:
    json_decref(items);
    json_decref(rows);
    return rc;
}

enum xrm_rc xrm_checklist_start_tx(struct xrm_db *db, const struct xrm_user *user, int64_t party,
                                   int64_t role, int64_t template_id, const char *anchor,
                                   json_t **out, struct xrm_err *err)
{
    json_t *in = json_pack("{s:I, s:I, s:s}", "party", (json_int_t)party, "template",
                           (json_int_t)template_id, "anchor_date", anchor);
    if (role)
        json_object_set_new(in, "role", json_integer(role));
    struct xrm_record_write w = {.ops = &xrm_checklist_ops, .user = user, .in = in};
    json_t *c = NULL;
    enum xrm_rc rc = xrm_record_in_tx(db, xrm_record_create_tx, &w, &c, err);
    json_decref(in);
    if (!rc)
        rc = decorate(db, c, err);
    if (!rc && out)
        *out = json_incref(c);
    json_decref(c);
    return rc;
}

/* What a reader gets: the items' state read from their tasks. */
static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    (void)w;
    (void)action;
    return decorate(ctx->db, *rec, err);
}

const struct xrm_record_ops xrm_checklist_ops = {
    .kind = &xrm_checklist_kind,
    .domain = "hr",
    .validate = checklist_validate,
    .after = checklist_after,
    .touch = xrm_party_touch,
    .view = view,
};

enum xrm_rc xrm_checklist_list(struct xrm_ctx *ctx, const struct xrm_checklist_filter *f, int limit,
                               const char *cursor, json_t **out, struct xrm_err *err)
{
    struct xrm_checklist_filter any = {0};
    int64_t before_id = 0, total = 0;
    json_t *items = NULL, *c;
    size_t i;
    if (!f)
        f = &any;
    if (f->status && !is(f->status, "open") && !is(f->status, "done"))
        xrm_err_field(err, XRM_E_MALFORMED, "status", "must be open or done");
    if (f->kind && !xrm_str_in(xrm_checklist_kinds, f->kind))
        xrm_err_field(err, XRM_E_MALFORMED, "kind", "must be onboarding or offboarding");
    xrm_records_cursor(cursor, &before_id, err);
    if (err->rc)
        return err->rc;
    if (xrm_access_level(&ctx->user, "hr") < XRM_LEVEL_READ) {
        *out = json_pack("{s:[], s:n, s:i}", "items", "next", "total", 0);
        return XRM_OK;
    }
    limit = xrm_records_limit(limit);
    enum xrm_rc rc =
        xrm_chk_db_list(ctx->db, f->status, f->kind, f->party, limit + 1, before_id, &items, err);
    if (!rc)
        rc = xrm_chk_db_count(ctx->db, f->status, f->kind, f->party, &total, err);
    json_array_foreach(items, i, c)
    {
        if (!rc)
            rc = decorate(ctx->db, c, err);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = xrm_records_page(items, limit);
    json_object_set_new(*out, "total", json_integer(total));
    return XRM_OK;
}

enum xrm_rc xrm_checklist_tick(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                               struct xrm_err *err)
{
    static const char *const keys[] = {"n", "done", NULL};
    json_t *c = NULL, *act = NULL;
    int64_t activity = 0, n = 0;
    bool done = false;
    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    xrm_json_only_keys(in, NULL, keys, err);
    xrm_json_get_int(in, NULL, "n", 1, ITEMS_MAX, true, &n, err);
    xrm_json_get_bool(in, NULL, "done", true, &done, err);
    if (err->rc)
        return err->rc;
    enum xrm_rc rc = xrm_record_get(ctx, &xrm_checklist_ops, id, &c, err);
    json_decref(c);
    if (!rc)
        rc = xrm_access_write(&ctx->user, "hr", err);
    if (!rc)
        rc = xrm_chk_db_item_activity(ctx->db, id, (int)n - 1, &activity, err);
    if (!rc && !activity)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no item %lld of checklist %lld", (long long)n,
                      (long long)id);
    if (rc)
        return rc;
    json_t *patch = json_pack("{s:b}", "done", done);
    rc = xrm_activity_update(ctx, activity, 0, patch, &act, err);
    json_decref(patch);
    json_decref(act);
    if (!rc)
        rc = xrm_record_op_get(ctx, &xrm_checklist_ops, id, out, err);
    return rc;
}

/* The role listener */

/* Starts the auto_start templates of kind for role from anchor, once per role and kind. */
static enum xrm_rc start_kind(struct xrm_db *db, const struct xrm_user *user, json_t *role,
                              const char *kind, const char *anchor, struct xrm_err *err)
{
    char today[XRM_DATE_LEN], oldest[XRM_DATE_LEN];
    json_t *ids = NULL, *id;
    bool has = false;
    size_t i;
    int64_t role_id = json_integer_value(json_object_get(role, "id"));
    xrm_clock_today(today);
    xrm_date_add_days(today, -XRM_CHECKLIST_PAST_DAYS, oldest);
    if (strcmp(anchor, oldest) < 0)
        return XRM_OK;
    enum xrm_rc rc = xrm_chk_db_role_has(db, role_id, kind, &has, err);
    if (rc || has)
        return rc;
    rc = xrm_chk_db_auto_templates(db, kind, &ids, err);
    json_array_foreach(ids, i, id)
    {
        if (!rc)
            rc =
                xrm_checklist_start_tx(db, user, json_integer_value(json_object_get(role, "party")),
                                       role_id, json_integer_value(id), anchor, NULL, err);
    }
    json_decref(ids);
    return rc;
}

/* The role's end: attributes.end_date, else until; NULL when it has none. */
static const char *end_of(json_t *role)
{
    const char *e = str_of(json_object_get(role, "attributes"), "end_date");
    return e ? e : str_of(role, "until");
}

enum xrm_rc xrm_checklist_on_role(struct xrm_db *db, const struct xrm_user *user, json_t *before,
                                  json_t *after, struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    enum xrm_rc rc = XRM_OK;
    if (!after || !is(str_of(after, "type"), "employee"))
        return XRM_OK;
    const char *st = str_of(after, "status"), *was = before ? str_of(before, "status") : NULL;
    xrm_clock_today(today);
    if (is(st, "active") && (!was || is(was, "applicant") || is(was, "rejected"))) {
        /* a hire has a start date; an employee typed in without one is not prepared for */
        const char *start = str_of(json_object_get(after, "attributes"), "start_date");
        if (!start)
            start = str_of(after, "since");
        if (start)
            rc = start_kind(db, user, after, "onboarding", start, err);
    }
    const char *end = end_of(after), *had = before ? end_of(before) : NULL;
    /* a role created as former is a leaver typed in, not one to prepare */
    bool leaves = before && is(st, "former") && !is(was, "former");
    bool dated = before && end && !is(st, "applicant") && !is(st, "rejected") && !is(end, had);
    if (!rc && (leaves || dated))
        rc = start_kind(db, user, after, "offboarding", end ? end : today, err);
    return rc;
}
