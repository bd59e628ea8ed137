/*
 * Record kinds: reading input fields by their description, and the JSON
 * Schema of a kind. The SQL a description generates is in record-db.c.
 */
#include "domain/base/record.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "core/clock.h"
#include "core/util.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/validate.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define ENUM_LEN_MAX 64
#define DATE_LEN_MAX 16
#define DATETIME_LEN_MAX 64
#define CURRENCY_LEN_MAX 8

const struct xrm_field *xrm_record_field(const struct xrm_record_kind *k, const char *name)
{
    for (size_t i = 0; name && i < k->nfields; i++)
        if (strcmp(k->fields[i].name, name) == 0)
            return &k->fields[i];
    return NULL;
}

void xrm_record_known_keys(const struct xrm_record_kind *k, json_t *in, struct xrm_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        const struct xrm_field *f = xrm_record_field(k, key);
        if (!f || (f->flags & XRM_FF_HIDDEN))
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }
}

/* "a, b, c" into b. */
static void join_values(struct xrm_buf *b, const char *const *values)
{
    for (size_t i = 0; values && values[i]; i++) {
        if (i)
            xrm_buf_adds(b, ", ");
        xrm_buf_adds(b, values[i]);
    }
}

json_t *xrm_record_trimmed(const char *s)
{
    size_t n = strlen(s);
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    return json_stringn(s, n);
}

/* The default of f as a JSON value of its type. */
static json_t *default_of(const struct xrm_field *f)
{
    switch (f->type) {
    case XRM_FT_INT:
    case XRM_FT_MONEY:
    case XRM_FT_REF:
    case XRM_FT_PARTY:
    case XRM_FT_USER:
        return json_integer(strtoll(f->dflt, NULL, 10));
    case XRM_FT_BOOL:
        return json_boolean(strcmp(f->dflt, "true") == 0);
    case XRM_FT_JSON:
        return xrm_json_load_stored(f->dflt, f->dflt[0] == '[');
    default:
        return json_string(f->dflt);
    }
}

