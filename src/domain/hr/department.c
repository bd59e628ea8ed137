/*
 * Departments: the record kind (generic SQL of domain/base/record.h) with
 * the rules of a tree: names unique under one parent, no parent below the
 * department itself, no delete while members or children remain; and the
 * org chart built from the departments and the active employee roles.
 */
#include "domain/hr/department.h"
#include "domain/hr/department-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/records/records.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define NAME_MAX 100
#define COST_CENTRE_MAX 40
#define DEPTH_MAX 1000 /* a walk up the tree longer than this is a cycle already stored */

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("d"),
    {.name = "name",
     .column = "d.name",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = NAME_MAX},
    {.name = "parent",
     .column = "d.parent_id",
     .type = XRM_FT_REF,
     .flags = XRM_FF_NULLABLE,
     .min = 1,
     .doc = "the department above this one; null at the top"},
    {.name = "manager",
     .column = "d.manager_id",
     .type = XRM_FT_PARTY,
     .flags = XRM_FF_NULLABLE,
     .min = 1,
     .doc = "the party who heads the department"},
    {.name = "manager_name",
     .column = "p.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_READONLY | XRM_FF_NULLABLE},
    {.name = "cost_centre",
     .column = "d.cost_centre",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE | XRM_FF_TRIM,
     .max = COST_CENTRE_MAX},
    {.name = "version",
     .column = "d.version",
     .type = XRM_FT_INT,
     .col = XRM_FC_VERSION,
     .flags = XRM_FF_READONLY,
     .min = 1},
    {.name = "created_at",
     .column = "d.created_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_CREATED_AT,
     .flags = XRM_FF_READONLY},
    {.name = "updated_at",
     .column = "d.updated_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_UPDATED_AT,
     .flags = XRM_FF_READONLY},
};

const struct xrm_record_kind xrm_department_kind = {
    .name = "department",
    .table = "departments",
    .alias = "d",
    .from = " FROM departments d LEFT JOIN parties p ON p.id = d.manager_id",
    .title = "Department",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

/* A parent that is the department itself or lies below it makes a cycle. */
static enum xrm_rc check_parent(struct xrm_db *db, int64_t self, int64_t parent,
                                struct xrm_err *err)
{
    bool found = false;
    int64_t at = parent;
    enum xrm_rc rc = xrm_dept_db_parent(db, parent, &at, &found, err);
    if (rc)
        return rc;
    if (!found)
        return xrm_err_field(err, XRM_E_INVALID, "parent", "no department %lld", (long long)parent);
    for (int i = 0; self && i < DEPTH_MAX; i++) {
        if (parent == self)
            return xrm_err_field(err, XRM_E_INVALID, "parent",
                                 "cannot be the department itself or one below it");
        if (!at)
            return XRM_OK;
        parent = at;
        rc = xrm_dept_db_parent(db, parent, &at, &found, err);
        if (rc)
            return rc;
    }
    return XRM_OK;
}

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"name", "parent", "cost_centre", NULL};
    const struct xrm_record_kind *K = &xrm_department_kind;
    json_t *in = w->in, *rec = json_object(), *tmp = json_object();
    int nf = err->nfields;
    enum xrm_rc rc = XRM_OK;
    int64_t id = 0;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    xrm_record_read_all(K, plain, in, before, rec, err);
    int64_t parent = json_integer_value(json_object_get(rec, "parent"));
    if (parent) {
        int before_parent = err->nfields;
        rc = check_parent(db, before ? w->id : 0, parent, err);
        if (rc && err->nfields == before_parent)
            goto out; /* the database failed */
        rc = XRM_OK;
    }
    json_t *m = json_object_get(in, "manager");
    if (!m && before)
        m = json_object_get(before, "manager");
    if (m && !json_is_null(m)) {
        json_object_set(tmp, "manager", m);
        rc = xrm_records_party(db, tmp, "manager", &id, err);
        if (rc)
            goto out;
    }
    json_object_set_new(rec, "manager", id ? json_integer(id) : json_null());
    const char *name = json_string_value(json_object_get(rec, "name"));
    if (name && !*name)
        xrm_err_field(err, XRM_E_INVALID, "name", "is required");
    else if (name && err->nfields == nf) {
        int64_t other = 0;
        rc = xrm_dept_db_taken(db, parent, name, before ? w->id : 0, &other, err);
        if (rc)
            goto out;
        if (other)
            xrm_err_field(err, XRM_E_CONFLICT, "name",
                          "a department named '%s' already exists there", name);
    }
out:
    json_decref(tmp);
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

/* A department is deleted only once no employee and no department is under it. */
static enum xrm_rc may_delete(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                              struct xrm_err *err)
{
    int64_t children = 0, members = 0;
    (void)before;
    enum xrm_rc rc = xrm_dept_db_usage(db, w->id, &children, &members, err);
    if (rc)
        return rc;
    if (members)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "department %lld still has %lld employees; move them to another "
                        "department first",
                        (long long)w->id, (long long)members);
    if (children)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "department %lld still has %lld departments below it; move or delete "
                        "them first",
                        (long long)w->id, (long long)children);
    return XRM_OK;
}

const struct xrm_record_ops xrm_department_ops = {
    .kind = &xrm_department_kind,
    .domain = "hr",
    .validate = validate,
    .may_delete_db = may_delete,
};

static enum xrm_rc hr_reader(const struct xrm_user *u, struct xrm_err *err)
{
    if (xrm_access_level(u, "hr") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "no read access to domain '%s'", "hr");
    return XRM_OK;
}

