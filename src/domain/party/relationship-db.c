/*
 * SQL for relationships and relationship types: the only code that reads or
 * writes the tables relationship_types and relationships. relationship.c
 * validates; these functions trust their arguments. Rows cross the seam as
 * the API JSON of relationship.h, so what is stored and answered has one
 * shape. The declarations are in relationship-db.h.
 */
#include "domain/party/relationship.h"
#include "domain/base/row.h"
#include "domain/party/relationship-db.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *col(struct xrm_stmt *s, int i)
{
    const char *v = xrm_stmt_text(s, i);
    return v ? v : "";
}

#define TYPE_COLS                                                                                  \
    "name, reverse_name, label_en, label_nl, reverse_label_en, reverse_label_nl, builtin, domain"

static json_t *type_json(struct xrm_stmt *s)
{
    return json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:b, s:s?}", "name", col(s, 0),
                     "reverse", col(s, 1), "label", "en", col(s, 2), "nl", col(s, 3),
                     "reverse_label", "en", col(s, 4), "nl", col(s, 5), "builtin",
                     xrm_stmt_int(s, 6) != 0, "domain", xrm_stmt_text(s, 7));
}

/* One lookup of a type by one column; *out stays NULL when there is no such row. */
static enum xrm_rc type_by(struct xrm_db *db, const char *sql, const char *name, json_t **out,
                           struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *out = type_json(s);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_rel_db_type_find(struct xrm_db *db, const char *name, json_t **out, bool *reversed,
                                 struct xrm_err *err)
{
    json_t *t = NULL;
    enum xrm_rc rc =
        type_by(db, "SELECT " TYPE_COLS " FROM relationship_types WHERE name = ?", name, &t, err);
    *reversed = false;
    if (!rc && !t) {
        rc = type_by(db,
                     "SELECT " TYPE_COLS " FROM relationship_types WHERE reverse_name = ? "
                     "ORDER BY name LIMIT 1",
                     name, &t, err);
        *reversed = t != NULL;
    }
    if (rc)
        return rc;
    if (!t)
        return xrm_errf(err, XRM_E_NOTFOUND, "no relationship type '%s'", name);
    *out = t;
    return XRM_OK;
}

enum xrm_rc xrm_rel_db_type_taken(struct xrm_db *db, const char *name, bool *taken,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT 1 FROM relationship_types WHERE name = ? OR reverse_name = ? LIMIT 1", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_text(s, 2, name);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    *taken = r == 1;
    return XRM_OK;
}

enum xrm_rc xrm_rel_db_type_all(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    return xrm_rows_all(
        xrm_db_prepare(
            db, "SELECT " TYPE_COLS " FROM relationship_types ORDER BY builtin DESC, name", err),
        type_json, out, err);
}

/* t: type API JSON (validated). *inserted is false when a type of that name existed. */
enum xrm_rc xrm_rel_db_type_insert(struct xrm_db *db, json_t *t, bool builtin, bool *inserted,
                                   struct xrm_err *err)
{
    json_t *label = json_object_get(t, "label"), *rlabel = json_object_get(t, "reverse_label");
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "INSERT INTO relationship_types (name, reverse_name, label_en, label_nl, "
                       "reverse_label_en, reverse_label_nl, builtin, domain) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (tenant, name) DO NOTHING RETURNING name",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, json_string_value(json_object_get(t, "name")));
    xrm_stmt_bind_text(s, 2, json_string_value(json_object_get(t, "reverse")));
    xrm_stmt_bind_text(s, 3, json_string_value(json_object_get(label, "en")));
    xrm_stmt_bind_text(s, 4, json_string_value(json_object_get(label, "nl")));
    xrm_stmt_bind_text(s, 5, json_string_value(json_object_get(rlabel, "en")));
    xrm_stmt_bind_text(s, 6, json_string_value(json_object_get(rlabel, "nl")));
    xrm_stmt_bind_int(s, 7, builtin);
    xrm_stmt_bind_text(s, 8, json_string_value(json_object_get(t, "domain")));
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (inserted)
        *inserted = r == 1;
    return XRM_OK;
}

#define REL_COLS                                                                                   \
    "r.id, r.type, r.from_party, r.to_party, r.since, r.until, r.note, r.version, r.created_at, "  \
    "r.updated_at, t.domain"

