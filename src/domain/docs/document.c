/*
 * Documents on records (document.h): access, names and types, the content
 * kept once per SHA-256 (store.h blobs, document_blobs), audit.
 */
#include "domain/docs/document.h"
#include "domain/docs/document-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "io/preview.h"
#include "io/text.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"

#include <ctype.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define NAME_MAX_BYTES 255
#define TYPE_MAX 127

const char *const xrm_document_kinds[] = {"party", "deal",    "case",     "agreement",
                                          "quote", "invoice", "activity", NULL};

/* The order a party's document gets its domain in when none is asked. */
static const char *const party_domains[] = {"sales", "hr", "partners", "purchasing", "pr", NULL};

static _Atomic size_t max_upload; /* 0: not set yet */

size_t xrm_document_max_upload(void)
{
    size_t m = atomic_load(&max_upload);
    if (m)
        return m;
    m = XRM_DOCUMENT_MAX_UPLOAD_DEFAULT;
    int64_t v;
    const char *env = getenv("XRM_MAX_UPLOAD");
    if (env && xrm_parse_int(env, 1, INT64_MAX / 2, &v))
        m = (size_t)v;
    size_t zero = 0;
    atomic_compare_exchange_strong(&max_upload, &zero, m);
    return atomic_load(&max_upload);
}

void xrm_document_max_upload_set(size_t max)
{
    atomic_store(&max_upload, max ? max : XRM_DOCUMENT_MAX_UPLOAD_DEFAULT);
}

bool xrm_document_record_parse(const char *s, const char *field, const char **kind, int64_t *id,
                               struct xrm_err *err)
{
    const char *colon = s ? strchr(s, ':') : NULL;
    *kind = NULL;
    *id = 0;
    if (colon) {
        for (size_t i = 0; xrm_document_kinds[i]; i++) {
            size_t n = strlen(xrm_document_kinds[i]);
            if ((size_t)(colon - s) == n && strncmp(s, xrm_document_kinds[i], n) == 0 &&
                xrm_parse_int(colon + 1, 1, INT64_MAX, id)) {
                *kind = xrm_document_kinds[i];
                return true;
            }
        }
    }
    xrm_err_field(err, XRM_E_MALFORMED, field,
                  "must be a record such as party:12 (party, deal, case, agreement, quote, "
                  "invoice or activity)");
    return false;
}

/*
 * The name kept: the last part of a path (either slash), UTF-8 (other bytes
 * read as Windows-1252), no control characters, at most 255 bytes cut at a
 * character; "document" when nothing is left. Malloc'd.
 */
static char *clean_name(const char *name)
{
    struct xrm_buf in, out;
    xrm_buf_init(&in, 64);
    xrm_buf_init(&out, 64);
    const char *base = name ? name : "";
    for (const char *p = base; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = strlen(base);
    if (xrm_text_utf8_valid(base, n))
        xrm_buf_add(&in, base, n);
    else
        xrm_text_to_utf8(&in, base, n, "WINDOWS-1252");
    const unsigned char *p = (const unsigned char *)(in.s ? in.s : "");
    while (*p == ' ' || *p == '.') /* no hidden or dot-only names */
        p++;
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            continue;
        /* U+0080..U+009F (C1 controls) are C2 80..C2 9F */
        if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            p++;
            continue;
        }
        if (out.len >= NAME_MAX_BYTES && (*p & 0xc0) != 0x80)
            break;
        if (out.len >= NAME_MAX_BYTES) { /* inside a character: drop its start */
            while (out.len && ((unsigned char)out.s[out.len - 1] & 0xc0) == 0x80)
                out.len--;
            if (out.len)
                out.len--;
            break;
        }
        xrm_buf_addc(&out, (char)*p);
    }
    while (out.len && out.s[out.len - 1] == ' ')
        out.len--;
    if (out.s)
        out.s[out.len] = 0;
    if (!out.len)
        xrm_buf_adds(&out, "document");
    xrm_buf_release(&in);
    return xrm_buf_detach(&out, NULL);
}

static bool tchar(int c)
{
    return isalnum(c) || (c && strchr("!#$&-^_.+", c));
}

