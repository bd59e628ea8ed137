/*
 * Invoices and credit notes (invoice.h): validation, creation from a quote
 * or a deal, issuing with the gapless number, credit notes, payments, and
 * the document JSON of the PDF and UBL. SQL in invoice-db.c and the
 * generic record-db.c.
 */
#include "domain/billing/invoice.h"
#include "domain/billing/invoice-db.h"
#include "domain/billing/buyer.h"
#include "domain/billing/company.h"
#include "domain/billing/document.h"
#include "domain/billing/numbering.h"
#include "domain/billing/quote.h"
#include "domain/billing/vat.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/party-ref.h"
#include "domain/party/role.h"
#include "domain/records/deal.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"
#include "core/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DEBTOR_FIRST 10001

static const char *stored_status(json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "status"));
    if (!s)
        return "draft";
    return strcmp(s, "overdue") == 0 ? "open" : s;
}

static int64_t num(json_t *o, const char *key)
{
    return json_integer_value(json_object_get(o, key));
}

static int64_t gross_of(json_t *o)
{
    return num(json_object_get(o, "totals"), "gross");
}

static void shape(json_t *o)
{
    char today[XRM_DATE_LEN];
    const char *status = json_string_value(json_object_get(o, "status"));
    const char *due = json_string_value(json_object_get(o, "due"));
    const char *kind = json_string_value(json_object_get(o, "kind"));
    int64_t open = 0;
    xrm_clock_today(today);
    if (status && strcmp(status, "draft") != 0 && kind && strcmp(kind, "invoice") == 0) {
        open = gross_of(o) - num(o, "paid") - num(o, "credited");
        if (open < 0)
            open = 0;
    }
    json_object_set_new(o, "open", json_integer(open));
    /* a credit note is never overdue: it is the seller who owes */
    if (status && due && kind && strcmp(kind, "invoice") == 0 && strcmp(status, "open") == 0 &&
        strcmp(due, today) < 0)
        json_object_set_new(o, "status", json_string("overdue"));
}

/* A write's own state: the system fields a move sets (NULL: a plain edit). */
struct iarg {
    json_t *set;
};

/*
 * On create, {quote} or {deal} without lines: the input with what they give
 * filled in (new reference), or a field error.
 */
static enum xrm_rc create_base(struct xrm_db *db, json_t *in, json_t **base, struct xrm_err *err)
{
    json_t *q = json_object_get(in, "quote"), *d = json_object_get(in, "deal"), *src = NULL;
    json_t *b = json_object();
    enum xrm_rc rc = XRM_OK;
    struct xrm_err e2 = XRM_ERR_INIT;
    if (q && !json_is_null(q)) {
        if (!json_is_integer(q)) {
            rc = xrm_err_field(err, XRM_E_MALFORMED, "quote", "must be a quote id");
            goto out;
        }
        rc = xrm_quote_load(db, json_integer_value(q), &src, &e2);
        if (rc == XRM_E_NOTFOUND ||
            (!rc && strcmp(json_string_value(json_object_get(src, "status")), "accepted") != 0)) {
            rc = xrm_err_field(err, XRM_E_INVALID, "quote", "must be an accepted quote");
            goto out;
        }
        if (rc) {
            *err = e2;
            goto out;
        }
        json_object_set(b, "party", json_object_get(src, "party"));
        json_object_set(b, "deal", json_object_get(src, "deal"));
        json_object_set(b, "lines", json_object_get(src, "lines"));
        json_object_set(b, "currency", json_object_get(src, "currency"));
    } else if (d && json_is_integer(d) && !json_object_get(in, "lines")) {
        rc = xrm_deal_load(db, json_integer_value(d), &src, &e2);
        if (rc == XRM_E_NOTFOUND) {
            rc = xrm_err_field(err, XRM_E_INVALID, "deal", "no deal %lld",
                               (long long)json_integer_value(d));
            goto out;
        }
        if (rc) {
            *err = e2;
            goto out;
        }
        json_object_set(b, "party", json_object_get(src, "party"));
        json_object_set(b, "currency", json_object_get(src, "currency"));
        json_object_set_new(b, "lines",
                            json_pack("[{s:O, s:i, s:I, s:s}]", "description",
                                      json_object_get(src, "title"), "quantity", 1, "unit_price",
                                      (json_int_t)num(src, "amount"), "vat", "21"));
    }
    json_object_update(b, in);
out:
    json_decref(src);
    if (rc) {
        json_decref(b);
        return rc;
    }
    *base = b;
    return XRM_OK;
}

