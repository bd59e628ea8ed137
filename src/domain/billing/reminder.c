/*
 * Billing: overdue tasks and reminders (see reminder.h). The invoices are
 * read with ledger-db.c's SQL, the letters written here in Dutch and
 * English, the collection costs computed by wik.c.
 */
#include "domain/billing/reminder.h"
#include "domain/billing/reminder-db.h"
#include "domain/billing/ledger.h"
#include "domain/billing/ledger-db.h"
#include "domain/billing/wik.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/activity.h"
#include "domain/party/role.h"
#include "domain/records/records.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/messages.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static int64_t int_of(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* Overdue scan */

/* The account manager of party's customer role, when that user can act; else 0. */
static enum xrm_rc account_manager(struct xrm_db *db, int64_t party, int64_t *out,
                                   struct xrm_err *err)
{
    json_t *roles = NULL;
    *out = 0;
    enum xrm_rc rc = xrm_role_array_for_party(db, party, &roles, err);
    size_t i;
    json_t *r;
    json_array_foreach(roles, i, r)
    {
        if (rc || *out)
            break;
        json_t *am = json_object_get(json_object_get(r, "attributes"), "account_manager");
        if (strcmp(str_of(r, "type"), "customer") != 0 || !json_is_integer(am))
            continue;
        bool active = false;
        rc = xrm_ledger_db_user_active(db, json_integer_value(am), &active, err);
        if (!rc && active)
            *out = json_integer_value(am);
    }
    json_decref(roles);
    return rc;
}

static enum xrm_rc assignee_of(struct xrm_db *db, json_t *item, int64_t *out, struct xrm_err *err)
{
    enum xrm_rc rc = account_manager(db, int_of(item, "party"), out, err);
    const char *const fallbacks[] = {"created_by", "issued_by"};
    for (size_t i = 0; !rc && !*out && i < 2; i++) {
        int64_t u = int_of(item, fallbacks[i]);
        bool active = false;
        if (u > 0)
            rc = xrm_ledger_db_user_active(db, u, &active, err);
        if (!rc && active)
            *out = u;
    }
    if (!rc && !*out)
        rc = xrm_records_first_admin(db, out, err);
    return rc;
}

struct scan {
    const struct xrm_user *user;
    const char *today;
    json_t *tasks; /* [{invoice, number, task, assignee}] */
};

static enum xrm_rc scan_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct scan *a = arg;
    json_t *rows = NULL;
    char now[XRM_TIME_LEN];
    xrm_now(now);
    enum xrm_rc rc = xrm_ledger_db_overdue_untasked(db, a->today, &rows, err);
    size_t i;
    json_t *it;
    json_array_foreach(rows, i, it)
    {
        if (rc)
            break;
        int64_t assignee = 0;
        rc = assignee_of(db, it, &assignee, err);
        if (rc)
            break;
        char subject[160];
        /* Dutch, whoever runs the scan: the company and its people are Dutch. */
        snprintf(subject, sizeof(subject), "Factuur %s is vervallen", str_of(it, "number"));
        struct xrm_buf body = XRM_BUF_INIT;
        xrm_buf_addf(&body,
                     "Factuur %s aan %s (vervaldatum %s) is nog niet betaald. "
                     "Neem contact op met de klant of stuur een herinnering.",
                     str_of(it, "number"), str_of(it, "party_name"), str_of(it, "due"));
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:[I], s:s, s:b}", "type", "task", "domain",
                               "sales", "subject", subject, "body", body.s, "parties",
                               (json_int_t)int_of(it, "party"), "due", a->today, "done", false);
        xrm_buf_release(&body);
        if (assignee)
            json_object_set_new(in, "assignee", json_integer(assignee));
        json_t *act = NULL;
        rc = xrm_activity_insert_tx(db, a->user, in, NULL, &act, err);
        json_decref(in);
        int64_t task = int_of(act, "id");
        json_decref(act);
        if (!rc)
            rc = xrm_ledger_db_set_task(db, int_of(it, "id"), task, now, err);
        if (!rc)
            json_array_append_new(
                a->tasks, json_pack("{s:I, s:s, s:I, s:I}", "invoice", (json_int_t)int_of(it, "id"),
                                    "number", str_of(it, "number"), "task", (json_int_t)task,
                                    "assignee", (json_int_t)assignee));
    }
    json_decref(rows);
    return rc;
}