/* "type/subtype" of a Content-Type (parameters dropped, lower case) into out; false if bad. */
static bool clean_type(const char *type, char out[TYPE_MAX + 1])
{
    size_t n = 0, slash = 0;
    const char *p = type ? type : "";
    while (*p == ' ')
        p++;
    for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++) {
        if (n >= TYPE_MAX)
            return false;
        if (*p == '/') {
            if (slash || !n)
                return false;
            slash = n;
        } else if (!tchar((unsigned char)*p)) {
            return false;
        }
        out[n++] = (char)tolower((unsigned char)*p);
    }
    out[n] = 0;
    return slash && slash + 1 < n;
}

/*
 * The domain a document on rec gets, asked is the domain asked for (NULL:
 * none): a party's the asked one or the first the user may write; another
 * record's its own (asking another is a 422).
 */
static enum xrm_rc pick_domain(const struct xrm_user *u, const struct xrm_doc_record *rec,
                               const char *asked, const char **out, struct xrm_err *err)
{
    *out = NULL;
    if (rec->domain[0]) {
        if (asked && strcmp(asked, rec->domain) != 0)
            return xrm_err_field(err, XRM_E_INVALID, "domain",
                                 "a document on this record belongs to its domain '%s'",
                                 rec->domain);
        *out = rec->domain;
        return XRM_OK;
    }
    if (asked) {
        if (!xrm_domain_valid(asked))
            return xrm_err_field(err, XRM_E_INVALID, "domain",
                                 "must be one of sales, hr, partners, purchasing, pr");
        for (size_t i = 0; xrm_domains[i]; i++)
            if (strcmp(xrm_domains[i], asked) == 0)
                *out = xrm_domains[i];
        return XRM_OK;
    }
    for (size_t i = 0; party_domains[i]; i++) {
        if (xrm_access_level(u, party_domains[i]) >= XRM_LEVEL_WRITE) {
            *out = party_domains[i];
            return XRM_OK;
        }
    }
    return xrm_errf(err, XRM_E_DENIED, "no write access to any domain");
}

/* The record must exist and be visible to u in domain (a document's or the record's). */
static enum xrm_rc record_visible(const struct xrm_user *u, const char *kind, int64_t id,
                                  const struct xrm_doc_record *rec, const char *domain,
                                  struct xrm_err *err)
{
    if (!rec->found)
        return xrm_errf(err, XRM_E_NOTFOUND, "no %s %lld", kind, (long long)id);
    if (domain && xrm_access_read(u, domain, kind, id, err))
        return XRM_E_NOTFOUND;
    if (rec->embargo[0]) {
        json_t *act = json_pack("{ss}", "embargo", rec->embargo);
        bool hidden = xrm_access_embargoed(u, act);
        json_decref(act);
        if (hidden)
            return xrm_errf(err, XRM_E_NOTFOUND, "no %s %lld", kind, (long long)id);
    }
    return XRM_OK;
}

