/*
 * The component schemas of the OpenAPI document, one entry per kind, in a
 * small notation read once when the document is built (openapi-schemas.h
 * says which schemas an entry gives):
 *
 *   name type, name type, ...      the fields of an object
 *   -name     only in answers (read-only: ids, versions, derived values)
 *   >name     only in request bodies (a password)
 *   +name     required in a create body
 *   name?     may be missing from an answer (all others are always there)
 *   int num str bool date datetime uuid any   scalars ("any": any JSON)
 *   obj       an object with free keys (custom fields, role attributes)
 *   Name      another component     [type]  an array     {fields}  an object
 *   enum(a|b) one of the words      map(type)  an object of free keys
 *   type?     the value may be null
 *
 * Answers allow no field that is not listed, so a field added to a JSON
 * answer without its schema fails the API tests (tests/api/harness.py).
 */
#include "http/openapi-schemas.h"
#include "core/error.h"
#include "domain/base/record.h"
#include "domain/hr/vacancy-db.h" /* HR: vacancies */
#include "domain/records/agreement.h"
#include "domain/records/case.h"
#include "domain/records/deal.h"
#include "domain/partners/commission.h" /* partners */
#include "domain/partners/tier.h"
#include "domain/rules/segment.h"
#include "domain/hr/department.h" /* HR: the organisation */
/* suppliers and public relations */
#include "domain/srm/supplier.h"
#include "domain/pr/project.h"
/* quotes and invoices */
#include "domain/billing/invoice.h"
#include "domain/billing/quote.h"
#include "domain/srm/purchase-invoice.h" /* purchase invoices */
#include "domain/mail/template.h"        /* e-mail sending: templates */
#include "domain/mail/campaign.h"        /* campaigns */
#include "domain/mail/mailbox.h"         /* mail received */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

enum form {
    REC,  /* a record kind: Kind, KindInput and KindPatch */
    OBJ,  /* one object, the same in answers and bodies */
    TYPE, /* a type expression ("enum(...)", "[Kind]") */
    LIST, /* a page of a list: {items: [text], next} */
};

struct entry {
    const char *name;
    enum form form;
    const char *text;
    const char *description;
};

