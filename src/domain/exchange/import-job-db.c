/*
 * Import job SQL: jobs, their errors, row savepoints and match lookups.
 */
#include "domain/exchange/import-job-db.h"
#include "domain/base/record.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/util.h"

#include <string.h>

#include "core/banned.h"

/*
 * An import job as the API shows it: the columns, then the options' match
 * and on_error and the file's facts (name, bytes, ...) spread over it (the
 * row hook); read by the generic SQL of domain/base/record-db.c.
 */
static void job_row(json_t *o)
{
    json_t *opts = json_incref(json_object_get(o, "options"));
    json_t *file = json_incref(json_object_get(o, "file"));
    json_t *tail = json_pack("{s:O, s:O, s:O}", "message", json_object_get(o, "message"),
                             "created_at", json_object_get(o, "created_at"), "finished_at",
                             json_object_get(o, "finished_at"));
    const char *key;
    json_t *v;
    json_object_del(o, "options");
    json_object_del(o, "file");
    json_object_del(o, "message");
    json_object_del(o, "created_at");
    json_object_del(o, "finished_at");
    json_t *match = json_object_get(opts, "match");
    json_object_set_new(o, "match", match ? json_incref(match) : json_array());
    json_t *on_error = json_object_get(opts, "on_error");
    json_object_set_new(o, "on_error", on_error ? json_incref(on_error) : json_string("skip"));
    json_object_foreach(file, key, v) json_object_set(o, key, v);
    json_object_update(o, tail);
    json_decref(tail);
    json_decref(opts);
    json_decref(file);
}

#define JOB_COUNT(n)                                                                               \
    {                                                                                              \
        .name = n, .column = "j." n, .type = XRM_FT_INT, .col = XRM_FC_JOINED,                     \
        .flags = XRM_FF_READONLY                                                                   \
    }

static const struct xrm_field job_fields[] = {
    XRM_FIELD_ID("j"),
    {.name = "user_id", .column = "j.user_id", .type = XRM_FT_INT, .col = XRM_FC_JOINED},
    {.name = "status", .column = "j.status", .type = XRM_FT_TEXT, .col = XRM_FC_JOINED},
    {.name = "dry_run", .column = "j.dry_run", .type = XRM_FT_BOOL, .col = XRM_FC_JOINED},
    {.name = "format", .column = "j.format", .type = XRM_FT_TEXT, .col = XRM_FC_JOINED},
    {.name = "options",
     .column = "j.options",
     .type = XRM_FT_JSON,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_HIDDEN},
    JOB_COUNT("total"),
    JOB_COUNT("done"),
    JOB_COUNT("created"),
    JOB_COUNT("updated"),
    JOB_COUNT("skipped"),
    JOB_COUNT("errors"),
    {.name = "file",
     .column = "j.file",
     .type = XRM_FT_JSON,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_HIDDEN},
    {.name = "message",
     .column = "j.message",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_NULLABLE},
    {.name = "created_at", .column = "j.created_at", .type = XRM_FT_DATETIME, .col = XRM_FC_JOINED},
    {.name = "finished_at",
     .column = "j.finished_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_JOINED,
     .flags = XRM_FF_NULLABLE},
};

static const struct xrm_record_kind job_kind = {
    .name = "import",
    .table = "imports",
    .alias = "j",
    .from = " FROM imports j",
    .fields = job_fields,
    .nfields = sizeof(job_fields) / sizeof(job_fields[0]),
    .row = job_row,
};

enum xrm_rc xrm_import_db_insert(struct xrm_db *db, int64_t user_id, bool dry_run,
                                 const char *format, json_t *options, int64_t *id_out,
                                 struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    char *opts = xrm_json_dump(options);
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO imports (user_id, status, dry_run, format, "
                                        "options, created_at) VALUES (?, 'queued', ?, ?, ?, ?) "
                                        "RETURNING id",
                                        err);
    enum xrm_rc rc = XRM_OK;
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    xrm_now(now);
    xrm_stmt_bind_int(s, 1, user_id);
    xrm_stmt_bind_int(s, 2, dry_run);
    xrm_stmt_bind_text(s, 3, format);
    xrm_stmt_bind_text(s, 4, opts);
    xrm_stmt_bind_text(s, 5, now);
    if (xrm_stmt_step(s, err) == 1)
        *id_out = xrm_stmt_int(s, 0);
    else
        rc = xrm_rows_step_rc(err);
    xrm_stmt_done(s);
out:
    xrm_json_text_free(opts);
    return rc;
}

