/*
 * Mail received in the demo data set (demo-mailin.h). The messages are
 * fixed texts dated the demo's today, delivered like a mail server's pipe
 * would (domain/mail/inbound.h), so `xrm demo` stays deterministic.
 */
#include "demo/demo-mailin.h"
#include "core/buf.h"
#include "domain/base/record.h"
#include "domain/mail/inbound.h"
#include "domain/mail/mailbox.h"
#include "domain/party/party.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

static enum xrm_rc mailbox(struct xrm_ctx *ctx, const char *name, const char *domain,
                           const char *bcc, int64_t *id, struct xrm_err *err)
{
    json_t *in = json_pack("{s:s, s:s, s:s?}", "name", name, "domain", domain, "bcc_address", bcc);
    json_t *out = NULL;
    enum xrm_rc rc = xrm_record_op_create(ctx, &xrm_mailbox_ops, in, &out, err);
    if (!rc)
        *id = json_integer_value(json_object_get(out, "id"));
    json_decref(in);
    json_decref(out);
    return rc;
}

static enum xrm_rc deliver(struct xrm_ctx *ctx, int64_t box, const char *date, const char *from,
                           const char *id, const char *subject, const char *text,
                           struct xrm_err *err)
{
    struct xrm_buf b = XRM_BUF_INIT;
    json_t *out = NULL;
    xrm_buf_addf(&b,
                 "From: %s\r\nTo: info@demo.xrm.nl\r\nSubject: %s\r\nDate: %s\r\n"
                 "Message-ID: <%s@demo.xrm.nl>\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
                 from, subject, date, id, text);
    enum xrm_rc rc = xrm_mail_deliver(ctx->store, NULL, NULL, box, b.s, b.len, &out, err);
    json_decref(out);
    xrm_buf_release(&b);
    return rc;
}

/* The e-mail address of the first customer that has one, into addr ("" when none). */
static enum xrm_rc customer_address(struct xrm_ctx *ctx, char *addr, size_t n, char *name,
                                    size_t nn, struct xrm_err *err)
{
    json_t *page = NULL, *p;
    size_t i;
    addr[0] = name[0] = '\0';
    enum xrm_rc rc = xrm_party_list(ctx, "role:customer kind:person", 50, NULL, &page, err);
    json_array_foreach(json_object_get(page, "items"), i, p)
    {
        json_t *e = json_array_get(json_object_get(p, "emails"), 0);
        const char *v = json_is_object(e) ? json_string_value(json_object_get(e, "value"))
                                          : json_string_value(e);
        if (rc || !v)
            continue;
        snprintf(addr, n, "%s", v);
        snprintf(name, nn, "%s", json_string_value(json_object_get(p, "name")));
        break;
    }
    json_decref(page);
    return rc;
}

enum xrm_rc xrm_demo_mailin_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    int64_t sales = 0, hr = 0;
    char date[64], addr[256], name[200], from[480];
    time_t today = time(NULL) / 86400 * 86400 + 8 * 3600; /* 08:00 UTC of the demo's today */
    struct tm tm;
    gmtime_r(&today, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    enum xrm_rc rc = mailbox(ctx, "Verkoop", "sales", "bcc@demo.xrm.nl", &sales, err);
    if (!rc)
        rc = mailbox(ctx, "HR", "hr", NULL, &hr, err);
    if (!rc)
        rc = customer_address(ctx, addr, sizeof addr, name, sizeof name, err);
    if (!rc && addr[0]) {
        snprintf(from, sizeof from, "%s <%s>", name, addr);
        rc = deliver(ctx, sales, date, from, "demo-klantvraag-1", "Vraag over de levering",
                     "Goedemorgen,\r\n\r\nWanneer wordt onze bestelling geleverd? Wij "
                     "verwachtten haar vorige week.\r\n\r\nMet vriendelijke groet,\r\n",
                     err);
    }
    if (!rc)
        rc = deliver(ctx, sales, date, "Sanne de Boer <sanne@bakkerij-deboer.example>",
                     "demo-onbekend-1", "Offerte voor onze drie winkels",
                     "Beste mensen,\r\n\r\nKunnen jullie een offerte maken voor onze drie "
                     "winkels in Zwolle? Graag voor eind van de maand.\r\n\r\nSanne de Boer",
                     err);
    if (!rc)
        rc = deliver(ctx, hr, date, "Mehmet Yilmaz <m.yilmaz@example.net>", "demo-sollicitatie-1",
                     "Open sollicitatie",
                     "Geachte heer, mevrouw,\r\n\r\nGraag stuur ik u mijn "
                     "open sollicitatie als magazijnmedewerker.\r\n\r\nMehmet Yilmaz",
                     err);
    if (!rc && progress)
        fprintf(progress, "demo: 2 mailboxes, 3 mails received (2 in review)\n");
    return rc;
}
