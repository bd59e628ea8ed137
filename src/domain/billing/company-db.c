/*
 * SQL of the company settings (company-db.h). One row per tenant, made on
 * the first write.
 */
#include "domain/billing/company-db.h"
#include "domain/base/row.h"
#include "core/json.h"
#include "core/mem.h"

#include <stdlib.h>

#include "core/banned.h"

static json_t *settings_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "data", xrm_json_load_stored(xrm_stmt_text(s, 0), false));
    json_object_set_new(o, "logo_type", xrm_row_text(s, 1));
    json_object_set_new(o, "has_logo", json_boolean(xrm_stmt_int(s, 2) != 0));
    json_object_set_new(o, "version", xrm_row_int(s, 3));
    return o;
}

enum xrm_rc xrm_company_db_load(struct xrm_db *db, json_t **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db,
                       "SELECT data, logo_type, CASE WHEN logo IS NULL THEN 0 "
                       "ELSE 1 END, version FROM company_settings WHERE tenant = 1",
                       err);
    return xrm_rows_first(s, settings_row, out, err);
}

enum xrm_rc xrm_company_db_save(struct xrm_db *db, json_t *data, const char *now,
                                struct xrm_err *err)
{
    char *text = xrm_json_dump(data);
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO company_settings (tenant, data, version, updated_at)"
        " VALUES (1, ?, 1, ?) ON CONFLICT (tenant) DO UPDATE SET data = excluded.data,"
        " version = company_settings.version + 1, updated_at = excluded.updated_at",
        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, text);
        xrm_stmt_bind_text(s, 2, now);
    }
    enum xrm_rc rc = xrm_rows_run(s, err);
    free(text);
    return rc;
}

enum xrm_rc xrm_company_db_logo(struct xrm_db *db, const char *logo_b64, const char *type,
                                const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO company_settings (tenant, data, logo, logo_type, version, updated_at)"
        " VALUES (1, '{}', ?, ?, 1, ?) ON CONFLICT (tenant) DO UPDATE SET logo = excluded.logo,"
        " logo_type = excluded.logo_type, version = company_settings.version + 1,"
        " updated_at = excluded.updated_at",
        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, logo_b64);
        xrm_stmt_bind_text(s, 2, logo_b64 ? type : NULL);
        xrm_stmt_bind_text(s, 3, now);
    }
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_company_db_logo_get(struct xrm_db *db, char **b64, char **type, struct xrm_err *err)
{
    *b64 = NULL;
    *type = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT logo, logo_type FROM company_settings WHERE tenant = 1", err);
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0)) {
        *b64 = xrm_strdup(xrm_stmt_text(s, 0));
        *type = xrm_strdup(xrm_stmt_text(s, 1) ? xrm_stmt_text(s, 1) : "image/png");
    }
    xrm_stmt_done(s);
    return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
}