static enum xrm_rc invoice_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                    json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"date", "currency", "note", NULL};
    static const char *const system[] = {"kind",   "number", "quote",     "credit_of", "due",
                                         "seller", "buyer",  "issued_at", "issued_by", NULL};
    const struct xrm_record_kind *K = &xrm_invoice_kind;
    const struct iarg *a = w->arg;
    json_t *set = a ? a->set : NULL, *in = NULL, *rec = json_object();
    int nf = err->nfields;
    int64_t party = 0;
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(w->in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    if (before && !set && strcmp(stored_status(before), "draft") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT,
                      "an issued invoice cannot be changed or deleted; correct it with a credit "
                      "note");
        xrm_err_code(err, "issued");
        goto out;
    }
    xrm_record_known_keys(K, w->in, err);
    if (before)
        in = json_incref(w->in);
    else if ((rc = create_base(db, w->in, &in, err)))
        goto out;
    rc = xrm_doc_party(db, in, before, rec, &party, err);
    if (!rc)
        rc = xrm_doc_deal(db, in, before, party, rec, err);
    if (rc)
        goto out;
    xrm_record_read_all(K, plain, in, before, rec, err);
    xrm_doc_lines(in, before, rec, err);
    if (err->nfields > nf)
        goto out;
    if (before) {
        for (int i = 0; system[i]; i++) {
            json_t *v = json_object_get(before, system[i]);
            json_object_set(rec, system[i], v ? v : json_null());
        }
        json_object_set_new(rec, "status", json_string(stored_status(before)));
    } else {
        json_t *q = json_object_get(in, "quote");
        json_object_set_new(rec, "kind", json_string("invoice"));
        json_object_set_new(rec, "status", json_string("draft"));
        json_object_set(rec, "quote", json_is_integer(q) ? q : json_null());
    }
    if (set)
        json_object_update(rec, set);
out:
    json_decref(in);
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

static enum xrm_rc invoice_may_delete(json_t *before, struct xrm_err *err)
{
    if (strcmp(stored_status(before), "draft") == 0)
        return XRM_OK;
    xrm_errf(err, XRM_E_CONFLICT,
             "an issued invoice cannot be changed or deleted; correct it with a credit note");
    return xrm_err_code(err, "issued");
}

/* Adds the payments to a loaded invoice. */
static enum xrm_rc with_payments(struct xrm_db *db, json_t *o, struct xrm_err *err)
{
    json_t *p = NULL;
    enum xrm_rc rc = xrm_invoice_db_payments(db, num(o, "id"), &p, err);
    if (!rc)
        json_object_set_new(o, "payments", p);
    return rc;
}

/* The answer of GET, POST and PATCH: the invoice with its payments. */
static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    (void)w;
    (void)action;
    return with_payments(ctx->db, *rec, err);
}

/* No arg_size: w->arg is a move's struct iarg (xrm_record_in_tx), NULL for a plain write. */
const struct xrm_record_ops xrm_invoice_ops = {
    .kind = &xrm_invoice_kind,
    .domain = "sales",
    .shape = shape,
    .validate = invoice_validate,
    .touch = xrm_party_touch,
    .may_delete = invoice_may_delete,
    .view = view,
};

enum xrm_rc xrm_invoice_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *o = NULL;
    enum xrm_rc rc = xrm_record_load(db, &xrm_invoice_ops, id, &o, err);
    if (!rc)
        rc = with_payments(db, o, err);
    if (!rc)
        *out = o;
    else
        json_decref(o);
    return rc;
}