enum xrm_rc xrm_invoice_overdue_scan(struct xrm_ctx *ctx, const char *today, json_t **out,
                                     struct xrm_err *err)
{
    char day[XRM_DATE_LEN];
    int64_t dummy = 0;
    if (today) {
        if (!xrm_date_diff(today, today, &dummy))
            return xrm_err_field(err, XRM_E_MALFORMED, "today", "must be a date YYYY-MM-DD");
        snprintf(day, sizeof(day), "%s", today);
    } else {
        xrm_clock_today(day);
    }
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "the overdue scan", err);
    if (rc)
        return rc;
    struct scan a = {.user = &ctx->user, .today = day, .tasks = json_array()};
    rc = xrm_store_write(ctx->store, scan_tx, &a, err);
    if (rc) {
        json_decref(a.tasks);
        return rc;
    }
    *out = json_pack("{s:s, s:I, s:o}", "today", day, "created",
                     (json_int_t)json_array_size(a.tasks), "tasks", a.tasks);
    return XRM_OK;
}

enum xrm_rc xrm_invoice_overdue_job(struct xrm_ctx *ctx, json_t **result, struct xrm_err *err)
{
    json_t *out = NULL;
    enum xrm_rc rc = xrm_invoice_overdue_scan(ctx, NULL, &out, err);
    if (!rc)
        *result = json_pack("{s:O}", "created", json_object_get(out, "created"));
    json_decref(out);
    return rc;
}

/* Letters */

