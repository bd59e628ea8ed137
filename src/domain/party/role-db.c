/*
 * SQL for role types, roles and the role_attrs index. role_types keeps its
 * lists (statuses, ended statuses, attribute schema) as JSON text; roles
 * keep their attributes as a JSON object, mirrored one row per attribute
 * into role_attrs ("partner.tier" = "gold") so the query language can match
 * attributes through an index instead of parsing JSON.
 */
#include "domain/party/role-db.h"
#include "domain/base/row.h"
#include "domain/party/role.h"
#include "domain/base/batch.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

/* The role columns in the order row_to_json reads them. */
#define ROLE_SELECT                                                                                \
    "SELECT r.id, r.party_id, r.type, r.domain, r.status, r.since, r.until, r.attributes,"         \
    " r.version, r.created_at, r.updated_at, t.ended_statuses FROM roles r"                        \
    " LEFT JOIN role_types t ON t.tenant = r.tenant AND t.name = r.type"

#define TYPE_SELECT                                                                                \
    "SELECT name, domain, label_en, label_nl, statuses, default_status, ended_statuses,"           \
    " attributes, builtin, version, created_at FROM role_types"

/*
 * parsed (may be NULL) caches the parsed ended_statuses by their stored
 * text: a page of roles holds few role types, so each list is parsed once.
 */
static json_t *role_row_to_json(struct xrm_stmt *s, json_t *parsed)
{
    json_t *o = json_object();
    const char *status = xrm_stmt_text(s, 4);
    const char *ended_text = xrm_stmt_text(s, 11) ? xrm_stmt_text(s, 11) : "";
    json_t *ended = parsed ? json_incref(json_object_get(parsed, ended_text)) : NULL;
    if (!ended) {
        ended = xrm_json_load_stored(xrm_stmt_text(s, 11), true);
        if (parsed)
            json_object_set(parsed, ended_text, ended);
    }

    json_object_set_new_nocheck(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_object_set_new_nocheck(o, "party", json_integer(xrm_stmt_int(s, 1)));
    xrm_json_set_str(o, "type", xrm_stmt_text(s, 2));
    xrm_json_set_str(o, "domain", xrm_stmt_text(s, 3));
    xrm_json_set_str(o, "status", status);
    xrm_json_set_str(o, "since", xrm_stmt_text(s, 5));
    xrm_json_set_str(o, "until", xrm_stmt_text(s, 6));
    json_object_set_new_nocheck(o, "attributes", xrm_json_load_stored(xrm_stmt_text(s, 7), false));
    json_object_set_new_nocheck(o, "version", json_integer(xrm_stmt_int(s, 8)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 9));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 10));
    json_object_set_new_nocheck(o, "active",
                                json_boolean(!status || !xrm_json_has_str(ended, status)));
    json_decref(ended);
    return o;
}

static json_t *type_row_to_json(struct xrm_stmt *s)
{
    return json_pack(
        "{s:s, s:s, s:{s:s, s:s}, s:o, s:s, s:o, s:b, s:o, s:I, s:s}", "name", xrm_stmt_text(s, 0),
        "domain", xrm_stmt_text(s, 1), "label", "en", xrm_stmt_text(s, 2), "nl",
        xrm_stmt_text(s, 3), "statuses", xrm_json_load_stored(xrm_stmt_text(s, 4), true),
        "default_status", xrm_stmt_text(s, 5), "ended_statuses",
        xrm_json_load_stored(xrm_stmt_text(s, 6), true), "builtin", xrm_stmt_int(s, 8) != 0,
        "attributes", xrm_json_load_stored(xrm_stmt_text(s, 7), true), "version",
        (json_int_t)xrm_stmt_int(s, 9), "created_at", xrm_stmt_text(s, 10));
}

enum xrm_rc xrm_role_db_type_load(struct xrm_db *db, const char *name, json_t **out,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, TYPE_SELECT " WHERE name = ?", err);
    if (s)
        xrm_stmt_bind_text(s, 1, name);
    enum xrm_rc rc = xrm_rows_first(s, type_row_to_json, out, err);
    if (!rc && !*out)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no role type '%.60s'", name);
    return rc;
}

/*
 * Role types change rarely and every role write validates against one, so
 * their parsed definitions are cached for the process: an entry holds for
 * TYPE_CACHE_SECONDS (another server on the same database may add types)
 * and every type insert here empties the cache at once (type_gen).
 * Cached definitions are shared and must not be modified by callers.
 */
