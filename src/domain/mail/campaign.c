/*
 * Campaigns (see campaign.h): the record kind's rules, who would get a
 * campaign and who is skipped (the segment's members as the sender sees
 * them, with may_email as the party page shows it), sending through the
 * outbox with a token per recipient, the report read from the outbox, and
 * the public one-click unsubscribe. SQL in campaign-db.c.
 */
#include "domain/mail/campaign.h"
#include "domain/mail/campaign-db.h"
#include "domain/mail/email.h"
#include "domain/mail/outbox.h"
#include "domain/mail/template.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/base/record.h"
#include "domain/party/party.h"
#include "domain/party/party-db.h"
#include "domain/base/query.h"
#include "domain/base/query-db.h"
#include "domain/privacy/consent.h"
#include "domain/records/records.h"
#include "domain/rules/segment.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define PAGE 500 /* members read per page of the segment */

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t int_of(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

/* The record kind */

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"name", "subject", "body", "domain", NULL};
    const struct xrm_record_kind *K = &xrm_campaign_kind;
    json_t *in = w->in, *rec = json_object();
    enum xrm_rc rc = XRM_OK;

    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    if (before && strcmp(str_of(before, "status"), "draft") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "the campaign was sent; only a draft can be changed");
        goto out;
    }
    xrm_record_known_keys(K, in, err);
    xrm_record_read_all(K, plain, in, before, rec, err);
    json_t *seg = json_object_get(in, "segment");
    if (!seg && before)
        seg = json_object_get(before, "segment");
    if (!json_is_integer(seg) || json_integer_value(seg) < 1) {
        xrm_err_field(err, seg ? XRM_E_MALFORMED : XRM_E_INVALID, "segment",
                      "must be the id of a segment");
    } else {
        char *name = NULL, *query = NULL;
        struct xrm_err e = XRM_ERR_INIT;
        enum xrm_rc r = xrm_segment_query(db, json_integer_value(seg), &name, &query, &e);
        free(name);
        free(query);
        if (r == XRM_E_NOTFOUND)
            xrm_err_field(err, XRM_E_INVALID, "segment", "no segment %lld",
                          (long long)json_integer_value(seg));
        else if (r) {
            *err = e;
            rc = r;
            goto out;
        }
        json_object_set(rec, "segment", seg);
    }
    json_object_set_new(rec, "status", json_string("draft"));
out:
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    return rc;
}

static enum xrm_rc may_delete(json_t *before, struct xrm_err *err)
{
    if (strcmp(str_of(before, "status"), "draft") != 0)
        return xrm_errf(err, XRM_E_CONFLICT, "the campaign was sent; only a draft can be deleted");
    return XRM_OK;
}

/* The report from the recipient rows and their outbox rows (new object). */
static enum xrm_rc report_of(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *rows = NULL;
    enum xrm_rc rc = xrm_campaign_db_counts(db, id, &rows, err);
    if (rc)
        return rc;
    json_t *reasons = json_object();
    json_int_t n[4] = {0}, total = 0; /* sent, queued, bounced, skipped */
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *st = str_of(r, "status");
        json_int_t c = int_of(r, "n");
        int k = strcmp(st, "sent") == 0      ? 0
                : strcmp(st, "queued") == 0  ? 1
                : strcmp(st, "bounced") == 0 ? 2
                                             : 3;
        n[k] += c;
        total += c;
        const char *reason = str_of(r, "reason");
        if (k == 3 && reason)
            json_object_set_new(reasons, reason, json_integer(int_of(reasons, reason) + c));
    }
    json_decref(rows);
    *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "recipients", total, "sent", n[0], "queued",
                     n[1], "bounced", n[2], "skipped", n[3], "reasons", reasons);
    return XRM_OK;
}

/* A sent campaign's report as it is now (the outbox may have moved on). */
static enum xrm_rc with_report(struct xrm_db *db, json_t *c, struct xrm_err *err)
{
    json_t *report = NULL;
    if (strcmp(str_of(c, "status"), "draft") == 0)
        return XRM_OK;
    enum xrm_rc rc = report_of(db, int_of(c, "id"), &report, err);
    if (!rc)
        json_object_set_new(c, "report", report);
    return rc;
}

