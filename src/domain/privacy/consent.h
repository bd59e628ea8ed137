/*
 * Consent and contactability (AVG/GDPR, Dutch telemarketing rules).
 *
 * Consent is stored per party and purpose as events: given or withdrawn,
 * with the source ("web form", "phone call"), the date it was given and the
 * wording the person agreed to. A withdrawal is a new event, so the history
 * stays. Purposes: newsletter, marketing_email, phone_marketing and
 * applicant_pool (keeping an applicant's data a year, see retention.h).
 *
 * Whether a party may be e-mailed or called for marketing is computed when
 * the party is shown: a given consent for the purpose (for e-mail also the
 * newsletter), else a customer role (active, or ended at most 3 years ago:
 * the Dutch rule for existing customers); never for an active employee
 * (rule-eval.h xrm_staff_active: staff never get marketing, whatever their
 * consent or other roles, so ending their customer role does not make them
 * mailable), when the latest event for the purpose is a withdrawal, when a
 * treatment rule suppresses marketing (no_marketing, no_sales_outreach), for
 * e-mail when the party carries the tag "non-mailing" (the KvK
 * no-unsolicited-mail flag), or after erasure.
 *
 * Consent event JSON: {"id", "party", "purpose", "granted", "source",
 * "wording", "at", "recorded_at", "recorded_by"}.
 */
#ifndef XRM_DOMAIN_CONSENT_H
#define XRM_DOMAIN_CONSENT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"
#include "domain/base/query-db.h"

#define XRM_NON_MAILING_TAG "non-mailing"

bool xrm_consent_purpose_valid(const char *purpose);

/*
 * Records a consent event for the party: in is {"purpose", "granted"
 * (default true), "source", "wording", "at" (date or RFC 3339 time, default
 * now)}. *out is the event. Errors: 404 no party, 400/422 field errors.
 */
enum xrm_rc xrm_consent_record(struct xrm_ctx *ctx, int64_t party_id, json_t *in, json_t **out,
                               struct xrm_err *err);

/*
 * Campaigns: an unsubscribe link withdraws e-mail consent. Inside the
 * caller's write (db = the writer's connection): records a withdrawal
 * (granted false, at now) for each e-mail purpose (marketing_email, which
 * decides a withdrawal, and newsletter) with source, audited as user (NULL:
 * the system), and touches the party. XRM_E_NOTFOUND: no party.
 */
enum xrm_rc xrm_consent_withdraw_email_tx(struct xrm_db *db, const struct xrm_user *user,
                                          int64_t party_id, const char *source,
                                          struct xrm_err *err);

/*
 * {"items": [latest event per purpose], "history": [every event, oldest
 * first], "next": null}.
 */
enum xrm_rc xrm_consent_list(struct xrm_ctx *ctx, int64_t party_id, json_t **out,
                             struct xrm_err *err);

/* *granted: the party's latest event for purpose gives consent (on any connection). */
enum xrm_rc xrm_consent_granted(struct xrm_db *db, int64_t party_id, const char *purpose,
                                bool *granted, struct xrm_err *err);

/*
 * Adds "may_email", "may_call" (booleans) and "contactability": {"email":
 * {"reason", "detail"}, "call": {...}} (and "erased": true for an erased
 * party) to every party of items, which carry their "roles" (and
 * "treatment" when rules exist) and whose ids b holds; the consent state
 * of the whole page is read with one statement. Reasons: consent,
 * customer, withdrawn, non_mailing, suppressed, staff, erased, no_basis.
 */
struct xrm_batch;
enum xrm_rc xrm_consent_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                      bool full, struct xrm_err *err);

/*
 * The rule itself, without the database: state is the latest event per
 * purpose ({"marketing_email": event}), today "YYYY-MM-DD". Sets the same
 * fields as xrm_consent_decorate_page on p (but "erased").
 */
void xrm_contact_compute(json_t *p, json_t *state, bool erased, const char *today);

/*
 * The same rule as a SQL condition on party alias p, for may:email and
 * may:call query terms: appends " AND (...)", true when channel ("email" or
 * "call") is allowed by consent, the customer rule, staff, the non-mailing
 * tag and erasure, as of the business clock's today. Treatment suppressions are not
 * in it: the caller adds them (rule.h xrm_rule_sql_suppressed).
 * XRM_E_INVALID (field "q") for another channel.
 */
enum xrm_rc xrm_consent_sql_may(const char *channel, struct xrm_sql *out, struct xrm_err *err);

#endif
