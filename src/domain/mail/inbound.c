/*
 * Mail received: delivery into a domain, threading onto cases, matching
 * parties and the review list (inbound.h).
 */
#include "domain/mail/inbound.h"
#include "domain/mail/inbound-db.h"
#include "domain/mail/mailbox-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/docs/document.h"
#include "domain/party/activity.h"
#include "domain/party/keys.h"
#include "domain/records/case.h"
#include "domain/records/records.h"
#include "io/mail-in.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

#define REVIEW_LIMIT 500

static const struct xrm_user mail_system = {.id = 0, .name = "mail", .admin = true};

/* ---- storing one mail ------------------------------------------------- */

struct store {
    const struct xrm_mail_in *m;
    const char *domain;        /* the activity's domain */
    json_t *parties;           /* borrowed array of ids */
    const struct xrm_user *by; /* who the activity is created by */
    const char *direction;     /* in | out */
    int64_t case_id;           /* 0: none */
    int64_t mailbox;
    int64_t activity; /* out */
};

static char *addrs_json(const struct xrm_mail_in *m)
{
    json_t *a = json_array();
    for (size_t i = 0; i < m->n_to; i++)
        json_array_append_new(a, json_string(m->to[i].addr));
    for (size_t i = 0; i < m->n_cc; i++)
        json_array_append_new(a, json_string(m->cc[i].addr));
    char *s = xrm_json_dump(a);
    json_decref(a);
    return s;
}

/*
 * Attachments as documents on the activity (as the system). An empty one
 * or one whose name or type the documents refuse is left out (logged);
 * any other failure fails the delivery.
 */
static enum xrm_rc add_attachments(struct xrm_db *db, struct store *s, struct xrm_err *err)
{
    for (size_t i = 0; i < s->m->n_att; i++) {
        const struct xrm_mail_in_att *a = &s->m->att[i];
        json_t *doc = NULL;
        struct xrm_err one = XRM_ERR_INIT;
        if (a->len == 0)
            continue;
        enum xrm_rc rc = xrm_document_add_tx(db, NULL, "activity", s->activity, s->domain, a->name,
                                             a->type, a->data, a->len, &doc, &one);
        json_decref(doc);
        if (rc == XRM_E_INVALID || rc == XRM_E_MALFORMED || rc == XRM_E_LIMIT) {
            xrm_log(XRM_LOG_WARN, "mail %s: attachment '%s' left out: %s", s->m->message_id,
                    a->name, one.message);
        } else if (rc) {
            *err = one;
            return rc;
        }
    }
    return XRM_OK;
}

/* The activity, its case link, its mail_messages row and attachments. */
static enum xrm_rc store_mail(struct xrm_db *db, struct store *s, struct xrm_err *err)
{
    const struct xrm_mail_in *m = s->m;
    char now[XRM_TIME_LEN];
    json_t *in = NULL, *act = NULL;
    char *to = NULL;
    enum xrm_rc rc;
    xrm_clock_now(now);
    /* the mail's own date when it is a plausible past one */
    const char *at =
        m->date && strcmp(m->date, now) <= 0 && strcmp(m->date, "2000") > 0 ? m->date : now;
    in = json_pack("{s:s, s:s, s:s, s:s, s:O, s:s}", "type", "email", "domain", s->domain,
                   "subject", m->subject[0] ? m->subject : "(no subject)", "body", m->text,
                   "parties", s->parties, "at", at);
    if (!m->text[0])
        json_object_del(in, "body");
    rc = xrm_activity_insert_tx(db, s->by, in, NULL, &act, err);
    if (rc)
        goto out;
    s->activity = json_integer_value(json_object_get(act, "id"));
    if (s->case_id)
        rc = xrm_records_link(db, s->activity, "case", s->case_id, "message", err);
    if (rc)
        goto out;
    to = addrs_json(m);
    struct xrm_inbound_row row = {.message_id = m->message_id,
                                  .direction = s->direction,
                                  .activity_id = s->activity,
                                  .entity = s->case_id ? "case" : NULL,
                                  .entity_id = s->case_id,
                                  .in_reply_to = m->in_reply_to,
                                  .from_addr = m->from.addr,
                                  .to_addrs = to,
                                  .subject = m->subject,
                                  .mailbox_id = s->mailbox,
                                  .at = now};
    rc = xrm_inbound_db_message_add(db, &row, err);
    if (!rc)
        rc = add_attachments(db, s, err);
out:
    free(to);
    json_decref(in);
    json_decref(act);
    return rc;
}

