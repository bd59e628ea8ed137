#include "domain/party/party-ref.h"
#include "core/util.h"

#include "core/banned.h"

enum xrm_rc xrm_party_check(struct xrm_db *db, int64_t id, const char *field, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, "SELECT 1 FROM parties WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_err_field(err, XRM_E_NOTFOUND, field, "no party %lld", (long long)id);
    return XRM_OK;
}

enum xrm_rc xrm_party_touch(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    struct xrm_stmt *s = xrm_db_prepare(
        db, "UPDATE parties SET version = version + 1, updated_at = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_now(now);
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_int(s, 2, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}
