/*
 * Documents on records: files uploaded to a party, deal, case, agreement,
 * quote, invoice or activity (and attachments of mail received), each a row
 * of `documents` whose content is kept once per SHA-256 (content-addressed,
 * store.h xrm_db_blob_*: files next to the SQLite database, large objects
 * in PostgreSQL; `document_blobs` records each content once).
 *
 * A document belongs to its record's domain (deal, quote, invoice: sales;
 * case, agreement, activity: its domain column; a party: the domain asked
 * for). Reading one needs read access to that domain and to the record
 * (otherwise it does not exist: XRM_E_NOTFOUND); adding and deleting need
 * write access to the domain (XRM_E_DENIED). A reader never learns of a
 * document of a domain it may not read: lists leave it out.
 *
 * The document JSON: {id, name, type, size, sha256, record: "party:12",
 * party (the party the record belongs to, or null), domain, created_at,
 * created_by (user id or null)}.
 *
 * Ownership as domain/base/ctx.h says.
 */
#ifndef XRM_DOMAIN_DOCS_DOCUMENT_H
#define XRM_DOMAIN_DOCS_DOCUMENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/* The record kinds a document may belong to (NULL-terminated). */
extern const char *const xrm_document_kinds[];

/*
 * The largest content accepted, in bytes: XRM_MAX_UPLOAD (bytes, read once)
 * or what xrm_document_max_upload_set gave (serve --max-upload), default
 * 25 MB. The HTTP server caps the upload route's body by it.
 */
#define XRM_DOCUMENT_MAX_UPLOAD_DEFAULT (25u * 1024u * 1024u)
size_t xrm_document_max_upload(void);
void xrm_document_max_upload_set(size_t max);

/*
 * Parses "party:12" (a kind of xrm_document_kinds, a positive id): false
 * with a field error on field (XRM_E_MALFORMED) otherwise. kind gets the
 * static name.
 */
bool xrm_document_record_parse(const char *s, const char *field, const char **kind, int64_t *id,
                               struct xrm_err *err);

/*
 * Inside a write (db = the writer's connection). Stores the content
 * (content-addressed: SQLite: a file <database file>.files/<sha[0..1]>/<sha256>,
 * written to a temp name and renamed before the row; PostgreSQL: a large
 * object recorded in document_blobs) and the row. record_kind:
 * party|deal|case|agreement|quote|invoice|activity; domain: the record's
 * domain (for a party: the domain asked; NULL: the first of sales, hr,
 * partners, purchasing, pr the user may write; for other kinds NULL or
 * their own domain, else a 422 on "domain"); checks the user may write
 * that domain and see the record (XRM_E_DENIED / XRM_E_NOTFOUND); name
 * sanitized (no path, no control characters, at most 255 bytes; empty:
 * "document"), type checked "type/subtype" (parameters dropped,
 * lower-cased; 422 on "type"); len at most xrm_document_max_upload()
 * (XRM_E_LIMIT, code too_large) and not 0 (422 on "content"). Audited.
 * out: the document JSON. user NULL = the system (mail received by a
 * mailbox).
 */
enum xrm_rc xrm_document_add_tx(struct xrm_db *db, const struct xrm_user *user,
                                const char *record_kind, int64_t record_id, const char *domain,
                                const char *name, const char *type, const void *data, size_t len,
                                json_t **out, struct xrm_err *err);

/* xrm_document_add_tx in a write of its own, as ctx->user; record "kind:id" (400 on "record"). */
enum xrm_rc xrm_document_add(struct xrm_ctx *ctx, const char *record, const char *domain,
                             const char *name, const char *type, const void *data, size_t len,
                             json_t **out, struct xrm_err *err);

/* One document the reader may see (else XRM_E_NOTFOUND). */
enum xrm_rc xrm_document_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err);

/*
 * The content of a document the reader may see (else XRM_E_NOTFOUND):
 * *data malloc'd, caller frees; *doc the JSON.
 */
enum xrm_rc xrm_document_content(struct xrm_ctx *ctx, int64_t id, json_t **doc, void **data,
                                 size_t *len, struct xrm_err *err);

/*
 * The preview of a document the reader may see: a PNG (io/preview.h: an
 * image scaled down, page 1 of a PDF) appended to png; XRM_E_NOTFOUND "no
 * preview" for other types and contents the decoder refuses.
 */
struct xrm_buf;
enum xrm_rc xrm_document_preview(struct xrm_ctx *ctx, int64_t id, struct xrm_buf *png,
                                 struct xrm_err *err);

/*
 * {"items": [document...]} of record "kind:id" (400 on "record"), oldest
 * first, only those of domains the reader may read; XRM_E_NOTFOUND when
 * the reader may not see the record.
 */
enum xrm_rc xrm_document_list(struct xrm_ctx *ctx, const char *record, json_t **out,
                              struct xrm_err *err);

/* Deletes a document (write access to its domain); its content goes when no other uses it. */
enum xrm_rc xrm_document_delete(struct xrm_ctx *ctx, int64_t id, struct xrm_err *err);

/*
 * Inside a write: deletes every document of the record (kind, id) and the
 * contents no other document uses; *n (may be NULL) counts them. A kind
 * documents cannot be on (or "party": parties are archived, never
 * deleted) has none. No access check: the caller deleting the record did
 * it. The hook of domain/base/record.h (set in domain/hooks.c): a deleted
 * deal, case, agreement, quote, invoice or activity takes its documents.
 */
enum xrm_rc xrm_document_delete_record_tx(struct xrm_db *db, const char *kind, int64_t id,
                                          int64_t *n, struct xrm_err *err);

/*
 * Inside a write: deletes every document of a party (documents.party_id:
 * on the party itself and on its records) in domain (NULL: all domains),
 * and the contents no other document uses (GDPR erasure: all; retention:
 * the domain that ran out); *n (may be NULL) counts them. No access check:
 * the caller's. The hook of domain/privacy/gdpr.h (set in domain/hooks.c).
 */
enum xrm_rc xrm_document_delete_party_tx(struct xrm_db *db, int64_t party, const char *domain,
                                         int64_t *n, struct xrm_err *err);

/*
 * xrm copy: after the rows of document_blobs were copied from `from` (a
 * reader in its snapshot) to `to` (inside the target's transaction), copies
 * every content and records the target's own oid (large objects get new
 * ones; files none). *n (may be NULL) counts them.
 */
enum xrm_rc xrm_document_copy_contents(struct xrm_db *from, struct xrm_db *to, int64_t *n,
                                       struct xrm_err *err);

/* The metadata of a party's documents (GDPR export): *out a JSON array, no access filter. */
enum xrm_rc xrm_document_party_list_tx(struct xrm_db *db, int64_t party, json_t **out,
                                       struct xrm_err *err);

/*
 * Operations (xrm check): reads every stored content back and hashes it:
 * *n contents, *bad of them missing or changed, the first such described
 * in first.
 */
enum xrm_rc xrm_document_check_contents(struct xrm_db *db, int64_t *n, int64_t *bad, char *first,
                                        size_t nfirst, struct xrm_err *err);

#endif
