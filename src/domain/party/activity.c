/*
 * Activities: the rules. Which fields each type of activity carries, the
 * validation of activity input, and the create / read / update / delete,
 * list and timeline flows around activity-db.c.
 *
 * Updates overlay the patch on the stored activity and validate the whole
 * result as create would, so an activity can never reach a state that
 * create refuses. When a patch changes the type, stored fields the new type
 * does not carry (a task's due date when it becomes a note) are dropped; a
 * patch that sets such a field is refused.
 */
#include "domain/party/activity.h"
#include "domain/party/activity-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/party.h"
#include "core/json.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define SUBJECT_MAX 500
#define BODY_MAX 65536
#define PARTIES_MAX 50
#define SCORE_MAX 10

/* Fields only some types carry. */
#define F_DUE 1u
#define F_DONE 2u
#define F_SCORE 4u

struct act_type {
    const char *name;
    unsigned fields;
};

static const struct act_type act_types[] = {
    {"note", 0},
    {"call", 0},
    {"email", 0},
    {"meeting", F_DUE},
    {"task", F_DUE | F_DONE},
    {"complaint", 0},
    {"survey", F_SCORE},
    {"press_release", 0},
    {"letter", 0}, /* press releases and letters: a letter to neighbours */
};
#define NTYPES (sizeof(act_types) / sizeof(act_types[0]))
#define TYPE_LIST "note, call, email, meeting, task, complaint, survey, press_release, letter"
#define DOMAIN_LIST "sales, hr, partners, purchasing, pr"

static const struct {
    const char *key;
    unsigned flag;
} typed_fields[] = {{"due", F_DUE}, {"done", F_DONE}, {"score", F_SCORE}};

static const char *const input_keys[] = {"type",    "domain",  "subject",  "body",  "parties",
                                         "due",     "done",    "assignee", "score", "at",
                                         "embargo", "segment", NULL};
/* Fields a client may echo back from a GET; ignored on input. */
static const char *const readonly_keys[] = {"id",         "created_by", "version", "created_at",
                                            "updated_at", "sent_at",    NULL};

static const struct act_type *find_type(const char *name)
{
    for (size_t i = 0; i < NTYPES; i++)
        if (strcmp(act_types[i].name, name) == 0)
            return &act_types[i];
    return NULL;
}

/*
 * Typed fields the activity's type does not carry read as null (the done
 * column of a note holds 0), so a GET can be sent back as a PATCH.
 */
static void shape(json_t *act)
{
    const struct act_type *t = find_type(json_string_value(json_object_get(act, "type")));
    for (size_t i = 0; i < sizeof(typed_fields) / sizeof(typed_fields[0]); i++)
        if (!t || !(t->fields & typed_fields[i].flag))
            json_object_set_new(act, typed_fields[i].key, json_null());
}

static void shape_all(json_t *items)
{
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a)
    {
        shape(a);
    }
}

/* Loads activity id as API JSON, shaped. */
static enum xrm_rc load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_act_db_load(db, id, out, err);
    if (!rc)
        shape(*out);
    return rc;
}

static void fieldname(char *out, size_t n, const char *prefix, const char *key)
{
    snprintf(out, n, "%s%s", prefix ? prefix : "", key);
}

static bool present(json_t *in, const char *key)
{
    json_t *v = json_object_get(in, key);
    return v && !json_is_null(v);
}

/*
 * parties: 1..PARTIES_MAX distinct ids of existing parties, copied into rec;
 * a task or meeting may have none (one's own, as made in a calendar app).
 * Returns non-OK only for a database failure; input errors are field errors.
 */