enum xrm_rc xrm_invoice_list(struct xrm_ctx *ctx, const struct xrm_invoice_filter *f, int limit,
                             const char *cursor, json_t **out, struct xrm_err *err)
{
    static const char *const statuses[] = {"draft", "open", "paid", "overdue", "credited", NULL};
    static const char *const kinds[] = {"invoice", "credit_note", NULL};
    struct xrm_record_cond c[4] = {{0}};
    int n = 0;
    int64_t before_id = 0;
    json_t *items = NULL;
    char today[XRM_DATE_LEN];
    if (xrm_access_level(&ctx->user, "sales") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "no read access to domain '%s'", "sales");
    if (!xrm_records_cursor(cursor, &before_id, err))
        return err->rc;
    if (f->status && !xrm_str_in(statuses, f->status))
        xrm_err_field(err, XRM_E_MALFORMED, "status",
                      "must be one of draft, open, paid, overdue, credited");
    if (f->kind && !xrm_str_in(kinds, f->kind))
        xrm_err_field(err, XRM_E_MALFORMED, "kind", "must be invoice or credit_note");
    if (err->rc)
        return err->rc;
    xrm_clock_today(today);
    if (f->party) {
        c[n].sql = "i.party_id = ?";
        xrm_record_cond_num(&c[n++], f->party);
    }
    if (f->kind) {
        c[n].sql = "i.kind = ?";
        xrm_record_cond_text(&c[n++], f->kind);
    }
    if (f->year) {
        c[n].sql = "i.year = ?";
        xrm_record_cond_num(&c[n++], f->year);
    }
    if (f->status && strcmp(f->status, "overdue") == 0) {
        c[n].sql = "i.status = 'open' AND i.kind = 'invoice' AND i.due < ?";
        xrm_record_cond_text(&c[n++], today);
    } else if (f->status && strcmp(f->status, "open") == 0) {
        c[n].sql = "i.status = 'open' AND (i.kind <> 'invoice' OR i.due IS NULL OR i.due >= ?)";
        xrm_record_cond_text(&c[n++], today);
    } else if (f->status) {
        c[n].sql = "i.status = ?";
        xrm_record_cond_text(&c[n++], f->status);
    }
    limit = xrm_records_limit(limit);
    enum xrm_rc rc = xrm_record_db_list(ctx->db, &xrm_invoice_kind, c, n, NULL, limit + 1,
                                        before_id, &items, err);
    if (rc)
        return rc;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) shape(o);
    *out = xrm_records_page(items, limit);
    return XRM_OK;
}

/* An update of id as a move: the system fields of set over the stored ones. */
static enum xrm_rc move_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id, json_t *set,
                           struct xrm_err *err)
{
    json_t *in = json_object(), *o = NULL;
    struct iarg a = {.set = set};
    struct xrm_record_write w = {
        .ops = &xrm_invoice_ops, .user = user, .id = id, .in = in, .arg = &a};
    enum xrm_rc rc = xrm_record_in_tx(db, xrm_record_update_tx, &w, &o, err);
    json_decref(o);
    json_decref(in);
    return rc;
}

/* The debtor number of the party's customer role, given now if it has none (a role too). */
static enum xrm_rc debtor(struct xrm_db *db, const struct xrm_user *user, int64_t party,
                          json_t **role_out, struct xrm_err *err)
{
    json_t *role = NULL, *patch = NULL;
    int64_t no = 0;
    char text[24];
    enum xrm_rc rc = xrm_buyer_customer_role(db, party, &role, err);
    if (rc)
        return rc;
    const char *have = role ? json_string_value(json_object_get(json_object_get(role, "attributes"),
                                                                "debtor_number"))
                            : NULL;
    if (have && have[0]) {
        *role_out = role;
        return XRM_OK;
    }
    rc = xrm_number_next(db, "debtor", 0, DEBTOR_FIRST, &no, err);
    if (rc)
        goto out;
    snprintf(text, sizeof(text), "%lld", (long long)no);
    if (!role) {
        /* invoicing a party makes it an active customer (the role insert is audited) */
        patch = json_pack("{s:s, s:s, s:{s:s}}", "type", "customer", "status", "active",
                          "attributes", "debtor_number", text);
        rc = xrm_role_insert_tx(db, user, party, patch, "customer.", NULL, err);
    } else {
        patch = json_pack("{s:{s:s}}", "attributes", "debtor_number", text);
        rc = xrm_role_update_tx(db, user, num(role, "id"), patch, NULL, err);
    }
    json_decref(role);
    role = NULL;
    if (!rc)
        rc = xrm_buyer_customer_role(db, party, &role, err);
out:
    json_decref(patch);
    if (rc) {
        json_decref(role);
        return rc;
    }
    *role_out = role;
    return XRM_OK;
}

