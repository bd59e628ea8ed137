/*
 * Quotes (quote.h): validation, numbering at creation, the moves draft ->
 * sent -> accepted / declined, the public accept link. SQL in quote-db.c
 * and the generic record-db.c.
 */
#include "domain/billing/quote.h"
#include "domain/billing/quote-db.h"
#include "domain/billing/buyer.h"
#include "domain/billing/company.h"
#include "domain/billing/document.h"
#include "domain/billing/numbering.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/party/party-ref.h"
#include "domain/records/deal.h"
#include "domain/records/records.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define QUOTE_VALID_DAYS 30

/* The status as stored: expired is only ever derived from sent. */
static const char *stored_status(json_t *q)
{
    const char *s = json_string_value(json_object_get(q, "status"));
    if (!s)
        return "draft";
    return strcmp(s, "expired") == 0 ? "sent" : s;
}

static void shape(json_t *o)
{
    char today[XRM_DATE_LEN];
    const char *status = json_string_value(json_object_get(o, "status"));
    const char *until = json_string_value(json_object_get(o, "valid_until"));
    xrm_clock_today(today);
    if (status && until && strcmp(status, "sent") == 0 && strcmp(until, today) < 0)
        json_object_set_new(o, "status", json_string("expired"));
}

/* A write's own state: the system fields a move sets (NULL: a plain edit). */
struct qarg {
    json_t *set;
};

static enum xrm_rc assign_number(struct xrm_db *db, json_t *rec, struct xrm_err *err)
{
    json_t *settings = NULL;
    int64_t no = 0;
    char number[64];
    const char *date = json_string_value(json_object_get(rec, "date"));
    enum xrm_rc rc = xrm_company_load(db, &settings, err);
    if (!rc)
        rc = xrm_number_next(db, "quote", xrm_doc_year(date), 1, &no, err);
    if (!rc &&
        !xrm_number_format(json_string_value(json_object_get(settings, "quote_number_format")),
                           xrm_doc_year(date), no, number, sizeof(number)))
        rc = xrm_errf(err, XRM_E_INTERNAL, "the quote number does not fit");
    if (!rc)
        json_object_set_new(rec, "number", json_string(number));
    json_decref(settings);
    return rc;
}

static enum xrm_rc quote_validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                  json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"date", "valid_until", "currency", "note", NULL};
    static const char *const system[] = {"number",      "seller",      "buyer", "sent_at",
                                         "accepted_at", "accepted_by", NULL};
    const struct xrm_record_kind *K = &xrm_quote_kind;
    const struct qarg *a = w->arg;
    json_t *set = a ? a->set : NULL, *in = w->in, *rec = json_object();
    int nf = err->nfields;
    int64_t party = 0, owner = 0;
    char today[XRM_DATE_LEN];
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    if (before && !set && strcmp(stored_status(before), "draft") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "only a draft quote can be changed; this one is %s",
                      json_string_value(json_object_get(before, "status")));
        xrm_err_code(err, "not_draft");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    rc = xrm_doc_party(db, in, before, rec, &party, err);
    if (!rc)
        rc = xrm_doc_deal(db, in, before, party, rec, err);
    if (rc)
        goto out;
    xrm_record_read_all(K, plain, in, before, rec, err);
    xrm_clock_today(today);
    if (json_is_null(json_object_get(rec, "date")) || !json_object_get(rec, "date"))
        json_object_set_new(rec, "date", json_string(today));
    const char *date = json_string_value(json_object_get(rec, "date"));
    const char *until = json_string_value(json_object_get(rec, "valid_until"));
    if (!until && date) {
        char d[XRM_DATE_LEN];
        if (xrm_date_add_days(date, QUOTE_VALID_DAYS, d))
            json_object_set_new(rec, "valid_until", json_string(d));
    } else if (until && date && strcmp(until, date) < 0) {
        xrm_err_field(err, XRM_E_INVALID, "valid_until", "must not be before the date (%s)", date);
    }
    if (json_object_get(in, "owner")) {
        rc = xrm_records_user(db, in, "owner", &owner, err);
        if (rc)
            goto out;
    } else if (before) {
        owner = json_integer_value(json_object_get(before, "owner"));
    } else {
        owner = w->user ? w->user->id : 0;
    }
    json_object_set_new(rec, "owner", owner ? json_integer(owner) : json_null());
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
        json_object_set_new(rec, "status", json_string("draft"));
        rc = assign_number(db, rec, err);
        if (rc)
            goto out;
    }
    if (set)
        json_object_update(rec, set);