/* Cents as "€ 1.234,56" (Dutch) or "€1,234.56" (English). */
static void money(int64_t cents, bool nl, char *out, size_t n)
{
    char digits[32], grouped[48];
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(digits, sizeof(digits), "%lld", (long long)(a / 100));
    size_t len = strlen(digits), j = 0;
    for (size_t i = 0; i < len && j + 2 < sizeof(grouped); i++) {
        if (i > 0 && (len - i) % 3 == 0)
            grouped[j++] = nl ? '.' : ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    snprintf(out, n, "%s€%s%s%c%02lld", cents < 0 ? "-" : "", nl ? " " : "", grouped,
             nl ? ',' : '.', (long long)(a % 100));
}

/* "2026-12-16" as "16-12-2026" (Dutch) or "16 December 2026"-free ISO for English. */
static void day_text(const char *date, bool nl, char *out, size_t n)
{
    if (nl && date && strlen(date) == 10)
        snprintf(out, n, "%.2s-%.2s-%.4s", date + 8, date + 5, date);
    else
        snprintf(out, n, "%s", date ? date : "");
}

struct letter {
    const char *kind; /* reminder | fourteen_day_letter | collection */
    json_t *item;     /* the invoice (ledger-db.h's item) */
    const char *date, *pay_by, *last_reminder;
    int64_t open, costs, level;
    bool consumer;
};

static void address_block(struct xrm_buf *b, json_t *buyer, const char *fallback)
{
    const char *name = str_of(buyer, "name");
    xrm_buf_addf(b, "%s\n", *name ? name : fallback);
    if (*str_of(buyer, "street"))
        xrm_buf_addf(b, "%s %s\n", str_of(buyer, "street"), str_of(buyer, "house_number"));
    if (*str_of(buyer, "postcode") || *str_of(buyer, "city"))
        xrm_buf_addf(b, "%s %s\n", str_of(buyer, "postcode"), str_of(buyer, "city"));
    const char *country = str_of(buyer, "country");
    if (*country && strcmp(country, "NL") != 0)
        xrm_buf_addf(b, "%s\n", country);
}

static void letter_nl(const struct letter *l, char *subject, size_t sn, struct xrm_buf *b)
{
    json_t *it = l->item, *seller = json_object_get(it, "seller");
    const char *number = str_of(it, "number"), *company = str_of(seller, "legal_name");
    char open[48], costs[48], total[48], date[16], inv_date[16], due[16], pay_by[16], last[16];
    money(l->open, true, open, sizeof(open));
    money(l->costs, true, costs, sizeof(costs));
    money(l->open + l->costs, true, total, sizeof(total));
    day_text(l->date, true, date, sizeof(date));
    day_text(json_string_value(json_object_get(it, "date")), true, inv_date, sizeof(inv_date));
    day_text(json_string_value(json_object_get(it, "due")), true, due, sizeof(due));
    day_text(l->pay_by, true, pay_by, sizeof(pay_by));
    day_text(l->last_reminder, true, last, sizeof(last));
    bool fourteen = strcmp(l->kind, "fourteen_day_letter") == 0;
    bool collection = strcmp(l->kind, "collection") == 0;
    if (fourteen)
        snprintf(subject, sn, "Veertiendagenbrief factuur %s", number);
    else if (collection)
        snprintf(subject, sn, "Incassokosten factuur %s", number);
    else
        snprintf(subject, sn, "Betalingsherinnering factuur %s", number);
    address_block(b, json_object_get(it, "buyer"), str_of(it, "party_name"));
    xrm_buf_addf(b, "\nDatum: %s\nBetreft: %s\n\nGeachte heer/mevrouw,\n\n", date, subject);
    if (collection) {
        xrm_buf_addf(b,
                     "Ondanks onze herinnering van %s hebben wij de betaling van factuur %s van "
                     "%s nog niet ontvangen. Het openstaande bedrag is %s.\n\n"
                     "Wij brengen u daarom buitengerechtelijke incassokosten in rekening van %s, "
                     "berekend volgens het Besluit vergoeding voor buitengerechtelijke "
                     "incassokosten. Over deze kosten wordt geen btw berekend. Het totaal te "
                     "betalen bedrag is nu %s.\n\n"
                     "Wij verzoeken u dit bedrag uiterlijk %s over te maken",
                     last, number, inv_date, open, costs, total, pay_by);
    } else {
        xrm_buf_addf(b,
                     "Volgens onze administratie is factuur %s van %s nog niet (volledig) "
                     "betaald. De vervaldatum was %s; het openstaande bedrag is %s.\n\n",
                     number, inv_date, due, open);
        if (fourteen)
            xrm_buf_addf(b,
                         "Wij geven u de gelegenheid dit bedrag binnen 14 dagen na de dag van "
                         "ontvangst van deze brief te betalen, dus uiterlijk op %s, zonder "
                         "bijkomende kosten. Betaalt u niet binnen deze termijn, dan zijn wij "
                         "genoodzaakt buitengerechtelijke incassokosten in rekening te brengen. "
                         "Volgens het Besluit vergoeding voor buitengerechtelijke incassokosten "
                         "bedragen deze %s (over deze kosten wordt geen btw berekend).\n\n"
                         "Wij verzoeken u het bedrag van %s uiterlijk %s over te maken",
                         pay_by, costs, open, pay_by);
        else
            xrm_buf_addf(b, "Wij verzoeken u het openstaande bedrag uiterlijk %s over te maken",
                         pay_by);
    }
    if (*str_of(seller, "iban"))
        xrm_buf_addf(b, " op rekening %s ten name van %s", str_of(seller, "iban"), company);
    xrm_buf_addf(b, ", onder vermelding van factuurnummer %s.\n\n", number);
    if (!fourteen && !collection && !l->consumer && l->costs > 0)
        xrm_buf_addf(b,
                     "Betaalt u niet op tijd, dan kunnen wij buitengerechtelijke incassokosten "
                     "in rekening brengen; volgens de wettelijke staffel bedragen die %s.\n\n",
                     costs);
    xrm_buf_addf(b,
                 "Heeft u inmiddels betaald, dan kunt u deze brief als niet verzonden "
                 "beschouwen.\n\nMet vriendelijke groet,\n\n%s\n",
                 company);
}

static void letter_en(const struct letter *l, char *subject, size_t sn, struct xrm_buf *b)
{
    json_t *it = l->item, *seller = json_object_get(it, "seller");
    const char *number = str_of(it, "number"), *company = str_of(seller, "legal_name");
    char open[48], costs[48], total[48];
    money(l->open, false, open, sizeof(open));
    money(l->costs, false, costs, sizeof(costs));
    money(l->open + l->costs, false, total, sizeof(total));
    const char *inv_date = str_of(it, "date"), *due = str_of(it, "due");
    bool fourteen = strcmp(l->kind, "fourteen_day_letter") == 0;
    bool collection = strcmp(l->kind, "collection") == 0;
    if (fourteen)
        snprintf(subject, sn, "Fourteen-day letter invoice %s", number);
    else if (collection)
        snprintf(subject, sn, "Collection costs invoice %s", number);
    else
        snprintf(subject, sn, "Payment reminder invoice %s", number);
    address_block(b, json_object_get(it, "buyer"), str_of(it, "party_name"));
    xrm_buf_addf(b, "\nDate: %s\nRe: %s\n\nDear Sir or Madam,\n\n", l->date, subject);
    if (collection) {
        xrm_buf_addf(b,
                     "Despite our reminder of %s we have not received payment of invoice %s of "
                     "%s. The amount outstanding is %s.\n\n"
                     "We therefore charge extrajudicial collection costs of %s, calculated under "
                     "the Dutch Decree on compensation for extrajudicial collection costs. No VAT "
                     "is charged on these costs. The total amount due is now %s.\n\n"
                     "Please pay this amount by %s",
                     l->last_reminder ? l->last_reminder : "", number, inv_date, open, costs, total,
                     l->pay_by);
    } else {
        xrm_buf_addf(b,
                     "According to our records invoice %s of %s has not been paid in full. It "
                     "was due on %s; the amount outstanding is %s.\n\n",
                     number, inv_date, due, open);
        if (fourteen)
            xrm_buf_addf(b,
                         "You may pay this amount without further costs within 14 days of the "
                         "day after you receive this letter, that is by %s. If you do not pay "
                         "within this term, we will have to charge extrajudicial collection "
                         "costs, which under the Dutch Decree on compensation for extrajudicial "
                         "collection costs amount to %s (no VAT is charged on these costs).\n\n"
                         "Please pay the amount of %s by %s",
                         l->pay_by, costs, open, l->pay_by);
        else
            xrm_buf_addf(b, "Please pay the amount outstanding by %s", l->pay_by);
    }
    if (*str_of(seller, "iban"))
        xrm_buf_addf(b, " to account %s in the name of %s", str_of(seller, "iban"), company);
    xrm_buf_addf(b, ", quoting invoice number %s.\n\n", number);
    if (!fourteen && !collection && !l->consumer && l->costs > 0)
        xrm_buf_addf(b,
                     "If you do not pay in time, we may charge extrajudicial collection costs, "
                     "which under the statutory scale amount to %s.\n\n",
                     costs);
    xrm_buf_addf(b,
                 "If you have paid in the meantime, please disregard this letter.\n\n"
                 "Yours faithfully,\n\n%s\n",
                 company);
}

/* Reminders */

/* A consumer buyer: the snapshot's kind is person and it has no KvK number. */
static bool is_consumer(json_t *item)
{
    json_t *buyer = json_object_get(item, "buyer");
    return strcmp(str_of(buyer, "kind"), "person") == 0 && !*str_of(buyer, "kvk");
}

/* The last reminder of kind in list (borrowed), or NULL. */
static json_t *last_of(json_t *list, const char *kind)
{
    json_t *found = NULL, *r;
    size_t i;
    json_array_foreach(list, i, r) if (strcmp(str_of(r, "kind"), kind) == 0) found = r;
    return found;
}

/*
 * Whether collection costs may be charged on item today, given its
 * reminders: *from the first day they may (a consumer's: the day after the
 * 14-day letter's pay-by date), or empty. On refusal err holds why.
 */
static enum xrm_rc collection_check(json_t *item, json_t *list, const char *today,
                                    char from[XRM_DATE_LEN], struct xrm_err *err)
{
    from[0] = '\0';
    const char *number = str_of(item, "number");
    if (int_of(item, "collection_costs") > 0)
        return xrm_errf(err, XRM_E_CONFLICT, "collection costs of invoice '%s' are already charged",
                        number);
    if (is_consumer(item)) {
        json_t *letter = last_of(list, "fourteen_day_letter");
        if (!letter)
            return xrm_errf(err, XRM_E_CONFLICT,
                            "a consumer may be charged collection costs only after the 14-day "
                            "letter: send a reminder for invoice '%s' first",
                            number);
        if (!xrm_date_add_days(str_of(letter, "pay_by"), 1, from))
            from[0] = '\0';
        if (strcmp(today, from) < 0)
            return xrm_errf(err, XRM_E_CONFLICT,
                            "collection costs may be charged from %s, after the pay-by date %s of "
                            "the 14-day letter",
                            from, str_of(letter, "pay_by"));
        return XRM_OK;
    }
    if (json_array_size(list) == 0)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "collection costs need a payment reminder first: send a reminder for "
                        "invoice '%s'",
                        number);
    snprintf(from, XRM_DATE_LEN, "%s", str_of(json_array_get(list, 0), "date"));
    return XRM_OK;
}