static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    (void)w;
    (void)action;
    return with_report(ctx->db, *rec, err);
}

const struct xrm_record_ops xrm_campaign_ops = {
    .kind = &xrm_campaign_kind,
    .validate = validate,
    .may_delete = may_delete,
    .view = view,
};

enum xrm_rc xrm_campaign_list(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                              struct xrm_err *err)
{
    int64_t before_id = 0;
    json_t *items = NULL;
    const char *dom[XRM_NDOMAINS];
    xrm_records_cursor(page->cursor, &before_id, err);
    if (err->rc)
        return err->rc;
    int limit = xrm_records_limit(page->limit);
    xrm_access_readable(&ctx->user, dom);
    enum xrm_rc rc = xrm_campaign_db_list(ctx->db, dom, limit + 1, before_id, &items, err);
    size_t i;
    json_t *c;
    json_array_foreach(items, i, c)
    {
        if (rc)
            break;
        rc = with_report(ctx->db, c, err);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = xrm_records_page(items, limit);
    return XRM_OK;
}

/* Who gets it: the segment's members with may_email now */

/* A recipient from a decorated party list item (as the party page shows it). */
static json_t *recipient_of(json_t *party, bool *ok)
{
    json_t *contact = json_object_get(json_object_get(party, "contactability"), "email");
    const char *email = str_of(json_array_get(json_object_get(party, "emails"), 0), "value");
    const char *reason = NULL, *detail = NULL;
    if (!json_is_true(json_object_get(party, "may_email"))) {
        reason = str_of(contact, "reason");
        detail = str_of(contact, "detail");
        if (!reason)
            reason = "no_basis";
    } else if (!email || !*email) {
        reason = "no_email";
        detail = "the party has no e-mail address";
    }
    *ok = !reason;
    json_t *r =
        json_pack("{s:O, s:O, s:s?, s:s, s:s?, s:s?}", "party", json_object_get(party, "id"),
                  "name", json_object_get(party, "name"), "email", email, "status",
                  reason ? "skipped" : "pending", "reason", reason, "detail", detail);
    /* for the mail: the placeholders of the recipient ({{salutation}}, {{name}}, ...), in the
       sender's language */
    json_t *vars = json_object();
    xrm_email_party_vars(party, xrm_lang_get() == XRM_LANG_NL ? "nl" : "en", vars);
    json_object_set_new(r, "vars", vars);
    return r;
}

/*
 * Calls fn with each member of the campaign's segment as a recipient
 * (borrowed), in the segment's list order, a page at a time: nothing but the
 * page is held. *campaign gets the campaign (read gate passed).
 */
typedef void recipient_fn(json_t *r, void *arg);

static enum xrm_rc plan_walk(struct xrm_ctx *ctx, int64_t id, json_t **campaign, recipient_fn *fn,
                             void *arg, struct xrm_err *err)
{
    json_t *seg = NULL, *page = NULL;
    char *name = NULL, *query = NULL, *cursor = NULL;
    int64_t members = 0;
    enum xrm_rc rc = xrm_record_op_get(ctx, &xrm_campaign_ops, id, campaign, err);
    if (rc)
        goto out;
    int64_t segment = int_of(*campaign, "segment");
    struct xrm_err e = XRM_ERR_INIT;
    rc = xrm_segment_get(ctx, segment, &seg, &e);
    if (!rc)
        rc = xrm_segment_query(ctx->db, segment, &name, &query, &e);
    if (rc == XRM_E_NOTFOUND) {
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "no segment %lld", (long long)segment);
        goto out;
    }
    if (rc) {
        *err = e;
        goto out;
    }
    do {
        rc = xrm_party_list_sorted(ctx, query, "name", PAGE, cursor, false, &page, err);
        if (rc)
            break;
        size_t i;
        json_t *party;
        json_array_foreach(json_object_get(page, "items"), i, party)
        {
            bool ok;
            json_t *r = recipient_of(party, &ok);
            fn(r, arg);
            json_decref(r);
            members++;
        }
        free(cursor);
        cursor = str_of(page, "next") ? xrm_strdup(str_of(page, "next")) : NULL;
        json_decref(page);
        page = NULL;
        if (members > XRM_CAMPAIGN_RECIPIENTS_MAX) {
            rc = xrm_err_field(err, XRM_E_INVALID, "segment", "has more than %d members",
                               XRM_CAMPAIGN_RECIPIENTS_MAX);
            xrm_err_code(err, "too_many_recipients");
            break;
        }
    } while (cursor);
out:
    free(cursor);
    free(name);
    free(query);
    json_decref(seg);
    json_decref(page);
    return rc;
}