static enum xrm_rc read_parties(struct xrm_db *db, json_t *in, const char *prefix,
                                const struct act_type *t, json_t *rec, struct xrm_err *err)
{
    size_t min = t && (t->fields & F_DUE) ? 0 : 1;
    char f[80], g[96];
    json_t *arr = json_object_get(in, "parties");
    fieldname(f, sizeof(f), prefix, "parties");
    if (!arr || json_is_null(arr)) {
        xrm_err_field(err, XRM_E_INVALID, f, "is required");
        return XRM_OK;
    }
    if (!json_is_array(arr)) {
        xrm_err_field(err, XRM_E_MALFORMED, f, "must be an array of party ids");
        return XRM_OK;
    }
    size_t n = json_array_size(arr);
    if (n < min || n > PARTIES_MAX) {
        xrm_err_field(err, XRM_E_INVALID, f, "must list %zu to %d parties", min, PARTIES_MAX);
        return XRM_OK;
    }
    json_t *ids = json_array();
    int nf = err->nfields;
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        snprintf(g, sizeof(g), "%s[%zu]", f, i);
        if (!json_is_integer(v)) {
            xrm_err_field(err, XRM_E_MALFORMED, g, "must be a party id");
            continue;
        }
        int64_t id = json_integer_value(v);
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++)
            dup = json_equal(v, json_array_get(arr, j));
        if (dup) {
            xrm_err_field(err, XRM_E_INVALID, g, "party %lld is listed twice", (long long)id);
            continue;
        }
        struct xrm_err e = XRM_ERR_INIT;
        enum xrm_rc rc = id > 0 ? xrm_party_check(db, id, g, &e) : XRM_E_NOTFOUND;
        if (rc == XRM_E_NOTFOUND) {
            xrm_err_field(err, XRM_E_INVALID, g, "no party %lld", (long long)id);
            continue;
        }
        if (rc) {
            json_decref(ids);
            *err = e;
            return rc;
        }
        json_array_append_new(ids, json_integer(id));
    }
    if (err->nfields == nf)
        json_object_set_new(rec, "parties", ids);
    else
        json_decref(ids);
    return XRM_OK;
}

/* due: a date, or an RFC 3339 date-time stored in UTC. */
static void read_due(json_t *in, const char *prefix, json_t *rec, struct xrm_err *err)
{
    const char *s = NULL;
    char norm[XRM_TIME_LEN], f[96];
    if (!xrm_json_get_str(in, prefix, "due", 64, false, &s, err))
        return;
    if (xrm_valid_date(s)) {
        json_object_set_new(rec, "due", json_string(s));
    } else if (xrm_norm_datetime(s, norm, sizeof(norm))) {
        json_object_set_new(rec, "due", json_string(norm));
    } else {
        fieldname(f, sizeof(f), prefix, "due");
        xrm_err_field(err, XRM_E_INVALID, f,
                      "must be a date (YYYY-MM-DD) or an RFC 3339 date-time");
    }
}

static void read_at(json_t *in, const char *prefix, bool required, json_t *rec, struct xrm_err *err)
{
    const char *s = NULL;
    char norm[XRM_TIME_LEN], f[96];
    if (!xrm_json_get_str(in, prefix, "at", 64, required, &s, err)) {
        if (!present(in, "at") && !required) {
            xrm_now(norm);
            json_object_set_new(rec, "at", json_string(norm));
        }
        return;
    }
    if (!xrm_norm_datetime(s, norm, sizeof(norm))) {
        fieldname(f, sizeof(f), prefix, "at");
        xrm_err_field(err, XRM_E_INVALID, f,
                      "must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z");
        return;
    }
    json_object_set_new(rec, "at", json_string(norm));
}

/*
 * assignee: the id of an active user. A task created without the field goes
 * to its creator; an explicit null leaves it unassigned.
 */
static enum xrm_rc read_assignee(struct xrm_db *db, json_t *in, const char *prefix,
                                 const struct xrm_user *default_user, json_t *rec,
                                 struct xrm_err *err)
{
    int64_t id = 0;
    char f[96];
    if (!xrm_json_get_int(in, prefix, "assignee", 1, INT64_MAX, false, &id, err)) {
        if (!json_object_get(in, "assignee") && default_user && default_user->id)
            json_object_set_new(rec, "assignee", json_integer(default_user->id));
        return XRM_OK;
    }
    bool found = false;
    enum xrm_rc rc = xrm_record_db_user_active(db, id, &found, err);
    if (rc)
        return rc;
    if (!found) {
        fieldname(f, sizeof(f), prefix, "assignee");
        xrm_err_field(err, XRM_E_INVALID, f, "no user %lld", (long long)id);
        return XRM_OK;
    }
    json_object_set_new(rec, "assignee", json_integer(id));
    return XRM_OK;
}