#define TYPE_CACHE_SLOTS 64
#define TYPE_CACHE_SECONDS 30

static pthread_mutex_t type_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned type_gen = 1;
static struct {
    char name[48];
    json_t *type;
    unsigned gen;
    time_t until;
} type_cache[TYPE_CACHE_SLOTS];

static unsigned type_slot(const char *name)
{
    unsigned h = 5381;
    for (const char *c = name; *c; c++)
        h = h * 33 + (unsigned char)*c;
    return h % TYPE_CACHE_SLOTS;
}

enum xrm_rc xrm_role_db_type_cached(struct xrm_db *db, const char *name, json_t **out,
                                    struct xrm_err *err)
{
    time_t now = time(NULL);
    unsigned slot = type_slot(name);
    pthread_mutex_lock(&type_lock);
    if (type_cache[slot].type && type_cache[slot].gen == type_gen && now < type_cache[slot].until &&
        strcmp(type_cache[slot].name, name) == 0) {
        *out = json_incref(type_cache[slot].type);
        pthread_mutex_unlock(&type_lock);
        return XRM_OK;
    }
    unsigned gen = type_gen;
    pthread_mutex_unlock(&type_lock);
    json_t *t = NULL;
    enum xrm_rc rc = xrm_role_db_type_load(db, name, &t, err);
    if (rc)
        return rc;
    if (strlen(name) < sizeof(type_cache[0].name)) {
        pthread_mutex_lock(&type_lock);
        json_decref(type_cache[slot].type);
        snprintf(type_cache[slot].name, sizeof(type_cache[slot].name), "%s", name);
        type_cache[slot].type = json_incref(t);
        type_cache[slot].gen = gen;
        type_cache[slot].until = now + TYPE_CACHE_SECONDS;
        pthread_mutex_unlock(&type_lock);
    }
    *out = t;
    return XRM_OK;
}

static void type_cache_clear(void)
{
    pthread_mutex_lock(&type_lock);
    type_gen++;
    pthread_mutex_unlock(&type_lock);
}

enum xrm_rc xrm_role_db_type_all(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(xrm_db_prepare(db, TYPE_SELECT " ORDER BY builtin DESC, id", err),
                        type_row_to_json, out, err);
}

enum xrm_rc xrm_role_db_type_insert(struct xrm_db *db, json_t *type, bool builtin, int64_t *id_out,
                                    struct xrm_err *err)
{
    type_cache_clear();
    char now[XRM_TIME_LEN];
    json_t *label = json_object_get(type, "label");
    char *statuses = xrm_json_dump(json_object_get(type, "statuses"));
    char *ended = xrm_json_dump(json_object_get(type, "ended_statuses"));
    char *attrs = xrm_json_dump(json_object_get(type, "attributes"));
    enum xrm_rc rc = XRM_E_DB;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO role_types (name, domain, label_en, label_nl, statuses, default_status,"
        " ended_statuses, attributes, builtin, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (tenant, name) DO NOTHING RETURNING id",
        err);

    *id_out = 0;
    if (!s)
        goto out;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, json_string_value(json_object_get(type, "name")));
    xrm_stmt_bind_text(s, 2, json_string_value(json_object_get(type, "domain")));
    xrm_stmt_bind_text(s, 3, json_string_value(json_object_get(label, "en")));
    xrm_stmt_bind_text(s, 4, json_string_value(json_object_get(label, "nl")));
    xrm_stmt_bind_text(s, 5, statuses);
    xrm_stmt_bind_text(s, 6, json_string_value(json_object_get(type, "default_status")));
    xrm_stmt_bind_text(s, 7, ended);
    xrm_stmt_bind_text(s, 8, attrs);
    xrm_stmt_bind_int(s, 9, builtin ? 1 : 0);
    xrm_stmt_bind_text(s, 10, now);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *id_out = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    rc = r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
out:
    free(statuses);
    free(ended);
    free(attrs);
    return rc;
}

/*
 * The text of an attribute value in role_attrs: strings as they are,
 * integers in decimal, other numbers in the shortest decimal that reads
 * back the same for everyday values, booleans "true" / "false".
 */
