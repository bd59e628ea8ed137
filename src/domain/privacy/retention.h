/*
 * Retention that follows roles. When a party's last role in a domain ends,
 * that domain's clock starts; when it runs out, only that domain's data of
 * the party is removed: its roles in the domain (with their attributes) and
 * its activities of the domain (an activity shared with other parties only
 * loses the link), and the party's photo once it holds no role any more. The party, its other roles
 * and the audit trail stay; audit entries of what was removed keep who and when but lose the
 * attributes and texts. Each removal is audited (action "retention").
 *
 * Rules are data (table retention_rules, editable by administrators): a
 * domain, a role type, optionally the statuses it applies to, a number of
 * days after the role's end date, and optionally a consent purpose that
 * extends it. Defaults: applicants (employee role that ended as applicant
 * or rejected) 28 days, or 365 with consent "applicant_pool"; other HR data
 * 730 days after employment ended; fiscal records of customers and
 * suppliers 7 years (2557 days). A role no rule covers, an ended role
 * without an end date, or any role of the domain still open keeps the
 * domain's data. A rule naming statuses wins over one without.
 *
 * Time comes from the business clock (core/clock.h), so tests move it with
 * XRM_NOW.
 *
 * Rule JSON: {"id", "name", "domain", "role_type", "statuses", "days",
 * "consent_purpose", "consent_days", "enabled", "description", "version"}.
 */
#ifndef XRM_DOMAIN_RETENTION_H
#define XRM_DOMAIN_RETENTION_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

enum xrm_rc xrm_retention_rules(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/* Administrators: patch {"days", "consent_days", "enabled"}; If-Match as usual. */
enum xrm_rc xrm_retention_rule_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                      json_t *patch, json_t **out, struct xrm_err *err);

/*
 * Finds every party and domain whose retention has run out and (unless
 * dry_run) removes that data, as user (NULL: the system). *report:
 * {"dry_run", "today", "items": [{"party", "domain", "rules", "ended",
 * "expired_on", "roles", "activities"}]}.
 */
enum xrm_rc xrm_retention_run(struct xrm_store *st, const struct xrm_user *user, bool dry_run,
                              json_t **report, struct xrm_err *err);

/* Run daily inside `xrm serve` by the job scheduler (domain/base/jobs.h, job "retention"). */

#endif
