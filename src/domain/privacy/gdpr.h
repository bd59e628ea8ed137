/*
 * Data-subject rights (AVG/GDPR): export of everything held on a party, and
 * erasure.
 *
 * Export gives one JSON document: the party with its roles and
 * relationships, its consent history, its whole timeline and its audit
 * trail, each as the exporting user may see it (an administrator sees
 * everything). Every export is audited (action "export").
 *
 * Erasure anonymises the party everywhere and keeps what is not personal:
 * the party row stays (archived, named "[erased]", no contact data,
 * identifiers, tags or custom fields), its roles keep type, status and
 * dates (aggregates) but lose their attributes, its activities keep type,
 * domain, time and score but lose their texts (shared activities lose only
 * the party's personal values), relationship notes and consents go, and the
 * audit trail keeps every entry with the personal values replaced by
 * "[erased]". Texts elsewhere that name the party's full name, e-mail
 * addresses, phone numbers or IBAN are scrubbed too (other parties'
 * activities, the audit trail, stored idempotent replies). The values
 * scrubbed are those the party holds at erasure and every earlier one its
 * audit trail remembers (a given name, e-mail address or phone number
 * changed before erasure goes as well). The full-text
 * index is rewritten and the engine is asked to leave no trace in its
 * files (store.h xrm_db_scrub, xrm_db_flush). Erasing again is harmless.
 */
#ifndef XRM_DOMAIN_GDPR_H
#define XRM_DOMAIN_GDPR_H

#include <jansson.h>

#include "domain/base/ctx.h"

#define XRM_ERASED "[erased]"

/* {"format": "xrm-gdpr-export/1", "exported_at", "party", "consents", "activities", "audit"}. */
enum xrm_rc xrm_gdpr_export(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                            struct xrm_err *err);

/* Administrators only (XRM_E_DENIED). *out: {"id", "erased": true, "erased_at", "scrubbed"}. */
enum xrm_rc xrm_gdpr_erase(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                           struct xrm_err *err);

/*
 * Replaces every occurrence of the values (case-insensitive for ASCII) in
 * s by XRM_ERASED. Returns a new string (caller frees), or NULL when
 * nothing changed. values is a JSON array of strings.
 */
char *xrm_gdpr_scrub_text(const char *s, json_t *values);

/* The same on every string inside v (keys untouched); true when anything changed. */
bool xrm_gdpr_scrub_json(json_t *v, json_t *values);

/*
 * Documents on records: erasure removes every document of the party (on
 * itself and on its records) and retention those of the domain that ran
 * out, each with its content when no other document uses it. Documents
 * live above privacy (domain/docs), so domain/hooks.c sets the function
 * (xrm_document_delete_party_tx); unset, the erasure fails (XRM_E_INTERNAL).
 * domain NULL: all domains; *n (may be NULL) counts the documents.
 */
typedef enum xrm_rc xrm_gdpr_documents_fn(struct xrm_db *db, int64_t party, const char *domain,
                                          int64_t *n, struct xrm_err *err);
void xrm_gdpr_documents_set(xrm_gdpr_documents_fn *fn);
enum xrm_rc xrm_gdpr_documents_delete(struct xrm_db *db, int64_t party, const char *domain,
                                      int64_t *n, struct xrm_err *err);

#endif