enum xrm_rc xrm_department_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = hr_reader(&ctx->user, err);
    if (!rc)
        rc = xrm_dept_db_all(ctx->db, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

enum xrm_rc xrm_department_exists(struct xrm_db *db, int64_t id, bool *exists, struct xrm_err *err)
{
    int64_t parent = 0;
    *exists = false;
    return xrm_dept_db_parent(db, id, &parent, exists, err);
}

/* Org chart. */

static json_t *member_of(json_t *s)
{
    json_t *m = json_object_get(s, "manager");
    char *end = NULL;
    long long mid = json_is_string(m) ? strtoll(json_string_value(m), &end, 10) : 0;
    return json_pack("{s:O, s:O, s:O, s:o}", "id", json_object_get(s, "id"), "name",
                     json_object_get(s, "name"), "job_title", json_object_get(s, "job_title"),
                     "manager", mid > 0 && end && !*end ? json_integer(mid) : json_null());
}

/*
 * The chart is built in one pass: the staff grouped by department and the
 * departments by parent once (an index sorted by key, then by position, so
 * each group keeps the order of its list), then each node takes its group.
 */
struct org_idx {
    int64_t key;
    size_t pos;
};

struct org {
    json_t *depts, *staff;
    struct org_idx *by_dept, *by_parent; /* staff by department, departments by parent */
    size_t n_by_dept, n_by_parent;
    char *placed;
};

static int org_idx_cmp(const void *a, const void *b)
{
    const struct org_idx *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The first entry of v (n, sorted) with key, or n. */
static size_t org_idx_first(const struct org_idx *v, size_t n, int64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * The department id a staff member's "department" text names: exactly the
 * decimal form of a positive id (as the chart always compared it), else 0.
 */
static int64_t staff_dept(json_t *s)
{
    const char *dep = json_string_value(json_object_get(s, "department"));
    char *end = NULL, again[24];
    if (!dep || *dep < '1' || *dep > '9')
        return 0;
    long long v = strtoll(dep, &end, 10);
    if (!end || *end || v <= 0)
        return 0;
    snprintf(again, sizeof(again), "%lld", v);
    return strcmp(again, dep) == 0 ? (int64_t)v : 0;
}

/* The node of department d (an object of xrm_dept_db_all) with its subtree, depth-limited. */
static json_t *node_of(json_t *d, struct org *o, int depth)
{
    int64_t id = json_integer_value(json_object_get(d, "id"));
    json_t *members = json_array(), *children = json_array();
    for (size_t k = org_idx_first(o->by_dept, o->n_by_dept, id);
         k < o->n_by_dept && o->by_dept[k].key == id; k++) {
        size_t i = o->by_dept[k].pos;
        json_array_append_new(members, member_of(json_array_get(o->staff, i)));
        o->placed[i] = 1;
    }
    if (depth < DEPTH_MAX)
        for (size_t k = org_idx_first(o->by_parent, o->n_by_parent, id);
             k < o->n_by_parent && o->by_parent[k].key == id; k++)
            json_array_append_new(
                children, node_of(json_array_get(o->depts, o->by_parent[k].pos), o, depth + 1));
    json_t *mgr = json_is_integer(json_object_get(d, "manager"))
                      ? json_pack("{s:O, s:O}", "id", json_object_get(d, "manager"), "name",
                                  json_object_get(d, "manager_name"))
                      : json_null();
    return json_pack("{s:{s:I, s:O, s:O}, s:o, s:o, s:o}", "department", "id", (json_int_t)id,
                     "name", json_object_get(d, "name"), "cost_centre",
                     json_object_get(d, "cost_centre"), "manager", mgr, "members", members,
                     "children", children);
}

static void org_index(struct org *o)
{
    size_t i, ns = json_array_size(o->staff), nd = json_array_size(o->depts);
    json_t *x;
    o->by_dept = xrm_calloc(ns + 1, sizeof(*o->by_dept));
    o->by_parent = xrm_calloc(nd + 1, sizeof(*o->by_parent));
    json_array_foreach(o->staff, i, x)
    {
        int64_t dep = staff_dept(x);
        if (dep > 0)
            o->by_dept[o->n_by_dept++] = (struct org_idx){dep, i};
    }
    json_array_foreach(o->depts, i, x)
    {
        int64_t parent = json_integer_value(json_object_get(x, "parent"));
        if (parent > 0)
            o->by_parent[o->n_by_parent++] = (struct org_idx){parent, i};
    }
    qsort(o->by_dept, o->n_by_dept, sizeof(*o->by_dept), org_idx_cmp);
    qsort(o->by_parent, o->n_by_parent, sizeof(*o->by_parent), org_idx_cmp);
}

enum xrm_rc xrm_org_chart(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = json_array(), *unplaced = json_array(), *d;
    struct org o = {0};
    size_t i;
    enum xrm_rc rc = hr_reader(&ctx->user, err);
    if (!rc)
        rc = xrm_dept_db_all(ctx->db, &o.depts, err);
    if (!rc)
        rc = xrm_dept_db_staff(ctx->db, &o.staff, err);
    if (rc)
        goto out;
    o.placed = xrm_calloc(json_array_size(o.staff) + 1, 1);
    org_index(&o);
    json_array_foreach(o.depts, i, d)
    {
        if (json_is_null(json_object_get(d, "parent")))
            json_array_append_new(items, node_of(d, &o, 0));
    }
    json_array_foreach(o.staff, i, d)
    {
        if (!o.placed[i])
            json_array_append_new(unplaced, member_of(d));
    }
    *out = json_pack("{s:O, s:O}", "items", items, "unplaced", unplaced);
out:
    free(o.placed);
    free(o.by_dept);
    free(o.by_parent);
    json_decref(o.depts);
    json_decref(o.staff);
    json_decref(items);
    json_decref(unplaced);
    return rc;
}
