/*
 * The Poortwachter steps table and the tasks of a sick report.
 */
#include "domain/hr/poortwachter-db.h"
#include "domain/base/row.h"

#include <string.h>

#include "core/banned.h"

static json_t *step_row(struct xrm_stmt *s)
{
    return json_pack("{s:s?, s:I, s:I, s:o, s:{s:s?, s:s?}}", "code", xrm_stmt_text(s, 0), "week",
                     (json_int_t)xrm_stmt_int(s, 1), "every_weeks", (json_int_t)xrm_stmt_int(s, 2),
                     "until_week", xrm_row_int(s, 3), "title", "en", xrm_stmt_text(s, 4), "nl",
                     xrm_stmt_text(s, 5));
}

enum xrm_rc xrm_pw_db_steps(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT code, week, every_weeks, until_week, title_en, "
                                        "title_nl FROM poortwachter_steps ORDER BY position, id",
                                        err);
    return xrm_rows_all(s, step_row, out, err);
}

enum xrm_rc xrm_pw_db_steps_replace(struct xrm_db *db, json_t *items, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_rows_run(xrm_db_prepare(db, "DELETE FROM poortwachter_steps", err), err);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (rc)
            break;
        struct xrm_stmt *s = xrm_db_prepare(
            db,
            "INSERT INTO poortwachter_steps (position, code, week, every_weeks, until_week, "
            "title_en, title_nl) VALUES (?, ?, ?, ?, ?, ?, ?)",
            err);
        if (!s)
            return XRM_E_DB;
        json_t *title = json_object_get(it, "title");
        xrm_stmt_bind_int(s, 1, (int64_t)i + 1);
        xrm_row_bind_str(s, 2, it, "code");
        xrm_row_bind_int(s, 3, it, "week");
        xrm_row_bind_int(s, 4, it, "every_weeks");
        xrm_row_bind_int(s, 5, it, "until_week");
        xrm_row_bind_str(s, 6, title, "en");
        xrm_row_bind_str(s, 7, title, "nl");
        rc = xrm_rows_run(s, err);
    }
    return rc;
}

static json_t *task_row(struct xrm_stmt *s)
{
    return json_pack("{s:I, s:s?, s:s?, s:b, s:o}", "id", (json_int_t)xrm_stmt_int(s, 0), "subject",
                     xrm_stmt_text(s, 1), "due", xrm_stmt_text(s, 2), "done",
                     xrm_stmt_int(s, 3) != 0, "assignee", xrm_row_int(s, 4));
}

enum xrm_rc xrm_pw_db_tasks(struct xrm_db *db, int64_t absence, bool open_only, json_t **out,
                            struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        open_only ? "SELECT a.id, a.subject, a.due, COALESCE(a.done, 0), a.assignee "
                    "FROM record_activities ra JOIN activities a ON a.id = ra.activity_id "
                    "WHERE ra.entity = 'absence' AND ra.entity_id = ? AND ra.kind = 'poortwachter' "
                    "AND COALESCE(a.done, 0) = 0 ORDER BY a.due, a.id"
                  : "SELECT a.id, a.subject, a.due, COALESCE(a.done, 0), a.assignee "
                    "FROM record_activities ra JOIN activities a ON a.id = ra.activity_id "
                    "WHERE ra.entity = 'absence' AND ra.entity_id = ? AND ra.kind = 'poortwachter' "
                    "ORDER BY a.due, a.id",
        err);
    if (s)
        xrm_stmt_bind_int(s, 1, absence);
    return xrm_rows_all(s, task_row, out, err);
}
