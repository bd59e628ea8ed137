/*
 * Purchase invoices: upload (read, match, store once), status and supplier
 * changes through the generic record update, lists and the original XML.
 * SQL in purchase-invoice-db.c.
 */
#include "domain/srm/purchase-invoice.h"
#include "domain/srm/purchase-invoice-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/records/records.h"
#include "io/text.h"
#include "io/ubl.h"
#include "core/json.h"
#include "core/util.h"
#include "core/validate.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DOMAIN "purchasing"

/* ---- upload ----------------------------------------------------------- */

struct upload {
    const struct xrm_user *user;
    json_t *inv; /* parsed */
    const char *xml;
    size_t len;
    char sha[crypto_hash_sha256_BYTES * 2 + 1];
    json_t *out;
};

/* The VAT id in canonical form (upper case, letters and digits only). */
static void vat_key(const char *s, char *out, size_t n)
{
    size_t j = 0;
    if (xrm_norm_vat(s, out, n))
        return;
    for (; *s && j + 1 < n; s++)
        if (isalnum((unsigned char)*s))
            out[j++] = (char)toupper((unsigned char)*s);
    out[j] = '\0';
}

static void kvk_key(const char *s, char *out, size_t n)
{
    size_t j = 0;
    for (; *s && j + 1 < n; s++)
        if (isdigit((unsigned char)*s))
            out[j++] = *s;
    out[j] = '\0';
}

/* A note on the supplier's timeline (purchasing): the invoice received, its number and total. */
static enum xrm_rc timeline_note(struct xrm_db *db, struct upload *u, int64_t party,
                                 struct xrm_err *err)
{
    const char *number = json_string_value(json_object_get(u->inv, "number"));
    const char *kind = json_string_value(json_object_get(u->inv, "kind"));
    json_int_t gross =
        json_integer_value(json_object_get(json_object_get(u->inv, "totals"), "gross"));
    const char *cur = json_string_value(json_object_get(u->inv, "currency"));
    char subject[300], body[120];
    bool credit = kind && strcmp(kind, "credit_note") == 0;
    snprintf(subject, sizeof subject, "%s %.200s ontvangen (e-factuur)",
             credit ? "Creditnota" : "Inkoopfactuur", number ? number : "");
    snprintf(body, sizeof body, "Totaal incl. btw: %s %s%lld,%02lld", cur ? cur : "EUR",
             gross < 0 ? "-" : "", (long long)(gross < 0 ? -gross : gross) / 100,
             (long long)(gross < 0 ? -gross : gross) % 100);
    json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:[I]}", "type", "note", "domain", DOMAIN,
                           "subject", subject, "body", body, "parties", (json_int_t)party);
    enum xrm_rc rc = xrm_activity_insert_tx(db, u->user, in, NULL, NULL, err);
    json_decref(in);
    return rc;
}

static enum xrm_rc upload_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct upload *u = arg;
    json_t *sup = json_object_get(u->inv, "supplier");
    const char *vat = json_string_value(json_object_get(sup, "vat"));
    const char *kvk = json_string_value(json_object_get(sup, "kvk"));
    const char *match = "none";
    int64_t dup = 0, party = 0, id = 0;
    char key[64], now[XRM_TIME_LEN];

    enum xrm_rc rc = xrm_access_write(u->user, DOMAIN, err);
    if (!rc)
        rc = xrm_purchase_invoice_db_by_sha(db, u->sha, &dup, err);
    if (rc)
        return rc;
    if (dup)
        return xrm_err_field(err, XRM_E_CONFLICT, "body",
                             "this file was uploaded before (purchase invoice %lld)",
                             (long long)dup);
    if (vat && *vat) {
        vat_key(vat, key, sizeof key);
        if (*key)
            rc = xrm_purchase_invoice_db_match(db, true, key, &party, err);
        if (!rc && party)
            match = "vat";
    }
    if (!rc && !party && kvk && *kvk) {
        kvk_key(kvk, key, sizeof key);
        if (*key)
            rc = xrm_purchase_invoice_db_match(db, false, key, &party, err);
        if (!rc && party)
            match = "kvk";
    }
    if (rc)
        return rc;
    xrm_now(now);
    rc = xrm_purchase_invoice_db_insert(db, u->inv, party, match, u->xml, u->len, u->sha,
                                        u->user ? u->user->id : 0, now, &id, err);
    if (!rc)
        rc = xrm_record_db_load(db, &xrm_purchase_invoice_kind, id, &u->out, err);
    if (!rc && party)
        rc = timeline_note(db, u, party, err);
    if (!rc && party)
        rc = xrm_party_touch(db, party, err);
    if (!rc)
        rc = xrm_audit_add(db, u->user, "create", xrm_purchase_invoice_kind.name, id, NULL, u->out,
                           err);
    return rc;
}