enum xrm_rc xrm_document_add_tx(struct xrm_db *db, const struct xrm_user *user,
                                const char *record_kind, int64_t record_id, const char *domain,
                                const char *name, const char *type, const void *data, size_t len,
                                json_t **out, struct xrm_err *err)
{
    struct xrm_doc_record rec;
    const char *dom = NULL;
    char *clean = NULL, ctype[TYPE_MAX + 1], sha[65];
    unsigned char h[crypto_hash_sha256_BYTES];
    bool have = false;
    int64_t oid = 0;
    *out = NULL;
    enum xrm_rc rc =
        xrm_document_db_record(db, record_kind ? record_kind : "", record_id, &rec, err);
    if (rc)
        goto out;
    /* a record the user may not see does not exist, whatever the domain asked */
    rc = record_visible(user, record_kind ? record_kind : "record", record_id, &rec,
                        rec.domain[0] ? rec.domain : NULL, err);
    if (!rc)
        rc = pick_domain(user, &rec, domain, &dom, err);
    if (!rc)
        rc = xrm_access_write(user, dom, err);
    if (rc)
        goto out;
    if (len > xrm_document_max_upload()) {
        rc = xrm_errf(err, XRM_E_LIMIT, "the file is larger than %zu bytes",
                      xrm_document_max_upload());
        xrm_err_code(err, "too_large");
        goto out;
    }
    if (!len) {
        rc = xrm_err_field(err, XRM_E_INVALID, "content", "the file is empty");
        goto out;
    }
    if (!clean_type(type, ctype)) {
        rc = xrm_err_field(err, XRM_E_INVALID, "type",
                           "must be a media type such as "
                           "application/pdf");
        goto out;
    }
    clean = clean_name(name);
    crypto_hash_sha256(h, data, len);
    xrm_hex(h, sizeof(h), sha);
    rc = xrm_document_db_blob(db, sha, &have, &oid, err);
    /* the content before the row: a row never names a content that is not there */
    if (!rc && (!have || !oid))
        rc = xrm_db_blob_put(db, sha, data, len, &oid, err);
    if (!rc && !have)
        rc = xrm_document_db_blob_insert(db, sha, len, oid, err);
    if (!rc)
        rc = xrm_document_db_insert(db, record_kind, record_id, rec.party, dom, clean, ctype, len,
                                    sha, user ? user->id : 0, out, err);
    if (!rc)
        rc = xrm_audit_add(db, user, "create", "document",
                           json_integer_value(json_object_get(*out, "id")), NULL, *out, err);
out:
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    free(clean);
    return rc;
}

struct add_arg {
    const struct xrm_user *user;
    const char *kind, *domain, *name, *type;
    int64_t id;
    const void *data;
    size_t len;
    json_t *out;
};

static enum xrm_rc add_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct add_arg *a = arg;
    return xrm_document_add_tx(db, a->user, a->kind, a->id, a->domain, a->name, a->type, a->data,
                               a->len, &a->out, err);
}

enum xrm_rc xrm_document_add(struct xrm_ctx *ctx, const char *record, const char *domain,
                             const char *name, const char *type, const void *data, size_t len,
                             json_t **out, struct xrm_err *err)
{
    struct add_arg a = {
        .user = &ctx->user, .domain = domain, .name = name, .type = type, .data = data, .len = len};
    *out = NULL;
    if (!xrm_document_record_parse(record, "record", &a.kind, &a.id, err))
        return err ? err->rc : XRM_E_MALFORMED;
    if (len > xrm_document_max_upload()) { /* before the write: nothing to store */
        xrm_errf(err, XRM_E_LIMIT, "the file is larger than %zu bytes", xrm_document_max_upload());
        return xrm_err_code(err, "too_large");
    }
    enum xrm_rc rc = xrm_store_write(ctx->store, add_fn, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}

/* The document id as u may see it, read on db: its domain and its record. */
static enum xrm_rc load_visible(struct xrm_db *db, const struct xrm_user *u, int64_t id,
                                json_t **out, struct xrm_err *err)
{
    json_t *doc = NULL;
    struct xrm_doc_record rec;
    *out = NULL;
    enum xrm_rc rc = xrm_document_db_load(db, id, &doc, err);
    if (!rc && !doc)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no document %lld", (long long)id);
    const char *dom = doc ? json_string_value(json_object_get(doc, "domain")) : NULL;
    if (!rc && xrm_access_read(u, dom, "document", id, err))
        rc = XRM_E_NOTFOUND;
    if (!rc) {
        const char *kind = NULL;
        int64_t rid = 0;
        struct xrm_err e2 = XRM_ERR_INIT;
        if (!xrm_document_record_parse(json_string_value(json_object_get(doc, "record")), "record",
                                       &kind, &rid, &e2))
            rc = xrm_errf(err, XRM_E_NOTFOUND, "no document %lld", (long long)id);
        if (!rc)
            rc = xrm_document_db_record(db, kind, rid, &rec, err);
        if (!rc && record_visible(u, kind, rid, &rec, rec.domain[0] ? rec.domain : NULL, &e2))
            rc = xrm_errf(err, XRM_E_NOTFOUND, "no document %lld", (long long)id);
    }
    if (rc)
        json_decref(doc);
    else
        *out = doc;
    return rc;
}

enum xrm_rc xrm_document_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return load_visible(ctx->db, &ctx->user, id, out, err);
}

