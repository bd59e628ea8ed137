/*
 * Recruitment: vacancies and their applicants. An applicant is a party
 * with an employee role of status `applicant` whose attributes name the
 * vacancy (`vacancy`, a vacancy id) and the stage of the application
 * (`stage`: new, interview, offer, hired, rejected). Like every recruitment
 * role it is visible only with hr read (domain/base/access.h).
 *
 * Moving an applicant (xrm_applicant_move) changes the stage; hired makes
 * the role active from the start date (which starts onboarding, see
 * checklist.h); rejected sets the role to status rejected until today, which
 * starts the retention clock (domain/privacy/retention.h: 4 weeks, or 1 year
 * with consent `applicant_pool`), and keeps the reason as an hr note.
 *
 * vacancy JSON: {"id", "title", "department", "department_name", "hours",
 * "status" (open | closed | filled), "opened", "closes", "description",
 * "applicants": {"new", "interview", "offer", "hired", "rejected"},
 * "domain": "hr", "created_by", "version", "created_at", "updated_at"}.
 * applicant JSON: {"role", "party", "party_name", "vacancy", "stage",
 * "status", "since", "until", "email", "phone", "keep_until" (the day
 * retention removes an ended application, else null), "version"}.
 *
 * Access: hr read sees, hr write changes. Ownership: *out new references.
 */
#ifndef XRM_DOMAIN_HR_VACANCY_H
#define XRM_DOMAIN_HR_VACANCY_H

#include <jansson.h>

#include "domain/base/ctx.h"

/*
 * The plain operations of vacancies (with "applicants" per stage)
 * (domain/base/record.h): the route table's .ops.
 */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_vacancy_ops;

/* XRM_E_CONFLICT while applicants name it. */
/* {"items", "next": null}: open ones first; status NULL: any. Empty without hr read. */
enum xrm_rc xrm_vacancy_list(struct xrm_ctx *ctx, const char *status, json_t **out,
                             struct xrm_err *err);

/* {"items": [applicants], "next": null} of vacancy id, in stage order. */
enum xrm_rc xrm_vacancy_applicants(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                   struct xrm_err *err);

/*
 * Moves the applicant whose employee role is role_id: in {"stage",
 * "start_date" (hired: required), "reason" (rejected: optional)}; If-Match
 * is the role's version. *out the applicant after.
 */
enum xrm_rc xrm_applicant_move(struct xrm_ctx *ctx, int64_t role_id, int64_t if_version, json_t *in,
                               json_t **out, struct xrm_err *err);

/* The role listener (domain/party/role.h) that checks an employee role's vacancy exists. */
enum xrm_rc xrm_vacancy_on_role(struct xrm_db *db, const struct xrm_user *user, json_t *before,
                                json_t *after, struct xrm_err *err);

#endif