static char *attr_text(json_t *v)
{
    char num[40];
    if (json_is_string(v))
        return xrm_strdup(json_string_value(v));
    if (json_is_integer(v)) {
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return xrm_strdup(num);
    }
    if (json_is_real(v)) {
        snprintf(num, sizeof(num), "%.15g", json_real_value(v));
        return xrm_strdup(num);
    }
    if (json_is_boolean(v))
        return xrm_strdup(json_is_true(v) ? "true" : "false");
    return xrm_json_dump(v);
}

/*
 * One single-row statement per attribute: a multi-row INSERT runs in a
 * statement savepoint, which makes FTS5 flush the pending search index
 * data of the transaction every time (measured: 4x slower imports).
 */
static enum xrm_rc attrs_insert(struct xrm_db *db, int64_t role_id, int64_t party_id,
                                const struct xrm_role_text *t, struct xrm_err *err)
{
    for (size_t i = 0; i < t->n; i++) {
        struct xrm_stmt *s =
            xrm_db_prepare(db,
                           "INSERT INTO role_attrs (role_id, party_id, name, value)"
                           " VALUES (?, ?, ?, ?)",
                           err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, role_id);
        xrm_stmt_bind_int(s, 2, party_id);
        xrm_stmt_bind_text_static(s, 3, t->names[i]);
        xrm_stmt_bind_text_static(s, 4, t->values[i]);
        int step = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (step < 0)
            return xrm_rows_step_rc(err);
    }
    return XRM_OK;
}

static enum xrm_rc attrs_sync(struct xrm_db *db, const struct xrm_role_row *r,
                              const struct xrm_role_text *t, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "DELETE FROM role_attrs WHERE role_id = ?", err);
    int step;

    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, r->id);
    step = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (step < 0)
        return xrm_rows_step_rc(err);
    return attrs_insert(db, r->id, r->party_id, t, err);
}

void xrm_role_db_text(const struct xrm_role_row *r, struct xrm_role_text *out)
{
    const char *key;
    json_t *v;
    size_t n = json_object_size(r->attributes), i = 0;

    struct xrm_buf b = XRM_BUF_INIT;
    out->attributes = xrm_json_dump_exact(&b, r->attributes);
    xrm_buf_release(&b);
    out->names = xrm_calloc(n ? n : 1, sizeof(char *));
    out->values = xrm_calloc(n ? n : 1, sizeof(char *));
    size_t tlen = strlen(r->type);
    json_object_foreach(r->attributes, key, v)
    {
        /* "type.key", as snprintf "%s.%s" into 128 bytes made it */
        size_t klen = strlen(key), len = tlen + 1 + klen < 127 ? tlen + 1 + klen : 127;
        char *name = xrm_malloc(len + 1);
        memcpy(name, r->type, tlen < len ? tlen : len);
        if (tlen < len)
            name[tlen] = '.';
        if (tlen + 1 < len)
            memcpy(name + tlen + 1, key, len - tlen - 1);
        name[len] = '\0';
        out->names[i] = name;
        out->values[i] = attr_text(v);
        i++;
    }
    out->n = i;
}

void xrm_role_db_text_release(struct xrm_role_text *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->names[i]);
        free(t->values[i]);
    }
    free(t->names);
    free(t->values);
    free(t->attributes);
    memset(t, 0, sizeof(*t));
}