enum xrm_rc xrm_document_content(struct xrm_ctx *ctx, int64_t id, json_t **doc, void **data,
                                 size_t *len, struct xrm_err *err)
{
    json_t *d = NULL;
    bool found = false;
    int64_t oid = 0;
    *doc = NULL;
    *data = NULL;
    *len = 0;
    enum xrm_rc rc = load_visible(ctx->db, &ctx->user, id, &d, err);
    const char *sha = d ? json_string_value(json_object_get(d, "sha256")) : NULL;
    if (!rc)
        rc = xrm_document_db_blob(ctx->db, sha, &found, &oid, err);
    if (!rc && !found)
        rc =
            xrm_errf(err, XRM_E_INTERNAL, "the content of document %lld is missing", (long long)id);
    if (!rc) {
        rc = xrm_db_blob_get(ctx->db, sha, oid, data, len, err);
        if (rc == XRM_E_NOTFOUND) /* a row without its content: a fault, not a missing document */
            rc = xrm_errf(err, XRM_E_INTERNAL, "the content of document %lld is missing",
                          (long long)id);
    }
    if (rc) {
        json_decref(d);
        return rc;
    }
    *doc = d;
    return XRM_OK;
}

enum xrm_rc xrm_document_preview(struct xrm_ctx *ctx, int64_t id, struct xrm_buf *png,
                                 struct xrm_err *err)
{
    json_t *doc = NULL;
    void *data = NULL;
    size_t len = 0;
    enum xrm_rc rc = xrm_document_get(ctx, id, &doc, err);
    const char *type = doc ? json_string_value(json_object_get(doc, "type")) : NULL;
    if (!rc && !xrm_preview_supported(type)) /* no need to read the content */
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no preview");
    json_decref(doc);
    doc = NULL;
    if (!rc)
        rc = xrm_document_content(ctx, id, &doc, &data, &len, err);
    if (!rc)
        rc = xrm_preview_png(json_string_value(json_object_get(doc, "type")), data, len, png, err);
    free(data);
    json_decref(doc);
    return rc;
}

enum xrm_rc xrm_document_list(struct xrm_ctx *ctx, const char *record, json_t **out,
                              struct xrm_err *err)
{
    const char *kind;
    int64_t id;
    struct xrm_doc_record rec;
    json_t *items = NULL;
    *out = NULL;
    if (!xrm_document_record_parse(record, "record", &kind, &id, err))
        return err ? err->rc : XRM_E_MALFORMED;
    enum xrm_rc rc = xrm_document_db_record(ctx->db, kind, id, &rec, err);
    if (!rc)
        rc = record_visible(&ctx->user, kind, id, &rec, rec.domain[0] ? rec.domain : NULL, err);
    if (!rc)
        rc = xrm_document_db_list(ctx->db, kind, id, &ctx->user, &items, err);
    if (!rc)
        *out = json_pack("{so}", "items", items);
    return rc;
}

struct del_arg {
    const struct xrm_user *user;
    int64_t id;
};

static enum xrm_rc delete_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct del_arg *a = arg;
    json_t *doc = NULL;
    enum xrm_rc rc = load_visible(db, a->user, a->id, &doc, err);
    const char *dom = doc ? json_string_value(json_object_get(doc, "domain")) : NULL;
    if (!rc)
        rc = xrm_access_write(a->user, dom, err);
    if (!rc)
        rc = xrm_document_db_delete(db, a->id, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "delete", "document", a->id, doc, NULL, err);
    if (!rc)
        rc = xrm_document_db_release(db, json_string_value(json_object_get(doc, "sha256")), err);
    json_decref(doc);
    return rc;
}

enum xrm_rc xrm_document_delete(struct xrm_ctx *ctx, int64_t id, struct xrm_err *err)
{
    struct del_arg a = {.user = &ctx->user, .id = id};
    return xrm_store_write(ctx->store, delete_fn, &a, err);
}