static json_t *rel_json(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "id", json_integer(xrm_stmt_int(s, 0)));
    xrm_json_set_str(o, "type", xrm_stmt_text(s, 1));
    json_object_set_new_nocheck(o, "from", json_integer(xrm_stmt_int(s, 2)));
    json_object_set_new_nocheck(o, "to", json_integer(xrm_stmt_int(s, 3)));
    xrm_json_set_str(o, "since", xrm_stmt_text(s, 4));
    xrm_json_set_str(o, "until", xrm_stmt_text(s, 5));
    xrm_json_set_str(o, "note", xrm_stmt_text(s, 6));
    json_object_set_new_nocheck(o, "version", json_integer(xrm_stmt_int(s, 7)));
    xrm_json_set_str(o, "created_at", xrm_stmt_text(s, 8));
    xrm_json_set_str(o, "updated_at", xrm_stmt_text(s, 9));
    xrm_json_set_str(o, "domain", xrm_stmt_text(s, 10));
    return o;
}

enum xrm_rc xrm_rel_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT " REL_COLS " FROM relationships r LEFT JOIN relationship_types t "
                       "ON t.tenant = r.tenant AND t.name = r.type WHERE r.id = ?",
                       err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_one(s, rel_json, "relationship", id, out, err);
}

static void bind_opt(struct xrm_stmt *s, int idx, const char *v)
{
    if (v && *v)
        xrm_stmt_bind_text(s, idx, v);
    else
        xrm_stmt_bind_null(s, idx);
}

/*
 * Another relationship of this type between the same parties (either way
 * round when symmetric) whose period meets [since, until]; both ends are
 * inclusive days and NULL is open. Open ends compare as the extreme days
 * (no "? IS NULL": PostgreSQL cannot type such a parameter). *found_id is
 * 0 when there is none.
 */
enum xrm_rc xrm_rel_db_overlap(struct xrm_db *db, const char *type, int64_t from, int64_t to,
                               bool symmetric, const char *since, const char *until,
                               int64_t exclude_id, int64_t *found_id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT id FROM relationships WHERE type = ? AND id <> ? AND "
        "((from_party = ? AND to_party = ?) OR (from_party = ? AND to_party = ?)) AND "
        "COALESCE(since, '0000-01-01') <= ? AND COALESCE(until, '9999-12-31') >= ? "
        "ORDER BY id LIMIT 1",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, type);
    xrm_stmt_bind_int(s, 2, exclude_id);
    xrm_stmt_bind_int(s, 3, from);
    xrm_stmt_bind_int(s, 4, to);
    xrm_stmt_bind_int(s, 5, symmetric ? to : from);
    xrm_stmt_bind_int(s, 6, symmetric ? from : to);
    xrm_stmt_bind_text(s, 7, until && *until ? until : "9999-12-31");
    xrm_stmt_bind_text(s, 8, since && *since ? since : "0000-01-01");
    int r = xrm_stmt_step(s, err);
    *found_id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* rel: {"type", "from", "to", "since", "until", "note"} validated; sets *id_out. */
enum xrm_rc xrm_rel_db_insert(struct xrm_db *db, json_t *rel, const char *now, int64_t *id_out,
                              struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO relationships (type, from_party, to_party, since, until, note, version, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, json_string_value(json_object_get(rel, "type")));
    xrm_stmt_bind_int(s, 2, json_integer_value(json_object_get(rel, "from")));
    xrm_stmt_bind_int(s, 3, json_integer_value(json_object_get(rel, "to")));
    bind_opt(s, 4, json_string_value(json_object_get(rel, "since")));
    bind_opt(s, 5, json_string_value(json_object_get(rel, "until")));
    bind_opt(s, 6, json_string_value(json_object_get(rel, "note")));
    xrm_stmt_bind_text(s, 7, now);
    xrm_stmt_bind_text(s, 8, now);
    int r = xrm_stmt_step(s, err);
    if (r == 1)
        *id_out = xrm_stmt_int(s, 0);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_DB, "insert into relationships returned no id");
    return XRM_OK;
}

/* Writes since, until and note of rel (which carries "id") and bumps the version. */
enum xrm_rc xrm_rel_db_update(struct xrm_db *db, json_t *rel, const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE relationships SET since = ?, until = ?, note = ?, "
                                        "version = version + 1, updated_at = ? WHERE id = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    bind_opt(s, 1, json_string_value(json_object_get(rel, "since")));
    bind_opt(s, 2, json_string_value(json_object_get(rel, "until")));
    bind_opt(s, 3, json_string_value(json_object_get(rel, "note")));
    xrm_stmt_bind_text(s, 4, now);
    xrm_stmt_bind_int(s, 5, json_integer_value(json_object_get(rel, "id")));
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_rel_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    return xrm_rows_exec_id(db, "DELETE FROM relationships WHERE id = ?", id, err);
}