enum xrm_rc xrm_role_db_insert_text(struct xrm_db *db, struct xrm_role_row *r,
                                    const struct xrm_role_text *t, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO roles (party_id, type, domain, status, since, until, attributes,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    int step;

    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_int(s, 1, r->party_id);
    xrm_stmt_bind_text_static(s, 2, r->type);
    xrm_stmt_bind_text_static(s, 3, r->domain);
    xrm_stmt_bind_text_static(s, 4, r->status);
    xrm_stmt_bind_text_static(s, 5, r->since);
    xrm_stmt_bind_text_static(s, 6, r->until);
    xrm_stmt_bind_text_static(s, 7, t->attributes);
    xrm_stmt_bind_text_static(s, 8, now);
    xrm_stmt_bind_text_static(s, 9, now);
    step = xrm_stmt_step(s, err);
    if (step == 1)
        r->id = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (step != 1)
        return step < 0 ? xrm_rows_step_rc(err) : xrm_errf(err, XRM_E_DB, "cannot insert role");
    /* A new role has no role_attrs rows yet (deleting a role deletes its rows). */
    return attrs_insert(db, r->id, r->party_id, t, err);
}

enum xrm_rc xrm_role_db_insert(struct xrm_db *db, struct xrm_role_row *r, struct xrm_err *err)
{
    struct xrm_role_text t;
    xrm_role_db_text(r, &t);
    enum xrm_rc rc = xrm_role_db_insert_text(db, r, &t, err);
    xrm_role_db_text_release(&t);
    return rc;
}

enum xrm_rc xrm_role_db_update(struct xrm_db *db, const struct xrm_role_row *r, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_role_text t;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE roles SET status = ?, since = ?, until = ?,"
                                        " attributes = ?, version = version + 1, updated_at = ?"
                                        " WHERE id = ?",
                                        err);
    int step;

    if (!s)
        return XRM_E_DB;
    xrm_role_db_text(r, &t);
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, r->status);
    xrm_stmt_bind_text(s, 2, r->since);
    xrm_stmt_bind_text(s, 3, r->until);
    xrm_stmt_bind_text(s, 4, t.attributes);
    xrm_stmt_bind_text(s, 5, now);
    xrm_stmt_bind_int(s, 6, r->id);
    step = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    enum xrm_rc rc = step < 0 ? xrm_rows_step_rc(err) : attrs_sync(db, r, &t, err);
    xrm_role_db_text_release(&t);
    return rc;
}

enum xrm_rc xrm_role_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    /* role_attrs cascades, but say it outright rather than rely on the pragma */
    static const char *const sql[] = {
        "DELETE FROM role_attrs WHERE role_id = ?",
        "DELETE FROM roles WHERE id = ?",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        struct xrm_stmt *s = xrm_db_prepare(db, sql[i], err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        int step = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (step < 0)
            return xrm_rows_step_rc(err);
    }
    return XRM_OK;
}

static json_t *role_row(struct xrm_stmt *s)
{
    return role_row_to_json(s, NULL);
}

enum xrm_rc xrm_role_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, ROLE_SELECT " WHERE r.id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, role_row, "role", id, out, err);
}

/* One query on roles_party (ordered by id within a party: no sort step). */
enum xrm_rc xrm_role_array_for_party(struct xrm_db *db, int64_t party_id, json_t **out,
                                     struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, ROLE_SELECT " WHERE r.party_id = ? ORDER BY r.id", err);
    if (s)
        xrm_stmt_bind_int(s, 1, party_id);
    return xrm_rows_all(s, role_row, out, err);
}

enum xrm_rc xrm_role_attach_page(struct xrm_db *db, const struct xrm_batch *b, json_t *items,
                                 struct xrm_err *err)
{
    struct xrm_sql q;
    struct xrm_stmt *s = NULL;
    json_t **roles = xrm_calloc(b->n ? b->n : 1, sizeof(*roles));
    json_t *parsed = json_object();
    enum xrm_rc rc = XRM_OK;
    int step = 0;

    xrm_sql_init(&q);
    for (size_t i = 0; i < b->n; i++)
        roles[i] = json_array();
    if (b->n == 0)
        goto out;
    /* Party by party, each in id order as xrm_role_array_for_party gives them. */
    xrm_sql_add(&q, ROLE_SELECT " WHERE r.party_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " ORDER BY r.party_id, r.id");
    s = xrm_sql_prepare(db, &q, err);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    while ((step = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        bool first = true;
        json_t *role = role_row_to_json(s, parsed);
        xrm_batch_foreach(b, xrm_stmt_int(s, 1), k, pos)
        {
            /* a party twice on the page gets its own copy: the access filter edits roles */
            json_array_append_new(roles[pos], first ? json_incref(role) : json_deep_copy(role));
            first = false;
        }
        json_decref(role);
    }
    xrm_stmt_done(s);
    if (step < 0) {
        rc = xrm_rows_step_rc(err);
        goto out;
    }
    for (size_t i = 0; i < b->n; i++) {
        json_object_set_new(json_array_get(items, i), "roles", roles[i]);
        roles[i] = NULL;
    }
out:
    for (size_t i = 0; i < b->n; i++)
        json_decref(roles[i]);
    free(roles);
    json_decref(parsed);
    xrm_sql_release(&q);
    return rc;
}

enum xrm_rc xrm_role_db_user_exists(struct xrm_db *db, int64_t id, bool *exists,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT 1 FROM users WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_int(s, NULL, exists, err);
}