/* Reads the file into u (outside any transaction: parsing is the slow part). */
static enum xrm_rc upload_read(struct upload *u, const char *xml, size_t len, struct xrm_err *err)
{
    char msg[256];
    unsigned char h[crypto_hash_sha256_BYTES];
    if (!xml || len == 0)
        return xrm_err_field(err, XRM_E_INVALID, "body", "must be a UBL invoice (XML)");
    if (len > XRM_UBL_MAX_BYTES)
        return xrm_err_field(err, XRM_E_LIMIT, "body", "must be at most %d bytes",
                             XRM_UBL_MAX_BYTES);
    if (memchr(xml, 0, len))
        return xrm_err_field(err, XRM_E_INVALID, "body", "must be UTF-8 XML");
    if (xrm_ubl_read(xml, len, &u->inv, msg, sizeof msg) != 0)
        return xrm_err_field(err, XRM_E_INVALID, "body", "is not a UBL invoice: %s", msg);
    /* stored as text: the file must be UTF-8 whatever it declares */
    if (!xrm_text_utf8_valid(xml, len))
        return xrm_err_field(err, XRM_E_INVALID, "body", "must be UTF-8 XML");
    crypto_hash_sha256(h, (const unsigned char *)xml, len);
    sodium_bin2hex(u->sha, sizeof u->sha, h, sizeof h);
    u->xml = xml;
    u->len = len;
    return XRM_OK;
}

enum xrm_rc xrm_purchase_invoice_upload(struct xrm_ctx *ctx, const char *xml, size_t len,
                                        json_t **out, struct xrm_err *err)
{
    struct upload u = {.user = &ctx->user};
    /* refused before the file is read when the user may not write */
    enum xrm_rc rc = xrm_access_write(&ctx->user, DOMAIN, err);
    if (!rc)
        rc = upload_read(&u, xml, len, err);
    if (!rc)
        rc = xrm_store_write(ctx->store, upload_tx, &u, err);
    if (!rc) {
        *out = u.out;
        u.out = NULL;
    }
    json_decref(u.out);
    json_decref(u.inv);
    return rc;
}

enum xrm_rc xrm_purchase_invoice_upload_tx(struct xrm_db *db, const struct xrm_user *user,
                                           const char *xml, size_t len, json_t **out,
                                           struct xrm_err *err)
{
    struct upload u = {.user = user};
    enum xrm_rc rc = upload_read(&u, xml, len, err);
    if (!rc)
        rc = upload_tx(db, &u, err);
    if (!rc && out) {
        *out = u.out;
        u.out = NULL;
    }
    json_decref(u.out);
    json_decref(u.inv);
    return rc;
}