/*
 * Press releases and letters: "embargo" (an RFC 3339 time; domain pr only)
 * and "segment" (the recipients), for those two types only.
 */
static enum xrm_rc read_press(struct xrm_db *db, json_t *in, const char *prefix,
                              const struct act_type *t, json_t *rec, struct xrm_err *err)
{
    static const char *const keys[] = {"embargo", "segment", NULL};
    const char *domain = json_string_value(json_object_get(rec, "domain"));
    bool press = t && (strcmp(t->name, "press_release") == 0 || strcmp(t->name, "letter") == 0);
    char f[96], norm[XRM_TIME_LEN];
    const char *s = NULL;
    int64_t id = 0;
    for (int k = 0; keys[k]; k++) {
        if (!present(in, keys[k]) || !t || press)
            continue;
        fieldname(f, sizeof(f), prefix, keys[k]);
        xrm_err_field(err, XRM_E_INVALID, f, "does not apply to type '%s'", t->name);
    }
    if (!press)
        return XRM_OK;
    fieldname(f, sizeof(f), prefix, "embargo");
    if (present(in, "embargo") && xrm_json_get_str(in, prefix, "embargo", 64, false, &s, err)) {
        if (!xrm_norm_datetime(s, norm, sizeof(norm)))
            xrm_err_field(err, XRM_E_INVALID, f,
                          "must be an RFC 3339 date-time such as 2026-11-27T10:00:00Z");
        else if (domain && strcmp(domain, "pr") != 0)
            xrm_err_field(err, XRM_E_INVALID, f, "applies to domain pr only");
        else
            json_object_set_new(rec, "embargo", json_string(norm));
    }
    if (present(in, "segment") &&
        xrm_json_get_int(in, prefix, "segment", 1, INT64_MAX, false, &id, err)) {
        bool found = false;
        enum xrm_rc rc = xrm_act_db_segment_exists(db, id, &found, err);
        if (rc)
            return rc;
        fieldname(f, sizeof(f), prefix, "segment");
        if (!found)
            xrm_err_field(err, XRM_E_INVALID, f, "no segment %lld", (long long)id);
        else
            json_object_set_new(rec, "segment", json_integer(id));
    }
    return XRM_OK;
}

/*
 * Validates a complete activity input into the normalised record *rec
 * (see activity-db.c). create: "at" defaults to now and a task's assignee
 * to user. Input errors are field errors named prefix + field, returned
 * as err->rc; database failures as their own rc.
 */