/* A relationship as listed on a party, with its sort key (type, sort name, name, id). */
struct listed {
    json_t *obj;
    const char *type, *name; /* inside obj */
    char *sort_name;         /* NULL when the other party has none */
    int64_t id;
};

/* SQL's order of texts: NULL first, then bytewise (BINARY collation). */
static int text_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int listed_cmp(const void *pa, const void *pb)
{
    const struct listed *a = pa, *b = pb;
    int c = text_cmp(a->type, b->type);
    if (!c)
        c = text_cmp(a->sort_name, b->sort_name);
    if (!c)
        c = text_cmp(a->name, b->name);
    if (!c)
        c = (a->id > b->id) - (a->id < b->id);
    return c;
}

static json_t *label_json(const char *en, const char *nl)
{
    json_t *o = json_object();
    xrm_json_set_str(o, "en", en ? en : "");
    xrm_json_set_str(o, "nl", nl ? nl : "");
    return o;
}

/*
 * Both directions in one statement over the two indexes relationships_from_cover
 * and relationships_to_cover: the outgoing links under the type's name and label,
 * the incoming ones under its reverse. Sorted by that side's type name, then
 * the other party's sort name (Dutch prefixes ignored), name and id.
 * The order is made here rather than by the statement: the two halves of
 * the UNION would each need a temporary sort b-tree, which cost more than
 * the rest of the statement.
 */
enum xrm_rc xrm_relationship_array_for_party(struct xrm_db *db, int64_t party_id, json_t **out,
                                             struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.id, t.name, t.label_en, t.label_nl, p.id, p.name, r.since, r.until, "
        "p.sort_name, t.domain FROM relationships r "
        "JOIN relationship_types t ON t.tenant = r.tenant AND t.name = r.type "
        "JOIN parties p ON p.id = r.to_party WHERE r.from_party = ? "
        "UNION ALL "
        "SELECT r.id, t.reverse_name, t.reverse_label_en, t.reverse_label_nl, p.id, p.name, "
        "r.since, r.until, p.sort_name, t.domain FROM relationships r "
        "JOIN relationship_types t ON t.tenant = r.tenant AND t.name = r.type "
        "JOIN parties p ON p.id = r.from_party WHERE r.to_party = ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_int(s, 2, party_id);
    struct listed *rows = NULL;
    size_t n = 0, cap = 0;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            rows = xrm_realloc(rows, cap * sizeof(*rows));
        }
        json_t *o = json_object(), *other = json_object();
        json_object_set_new_nocheck(o, "id", json_integer(xrm_stmt_int(s, 0)));
        xrm_json_set_str(o, "type", col(s, 1));
        json_object_set_new_nocheck(o, "label",
                                    label_json(xrm_stmt_text(s, 2), xrm_stmt_text(s, 3)));
        json_object_set_new_nocheck(other, "id", json_integer(xrm_stmt_int(s, 4)));
        xrm_json_set_str(other, "name", col(s, 5));
        json_object_set_new_nocheck(o, "party", other);
        xrm_json_set_str(o, "since", xrm_stmt_text(s, 6));
        xrm_json_set_str(o, "until", xrm_stmt_text(s, 7));
        xrm_json_set_str(o, "domain", xrm_stmt_text(s, 9)); /* null: a common type */
        const char *sort_name = xrm_stmt_text(s, 8);
        rows[n++] = (struct listed){
            .obj = o,
            .type = json_string_value(json_object_get(o, "type")),
            .name = json_string_value(json_object_get(other, "name")),
            .sort_name = sort_name ? xrm_strdup(sort_name) : NULL,
            .id = xrm_stmt_int(s, 0),
        };
    }
    xrm_stmt_done(s);
    json_t *arr = r < 0 ? NULL : json_array();
    if (n > 1)
        qsort(rows, n, sizeof(*rows), listed_cmp);
    for (size_t i = 0; i < n; i++) {
        if (arr)
            json_array_append_new(arr, rows[i].obj);
        else
            json_decref(rows[i].obj);
        free(rows[i].sort_name);
    }
    free(rows);
    if (!arr)
        return XRM_E_DB;
    *out = arr;
    return XRM_OK;
}
