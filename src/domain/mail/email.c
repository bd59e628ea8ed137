/*
 * Sending e-mail to parties (email.h): reading the request, the record and
 * the recipients, the placeholders per recipient, and the one write that
 * queues every mail (outbox.h).
 */
#include "domain/mail/email.h"
#include "domain/mail/outbox.h"
#include "domain/mail/outbox-db.h"
#include "domain/mail/template.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/billing/invoice.h"
#include "domain/billing/quote.h"
#include "domain/billing/render.h"
#include "domain/docs/document.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/records/case.h"
#include "domain/records/records.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/messages.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static const char *str_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void set(json_t *vars, const char *key, const char *value)
{
    json_object_set_new(vars, key, json_string(value ? value : ""));
}

/* Placeholders of a party */

/* "de Vries" -> "De Vries": the prefix is capitalised after "heer"/"mevrouw"/"Mr". */
static void family_part(json_t *p, bool capital, char *out, size_t n)
{
    const char *prefix = str_of(p, "family_prefix"), *family = str_of(p, "family_name");
    if (*prefix)
        snprintf(out, n, "%s %s", prefix, family);
    else
        snprintf(out, n, "%s", family);
    if (capital && out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

/* 'm', 'f' or 0 from custom.gender. */
static char gender_of(json_t *p)
{
    const char *g = json_string_value(json_object_get(json_object_get(p, "custom"), "gender"));
    if (!g)
        return 0;
    if (!strcasecmp(g, "m") || !strcasecmp(g, "male") || !strcasecmp(g, "man") ||
        !strcasecmp(g, "heer") || !strcasecmp(g, "mr"))
        return 'm';
    if (!strcasecmp(g, "f") || !strcasecmp(g, "v") || !strcasecmp(g, "female") ||
        !strcasecmp(g, "vrouw") || !strcasecmp(g, "mevrouw") || !strcasecmp(g, "ms"))
        return 'f';
    return 0;
}

static void salutation(json_t *p, bool nl, char *out, size_t n)
{
    char fam[300];
    const char *given = str_of(p, "given_name");
    bool informal = json_is_true(json_object_get(json_object_get(p, "custom"), "informal"));
    if (strcmp(str_of(p, "kind"), "organization") == 0) {
        snprintf(out, n, "%s", nl ? "Geachte heer, mevrouw," : "Dear Sir or Madam,");
        return;
    }
    if (informal && *given) {
        snprintf(out, n, "%s %s,", nl ? "Beste" : "Dear", given);
        return;
    }
    char g = gender_of(p);
    if (g && *str_of(p, "family_name")) {
        family_part(p, true, fam, sizeof(fam));
        if (nl)
            snprintf(out, n, "Geachte %s %s,", g == 'm' ? "heer" : "mevrouw", fam);
        else
            snprintf(out, n, "Dear %s %s,", g == 'm' ? "Mr" : "Ms", fam);
        return;
    }
    snprintf(out, n, "%s %s,", nl ? "Geachte" : "Dear", str_of(p, "name"));
}

void xrm_email_party_vars(json_t *p, const char *lang, json_t *vars)
{
    char sal[400];
    bool nl = lang && strcmp(lang, "nl") == 0;
    salutation(p, nl, sal, sizeof(sal));
    set(vars, "salutation", sal);
    set(vars, "name", str_of(p, "name"));
    const char *given = str_of(p, "given_name");
    set(vars, "first_name", *given ? given : str_of(p, "name"));
    const char *company = "";
    if (strcmp(str_of(p, "kind"), "organization") == 0) {
        company = str_of(p, "name");
    } else {
        size_t i;
        json_t *r;
        json_array_foreach(json_object_get(p, "relationships"), i, r)
        {
            if (strcmp(str_of(r, "type"), "works_at") == 0) {
                company = str_of(json_object_get(r, "party"), "name");
                break;
            }
        }
    }
    set(vars, "company", company);
}

/* The party's first e-mail address, or NULL. */
static const char *email_of(json_t *p)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(p, "emails"), i, e)
    {
        const char *v = json_string_value(json_object_get(e, "value"));
        if (v && strchr(v, '@'))
            return v;
    }
    return NULL;
}