static const struct entry entries[] = {
    /* Shared pieces */
    {"Problem", OBJ,
     "type str, title str, status int, detail str, code str,"
     "errors [{field str, message str, code? str}], candidates? [DuplicateCandidate],"
     "request_id str",
     "an error (RFC 9457 problem+json); code is stable, errors[] names each offending field; "
     "candidates: the parties a create duplicates (code duplicate); request_id: the request's "
     "X-Request-Id, as in the server's log"},
    {"Domain", TYPE, "enum(sales|hr|partners|purchasing|pr)",
     "a business domain of the access model"},
    {"Level", TYPE, "enum(none|read|write|full)", "an access level within one domain"},
    {"Access", REC, "sales Level, hr Level, partners Level, purchasing Level, pr Level",
     "access per domain; a body may leave domains out"},
    {"Label", OBJ, "en str, nl str", "a text in English and Dutch"},
    {"Ref", OBJ, "id int, name str", "another record by id and name"},
    {"Created", OBJ, "created int, ids [int]", "what a bulk import created"},
    {"Health", OBJ,
     "status str, engine str, checks map(str), reads? {primary int, replica int},"
     "disk? {free int, size int}",
     "status ok or degraded; checks: database, storage (ok|full), disk (ok|low|n/a) and, with a "
     "read replica, replica (ok|behind|down); disk: free and total bytes of the SQLite "
     "database's filesystem"},
    {"Readiness", OBJ, "ready bool, reason? str",
     "whether to send requests here; reason while not: draining or database not reachable"},

    /* Sessions, tokens, users */
    {"SessionLogin", OBJ, "user str, password str, bearer? bool",
     "bearer: also answer a token for the Authorization header (else a cookie only)"},
    {"Session", OBJ,
     "user SessionUser, auth? enum(cookie|bearer), csrf? str, expires_in? int, token? str", NULL},
    {"SessionUser", OBJ, "id int, name str, admin bool, access Access", NULL},
    {"Token", OBJ,
     "id int, name str?, kind enum(api|session), created_at datetime, expires_at datetime?", NULL},
    /* one's own password (POST /session/password) */
    {"PasswordChange", OBJ, "current_password str, password str",
     "a new password for the signed-in user; the current one proves it is them"},
    {"TokenInput", OBJ, "name? str", NULL},
    {"TokenCreated", OBJ, "id int, token str, name str?", "the token is shown once"},
    {"User", REC,
     "-id int, +name str, >password str, display_name str, admin? bool, disabled? bool,"
     "-created_at? datetime, access? Access",
     "a user; admin, disabled, created_at and access only for administrators and oneself"},

    /* Parties */
    {"ContactPoint", REC, "label str, +value str",
     "an e-mail address, phone number or website; a body may give it as its value alone"},
    {"Address", REC,
     "label str, street str?, house_number str?, postcode str?, city str?, country str",
     "country: ISO 3166 alpha-2 (default NL); Dutch postcodes as '1234 AB'"},
    {"Party", REC,
     "-id int, -uid uuid, +kind enum(person|organization), name str, given_name str?,"
     "family_prefix str?, family_name str?, legal_name str?, trade_name str?,"
     "emails [ContactPoint], phones [ContactPoint], websites [ContactPoint],"
     "addresses [Address], kvk str?, vat str?, iban str?, tags [str], custom obj,"
     "owner int?, archived bool, -version int, -created_at datetime, -updated_at datetime,"
     "roles [Role], -relationships? [PartyRelationship], -can? {update bool, archive bool},"
     "-treatment Treatment, -health PartyHealth?, -records PartyRecords, -may_email bool,"
     "-may_call bool, -contactability {email Contactability, call Contactability},"
     "-erased? bool, external_id str?, -duplicates? [DuplicateCandidate], -merged_into? int"
     ", -found? [PartyFound]" /* full-text search of records' text */
     ", -photo? bool" /* party photos: GET /parties/{id}/photo */,
     "a person or organization; relationships and can only on single reads; external_id: its "
     "id in another system; duplicates: parties resembling a party just created; merged_into: "
     "the party it was merged into"},
    /* full-text search of records' text */
    {"PartyFound", OBJ,
     "kind enum(activity|case|deal|agreement), id int, type str, domain Domain, excerpt str",
     "where a free word of the search was found in the party's records (only in search results, "
     "only records the user may read, at most 3): the record, its type (the activity's type, "
     "the agreement's kind, else the kind) and the words around the match"},
    {"PartyRelationship", OBJ,
     "id int, type str, label Label, party Ref, since date?, until date?, domain Domain?",
     "a relationship seen from the party: type and label read from it to the other"},
    {"Treatment", OBJ,
     "priority enum(low|normal|high|top), badges [Label], suppress [str], sla_hours int?,"
     "notes [Label], owner int?, because [str]",
     "how to treat the party, from the treatment rules that match it"},
    {"PartyHealth", OBJ,
     "status enum(good|watch|at_risk), open_complaints int, last_contact date?,"
     "days_since_contact int?, survey_score int?, reasons [str]",
     NULL},
    {"Contactability", OBJ, "reason str, detail str", "why the party may or may not be contacted"},
    {"PartyRecords", OBJ,
     "currency str, lifetime_revenue? int, revenue_by_currency? map(int),"
     "deals? {open int, won int, lost int, open_amount int, open_amount_by_currency map(int),"
     "latest? [{id int, title str, status str, stage str, amount int, currency str,"
     "expected_close date?}]},"
     "cases? {open int, breached int, latest? [{id int, domain Domain, subject str, status str,"
     "priority str, sla_due datetime}]},"
     "agreements? {active int, expiring int, latest? [{id int, kind str, domain Domain,"
     "title str, start date, end date?}]}",
     "a summary of the party's deals, cases and agreements the user may see; the latest "
     "ones only on single reads"},
    {"PartyView", OBJ,
     "party Party, timeline [Activity], open_tasks [Activity],"
     "counts {activities int, open_tasks int}",
     "the 360-degree view"},

    /* Roles and role types */
    {"Role", REC,
     "-id int, -party int, +type str, -domain Domain, status str, since date?, until date?,"
     "attributes obj, -version int, -created_at datetime, -updated_at datetime, -active bool,"
     "-restricted? bool",
     "a role a party plays; restricted: some attributes are hidden from this user"},
    {"RoleType", REC,
     "+name str, +domain Domain, label Label, +statuses [str], default_status str,"
     "ended_statuses [str], -builtin bool, attributes [RoleAttribute], -version int,"
     "-created_at datetime",
     NULL},
    {"RoleAttribute", REC,
     "+name str, +type "
     "enum(string|text|integer|number|money|boolean|date|enum|user|party|department),"
     "required bool, sensitive bool, label Label, values? [str], min? num, max? num",
     NULL},

    /* Relationships */
    {"Relationship", REC,
     "-id int, +type str, +from int, +to int, since date?, until date?, note str?,"
     "-version int, -created_at datetime, -updated_at datetime, -domain Domain?",
     NULL},
    {"RelationshipType", REC,
     "+name str, reverse str, +label Label, reverse_label Label, -builtin bool, domain Domain?",
     "reverse_label is required unless the type is symmetric (reverse left out or the name)"},

    /* Activities */
    {"Activity", REC,
     "-id int, +type enum(note|call|email|meeting|task|complaint|survey|press_release|letter),"
     "+domain Domain, +subject str, body str?, +parties [int], due date?, done bool?,"
     "assignee int?, score int?, at datetime, -created_by int?, -version int,"
     "-created_at datetime, -updated_at datetime, -links? [Ref], -link? str"
     /* press releases and letters: embargo, recipients, when sent */
     ", embargo? datetime?, segment? int?, -sent_at? datetime?"
     /* e-mail: the mail it logs */
     ", -message_id? str?, -direction? enum(in|out)?",
     "done only for tasks (else null), due for tasks and meetings, score for surveys; "
     "link says why a list of a record holds it; embargo (domain pr) and segment (the "
     "recipients) for press releases and letters: before the embargo only pr writers see them"},

    /* Rules and segments */
    {"Rule", REC,
     "-id int, +name str, kind enum(treatment|constraint), description str?, +when obj,"
     "+then obj, enabled bool, -builtin bool, -version int, -created_at datetime,"
     "-updated_at datetime, -suspended {code str, field? str, attribute? str, message str}?,"
     "-restricted bool",
     "kind: treatment when left out of a create; suspended: why the rule does not apply now; "
     "restricted: it reads data the user may not"},
    {"RuleSimulateInput", OBJ,
     "id? int, name? str, kind? enum(treatment|constraint), description? str?, enabled? bool,"
     "when? obj, then? obj",
     "a rule to try (a new one, or changes to rule id) without saving it"},
    {"RuleSimulation", OBJ,
     "rule obj, scanned int, limit int, next str?,"
     "items [{party Ref, before {treatment Treatment, broken [any]},"
     "after {treatment Treatment, broken [any]}}]",
     "the parties whose treatment would change"},

    /* Privacy */
    {"AuditEntry", OBJ,
     "id int, at datetime, user Ref?, action str, entity str, entity_id int, before obj?,"
     "after obj?",
     "who changed what; before and after as the record's JSON, hidden fields left out"},
    {"Consent", REC,
     "-id int, -party int, +purpose enum(newsletter|marketing_email|phone_marketing|"
     "applicant_pool), granted bool, +source str, wording str?, at datetime,"
     "-recorded_at datetime, -recorded_by int?",
     "recorded_by: null when the system recorded it (campaigns: an unsubscribe link)"},
    {"ConsentList", OBJ, "items [Consent], history [Consent], next str?",
     "the current consent per purpose and every change"},
    {"PartyExport", OBJ,
     "format str, exported_at datetime, exported_by Ref, complete bool, party Party,"
     "consents [Consent], activities [Activity], audit [AuditEntry], records {deals? [any],"
     "cases? [any], agreements? [any], employment? [any], absences? [any], checklists? [any],"
     "commissions? [any], supplier_evaluations? [any], supplier_rating_history? [any],"
     "project_stakeholders? [any], stance_history? [any], quotes? [any], invoices? [any],"
     "purchase_invoices? [any], documents? [any], campaign_recipients? [any], mail_review? [any]}"
     ", photo? {media_type str, sha256 str, data str}" /* party photos */,
     "everything held about a party (GDPR access); records: one list per kind of record the "
     "reader may read (a salary and a sick absence's note only with full access to hr); "
     "photo: the party's photo, its bytes in base64"},
    {"EraseReport", OBJ,
     "id int, erased bool, erased_at datetime, scrubbed int, flushed bool,"
     "retained? {invoices int, reason str}",
     NULL},
    {"RetentionRule", REC,
     "-id int, -name str, -domain Domain, -role_type str, -statuses [str], days int,"
     "consent_purpose str?, consent_days int?, enabled bool, -description str, -version int",
     NULL},
    {"RetentionRun", OBJ, "dry_run? bool", NULL},
    {"RetentionReport", OBJ, "dry_run bool, today date, items [obj]", NULL},

    /* Sales */
    {"Stage", REC, "id int, +name str, probability int, kind enum(open|won|lost), position int",
     "a stage; in an update, a stage with the id of an existing one keeps its deals"},
    {"Pipeline", REC,
     "-id int, +name str, default bool, +stages [Stage], -version int, -created_at datetime,"
     "-updated_at datetime",
     NULL},
    {"PipelineBoard", OBJ,
     "pipeline Pipeline, currency str, closed_days int,"
     "columns [{stage Stage, count int, amount int, weighted int, deals [Deal], more bool}],"
     "totals {count int, amount int, weighted int}",
     NULL},
    {"ForecastOwner", OBJ, "owner int, owner_name str, count int, amount int, weighted int", NULL},
    {"Forecast", OBJ,
     "currency str, months [{month str?, count int, amount int, owners [ForecastOwner],"
     "weighted int}], owners [ForecastOwner], total {count int, amount int, weighted int}",
     "open deals by expected month, amounts in cents"},
    {"DealStageChange", OBJ,
     "id int, from int?, from_name str?, to int, to_name str, user int?, at datetime", NULL},
    /* deals: a note or call on a deal */
    {"DealActivityInput", OBJ, "type? enum(note|call|meeting|email), subject str, body? str",
     "a sales activity of the deal's party, linked to the deal; type default note"},

    /* Tasks, calendar feed, automations */
    {"Tasks", OBJ,
     "now datetime, date date, overdue [Activity], today [Activity], upcoming [Activity],"
     "counts {overdue int, today int, upcoming int}, "
     "total int, total_capped bool, next {overdue str?, today str?, upcoming str?}",
     "the user's open tasks by due date"},
    {"CalendarFeed", OBJ, "url? str, created_at datetime?, last_used_at? datetime?, active bool",
     "the user's private iCalendar feed; url only when it is created"},
    {"Automation", REC,
     "-id int, +name str,"
     "+trigger {+type str, stage? str, stage_id? int, pipeline? int, days? int, kind? str,"
     "domain? Domain, role? str, within_days? int},"
     "+actions [{+type str, subject? str, body? str, due_days? int, assignee? any,"
     "domain? Domain, tag? str, field? str, value? any}],"
     "enabled bool, -builtin bool, -created_by int?, -version int, -created_at datetime,"
     "-updated_at datetime",
     NULL},
    {"AutomationRun", OBJ,
     "at datetime, fired int, renewed int, errors int,"
     "automations [{id int, name str, fired int, errors int}]",
     NULL},
    {"AutomationStatus", OBJ,
     "scheduler bool, interval int, runs int, last_run AutomationRun?, now datetime,"
     "fake_clock bool",
     NULL},

    /* Service: cases and agreements */
    {"CaseMessageInput", OBJ, "body str, subject? str, internal? bool",
     "a message on a case: an e-mail to the party, or an internal note"},

    /* Import jobs */
    {"ImportJob", OBJ,
     "id int, status enum(queued|running|done|failed), dry_run bool, format enum(csv|vcard|ndjson),"
     "total int, done int, created int, updated int, skipped int, errors int, match [str],"
     "on_error enum(skip|abort), separator? str, encoding? str,"
     "columns? [{header str, field str?, samples [str]}],"
     "error_list? [{line int, field str?, code str, message str}], created_at datetime,"
     "finished_at datetime?, message str?",
     "an import of a file of parties; done of total rows so far, error_list its first 50 errors"},

    /* Suppliers: the scorecard */
    {"Scorecard", OBJ,
     "party Ref, rating int?, category str?, preferred bool, window {from str, to str},"
     "averages {quality num?, delivery num?, price num?, communication num?, overall num?},"
     "history [{from int?, to int?, evaluations int, at datetime}],"
     "evaluations [SupplierEvaluation], contracts [{id int, title str, start date, end date?,"
     "status enum(upcoming|active|ended), ends_in_days int?, expiring bool}],"
     "flags [{code enum(supplier_customer), rule str, notes [Label]}], evaluated int",
     "a supplier's rating (the rounded mean of the evaluations of the last 12 months, window), "
     "its changes (history), averages per criterion, contracts (expiring: ending within 90 "
     "days) and flags (supplier_customer: also a customer, offsetting and conflict of interest)"},
    {"SupplierEvaluationList", LIST, "SupplierEvaluation", NULL},
    /* purchase invoices */
    {"PurchaseInvoiceList", LIST, "PurchaseInvoice", NULL},
    /* documents on records */
    {"Document", OBJ,
     "id int, name str, type str, size int, sha256 str, record str, party int?, domain Domain,"
     "created_at datetime, created_by int?",
     "a file on a record: record is kind:id (party, deal, case, agreement, quote, invoice, "
     "activity), party the party the record belongs to, sha256 of the content; the file itself "
     "is GET /documents/{id}/content"},
    {"DocumentList", OBJ, "items [Document]", "the documents of one record the reader may see"},
    /* Public relations: projects, stakeholders, the grid */
    {"ProjectList", LIST, "Project", NULL},
    {"StakeholderList", LIST, "Stakeholder", NULL},
    {"StakeholderGrid", OBJ,
     "project Ref, threshold int, manage_closely [Stakeholder], keep_satisfied [Stakeholder],"
     "keep_informed [Stakeholder], monitor [Stakeholder]",
     "the influence x interest grid: influence >= threshold and interest >= threshold: "
     "manage_closely; influence only: keep_satisfied; interest only: keep_informed; else "
     "monitor"},
    {"StakeholderBulk", OBJ,
     "q str, influence? int, interest? int, stance? enum(supporter|neutral|critic), note? str",
     "every party the query finds (e.g. postcode:3511-3514) as a stakeholder, at most 2000; "
     "defaults influence 2, interest 4, neutral"},
    /* quotes and invoices */
    {"CompanySettings", REC,
     "legal_name? str?, street? str?, house_number? str?, postcode? str?, city? str?,"
     "country? str?, kvk? str?, vat? str?, iban? str?, bic? str?, email? str?, phone? str?,"
     "payment_days? int, quote_number_format? str?, invoice_number_format? str?,"
     "credit_number_format? str?, email_footer? str?, -has_logo bool, -logo_type str?,"
     "-version int",
     "the seller on quotes and invoices; number formats hold {NNNN} (3 to 10 N) and may hold "
     "{YYYY}"},
    {"QuoteList", LIST, "Quote", NULL},
    {"InvoiceList", LIST, "Invoice", NULL},
    {"PublicQuote", OBJ,
     "number str?, date date, valid_until date?, status enum(draft|sent|accepted|declined|expired),"
     "currency str, lines [any], totals any, seller {name str?}, buyer {name str?}",
     "what the customer's accept page shows"},
    {"InvoiceIssue", OBJ, "date? date", "the invoice date (default: the draft's date, else today)"},
    {"InvoiceCredit", OBJ, "lines? [any], note? str, date? date",
     "the lines to credit (line objects, or indexes of the invoice's lines; default all)"},
    {"InvoicePayment", OBJ, "amount int, date date, note? str?",
     "a payment in cents, at most the open amount, not dated in the future"},
    {"StakeholderBulkResult", OBJ, "matched int, added int, skipped int",
     "skipped: parties that already were stakeholders of the project"},
    {"PressRecipients", OBJ,
     "items [{party int, name str, status enum(pending|sent|skipped), reason enum(may_email)?,"
     "at datetime?}], next str?, sent int, skipped int, pending int",
     "who gets a press release or letter (pending: before sending) and who was skipped "
     "(may_email false)"},
    {"PressSend", OBJ, "sent int, skipped int, at datetime",
     "a press release or letter logged on the timeline of each recipient who may be e-mailed"},
    {"StanceHistory", OBJ,
     "items [{from enum(supporter|neutral|critic)?, to enum(supporter|neutral|critic),"
     "user int?, at datetime}], next str?",
     "a stakeholder's stances, oldest first"},

    /* Lists: {items, next} */
    {"PartyList", LIST, "Party", NULL},
    {"RoleList", LIST, "Role", NULL},
    {"RoleTypeList", LIST, "RoleType", NULL},
    {"RelationshipTypes", OBJ, "items [RelationshipType]", "every relationship type, unpaged"},
    {"ActivityList", LIST, "Activity", NULL},
    {"RuleList", LIST, "Rule", NULL},
    {"SegmentList", LIST, "Segment", NULL},
    {"AuditList", LIST, "AuditEntry", NULL},
    {"RetentionRuleList", LIST, "RetentionRule", NULL},
    {"PipelineList", LIST, "Pipeline", NULL},
    {"DealList", LIST, "Deal", NULL},
    {"DealHistoryList", LIST, "DealStageChange", NULL},
    {"AutomationList", LIST, "Automation", NULL},
    {"CaseList", LIST, "Case", NULL},
    {"AgreementList", LIST, "Agreement", NULL},
    {"TokenList", LIST, "Token", NULL},
    {"UserList", LIST, "User", NULL},
    /* HR, the organisation: departments, org chart, employment history */
    {"DepartmentSummary", OBJ,
     "id int, name str, parent int?, manager int?, manager_name str?, cost_centre str?,"
     "version int, created_at datetime, updated_at datetime, members int",
     "a department with the number of its employees (roles not ended)"},
    {"DepartmentList", LIST, "DepartmentSummary", NULL},
    {"OrgMember", OBJ, "id int, name str, job_title str?, manager int?",
     "an employee (party id) with the manager of their employee role"},
    {"OrgNode", OBJ,
     "department {id int, name str, cost_centre str?}, manager Ref?, members [OrgMember],"
     "children [OrgNode]",
     "a department of the org chart with its employees and the departments below it"},
    {"OrgChart", OBJ, "items [OrgNode], unplaced [OrgMember]",
     "the departments at the top with their trees; unplaced: employees without a department"},
    {"EmploymentRecord", OBJ,
     "id int, party int, effective date, job_title str?, department int?, department_name str?,"
     "hours_per_week num?, contract_type str?, salary? int?, note str?, planned bool,"
     "created_at datetime",
     "the terms that changed on a date (null: not part of the change); salary only for hr=full; "
     "planned: the date is after today"},
    {"EmploymentCurrent", OBJ,
     "job_title str?, department int?, department_name str?, hours_per_week num?,"
     "contract_type str?, salary? int?",
     "the terms as of today: every record up to today, later dates winning"},
    {"EmploymentHistory", OBJ, "items [EmploymentRecord], current EmploymentCurrent",
     "a party's employment history, oldest first"},
    {"EmploymentInput", OBJ,
     "effective date, job_title? str?, department? int?, hours_per_week? num?,"
     "contract_type? enum(permanent|temporary|freelance|intern|zero_hours)?, salary? int?,"
     "note? str?",
     "a dated change (past or future) of at least one term; a salary needs hr=full"},
    /* HR absence: absences, leave balance, Poortwachter steps and tasks, sickness %. Written by
       hand, not from the descriptor: a sick absence's note is absent for readers without full
       access to hr, and hours are a number (kept in minutes) */
    {"Absence", REC,
     "-id int, +party int, -party_name str, +kind enum(sick|leave|special|parental), +from date,"
     "until date?, hours num?, -status enum(requested|approved|rejected), note? str?,"
     ">assignee int?, -domain Domain, -created_by int?, -version int, -created_at datetime,"
     "-updated_at datetime",
     "an employee's absence; until: the last day (null: sick, not recovered); hours: leave "
     "hours (default: working days x hours_per_week / 5); status: leave is requested, then "
     "approved or rejected (POST .../approve, .../reject), other kinds are approved; note: on "
     "sick leave only for full access to hr (never a diagnosis); assignee: who gets the "
     "Poortwachter tasks of a sick report (default: the reporting user)"},
    {"AbsenceList", LIST, "Absence", NULL},
    {"AbsenceRecover", OBJ, "date? date",
     "the date of recovery (default today): the last sick day"},
    {"PoortwachterTask", OBJ, "id int, subject str, due date?, done bool, assignee int?",
     "a task of a sick report (an activity of type task in domain hr)"},
    {"PoortwachterTaskList", LIST, "PoortwachterTask", NULL},
    {"PoortwachterStep", OBJ, "code str, week int, every_weeks? int, until_week? int?, title Label",
     "a step of the Wet verbetering poortwachter: due on the last day of week `week` of the "
     "sickness (from + 7 x week - 1 days), again every every_weeks weeks up to until_week"},
    {"PoortwachterSteps", OBJ, "items [PoortwachterStep], next? str?",
     "the Poortwachter table; a PUT replaces it whole (administrators)"},
    {"AbsenceEntry", OBJ,
     "absence Absence, department str?, department_name str?, sick_week int?,"
     "next_task {id int, subject str, due date?}?",
     "an absence with the employee's department; open sick leave: the week of sickness today "
     "and the next open Poortwachter task"},
    {"AbsenceOverview", OBJ,
     "date date, week_start date, week_end date, today [AbsenceEntry], week [AbsenceEntry],"
     "requests [AbsenceEntry], sick [AbsenceEntry], departments [{department str, name str}]",
     "who is away today and this week (approved), leave requests waiting, open sick reports"},
    {"SicknessStats", OBJ,
     "year int, department str?, formula str,"
     "items [{month str, department str?, name str?, sick_days int, available_days int,"
     "percentage num?}], totals [{month str, sick_days int, available_days int, percentage num?}]",
     "sickness percentage per month and department: sick calendar days / available calendar "
     "days x 100"},
    {"LeaveBalance", OBJ,
     "party int, year int, as_of date, hours_per_week num, statutory_hours num, extra_hours num,"
     "carried_over num, taken num, planned num, requested num, remaining num, expired num,"
     "expiring [{date date, hours num}],"
     "entitlements [{year int, kind enum(statutory|extra), hours num, used num, left num,"
     "expires date}]",
     "an employee's leave balance for a year (hours): statutory hours expire on 1 July of the "
     "next year, extra hours 5 years after their year; expiring: the last day each part of "
     "remaining may be used"},
    /* HR: on- and offboarding checklists, vacancies and applicants */
    {"ChecklistTemplate", REC,
     "-id int, +name str, +kind enum(onboarding|offboarding), +items [ChecklistTemplateItem],"
     "auto_start bool, -domain Domain, -created_by int?, -version int, -created_at datetime,"
     "-updated_at datetime",
     "the items of an on- or offboarding checklist; auto_start: started by itself when an "
     "employee role starts (onboarding) or ends (offboarding)"},
    {"ChecklistTemplateItem", OBJ, "title str, who any, offset_days? int",
     "who: hr, manager, it, employee or a user id; offset_days from the start or end date"},
    {"Checklist", OBJ,
     "id int, party int, party_name str, role int?, template int?,"
     "kind enum(onboarding|offboarding), name str, anchor_date date, domain Domain,"
     "items [ChecklistItem], progress {done int, total int}, status enum(open|done),"
     "created_by int?, version int, created_at datetime, updated_at datetime",
     "a template started for a person; each item is an hr task on the person"},
    {"ChecklistItem", OBJ,
     "n int, title str, who any, offset_days int, activity int, due str?, assignee int?,"
     "assignee_name str?, done bool, done_at datetime?, done_by int?, done_by_name str?",
     "n counts from 1; activity is the item's task; done_by: who last changed the task"},
    {"ChecklistInput", OBJ, "party int, template int, anchor_date? date, role? int",
     "starts a template for a person by hand; anchor_date: the start or end date (default "
     "today); role: the employee role it follows"},
    {"ChecklistTick", OBJ, "n int, done bool",
     "ticks item n (from 1) of a checklist, or unticks it"},
    {"ChecklistTemplateList", LIST, "ChecklistTemplate", NULL},
    {"ChecklistList", LIST, "Checklist", NULL},
    {"VacancyList", LIST, "Vacancy", NULL},
    {"Applicant", OBJ,
     "role int, party int, party_name str, vacancy int?,"
     "stage enum(new|interview|offer|hired|rejected), status str, since date?, until date?,"
     "email str?, phone str?, keep_until date?, version int",
     "an application: the employee role (status applicant) of a party for a vacancy; "
     "keep_until: the day retention removes an ended application; version: the role's"},
    {"ApplicantList", LIST, "Applicant", NULL},
    {"ApplicantMove", OBJ,
     "stage enum(new|interview|offer|hired|rejected), start_date? date, reason? str",
     "hired needs start_date and makes the role active; rejected ends it today (reason: kept as "
     "an hr note)"},

    /* Duplicates */
    {"DuplicateReason", OBJ,
     "key enum(email|phone|kvk|vat|iban|address|name|name_initial|"
     "external_id|uid), value str",
     "a normalised key two parties share"},
    {"DuplicateCandidate", OBJ, "party Ref, score int, exact bool, reasons [DuplicateReason]",
     "a party that may be the same; exact: a match on kvk, vat, iban, email, external_id or uid"},
    {"DuplicateCandidates", OBJ, "items [DuplicateCandidate]", "best first"},
    {"DuplicatePair", OBJ,
     "party Ref, duplicate Ref, score int, exact bool, reasons [DuplicateReason]",
     "two parties that may be the same (party.id < duplicate.id)"},
    {"DuplicatePairList", LIST, "DuplicatePair", NULL},
    {"ImportJobList", LIST, "ImportJob", NULL},
    /* Merge: duplicate parties into one survivor, with preview and undo */
    {"MergeInput", OBJ, "from [int], preview? bool, choose? map(int)",
     "from: the parties merged into the one of the path (at most 10); choose: a field "
     "(\"name\", \"kvk\", \"custom.KEY\"...) and the party whose value it takes"},
    {"MergeMoves", OBJ,
     "roles int, relationships int, activities int, deals int, cases int, agreements int,"
     "consents int, tags int, employment? int, absences? int,"
     "supplier_evaluations? int, stakeholders? int, quotes? int, invoices? int,"
     "documents? int",
     "how many of each move onto the survivor (roles merged into one count too); employment: "
     "records of the employment history, absences (HR); supplier evaluations and project "
     "stakeholders"},
    {"MergeField", OBJ, "field str, value any, from int?, alternatives [{value any, party int}]",
     "a field of the survivor: its value, the party it came from, the others' values"},
    {"MergeResult", OBJ,
     "id? int, party Party, fields? [MergeField], conflicts? [str], moves MergeMoves,"
     "undo_until? datetime",
     "a preview (fields and conflicts, nothing changed) or a merge done (id, undo_until)"},
    {"Merge", OBJ,
     "id int, user int?, party int, from [int], moves MergeMoves, created_at datetime,"
     "undo_until datetime, undone_at datetime?, undone_by int?",
     "a merge; only its user and administrators see it"},
    {"MergeUndo", OBJ, "id int, undone_at datetime, parties [int]",
     "the merge undone: the survivor and the merged parties as they were"},
    /* Partners: commission statements, tiers and their proposals, the partner page */
    {"Period", OBJ, "from date, to date", "from inclusive, to exclusive"},
    {"CommissionTotal", OBJ,
     "currency str, count int, base int, open int, approved int, paid int, cancelled int, "
     "total int",
     "per currency, cents; count, base and total leave cancelled lines out"},
    {"CommissionStatement", OBJ,
     "items [Commission], next str?, period Period?, totals [CommissionTotal]",
     "the lines of a partner and period by win date, with totals per currency"},
    {"PartnerTierList", LIST, "PartnerTier", NULL},
    {"TierProposalList", LIST, "TierProposal", NULL},
    {"TierEvaluation", OBJ, "evaluated int, items [TierProposal]",
     "evaluated: active partners looked at; items: the new proposals"},
    {"PartnerDeal", OBJ,
     "id int, title str, party int, party_name str, stage_name str, status enum(open|won|lost), "
     "amount int, currency str, expected_close date?, closed_at datetime?, "
     "partner_source enum(given|referral)?",
     "what a partners reader sees of a deal carrying the partner"},
    {"PartnerSummary", OBJ,
     "party int, role int, tier enum(bronze|silver|gold|strategic)?, commission_pct num, "
     "pct_source enum(partner|tier), revenue_12m int, certified int, deals [PartnerDeal], "
     "commissions {items [Commission], totals [CommissionTotal]}, proposals [TierProposal]",
     "the partner page: tier, criteria, pipeline, commission lines, pending proposals"},
    /* Billing after the invoice: overdue scan, reminders, debtors, open items, revenue */
    {"OverdueScan", OBJ,
     "today date, created int, tasks [{invoice int, number str, task int, assignee int}]",
     "the overdue scan: one task made per overdue invoice that had none"},
    {"ReminderInput", OBJ, "kind enum(reminder|collection)",
     "reminder (the default): the next payment reminder, for a consumer first the WIK 14-day "
     "letter; collection: charge the WIK collection costs (a consumer after the 14-day "
     "letter's pay-by date, a business after a reminder)"},
    {"Reminder", OBJ,
     "id int, invoice int, level int, kind enum(reminder|fourteen_day_letter|collection), "
     "date date, pay_by date?, costs int, activity int?, subject str?, body str?, "
     "created_by int?, created_at datetime",
     "a reminder and its letter (the letter activity's subject and body); costs in cents: "
     "stated by a 14-day letter, charged by a collection"},
    {"ReminderList", OBJ,
     "invoice int, reminder_level int, collection_costs int, items [Reminder], "
     "collection {allowed bool, from date?, costs int}",
     "an invoice's reminders, oldest first; collection: whether collection costs may be "
     "charged now, from when, and how much (the WIK scale on the open amount)"},
    {"DebtorAmounts", OBJ,
     "count int, open int, not_due int, days_0_30 int, days_31_60 int, days_61_90 int, "
     "days_over_90 int, collection_costs int",
     "open invoices in cents by days past their due date"},
    {"Debtor", OBJ,
     "party int, party_name str, debtor_number any, count int, open int, not_due int, "
     "days_0_30 int, days_31_60 int, days_61_90 int, days_over_90 int, oldest_due date?, "
     "collection_costs int",
     "a party's open invoices with their ageing"},
    {"DebtorList", OBJ, "today date, items [Debtor], totals DebtorAmounts",
     "debtors, largest open amount first"},
    {"OpenItems", OBJ,
     "party int, items [{id int, number str, date date, due date, currency str, gross int, "
     "paid int, credited int, open int, status enum(open|overdue), days_overdue int, "
     "reminder_level int, collection_costs int}], open int",
     "a party's open invoices, oldest due first"},
    {"Revenue", OBJ,
     "months [{month str, invoiced int, credited int, net int, count int}], net int",
     "net invoiced per month (credit notes subtracted), oldest month first"},
    /* background jobs */
    {"Job", OBJ,
     "name str, period enum(daily|monthly), last_run datetime?, result enum(ok|failed)?, "
     "message str?, duration_ms int?, next_run datetime?, running bool",
     "a job of the scheduler in xrm serve: daily at 03:00 or monthly on the 1st at 03:00 Dutch "
     "time; message: the last run's result (JSON text) or its error"},
    {"JobList", OBJ, "items [Job]", "the scheduler's jobs in registration order"},
    /* E-mail sending: mails to parties, templates, the outbox, settings */
    {"EmailInput", OBJ,
     "+to [int], subject? str, body? str, +domain Domain, template? int, record? str, "
     "lang? enum(nl|en), attachments? [int]",
     "to: 1 to 100 party ids; subject and body (with placeholders such as {{salutation}}) or a "
     "template; record: case:ID (a reply threaded on the case), quote:ID or invoice:ID (its PDF "
     "attached; a draft quote is sent first), activity:ID (a press release); attachments: up to 10 "
     "document ids"},
    {"EmailSent", OBJ,
     "items [{party int, to str, message_id str, activity int?, outbox int}], "
     "skipped [{party int, reason enum(no_email)}]",
     "one mail per recipient with an e-mail address, queued in the outbox"},
    {"MailTemplateList", LIST, "MailTemplate", NULL},
    {"MailPreviewInput", OBJ, "+party int, record? str, lang? enum(nl|en)",
     "the party (and record) whose placeholders fill the template"},
    {"MailPreview", OBJ, "subject str, body str", "the template rendered for one party"},
    {"OutboxMail", OBJ,
     "id int, message_id str, to str, subject str?, status enum(queued|sending|sent|failed), "
     "attempts int, next_at datetime, last_error str?, created_at datetime, sent_at datetime?, "
     "campaign int?",
     "a mail in the outbox; failed: refused for good (5xx) or too many attempts"},
    {"OutboxList", LIST, "OutboxMail", NULL},
    {"MailSettings", OBJ, "smtp bool, from str, public_url str",
     "smtp: whether an SMTP server is configured (else mails stay queued)"},
    /* campaigns: recipients, sending, the public unsubscribe link (RFC 8058) */
    {"CampaignList", LIST, "Campaign", NULL},
    {"CampaignReport", OBJ,
     "recipients int, sent int, queued int, bounced int, skipped int, reasons map(int)",
     "sent: accepted by the SMTP server; queued: still in the outbox; bounced: refused for good; "
     "reasons: skipped recipients per reason (no_email, or the consent rule's: no_basis, "
     "withdrawn, non_mailing, suppressed, staff, erased)"},
    {"CampaignRecipients", OBJ,
     "items [{party int, name str?, email str?, status enum(pending|queued|sent|skipped|bounced),"
     "reason str?, detail str?}], next str?,"
     "counts {pending int, queued int, sent int, skipped int, bounced int}, reasons map(int)",
     "a draft: who would get it now (pending) and who is skipped with the reason (may_email "
     "false: the consent rule's reason; no_email); sent: the outcome per recipient"},
    {"CampaignSend", OBJ, "sent int, skipped int, report CampaignReport",
     "one mail queued per recipient whose may_email holds now, each with its own unsubscribe "
     "link"},
    {"PublicUnsubscribe", OBJ, "campaign str, done bool",
     "what the unsubscribe page shows: the campaign's name, and whether the link was used"},
    {"PublicUnsubscribeDone", OBJ, "unsubscribed bool",
     "the party's e-mail consent (newsletter, marketing e-mail) is withdrawn"},
    /* mail received: mailboxes, delivery, the review list */
    {"MailboxList", LIST, "Mailbox", NULL},
    {"MailboxPoll", OBJ, "fetched int, stored int, review int, duplicates int, refused int",
     "one poll: messages fetched, stored on timelines or cases, put in review, seen before, "
     "refused (not a mail message or larger than 25 MB)"},
    {"MailDelivered", OBJ,
     "activity int?, review int?, parties [int], case int?, duplicate bool, message_id str",
     "where one received message went: an activity on parties (and a case), the review list, "
     "or nowhere (duplicate: its Message-ID was received before)"},
    {"MailReview", OBJ,
     "id int, mailbox int?, domain Domain, from str, from_name str?, subject str, text str, "
     "received_at datetime, status enum(review|assigned|discarded), activity int?",
     "received mail from an unknown sender, waiting to be assigned to a party or discarded"},
    {"MailReviewList", OBJ, "items [MailReview]",
     "newest first; only of the domains the reader may write"},
    {"MailReviewAssign", OBJ, "+party int", "the party the mail is stored on"},
    {"MailAssigned", OBJ, "activity int", "the email activity made of the mail"},
    /* CardDAV and CalDAV: the user's DAV account */
    {"DavAccount", OBJ,
     "url str, carddav str, caldav str, username str, address_books [DavAddressBook],"
     "calendars [DavCalendar], segments [DavSegment]",
     "what a phone or Thunderbird needs: the server address (url), the user's CardDAV and "
     "CalDAV homes, the user name (the password is the user's own or an API token), the "
     "address books and calendars, and every segment the user may read with whether it is "
     "synced as an address book of its own"},
    {"DavAddressBook", OBJ, "name str, displayname str, url str, segment Ref?",
     "an address book: all (every party the user may see) or segment-<id>"},
    {"DavCalendar", OBJ, "name enum(tasks|meetings), displayname str, url str",
     "a calendar: the user's tasks (VTODO) or meetings (VEVENT)"},
    {"DavSegment", OBJ, "id int, name str, synced bool",
     "a segment the user may read; synced: PUT /dav/segments/{id} marks it, DELETE unmarks it"},
    /* webhooks: subscriptions (administrators), deliveries, replays */
    {"Webhook", REC,
     "-id int, +url str, +events [str], domains [Domain], secret? str, -secret_set bool, "
     "enabled bool, description str?, -owner Ref?, -version int, -created_at datetime, "
     "-updated_at datetime, -stats {delivered int, pending int, failed int}",
     "a webhook subscription: events (party.created, ..., invoice.deleted, or * for all) in "
     "domains ([]: all the owner may read) are POSTed to url, signed with the secret; secret is "
     "write-only, answered once by a create that generated it; stats.failed: dead deliveries"},
    {"WebhookList", LIST, "Webhook", NULL},
    {"WebhookDelivery", OBJ,
     "id int, event str, event_id uuid, status enum(pending|sending|delivered|dead), "
     "attempts int, next_at datetime, last_status int?, last_error str?, created_at datetime, "
     "delivered_at datetime?",
     "one event sent (or to be sent) to a webhook; dead: not delivered within the retry window"},
    {"WebhookDeliveryList", LIST, "WebhookDelivery", NULL},
    {"WebhookReplay", OBJ, "+status enum(dead)", "which deliveries are sent again"},
    {"WebhookReplayed", OBJ, "replayed int", "how many deliveries are pending again"},

    /* Operations: the administrators' system overview (GET /api/v1/system) */
    {"System", OBJ,
     "version str, engine enum(sqlite|postgresql), schema_version int, started_at datetime,"
     "uptime_seconds int, status enum(ok|degraded), checks map(str), disk? {free int, size int},"
     "outbox {mail int, webhook int}, requests {total int, errors_5xx int},"
     "memory {rss int, anon int}, database? {size int}",
     "the running server: checks as GET /healthz (database, storage, disk, replica?); disk: "
     "free and total bytes of the SQLite database's filesystem; outbox: mails and webhook "
     "deliveries waiting; requests answered since the start, errors_5xx of them failed on the "
     "server; memory: resident bytes (all, anonymous); database: bytes of the SQLite file and "
     "its WAL"},
};