/* Reads field f from tmp (which holds the picked value) into rec. */
static bool read_field(const struct xrm_field *f, json_t *tmp, json_t *rec, struct xrm_err *err)
{
    const char *s = NULL;
    int64_t n = 0;
    bool b = false, req = (f->flags & XRM_FF_REQUIRED) != 0;
    char t[64];
    struct xrm_buf msg = XRM_BUF_INIT;
    json_t *v = json_object_get(tmp, f->name);

    if ((!v || json_is_null(v)) && f->dflt) {
        json_object_set_new(rec, f->name, default_of(f));
        return true;
    }
    switch (f->type) {
    case XRM_FT_TEXT:
        if (!xrm_json_get_str(tmp, NULL, f->name, (size_t)f->max, req, &s, err))
            break;
        if (f->valid && !f->valid(s)) {
            xrm_err_field(err, XRM_E_INVALID, f->name, "is not valid");
            break;
        }
        json_object_set_new(rec, f->name,
                            (f->flags & XRM_FF_TRIM) ? xrm_record_trimmed(s) : json_string(s));
        return true;
    case XRM_FT_ENUM:
    case XRM_FT_DOMAIN: {
        const char *const *values = f->type == XRM_FT_DOMAIN ? xrm_domains : f->values;
        if (xrm_json_get_str(tmp, NULL, f->name, f->max ? (size_t)f->max : ENUM_LEN_MAX, req, &s,
                             err) &&
            !xrm_str_in(values, s)) {
            join_values(&msg, values);
            xrm_err_field(err, XRM_E_INVALID, f->name, "must be one of %s", msg.s);
            xrm_buf_release(&msg);
            break;
        }
        if (!s)
            break;
        json_object_set_new(rec, f->name, json_string(s));
        return true;
    }
    case XRM_FT_CURRENCY:
        if (xrm_json_get_str(tmp, NULL, f->name, CURRENCY_LEN_MAX, req, &s, err) && f->valid &&
            !f->valid(s)) {
            xrm_err_field(err, XRM_E_INVALID, f->name,
                          "'%.8s' is not an ISO 4217 currency code such as EUR", s);
            break;
        }
        if (!s)
            break;
        json_object_set_new(rec, f->name, json_string(s));
        return true;
    case XRM_FT_DATE:
        if (!xrm_json_get_str(tmp, NULL, f->name, DATE_LEN_MAX, req, &s, err))
            break;
        if (!xrm_valid_date(s)) {
            xrm_err_field(err, XRM_E_INVALID, f->name, "must be a date (YYYY-MM-DD)");
            break;
        }
        json_object_set_new(rec, f->name, json_string(s));
        return true;
    case XRM_FT_DATETIME:
        if (!xrm_json_get_str(tmp, NULL, f->name, DATETIME_LEN_MAX, req, &s, err))
            break;
        if (!xrm_norm_datetime(s, t, sizeof(t))) {
            xrm_err_field(err, XRM_E_INVALID, f->name,
                          "must be an RFC 3339 date-time such as 2027-01-15T09:00:00Z");
            break;
        }
        json_object_set_new(rec, f->name, json_string(t));
        return true;
    case XRM_FT_INT:
    case XRM_FT_MONEY:
    case XRM_FT_REF:
    case XRM_FT_PARTY:
    case XRM_FT_USER:
        if (!xrm_json_get_int(tmp, NULL, f->name, f->min, f->max ? f->max : INT64_MAX, req, &n,
                              err))
            break;
        json_object_set_new(rec, f->name, json_integer(n));
        return true;
    case XRM_FT_BOOL:
        if (!xrm_json_get_bool(tmp, NULL, f->name, req, &b, err))
            break;
        json_object_set_new(rec, f->name, json_boolean(b));
        return true;
    case XRM_FT_JSON: {
        if (!v || json_is_null(v)) {
            if (req)
                xrm_err_field(err, XRM_E_INVALID, f->name, "is required");
            break;
        }
        json_object_set(rec, f->name, v);
        return true;
    }
    }
    if (!json_object_get(rec, f->name))
        json_object_set_new(rec, f->name, json_null());
    return false;
}

bool xrm_record_read(const struct xrm_record_kind *k, const char *name, json_t *in, json_t *before,
                     json_t *rec, struct xrm_err *err)
{
    const struct xrm_field *f = xrm_record_field(k, name);
    if (!f) {
        xrm_err_field(err, XRM_E_INTERNAL, name, "is not a field of %s", k->name);
        return false;
    }
    json_t *v = json_object_get(in, name);
    if (!v && before)
        v = json_object_get(before, name);
    json_t *tmp = json_object();
    if (v)
        json_object_set(tmp, name, v);
    bool ok = read_field(f, tmp, rec, err);
    json_decref(tmp);
    return ok;
}

void xrm_record_read_all(const struct xrm_record_kind *k, const char *const *names, json_t *in,
                         json_t *before, json_t *rec, struct xrm_err *err)
{
    for (size_t i = 0; names[i]; i++)
        xrm_record_read(k, names[i], in, before, rec, err);
}

/* Schema */

