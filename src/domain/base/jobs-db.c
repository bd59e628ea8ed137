/*
 * SQL of the background jobs (jobs-db.h): the table jobs.
 */
#include "domain/base/jobs-db.h"
#include "domain/base/row.h"

#include <string.h>

#include "core/banned.h"

enum xrm_rc xrm_jobs_db_ensure(struct xrm_db *db, const char *name, const char *period,
                               const char *next_run, const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "INSERT INTO jobs (name, period, next_run, updated_at) SELECT ?, ?, ?, ?"
                       " WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE name = ?)",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_text(s, 2, period);
    xrm_stmt_bind_text(s, 3, next_run);
    xrm_stmt_bind_text(s, 4, now);
    xrm_stmt_bind_text(s, 5, name);
    enum xrm_rc rc = xrm_rows_run(s, err);
    if (rc)
        return rc;
    s = xrm_db_prepare(db,
                       "UPDATE jobs SET period = ?, next_run = ?, updated_at = ?"
                       " WHERE name = ? AND period <> ?",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, period);
    xrm_stmt_bind_text(s, 2, next_run);
    xrm_stmt_bind_text(s, 3, now);
    xrm_stmt_bind_text(s, 4, name);
    xrm_stmt_bind_text(s, 5, period);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_jobs_db_next(struct xrm_db *db, const char *name, char out[XRM_TIME_LEN],
                             struct xrm_err *err)
{
    out[0] = '\0';
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT next_run FROM jobs WHERE name = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        snprintf(out, XRM_TIME_LEN, "%s", xrm_stmt_text(s, 0));
    xrm_stmt_done(s);
    return r < 0 ? (err && err->rc ? err->rc : XRM_E_DB) : XRM_OK;
}

enum xrm_rc xrm_jobs_db_claim(struct xrm_db *db, const char *name, const char *old_next,
                              const char *new_next, const char *token, bool *mine,
                              struct xrm_err *err)
{
    *mine = false;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "UPDATE jobs SET next_run = ?, claimed_by = ? WHERE name = ? AND next_run = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, new_next);
    xrm_stmt_bind_text(s, 2, token);
    xrm_stmt_bind_text(s, 3, name);
    xrm_stmt_bind_text(s, 4, old_next);
    enum xrm_rc rc = xrm_rows_run(s, err);
    if (rc)
        return rc;
    /* The row now names the claim that won: this one, or one made before it. */
    s = xrm_db_prepare(db, "SELECT 1 FROM jobs WHERE name = ? AND claimed_by = ? AND next_run = ?",
                       err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, name);
    xrm_stmt_bind_text(s, 2, token);
    xrm_stmt_bind_text(s, 3, new_next);
    return xrm_rows_int(s, NULL, mine, err);
}

enum xrm_rc xrm_jobs_db_finish(struct xrm_db *db, const char *name, const char *started,
                               const char *result, const char *message, int64_t duration_ms,
                               const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "UPDATE jobs SET last_run = ?, result = ?, message = ?,"
                                        " duration_ms = ?, updated_at = ? WHERE name = ?",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, started);
    xrm_stmt_bind_text(s, 2, result);
    xrm_stmt_bind_text(s, 3, message);
    xrm_stmt_bind_int(s, 4, duration_ms);
    xrm_stmt_bind_text(s, 5, now);
    xrm_stmt_bind_text(s, 6, name);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_jobs_db_rows(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT name, last_run, result, message, duration_ms, next_run FROM jobs", err);
    if (!s)
        return XRM_E_DB;
    json_t *rows = json_object();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_object_set_new(rows, xrm_stmt_text(s, 0),
                            json_pack("{s:o, s:o, s:o, s:o, s:o}", "last_run", xrm_row_text(s, 1),
                                      "result", xrm_row_text(s, 2), "message", xrm_row_text(s, 3),
                                      "duration_ms", xrm_row_int(s, 4), "next_run",
                                      xrm_row_text(s, 5)));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(rows);
        return err && err->rc ? err->rc : XRM_E_DB;
    }
    *out = rows;
    return XRM_OK;
}