static void count_into(json_t *counts, json_t *reasons, json_t *r)
{
    const char *st = str_of(r, "status"), *reason = str_of(r, "reason");
    json_object_set_new(counts, st, json_integer(int_of(counts, st) + 1));
    if (reason && strcmp(st, "skipped") == 0)
        json_object_set_new(reasons, reason, json_integer(int_of(reasons, reason) + 1));
}

static bool status_valid(const char *s)
{
    static const char *const all[] = {"pending", "queued", "sent", "skipped", "bounced", NULL};
    for (int i = 0; all[i]; i++)
        if (strcmp(all[i], s) == 0)
            return true;
    return false;
}

/* A draft's page of recipients: every member counted, the page's ones kept. */
struct draft_page {
    const char *status; /* NULL: all */
    int64_t after, last, pos;
    int limit;
    bool more;
    json_t *items, *counts, *reasons;
};

static void draft_one(json_t *r, void *arg)
{
    struct draft_page *d = arg;
    int64_t i = d->pos++;
    json_object_del(r, "vars");
    count_into(d->counts, d->reasons, r);
    if (i < d->after || (d->status && strcmp(str_of(r, "status"), d->status) != 0))
        return;
    if ((int)json_array_size(d->items) == d->limit) {
        d->more = true;
        return;
    }
    json_array_append(d->items, r);
    d->last = i + 1;
}

enum xrm_rc xrm_campaign_recipients(struct xrm_ctx *ctx, int64_t id, const char *status, int limit,
                                    const char *cursor, json_t **out, struct xrm_err *err)
{
    json_t *campaign = NULL, *items = NULL, *rows = NULL;
    json_t *counts = json_pack("{s:i, s:i, s:i, s:i, s:i}", "pending", 0, "queued", 0, "sent", 0,
                               "skipped", 0, "bounced", 0);
    json_t *reasons = json_object();
    int64_t after = 0;
    enum xrm_rc rc = XRM_OK;
    if (status && !status_valid(status))
        xrm_err_field(err, XRM_E_INVALID, "status",
                      "must be one of pending, queued, sent, skipped, bounced");
    if (cursor && !xrm_parse_int(cursor, 0, INT64_MAX, &after))
        xrm_err_field(err, XRM_E_MALFORMED, "cursor", "is not a cursor of this list");
    if (err->rc) {
        rc = err->rc;
        goto out;
    }
    limit = xrm_records_limit(limit);
    rc = xrm_record_op_get(ctx, &xrm_campaign_ops, id, &campaign, err);
    if (rc)
        goto out;
    items = json_array();
    size_t i;
    json_t *r;
    if (strcmp(str_of(campaign, "status"), "draft") == 0) {
        json_decref(campaign);
        campaign = NULL;
        /* the cursor is the position in the member list */
        struct draft_page d = {.status = status,
                               .after = after,
                               .limit = limit,
                               .last = after,
                               .items = items,
                               .counts = counts,
                               .reasons = reasons};
        rc = plan_walk(ctx, id, &campaign, draft_one, &d, err);
        if (rc)
            goto out;
        *out = json_pack("{s:o, s:o, s:o, s:o}", "items", items, "next",
                         d.more ? json_sprintf("%lld", (long long)d.last) : json_null(), "counts",
                         counts, "reasons", reasons);
        items = counts = reasons = NULL;
        goto out;
    }
    /* sent: the rows written then, with their outbox rows' outcome */
    rc = xrm_campaign_db_recipients(ctx->db, id, status, after, limit + 1, &rows, err);
    if (!rc) {
        json_t *c = NULL;
        rc = xrm_campaign_db_counts(ctx->db, id, &c, err);
        json_array_foreach(c, i, r)
        {
            const char *st = str_of(r, "status"), *reason = str_of(r, "reason");
            json_object_set_new(counts, st, json_integer(int_of(counts, st) + int_of(r, "n")));
            if (reason && strcmp(st, "skipped") == 0)
                json_object_set_new(reasons, reason,
                                    json_integer(int_of(reasons, reason) + int_of(r, "n")));
        }
        json_decref(c);
    }
    if (rc)
        goto out;
    json_t *next = json_null();
    if ((int)json_array_size(rows) > limit) {
        json_array_remove(rows, (size_t)limit);
        next =
            json_sprintf("%lld", (long long)int_of(json_array_get(rows, (size_t)limit - 1), "id"));
    }
    json_array_foreach(rows, i, r) json_object_del(r, "id");
    *out = json_pack("{s:o, s:o, s:o, s:o}", "items", rows, "next", next, "counts", counts,
                     "reasons", reasons);
    rows = counts = reasons = NULL;
out:
    json_decref(items);
    json_decref(rows);
    json_decref(counts);
    json_decref(reasons);
    json_decref(campaign);
    return rc;
}