/* ---- the notation ------------------------------------------------------- */

enum mode {
    ANSWER, /* a response body: every field but request-only ones, present unless '?' */
    CREATE, /* a create body: writable fields, required when marked '+' */
    PATCH,  /* an update body: writable fields, none required */
};

struct parser {
    const char *name; /* the entry being read, for error messages */
    const char *start;
    const char *p;
};

static void fail(const struct parser *ps, const char *what)
{
    XRM_BUG("openapi schema '%s' at offset %d: %s", ps->name, (int)(ps->p - ps->start), what);
}

static void skip_space(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t')
        ps->p++;
}

static bool is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
}

/* Reads a word into out (NUL-terminated). */
static void word(struct parser *ps, char *out, size_t len)
{
    size_t n = 0;
    skip_space(ps);
    while (is_word(*ps->p) && n + 1 < len)
        out[n++] = *ps->p++;
    out[n] = '\0';
    if (n == 0)
        fail(ps, "expected a name");
}

static bool accept(struct parser *ps, char c)
{
    skip_space(ps);
    if (*ps->p != c)
        return false;
    ps->p++;
    return true;
}

static void expect(struct parser *ps, char c)
{
    if (!accept(ps, c)) {
        char msg[32];
        snprintf(msg, sizeof(msg), "expected '%c'", c);
        fail(ps, msg);
    }
}

