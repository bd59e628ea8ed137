/*
 * Between result rows or parameters and JSON records, for the domain's
 * *-db.c files: SQL NULL is JSON null (or an absent key).
 */
#ifndef XRM_DOMAIN_ROW_H
#define XRM_DOMAIN_ROW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* The integer in column col, or null. */
static inline json_t *xrm_row_int(struct xrm_stmt *s, int col)
{
    return xrm_stmt_is_null(s, col) ? json_null() : json_integer(xrm_stmt_int(s, col));
}

/* The text in column col, or null. */
static inline json_t *xrm_row_text(struct xrm_stmt *s, int col)
{
    const char *t = xrm_stmt_text(s, col);
    return t ? json_string(t) : json_null();
}

/* The integer in column 0 (an id): the row function of a list of ids. */
static inline json_t *xrm_row_id(struct xrm_stmt *s)
{
    return json_integer(xrm_stmt_int(s, 0));
}

/* Binds the string under key of rec to parameter idx (NULL when absent or not a string). */
static inline void xrm_row_bind_str(struct xrm_stmt *s, int idx, json_t *rec, const char *key)
{
    xrm_stmt_bind_text(s, idx, json_string_value(json_object_get(rec, key)));
}

/* Binds the integer under key of rec to parameter idx (NULL when absent or not an integer). */
static inline void xrm_row_bind_int(struct xrm_stmt *s, int idx, json_t *rec, const char *key)
{
    json_t *v = json_object_get(rec, key);
    if (json_is_integer(v))
        xrm_stmt_bind_int(s, idx, json_integer_value(v));
    else
        xrm_stmt_bind_null(s, idx);
}

/*
 * Running a prepared statement to its end, the loop every *-db.c file
 * wrote out. Each takes s as xrm_db_prepare() returned it (NULL, with err
 * filled, when preparing failed: they return XRM_E_DB), steps it and
 * finishes it (xrm_stmt_done) in every case. After a failed step the code
 * is what the step put in err (XRM_E_CONFLICT for a constraint), else
 * XRM_E_DB.
 */
typedef json_t *(*xrm_row_fn)(struct xrm_stmt *s);

/* *out = a new array of row(s) per result row. */
enum xrm_rc xrm_rows_all(struct xrm_stmt *s, xrm_row_fn row, json_t **out, struct xrm_err *err);

/*
 * *out = row(s) of the first result row (new reference); XRM_E_NOTFOUND
 * "no WHAT ID" (a message, no field) when there is none.
 */
enum xrm_rc xrm_rows_one(struct xrm_stmt *s, xrm_row_fn row, const char *what, int64_t id,
                         json_t **out, struct xrm_err *err);

/* Runs a statement that returns no rows (or whose rows are not wanted). */
enum xrm_rc xrm_rows_run(struct xrm_stmt *s, struct xrm_err *err);

/*
 * The first row's integer in column 0: lookups ("which id has this
 * name", "does user N exist"), counts and INSERT ... RETURNING id. *found
 * says whether there was a row (found may be NULL when a row always
 * comes); *value (value may be NULL) is set only when there was one.
 */
enum xrm_rc xrm_rows_int(struct xrm_stmt *s, int64_t *value, bool *found, struct xrm_err *err);

/*
 * *out = row(s) of the first result row (new reference), or NULL when
 * there is none: for lookups by something other than the id, whose caller
 * writes its own not-found message.
 */
enum xrm_rc xrm_rows_first(struct xrm_stmt *s, xrm_row_fn row, json_t **out, struct xrm_err *err);

/* Runs sql with the one integer parameter id (DELETE ... WHERE id = ?, and the like). */
enum xrm_rc xrm_rows_exec_id(struct xrm_db *db, const char *sql, int64_t id, struct xrm_err *err);

/* The code of a failed step: err's own when the step set one, else XRM_E_DB. */
static inline enum xrm_rc xrm_rows_step_rc(const struct xrm_err *err)
{
    return err && err->rc ? err->rc : XRM_E_DB;
}

#endif
