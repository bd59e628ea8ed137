/*
 * SQL of documents (document-db.h).
 */
#include "domain/docs/document-db.h"
#include "domain/base/access.h"
#include "domain/base/row.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DOC_COLS                                                                                   \
    "d.id, d.name, d.type, d.size, d.sha256, d.record_kind, d.record_id, d.party_id, d.domain, "   \
    "d.created_at, d.created_by"

static json_t *doc_row(struct xrm_stmt *s)
{
    json_t *o = json_object();
    char rec[48];
    json_object_set_new(o, "id", xrm_row_int(s, 0));
    json_object_set_new(o, "name", xrm_row_text(s, 1));
    json_object_set_new(o, "type", xrm_row_text(s, 2));
    json_object_set_new(o, "size", xrm_row_int(s, 3));
    json_object_set_new(o, "sha256", xrm_row_text(s, 4));
    /* a party's own document follows its party_id (a merge moves that): see document-db.h */
    const char *kind = xrm_stmt_text(s, 5);
    bool party = kind && strcmp(kind, "party") == 0;
    snprintf(rec, sizeof(rec), "%s:%lld", kind ? kind : "",
             (long long)xrm_stmt_int(s, party ? 7 : 6));
    json_object_set_new(o, "record", json_string(rec));
    json_object_set_new(o, "party", xrm_row_int(s, 7));
    json_object_set_new(o, "domain", xrm_row_text(s, 8));
    json_object_set_new(o, "created_at", xrm_row_text(s, 9));
    json_object_set_new(o, "created_by", xrm_row_int(s, 10));
    return o;
}

/* The lookup of one record kind: party id, domain (NULL: the fixed one), embargo. */
static const struct {
    const char *kind;
    const char *sql;
    const char *fixed; /* the domain of kinds without a column; "" for a party */
} lookups[] = {
    {"party", "SELECT id, NULL, NULL FROM parties WHERE id = ?", ""},
    {"deal", "SELECT party_id, NULL, NULL FROM deals WHERE id = ?", "sales"},
    {"case", "SELECT party_id, domain, NULL FROM cases WHERE id = ?", NULL},
    {"agreement", "SELECT party_id, domain, NULL FROM agreements WHERE id = ?", NULL},
    {"quote", "SELECT party_id, NULL, NULL FROM quotes WHERE id = ?", "sales"},
    {"invoice", "SELECT party_id, NULL, NULL FROM invoices WHERE id = ?", "sales"},
    {"activity",
     "SELECT (SELECT MIN(ap.party_id) FROM activity_parties ap WHERE ap.activity_id = a.id), "
     "a.domain, a.embargo FROM activities a WHERE a.id = ?",
     NULL},
};

enum xrm_rc xrm_document_db_record(struct xrm_db *db, const char *kind, int64_t id,
                                   struct xrm_doc_record *rec, struct xrm_err *err)
{
    memset(rec, 0, sizeof(*rec));
    for (size_t i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
        if (strcmp(kind, lookups[i].kind) != 0)
            continue;
        struct xrm_stmt *s = xrm_db_prepare(db, lookups[i].sql, err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, id);
        int r = xrm_stmt_step(s, err);
        if (r == 1) {
            rec->found = true;
            rec->party = xrm_stmt_is_null(s, 0) ? 0 : xrm_stmt_int(s, 0);
            const char *d = lookups[i].fixed ? lookups[i].fixed : xrm_stmt_text(s, 1);
            xrm_strlcpy(rec->domain, d ? d : "", sizeof(rec->domain));
            const char *e = xrm_stmt_text(s, 2);
            xrm_strlcpy(rec->embargo, e ? e : "", sizeof(rec->embargo));
        }
        xrm_stmt_done(s);
        return r < 0 ? xrm_rows_step_rc(err) : XRM_OK;
    }
    return XRM_OK; /* an unknown kind: no such record */
}

enum xrm_rc xrm_document_db_insert(struct xrm_db *db, const char *kind, int64_t record_id,
                                   int64_t party, const char *domain, const char *name,
                                   const char *type, size_t size, const char *sha256,
                                   int64_t created_by, json_t **out, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    int64_t id = 0;
    *out = NULL;
    xrm_now(now);
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "INSERT INTO documents (record_kind, record_id, party_id, domain, name, type, size, "
        "sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, kind);
        xrm_stmt_bind_int(s, 2, record_id);
        if (party > 0)
            xrm_stmt_bind_int(s, 3, party);
        else
            xrm_stmt_bind_null(s, 3);
        xrm_stmt_bind_text(s, 4, domain);
        xrm_stmt_bind_text(s, 5, name);
        xrm_stmt_bind_text(s, 6, type);
        xrm_stmt_bind_int(s, 7, (int64_t)size);
        xrm_stmt_bind_text(s, 8, sha256);
        if (created_by > 0)
            xrm_stmt_bind_int(s, 9, created_by);
        else
            xrm_stmt_bind_null(s, 9);
        xrm_stmt_bind_text(s, 10, now);
    }
    enum xrm_rc rc = xrm_rows_int(s, &id, NULL, err);
    if (!rc)
        rc = xrm_document_db_load(db, id, out, err);
    if (!rc && !*out)
        rc = xrm_errf(err, XRM_E_INTERNAL, "the new document cannot be read back");
    return rc;
}

