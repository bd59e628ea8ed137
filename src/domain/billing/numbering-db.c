/*
 * The gapless sequences of number_sequences (numbering.h): made on first
 * use, then incremented in place inside the caller's write, so the row
 * lock (PostgreSQL) or the single writer (SQLite) orders concurrent
 * issuers and a rolled-back write leaves no gap.
 */
#include "domain/billing/numbering.h"
#include "domain/base/row.h"

#include "core/banned.h"

enum xrm_rc xrm_number_next(struct xrm_db *db, const char *name, int year, int64_t first,
                            int64_t *out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO number_sequences (tenant, name, year, last_no)"
                                        " VALUES (1, ?, ?, ?) ON CONFLICT (tenant, name, year)"
                                        " DO NOTHING",
                                        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, name);
        xrm_stmt_bind_int(s, 2, year);
        xrm_stmt_bind_int(s, 3, first - 1);
    }
    enum xrm_rc rc = xrm_rows_run(s, err);
    if (rc)
        return rc;
    s = xrm_db_prepare(db,
                       "UPDATE number_sequences SET last_no = last_no + 1"
                       " WHERE tenant = 1 AND name = ? AND year = ? RETURNING last_no",
                       err);
    if (s) {
        xrm_stmt_bind_text(s, 1, name);
        xrm_stmt_bind_int(s, 2, year);
    }
    return xrm_rows_int(s, out, NULL, err);
}