/* Money and dates for the reader's language */

static void fmt_amount(int64_t cents, const char *currency, bool nl, char *out, size_t n)
{
    char digits[32], grouped[48];
    bool neg = cents < 0;
    uint64_t v = neg ? (uint64_t)(-(cents + 1)) + 1 : (uint64_t)cents;
    snprintf(digits, sizeof(digits), "%llu", (unsigned long long)(v / 100));
    size_t len = strlen(digits), j = 0;
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            grouped[j++] = nl ? '.' : ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    const char *sym = !currency || !*currency || strcmp(currency, "EUR") == 0 ? "€" : currency;
    bool euro = strcmp(sym, "€") == 0;
    if (nl)
        snprintf(out, n, "%s%s %s%s,%02llu", neg ? "-" : "", sym, "", grouped,
                 (unsigned long long)(v % 100));
    else
        snprintf(out, n, "%s%s%s%s.%02llu", neg ? "-" : "", sym, euro ? "" : " ", grouped,
                 (unsigned long long)(v % 100));
}

static void fmt_date(const char *iso, bool nl, char *out, size_t n)
{
    if (!iso || strlen(iso) < 10) {
        snprintf(out, n, "%s", iso ? iso : "");
        return;
    }
    if (nl)
        snprintf(out, n, "%.2s-%.2s-%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(out, n, "%.10s", iso);
}

/* The request */

struct email_req {
    const char *domain, *subject, *body, *lang, *record;
    json_t *to;      /* [ids], deduplicated */
    json_t *tmpl;    /* the template, or NULL */
    json_t *parties; /* the recipients' party JSON, in to's order */
    json_t *vars;    /* placeholders of the record and the sender */
    const char *entity;
    int64_t entity_id;
    char in_reply_to[320];
    struct xrm_buf pdf;
    char pdf_name[128];
    bool has_pdf;
    /* attachments: the record's PDF first, then the documents asked for */
    struct xrm_mail_attachment att[XRM_EMAIL_ATTACHMENTS_MAX + 1];
    size_t n_att;
    void *doc_data[XRM_EMAIL_ATTACHMENTS_MAX];
    json_t *docs[XRM_EMAIL_ATTACHMENTS_MAX];
    size_t n_docs;
};

static void req_release(struct email_req *r)
{
    json_decref(r->to);
    json_decref(r->tmpl);
    json_decref(r->parties);
    json_decref(r->vars);
    xrm_buf_release(&r->pdf);
    for (size_t i = 0; i < r->n_docs; i++) {
        free(r->doc_data[i]);
        json_decref(r->docs[i]);
    }
}

/* The documents of "attachments" (ids the sender may read) after the record's PDF. */
static enum xrm_rc load_attachments(struct xrm_ctx *ctx, json_t *ids, struct email_req *r,
                                    struct xrm_err *err)
{
    size_t i, total = r->has_pdf ? r->pdf.len : 0;
    json_t *v;
    if (r->has_pdf)
        r->att[r->n_att++] =
            (struct xrm_mail_attachment){r->pdf_name, "application/pdf", r->pdf.s, r->pdf.len};
    json_array_foreach(ids, i, v)
    {
        int64_t id = json_integer_value(v);
        size_t len = 0;
        enum xrm_rc rc =
            xrm_document_content(ctx, id, &r->docs[r->n_docs], &r->doc_data[r->n_docs], &len, err);
        if (rc == XRM_E_NOTFOUND) {
            xrm_err_clear(err);
            return xrm_err_field(err, XRM_E_INVALID, "attachments", "no document %lld",
                                 (long long)id);
        }
        if (rc)
            return rc;
        json_t *doc = r->docs[r->n_docs];
        r->att[r->n_att++] = (struct xrm_mail_attachment){str_of(doc, "name"), str_of(doc, "type"),
                                                          r->doc_data[r->n_docs], len};
        r->n_docs++;
        total += len;
        if (total > XRM_EMAIL_ATTACHMENTS_BYTES) {
            rc = xrm_err_field(err, XRM_E_LIMIT, "attachments", "are larger than %d MB together",
                               XRM_EMAIL_ATTACHMENTS_BYTES / (1024 * 1024));
            xrm_err_code(err, "too_large");
            return rc;
        }
    }
    return XRM_OK;
}

/* "kind:N" -> entity and id; a field error on "record" otherwise. */
static bool parse_record(const char *s, const char **entity, int64_t *id, struct xrm_err *err)
{
    static const char *const kinds[] = {"case", "quote", "invoice", "activity", NULL};
    const char *colon = strchr(s, ':');
    char kind[16];
    if (colon && (size_t)(colon - s) < sizeof(kind)) {
        memcpy(kind, s, (size_t)(colon - s));
        kind[colon - s] = '\0';
        for (const char *const *k = kinds; *k; k++)
            if (strcmp(*k, kind) == 0 && xrm_parse_int(colon + 1, 1, INT64_MAX, id)) {
                *entity = *k;
                return true;
            }
    }
    xrm_err_field(err, XRM_E_INVALID, "record",
                  "must be case:ID, quote:ID, invoice:ID or activity:ID");
    return false;
}

/* The placeholders a mail about entity (NULL: none) fills; NULL-terminated. */
static const char *const *placeholders_of(const char *entity)
{
    static const char *const none[] = {"salutation", "name",   "first_name",
                                       "company",    "sender", NULL};
    static const char *const cases[] = {"salutation", "name",  "first_name", "company", "sender",
                                        "number",     "title", "link",       NULL};
    static const char *const billing[] = {"salutation", "name",   "first_name", "company",
                                          "sender",     "number", "title",      "amount",
                                          "due",        "link",   "accept_url", NULL};
    static const char *const press[] = {"salutation", "name",    "first_name", "company", "sender",
                                        "title",      "release", "link",       NULL};
    if (!entity)
        return none;
    if (strcmp(entity, "case") == 0)
        return cases;
    if (strcmp(entity, "activity") == 0)
        return press;
    return billing; /* a quote's accept_url: load_record refuses it for a quote sent before */
}

/* False (the first unknown one, with its braces, in bad) when text has a placeholder not in known.
 */
static bool placeholders_known(const char *text, const char *const *known, char *bad, size_t n)
{
    const char *p = text ? text : "";
    while ((p = strstr(p, "{{"))) {
        const char *close = strstr(p + 2, "}}");
        if (!close)
            return true;
        const char *a = p + 2, *b = close;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strlen(*k) == (size_t)(b - a) && memcmp(*k, a, (size_t)(b - a)) == 0;
        if (!ok) {
            snprintf(bad, n, "%.*s", (int)(close + 2 - p), p);
            return false;
        }
        p = close + 2;
    }
    return true;
}

/* Loads the record the mail is about (read access as for a GET) and its placeholders. */
/* A quote's or invoice's placeholders: number, title, amount (gross), due (valid_until). */
static void billing_vars(json_t *vars, json_t *rec, bool quote, bool nl)
{
    char buf[128];
    set(vars, "number", str_of(rec, "number"));
    set(vars, "title", str_of(rec, "number"));
    fmt_amount(json_integer_value(json_object_get(json_object_get(rec, "totals"), "gross")),
               str_of(rec, "currency"), nl, buf, sizeof(buf));
    set(vars, "amount", buf);
    fmt_date(str_of(rec, quote ? "valid_until" : "due"), nl, buf, sizeof(buf));
    set(vars, "due", buf);
}

static enum xrm_rc load_record(struct xrm_ctx *ctx, struct email_req *r, struct xrm_err *err)
{
    json_t *rec = NULL;
    enum xrm_rc rc = XRM_OK;
    bool nl = strcmp(r->lang, "nl") == 0;
    char buf[128], link[512];
    const char *base = xrm_mail_public_url();
    if (strcmp(r->entity, "case") == 0) {
        if ((rc = xrm_record_op_get(ctx, &xrm_case_ops, r->entity_id, &rec, err)))
            goto out;
        snprintf(buf, sizeof(buf), "%lld", (long long)r->entity_id);
        set(r->vars, "number", buf);
        set(r->vars, "title", str_of(rec, "subject"));
        snprintf(link, sizeof(link), "%s/cases/%lld", base, (long long)r->entity_id);
        set(r->vars, "link", link);
        rc = xrm_outbox_db_last_message(ctx->db, "case", r->entity_id, r->in_reply_to,
                                        sizeof(r->in_reply_to), err);
    } else if (strcmp(r->entity, "quote") == 0 || strcmp(r->entity, "invoice") == 0) {
        bool quote = strcmp(r->entity, "quote") == 0;
        if ((rc = xrm_record_op_get(ctx, quote ? &xrm_quote_ops : &xrm_invoice_ops, r->entity_id,
                                    &rec, err)))
            goto out;
        const char *status = str_of(rec, "status");
        if (quote && strcmp(status, "draft") == 0) {
            /* a draft quote is sent first: its accept link is answered this once */
            json_t *sent = NULL;
            if ((rc = xrm_quote_send(ctx, r->entity_id, &sent, err)))
                goto out;
            snprintf(link, sizeof(link), "%s%s", base, str_of(sent, "accept_url"));
            set(r->vars, "accept_url", link);
            set(r->vars, "link", link);
            json_decref(rec);
            rec = sent;
        } else if (quote && (strstr(r->subject, "accept_url") || strstr(r->body, "accept_url"))) {
            /* only the send of a draft answers the accept link (its hash is kept) */
            rc = xrm_err_field(err, XRM_E_CONFLICT, "body",
                               "the quote was sent before: its accept link cannot be sent "
                               "again; leave {{accept_url}} out");
            goto out;
        } else if (quote && (strcmp(status, "declined") == 0 || strcmp(status, "accepted") == 0)) {
            rc = xrm_errf(err, XRM_E_CONFLICT, "the quote is %s already", status);
            goto out;
        } else if (!quote && strcmp(status, "draft") == 0) {
            rc = xrm_errf(err, XRM_E_CONFLICT, "the invoice is a draft: issue it first");
            xrm_err_code(err, "draft");
            goto out;
        }
        if (!json_object_get(r->vars, "link")) {
            snprintf(link, sizeof(link), "%s/%s/%lld", base, quote ? "quotes" : "invoices",
                     (long long)r->entity_id);
            set(r->vars, "link", link);
        }
        billing_vars(r->vars, rec, quote, nl);
        rc = xrm_billing_render(ctx, quote, r->entity_id, XRM_RENDER_PDF, r->lang, &r->pdf,
                                r->pdf_name, sizeof(r->pdf_name), err);
        r->has_pdf = rc == XRM_OK;
    } else { /* activity: a press release or letter */
        if ((rc = xrm_activity_get(ctx, r->entity_id, &rec, err)))
            goto out;
        const char *type = str_of(rec, "type");
        if (strcmp(type, "press_release") != 0 && strcmp(type, "letter") != 0) {
            rc = xrm_err_field(err, XRM_E_INVALID, "record",
                               "activity %lld is not a press release or a letter",
                               (long long)r->entity_id);
            goto out;
        }
        set(r->vars, "title", str_of(rec, "subject"));
        set(r->vars, "release", str_of(rec, "body"));
        snprintf(link, sizeof(link), "%s/press", base);
        set(r->vars, "link", link);
    }
out:
    json_decref(rec);
    return rc;
}

static enum xrm_rc read_req(struct xrm_ctx *ctx, json_t *in, struct email_req *r,
                            struct xrm_err *err)
{
    static const char *const keys[] = {"to",     "subject", "body",        "domain", "template",
                                       "record", "lang",    "attachments", NULL};
    enum xrm_rc rc = XRM_OK;
    int64_t tmpl_id = 0;
    if (!json_is_object(in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    json_t *atts = json_object_get(in, "attachments");
    if (atts && !json_is_null(atts)) {
        size_t i;
        json_t *v;
        bool ok = json_is_array(atts) && json_array_size(atts) <= XRM_EMAIL_ATTACHMENTS_MAX;
        json_array_foreach(atts, i, v) ok = ok && json_is_integer(v) && json_integer_value(v) > 0;
        if (!ok)
            xrm_err_field(err, json_is_array(atts) ? XRM_E_INVALID : XRM_E_MALFORMED, "attachments",
                          "must be a list of at most %d document ids", XRM_EMAIL_ATTACHMENTS_MAX);
    }
    xrm_json_only_keys(in, NULL, keys, err);
    xrm_json_get_str(in, NULL, "domain", 20, true, &r->domain, err);
    xrm_json_get_str(in, NULL, "subject", XRM_MAIL_SUBJECT_MAX, false, &r->subject, err);
    xrm_json_get_str(in, NULL, "body", XRM_MAIL_BODY_MAX, false, &r->body, err);
    xrm_json_get_str(in, NULL, "record", 40, false, &r->record, err);
    xrm_json_get_str(in, NULL, "lang", 2, false, &r->lang, err);
    xrm_json_get_int(in, NULL, "template", 1, INT64_MAX, false, &tmpl_id, err);
    if (r->domain && !xrm_domain_valid(r->domain))
        xrm_err_field(err, XRM_E_INVALID, "domain",
                      "must be one of sales, hr, partners, purchasing, pr");
    if (r->lang && strcmp(r->lang, "nl") != 0 && strcmp(r->lang, "en") != 0)
        xrm_err_field(err, XRM_E_INVALID, "lang", "must be one of nl, en");
    json_t *to = json_object_get(in, "to");
    r->to = json_array();
    if (!json_is_array(to) || json_array_size(to) < 1 ||
        json_array_size(to) > XRM_EMAIL_RECIPIENTS_MAX) {
        xrm_err_field(err, to && !json_is_array(to) ? XRM_E_MALFORMED : XRM_E_INVALID, "to",
                      "must be a list of 1 to %d party ids", XRM_EMAIL_RECIPIENTS_MAX);
    } else {
        size_t i, j;
        json_t *v, *w;
        json_array_foreach(to, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) < 1) {
                xrm_err_field(err, XRM_E_MALFORMED, "to", "must be a list of party ids");
                break;
            }
            bool dup = false;
            json_array_foreach(r->to, j, w) dup = dup || json_equal(v, w);
            if (!dup)
                json_array_append(r->to, v);
        }
    }
    if (r->record)
        parse_record(r->record, &r->entity, &r->entity_id, err);
    if (err->rc)
        return err->rc;
    /* 403 before anything is read or sent (a draft quote would be sent) */
    if ((rc = xrm_access_write(&ctx->user, r->domain, err)))
        return rc;
    if (tmpl_id) {
        rc = xrm_mail_template_load(ctx->db, tmpl_id, &r->tmpl, err);
        if (rc == XRM_E_NOTFOUND) {
            xrm_err_clear(err);
            return xrm_err_field(err, XRM_E_INVALID, "template", "no template %lld",
                                 (long long)tmpl_id);
        }
        if (rc)
            return rc;
        if (!r->lang) /* the template's language */
            r->lang = str_of(r->tmpl, "lang");
        if (!r->subject)
            r->subject = str_of(r->tmpl, "subject");
        if (!r->body)
            r->body = str_of(r->tmpl, "body");
    }
    if (!r->lang) /* the request's language */
        r->lang = xrm_lang_tag(xrm_lang_get());
    if (!r->subject || !*r->subject)
        xrm_err_field(err, XRM_E_INVALID, "subject", "is required (or a template)");
    if (!r->body || !*r->body)
        xrm_err_field(err, XRM_E_INVALID, "body", "is required (or a template)");
    if (err->rc)
        return err->rc;
    /* the recipients, as the sender may read them */
    r->parties = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(r->to, i, v)
    {
        json_t *p = NULL;
        rc = xrm_party_get(ctx, json_integer_value(v), &p, err);
        if (rc == XRM_E_NOTFOUND) {
            xrm_err_clear(err);
            return xrm_err_field(err, XRM_E_INVALID, "to", "no party %lld",
                                 (long long)json_integer_value(v));
        }
        if (rc)
            return rc;
        json_array_append_new(r->parties, p);
    }
    /* the sender */
    char sender[128];
    if ((rc = xrm_records_user_name(ctx->db, ctx->user.id, sender, sizeof(sender), err)))
        return rc;
    set(r->vars, "sender", sender[0] ? sender : ctx->user.name);
    /* every placeholder must get a value here (an invoice's {{amount}} needs the invoice) */
    const char *const *known = placeholders_of(r->entity);
    char bad[64];
    if (!placeholders_known(r->subject, known, bad, sizeof(bad)))
        xrm_err_field(err, XRM_E_INVALID, "subject", "has a placeholder without a value here: %s",
                      bad);
    if (!placeholders_known(r->body, known, bad, sizeof(bad)))
        xrm_err_field(err, XRM_E_INVALID, "body", "has a placeholder without a value here: %s",
                      bad);
    if (err->rc)
        return err->rc;
    if (r->entity && (rc = load_record(ctx, r, err)))
        return rc;
    return load_attachments(ctx, json_is_array(atts) ? atts : NULL, r, err);
}

/* The write */

struct send_arg {
    const struct xrm_user *user;
    struct email_req *r;
    json_t *items, *skipped;
};

static enum xrm_rc send_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct send_arg *a = arg;
    struct email_req *r = a->r;
    enum xrm_rc rc = XRM_OK;
    size_t i;
    json_t *p;
    json_array_foreach(r->parties, i, p)
    {
        int64_t party = json_integer_value(json_object_get(p, "id"));
        const char *to = email_of(p);
        if (!to) {
            json_array_append_new(a->skipped, json_pack("{s:I, s:s}", "party", (json_int_t)party,
                                                        "reason", "no_email"));
            continue;
        }
        json_t *vars = json_deep_copy(r->vars), *out = NULL;
        xrm_email_party_vars(p, r->lang, vars);
        char *subject = xrm_mail_render(r->subject, vars);
        char *text = xrm_mail_render(r->body, vars);
        /* a subject is one line */
        for (char *c = subject; c && *c; c++)
            if (*c == '\r' || *c == '\n')
                *c = ' ';
        struct xrm_mail m = {.domain = r->domain,
                             .party = party,
                             .to = to,
                             .to_name = str_of(p, "name"),
                             .subject = subject,
                             .text = text,
                             .entity = r->entity,
                             .entity_id = r->entity_id,
                             .in_reply_to = r->in_reply_to[0] ? r->in_reply_to : NULL,
                             .att = r->n_att ? r->att : NULL,
                             .n_att = r->n_att};
        rc = xrm_mail_queue_tx(db, a->user, &m, &out, err);
        if (!rc) {
            json_object_set_new(out, "party", json_integer(party));
            json_object_set_new(out, "to", json_string(to));
            json_array_append_new(a->items, out);
        }
        free(subject);
        free(text);
        json_decref(vars);
        if (rc)
            break;
    }
    return rc;
}