static enum xrm_rc validate(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                            const char *prefix, bool create, json_t **rec_out, struct xrm_err *err)
{
    const char *type = NULL, *domain = NULL, *subject = NULL, *body = NULL;
    const struct act_type *t = NULL;
    char f[96];
    int nf = err->nfields;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, prefix && *prefix ? prefix : "body",
                             "must be an object");
    json_t *rec = json_pack("{s:n, s:n, s:n, s:n, s:[], s:n, s:b, s:n, s:n, s:n, s:n, s:n}", "type",
                            "domain", "subject", "body", "parties", "due", "done", 0, "assignee",
                            "score", "at", "embargo", "segment");
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        if (!xrm_str_in(input_keys, key) && !xrm_str_in(readonly_keys, key)) {
            fieldname(f, sizeof(f), prefix, key);
            xrm_err_field(err, XRM_E_INVALID, f, "unknown field");
        }
    }
    if (xrm_json_get_str(in, prefix, "type", 64, true, &type, err)) {
        t = find_type(type);
        if (t) {
            json_object_set_new(rec, "type", json_string(t->name));
        } else {
            fieldname(f, sizeof(f), prefix, "type");
            xrm_err_field(err, XRM_E_INVALID, f, "must be one of " TYPE_LIST);
        }
    }
    if (xrm_json_get_str(in, prefix, "domain", 64, true, &domain, err)) {
        if (xrm_domain_valid(domain)) {
            json_object_set_new(rec, "domain", json_string(domain));
        } else {
            fieldname(f, sizeof(f), prefix, "domain");
            xrm_err_field(err, XRM_E_INVALID, f, "must be one of " DOMAIN_LIST);
        }
    }
    if (xrm_json_get_str(in, prefix, "subject", SUBJECT_MAX, true, &subject, err))
        json_object_set_new(rec, "subject", xrm_record_trimmed(subject));
    if (xrm_json_get_str(in, prefix, "body", BODY_MAX, false, &body, err))
        json_object_set_new(rec, "body", json_string(body));
    rc = read_parties(db, in, prefix, t, rec, err);
    if (rc)
        goto out;

    /* Fields of some types only: checked once the type is known. */
    if (t) {
        for (size_t i = 0; i < sizeof(typed_fields) / sizeof(typed_fields[0]); i++) {
            if ((t->fields & typed_fields[i].flag) || !present(in, typed_fields[i].key))
                continue;
            fieldname(f, sizeof(f), prefix, typed_fields[i].key);
            xrm_err_field(err, XRM_E_INVALID, f, "does not apply to type '%s'", t->name);
        }
        if (t->fields & F_DUE)
            read_due(in, prefix, rec, err);
        bool done = false;
        if ((t->fields & F_DONE) && xrm_json_get_bool(in, prefix, "done", false, &done, err))
            json_object_set_new(rec, "done", json_boolean(done));
        int64_t score = 0;
        if ((t->fields & F_SCORE) &&
            xrm_json_get_int(in, prefix, "score", 0, SCORE_MAX, true, &score, err))
            json_object_set_new(rec, "score", json_integer(score));
        bool is_task = strcmp(t->name, "task") == 0;
        rc = read_assignee(db, in, prefix, create && is_task ? user : NULL, rec, err);
        if (rc)
            goto out;
    }
    read_at(in, prefix, !create, rec, err);
    rc = read_press(db, in, prefix, t, rec, err);
    if (rc)
        goto out;
    if (err->nfields > nf) {
        rc = err->rc ? err->rc : XRM_E_INVALID;
        goto out;
    }
    *rec_out = rec;
    rec = NULL;
out:
    json_decref(rec);
    return rc;
}

enum xrm_rc xrm_activity_insert_tx(struct xrm_db *db, const struct xrm_user *user, json_t *in,
                                   const char *prefix, json_t **out, struct xrm_err *err)
{
    struct xrm_err local = XRM_ERR_INIT;
    json_t *rec = NULL, *after = NULL;
    char now[XRM_TIME_LEN];
    int64_t id = 0;

    if (!err)
        err = &local;
    enum xrm_rc rc = validate(db, user, in, prefix, true, &rec, err);
    if (!rc) /* write access to the activity's domain */
        rc = xrm_access_activity_write(user, NULL, rec, err);
    if (rc) {
        json_decref(rec);
        return rc;
    }
    xrm_now(now);
    rc = xrm_act_db_insert(db, rec, user ? user->id : 0, now, &id, err);
    if (!rc)
        rc = load(db, id, &after, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "create", "activity", id, NULL, after, err);
    if (!rc && out) {
        *out = after;
        after = NULL;
    }
    json_decref(rec);
    json_decref(after);
    return rc;
}

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    return xrm_activity_insert_tx(db, a->user, a->in, NULL, &a->out, err);
}

enum xrm_rc xrm_activity_create(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .in = in};
    return xrm_record_write(ctx, create_tx, &a, out, err);
}

enum xrm_rc xrm_activity_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    enum xrm_rc rc = load(ctx->db, id, out, err);
    if (!rc && xrm_access_embargoed(&ctx->user, *out)) {
        /* press releases and letters: under embargo only pr writers see it */
        json_decref(*out);
        *out = NULL;
        return xrm_errf(err, XRM_E_NOTFOUND, "no activity %lld", (long long)id);
    }
    return rc ? rc : xrm_access_activity_out(&ctx->user, out, err); /* else 404 */
}