/* ---- delivery ---------------------------------------------------------- */

struct deliver {
    const struct xrm_user *user;
    const char *domain;
    int64_t mailbox;
    const struct xrm_mail_in *m;
    const void *raw;
    size_t len;
    json_t *out;
};

/* True when addr is the mailbox's BCC address among the mail's recipients. */
static bool to_bcc(const struct xrm_mail_in *m, const char *bcc)
{
    if (!bcc || !*bcc)
        return false;
    for (size_t i = 0; i < m->n_delivered_to; i++)
        if (strcasecmp(m->delivered_to[i], bcc) == 0)
            return true;
    for (size_t i = 0; i < m->n_to; i++)
        if (strcasecmp(m->to[i].addr, bcc) == 0)
            return true;
    for (size_t i = 0; i < m->n_cc; i++)
        if (strcasecmp(m->cc[i].addr, bcc) == 0)
            return true;
    return false;
}

static enum xrm_rc parties_of(struct xrm_db *db, const char *addr, const char *skip, json_t *arr,
                              struct xrm_err *err)
{
    char key[XRM_KEY_MAX];
    if (skip && strcasecmp(addr, skip) == 0)
        return XRM_OK;
    if (!xrm_key_email(addr, key))
        return XRM_OK;
    return xrm_inbound_db_parties(db, key, arr, err);
}

/* The case the mail answers: In-Reply-To first, then References newest first. */
static enum xrm_rc thread_case(struct xrm_db *db, const struct xrm_mail_in *m, int64_t *case_id,
                               struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    *case_id = 0;
    if (m->in_reply_to)
        rc = xrm_inbound_db_case_of(db, m->in_reply_to, case_id, err);
    for (size_t i = m->n_references; !rc && !*case_id && i > 0; i--)
        rc = xrm_inbound_db_case_of(db, m->references[i - 1], case_id, err);
    return rc;
}

static bool reopens(const char *status)
{
    return status && (strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0 ||
                      strcmp(status, "waiting") == 0);
}

static char *raw_base64(const void *raw, size_t len)
{
    size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b = xrm_malloc(n);
    sodium_bin2base64(b, n, raw, len, sodium_base64_VARIANT_ORIGINAL);
    return b;
}

static enum xrm_rc deliver_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct deliver *d = arg;
    const struct xrm_mail_in *m = d->m;
    struct xrm_mailbox_conn box = {0};
    json_t *parties = json_array(), *c = NULL, *patch = NULL;
    const char *domain = d->domain;
    int64_t case_id = 0, review = 0, sender = 0;
    bool seen = false;
    char *raw = NULL;
    char now[XRM_TIME_LEN];
    struct store s = {.m = m, .direction = "in", .by = &mail_system, .mailbox = d->mailbox};
    enum xrm_rc rc = XRM_OK;

    if (d->mailbox) {
        rc = xrm_mailbox_db_conn(db, d->mailbox, &box, err);
        if (rc)
            goto out;
        if (domain && strcmp(domain, box.domain) != 0) {
            rc = xrm_err_field(err, XRM_E_INVALID, "domain", "mailbox %lld is for domain '%s'",
                               (long long)d->mailbox, box.domain);
            goto out;
        }
        domain = box.domain;
    }
    if (!domain || !xrm_domain_valid(domain)) {
        rc = xrm_err_field(err, XRM_E_INVALID, "domain",
                           "must be one of sales, hr, partners, purchasing, pr");
        goto out;
    }
    if (d->user && (rc = xrm_access_write(d->user, domain, err)))
        goto out;
    if ((rc = xrm_inbound_db_seen(db, m->message_id, domain, &seen, err)))
        goto out;
    if (seen)
        goto answer;
    if ((rc = thread_case(db, m, &case_id, err)))
        goto out;
    if (case_id) {
        rc = xrm_record_load(db, &xrm_case_ops, case_id, &c, err);
        if (rc)
            goto out;
        json_array_append(parties, json_object_get(c, "party"));
        s.parties = parties;
        s.domain = json_string_value(json_object_get(c, "domain"));
        s.case_id = case_id;
        if ((rc = store_mail(db, &s, err)))
            goto out;
        if (reopens(json_string_value(json_object_get(c, "status")))) {
            patch = json_pack("{s:s}", "status", "open");
            rc = xrm_record_update_in(db, &xrm_case_ops, &mail_system, case_id, patch, NULL, err);
        }
        goto answer;
    }
    rc = xrm_inbound_db_user(db, m->from.addr, &sender, err);
    if (rc)
        goto out;
    struct xrm_user by = {.id = sender, .admin = true};
    if (sender || to_bcc(m, box.bcc_address)) {
        /* a user's own outgoing mail: logged on its recipients */
        for (size_t i = 0; !rc && i < m->n_to; i++)
            rc = parties_of(db, m->to[i].addr, box.bcc_address, parties, err);
        for (size_t i = 0; !rc && i < m->n_cc; i++)
            rc = parties_of(db, m->cc[i].addr, box.bcc_address, parties, err);
        s.direction = "out";
        if (sender) {
            snprintf(by.name, sizeof by.name, "%s", m->from.addr);
            s.by = &by;
        }
    } else {
        rc = parties_of(db, m->from.addr, NULL, parties, err);
    }
    if (rc)
        goto out;
    s.domain = domain;
    if (json_array_size(parties) > 0) {
        s.parties = parties;
        rc = store_mail(db, &s, err);
        goto answer_rc;
    }
    /* nobody known: the review list */
    xrm_clock_now(now);
    raw = raw_base64(d->raw, d->len);
    struct xrm_review_row r = {.mailbox_id = d->mailbox,
                               .domain = domain,
                               .message_id = m->message_id,
                               .from_addr = m->from.addr,
                               .from_name = m->from.name,
                               .subject = m->subject,
                               .text = m->text,
                               .raw = raw,
                               .received_at = now};
    rc = xrm_inbound_db_review_add(db, &r, &review, err);