enum xrm_rc xrm_email_send(struct xrm_ctx *ctx, json_t *in, json_t **out, struct xrm_err *err)
{
    struct email_req r = {.vars = json_object()};
    struct send_arg a = {
        .user = &ctx->user, .r = &r, .items = json_array(), .skipped = json_array()};
    xrm_buf_init(&r.pdf, 0);
    enum xrm_rc rc = read_req(ctx, in, &r, err);
    if (!rc)
        rc = xrm_store_write(ctx->store, send_tx, &a, err);
    if (!rc) {
        if (json_array_size(a.items))
            xrm_outbox_kick();
        *out = json_pack("{s:O, s:O}", "items", a.items, "skipped", a.skipped);
    }
    json_decref(a.items);
    json_decref(a.skipped);
    req_release(&r);
    return rc;
}

/* The preview */

enum xrm_rc xrm_mail_template_preview(struct xrm_ctx *ctx, int64_t id, json_t *in, json_t **out,
                                      struct xrm_err *err)
{
    static const char *const keys[] = {"party", "record", "lang", NULL};
    struct email_req r = {.vars = json_object()};
    json_t *p = NULL;
    int64_t party = 0;
    enum xrm_rc rc = XRM_OK;
    xrm_buf_init(&r.pdf, 0);
    if (!json_is_object(in)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
        goto out;
    }
    xrm_json_only_keys(in, NULL, keys, err);
    xrm_json_get_int(in, NULL, "party", 1, INT64_MAX, true, &party, err);
    xrm_json_get_str(in, NULL, "record", 40, false, &r.record, err);
    if (r.record)
        parse_record(r.record, &r.entity, &r.entity_id, err);
    if (err->rc) {
        rc = err->rc;
        goto out;
    }
    if ((rc = xrm_mail_template_load(ctx->db, id, &r.tmpl, err)))
        goto out;
    xrm_json_get_str(in, NULL, "lang", 2, false, &r.lang, err);
    if (r.lang && strcmp(r.lang, "nl") != 0 && strcmp(r.lang, "en") != 0) {
        rc = xrm_err_field(err, XRM_E_INVALID, "lang", "must be one of nl, en");
        goto out;
    }
    if (!r.lang)
        r.lang = str_of(r.tmpl, "lang");
    if ((rc = xrm_party_get(ctx, party, &p, err)))
        goto out;
    char sender[128];
    if ((rc = xrm_records_user_name(ctx->db, ctx->user.id, sender, sizeof(sender), err)))
        goto out;
    set(r.vars, "sender", sender[0] ? sender : ctx->user.name);
    /* a preview never sends a quote: the accept link is shown as a placeholder */
    if (r.entity && (strcmp(r.entity, "quote") == 0 || strcmp(r.entity, "invoice") == 0)) {
        bool quote = strcmp(r.entity, "quote") == 0;
        json_t *q = NULL;
        if ((rc = xrm_record_op_get(ctx, quote ? &xrm_quote_ops : &xrm_invoice_ops, r.entity_id, &q,
                                    err)))
            goto out;
        billing_vars(r.vars, q, quote, strcmp(r.lang, "nl") == 0);
        json_decref(q);
    } else if (r.entity && (rc = load_record(ctx, &r, err))) {
        goto out;
    }
    xrm_email_party_vars(p, r.lang, r.vars);
    char *subject = xrm_mail_render(str_of(r.tmpl, "subject"), r.vars);
    char *body = xrm_mail_render(str_of(r.tmpl, "body"), r.vars);
    *out = json_pack("{s:s, s:s}", "subject", subject, "body", body);
    free(subject);
    free(body);
out:
    json_decref(p);
    req_release(&r);
    return rc;
}

