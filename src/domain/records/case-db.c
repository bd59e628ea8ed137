/*
 * The description of a helpdesk case: its fields and their columns in the
 * cases table. The generic SQL of record-db.c loads, writes and lists by
 * it; case.c validates and parses the case query into fixed condition
 * fragments on alias c.
 */
#include "domain/records/case-db.h"
#include "domain/records/records.h"

#include "core/banned.h"

static const char *const statuses[] = {"new", "open", "waiting", "resolved", "closed", NULL};
static const char *const priorities[] = {"low", "normal", "high", "top", NULL};
static const char *const sla_sources[] = {"treatment", "priority", "input", NULL};

#define RO XRM_FF_READONLY
#define NUL XRM_FF_NULLABLE

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("c"),
    XRM_FIELD_PARTY("c"),
    {.name = "domain", .column = "c.domain", .type = XRM_FT_DOMAIN, .max = 32, .dflt = "sales"},
    {.name = "subject",
     .column = "c.subject",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM | XRM_FF_SENSITIVE,
     .max = 500},
    {.name = "description",
     .column = "c.description",
     .type = XRM_FT_TEXT,
     .flags = NUL | XRM_FF_SENSITIVE,
     .max = 65536},
    {.name = "status",
     .column = "c.status",
     .type = XRM_FT_ENUM,
     .max = 16,
     .values = statuses,
     .dflt = "new"},
    {.name = "priority",
     .column = "c.priority",
     .type = XRM_FT_ENUM,
     .max = 16,
     .values = priorities,
     .dflt = "normal",
     .doc = "Default: the party's treatment, else normal"},
    {.name = "sla_hours", .column = "c.sla_hours", .type = XRM_FT_INT, .flags = RO | NUL, .min = 1},
    {.name = "sla_source",
     .column = "c.sla_source",
     .type = XRM_FT_ENUM,
     .flags = RO,
     .values = sla_sources},
    {.name = "sla_reason",
     .column = "c.sla_reason",
     .type = XRM_FT_JSON,
     .flags = RO | NUL,
     .doc = "Why the SLA is what it is: {code: treatment | priority | input, rules: names of "
            "the treatment rules that set it, en, nl: the reason as a sentence}"},
    {.name = "sla_due",
     .column = "c.sla_due",
     .type = XRM_FT_DATETIME,
     .flags = NUL,
     .doc = "Default: opened_at + sla_hours"},
    {.name = "opened_at",
     .column = "c.opened_at",
     .type = XRM_FT_DATETIME,
     .doc = "Default: now; not in the future; fixed after create"},
    {.name = "resolved_at", .column = "c.resolved_at", .type = XRM_FT_DATETIME, .flags = RO | NUL},
    {.name = "assignee", .column = "c.assignee", .type = XRM_FT_USER, .flags = NUL, .min = 1},
    {.name = "source_activity",
     .column = "c.source_activity",
     .type = XRM_FT_REF,
     .flags = RO | NUL,
     .min = 1},
    XRM_FIELDS_STAMPS("c"),
    {.name = "sla_breached", .type = XRM_FT_BOOL, .col = XRM_FC_NONE, .flags = RO},
    {.name = "from_activity",
     .type = XRM_FT_REF,
     .col = XRM_FC_NONE,
     .flags = XRM_FF_INPUT,
     .min = 1,
     .doc = "Create only: open the case from this (complaint) activity"},
};

const struct xrm_record_kind xrm_case_kind = {
    .name = "case",
    .table = "cases",
    .alias = "c",
    .from = " FROM cases c JOIN parties p ON p.id = c.party_id",
    .title = "Case",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .has_links = true,
};