static json_t *field_schema(const struct xrm_field *f, bool request)
{
    json_t *p = json_object();
    const char *type = "string", *format = NULL;
    const char *const *values = NULL;
    switch (f->type) {
    case XRM_FT_TEXT:
        if (f->max)
            json_object_set_new(p, "maxLength", json_integer(f->max));
        break;
    case XRM_FT_ENUM:
        values = f->values;
        break;
    case XRM_FT_DOMAIN:
        values = xrm_domains;
        break;
    case XRM_FT_CURRENCY:
        json_object_set_new(p, "pattern", json_string("^[A-Z]{3}$"));
        break;
    case XRM_FT_DATE:
        format = "date";
        break;
    case XRM_FT_DATETIME:
        format = "date-time";
        break;
    case XRM_FT_INT:
    case XRM_FT_MONEY:
    case XRM_FT_REF:
    case XRM_FT_PARTY:
    case XRM_FT_USER:
        type = "integer";
        format = "int64";
        json_object_set_new(p, "minimum", json_integer(f->min));
        if (f->max)
            json_object_set_new(p, "maximum", json_integer(f->max));
        break;
    case XRM_FT_BOOL:
        type = "boolean";
        break;
    case XRM_FT_JSON:
        type = NULL;
        break;
    }
    bool nullable = (f->flags & XRM_FF_NULLABLE) != 0;
    /* a request may send null to clear an optional field */
    if (request && !(f->flags & XRM_FF_REQUIRED))
        nullable = true;
    if (type)
        json_object_set_new(p, "type",
                            nullable ? json_pack("[s, s]", type, "null") : json_string(type));
    if (format)
        json_object_set_new(p, "format", json_string(format));
    if (values) {
        json_t *e = json_array();
        for (size_t i = 0; values[i]; i++)
            json_array_append_new(e, json_string(values[i]));
        if (nullable && type)
            json_array_append_new(e, json_null()); /* "enum" must list null as "type" does */
        json_object_set_new(p, "enum", e);
    }
    if (f->dflt && request)
        json_object_set_new(p, "default", default_of(f));
    if (!request && (f->flags & XRM_FF_READONLY))
        json_object_set_new(p, "readOnly", json_true());
    if (f->flags & XRM_FF_SENSITIVE)
        json_object_set_new(p, "x-sensitive", json_true());
    if (f->doc)
        json_object_set_new(p, "description", json_string(f->doc));
    return p;
}

json_t *xrm_record_schema(const struct xrm_record_kind *k, bool request)
{
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < k->nfields; i++) {
        const struct xrm_field *f = &k->fields[i];
        if (f->flags & XRM_FF_HIDDEN)
            continue;
        if (request && (f->flags & XRM_FF_READONLY))
            continue;
        if (!request && (f->flags & XRM_FF_INPUT))
            continue;
        json_object_set_new(props, f->name, field_schema(f, request));
        if (!request || (f->flags & XRM_FF_REQUIRED))
            json_array_append_new(req, json_string(f->name));
    }
    json_t *s = json_object();
    json_object_set_new(s, "type", json_string("object"));
    if (k->title)
        json_object_set_new(s, "title", json_string(k->title));
    if (json_array_size(req))
        json_object_set_new(s, "required", req);
    else
        json_decref(req);
    json_object_set_new(s, "properties", props);
    return s;
}

/* Writes */

enum xrm_rc xrm_record_check_version(json_t *row, int64_t if_version, struct xrm_err *err)
{
    int64_t v = json_integer_value(json_object_get(row, "version"));
    if (if_version && v != if_version)
        return xrm_errf(err, XRM_E_PRECONDITION, "version is %lld, not %lld", (long long)v,
                        (long long)if_version);
    return XRM_OK;
}

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *domain_of(const struct xrm_record_ops *ops, json_t *rec)
{
    return ops->domain ? ops->domain : json_string_value(json_object_get(rec, "domain"));
}

enum xrm_rc xrm_record_load(struct xrm_db *db, const struct xrm_record_ops *ops, int64_t id,
                            json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_record_db_load(db, ops->kind, id, out, err);
    if (!rc && ops->shape)
        ops->shape(*out);
    return rc;
}

/* The kind's row id loaded into *before behind its read and write gates and If-Match. */
static enum xrm_rc load_for_write(struct xrm_db *db, struct xrm_record_write *w, json_t **before,
                                  struct xrm_err *err)
{
    const struct xrm_record_ops *ops = w->ops;
    enum xrm_rc rc = XRM_OK;
    if (ops->domain && !ops->no_domain)
        rc = xrm_access_read(w->user, ops->domain, ops->kind->name, w->id, err);
    if (!rc)
        rc = xrm_record_load(db, ops, w->id, before, err);
    if (!rc && !ops->domain && !ops->no_domain)
        rc = xrm_access_read(w->user, domain_of(ops, *before), ops->kind->name, w->id, err);
    if (!rc && !ops->no_domain)
        rc = xrm_access_write(w->user, domain_of(ops, *before), err);
    if (!rc)
        rc = xrm_record_check_version(*before, w->if_version, err);
    return rc;
}