/* Deletes the documents in items (rows, then the contents left unused). */
static enum xrm_rc delete_all(struct xrm_db *db, json_t *items, int64_t *n, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    size_t i;
    json_t *d;
    json_array_foreach(items, i, d)
    {
        rc = xrm_document_db_delete(db, json_integer_value(json_object_get(d, "id")), err);
        if (rc)
            return rc;
    }
    json_array_foreach(items, i, d)
    {
        rc = xrm_document_db_release(db, json_string_value(json_object_get(d, "sha256")), err);
        if (rc)
            return rc;
    }
    if (n)
        *n = (int64_t)json_array_size(items);
    return XRM_OK;
}

enum xrm_rc xrm_document_delete_record_tx(struct xrm_db *db, const char *kind, int64_t id,
                                          int64_t *n, struct xrm_err *err)
{
    json_t *items = NULL;
    if (n)
        *n = 0;
    if (!kind || strcmp(kind, "party") == 0 || !xrm_str_in(xrm_document_kinds, kind))
        return XRM_OK;
    enum xrm_rc rc = xrm_document_db_list(db, kind, id, NULL, &items, err);
    if (!rc)
        rc = delete_all(db, items, n, err);
    json_decref(items);
    return rc;
}

enum xrm_rc xrm_document_delete_party_tx(struct xrm_db *db, int64_t party, const char *domain,
                                         int64_t *n, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_document_db_party(db, party, domain, &items, err);
    if (!rc)
        rc = delete_all(db, items, n, err);
    json_decref(items);
    return rc;
}

enum xrm_rc xrm_document_party_list_tx(struct xrm_db *db, int64_t party, json_t **out,
                                       struct xrm_err *err)
{
    return xrm_document_db_party(db, party, NULL, out, err);
}

enum xrm_rc xrm_document_copy_contents(struct xrm_db *from, struct xrm_db *to, int64_t *n,
                                       struct xrm_err *err)
{
    json_t *rows = NULL, *row;
    size_t i;
    if (n)
        *n = 0;
    enum xrm_rc rc = xrm_document_db_blobs(from, &rows, err);
    json_array_foreach(rows, i, row)
    {
        const char *sha = json_string_value(json_array_get(row, 0));
        void *data = NULL;
        size_t len = 0;
        int64_t oid = 0;
        if (!rc)
            rc = xrm_db_blob_get(from, sha, json_integer_value(json_array_get(row, 1)), &data, &len,
                                 err);
        if (!rc)
            rc = xrm_db_blob_put(to, sha, data, len, &oid, err);
        if (!rc)
            rc = xrm_document_db_blob_oid(to, sha, oid, err);
        free(data);
        if (rc)
            break;
        if (n)
            (*n)++;
    }
    json_decref(rows);
    return rc;
}

/*
 * Operations (xrm check): every stored content is there and is what its
 * name says: read back through the engine (a file beside a SQLite
 * database, a large object in PostgreSQL) and hashed again.
 */
enum xrm_rc xrm_document_check_contents(struct xrm_db *db, int64_t *n, int64_t *bad, char *first,
                                        size_t nfirst, struct xrm_err *err)
{
    json_t *rows = NULL, *row;
    size_t i;
    *n = *bad = 0;
    if (nfirst)
        first[0] = '\0';
    enum xrm_rc rc = xrm_document_db_blobs(db, &rows, err);
    json_array_foreach(rows, i, row)
    {
        if (rc)
            break;
        const char *sha = json_string_value(json_array_get(row, 0));
        void *data = NULL;
        size_t len = 0;
        enum xrm_rc r =
            xrm_db_blob_get(db, sha, json_integer_value(json_array_get(row, 1)), &data, &len, err);
        const char *problem = NULL;
        if (r == XRM_E_NOTFOUND) {
            problem = "missing";
            xrm_err_clear(err);
        } else if (r) {
            rc = r;
        } else {
            unsigned char h[crypto_hash_sha256_BYTES];
            char hex[2 * crypto_hash_sha256_BYTES + 1];
            crypto_hash_sha256(h, data, len);
            xrm_hex(h, sizeof(h), hex);
            if (strcmp(hex, sha) != 0)
                problem = "changed (its bytes no longer match their SHA-256)";
        }
        free(data);
        (*n)++;
        if (problem && !(*bad)++ && nfirst)
            snprintf(first, nfirst, "the content %.16s... is %s", sha, problem);
    }
    json_decref(rows);
    return rc;
}