enum xrm_rc xrm_import_db_update(struct xrm_db *db, int64_t id, const char *status,
                                 const struct xrm_import_counts *c, json_t *file,
                                 const char *message, bool finished, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    char *text = file ? xrm_json_dump(file) : NULL;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE imports SET status = ?, total = ?, done = ?, created = ?, updated = ?, "
        "skipped = ?, errors = ?, file = COALESCE(?, file), message = ?, "
        "finished_at = COALESCE(?, finished_at) WHERE id = ?",
        err);
    enum xrm_rc rc = XRM_OK;
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, status);
    xrm_stmt_bind_int(s, 2, c->total);
    xrm_stmt_bind_int(s, 3, c->done);
    xrm_stmt_bind_int(s, 4, c->created);
    xrm_stmt_bind_int(s, 5, c->updated);
    xrm_stmt_bind_int(s, 6, c->skipped);
    xrm_stmt_bind_int(s, 7, c->errors);
    xrm_stmt_bind_text(s, 8, text);
    xrm_stmt_bind_text(s, 9, message);
    xrm_stmt_bind_text(s, 10, finished ? now : NULL);
    xrm_stmt_bind_int(s, 11, id);
    if (xrm_stmt_step(s, err) < 0)
        rc = xrm_rows_step_rc(err);
    xrm_stmt_done(s);
out:
    xrm_json_text_free(text);
    return rc;
}

enum xrm_rc xrm_import_db_fail(struct xrm_db *db, int64_t id, const char *message,
                               struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(
        db, "UPDATE imports SET status = 'failed', message = ?, finished_at = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, message);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_int(s, 3, id);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_import_db_interrupted(struct xrm_db *db, const char *message, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE imports SET status = 'failed', message = ?, "
                                        "finished_at = ? WHERE status IN ('queued', 'running')",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, message);
    xrm_stmt_bind_text(s, 2, now);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_import_db_add_error(struct xrm_db *db, int64_t id, int64_t seq, int64_t line,
                                    const char *field, const char *code, const char *message,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO import_errors (import_id, seq, line, field, "
                                        "code, message) VALUES (?, ?, ?, ?, ?, ?)",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    xrm_stmt_bind_int(s, 2, seq);
    xrm_stmt_bind_int(s, 3, line);
    xrm_stmt_bind_text(s, 4, field);
    xrm_stmt_bind_text(s, 5, code);
    xrm_stmt_bind_text(s, 6, message);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_import_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_db_load(db, &job_kind, id, out, err);
}

enum xrm_rc xrm_import_db_list(struct xrm_db *db, int64_t user, int64_t before, int limit,
                               json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[1] = {{0}};
    int nc = 0;
    if (user) {
        c[nc].sql = "j.user_id = ?";
        xrm_record_cond_num(&c[nc++], user);
    }
    return xrm_record_db_list(db, &job_kind, c, nc, NULL, limit, before, out, err);
}

static void append_error(void *arg, int64_t line, const char *field, const char *code,
                         const char *message)
{
    json_array_append_new(arg, json_pack("{s:I, s:o, s:s, s:s}", "line", (json_int_t)line, "field",
                                         field ? json_string(field) : json_null(), "code", code,
                                         "message", message));
}

static enum xrm_rc errors_query(struct xrm_db *db, int64_t id, int limit, xrm_import_error_fn fn,
                                void *arg, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT line, field, code, message FROM import_errors "
                                        "WHERE import_id = ? ORDER BY seq LIMIT ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    xrm_stmt_bind_int(s, 2, limit);
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        fn(arg, xrm_stmt_int(s, 0), xrm_stmt_text(s, 1), xrm_stmt_text(s, 2), xrm_stmt_text(s, 3));
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}

enum xrm_rc xrm_import_db_errors(struct xrm_db *db, int64_t id, int limit, json_t **out,
                                 struct xrm_err *err)
{
    json_t *arr = json_array();
    enum xrm_rc rc = errors_query(db, id, limit, append_error, arr, err);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return XRM_OK;
}

enum xrm_rc xrm_import_db_errors_each(struct xrm_db *db, int64_t id, xrm_import_error_fn fn,
                                      void *arg, struct xrm_err *err)
{
    return errors_query(db, id, INT32_MAX, fn, arg, err);
}

enum xrm_rc xrm_import_db_row_begin(struct xrm_db *db, struct xrm_err *err)
{
    return xrm_db_exec(db, "SAVEPOINT import_row", err);
}

enum xrm_rc xrm_import_db_row_keep(struct xrm_db *db, struct xrm_err *err)
{
    return xrm_db_exec(db, "RELEASE SAVEPOINT import_row", err);
}

void xrm_import_db_row_undo(struct xrm_db *db)
{
    struct xrm_err ignore = XRM_ERR_INIT;
    xrm_db_exec(db, "ROLLBACK TO SAVEPOINT import_row", &ignore);
    xrm_db_exec(db, "RELEASE SAVEPOINT import_row", &ignore);
}