static bool has_reverse_charge(json_t *lines)
{
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l)
    {
        const char *v = json_string_value(json_object_get(l, "vat"));
        if (v && strcmp(v, "reverse_charge") == 0)
            return true;
    }
    return false;
}

enum xrm_rc xrm_invoice_issue_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                 const char *date, json_t **out, struct xrm_err *err)
{
    static const char *const required[] = {"legal_name", "kvk",      "vat",  "iban",
                                           "street",     "postcode", "city", NULL};
    json_t *before = NULL, *settings = NULL, *buyer = NULL, *role = NULL, *set = NULL;
    int nf = err->nfields;
    bool has_address = false;
    char today[XRM_DATE_LEN], due[XRM_DATE_LEN], now[XRM_TIME_LEN], number[64];
    int64_t no = 0;
    enum xrm_rc rc = xrm_access_write(user, "sales", err);
    if (!rc)
        rc = xrm_invoice_load(db, id, &before, err);
    if (rc)
        goto out;
    if (strcmp(stored_status(before), "draft") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "this invoice is already issued as %s",
                      json_string_value(json_object_get(before, "number")));
        xrm_err_code(err, "issued");
        goto out;
    }
    int64_t party = num(before, "party");
    rc = xrm_company_load(db, &settings, err);
    if (!rc)
        rc = xrm_buyer_snapshot(db, party, &has_address, &buyer, err);
    if (rc)
        goto out;
    for (int i = 0; required[i]; i++)
        if (json_is_null(json_object_get(settings, required[i]))) {
            char f[48];
            snprintf(f, sizeof(f), "company.%s", required[i]);
            xrm_err_field(err, XRM_E_INVALID, f,
                          "is needed on an invoice: fill it in the company settings");
        }
    if (json_array_size(json_object_get(before, "lines")) == 0)
        xrm_err_field(err, XRM_E_INVALID, "lines", "an invoice needs at least one line");
    if (!has_address)
        xrm_err_field(err, XRM_E_INVALID, "buyer.address",
                      "the party needs an address with a country to be invoiced");
    if (has_reverse_charge(json_object_get(before, "lines")) &&
        json_is_null(json_object_get(buyer, "vat")))
        xrm_err_field(err, XRM_E_INVALID, "buyer.vat",
                      "reverse-charged VAT needs the buyer's VAT number (BTW-id)");
    xrm_clock_today(today);
    if (!date)
        date = json_string_value(json_object_get(before, "date"));
    if (!date)
        date = today;
    if (!xrm_valid_date(date))
        xrm_err_field(err, XRM_E_INVALID, "date", "must be a date (YYYY-MM-DD)");
    if (err->nfields > nf) {
        rc = err->rc ? err->rc : XRM_E_INVALID;
        goto out;
    }
    rc = debtor(db, user, party, &role, err);
    json_decref(buyer);
    buyer = NULL;
    if (!rc)
        rc = xrm_buyer_snapshot(db, party, NULL, &buyer, err);
    if (rc)
        goto out;
    json_t *terms = json_object_get(json_object_get(role, "attributes"), "payment_terms_days");
    int64_t days =
        json_is_integer(terms) ? json_integer_value(terms) : num(settings, "payment_days");
    xrm_date_add_days(date, days, due);
    const char *kind = json_string_value(json_object_get(before, "kind"));
    bool credit = kind && strcmp(kind, "credit_note") == 0;
    int year = xrm_doc_year(date);
    rc = xrm_number_next(db, credit ? "credit_note" : "invoice", year, 1, &no, err);
    if (rc)
        goto out;
    if (!xrm_number_format(
            json_string_value(json_object_get(settings, credit ? "credit_number_format"
                                                               : "invoice_number_format")),
            year, no, number, sizeof(number))) {
        rc = xrm_errf(err, XRM_E_INTERNAL, "the invoice number does not fit");
        goto out;
    }
    xrm_clock_now(now);
    set = json_pack("{s:s, s:s, s:s, s:s, s:o, s:O, s:s}", "status", "open", "number", number,
                    "date", date, "due", due, "seller", xrm_company_seller(settings), "buyer",
                    buyer, "issued_at", now);
    json_object_set_new(set, "issued_by", user && user->id ? json_integer(user->id) : json_null());
    rc = move_tx(db, user, id, set, err);
    if (!rc)
        rc = xrm_invoice_db_set_seq(db, id, year, no, err);
    if (!rc && out)
        rc = xrm_invoice_load(db, id, out, err);
