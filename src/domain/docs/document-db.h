/*
 * SQL of documents (document.h): the rows of `documents`, the contents of
 * `document_blobs`, and the lookups of the records documents belong to.
 *
 * A document on a party itself (record_kind 'party') belongs to the party
 * of its party_id: record_id keeps the id it was uploaded to, but lists
 * and the "record" of the JSON follow party_id, the one column a merge
 * moves (domain/merge/merge-db.c moved[]), so a merged party's documents
 * show on the survivor and go back on undo.
 */
#ifndef XRM_DOMAIN_DOCS_DOCUMENT_DB_H
#define XRM_DOMAIN_DOCS_DOCUMENT_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/ctx.h"
#include "store/store.h"

/*
 * The record (kind, id) a document would belong to: *found false when it
 * does not exist; else *party (0: none), *domain (its own domain, "" for a
 * party, which has none) and *embargo (an activity's, "" when none).
 */
struct xrm_doc_record {
    bool found;
    int64_t party;
    char domain[16];
    char embargo[32];
};
enum xrm_rc xrm_document_db_record(struct xrm_db *db, const char *kind, int64_t id,
                                   struct xrm_doc_record *rec, struct xrm_err *err);

/* Inserts a row; *out the document JSON. */
enum xrm_rc xrm_document_db_insert(struct xrm_db *db, const char *kind, int64_t record_id,
                                   int64_t party, const char *domain, const char *name,
                                   const char *type, size_t size, const char *sha256,
                                   int64_t created_by, json_t **out, struct xrm_err *err);

/* The document JSON of id, or *out NULL. */
enum xrm_rc xrm_document_db_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err);

/* The documents of record (kind, id) in the domains u may read, oldest first: *out an array. */
enum xrm_rc xrm_document_db_list(struct xrm_db *db, const char *kind, int64_t id,
                                 const struct xrm_user *u, json_t **out, struct xrm_err *err);

/* The documents of a party (documents.party_id) in domain (NULL: all): *out an array. */
enum xrm_rc xrm_document_db_party(struct xrm_db *db, int64_t party, const char *domain,
                                  json_t **out, struct xrm_err *err);

/* The content row of sha256: *found, *oid. */
enum xrm_rc xrm_document_db_blob(struct xrm_db *db, const char *sha256, bool *found, int64_t *oid,
                                 struct xrm_err *err);
enum xrm_rc xrm_document_db_blob_insert(struct xrm_db *db, const char *sha256, size_t size,
                                        int64_t oid, struct xrm_err *err);

/* Deletes the row id. */
enum xrm_rc xrm_document_db_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

/*
 * Removes the content of sha256 when no documents row uses it any more:
 * its document_blobs row, then the content itself (store.h blob_remove).
 */
enum xrm_rc xrm_document_db_release(struct xrm_db *db, const char *sha256, struct xrm_err *err);

#endif