static const struct entry *find(const char *name);
static bool is_record_kind(const char *name);
static json_t *fields(struct parser *ps, enum mode mode, char close);

/* A $ref to another component; record kinds are referred to by their input form in bodies. */
static json_t *ref(struct parser *ps, const char *name, enum mode mode)
{
    const struct entry *e = find(name);
    bool rec = is_record_kind(name);
    char path[128];
    if (!e && !rec)
        fail(ps, "reference to an unknown schema");
    snprintf(path, sizeof(path), "#/components/schemas/%s%s", name,
             (rec || e->form == REC) && mode != ANSWER ? "Input" : "");
    return json_pack("{s:s}", "$ref", path);
}

/* Makes schema s also accept null. */
static json_t *nullable(json_t *s)
{
    json_t *type = json_object_get(s, "type");
    json_t *values = json_object_get(s, "enum");
    if (json_is_string(type)) {
        json_object_set_new(s, "type", json_pack("[s,s]", json_string_value(type), "null"));
        if (values)
            json_array_append_new(values, json_null());
        return s;
    }
    return json_pack("{s:[o,{s:s}]}", "anyOf", s, "type", "null");
}

static json_t *type(struct parser *ps, enum mode mode)
{
    static const struct {
        const char *word;
        const char *json;
    } prims[] = {
        {"int", "{\"type\":\"integer\"}"},
        {"num", "{\"type\":\"number\"}"},
        {"str", "{\"type\":\"string\"}"},
        {"bool", "{\"type\":\"boolean\"}"},
        {"date", "{\"type\":\"string\",\"format\":\"date\"}"},
        {"datetime", "{\"type\":\"string\",\"format\":\"date-time\"}"},
        {"uuid", "{\"type\":\"string\",\"format\":\"uuid\"}"},
        {"obj", "{\"type\":\"object\",\"additionalProperties\":true}"},
        {"any", "{}"},
    };
    json_t *s = NULL;
    char w[64];
    skip_space(ps);
    if (accept(ps, '[')) {
        s = json_pack("{s:s, s:o}", "type", "array", "items", type(ps, mode));
        expect(ps, ']');
    } else if (accept(ps, '{')) {
        s = fields(ps, mode == PATCH ? CREATE : mode, '}');
    } else {
        word(ps, w, sizeof(w));
        if (strcmp(w, "enum") == 0) {
            json_t *values = json_array();
            expect(ps, '(');
            do {
                char v[64];
                word(ps, v, sizeof(v));
                json_array_append_new(values, json_string(v));
            } while (accept(ps, '|'));
            expect(ps, ')');
            s = json_pack("{s:s, s:o}", "type", "string", "enum", values);
        } else if (strcmp(w, "map") == 0) {
            expect(ps, '(');
            s = json_pack("{s:s, s:o}", "type", "object", "additionalProperties", type(ps, mode));
            expect(ps, ')');
        } else if (w[0] >= 'A' && w[0] <= 'Z') {
            s = ref(ps, w, mode);
        } else {
            for (size_t i = 0; i < sizeof(prims) / sizeof(prims[0]) && !s; i++)
                if (strcmp(w, prims[i].word) == 0)
                    s = json_loads(prims[i].json, 0, NULL);
            if (!s)
                fail(ps, "unknown type");
        }
    }
    if (accept(ps, '?'))
        s = nullable(s);
    return s;
}