/* Validation, with the write gate before it (fixed domain) or on its result. */
static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec, struct xrm_err *err)
{
    const struct xrm_record_ops *ops = w->ops;
    enum xrm_rc rc = XRM_OK;
    if (ops->domain && !ops->no_domain && !before)
        rc = xrm_access_write(w->user, ops->domain, err);
    int nf = err ? err->nfields : 0;
    if (!rc)
        rc = ops->validate(db, w, before, rec, err);
    if (!rc && err && err->nfields > nf)
        rc = err->rc ? err->rc : XRM_E_INVALID;
    if (rc) {
        json_decref(*rec);
        *rec = NULL;
    }
    if (!rc && !ops->domain && !ops->no_domain)
        rc = xrm_access_write(w->user, domain_of(ops, *rec), err);
    return rc;
}

/* The party of rec (and of before, when it changed) touched. */
static enum xrm_rc touch(struct xrm_db *db, const struct xrm_record_ops *ops, json_t *before,
                         json_t *rec, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (!ops->touch)
        return XRM_OK;
    if (rec)
        rc = ops->touch(db, int_of(rec, "party"), err);
    if (!rc && before && (!rec || int_of(before, "party") != int_of(rec, "party")))
        rc = ops->touch(db, int_of(before, "party"), err);
    return rc;
}

enum xrm_rc xrm_record_create_tx(struct xrm_db *db, struct xrm_record_write *w, struct xrm_err *err)
{
    const struct xrm_record_ops *ops = w->ops;
    json_t *rec = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = validate(db, w, NULL, &rec, err);
    if (rc)
        goto out;
    if (ops->business_time)
        xrm_clock_now(now);
    else
        xrm_now(now);
    rc = xrm_record_db_insert(db, ops->kind, rec, w->user ? w->user->id : 0, now, &w->id, err);
    if (!rc && ops->after)
        rc = ops->after(db, w, "create", NULL, rec, err);
    if (!rc)
        rc = touch(db, ops, NULL, rec, err);
    if (!rc)
        rc = xrm_record_load(db, ops, w->id, &w->out, err);
    if (!rc)
        rc = xrm_audit_add(db, w->user, "create", ops->kind->name, w->id, NULL, w->out, err);
out:
    json_decref(rec);
    return rc;
}