/* The open invoice id, or the reason it gets no reminders. */
static enum xrm_rc open_invoice(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *item = NULL;
    enum xrm_rc rc = xrm_ledger_db_item(db, id, &item, err);
    if (rc)
        return rc;
    if (strcmp(str_of(item, "kind"), "invoice") != 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "a credit note gets no reminders");
    else if (strcmp(str_of(item, "status"), "open") != 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "only open invoices get reminders: invoice %lld is %s",
                      (long long)id, str_of(item, "status"));
    if (rc) {
        json_decref(item);
        return rc;
    }
    *out = item;
    return XRM_OK;
}

struct remind {
    const struct xrm_user *user;
    int64_t invoice;
    const char *kind; /* reminder | collection */
    json_t *out;
};

static enum xrm_rc remind_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct remind *a = arg;
    json_t *item = NULL, *list = NULL, *act = NULL, *rec = NULL, *in = NULL;
    struct xrm_buf body = XRM_BUF_INIT;
    char today[XRM_DATE_LEN], now[XRM_TIME_LEN], pay_by[XRM_DATE_LEN], from[XRM_DATE_LEN];
    char subject[200];
    int64_t id = 0;
    xrm_clock_today(today);
    xrm_now(now);
    enum xrm_rc rc = xrm_access_write(a->user, "sales", err);
    if (!rc)
        rc = open_invoice(db, a->invoice, &item, err);
    if (!rc)
        rc = xrm_reminder_db_list(db, a->invoice, &list, err);
    if (rc)
        goto out;
    struct letter l = {.item = item,
                       .date = today,
                       .pay_by = pay_by,
                       .open = int_of(item, "open"),
                       .level = int_of(item, "reminder_level") + 1,
                       .consumer = is_consumer(item)};
    json_t *last = json_array_size(list) ? json_array_get(list, json_array_size(list) - 1) : NULL;
    l.last_reminder = last ? str_of(last, "date") : NULL;
    int64_t charged = 0;
    if (strcmp(a->kind, "collection") == 0) {
        rc = collection_check(item, list, today, from, err);
        if (rc)
            goto out;
        l.kind = "collection";
        l.costs = charged = xrm_wik_costs(l.open);
        xrm_date_add_days(today, XRM_WIK_TERM_DAYS, pay_by);
    } else if (l.consumer && !last_of(list, "fourteen_day_letter")) {
        l.kind = "fourteen_day_letter";
        l.costs = xrm_wik_costs(l.open);
        xrm_wik_pay_by(today, pay_by);
    } else {
        l.kind = "reminder";
        /* a business buyer is told what may follow; a consumer was, in the 14-day letter */
        l.costs = l.consumer ? 0 : xrm_wik_costs(l.open);
        xrm_date_add_days(today, XRM_WIK_TERM_DAYS, pay_by);
    }
    if (xrm_lang_get() == XRM_LANG_NL)
        letter_nl(&l, subject, sizeof(subject), &body);
    else
        letter_en(&l, subject, sizeof(subject), &body);
    in = json_pack("{s:s, s:s, s:s, s:s, s:[I]}", "type", "letter", "domain", "sales", "subject",
                   subject, "body", body.s, "parties", (json_int_t)int_of(item, "party"));
    rc = xrm_activity_insert_tx(db, a->user, in, NULL, &act, err);
    if (rc)
        goto out;
    rec = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "invoice", (json_int_t)a->invoice,
                    "level", (json_int_t)l.level, "kind", l.kind, "date", today, "pay_by", pay_by,
                    "costs", (json_int_t)l.costs, "activity", (json_int_t)int_of(act, "id"));
    rc = xrm_reminder_db_insert(db, rec, a->user ? a->user->id : 0, now, &id, err);
    if (!rc)
        rc = xrm_reminder_db_raise(db, a->invoice, l.level, today, charged, now, err);
    if (!rc) {
        json_t *before =
            json_pack("{s:I, s:I}", "reminder_level", (json_int_t)int_of(item, "reminder_level"),
                      "collection_costs", (json_int_t)int_of(item, "collection_costs"));
        json_t *after =
            json_pack("{s:I, s:I, s:s}", "reminder_level", (json_int_t)l.level, "collection_costs",
                      (json_int_t)(int_of(item, "collection_costs") + charged), "reminder", l.kind);
        rc = xrm_audit_add(db, a->user, "update", "invoice", a->invoice, before, after, err);
        json_decref(before);
        json_decref(after);
    }
    if (!rc)
        rc = xrm_reminder_db_get(db, id, &a->out, err);