enum xrm_rc xrm_document_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT " DOC_COLS " FROM documents d WHERE d.id = ?", err);
    if (s)
        xrm_stmt_bind_int(s, 1, id);
    return xrm_rows_first(s, doc_row, out, err);
}

enum xrm_rc xrm_document_db_list(struct xrm_db *db, const char *kind, int64_t id,
                                 const struct xrm_user *u, json_t **out, struct xrm_err *err)
{
    *out = NULL;
    bool party = strcmp(kind, "party") == 0;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        party ? "SELECT " DOC_COLS " FROM documents d WHERE d.record_kind = ? AND d.party_id = ? "
                "AND " XRM_ACCESS_MATCH("d.domain") " ORDER BY d.id"
              : "SELECT " DOC_COLS " FROM documents d WHERE d.record_kind = ? AND d.record_id = ? "
                "AND " XRM_ACCESS_MATCH("d.domain") " ORDER BY d.id",
        err);
    if (s) {
        xrm_stmt_bind_text(s, 1, kind);
        xrm_stmt_bind_int(s, 2, id);
        xrm_access_bind(s, 3, u);
    }
    return xrm_rows_all(s, doc_row, out, err);
}

enum xrm_rc xrm_document_db_party(struct xrm_db *db, int64_t party, const char *domain,
                                  json_t **out, struct xrm_err *err)
{
    *out = NULL;
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        domain ? "SELECT " DOC_COLS " FROM documents d WHERE d.party_id = ? AND d.domain = ? "
                 "ORDER BY d.id"
               : "SELECT " DOC_COLS " FROM documents d WHERE d.party_id = ? ORDER BY d.id",
        err);
    if (s) {
        xrm_stmt_bind_int(s, 1, party);
        if (domain)
            xrm_stmt_bind_text(s, 2, domain);
    }
    return xrm_rows_all(s, doc_row, out, err);
}

enum xrm_rc xrm_document_db_blob(struct xrm_db *db, const char *sha256, bool *found, int64_t *oid,
                                 struct xrm_err *err)
{
    *oid = 0;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT COALESCE(oid, 0) FROM document_blobs WHERE sha256 = ?", err);
    if (s)
        xrm_stmt_bind_text(s, 1, sha256);
    return xrm_rows_int(s, oid, found, err);
}

enum xrm_rc xrm_document_db_blob_insert(struct xrm_db *db, const char *sha256, size_t size,
                                        int64_t oid, struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    xrm_now(now);
    struct xrm_stmt *s = xrm_db_prepare(
        db, "INSERT INTO document_blobs (sha256, size, oid, created_at) VALUES (?, ?, ?, ?)", err);
    if (s) {
        xrm_stmt_bind_text(s, 1, sha256);
        xrm_stmt_bind_int(s, 2, (int64_t)size);
        if (oid > 0)
            xrm_stmt_bind_int(s, 3, oid);
        else
            xrm_stmt_bind_null(s, 3);
        xrm_stmt_bind_text(s, 4, now);
    }
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_document_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err)
{
    return xrm_rows_exec_id(db, "DELETE FROM documents WHERE id = ?", id, err);
}

enum xrm_rc xrm_document_db_release(struct xrm_db *db, const char *sha256, struct xrm_err *err)
{
    bool used = false, found = false;
    int64_t oid = 0;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT 1 FROM documents WHERE sha256 = ? LIMIT 1", err);
    if (s)
        xrm_stmt_bind_text(s, 1, sha256);
    enum xrm_rc rc = xrm_rows_int(s, NULL, &used, err);
    if (rc || used)
        return rc;
    rc = xrm_document_db_blob(db, sha256, &found, &oid, err);
    if (!rc && found) {
        s = xrm_db_prepare(db, "DELETE FROM document_blobs WHERE sha256 = ?", err);
        if (s)
            xrm_stmt_bind_text(s, 1, sha256);
        rc = xrm_rows_run(s, err);
    }
    /* the content goes last, after its rows (a file removal cannot be rolled back) */
    if (!rc)
        rc = xrm_db_blob_remove(db, sha256, oid, err);
    return rc;
}