out:
    json_decref(before);
    json_decref(settings);
    json_decref(buyer);
    json_decref(role);
    json_decref(set);
    return rc;
}

struct op {
    const struct xrm_user *user;
    int64_t id;
    json_t *in;
    json_t *out;
};

static enum xrm_rc issue_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct op *o = arg;
    const char *date = NULL;
    if (o->in) {
        static const char *const keys[] = {"date", NULL};
        xrm_json_only_keys(o->in, NULL, keys, err);
        if (xrm_json_get_str(o->in, NULL, "date", 10, false, &date, err) && date &&
            !xrm_valid_date(date))
            xrm_err_field(err, XRM_E_INVALID, "date", "must be a date (YYYY-MM-DD)");
        if (err->rc)
            return err->rc;
    }
    return xrm_invoice_issue_tx(db, o->user, o->id, date, &o->out, err);
}

/* The read gate of a move: 404 for a reader who may not see the invoice. */
static enum xrm_rc gate(struct xrm_ctx *ctx, int64_t id, struct xrm_err *err)
{
    json_t *o = NULL;
    enum xrm_rc rc = xrm_record_get(ctx, &xrm_invoice_ops, id, &o, err);
    json_decref(o);
    if (!rc)
        rc = xrm_access_write(&ctx->user, "sales", err);
    return rc;
}

static enum xrm_rc run(struct xrm_ctx *ctx, xrm_write_fn fn, int64_t id, json_t *in, json_t **out,
                       struct xrm_err *err)
{
    struct op o = {.user = &ctx->user, .id = id, .in = in};
    enum xrm_rc rc = gate(ctx, id, err);
    if (!rc)
        rc = xrm_store_write(ctx->store, fn, &o, err);
    if (!rc)
        *out = o.out;
    else
        json_decref(o.out);
    return rc;
}

enum xrm_rc xrm_invoice_issue(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                              struct xrm_err *err)
{
    return run(ctx, issue_fn, id, in, out, err);
}