out:
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

static enum xrm_rc quote_may_delete(json_t *before, struct xrm_err *err)
{
    if (strcmp(stored_status(before), "draft") == 0)
        return XRM_OK;
    xrm_errf(err, XRM_E_CONFLICT, "only a draft quote can be deleted; this one is %s",
             json_string_value(json_object_get(before, "status")));
    return xrm_err_code(err, "not_draft");
}

/* No arg_size: w->arg is a move's struct qarg (xrm_record_in_tx), NULL for a plain write. */
const struct xrm_record_ops xrm_quote_ops = {
    .kind = &xrm_quote_kind,
    .domain = "sales",
    .shape = shape,
    .validate = quote_validate,
    .touch = xrm_party_touch,
    .may_delete = quote_may_delete,
};

enum xrm_rc xrm_quote_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_load(db, &xrm_quote_ops, id, out, err);
}

enum xrm_rc xrm_quote_list(struct xrm_ctx *ctx, const struct xrm_quote_filter *f, int limit,
                           const char *cursor, json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[4] = {{0}};
    int n = 0;
    int64_t before_id = 0;
    json_t *items = NULL;
    char today[XRM_DATE_LEN];
    enum xrm_rc rc;
    if (xrm_access_level(&ctx->user, "sales") < XRM_LEVEL_READ)
        return xrm_errf(err, XRM_E_DENIED, "no read access to domain '%s'", "sales");
    if (!xrm_records_cursor(cursor, &before_id, err))
        return err->rc;
    if (f->status &&
        !xrm_str_in((const char *const[]){"draft", "sent", "accepted", "declined", "expired", NULL},
                    f->status))
        return xrm_err_field(err, XRM_E_MALFORMED, "status",
                             "must be one of draft, sent, accepted, declined, expired");
    xrm_clock_today(today);
    if (f->party) {
        c[n].sql = "q.party_id = ?";
        xrm_record_cond_num(&c[n++], f->party);
    }
    if (f->deal) {
        c[n].sql = "q.deal_id = ?";
        xrm_record_cond_num(&c[n++], f->deal);
    }
    if (f->status && strcmp(f->status, "expired") == 0) {
        c[n].sql = "q.status = 'sent' AND q.valid_until < ?";
        xrm_record_cond_text(&c[n++], today);
    } else if (f->status && strcmp(f->status, "sent") == 0) {
        c[n].sql = "q.status = 'sent' AND (q.valid_until IS NULL OR q.valid_until >= ?)";
        xrm_record_cond_text(&c[n++], today);
    } else if (f->status) {
        c[n].sql = "q.status = ?";
        xrm_record_cond_text(&c[n++], f->status);
    }
    limit = xrm_records_limit(limit);
    rc =
        xrm_record_db_list(ctx->db, &xrm_quote_kind, c, n, NULL, limit + 1, before_id, &items, err);
    if (rc)
        return rc;
    size_t i;
    json_t *q;
    json_array_foreach(items, i, q) shape(q);
    *out = xrm_records_page(items, limit);
    return XRM_OK;
}

/* The moves */

struct move {
    const struct xrm_user *user; /* NULL: the customer by the link */
    int64_t id;
    const char *to;                     /* sent | accepted | declined */
    bool public_link;                   /* by the customer's link */
    char token[XRM_LINK_TOKEN_LEN + 1]; /* send: the new token */
    json_t *out;
};