/* ---- status and supplier ------------------------------------------------ */

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"status", NULL};
    const struct xrm_record_kind *K = &xrm_purchase_invoice_kind;
    json_t *in = w->in, *rec = json_object();
    int nf = err->nfields;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in) || !before) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    xrm_record_read_all(K, plain, in, before, rec, err);
    json_t *party = json_object_get(in, "party");
    if (!party) {
        json_object_set(rec, "party", json_object_get(before, "party"));
        json_object_set(rec, "match", json_object_get(before, "match"));
    } else if (json_is_null(party)) {
        json_object_set_new(rec, "party", json_null());
        json_object_set_new(rec, "match", json_string("none"));
    } else {
        int64_t id = 0;
        rc = xrm_records_party(db, in, "party", &id, err);
        if (rc)
            goto out;
        json_object_set_new(rec, "party", id ? json_integer(id) : json_null());
        json_t *old = json_object_get(before, "party");
        if (json_is_integer(old) && json_integer_value(old) == id)
            json_object_set(rec, "match", json_object_get(before, "match"));
        else
            json_object_set_new(rec, "match", json_string("manual"));
    }
out:
    if (!rc && err->nfields > nf)
        rc = err->rc ? err->rc : XRM_E_INVALID;
    if (rc) {
        json_decref(rec);
        return rc;
    }
    *rec_out = rec;
    return XRM_OK;
}

static const struct xrm_record_ops ops = {
    .kind = &xrm_purchase_invoice_kind,
    .domain = DOMAIN,
    .validate = validate,
    .touch = xrm_party_touch,
};

enum xrm_rc xrm_purchase_invoice_get(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                     struct xrm_err *err)
{
    return xrm_record_get(ctx, &ops, id, out, err);
}

enum xrm_rc xrm_purchase_invoice_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                        json_t *patch, json_t **out, struct xrm_err *err)
{
    return xrm_record_update(ctx, &ops, id, if_version, patch, NULL, out, err);
}

/* ---- reading ------------------------------------------------------------ */

enum xrm_rc xrm_purchase_invoice_list(struct xrm_ctx *ctx, int64_t party, const char *status,
                                      int limit, const char *cursor, json_t **out,
                                      struct xrm_err *err)
{
    static const char *const statuses[] = {"received", "approved", "paid", NULL};
    struct xrm_record_cond c[2];
    int n = 0;
    int64_t before = 0;
    json_t *items = NULL;
    enum xrm_rc rc;
    if (xrm_access_level(&ctx->user, DOMAIN) < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "no read access to domain '%s'", DOMAIN);
    if (status && *status && !xrm_str_in(statuses, status))
        return xrm_err_field(err, XRM_E_INVALID, "status", "must be one of %s",
                             "received, approved, paid");
    if (cursor && *cursor) {
        json_t *k = xrm_cursor_decode(cursor);
        if (!json_is_integer(k)) {
            json_decref(k);
            return xrm_err_field(err, XRM_E_MALFORMED, "cursor", "not a cursor of this list");
        }
        before = json_integer_value(k);
        json_decref(k);
    }
    if (limit < 1 || limit > XRM_LIST_MAX)
        limit = XRM_LIST_DEFAULT;
    if (party) {
        c[n] = (struct xrm_record_cond){.sql = "x.party_id = ?"};
        xrm_record_cond_num(&c[n], party);
        n++;
    }
    if (status && *status) {
        c[n] = (struct xrm_record_cond){.sql = "x.status = ?"};
        xrm_record_cond_text(&c[n], status);
        n++;
    }
    rc = xrm_record_db_list(ctx->db, &xrm_purchase_invoice_kind, c, n, NULL, limit + 1, before,
                            &items, err);
    if (rc)
        return rc;
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        char *cur = xrm_cursor_encode(json_object_get(json_array_get(items, limit - 1), "id"));
        next = json_string(cur);
        free(cur);
    }
    *out = json_pack("{s:o, s:o}", "items", items, "next", next);
    return XRM_OK;
}

enum xrm_rc xrm_purchase_invoice_xml(struct xrm_ctx *ctx, int64_t id, char **xml, size_t *len,
                                     struct xrm_err *err)
{
    enum xrm_rc rc = xrm_access_read(&ctx->user, DOMAIN, "purchase_invoice", id, err);
    if (!rc)
        rc = xrm_purchase_invoice_db_xml(ctx->db, id, xml, len, err);
    return rc;
}