enum xrm_rc xrm_invoice_credit_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                                  json_t *in, const char *date, json_t **out, struct xrm_err *err)
{
    json_t *orig = NULL, *lines = json_array(), *cin = NULL, *set = NULL, *note = NULL;
    int64_t cid = 0;
    enum xrm_rc rc = xrm_invoice_load(db, id, &orig, err);
    if (rc)
        goto out;
    const char *status = stored_status(orig);
    if (strcmp(json_string_value(json_object_get(orig, "kind")), "invoice") != 0 ||
        strcmp(status, "draft") == 0 || strcmp(status, "credited") == 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT,
                      "only an issued invoice that is not fully credited can "
                      "be credited");
        xrm_err_code(err, "not_creditable");
        goto out;
    }
    json_t *given = in ? json_object_get(in, "lines") : NULL, *ol = json_object_get(orig, "lines");
    if (in) {
        static const char *const keys[] = {"lines", "note", "date", NULL};
        xrm_json_only_keys(in, NULL, keys, err);
        if (err->rc) {
            rc = err->rc;
            goto out;
        }
        note = json_object_get(in, "note");
    }
    if (!given || json_is_null(given)) {
        json_array_extend(lines, ol);
    } else if (!json_is_array(given) || json_array_size(given) == 0) {
        rc = xrm_err_field(err, XRM_E_INVALID, "lines", "must be a non-empty array");
        goto out;
    } else {
        size_t i;
        json_t *l;
        json_array_foreach(given, i, l)
        {
            if (json_is_integer(l)) {
                json_t *src = json_array_get(ol, (size_t)json_integer_value(l));
                if (json_integer_value(l) < 0 || !src) {
                    char f[32];
                    snprintf(f, sizeof(f), "lines[%zu]", i);
                    rc = xrm_err_field(err, XRM_E_INVALID, f, "is not a line of the invoice");
                    goto out;
                }
                json_array_append(lines, src);
            } else {
                json_array_append(lines, l);
            }
        }
    }
    cin = json_pack("{s:O, s:O, s:O, s:O}", "party", json_object_get(orig, "party"), "deal",
                    json_object_get(orig, "deal"), "currency", json_object_get(orig, "currency"),
                    "lines", lines);
    if (json_is_string(note))
        json_object_set(cin, "note", note);
    set = json_pack("{s:s, s:O}", "kind", "credit_note", "credit_of", json_object_get(orig, "id"));
    struct iarg a = {.set = set};
    struct xrm_record_write w = {.ops = &xrm_invoice_ops, .user = user, .in = cin, .arg = &a};
    json_t *draft = NULL;
    rc = xrm_record_in_tx(db, xrm_record_create_tx, &w, &draft, err);
    if (rc)
        goto out;
    cid = num(draft, "id");
    int64_t left = gross_of(orig) - num(orig, "credited");
    int64_t this_gross = gross_of(draft);
    json_decref(draft);
    if (this_gross > left) {
        rc = xrm_err_field(err, XRM_E_INVALID, "lines",
                           "credit %lld cents more than the %lld cents not yet credited",
                           (long long)this_gross, (long long)left);
        goto out;
    }
    rc = xrm_invoice_issue_tx(db, user, cid, date, out, err);
    if (!rc && this_gross == left) {
        json_t *st = json_pack("{s:s}", "status", "credited");
        rc = move_tx(db, user, id, st, err);
        json_decref(st);
    }
out:
    json_decref(orig);
    json_decref(lines);
    json_decref(cin);
    json_decref(set);
    return rc;
}

static enum xrm_rc credit_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct op *o = arg;
    const char *date = NULL;
    if (o->in && xrm_json_get_str(o->in, NULL, "date", 10, false, &date, err) && date &&
        !xrm_valid_date(date))
        return xrm_err_field(err, XRM_E_INVALID, "date", "must be a date (YYYY-MM-DD)");
    if (err->rc)
        return err->rc;
    return xrm_invoice_credit_tx(db, o->user, o->id, o->in, date, &o->out, err);
}

enum xrm_rc xrm_invoice_credit(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                               struct xrm_err *err)
{
    return run(ctx, credit_fn, id, in, out, err);
}

enum xrm_rc xrm_invoice_pay_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                               json_t *in, struct xrm_err *err)
{
    static const char *const keys[] = {"amount", "date", "note", NULL};
    json_t *inv = NULL, *payment = NULL;
    const char *date = NULL, *note = NULL;
    int64_t amount = 0, pid = 0;
    char today[XRM_DATE_LEN], now[XRM_TIME_LEN];
    int nf = err->nfields;
    enum xrm_rc rc = xrm_access_write(user, "sales", err);
    if (!rc)
        rc = xrm_invoice_load(db, id, &inv, err);
    if (rc)
        goto out;
    if (strcmp(json_string_value(json_object_get(inv, "kind")), "invoice") != 0 ||
        strcmp(stored_status(inv), "open") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "only an open invoice takes payments; this one is %s",
                      json_string_value(json_object_get(inv, "status")));
        xrm_err_code(err, "not_open");
        goto out;
    }
    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    int64_t open = num(inv, "open");
    xrm_json_only_keys(in, NULL, keys, err);
    if (xrm_json_get_int(in, NULL, "amount", 1, INT64_MAX / 4, true, &amount, err) && amount > open)
        xrm_err_field(err, XRM_E_INVALID, "amount", "must not be more than the open %lld cents",
                      (long long)open);
    xrm_clock_today(today);
    if (xrm_json_get_str(in, NULL, "date", 10, true, &date, err)) {
        if (!xrm_valid_date(date))
            xrm_err_field(err, XRM_E_INVALID, "date", "must be a date (YYYY-MM-DD)");
        else if (strcmp(date, today) > 0)
            xrm_err_field(err, XRM_E_INVALID, "date", "must not be in the future");
    }
    xrm_json_get_str(in, NULL, "note", 500, false, &note, err);
    if (err->nfields > nf) {
        rc = err->rc ? err->rc : XRM_E_INVALID;
        goto out;
    }
    xrm_clock_now(now);
    rc = xrm_invoice_db_pay(db, id, amount, date, note, user ? user->id : 0, now, &pid, err);
    if (rc)
        goto out;
    payment = json_pack("{s:I, s:I, s:I, s:s, s:s?}", "id", (json_int_t)pid, "invoice",
                        (json_int_t)id, "amount", (json_int_t)amount, "date", date, "note", note);
    rc = xrm_audit_add(db, user, "create", "invoice_payment", pid, NULL, payment, err);
    if (!rc && amount == open) {
        json_t *st = json_pack("{s:s}", "status", "paid");
        rc = move_tx(db, user, id, st, err);
        json_decref(st);
    }