static enum xrm_rc move_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct move *m = arg;
    json_t *before = NULL, *set = json_object(), *settings = NULL, *buyer = NULL,
           *in = json_object();
    char now[XRM_TIME_LEN];
    enum xrm_rc rc = xrm_quote_load(db, m->id, &before, err);
    if (rc)
        goto out;
    const char *status = json_string_value(json_object_get(before, "status"));
    xrm_clock_now(now);
    if (strcmp(m->to, "sent") == 0) {
        if (strcmp(status, "draft") != 0) {
            xrm_errf(err, XRM_E_CONFLICT, "only a draft quote can be sent; this one is %s", status);
            rc = xrm_err_code(err, "not_draft");
            goto out;
        }
        if (json_array_size(json_object_get(before, "lines")) == 0) {
            rc = xrm_err_field(err, XRM_E_INVALID, "lines", "a quote needs at least one line");
            goto out;
        }
        rc = xrm_company_load(db, &settings, err);
        if (!rc)
            rc = xrm_buyer_snapshot(db, json_integer_value(json_object_get(before, "party")), NULL,
                                    &buyer, err);
        if (rc)
            goto out;
        json_object_set_new(set, "seller", xrm_company_seller(settings));
        json_object_set(set, "buyer", buyer);
        json_object_set_new(set, "sent_at", json_string(now));
    } else {
        if (strcmp(status, "expired") == 0) {
            /* by the link an expired quote is gone (410); in the app a conflict */
            xrm_errf(err, m->public_link ? XRM_E_NOTFOUND : XRM_E_CONFLICT,
                     "this quote expired on %s",
                     json_string_value(json_object_get(before, "valid_until")));
            rc = xrm_err_code(err, "expired");
            goto out;
        }
        if (strcmp(status, "sent") != 0) {
            xrm_errf(err, XRM_E_CONFLICT,
                     "only a sent quote can be accepted or declined; this one is %s", status);
            rc = xrm_err_code(err, m->public_link ? "used" : "not_sent");
            goto out;
        }
        if (strcmp(m->to, "accepted") == 0) {
            json_object_set_new(set, "accepted_at", json_string(now));
            json_object_set_new(set, "accepted_by",
                                json_string(m->user && m->user->name[0] ? m->user->name
                                            : m->user                   ? "user"
                                                                        : "customer"));
        }
    }
    json_object_set_new(set, "status", json_string(m->to));
    struct qarg a = {.set = set};
    struct xrm_record_write w = {
        .ops = &xrm_quote_ops, .user = m->user, .id = m->id, .in = in, .arg = &a};
    rc = xrm_record_in_tx(db, xrm_record_update_tx, &w, &m->out, err);
    if (rc)
        goto out;
    if (strcmp(m->to, "sent") == 0) {
        char hash[65];
        xrm_link_token_new(m->token, hash);
        rc = xrm_quote_db_set_token(db, m->id, hash, err);
    }
    json_t *deal = json_object_get(m->out, "deal");
    if (!rc && strcmp(m->to, "accepted") == 0 && json_is_integer(deal)) {
        /* winning the deal is the deals' own write: stage to the won stage, customer role */
        json_t *d = NULL;
        rc = xrm_deal_load(db, json_integer_value(deal), &d, err);
        if (!rc && strcmp(json_string_value(json_object_get(d, "status")), "won") != 0) {
            json_t *patch = json_pack("{s:s}", "status", "won");
            rc = xrm_record_update_in(db, &xrm_deal_ops, m->user, json_integer_value(deal), patch,
                                      NULL, err);
            json_decref(patch);
        }
        json_decref(d);
    }
out:
    json_decref(before);
    json_decref(set);
    json_decref(settings);
    json_decref(buyer);
    json_decref(in);
    return rc;
}