/* Sending */

/* s with the recipient's placeholders filled (malloc'd); footer: the link below a text without it.
 */
static char *render(const char *s, json_t *r, const char *unsubscribe_url, bool footer)
{
    json_t *vars = json_deep_copy(json_object_get(r, "vars"));
    if (!vars)
        vars = json_object();
    xrm_json_set_str(vars, "email", str_of(r, "email"));
    xrm_json_set_str(vars, "unsubscribe_url", unsubscribe_url);
    char *out = xrm_mail_render(s, vars);
    json_decref(vars);
    if (footer && !strstr(s, "{{unsubscribe_url}}")) {
        struct xrm_buf b;
        xrm_buf_init(&b, strlen(out) + 256);
        xrm_buf_adds(&b, out);
        xrm_buf_addf(&b, "\n\n-- \nAfmelden / Unsubscribe: %s\n", unsubscribe_url);
        free(out);
        out = xrm_buf_detach(&b, NULL);
    }
    return out;
}

/*
 * Sending walks the segment in creation order (created_at, id: keys that
 * no edit changes, so a party renamed while the send runs is neither
 * missed nor met twice) in batches of batch_size() members: each batch is
 * resolved on the reader (may_email as the party page shows it), then
 * written in a write transaction of its own, so memory stays bounded by one
 * batch and other writers get the lock between batches. The first write
 * marks the campaign "sending", the last one "sent" with its report. A
 * party that has a recipient row already is passed over, so a send that
 * stopped half-way (the process ended) resumes with POST .../send again
 * without losing or doubling a recipient.
 */
#define BATCH_DEFAULT 1000
#define BATCH_MAX 5000

static int batch_n = BATCH_DEFAULT;

static void batch_init(void)
{
    int64_t n = 0;
    const char *v = getenv("XRM_CAMPAIGN_BATCH"); /* tests: more than one batch */
    if (v && xrm_parse_int(v, 1, BATCH_MAX, &n))
        batch_n = (int)n;
}

/* Members per write transaction of a send: XRM_CAMPAIGN_BATCH (1..5000), read once. */
static int batch_size(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, batch_init);
    return batch_n;
}

struct send {
    const struct xrm_user *user;
    int64_t id;
    json_t *campaign; /* subject, body, domain */
    json_t *batch;    /* [recipient] of the batch being written */
    char now[XRM_TIME_LEN];
    int sent, skipped; /* of the batch written last */
    json_t *report;
};