/*
 * An object from "name type, -name type, ..." up to `close` ('\0' at the
 * end of the text). Marks before a name: '-' answers only (read-only),
 * '>' requests only, '+' required in a create; '?' after the name: may be
 * missing from an answer.
 */
static json_t *fields(struct parser *ps, enum mode mode, char close)
{
    json_t *props = json_object();
    json_t *required = json_array();
    skip_space(ps);
    while (*ps->p && *ps->p != close) {
        char name[64];
        bool answer_only = false, request_only = false, needed = false, optional;
        for (;; ps->p++) {
            if (*ps->p == '-')
                answer_only = true;
            else if (*ps->p == '>')
                request_only = true;
            else if (*ps->p == '+')
                needed = true;
            else
                break;
        }
        word(ps, name, sizeof(name));
        optional = accept(ps, '?');
        json_t *t = type(ps, mode);
        bool keep = mode == ANSWER ? !request_only : !answer_only;
        if (keep) {
            json_object_set_new(props, name, t);
            if ((mode == ANSWER && !optional) || (mode == CREATE && needed))
                json_array_append_new(required, json_string(name));
        } else {
            json_decref(t);
        }
        if (!accept(ps, ','))
            break;
        skip_space(ps);
    }
    if (close)
        expect(ps, close);
    else if (*ps->p)
        fail(ps, "unexpected text");
    /* Answers list every field they may hold; bodies are checked by the server (422). */
    json_t *obj = json_pack("{s:s, s:o}", "type", "object", "properties", props);
    if (mode == ANSWER)
        json_object_set_new(obj, "additionalProperties", json_false());
    if (json_array_size(required))
        json_object_set_new(obj, "required", required);
    else
        json_decref(required);
    return obj;
}