enum xrm_rc xrm_record_update_tx(struct xrm_db *db, struct xrm_record_write *w, struct xrm_err *err)
{
    const struct xrm_record_ops *ops = w->ops;
    json_t *before = NULL, *rec = NULL;
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = load_for_write(db, w, &before, err);
    if (!rc)
        rc = validate(db, w, before, &rec, err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_record_db_update(db, ops->kind, w->id, rec, now, err);
    if (!rc && ops->after)
        rc = ops->after(db, w, "update", before, rec, err);
    if (!rc)
        rc = touch(db, ops, before, rec, err);
    if (!rc) {
        json_decref(w->out);
        w->out = NULL;
        rc = xrm_record_load(db, ops, w->id, &w->out, err);
    }
    if (!rc)
        rc = xrm_audit_add(db, w->user, "update", ops->kind->name, w->id, before, w->out, err);
out:
    json_decref(before);
    json_decref(rec);
    return rc;
}

enum xrm_rc xrm_record_delete_tx(struct xrm_db *db, struct xrm_record_write *w, struct xrm_err *err)
{
    const struct xrm_record_ops *ops = w->ops;
    json_t *before = NULL;
    enum xrm_rc rc = load_for_write(db, w, &before, err);
    if (!rc && ops->may_delete)
        rc = ops->may_delete(before, err);
    if (!rc && ops->may_delete_db)
        rc = ops->may_delete_db(db, w, before, err);
    if (!rc)
        rc = xrm_record_db_delete(db, ops->kind, w->id, err);
    if (!rc && ops->after)
        rc = ops->after(db, w, "delete", before, NULL, err);
    if (!rc)
        rc = touch(db, ops, before, NULL, err);
    if (!rc)
        rc = xrm_audit_add(db, w->user, "delete", ops->kind->name, w->id, before, NULL, err);
    if (!rc) /* documents on records: last, their files cannot come back */
        rc = xrm_record_deleted(db, ops->kind->name, w->id, err);
    json_decref(before);
    return rc;
}

/* documents on records: the function domain/hooks.c gives (record.h) */
static xrm_record_deleted_fn *deleted_fn;

void xrm_record_deleted_set(xrm_record_deleted_fn *fn)
{
    deleted_fn = fn;
}

enum xrm_rc xrm_record_deleted(struct xrm_db *db, const char *kind, int64_t id, struct xrm_err *err)
{
    if (!deleted_fn)
        return xrm_errf(err, XRM_E_INTERNAL, "no documents hook");
    return deleted_fn(db, kind, id, NULL, err);
}

enum xrm_rc xrm_record_create_fn(struct xrm_db *db, void *w, struct xrm_err *err)
{
    return xrm_record_create_tx(db, w, err);
}

enum xrm_rc xrm_record_update_fn(struct xrm_db *db, void *w, struct xrm_err *err)
{
    return xrm_record_update_tx(db, w, err);
}

enum xrm_rc xrm_record_delete_fn(struct xrm_db *db, void *w, struct xrm_err *err)
{
    return xrm_record_delete_tx(db, w, err);
}

enum xrm_rc xrm_record_write(struct xrm_ctx *ctx, xrm_write_fn fn, struct xrm_record_write *w,
                             json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_store_write(ctx->store, fn, w, err);
    if (!rc && out) {
        *out = w->out;
        w->out = NULL;
    }
    json_decref(w->out);
    w->out = NULL;
    return rc;
}

enum xrm_rc xrm_record_create(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, json_t *in,
                              void *arg, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write w = {.ops = ops, .user = &ctx->user, .in = in, .arg = arg};
    return xrm_record_write(ctx, xrm_record_create_fn, &w, out, err);
}

enum xrm_rc xrm_record_update(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                              int64_t if_version, json_t *patch, void *arg, json_t **out,
                              struct xrm_err *err)
{
    struct xrm_record_write w = {.ops = ops,
                                 .user = &ctx->user,
                                 .id = id,
                                 .if_version = if_version,
                                 .in = patch,
                                 .arg = arg};
    return xrm_record_write(ctx, xrm_record_update_fn, &w, out, err);
}

enum xrm_rc xrm_record_delete(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                              int64_t if_version, void *arg, struct xrm_err *err)
{
    struct xrm_record_write w = {
        .ops = ops, .user = &ctx->user, .id = id, .if_version = if_version, .arg = arg};
    return xrm_record_write(ctx, xrm_record_delete_fn, &w, NULL, err);
}

enum xrm_rc xrm_record_in_tx(struct xrm_db *db,
                             enum xrm_rc (*fn)(struct xrm_db *, struct xrm_record_write *,
                                               struct xrm_err *),
                             struct xrm_record_write *w, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = fn(db, w, err);
    if (!rc && out) {
        *out = w->out;
        w->out = NULL;
    }
    json_decref(w->out);
    w->out = NULL;
    return rc;
}

enum xrm_rc xrm_record_get(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                           json_t **out, struct xrm_err *err)
{
    json_t *o = NULL;
    enum xrm_rc rc = XRM_OK;
    if (ops->domain && !ops->no_domain)
        rc = xrm_access_read(&ctx->user, ops->domain, ops->kind->name, id, err);
    if (!rc)
        rc = xrm_record_load(ctx->db, ops, id, &o, err);
    if (!rc && !ops->domain && !ops->no_domain)
        rc = xrm_access_read(&ctx->user, domain_of(ops, o), ops->kind->name, id, err);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return XRM_OK;
}

/* Plain operations: the generic read or write between the kind's begin, view and end. */

enum op { OP_GET, OP_CREATE, OP_UPDATE, OP_DELETE };

static enum xrm_rc op_run(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, enum op op,
                          int64_t id, int64_t if_version, json_t *in, json_t **out,
                          struct xrm_err *err)
{
    static const char *const actions[] = {"get", "create", "update", "delete"};
    const char *action = actions[op];
    struct xrm_record_write w = {
        .ops = ops, .user = &ctx->user, .id = id, .if_version = if_version, .in = in};
    json_t *rec = NULL;
    enum xrm_rc rc = XRM_OK;