answer_rc:
    if (rc)
        goto out;
answer:
    if (!s.parties)
        s.parties = parties;
    json_decref(d->out);
    d->out = json_pack("{s:o, s:o, s:O, s:o, s:b, s:s}", "activity",
                       s.activity ? json_integer(s.activity) : json_null(), "review",
                       review ? json_integer(review) : json_null(), "parties", parties, "case",
                       case_id ? json_integer(case_id) : json_null(), "duplicate", seen,
                       "message_id", m->message_id);
out:
    if (raw)
        free(raw);
    json_decref(parties);
    json_decref(c);
    json_decref(patch);
    xrm_mailbox_conn_release(&box);
    return rc;
}

enum xrm_rc xrm_mail_deliver(struct xrm_store *st, const struct xrm_user *user, const char *domain,
                             int64_t mailbox, const void *raw, size_t len, json_t **out,
                             struct xrm_err *err)
{
    struct xrm_mail_in *m = NULL;
    char msg[200];
    int code = 0;
    if (xrm_mail_in_parse(raw, len, &m, &code, msg, sizeof msg) != 0) {
        if (code == 2)
            xrm_errf(err, XRM_E_LIMIT, "the message is larger than %u MB",
                     XRM_MAIL_IN_MAX_BYTES / (1024 * 1024));
        else
            xrm_errf(err, XRM_E_MALFORMED, "not a mail message: %s", msg);
        return xrm_err_code(err, code == 2 ? "too_large" : "bad_message");
    }
    struct deliver d = {
        .user = user, .domain = domain, .mailbox = mailbox, .m = m, .raw = raw, .len = len};
    enum xrm_rc rc = xrm_store_write(st, deliver_tx, &d, err);
    if (!rc) {
        *out = d.out;
        d.out = NULL;
        xrm_log(XRM_LOG_INFO, "mail %s into %s: %s", m->message_id, domain ? domain : "mailbox",
                json_is_true(json_object_get(*out, "duplicate"))   ? "duplicate"
                : json_is_integer(json_object_get(*out, "review")) ? "review"
                                                                   : "stored");
    }
    json_decref(d.out);
    xrm_mail_in_free(m);
    return rc;
}

/* ---- the review list ----------------------------------------------------- */