out:
    json_decref(inv);
    json_decref(payment);
    return rc;
}

static enum xrm_rc pay_fn(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct op *o = arg;
    enum xrm_rc rc = xrm_invoice_pay_tx(db, o->user, o->id, o->in, err);
    if (!rc)
        rc = xrm_invoice_load(db, o->id, &o->out, err);
    return rc;
}

enum xrm_rc xrm_invoice_pay(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                            struct xrm_err *err)
{
    return run(ctx, pay_fn, id, in, out, err);
}

/* Documents */

static enum xrm_rc fill_parties(struct xrm_ctx *ctx, json_t *doc, unsigned char **logo,
                                size_t *logo_len, const char **logo_type, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (json_is_null(json_object_get(doc, "seller"))) {
        json_t *settings = NULL;
        rc = xrm_company_load(ctx->db, &settings, err);
        if (!rc)
            json_object_set_new(doc, "seller", xrm_company_seller(settings));
        json_decref(settings);
    }
    if (!rc && json_is_null(json_object_get(doc, "buyer"))) {
        json_t *buyer = NULL;
        rc = xrm_buyer_snapshot(ctx->db, num(doc, "party"), NULL, &buyer, err);
        if (!rc)
            json_object_set_new(doc, "buyer", buyer);
    }
    if (!rc && logo) {
        struct xrm_err e2 = XRM_ERR_INIT;
        *logo = NULL;
        *logo_len = 0;
        *logo_type = NULL;
        enum xrm_rc lrc = xrm_company_logo_get(ctx, logo, logo_len, logo_type, &e2);
        if (lrc && lrc != XRM_E_NOTFOUND) {
            *err = e2;
            rc = lrc;
        }
    }
    return rc;
}

/* A quote's or an invoice's document: the record as the reader may see it, with its parties. */
static enum xrm_rc document_of(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                               json_t **doc_out, unsigned char **logo, size_t *logo_len,
                               const char **logo_type, struct xrm_err *err)
{
    json_t *doc = NULL;
    enum xrm_rc rc = xrm_record_op_get(ctx, ops, id, &doc, err);
    if (!rc)
        rc = fill_parties(ctx, doc, logo, logo_len, logo_type, err);
    if (!rc)
        *doc_out = doc;
    else
        json_decref(doc);
    return rc;
}

enum xrm_rc xrm_invoice_document(struct xrm_ctx *ctx, int64_t id, json_t **doc_out,
                                 unsigned char **logo, size_t *logo_len, const char **logo_type,
                                 struct xrm_err *err)
{
    return document_of(ctx, &xrm_invoice_ops, id, doc_out, logo, logo_len, logo_type, err);
}

enum xrm_rc xrm_quote_document(struct xrm_ctx *ctx, int64_t id, json_t **doc_out,
                               unsigned char **logo, size_t *logo_len, const char **logo_type,
                               struct xrm_err *err)
{
    return document_of(ctx, &xrm_quote_ops, id, doc_out, logo, logo_len, logo_type, err);
}