/* Press releases (pr's hook) */

enum xrm_rc xrm_email_press_tx(struct xrm_db *db, const struct xrm_user *user, json_t *release,
                               int64_t party, int64_t log_activity, bool *queued,
                               struct xrm_err *err)
{
    json_t *p = NULL, *tmpl = NULL, *vars = json_object();
    char *subject = NULL, *text = NULL;
    *queued = false;
    enum xrm_rc rc = xrm_party_load(db, party, &p, err);
    const char *to = rc ? NULL : email_of(p);
    if (rc || !to)
        goto out;
    if ((rc = xrm_mail_template_find(db, "press_release", "nl", &tmpl, err)))
        goto out;
    char sender[128] = "";
    if (user && user->id && (rc = xrm_records_user_name(db, user->id, sender, sizeof(sender), err)))
        goto out;
    set(vars, "sender", sender[0] ? sender : (user ? user->name : ""));
    set(vars, "title", str_of(release, "subject"));
    set(vars, "release", str_of(release, "body"));
    xrm_email_party_vars(p, "nl", vars);
    subject = xrm_mail_render(tmpl ? str_of(tmpl, "subject") : "{{title}}", vars);
    text = xrm_mail_render(tmpl ? str_of(tmpl, "body") : "{{release}}", vars);
    for (char *c = subject; *c; c++)
        if (*c == '\r' || *c == '\n')
            *c = ' ';
    struct xrm_mail m = {.domain = "pr",
                         .party = party,
                         .to = to,
                         .to_name = str_of(p, "name"),
                         .subject = subject,
                         .text = text,
                         .entity = "activity",
                         .entity_id = json_integer_value(json_object_get(release, "id")),
                         .activity = log_activity};
    if (!(rc = xrm_mail_queue_tx(db, user, &m, NULL, err)))
        *queued = true;
out:
    free(subject);
    free(text);
    json_decref(p);
    json_decref(tmpl);
    json_decref(vars);
    return rc;
}
