/*
 * Erasure and retention SQL (see gdpr-db.h). Texts are found with LIKE on
 * lower-cased columns, with the value's own % _ and \ escaped; the caller
 * does the exact replacement in C, so LIKE only has to find candidates.
 */
#include "domain/privacy/gdpr-db.h"
#include "domain/privacy/gdpr.h" /* documents: the hook */
#include "domain/base/access.h"
#include "domain/base/row.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Other modules' tables that hold free text about a party, when present. */
static const struct {
    const char *table, *a, *b;
} record_texts[] = {
    {"deals", "title", "lost_reason"},
    {"cases", "subject", "description"},
    {"agreements", "title", "notes"},
    /* suppliers and public relations: evaluation notes, stakeholder notes */
    {"supplier_evaluations", "note", "period"},
    {"project_stakeholders", "note", "stance"},
};

static enum xrm_rc exec_int(struct xrm_db *db, const char *sql, int64_t a, int64_t b, const char *t,
                            struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    int i = 1;
    if (t)
        xrm_stmt_bind_text(s, i++, t);
    xrm_stmt_bind_int(s, i++, a);
    if (b)
        xrm_stmt_bind_int(s, i, b);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_anonymise_party(struct xrm_db *db, int64_t id, bool person, const char *now,
                                        struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "UPDATE parties SET name = '[erased]', sort_name = '~erased', given_name = NULL, "
        "family_prefix = NULL, family_name = ?, legal_name = NULL, trade_name = NULL, "
        "emails = '[]', phones = '[]', websites = '[]', addresses = '[]', kvk = NULL, vat = NULL, "
        "iban = NULL, tags = '[]', custom = '{}', external_id = NULL, archived = 1, "
        "version = version + 1, "
        "updated_at = ? WHERE id = ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, person ? "[erased]" : NULL);
    xrm_stmt_bind_text(s, 2, now);
    xrm_stmt_bind_int(s, 3, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    enum xrm_rc rc = exec_int(db, "DELETE FROM party_tags WHERE party_id = ?", id, 0, NULL, err);
    if (!rc)
        rc = exec_int(db, "DELETE FROM party_cities WHERE party_id = ?", id, 0, NULL, err);
    if (!rc) /* the normalised keys (domain/party/keys.h) are personal data too */
        rc = exec_int(db, "DELETE FROM party_keys WHERE party_id = ?", id, 0, NULL, err);
    /* campaigns: the address a campaign went to, and its unsubscribe link (the outcome stays,
       counted in the campaign's report) */
    if (!rc)
        rc = exec_int(db,
                      "UPDATE campaign_recipients SET email = NULL, token_hash = NULL"
                      " WHERE party_id = ?",
                      id, 0, NULL, err);
    /* e-mail sending: the outbox's copies of mails logged on the party's timeline (whole
       messages, with name and address) go; the Message-IDs stay for threading, the addresses
       and subjects kept beside them go */
    if (!rc)
        rc = exec_int(db,
                      "DELETE FROM mail_outbox WHERE id IN (SELECT m.outbox_id FROM mail_messages m"
                      " JOIN activity_parties ap ON ap.activity_id = m.activity_id"
                      " WHERE ap.party_id = ? AND m.outbox_id IS NOT NULL)",
                      id, 0, NULL, err);
    if (!rc)
        rc = exec_int(db,
                      "UPDATE mail_messages SET from_addr = NULL, to_addrs = NULL, subject = NULL"
                      " WHERE activity_id IN (SELECT activity_id FROM activity_parties"
                      " WHERE party_id = ?)",
                      id, 0, NULL, err);
    /* webhooks: the bodies of deliveries about the party hold its data (the erasure's own
       party.deleted event, {"id": n}, is queued after this) */
    if (!rc)
        rc = exec_int(db, "DELETE FROM webhook_deliveries WHERE party_id = ?", id, 0, NULL, err);
    if (!rc)
        rc = xrm_db_search_set(db, id, "", err);
    return rc;
}

enum xrm_rc xrm_gdpr_db_clear_roles(struct xrm_db *db, int64_t party, const char *domain,
                                    const char *now, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        domain ? "UPDATE roles SET attributes = '{}', version = version + 1, updated_at = ? "
                 "WHERE party_id = ? AND domain = ?"
               : "UPDATE roles SET attributes = '{}', version = version + 1, updated_at = ? "
                 "WHERE party_id = ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, now);
    xrm_stmt_bind_int(s, 2, party);
    if (domain)
        xrm_stmt_bind_text(s, 3, domain);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    /* HR, the organisation: the employment history goes with the HR data */
    if (!domain || strcmp(domain, "hr") == 0) {
        enum xrm_rc rc =
            exec_int(db, "DELETE FROM employment WHERE party_id = ?", party, 0, NULL, err);
        if (rc)
            return rc;
    }
    if (domain)
        return exec_int(db,
                        "DELETE FROM role_attrs WHERE role_id IN (SELECT id FROM roles WHERE "
                        "domain = ? AND party_id = ?)",
                        party, 0, domain, err);
    return exec_int(db, "DELETE FROM role_attrs WHERE party_id = ?", party, 0, NULL, err);
}

enum xrm_rc xrm_gdpr_db_clear_notes(struct xrm_db *db, int64_t party, struct xrm_err *err)
{
    enum xrm_rc rc = exec_int(db,
                              "UPDATE relationships SET note = NULL, version = version + 1 WHERE "
                              "(from_party = ? OR to_party = ?) AND note IS NOT NULL",
                              party, party, NULL, err);
    /* HR absence: the notes of absences go; their dates stay for the sickness figures */
    if (!rc)
        rc = exec_int(db,
                      "UPDATE absences SET note = NULL, version = version + 1 WHERE party_id = ? "
                      "AND note IS NOT NULL",
                      party, 0, NULL, err);
    return rc;
}

/*
 * Quotes and invoices: a draft invoice and a quote no invoice refers to go;
 * a quote an invoice refers to loses its buyer snapshot and note. Issued
 * invoices and credit notes stay whole (fiscal retention, 7 years: art. 52
 * AWR, Art. 17(3)(b) GDPR); *kept says how many.
 */
enum xrm_rc xrm_gdpr_db_billing(struct xrm_db *db, int64_t party, int64_t *kept,
                                struct xrm_err *err)
{
    enum xrm_rc rc = exec_int(db, "DELETE FROM invoices WHERE party_id = ? AND status = 'draft'",
                              party, 0, NULL, err);
    if (!rc)
        rc = exec_int(db,
                      "DELETE FROM quotes WHERE party_id = ? AND id NOT IN"
                      " (SELECT quote_id FROM invoices WHERE quote_id IS NOT NULL)",
                      party, 0, NULL, err);
    if (!rc)
        rc = exec_int(db,
                      "UPDATE quotes SET buyer = NULL, note = NULL, accept_token_hash = NULL,"
                      " version = version + 1 WHERE party_id = ?",
                      party, 0, NULL, err);
    if (rc)
        return rc;
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT COUNT(*) FROM invoices WHERE party_id = ? AND status <> 'draft'", err);
    if (s)
        xrm_stmt_bind_int(s, 1, party);
    *kept = 0;
    return xrm_rows_int(s, kept, NULL, err);
}

enum xrm_rc xrm_gdpr_db_mark_erased(struct xrm_db *db, int64_t party, int64_t user, const char *now,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO erasures (party_id, erased_at, erased_by) "
                                        "VALUES (?, ?, ?) ON CONFLICT (party_id) DO UPDATE SET "
                                        "erased_at = excluded.erased_at, erased_by = "
                                        "excluded.erased_by",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party);
    xrm_stmt_bind_text(s, 2, now);
    if (user)
        xrm_stmt_bind_int(s, 3, user);
    else
        xrm_stmt_bind_null(s, 3);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

static json_t *col(struct xrm_stmt *s, int c)
{
    return xrm_stmt_is_null(s, c) ? json_null() : json_string(xrm_stmt_text(s, c));
}

/* Collects rows of a bound statement: column 0 an id, then ntext texts, then nint integers. */
static enum xrm_rc collect(struct xrm_stmt *s, int ntext, int nint, json_t *out,
                           struct xrm_err *err)
{
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *row = json_array();
        json_array_append_new(row, json_integer(xrm_stmt_int(s, 0)));
        for (int c = 1; c <= ntext; c++)
            json_array_append_new(row, col(s, c));
        for (int c = ntext + 1; c <= ntext + nint; c++)
            json_array_append_new(row, json_integer(xrm_stmt_int(s, c)));
        json_array_append_new(out, row);
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_party_activities(struct xrm_db *db, int64_t party, const char *domain,
                                         json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        domain ? "SELECT a.id, a.subject, a.body, (SELECT COUNT(*) FROM activity_parties x WHERE "
                 "x.activity_id = a.id) FROM activity_parties ap JOIN activities a ON a.id = "
                 "ap.activity_id WHERE ap.party_id = ? AND a.domain = ? ORDER BY a.id"
               : "SELECT a.id, a.subject, a.body, (SELECT COUNT(*) FROM activity_parties x WHERE "
                 "x.activity_id = a.id) FROM activity_parties ap JOIN activities a ON a.id = "
                 "ap.activity_id WHERE ap.party_id = ? ORDER BY a.id",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party);
    if (domain)
        xrm_stmt_bind_text(s, 2, domain);
    json_t *rows = json_array();
    enum xrm_rc rc = collect(s, 2, 1, rows, err);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    *out = rows;
    return XRM_OK;
}

/*
 * A data-subject export's records: per kind its domain, its columns as
 * "name:type" (i integer, t text, r real, j stored JSON) and a statement
 * whose parameters are (full access to the domain: 1 or 0, party id).
 */
static const struct {
    const char *key, *domain, *cols, *sql;
} export_kinds[] = {
    {"deals", "sales",
     "id:i title:t amount:i currency:t status:t lost_reason:t expected_close:t created_at:t",
     "SELECT id, title, amount, currency, status, lost_reason, expected_close, created_at"
     " FROM deals WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    {"cases", NULL, "id:i domain:t subject:t description:t status:t priority:t created_at:t",
     "SELECT id, domain, subject, description, status, priority, created_at"
     " FROM cases WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    {"agreements", NULL, "id:i domain:t kind:t title:t start:t end:t value:i notes:t",
     "SELECT id, domain, kind, title, start_date, end_date, value, notes"
     " FROM agreements WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    /* HR: employment history (salary for full access only), absences (the
       note of a sick absence for full access only), on- and offboarding */
    {"employment", "hr",
     "id:i effective:t job_title:t department:i hours_per_week:r contract_type:t salary:i note:t",
     "SELECT id, effective, job_title, department_id, hours_per_week, contract_type,"
     " CASE WHEN ? = 1 THEN salary END, note FROM employment WHERE party_id = ? ORDER BY id"},
    {"absences", "hr", "id:i kind:t from:t until:t minutes:i status:t note:t",
     "SELECT id, kind, from_date, until_date, minutes, status,"
     " CASE WHEN ? = 1 OR kind <> 'sick' THEN note END"
     " FROM absences WHERE party_id = ? ORDER BY id"},
    {"checklists", "hr", "id:i kind:t name:t anchor_date:t items:j",
     "SELECT id, kind, name, anchor_date, items FROM checklists"
     " WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    /* partners: commission lines the party earned (as partner) or was the customer of */
    {"commissions", "partners",
     "id:i partner:i deal:i won_on:t base:i currency:t amount:i status:t",
     "SELECT id, partner_id, deal_id, won_on, base, currency, amount, status FROM commissions"
     " WHERE ? >= 0 AND ? IN (partner_id, party_id) ORDER BY id"},
    /* suppliers and public relations */
    {"supplier_evaluations", "purchasing",
     "id:i period:t quality:i delivery:i price:i communication:i note:t",
     "SELECT id, period, quality, delivery, price, communication, note"
     " FROM supplier_evaluations WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    {"supplier_rating_history", "purchasing", "from:i to:i evaluations:i at:t",
     "SELECT from_rating, to_rating, evaluations, at FROM supplier_rating_history"
     " WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    {"project_stakeholders", "pr", "id:i project:i influence:i interest:i stance:t note:t",
     "SELECT id, project_id, influence, interest, stance, note FROM project_stakeholders"
     " WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    /* purchase invoices of the party as supplier (kept, not erased: bookkeeping) */
    {"purchase_invoices", "purchasing", "id:i number:t date:t gross:i status:t",
     "SELECT id, number, date, gross, status FROM purchase_invoices"
     " WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    {"stance_history", "pr", "project:i from:t to:t at:t",
     "SELECT project_id, from_stance, to_stance, at FROM stakeholder_stance_history"
     " WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    /* mail received: mail from the party's addresses still in (or decided from) the review list */
    {"mail_review", NULL, "id:i domain:t from:t subject:t text:t received_at:t status:t",
     "SELECT id, domain, from_addr, subject, text, received_at, status FROM mail_review"
     " WHERE ? >= 0 AND from_addr IN (SELECT value FROM party_keys WHERE kind = 'email'"
     " AND party_id = ?) ORDER BY id"},
    /* documents on records: their metadata (the files: GET /documents/{id}/content) */
    {"documents", NULL,
     "id:i record_kind:t record_id:i domain:t name:t type:t size:i sha256:t created_at:t",
     "SELECT id, record_kind, record_id, domain, name, type, size, sha256, created_at"
     " FROM documents WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    /* quotes and invoices (with their seller and buyer snapshots) */
    {"quotes", "sales",
     "id:i number:t date:t valid_until:t status:t currency:t lines:j totals:j note:t buyer:j",
     "SELECT id, number, date, valid_until, status, currency, lines, totals, note, buyer"
     " FROM quotes WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    {"invoices", "sales",
     "id:i kind:t number:t date:t due:t status:t currency:t lines:j totals:j paid:i note:t "
     "buyer:j",
     "SELECT id, kind, number, date, due, status, currency, lines, totals, paid, note, buyer"
     " FROM invoices WHERE ? >= 0 AND party_id = ? ORDER BY id"},
    /* campaigns the party was a recipient of (rows of a domain the reader may not read left
       out) */
    {"campaign_recipients", NULL,
     "campaign:i name:t domain:t email:t status:t reason:t unsubscribed_at:t at:t",
     "SELECT r.campaign_id, m.name, m.domain, r.email, r.status, r.reason, r.unsubscribed_at,"
     " r.at FROM campaign_recipients r JOIN campaigns m ON m.id = r.campaign_id"
     " WHERE ? >= 0 AND r.party_id = ? ORDER BY r.id"},
};

static json_t *export_value(struct xrm_stmt *s, int c, char type)
{
    if (xrm_stmt_is_null(s, c))
        return json_null();
    switch (type) {
    case 'i':
        return json_integer(xrm_stmt_int(s, c));
    case 'r':
        return json_real(xrm_stmt_double(s, c));
    case 'j':
        return xrm_json_load_stored(xrm_stmt_text(s, c), false);
    default:
        return xrm_row_text(s, c);
    }
}

/* The rows of one kind as objects named by cols; rows a case or agreement
 * of a domain the reader may not read are left out. */
static enum xrm_rc export_rows(struct xrm_db *db, const struct xrm_user *reader, int k,
                               int64_t party, json_t *out, struct xrm_err *err)
{
    const char *domain = export_kinds[k].domain;
    struct xrm_stmt *s = xrm_db_prepare(db, export_kinds[k].sql, err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, domain && xrm_access_level(reader, domain) >= XRM_LEVEL_FULL);
    xrm_stmt_bind_int(s, 2, party);
    char names[16][32], types[16];
    int n = 0;
    for (const char *p = export_kinds[k].cols; *p && n < 16;) {
        size_t len = strcspn(p, ":");
        snprintf(names[n], sizeof(names[n]), "%.*s", (int)len, p);
        types[n] = p[len + 1];
        n++;
        p += len + 2;
        p += strspn(p, " ");
    }
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *row = json_object();
        for (int c = 0; c < n; c++)
            json_object_set_new(row, names[c], export_value(s, c, types[c]));
        const char *rd = json_string_value(json_object_get(row, "domain"));
        if (!domain && rd && xrm_access_level(reader, rd) < XRM_LEVEL_READ)
            json_decref(row);
        else
            json_array_append_new(out, row);
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_party_records(struct xrm_db *db, const struct xrm_user *reader,
                                      int64_t party, json_t **out, struct xrm_err *err)
{
    json_t *all = json_object();
    enum xrm_rc rc = XRM_OK;
    for (int k = 0; !rc && k < (int)(sizeof(export_kinds) / sizeof(export_kinds[0])); k++) {
        const char *domain = export_kinds[k].domain;
        if (domain && xrm_access_level(reader, domain) < XRM_LEVEL_READ)
            continue;
        json_t *rows = json_array();
        rc = export_rows(db, reader, k, party, rows, err);
        json_object_set_new(all, export_kinds[k].key, rows);
    }
    if (rc) {
        json_decref(all);
        return rc;
    }
    *out = all;
    return XRM_OK;
}

/* audit rows as [id, before, after, entity, entity_id]. */
static enum xrm_rc collect_audit(struct xrm_stmt *s, json_t *out, struct xrm_err *err)
{
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(out, json_pack("[I, o, o, s, I]", (json_int_t)xrm_stmt_int(s, 0),
                                             col(s, 1), col(s, 2), xrm_stmt_text(s, 3),
                                             (json_int_t)xrm_stmt_int(s, 4)));
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_party_audit(struct xrm_db *db, int64_t party, json_t **out,
                                    struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT a.id, a.before, a.after, a.entity, "
                                        "COALESCE(a.entity_id, 0) FROM audit_parties ap JOIN "
                                        "audit a ON a.id = ap.audit_id WHERE ap.party_id = ? "
                                        "ORDER BY a.id",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party);
    json_t *rows = json_array();
    enum xrm_rc rc = collect_audit(s, rows, err);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    *out = rows;
    return XRM_OK;
}

/* "%value%" in lower case with LIKE's special characters escaped by '\'. */
static char *like_pattern(const char *value)
{
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_buf_addc(&b, '%');
    for (const char *p = value; *p; p++) {
        char c = *p;
        if (c == '%' || c == '_' || c == '\\')
            xrm_buf_addc(&b, '\\');
        xrm_buf_addc(&b, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
    xrm_buf_addc(&b, '%');
    return xrm_buf_detach(&b, NULL);
}

enum xrm_rc xrm_gdpr_db_find_activities(struct xrm_db *db, const char *value, json_t *out,
                                        struct xrm_err *err)
{
    char *pat = like_pattern(value);
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, subject, body FROM activities WHERE "
                                        "LOWER(subject) LIKE ? ESCAPE '\\' OR LOWER(body) LIKE ? "
                                        "ESCAPE '\\'",
                                        err);
    enum xrm_rc rc = XRM_E_DB;
    if (s) {
        xrm_stmt_bind_text(s, 1, pat);
        xrm_stmt_bind_text(s, 2, pat);
        rc = collect(s, 2, 0, out, err);
    }
    free(pat);
    return rc;
}

enum xrm_rc xrm_gdpr_db_find_audit(struct xrm_db *db, const char *value, json_t *out,
                                   struct xrm_err *err)
{
    char *pat = like_pattern(value);
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "SELECT id, before, after, entity, COALESCE(entity_id, "
                                        "0) FROM audit WHERE LOWER(before) LIKE ? ESCAPE '\\' OR "
                                        "LOWER(after) LIKE ? ESCAPE '\\'",
                                        err);
    enum xrm_rc rc = XRM_E_DB;
    if (s) {
        xrm_stmt_bind_text(s, 1, pat);
        xrm_stmt_bind_text(s, 2, pat);
        rc = collect_audit(s, out, err);
    }
    free(pat);
    return rc;
}

enum xrm_rc xrm_gdpr_db_find_records(struct xrm_db *db, int64_t party, json_t *out,
                                     struct xrm_err *err)
{
    (void)err;
    for (size_t i = 0; i < sizeof(record_texts) / sizeof(record_texts[0]); i++) {
        char sql[160];
        struct xrm_err lerr = XRM_ERR_INIT;
        snprintf(sql, sizeof(sql), "SELECT id, %s, %s FROM %s WHERE party_id = ?",
                 record_texts[i].a, record_texts[i].b, record_texts[i].table);
        struct xrm_stmt *s = xrm_db_prepare(db, sql, &lerr);
        if (!s)
            continue; /* that module is not part of this build */
        xrm_stmt_bind_int(s, 1, party);
        json_t *rows = json_array();
        if (collect(s, 2, 0, rows, err)) {
            json_decref(rows);
            return XRM_E_DB;
        }
        size_t k;
        json_t *row;
        json_array_foreach(rows, k, row)
        {
            json_array_insert_new(row, 0, json_string(record_texts[i].table));
            json_array_append(out, row);
        }
        json_decref(rows);
    }
    return XRM_OK;
}

enum xrm_rc xrm_gdpr_db_set_activity(struct xrm_db *db, int64_t id, const char *subject,
                                     const char *body, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "UPDATE activities SET subject = ?, body = ?, version = version + 1 WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, subject);
    xrm_stmt_bind_text(s, 2, body);
    xrm_stmt_bind_int(s, 3, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_set_audit(struct xrm_db *db, int64_t id, const char *before,
                                  const char *after, struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "UPDATE audit SET before = ?, after = ? WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, before);
    xrm_stmt_bind_text(s, 2, after);
    xrm_stmt_bind_int(s, 3, id);
    int r = xrm_stmt_step(s, err);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_set_record(struct xrm_db *db, const char *table, int64_t id, const char *a,
                                   const char *b, struct xrm_err *err)
{
    for (size_t i = 0; i < sizeof(record_texts) / sizeof(record_texts[0]); i++) {
        if (strcmp(record_texts[i].table, table) != 0)
            continue;
        char sql[160];
        snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?, %s = ? WHERE id = ?",
                 record_texts[i].table, record_texts[i].a, record_texts[i].b);
        struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_text(s, 1, a);
        xrm_stmt_bind_text(s, 2, b);
        xrm_stmt_bind_int(s, 3, id);
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        return r < 0 ? XRM_E_DB : XRM_OK;
    }
    return XRM_OK;
}

enum xrm_rc xrm_gdpr_db_forget_replies(struct xrm_db *db, int64_t party, const char *value,
                                       struct xrm_err *err)
{
    if (!value) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/api/v1/parties/%lld", (long long)party);
        struct xrm_stmt *s = xrm_db_prepare(db, "DELETE FROM idempotency WHERE location = ?", err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_text(s, 1, loc);
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        return r < 0 ? XRM_E_DB : XRM_OK;
    }
    char *pat = like_pattern(value);
    struct xrm_stmt *s =
        xrm_db_prepare(db, "DELETE FROM idempotency WHERE LOWER(body) LIKE ? ESCAPE '\\'", err);
    int r = -1;
    if (s) {
        xrm_stmt_bind_text(s, 1, pat);
        r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
    }
    free(pat);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* mail received: review rows from value (an address) or naming it in subject or text go. */
enum xrm_rc xrm_gdpr_db_forget_mail_review(struct xrm_db *db, const char *value,
                                           struct xrm_err *err)
{
    char *pat = like_pattern(value);
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "DELETE FROM mail_review WHERE LOWER(from_addr) LIKE ? "
                                        "ESCAPE '\\' OR LOWER(subject) LIKE ? ESCAPE '\\' OR "
                                        "LOWER(text) LIKE ? ESCAPE '\\'",
                                        err);
    int r = -1;
    if (s) {
        for (int i = 1; i <= 3; i++)
            xrm_stmt_bind_text(s, i, pat);
        r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
    }
    free(pat);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_gdpr_db_delete_roles(struct xrm_db *db, int64_t party, const char *domain,
                                     json_t **ids, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id FROM roles WHERE party_id = ? AND domain = ? ORDER BY id", err);
    json_t *list = NULL;
    if (s) {
        xrm_stmt_bind_int(s, 1, party);
        xrm_stmt_bind_text(s, 2, domain);
    }
    enum xrm_rc rc = xrm_rows_all(s, xrm_row_id, &list, err);
    size_t i;
    json_t *id;
    json_array_foreach(list, i, id)
    {
        if (rc)
            break;
        rc = exec_int(db, "DELETE FROM role_attrs WHERE role_id = ?", json_integer_value(id), 0,
                      NULL, err);
        if (!rc)
            rc = exec_int(db, "DELETE FROM roles WHERE id = ?", json_integer_value(id), 0, NULL,
                          err);
    }
    /* HR absence: the hr domain's data of the party includes its absences */
    if (!rc && strcmp(domain, "hr") == 0)
        rc = exec_int(db,
                      "DELETE FROM record_activities WHERE entity = 'absence' AND entity_id IN "
                      "(SELECT id FROM absences WHERE party_id = ?)",
                      party, 0, NULL, err);
    if (!rc && strcmp(domain, "hr") == 0)
        rc = exec_int(db, "DELETE FROM absences WHERE party_id = ?", party, 0, NULL, err);
    /* HR: the party's on- and offboarding checklists go with its HR data (their items are hr
       tasks, removed with the domain's activities) */
    if (!rc && strcmp(domain, "hr") == 0)
        rc = exec_int(db,
                      "DELETE FROM record_activities WHERE entity = 'checklist' AND entity_id IN"
                      " (SELECT id FROM checklists WHERE party_id = ?)",
                      party, 0, NULL, err);
    if (!rc && strcmp(domain, "hr") == 0)
        rc = exec_int(db, "DELETE FROM checklists WHERE party_id = ?", party, 0, NULL, err);
    /* campaigns: the domain's campaigns lose the party's address and unsubscribe link */
    if (!rc)
        rc = exec_int(db,
                      "UPDATE campaign_recipients SET email = NULL, token_hash = NULL WHERE"
                      " campaign_id IN (SELECT id FROM campaigns WHERE domain = ?)"
                      " AND party_id = ?",
                      party, 0, domain, err);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *ids = list;
    return XRM_OK;
}

enum xrm_rc xrm_gdpr_db_drop_activity(struct xrm_db *db, int64_t id, int64_t party, bool only,
                                      struct xrm_err *err)
{
    if (!only)
        return exec_int(db, "DELETE FROM activity_parties WHERE party_id = ? AND activity_id = ?",
                        party, id, NULL, err);
    enum xrm_rc rc =
        exec_int(db, "DELETE FROM activity_parties WHERE activity_id = ?", id, 0, NULL, err);
    if (!rc) {
        /* links of other modules to the activity, when present */
        struct xrm_err lerr = XRM_ERR_INIT;
        struct xrm_stmt *s =
            xrm_db_prepare(db, "DELETE FROM record_activities WHERE activity_id = ?", &lerr);
        if (s) {
            xrm_stmt_bind_int(s, 1, id);
            int r = xrm_stmt_step(s, err);
            xrm_stmt_done(s);
            if (r < 0)
                return XRM_E_DB;
        }
    }
    /* e-mail sending: the outbox's copy of a mail the activity logs (the whole message, with
       the recipient's name and address) goes with it, sent or not */
    if (!rc)
        rc = exec_int(db,
                      "DELETE FROM mail_outbox WHERE id IN (SELECT outbox_id FROM mail_messages"
                      " WHERE activity_id = ? AND outbox_id IS NOT NULL)",
                      id, 0, NULL, err);
    if (!rc)
        rc = exec_int(db, "DELETE FROM activities WHERE id = ?", id, 0, NULL, err);
    return rc;
}

enum xrm_rc xrm_gdpr_db_record_audit(struct xrm_db *db, const char *entity, int64_t id,
                                     json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id, before, after FROM audit WHERE entity = ? AND entity_id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, entity);
    xrm_stmt_bind_int(s, 2, id);
    json_t *rows = json_array();
    enum xrm_rc rc = collect(s, 2, 0, rows, err);
    if (rc) {
        json_decref(rows);
        return rc;
    }
    *out = rows;
    return XRM_OK;
}

/* documents on records: the function domain/hooks.c gives (gdpr.h) */
static xrm_gdpr_documents_fn *documents_fn;

void xrm_gdpr_documents_set(xrm_gdpr_documents_fn *fn)
{
    documents_fn = fn;
}

enum xrm_rc xrm_gdpr_documents_delete(struct xrm_db *db, int64_t party, const char *domain,
                                      int64_t *n, struct xrm_err *err)
{
    if (!documents_fn)
        return xrm_errf(err, XRM_E_INTERNAL, "no documents hook");
    return documents_fn(db, party, domain, n, err);
}