static json_t *build_one(const struct entry *e, enum mode mode)
{
    struct parser ps = {e->name, e->text, e->text};
    json_t *s = NULL;
    switch (e->form) {
    case REC:
    case OBJ:
        s = fields(&ps, e->form == OBJ ? ANSWER : mode, '\0');
        break;
    case TYPE:
        s = type(&ps, ANSWER);
        skip_space(&ps);
        if (*ps.p)
            fail(&ps, "unexpected text");
        break;
    case LIST:
        s = json_pack("{s:s, s:[s,s], s:b, s:{s:{s:s, s:o}, s:{s:[s,s], s:s}}}", "type", "object",
                      "required", "items", "next", "additionalProperties", 0, "properties", "items",
                      "type", "array", "items", ref(&ps, e->text, ANSWER), "next", "type", "string",
                      "null", "description",
                      "pass as ?cursor= for the next page; null on the last page");
        /* lists: a list may say how many rows it has in all pages */
        json_object_set_new(json_object_get(s, "properties"), "total",
                            json_pack("{s:s, s:i, s:s}", "type", "integer", "minimum", 0,
                                      "description",
                                      "rows of the whole list (every page), counted with the "
                                      "same filter and visibility; at most 10000 (1000 when q "
                                      "has free words)"));
        json_object_set_new(json_object_get(s, "properties"), "total_capped",
                            json_pack("{s:s, s:s}", "type", "boolean", "description",
                                      "true: the list has more rows than total says"));
        break;
    }
    if (e->description)
        json_object_set_new(s, "description", json_string(e->description));
    return s;
}

