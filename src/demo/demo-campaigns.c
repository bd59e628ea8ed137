/*
 * The campaigns of the demo data set:
 *   - the neighbours of De Kade who are tagged "nieuwsbrief" signed up for
 *     the project's newsletter (a newsletter consent from the information
 *     evening's form), so they may be e-mailed;
 *   - a neighbour letter (pr) to the segment "Omwonenden De Kade", sent: one
 *     mail per neighbour who may be e-mailed, queued in the outbox (the demo
 *     sends no mail; `xrm serve --smtp` would deliver them), the others
 *     skipped with their reason, as its report shows;
 *   - a draft newsletter (sales) to the segment "Klanten: nieuwsbrief"
 *     (the customers), whose recipients the campaign wizard shows.
 * Everything goes through the public calls of the domain; the data is the
 * same on every run.
 */
#include "demo/demo-campaigns.h"
#include "domain/base/record.h"
#include "domain/mail/campaign.h"
#include "domain/party/party.h"
#include "domain/privacy/consent.h"
#include "domain/rules/segment.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/banned.h"

#define LETTER_BODY                                                                                \
    "Beste {{first_name}},\n\n"                                                                    \
    "Volgende week start de bouw van fase 2 van De Kade aan de Kanaalweg. Van maandag tot en "     \
    "met vrijdag rijden er tussen 7.00 en 16.00 uur bouwverkeer en betonwagens af en aan. De "     \
    "Kanaalweg blijft bereikbaar; de stoep aan de kant van de bouwplaats is afgesloten.\n\n"       \
    "Vragen? Bel de omgevingsmanager of kom naar het bouwspreekuur op woensdag.\n\n"               \
    "Met vriendelijke groet,\nHet projectteam De Kade\n\n"                                         \
    "Geen berichten meer over De Kade? Meld u af: {{unsubscribe_url}}\n"

#define NEWSLETTER_BODY                                                                            \
    "Beste {{first_name}},\n\n"                                                                    \
    "In deze nieuwsbrief: onze nieuwe showroom, de winteractie voor onderhoudscontracten en "      \
    "drie projecten waar we trots op zijn.\n\n"                                                    \
    "Met vriendelijke groet,\nHet team\n\n"                                                        \
    "Afmelden: {{unsubscribe_url}}\n"

static enum xrm_rc segment(struct xrm_ctx *ctx, const char *name, const char *query,
                           const char *description, int64_t *id, struct xrm_err *err)
{
    json_t *seg = NULL;
    json_t *in =
        json_pack("{s:s, s:s, s:s}", "name", name, "query", query, "description", description);
    enum xrm_rc rc = xrm_segment_create(ctx, in, &seg, err);
    if (!rc)
        *id = json_integer_value(json_object_get(seg, "id"));
    json_decref(in);
    json_decref(seg);
    return rc;
}

/* A newsletter consent for every party the query finds. */
static enum xrm_rc sign_up(struct xrm_ctx *ctx, const char *q, int *n, struct xrm_err *err)
{
    json_t *page = NULL;
    enum xrm_rc rc = xrm_party_list(ctx, q, XRM_LIST_MAX, NULL, &page, err);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(page, "items"), i, p)
    {
        if (rc)
            break;
        json_t *ev = NULL;
        json_t *in = json_pack("{s:s, s:b, s:s, s:s}", "purpose", "newsletter", "granted", 1,
                               "source", "aanmeldformulier informatieavond De Kade", "wording",
                               "Ja, ik ontvang graag de nieuwsbrief over de bouw van De Kade.");
        rc = xrm_consent_record(ctx, json_integer_value(json_object_get(p, "id")), in, &ev, err);
        json_decref(in);
        json_decref(ev);
        (*n)++;
    }
    json_decref(page);
    return rc;
}

static enum xrm_rc campaign(struct xrm_ctx *ctx, const char *name, int64_t seg, const char *subject,
                            const char *body, const char *domain, int64_t *id, struct xrm_err *err)
{
    json_t *c = NULL;
    json_t *in = json_pack("{s:s, s:I, s:s, s:s, s:s}", "name", name, "segment", (json_int_t)seg,
                           "subject", subject, "body", body, "domain", domain);
    enum xrm_rc rc = xrm_record_op_create(ctx, &xrm_campaign_ops, in, &c, err);
    if (!rc)
        *id = json_integer_value(json_object_get(c, "id"));
    json_decref(in);
    json_decref(c);
    return rc;
}

enum xrm_rc xrm_demo_campaigns_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    int64_t neighbours = 0, customers = 0, letter = 0, draft = 0;
    int signed_up = 0;
    json_t *sent = NULL;
    enum xrm_rc rc = sign_up(ctx, "tag:bouwproject-de-kade tag:nieuwsbrief", &signed_up, err);
    if (!rc)
        rc = segment(ctx, "Omwonenden De Kade", "tag:bouwproject-de-kade",
                     "Buren en belanghebbenden van Nieuwbouw De Kade", &neighbours, err);
    if (!rc)
        rc = campaign(ctx, "Bewonersbrief De Kade: start fase 2", neighbours,
                      "De Kade: start bouw fase 2", LETTER_BODY, "pr", &letter, err);
    if (!rc)
        rc = xrm_campaign_send(ctx, letter, &sent, err);
    if (!rc)
        rc = segment(ctx, "Klanten: nieuwsbrief", "role:customer",
                     "Klanten voor de nieuwsbrief (alleen wie gemaild mag worden krijgt hem)",
                     &customers, err);
    if (!rc)
        rc = campaign(ctx, "Nieuwsbrief december", customers, "Nieuws van ons: december",
                      NEWSLETTER_BODY, "sales", &draft, err);
    if (!rc && progress)
        fprintf(progress,
                "demo: %d newsletter sign-ups, a neighbour letter sent to %lld (%lld skipped), "
                "a draft newsletter\n",
                signed_up, (long long)json_integer_value(json_object_get(sent, "sent")),
                (long long)json_integer_value(json_object_get(sent, "skipped")));
    json_decref(sent);
    return rc;
}