enum xrm_rc xrm_mail_review_list(struct xrm_ctx *ctx, const char *status, json_t **out,
                                 struct xrm_err *err)
{
    const char *domains[5] = {0};
    json_t *items = NULL;
    if (!status)
        status = "review";
    if (strcmp(status, "review") != 0 && strcmp(status, "assigned") != 0 &&
        strcmp(status, "discarded") != 0)
        return xrm_err_field(err, XRM_E_INVALID, "status",
                             "must be one of review, assigned, discarded");
    for (int i = 0; i < XRM_NDOMAINS && i < 5; i++)
        if (xrm_access_level(&ctx->user, xrm_domains[i]) >= XRM_LEVEL_WRITE)
            domains[i] = xrm_domains[i];
    enum xrm_rc rc =
        xrm_inbound_db_review_list(ctx->db, status, domains, REVIEW_LIMIT, &items, err);
    if (!rc)
        *out = json_pack("{s:o}", "items", items);
    return rc;
}

struct decide {
    const struct xrm_user *user;
    int64_t id;
    int64_t party;
    bool assign;
    json_t *out;
};

static enum xrm_rc decide_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct decide *a = arg;
    json_t *row = NULL;
    struct xrm_mail_in *m = NULL;
    unsigned char *raw = NULL;
    char now[XRM_TIME_LEN];
    bool done = false;
    enum xrm_rc rc = xrm_inbound_db_review_get(db, a->id, true, &row, err);
    if (rc)
        goto out;
    const char *domain = json_string_value(json_object_get(row, "domain"));
    if (xrm_access_level(a->user, domain) < XRM_LEVEL_WRITE) {
        /* what the reader may not handle does not exist for them */
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no mail in review %lld", (long long)a->id);
        goto out;
    }
    if (strcmp(json_string_value(json_object_get(row, "status")), "review") != 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "mail in review %lld was already %s", (long long)a->id,
                      json_string_value(json_object_get(row, "status")));
        goto out;
    }
    xrm_clock_now(now);
    int64_t activity = 0;
    if (a->assign) {
        const char *b64 = json_string_value(json_object_get(row, "raw"));
        size_t b64len = b64 ? strlen(b64) : 0, len = 0;
        raw = xrm_malloc(b64len + 1);
        char msg[200];
        if (!b64 ||
            sodium_base642bin(raw, b64len + 1, b64, b64len, NULL, &len, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            xrm_mail_in_parse(raw, len, &m, NULL, msg, sizeof msg) != 0) {
            rc = xrm_errf(err, XRM_E_INTERNAL, "mail in review %lld cannot be read again",
                          (long long)a->id);
            goto out;
        }
        json_t *parties = json_pack("[I]", (json_int_t)a->party);
        struct store s = {.m = m,
                          .domain = domain,
                          .parties = parties,
                          .by = a->user,
                          .direction = "in",
                          .mailbox = json_integer_value(json_object_get(row, "mailbox"))};
        rc = store_mail(db, &s, err);
        json_decref(parties);
        if (rc)
            goto out;
        activity = s.activity;
    }
    rc = xrm_inbound_db_review_decide(db, a->id, a->assign ? "assigned" : "discarded", activity,
                                      a->user ? a->user->id : 0, now, &done, err);
    if (!rc && !done)
        rc = xrm_errf(err, XRM_E_CONFLICT, "mail in review %lld was already decided",
                      (long long)a->id);
    if (!rc && a->assign)
        a->out = json_pack("{s:I}", "activity", (json_int_t)activity);
    else if (!rc)
        rc = xrm_inbound_db_review_get(db, a->id, false, &a->out, err);
out:
    free(raw);
    xrm_mail_in_free(m);
    json_decref(row);
    return rc;
}

enum xrm_rc xrm_mail_review_assign(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                   struct xrm_err *err)
{
    static const char *const keys[] = {"party", NULL};
    struct decide a = {.user = &ctx->user, .id = id, .assign = true};
    if (!json_is_object(in))
        return xrm_errf(err, XRM_E_MALFORMED, "the body must be a JSON object");
    xrm_json_only_keys(in, NULL, keys, err);
    xrm_json_get_int(in, NULL, "party", 1, INT64_MAX, true, &a.party, err);
    if (err->rc)
        return err->rc;
    enum xrm_rc rc = xrm_store_write(ctx->store, decide_tx, &a, err);
    if (!rc)
        *out = a.out;
    else
        json_decref(a.out);
    return rc;
}

enum xrm_rc xrm_mail_review_discard(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                    struct xrm_err *err)
{
    struct decide a = {.user = &ctx->user, .id = id};
    enum xrm_rc rc = xrm_store_write(ctx->store, decide_tx, &a, err);
    if (!rc)
        *out = a.out;
    else
        json_decref(a.out);
    return rc;
}