/* One recipient who may be e-mailed: a token, the row, the mail in the outbox. */
static enum xrm_rc send_one(struct xrm_db *db, struct send *s, json_t *r, struct xrm_err *err)
{
    json_t *c = s->campaign, *queued = NULL;
    char token[XRM_LINK_TOKEN_LEN + 1], hash[65], page[1200], api[1200];
    int64_t row = 0;
    xrm_link_token_new(token, hash);
    const char *base = xrm_mail_public_url();
    snprintf(page, sizeof(page), "%s/unsubscribe/%s", base, token);
    snprintf(api, sizeof(api), "%s/api/v1/public/unsubscribe/%s", base, token);
    struct xrm_campaign_row cr = {.campaign = s->id,
                                  .party = int_of(r, "party"),
                                  .email = str_of(r, "email"),
                                  .status = "queued",
                                  .token_hash = hash,
                                  .at = s->now};
    char *subject = render(str_of(c, "subject"), r, page, false);
    char *text = render(str_of(c, "body"), r, page, true);
    /* a subject is one line */
    for (char *q = subject; *q; q++)
        if (*q == '\r' || *q == '\n')
            *q = ' ';
    enum xrm_rc rc = xrm_campaign_db_add(db, &cr, &row, err);
    if (!rc) {
        struct xrm_mail m = {
            .domain = str_of(c, "domain"),
            .party = cr.party,
            .to = cr.email,
            .to_name = str_of(r, "name"),
            .subject = subject,
            .text = text,
            .entity = "campaign",
            .entity_id = s->id,
            .unsubscribe_url = api,
            .campaign = s->id,
        };
        rc = xrm_mail_queue_tx(db, s->user, &m, &queued, err);
    }
    if (!rc)
        rc = xrm_campaign_db_set_outbox(db, row, int_of(queued, "outbox"), err);
    json_decref(queued);
    free(subject);
    free(text);
    sodium_memzero(token, sizeof(token));
    sodium_memzero(page, sizeof(page));
    sodium_memzero(api, sizeof(api));
    return rc;
}

/*
 * Inside a write: the campaign as stored now must be in state (a draft at
 * the start, sending after it) and the sender may still write its domain.
 */
static enum xrm_rc still(struct xrm_db *db, struct send *s, const char *state, json_t **row,
                         struct xrm_err *err)
{
    json_t *now_row = NULL;
    enum xrm_rc rc = xrm_record_load(db, &xrm_campaign_ops, s->id, &now_row, err);
    if (!rc && strcmp(str_of(now_row, "status"), "sent") == 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "the campaign was sent already");
    else if (!rc && state && strcmp(str_of(now_row, "status"), state) != 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "the campaign was sent already");
    if (!rc)
        rc = xrm_access_write(s->user, str_of(now_row, "domain"), err);
    if (!rc && row)
        *row = now_row;
    else
        json_decref(now_row);
    return rc;
}

/* The first write: draft -> sending (a campaign left sending by a stopped send resumes). */
static enum xrm_rc start_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct send *s = arg;
    json_t *row = NULL;
    enum xrm_rc rc = still(db, s, NULL, &row, err);
    if (!rc && strcmp(str_of(row, "status"), "draft") == 0)
        rc = xrm_campaign_db_mark_sending(db, s->id, s->now, err);
    json_decref(row);
    return rc;
}

/* One batch: a row per member not written yet, a mail per one who may be e-mailed. */
static enum xrm_rc batch_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct send *s = arg;
    size_t i;
    json_t *r;
    s->sent = s->skipped = 0;
    enum xrm_rc rc = still(db, s, "sending", NULL, err);
    json_array_foreach(s->batch, i, r)
    {
        bool has = false;
        if (!rc)
            rc = xrm_campaign_db_has(db, s->id, int_of(r, "party"), &has, err);
        if (rc)
            break;
        if (has) /* written by an earlier (stopped) send */
            continue;
        if (strcmp(str_of(r, "status"), "skipped") == 0) {
            struct xrm_campaign_row cr = {.campaign = s->id,
                                          .party = int_of(r, "party"),
                                          .email = str_of(r, "email"),
                                          .status = "skipped",
                                          .reason = str_of(r, "reason"),
                                          .at = s->now};
            rc = xrm_campaign_db_add(db, &cr, NULL, err);
            s->skipped++;
            continue;
        }
        rc = send_one(db, s, r, err);
        s->sent++;
    }
    return rc;
}