/*
 * The stored activity's input fields with patch laid over them (new
 * reference). Typed fields the resulting type does not carry are left out
 * unless the patch itself sets them, so validate() refuses only what the
 * client asked for. Echoed read-only fields are dropped.
 */
static json_t *overlay(json_t *stored, json_t *patch)
{
    json_t *m = json_object();
    json_t *pt = json_object_get(patch, "type");
    const char *tname = json_is_string(pt) ? json_string_value(pt)
                                           : json_string_value(json_object_get(stored, "type"));
    const struct act_type *t = tname ? find_type(tname) : NULL;
    for (const char *const *k = input_keys; *k; k++) {
        bool typed_out = false;
        for (size_t i = 0; i < sizeof(typed_fields) / sizeof(typed_fields[0]); i++)
            if (strcmp(*k, typed_fields[i].key) == 0)
                typed_out = !t || !(t->fields & typed_fields[i].flag);
        if (!typed_out)
            json_object_set(m, *k, json_object_get(stored, *k));
    }
    const char *key;
    json_t *v;
    json_object_foreach(patch, key, v)
    {
        if (!xrm_str_in(readonly_keys, key))
            json_object_set(m, key, v);
    }
    return m;
}

static enum xrm_rc update_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL, *merged = NULL, *rec = NULL;
    char now[XRM_TIME_LEN];

    enum xrm_rc rc = load(db, a->id, &before, err);
    if (!rc) /* 404 when unreadable, 403 when read-only */
        rc = xrm_access_activity_write(a->user, before, NULL, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (rc)
        goto out;
    merged = overlay(before, a->in);
    rc = validate(db, a->user, merged, NULL, false, &rec, err);
    if (!rc) /* and the domain it moves to */
        rc = xrm_access_activity_write(a->user, NULL, rec, err);
    if (rc)
        goto out;
    xrm_now(now);
    rc = xrm_act_db_update(db, a->id, rec, now, err);
    if (!rc)
        rc = load(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "activity", a->id, before, a->out, err);
out:
    json_decref(before);
    json_decref(merged);
    json_decref(rec);
    return rc;
}

enum xrm_rc xrm_activity_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version, json_t *patch,
                                json_t **out, struct xrm_err *err)
{
    struct xrm_record_write a = {
        .user = &ctx->user, .id = id, .if_version = if_version, .in = patch};
    struct xrm_err local = XRM_ERR_INIT;
    if (!err)
        err = &local;
    if (!json_is_object(patch))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    return xrm_record_write(ctx, update_tx, &a, out, err);
}

static enum xrm_rc delete_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct xrm_record_write *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = load(db, a->id, &before, err);
    if (!rc) /* write access to its domain */
        rc = xrm_access_activity_write(a->user, before, NULL, err);
    if (!rc)
        rc = xrm_record_check_version(before, a->if_version, err);
    if (!rc)
        rc = xrm_act_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "activity", a->id, before, NULL, err);
    if (!rc) /* documents on records go with it (base/record.h) */
        rc = xrm_record_deleted(db, "activity", a->id, err);
    json_decref(before);
    return rc;
}

enum xrm_rc xrm_activity_delete(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                struct xrm_err *err)
{
    struct xrm_record_write a = {.user = &ctx->user, .id = id, .if_version = if_version};
    return xrm_store_write(ctx->store, delete_tx, &a, err);
}

/* Reads a cursor [at, id] made by page(); false (field error "cursor") when it is not one. */
static bool cursor_read(const char *cursor, char at[XRM_TIME_LEN], int64_t *id, struct xrm_err *err)
{
    json_t *k = xrm_cursor_decode(cursor);
    json_t *a = json_array_get(k, 0), *i = json_array_get(k, 1);
    bool ok = json_array_size(k) == 2 && json_is_string(a) && json_is_integer(i) &&
              json_string_length(a) < XRM_TIME_LEN;
    if (ok) {
        xrm_strlcpy(at, json_string_value(a), XRM_TIME_LEN);
        *id = json_integer_value(i);
    }
    json_decref(k);
    if (!ok)
        xrm_err_field(err, XRM_E_MALFORMED, "cursor", "is not a cursor of this list");
    return ok;
}