static const struct entry *find(const char *name)
{
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
        if (strcmp(entries[i].name, name) == 0)
            return &entries[i];
    return NULL;
}

/*
 * Record kinds whose schemas come from their descriptor (domain/base/
 * record.h): the fields, types, limits, required and read-only flags the
 * server validates with are the ones documented. Each gives three schemas
 * under the names a REC entry would (answer, create and update form), so
 * routes and other schemas refer to "Deal", "DealInput" and "DealPatch"
 * alike. Automations stay a REC entry: their trigger and actions are JSON
 * fields whose inner shape the descriptor does not describe.
 */
static const struct {
    const char *name;
    const struct xrm_record_kind *kind;
    const char *description;
    const char *instead; /* a create field that stands in for the required ones */
} record_kinds[] = {
    {"Deal", &xrm_deal_kind, "amounts in cents", NULL},
    /* partners */
    {"Commission", &xrm_commission_kind, "a commission line of a won partner deal; cents", NULL},
    {"PartnerTier", &xrm_tier_level_kind, "a partner tier's thresholds and default commission",
     NULL},
    {"TierProposal", &xrm_tier_proposal_kind, "a proposed tier move, never applied silently", NULL},
    {"Case", &xrm_case_kind,
     "a service case (ticket) with its SLA; a create from_activity takes the party, subject and "
     "description from that activity",
     "from_activity"},
    {"Agreement", &xrm_agreement_kind, "a contract with a party; value in cents", NULL},
    {"Segment", &xrm_segment_kind, "a saved party query; private ones only for their owner", NULL},
    /* HR: the organisation */
    {"Department", &xrm_department_kind, "a department of the organisation (a tree)", NULL},
    /* HR: vacancies */
    {"Vacancy", &xrm_vacancy_kind, "an open position; applicants: how many per stage", NULL},
    /* suppliers and public relations */
    {"SupplierEvaluation", &xrm_supplier_evaluation_kind,
     "a supplier's scores (1-5) for a month or quarter", NULL},
    {"Project", &xrm_project_kind, "a PR project, e.g. a building project, with its stakeholders",
     NULL},
    {"Stakeholder", &xrm_stakeholder_kind, "a party's influence, interest and stance in a project",
     NULL},
    /* quotes and invoices */
    {"Quote", &xrm_quote_kind, "a priced offer to a party; amounts in cents", NULL},
    {"Invoice", &xrm_invoice_kind, "an invoice or credit note; amounts in cents", NULL},
    /* purchase invoices */
    {"PurchaseInvoice", &xrm_purchase_invoice_kind,
     "a supplier's UBL e-invoice as read on upload, matched to its supplier; cents", NULL},
    /* e-mail sending: templates */
    {"MailTemplate", &xrm_mail_template_kind,
     "an e-mail template in Dutch or English with placeholders; built-in ones cannot be deleted",
     NULL},
    /* campaigns */
    {"Campaign", &xrm_campaign_kind,
     "an e-mail to a segment's members whose may_email holds when sent; report: "
     "CampaignReport once sent",
     NULL},
    /* mail received */
    {"Mailbox", &xrm_mailbox_kind,
     "an IMAP mailbox polled for a domain; password is write-only (never sent back)", NULL},
};

