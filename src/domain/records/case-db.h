/*
 * The description of a case (case-db.c). A case goes in as a validated
 * record {"party", "domain", "subject", "description", "status",
 * "priority", "sla_hours", "sla_source", "sla_due", "opened_at",
 * "resolved_at", "assignee", "source_activity"} and comes out as its API
 * JSON with "sla_breached" null (case.c sets it: it depends on the clock).
 */
#ifndef XRM_DOMAIN_CASE_DB_H
#define XRM_DOMAIN_CASE_DB_H

#include "domain/base/record.h"
#include "domain/records/case.h"

#define XRM_CASE_CONDS_MAX 40

#endif