    if (ops->arg_size)
        w.arg = xrm_calloc(1, ops->arg_size);
    if (ops->begin)
        rc = ops->begin(ctx, &w, action, err);
    if (rc)
        goto out;
    switch (op) {
    case OP_GET:
        rc = xrm_record_get(ctx, w.ops, id, &rec, err);
        break;
    case OP_CREATE:
        rc = xrm_record_write(ctx, xrm_record_create_fn, &w, &rec, err);
        break;
    case OP_UPDATE:
        rc = xrm_record_write(ctx, xrm_record_update_fn, &w, &rec, err);
        break;
    case OP_DELETE:
        rc = xrm_record_write(ctx, xrm_record_delete_fn, &w, NULL, err);
        break;
    }
    if (!rc && rec && ops->view)
        rc = ops->view(ctx, &w, action, &rec, err);
out:
    if (ops->end)
        ops->end(&w);
    free(w.arg);
    if (!rc && out) {
        *out = rec;
        rec = NULL;
    }
    json_decref(rec);
    return rc;
}

enum xrm_rc xrm_record_op_get(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                              json_t **out, struct xrm_err *err)
{
    return op_run(ctx, ops, OP_GET, id, 0, NULL, out, err);
}

enum xrm_rc xrm_record_op_create(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, json_t *in,
                                 json_t **out, struct xrm_err *err)
{
    return op_run(ctx, ops, OP_CREATE, 0, 0, in, out, err);
}

enum xrm_rc xrm_record_op_update(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                                 int64_t if_version, json_t *patch, json_t **out,
                                 struct xrm_err *err)
{
    return op_run(ctx, ops, OP_UPDATE, id, if_version, patch, out, err);
}

enum xrm_rc xrm_record_op_delete(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                                 int64_t if_version, struct xrm_err *err)
{
    return op_run(ctx, ops, OP_DELETE, id, if_version, NULL, NULL, err);
}

static enum xrm_rc in_tx(struct xrm_db *db,
                         enum xrm_rc (*fn)(struct xrm_db *, struct xrm_record_write *,
                                           struct xrm_err *),
                         struct xrm_record_write *w, json_t **out, struct xrm_err *err)
{
    if (w->ops->arg_size)
        w->arg = xrm_calloc(1, w->ops->arg_size);
    const struct xrm_record_ops *ops = w->ops;
    enum xrm_rc rc = xrm_record_in_tx(db, fn, w, out, err);
    if (ops->end)
        ops->end(w);
    free(w->arg);
    return rc;
}

enum xrm_rc xrm_record_create_in(struct xrm_db *db, const struct xrm_record_ops *ops,
                                 const struct xrm_user *user, json_t *in, json_t **out,
                                 struct xrm_err *err)
{
    struct xrm_record_write w = {.ops = ops, .user = user, .in = in};
    return in_tx(db, xrm_record_create_tx, &w, out, err);
}

enum xrm_rc xrm_record_update_in(struct xrm_db *db, const struct xrm_record_ops *ops,
                                 const struct xrm_user *user, int64_t id, json_t *patch,
                                 json_t **out, struct xrm_err *err)
{
    struct xrm_record_write w = {.ops = ops, .user = user, .id = id, .in = patch};
    return in_tx(db, xrm_record_update_tx, &w, out, err);
}