static bool is_record_kind(const char *name)
{
    for (size_t i = 0; i < sizeof(record_kinds) / sizeof(record_kinds[0]); i++)
        if (strcmp(record_kinds[i].name, name) == 0)
            return true;
    return false;
}

static void record_schemas(json_t *schemas)
{
    char name[128];
    for (size_t i = 0; i < sizeof(record_kinds) / sizeof(record_kinds[0]); i++) {
        const struct xrm_record_kind *k = record_kinds[i].kind;
        json_t *desc = json_string(record_kinds[i].description);
        json_t *answer = xrm_record_schema(k, false);
        /* answers allow no field that is not listed (see the top of this file) */
        json_object_set_new(answer, "additionalProperties", json_false());
        json_object_set(answer, "description", desc);
        json_object_set_new(schemas, record_kinds[i].name, answer);
        json_t *input = xrm_record_schema(k, true);
        json_object_set(input, "description", desc);
        json_t *patch = json_deep_copy(input);
        json_object_del(patch, "required");
        if (record_kinds[i].instead && json_object_get(input, "required")) {
            json_t *alt =
                json_pack("[{s:O}, {s:[s]}]", "required", json_object_get(input, "required"),
                          "required", record_kinds[i].instead);
            json_object_del(input, "required");
            json_object_set_new(input, "anyOf", alt);
        }
        snprintf(name, sizeof(name), "%sInput", record_kinds[i].name);
        json_object_set_new(schemas, name, input);
        snprintf(name, sizeof(name), "%sPatch", record_kinds[i].name);
        json_object_set_new(schemas, name, patch);
        json_decref(desc);
    }
}

/*
 * What a body may give besides the answer's form: a contact point as its
 * value alone; a role's attributes as null (clears them).
 */
static json_t *body_form(const struct entry *e, json_t *s)
{
    if (strcmp(e->name, "Role") == 0) {
        json_t *props = json_object_get(s, "properties");
        json_object_set_new(props, "attributes", json_pack("{s:[s, s]}", "type", "object", "null"));
    }
    if (strcmp(e->name, "ContactPoint") != 0)
        return s;
    return json_pack("{s:[{s:s}, o]}", "anyOf", "type", "string", s);
}

json_t *xrm_openapi_query_schema(const char *route, const char *text)
{
    struct parser ps = {route, text, text};
    return fields(&ps, CREATE, '\0');
}

void xrm_openapi_schemas(json_t *schemas)
{
    char name[128];
    record_schemas(schemas);
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        const struct entry *e = &entries[i];
        json_object_set_new(schemas, e->name, build_one(e, ANSWER));
        if (e->form != REC)
            continue;
        snprintf(name, sizeof(name), "%sInput", e->name);
        json_object_set_new(schemas, name, body_form(e, build_one(e, CREATE)));
        snprintf(name, sizeof(name), "%sPatch", e->name);
        json_object_set_new(schemas, name, body_form(e, build_one(e, PATCH)));
    }
}