static enum xrm_rc move(struct xrm_ctx *ctx, const struct xrm_user *user, int64_t id,
                        const char *to, bool public_link, json_t **out, struct xrm_err *err)
{
    struct move m = {.user = user, .id = id, .to = to, .public_link = public_link};
    enum xrm_rc rc = XRM_OK;
    if (user) {
        json_t *q = NULL;
        rc = xrm_record_op_get(ctx, &xrm_quote_ops, id, &q,
                               err); /* 404 for a reader who may not see it */
        json_decref(q);
        if (!rc)
            rc = xrm_access_write(user, "sales", err);
    }
    if (!rc)
        rc = xrm_store_write(ctx->store, move_tx, &m, err);
    if (!rc && m.token[0])
        json_object_set_new(m.out, "accept_url", json_sprintf("/accept/%s", m.token));
    sodium_memzero(m.token, sizeof(m.token));
    if (!rc)
        *out = m.out;
    else
        json_decref(m.out);
    return rc;
}

enum xrm_rc xrm_quote_send(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return move(ctx, &ctx->user, id, "sent", false, out, err);
}

enum xrm_rc xrm_quote_accept(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return move(ctx, &ctx->user, id, "accepted", false, out, err);
}

enum xrm_rc xrm_quote_decline(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    return move(ctx, &ctx->user, id, "declined", false, out, err);
}

enum xrm_rc xrm_quote_move_tx(struct xrm_db *db, const struct xrm_user *user, int64_t id,
                              const char *to, json_t **out, struct xrm_err *err)
{
    struct move m = {.user = user, .id = id, .to = to};
    enum xrm_rc rc = move_tx(db, &m, err);
    if (!rc && out && m.token[0])
        json_object_set_new(m.out, "accept_url", json_sprintf("/accept/%s", m.token));
    if (!rc && out)
        *out = m.out;
    else
        json_decref(m.out);
    return rc;
}

/* The quote of a link's token: XRM_E_NOTFOUND for a malformed or unknown one. */
static enum xrm_rc by_token(struct xrm_db *db, const char *token, int64_t *id, struct xrm_err *err)
{
    char hash[65];
    *id = 0;
    if (xrm_link_token_valid(token)) {
        xrm_token_hash(token, hash);
        enum xrm_rc rc = xrm_quote_db_by_token(db, hash, id, err);
        if (rc)
            return rc;
    }
    if (!*id)
        return xrm_errf(err, XRM_E_NOTFOUND, "no quote for this link");
    return XRM_OK;
}

enum xrm_rc xrm_quote_public_get(struct xrm_ctx *ctx, const char *token, json_t **out,
                                 struct xrm_err *err)
{
    static const char *const keys[] = {"number",   "date",  "valid_until", "status",
                                       "currency", "lines", "totals",      NULL};
    int64_t id = 0;
    json_t *q = NULL;
    enum xrm_rc rc = by_token(ctx->db, token, &id, err);
    if (!rc)
        rc = xrm_quote_load(ctx->db, id, &q, err);
    if (rc)
        return rc;
    json_t *o = json_object();
    for (int i = 0; keys[i]; i++)
        json_object_set(o, keys[i], json_object_get(q, keys[i]));
    json_t *seller = json_object_get(q, "seller"), *buyer = json_object_get(q, "buyer");
    json_object_set_new(o, "seller",
                        json_pack("{s:O?}", "name", json_object_get(seller, "legal_name")));
    json_object_set_new(o, "buyer", json_pack("{s:O?}", "name", json_object_get(buyer, "name")));
    json_decref(q);
    *out = o;
    return XRM_OK;
}

enum xrm_rc xrm_quote_public_accept(struct xrm_ctx *ctx, const char *token, json_t **out,
                                    struct xrm_err *err)
{
    int64_t id = 0;
    json_t *q = NULL;
    enum xrm_rc rc = by_token(ctx->db, token, &id, err);
    if (!rc)
        rc = move(ctx, NULL, id, "accepted", true, &q, err);
    json_decref(q);
    if (!rc)
        rc = xrm_quote_public_get(ctx, token, out, err);
    return rc;
}