/* The last write: sending -> sent with the report of all its rows, and the audit. */
static enum xrm_rc finish_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct send *s = arg;
    json_decref(s->report);
    s->report = NULL;
    enum xrm_rc rc = still(db, s, "sending", NULL, err);
    if (!rc)
        rc = report_of(db, s->id, &s->report, err);
    if (!rc) {
        char *text = json_dumps(s->report, JSON_COMPACT);
        rc = xrm_campaign_db_mark_sent(db, s->id, text, s->now, err);
        free(text);
    }
    if (!rc) {
        json_int_t skipped = int_of(s->report, "skipped");
        json_t *a = json_pack("{s:s, s:I, s:I}", "status", "sent", "sent",
                              int_of(s->report, "recipients") - skipped, "skipped", skipped);
        rc = xrm_audit_add(db, s->user, "send", "campaign", s->id, NULL, a, err);
        json_decref(a);
    }
    return rc;
}

/*
 * The next batch of the segment's members as recipients into s->batch,
 * from *cursor (NULL: the first); *cursor becomes the next one (NULL: done).
 */
static enum xrm_rc next_batch(struct xrm_ctx *ctx, const char *query, char **cursor, struct send *s,
                              struct xrm_err *err)
{
    int want = batch_size();
    json_array_clear(s->batch);
    do {
        json_t *page = NULL;
        int left = want - (int)json_array_size(s->batch);
        enum xrm_rc rc = xrm_party_list_sorted(ctx, query, "created", left < PAGE ? left : PAGE,
                                               *cursor, false, &page, err);
        if (rc)
            return rc;
        size_t i;
        json_t *party;
        json_array_foreach(json_object_get(page, "items"), i, party)
        {
            bool ok;
            json_array_append_new(s->batch, recipient_of(party, &ok));
        }
        free(*cursor);
        *cursor = str_of(page, "next") ? xrm_strdup(str_of(page, "next")) : NULL;
        json_decref(page);
    } while (*cursor && (int)json_array_size(s->batch) < want);
    return XRM_OK;
}

/* 422 on "segment" when it has more members than a campaign may have (before any write). */
static enum xrm_rc check_size(struct xrm_ctx *ctx, const char *query, struct xrm_err *err)
{
    struct xrm_query q = {0};
    int64_t n = 0;
    enum xrm_rc rc = xrm_query_parse(query ? query : "", &q, err);
    if (!rc)
        rc = xrm_query_check_access(ctx, &q, err);
    if (!rc)
        rc = xrm_party_db_count(ctx->db, &q, XRM_CAMPAIGN_RECIPIENTS_MAX, &n, err);
    xrm_query_release(&q);
    if (!rc && n > XRM_CAMPAIGN_RECIPIENTS_MAX) {
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "has more than %d members",
                           XRM_CAMPAIGN_RECIPIENTS_MAX);
        xrm_err_code(err, "too_many_recipients");
    }
    return rc;
}

enum xrm_rc xrm_campaign_send(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct send s = {.user = &ctx->user, .id = id, .batch = json_array()};
    json_t *seg = NULL;
    char *name = NULL, *query = NULL, *cursor = NULL;
    bool queued = false;
    /* the read gate (404), then the write gate (403), then the state (409) */
    enum xrm_rc rc = xrm_record_op_get(ctx, &xrm_campaign_ops, id, &s.campaign, err);
    if (!rc)
        rc = xrm_access_write(&ctx->user, str_of(s.campaign, "domain"), err);
    if (!rc && strcmp(str_of(s.campaign, "status"), "sent") == 0)
        rc = xrm_errf(err, XRM_E_CONFLICT, "the campaign was sent already");
    if (rc)
        goto out;
    /* a send that stopped half-way resumes: what its segment holds now, not written yet */
    bool resume = strcmp(str_of(s.campaign, "status"), "sending") == 0;
    int64_t segment = int_of(s.campaign, "segment");
    struct xrm_err e = XRM_ERR_INIT;
    rc = xrm_segment_get(ctx, segment, &seg, &e);
    if (!rc)
        rc = xrm_segment_query(ctx->db, segment, &name, &query, &e);
    if (rc == XRM_E_NOTFOUND && resume) {
        rc = XRM_OK; /* the segment is gone: it ends with the rows written */
    } else if (rc == XRM_E_NOTFOUND) {
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "no segment %lld", (long long)segment);
        goto out;
    } else if (rc) {
        *err = e;
        goto out;
    }
    /* the checks of a draft's segment come before the first write */
    if (!resume)
        rc = check_size(ctx, query, err);
    if (!rc && query)
        rc = next_batch(ctx, query, &cursor, &s, err);
    if (!rc && !resume && json_array_size(s.batch) == 0)
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "has no members");
    if (rc)
        goto out;
    xrm_clock_now(s.now);
    rc = xrm_store_write(ctx->store, start_tx, &s, err);
    while (!rc && json_array_size(s.batch) > 0) {
        /*
         * a transaction of its own without a savepoint: in one, SQLite keeps every changed
         * page's original in its in-memory statement journal and walks that list at each
         * statement's end (on 100,000 recipients 60% of the send's CPU, store.h)
         */
        rc = xrm_store_write_alone(ctx->store, batch_tx, &s, err);
        if (!rc && s.sent) { /* the outbox delivers while the next batches are written */
            xrm_outbox_kick();
            queued = true;
        }
        if (rc || !cursor)
            break;
        rc = next_batch(ctx, query, &cursor, &s, err);
    }
    if (!rc)
        rc = xrm_store_write(ctx->store, finish_tx, &s, err);
    if (!rc && queued)
        xrm_outbox_kick();
    if (!rc) {
        json_int_t skipped = int_of(s.report, "skipped");
        *out = json_pack("{s:I, s:I, s:O}", "sent", int_of(s.report, "recipients") - skipped,
                         "skipped", skipped, "report", s.report);
    }