/* {"items", "next"} from up to limit + 1 rows: the extra row only says there is more. */
static json_t *page(json_t *items, int limit)
{
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        json_t *last = json_array_get(items, (size_t)limit - 1);
        json_t *key = json_pack("[O, O]", json_object_get(last, "at"), json_object_get(last, "id"));
        char *c = xrm_cursor_encode(key);
        json_decref(key);
        next = json_string(c);
        free(c);
    }
    return json_pack("{s:o, s:o}", "items", items, "next", next);
}

static int clamp_limit(int limit)
{
    if (limit < 1)
        return XRM_LIST_DEFAULT;
    return limit > XRM_LIST_MAX ? XRM_LIST_MAX : limit;
}

enum xrm_rc xrm_activity_list(struct xrm_ctx *ctx, const struct xrm_activity_filter *f, int limit,
                              const char *cursor, json_t **out, struct xrm_err *err)
{
    struct xrm_activity_filter any = {.done = -1};
    struct xrm_err local = XRM_ERR_INIT;
    char at[XRM_TIME_LEN] = "";
    int64_t id = 0;
    json_t *items = NULL;

    if (!err)
        err = &local;
    if (!f)
        f = &any;
    struct xrm_activity_filter g = *f;
    const struct act_type *t = g.type ? find_type(g.type) : NULL;
    if (g.type && !t)
        xrm_err_field(err, XRM_E_MALFORMED, "type", "must be one of " TYPE_LIST);
    /* Only tasks are done or open: done=... lists tasks, and contradicts another type. */
    if (g.done >= 0 && !g.type)
        g.type = "task";
    else if (g.done >= 0 && t && !(t->fields & F_DONE))
        xrm_err_field(err, XRM_E_MALFORMED, "done", "applies to tasks only");
    if (f->domain && !xrm_domain_valid(f->domain))
        xrm_err_field(err, XRM_E_MALFORMED, "domain", "must be one of " DOMAIN_LIST);
    if (cursor)
        cursor_read(cursor, at, &id, err);
    if (err->rc)
        return err->rc;
    limit = clamp_limit(limit);
    enum xrm_rc rc = xrm_act_db_list(ctx->db, &ctx->user, &g, limit + 1, cursor ? at : NULL, id,
                                     &items, err); /* readable domains only */
    if (rc)
        return rc;
    shape_all(items);
    *out = page(items, limit);
    return XRM_OK;
}

enum xrm_rc xrm_activity_timeline(struct xrm_ctx *ctx, const struct xrm_page *pg, json_t **out,
                                  struct xrm_err *err)
{
    int64_t party_id = pg->id;
    int limit = pg->limit;
    const char *cursor = pg->cursor;
    struct xrm_err e = XRM_ERR_INIT, local = XRM_ERR_INIT;
    char at[XRM_TIME_LEN] = "";
    int64_t id = 0;
    json_t *items = NULL;

    if (!err)
        err = &local;
    enum xrm_rc rc = xrm_party_check(ctx->db, party_id, "party", &e);
    if (rc == XRM_E_NOTFOUND)
        return xrm_errf(err, rc, "no party %lld", (long long)party_id);
    if (rc) {
        *err = e;
        return rc;
    }
    if (cursor && !cursor_read(cursor, at, &id, err))
        return err->rc;
    limit = clamp_limit(limit);
    rc = xrm_act_db_timeline(ctx->db, &ctx->user, party_id, limit + 1, cursor ? at : NULL, id,
                             &items, err); /* readable domains only */
    if (rc)
        return rc;
    shape_all(items);
    *out = page(items, limit);
    return XRM_OK;
}