out:
    xrm_buf_release(&body);
    json_decref(item);
    json_decref(list);
    json_decref(act);
    json_decref(rec);
    json_decref(in);
    return rc;
}

enum xrm_rc xrm_reminder_create(struct xrm_ctx *ctx, int64_t invoice, json_t *in, json_t **out,
                                struct xrm_err *err)
{
    struct remind a = {.user = &ctx->user, .invoice = invoice, .kind = "reminder"};
    if (in && !json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    const char *key;
    json_t *v;
    json_object_foreach(in, key, v)
    {
        if (strcmp(key, "kind") != 0)
            xrm_err_field(err, XRM_E_INVALID, key, "unknown field");
    }
    json_t *kind = json_object_get(in, "kind");
    if (kind && !json_is_null(kind)) {
        const char *k = json_string_value(kind);
        if (k && (strcmp(k, "reminder") == 0 || strcmp(k, "collection") == 0))
            a.kind = k;
        else
            xrm_err_field(err, XRM_E_INVALID, "kind", "must be reminder or collection");
    }
    if (err && err->rc)
        return err->rc;
    enum xrm_rc rc = xrm_store_write(ctx->store, remind_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}

enum xrm_rc xrm_reminder_list(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *item = NULL, *list = NULL;
    char today[XRM_DATE_LEN], from[XRM_DATE_LEN];
    struct xrm_err why = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_ledger_read_check(&ctx->user, err);
    if (!rc)
        rc = xrm_ledger_db_item(ctx->db, id, &item, err);
    if (!rc)
        rc = xrm_reminder_db_list(ctx->db, id, &list, err);
    if (rc) {
        json_decref(item);
        return rc;
    }
    xrm_clock_today(today);
    bool open =
        strcmp(str_of(item, "kind"), "invoice") == 0 && strcmp(str_of(item, "status"), "open") == 0;
    bool allowed = open && !collection_check(item, list, today, from, &why);
    json_t *collection = json_pack("{s:b, s:o, s:I}", "allowed", allowed, "from",
                                   from[0] ? json_string(from) : json_null(), "costs",
                                   (json_int_t)(open ? xrm_wik_costs(int_of(item, "open")) : 0));
    *out = json_pack("{s:I, s:I, s:I, s:o, s:o}", "invoice", (json_int_t)id, "reminder_level",
                     (json_int_t)int_of(item, "reminder_level"), "collection_costs",
                     (json_int_t)int_of(item, "collection_costs"), "items", list, "collection",
                     collection);
    json_decref(item);
    return XRM_OK;
}