out:
    free(cursor);
    free(name);
    free(query);
    json_decref(seg);
    json_decref(s.campaign);
    json_decref(s.batch);
    json_decref(s.report);
    return rc;
}

/* Unsubscribing */

/* The recipient of a token: XRM_E_NOTFOUND for a malformed or unknown one. */
static enum xrm_rc by_token(struct xrm_db *db, const char *token, json_t **out, struct xrm_err *err)
{
    char hash[65];
    *out = NULL;
    if (xrm_link_token_valid(token)) {
        xrm_token_hash(token, hash);
        enum xrm_rc rc = xrm_campaign_db_by_token(db, hash, out, err);
        if (rc)
            return rc;
    }
    if (!*out)
        return xrm_errf(err, XRM_E_NOTFOUND, "no such unsubscribe link");
    return XRM_OK;
}

enum xrm_rc xrm_campaign_unsubscribe_get(struct xrm_ctx *ctx, const char *token, json_t **out,
                                         struct xrm_err *err)
{
    json_t *r = NULL;
    enum xrm_rc rc = by_token(ctx->db, token, &r, err);
    if (rc)
        return rc;
    *out = json_pack("{s:O, s:b}", "campaign", json_object_get(r, "campaign_name"), "done",
                     str_of(r, "unsubscribed_at") != NULL);
    json_decref(r);
    return XRM_OK;
}

struct unsub {
    const char *token;
};

static enum xrm_rc unsub_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct unsub *u = arg;
    json_t *r = NULL;
    char now[XRM_TIME_LEN], source[300];
    enum xrm_rc rc = by_token(db, u->token, &r, err);
    if (rc)
        return rc;
    if (!str_of(r, "unsubscribed_at")) { /* a second click changes nothing */
        snprintf(source, sizeof(source), "unsubscribe link of campaign %lld \"%.200s\"",
                 (long long)int_of(r, "campaign"), str_of(r, "campaign_name"));
        xrm_clock_now(now);
        rc = xrm_consent_withdraw_email_tx(db, NULL, int_of(r, "party"), source, err);
        if (!rc)
            rc = xrm_campaign_db_unsubscribed(db, int_of(r, "id"), now, err);
    }
    json_decref(r);
    return rc;
}

enum xrm_rc xrm_campaign_unsubscribe(struct xrm_ctx *ctx, const char *token, json_t **out,
                                     struct xrm_err *err)
{
    struct unsub u = {.token = token};
    json_t *r = NULL;
    /* an unknown token is answered without taking the writer */
    enum xrm_rc rc = by_token(ctx->db, token, &r, err);
    json_decref(r);
    if (!rc)
        rc = xrm_store_write(ctx->store, unsub_tx, &u, err);
    if (!rc)
        *out = json_pack("{s:b}", "unsubscribed", 1);
    return rc;
}
