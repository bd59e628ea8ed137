/*
 * SQL of erasure and retention (gdpr-db.c): anonymising a party row, the
 * personal texts of its roles, activities and relationships, and finding
 * and rewriting texts anywhere that hold a personal value. Private to
 * gdpr.c and retention.c.
 */
#ifndef XRM_DOMAIN_GDPR_DB_H
#define XRM_DOMAIN_GDPR_DB_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "store/store.h"

/* The party row: no names, contact data, identifiers, tags or custom fields; archived. */
enum xrm_rc xrm_gdpr_db_anonymise_party(struct xrm_db *db, int64_t id, bool person, const char *now,
                                        struct xrm_err *err);

/* Clears the attributes of the party's roles (all, or those of one domain when domain). */
enum xrm_rc xrm_gdpr_db_clear_roles(struct xrm_db *db, int64_t party, const char *domain,
                                    const char *now, struct xrm_err *err);

/* Relationship notes of the party go. */
enum xrm_rc xrm_gdpr_db_clear_notes(struct xrm_db *db, int64_t party, struct xrm_err *err);
/*
 * Quotes and invoices of an erased party: draft invoices and quotes no
 * invoice refers to go, the others lose their buyer snapshot and note;
 * issued invoices stay (fiscal retention); *kept: how many.
 */
enum xrm_rc xrm_gdpr_db_billing(struct xrm_db *db, int64_t party, int64_t *kept,
                                struct xrm_err *err);

/* Marks the party erased (or again, later). */
enum xrm_rc xrm_gdpr_db_mark_erased(struct xrm_db *db, int64_t party, int64_t user, const char *now,
                                    struct xrm_err *err);

/*
 * Text rows: arrays of [id, text, text] (texts may be null).
 * activities of the party: [id, subject, body, number of parties]
 * (domain NULL: all domains);
 * audit entries about the party: [id, before, after, entity, entity_id].
 */
enum xrm_rc xrm_gdpr_db_party_activities(struct xrm_db *db, int64_t party, const char *domain,
                                         json_t **out, struct xrm_err *err);
enum xrm_rc xrm_gdpr_db_party_audit(struct xrm_db *db, int64_t party, json_t **out,
                                    struct xrm_err *err);

/*
 * The records held on a party, for a data-subject export: an object with one
 * array per kind the reader may read (read access to its domain): deals,
 * cases, agreements, employment history, absences, on- and offboarding
 * checklists, commission lines (as partner or customer), supplier
 * evaluations and rating history, project stakeholder rows and their stance
 * history. Sensitive columns (a salary; the note of a sick absence) only for
 * full access to the domain. *out is new.
 */
enum xrm_rc xrm_gdpr_db_party_records(struct xrm_db *db, const struct xrm_user *reader,
                                      int64_t party, json_t **out, struct xrm_err *err);

/*
 * Rows anywhere whose texts contain value (case-insensitive), as above:
 * activities [id, subject, body], audit [id, before, after, entity,
 * entity_id]. Also texts of other modules' tables (deals, cases,
 * agreements) when they exist: [table, id, text, text].
 */
enum xrm_rc xrm_gdpr_db_find_activities(struct xrm_db *db, const char *value, json_t *out,
                                        struct xrm_err *err);
enum xrm_rc xrm_gdpr_db_find_audit(struct xrm_db *db, const char *value, json_t *out,
                                   struct xrm_err *err);
enum xrm_rc xrm_gdpr_db_find_records(struct xrm_db *db, int64_t party, json_t *out,
                                     struct xrm_err *err);

/* Rewrites texts found above. */
enum xrm_rc xrm_gdpr_db_set_activity(struct xrm_db *db, int64_t id, const char *subject,
                                     const char *body, struct xrm_err *err);
enum xrm_rc xrm_gdpr_db_set_audit(struct xrm_db *db, int64_t id, const char *before,
                                  const char *after, struct xrm_err *err);
enum xrm_rc xrm_gdpr_db_set_record(struct xrm_db *db, const char *table, int64_t id, const char *a,
                                   const char *b, struct xrm_err *err);

/* Deletes stored idempotent replies that hold value or are about the party. */
/* mail received: removes the review list's mail from or naming value (an address, a name). */
enum xrm_rc xrm_gdpr_db_forget_mail_review(struct xrm_db *db, const char *value,
                                           struct xrm_err *err);
enum xrm_rc xrm_gdpr_db_forget_replies(struct xrm_db *db, int64_t party, const char *value,
                                       struct xrm_err *err);

/* Retention: deletes the party's roles of domain and its activities of domain. */
enum xrm_rc xrm_gdpr_db_delete_roles(struct xrm_db *db, int64_t party, const char *domain,
                                     json_t **ids, struct xrm_err *err);
/* Deletes activity id, or only unlinks party from it when others share it. */
enum xrm_rc xrm_gdpr_db_drop_activity(struct xrm_db *db, int64_t id, int64_t party, bool only,
                                      struct xrm_err *err);
/* Audit rows of one record (entity, id): [id, before, after]. */
enum xrm_rc xrm_gdpr_db_record_audit(struct xrm_db *db, const char *entity, int64_t id,
                                     json_t **out, struct xrm_err *err);

#endif
