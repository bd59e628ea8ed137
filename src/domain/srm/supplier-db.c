/*
 * The description of a supplier evaluation and the SQL of the rating
 * history and of preferred suppliers. supplier.c validates; these trust
 * their arguments.
 */
#include "domain/srm/supplier-db.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "domain/srm/supplier.h"
#include "core/json.h"
#include "core/util.h"

#include <string.h>

#include "core/banned.h"

#define SCORE(n, what)                                                                             \
    {                                                                                              \
        .name = n, .column = "e." n, .type = XRM_FT_INT, .flags = XRM_FF_REQUIRED, .min = 1,       \
        .max = 5, .doc = what                                                                      \
    }

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("e"),
    XRM_FIELD_PARTY("e"),
    {.name = "period",
     .column = "e.period",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = 7,
     .doc = "A month (2026-11) or a quarter (2026-Q4)"},
    SCORE("quality", "1-5"),
    SCORE("delivery", "1-5"),
    SCORE("price", "1-5"),
    SCORE("communication", "1-5"),
    {.name = "note",
     .column = "e.note",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE | XRM_FF_TRIM,
     .max = 4000},
    XRM_FIELDS_STAMPS("e"),
};

const struct xrm_record_kind xrm_supplier_evaluation_kind = {
    .name = "supplier_evaluation",
    .table = "supplier_evaluations",
    .alias = "e",
    .from = " FROM supplier_evaluations e JOIN parties p ON p.id = e.party_id",
    .title = "SupplierEvaluation",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
};

enum xrm_rc xrm_supplier_db_evaluations(struct xrm_db *db, int64_t party, int limit, json_t **out,
                                        struct xrm_err *err)
{
    struct xrm_record_cond c = {.sql = "e.party_id = ?"};
    xrm_record_cond_num(&c, party);
    return xrm_record_db_list(db, &xrm_supplier_evaluation_kind, &c, 1, "e.period DESC, e.id DESC",
                              limit, 0, out, err);
}

enum xrm_rc xrm_supplier_db_history_add(struct xrm_db *db, int64_t party, int from, int to,
                                        int evaluations, int64_t user, const char *at,
                                        struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO supplier_rating_history (party_id, "
                                        "from_rating, to_rating, evaluations, user_id, at) "
                                        "VALUES (?, ?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party);
    if (from)
        xrm_stmt_bind_int(s, 2, from);
    else
        xrm_stmt_bind_null(s, 2);
    if (to)
        xrm_stmt_bind_int(s, 3, to);
    else
        xrm_stmt_bind_null(s, 3);
    xrm_stmt_bind_int(s, 4, evaluations);
    if (user)
        xrm_stmt_bind_int(s, 5, user);
    else
        xrm_stmt_bind_null(s, 5);
    xrm_stmt_bind_text(s, 6, at);
    return xrm_rows_run(s, err);
}

static json_t *history_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "from", xrm_row_int(s, 0));
    json_object_set_new(o, "to", xrm_row_int(s, 1));
    json_object_set_new(o, "evaluations", json_integer(xrm_stmt_int(s, 2)));
    json_object_set_new(o, "at", xrm_row_text(s, 3));
    return o;
}

enum xrm_rc xrm_supplier_db_history(struct xrm_db *db, int64_t party, json_t **out,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT from_rating, to_rating, evaluations, at FROM "
                                        "supplier_rating_history WHERE party_id = ? ORDER BY id",
                                        err);
    if (s)
        xrm_stmt_bind_int(s, 1, party);
    return xrm_rows_all(s, history_row, out, err);
}

static json_t *role_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(xrm_stmt_int(s, 0)));
    json_t *a = xrm_json_load_stored(xrm_stmt_text(s, 1), false);
    json_object_set_new(o, "attributes", a ? a : json_object());
    return o;
}

enum xrm_rc xrm_supplier_db_role(struct xrm_db *db, int64_t party, int64_t *role_id,
                                 json_t **attributes, struct xrm_err *err)
{
    json_t *row = NULL;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, attributes FROM roles WHERE party_id = ? AND "
                                        "type = 'supplier' ORDER BY id LIMIT 1",
                                        err);
    if (s)
        xrm_stmt_bind_int(s, 1, party);
    enum xrm_rc rc = xrm_rows_first(s, role_row, &row, err);
    *role_id = 0;
    *attributes = NULL;
    if (!rc && row) {
        *role_id = json_integer_value(json_object_get(row, "id"));
        *attributes = json_incref(json_object_get(row, "attributes"));
    }
    json_decref(row);
    return rc;
}

static json_t *other_row(struct xrm_stmt *s)
{
    return json_pack("{s:I, s:s?}", "id", (json_int_t)xrm_stmt_int(s, 0), "name",
                     xrm_stmt_text(s, 1));
}

enum xrm_rc xrm_supplier_db_preferred_other(struct xrm_db *db, int64_t party, const char *category,
                                            int64_t *other, char *name, size_t n,
                                            struct xrm_err *err)
{
    json_t *row = NULL;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT r.party_id, p.name FROM roles r JOIN parties p ON p.id = r.party_id"
        " JOIN role_attrs c ON c.role_id = r.id AND c.name = 'supplier.category' AND c.value = ?"
        " JOIN role_attrs f ON f.role_id = r.id AND f.name = 'supplier.preferred'"
        " AND f.value = 'true'"
        " WHERE r.type = 'supplier' AND r.party_id <> ? ORDER BY r.id LIMIT 1",
        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, category);
        xrm_stmt_bind_int(s, 2, party);
    }
    enum xrm_rc rc = xrm_rows_first(s, other_row, &row, err);
    *other = 0;
    name[0] = '\0';
    if (!rc && row) {
        *other = json_integer_value(json_object_get(row, "id"));
        xrm_strlcpy(name, json_string_value(json_object_get(row, "name")), n);
    }
    json_decref(row);
    return rc;
}
