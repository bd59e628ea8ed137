/*
 * The demo data set: Bouwgroep Van Dijk B.V., a construction and
 * installation company in Utrecht, with its staff, customers, partners,
 * suppliers, press contacts and the neighbours of its building project
 * "Nieuwbouw De Kade", and about eighteen months of timeline.
 *
 * Everything goes through the validating insert functions that the API
 * and bulk import use (party with embedded roles, relationship, activity),
 * inside one write transaction: the data passes exactly the rules typed-in
 * data passes, and a failure leaves the database as it was. A xorshift
 * generator with a fixed seed makes every choice, so the data set is the
 * same on every run; dates are offsets from the day of loading, so the
 * timeline always ends today and open tasks are due around now.
 *
 * Identifiers are made, not invented: IBANs carry their mod-97 check
 * digits (and the old Dutch eleven-test on the account number), BTW-ids
 * pass the elfproef (or, for sole proprietors, the mod-97 check), KvK
 * numbers have eight digits, postcodes and phone numbers follow the Dutch
 * numbering plans.
 */
#include "demo/demo.h"
#include "demo/demo-access.h"
#include "demo/demo-hr-recruit.h" /* HR: recruitment, on- and offboarding */
#include "demo/demo-srm-pr.h"
#include "demo/demo-billing.h" /* quotes and invoices */
#include "demo/demo-sales.h"
#include "demo/demo-hr-org.h"     /* HR: the organisation */
#include "demo/demo-hr-absence.h" /* HR absence */
#include "demo/demo-partners.h"   /* partners */
#include "demo/demo-purchase.h"   /* purchase invoices */
#include "demo/demo-campaigns.h"  /* campaigns */
#include "demo/demo-mailin.h" /* mail received */
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/party/relationship.h"
#include "core/mem.h"
#include "core/util.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

#define DEMO_SEED 0x9e3779b97f4a7c15ULL
#define DAY 86400
#define WINDOW 535 /* days of timeline: about eighteen months */
#define MAXW 80    /* parties per group */
#define COMPANY_DOMAIN "bouwgroepvandijk.nl"
#define PROJECT "Nieuwbouw De Kade"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Flags of a party in a group. */
#define W_ORG 1u
#define W_STAFF 2u
#define W_PRESS 4u
#define W_PARTNER 8u
#define W_SUPPLIER 16u
#define W_NEIGHBOUR 32u
#define W_NEW 64u       /* employee in the first year */
#define W_TEMP 128u     /* employee on a temporary contract */
#define W_KEEN 256u     /* stakeholder with high interest */
#define W_REFERRED 512u /* customer referred by a partner (spec: the partner's index) */

/* A party kept for the timeline. */
struct who {
    int64_t id;
    int64_t contact; /* its contact person (organisations), or 0 */
    char name[100];
    char contact_name[100];
    char project[100]; /* what it buys or sells, for activity texts */
    const char *status;
    int since; /* days ago its role started */
    int until; /* days ago its role ended, or 0 */
    int score; /* satisfaction 0-10, rating 1-5, stance 0-2; -1 none */
    int spec;  /* index in its spec table */
    unsigned flags;
};

struct group {
    struct who w[MAXW];
    int n;
};

struct demo {
    struct xrm_db *db;
    const struct xrm_user *user;
    FILE *progress;
    uint64_t rng;
    time_t today; /* midnight UTC of the day of loading */
    json_t *seen; /* names, e-mail addresses, numbers handed out: all unique */
    json_t *acts; /* activities, inserted in time order at the end */
    int nparties, nroles, nrels, nacts;
    int next_customer, next_supplier;
    int64_t company, project, gemeente, residents, officer;
    struct group staff, applicants, leavers, customers, contacts, partners, suppliers, press,
        neighbours;
};

/* Texts with placeholders {n} name, {c} contact, {p} project, {s} other, {y} year. */
struct vars {
    const char *n, *c, *p, *s;
    int y;
};

/* Randomness: xorshift64*, fixed seed. */

static uint64_t rnd(struct demo *d)
{
    uint64_t x = d->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    d->rng = x;
    return x * 0x2545f4914f6cdd1dULL;
}

/* 0 .. n-1 */
static int upto(struct demo *d, int n)
{
    return (int)((rnd(d) >> 11) % (uint64_t)n);
}

static int range(struct demo *d, int lo, int hi)
{
    return lo + upto(d, hi - lo + 1);
}

static bool chance(struct demo *d, int pct)
{
    return upto(d, 100) < pct;
}

#define PICK(d, a) ((a)[upto((d), COUNT(a))])

/* Claims key as handed out; false when it was taken. */
static bool claim(struct demo *d, const char *key)
{
    if (json_object_get(d->seen, key))
        return false;
    json_object_set_new(d->seen, key, json_true());
    return true;
}

static struct who *push(struct group *g)
{
    if (g->n == MAXW)
        XRM_BUG("demo group full");
    struct who *w = &g->w[g->n++];
    memset(w, 0, sizeof(*w));
    w->score = -1;
    return w;
}

/* Dates and times, as days before the day of loading (negative: after it). */

static void date_ago(const struct demo *d, int days, char out[11])
{
    time_t t = d->today - (time_t)days * DAY;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static int year_ago(const struct demo *d, int days)
{
    time_t t = d->today - (time_t)days * DAY;
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

/* A moment in Dutch office hours on a working day, about days ago. */
static void time_ago(struct demo *d, int days, char out[XRM_TIME_LEN])
{
    time_t t = d->today - (time_t)days * DAY;
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_wday == 6)
        t -= DAY;
    else if (tm.tm_wday == 0)
        t -= 2 * DAY;
    t += (time_t)range(d, 78, 192) * 5 * 60; /* 06:30 .. 16:00 UTC */
    gmtime_r(&t, &tm);
    strftime(out, XRM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Names. */

static const char *const male[] = {
    "Jan",    "Pieter", "Kees",    "Henk",    "Bram",   "Daan",  "Sander",  "Mark",    "Ruud",
    "Joost",  "Wouter", "Thijs",   "Niels",   "Bas",    "Erik",  "Martijn", "Jeroen",  "Gert",
    "Rob",    "Frank",  "Stefan",  "Luuk",    "Tim",    "Jesse", "Koen",    "Dirk",    "Hans",
    "Wim",    "Arjen",  "Maarten", "Rik",     "Jasper", "Tom",   "Mohamed", "Youssef", "Mehmet",
    "Kevin",  "Dennis", "Ruben",   "Vincent", "Lars",   "Sem",   "Teun",    "Gijs",    "Hugo",
    "Jochem", "Marco",  "Patrick", "Remco",   "Edwin",  "Bart",  "Michiel", "Roel",    "Ahmed"};

static const char *const female[] = {
    "Anna",      "Sanne",   "Lotte",   "Eva",     "Marieke", "Inge",  "Linda",   "Femke",
    "Esther",    "Anouk",   "Lisa",    "Saskia",  "Monique", "Karin", "Ingrid",  "Petra",
    "Annemieke", "Ilse",    "Judith",  "Mirjam",  "Noor",    "Fleur", "Emma",    "Sophie",
    "Fatima",    "Yasmina", "Manon",   "Joyce",   "Anke",    "Els",   "Marloes", "Wendy",
    "Nicole",    "Mariska", "Hanneke", "Iris",    "Roos",    "Julia", "Naomi",   "Sara",
    "Merel",     "Elif",    "Bianca",  "Chantal", "Ellen",   "Loes",  "Renske",  "Nadia"};

static const char *const families[] = {
    "Jansen",     "Bakker",   "Visser",    "Smit",     "Meijer",      "Mulder",    "Bos",
    "Vos",        "Peters",   "Hendriks",  "Dekker",   "Brouwer",     "Dijkstra",  "Kok",
    "Verhoeven",  "Willems",  "Koster",    "Prins",    "Huisman",     "Kuipers",   "Vermeulen",
    "Schouten",   "Postma",   "Hoekstra",  "Scholten", "Maas",        "Kramer",    "Blom",
    "Timmermans", "Groen",    "Gerritsen", "Vink",     "Evers",       "Bosman",    "Verbeek",
    "Schipper",   "Sluiter",  "Koopman",   "Yilmaz",   "El Amrani",   "Kaya",      "Bouzid",
    "Tahiri",     "Hermans",  "Claassen",  "Wouters",  "Hoogendoorn", "Verschoor", "Rietveld",
    "Boersma",    "Ouwehand", "Nijhof",    "Zwart",    "Wessels",     "Smits",     "Lammers",
    "Veenstra",   "Molenaar", "Hofman",    "Kuiper",   "Baas",        "Roos"};

static const struct prefixed {
    const char *prefix, *family;
} prefixed[] = {
    {"de", "Vries"},   {"de", "Jong"},         {"van den", "Berg"},   {"van der", "Meer"},
    {"de", "Boer"},    {"van", "Leeuwen"},     {"van der", "Linden"}, {"van", "Beek"},
    {"de", "Graaf"},   {"van den", "Broek"},   {"ter", "Horst"},      {"van", "Vliet"},
    {"de", "Wit"},     {"van der", "Heijden"}, {"van", "Wijk"},       {"de", "Haan"},
    {"van", "Dam"},    {"ter", "Haar"},        {"van den", "Heuvel"}, {"de", "Groot"},
    {"van", "Rijn"},   {"de", "Bruijn"},       {"van der", "Veen"},   {"van", "Essen"},
    {"ten", "Brink"},  {"van", "Loon"},        {"de", "Lange"},       {"van der", "Wal"},
    {"van", "Zanten"}, {"van", "Ommen"},       {"ter", "Beek"},       {"van", "Doorn"},
    {"de", "Ridder"},  {"van der", "Steen"},   {"van", "Kampen"},     {"van 't", "Hof"}};

static const char *const providers[] = {"gmail.com", "gmail.com",  "hotmail.com", "outlook.com",
                                        "ziggo.nl",  "kpnmail.nl", "live.nl",     "xs4all.nl",
                                        "planet.nl", "icloud.com", "hetnet.nl",   "casema.nl"};

struct name {
    const char *given, *prefix, *family;
};

static void full_name(const struct name *n, char *out, size_t len)
{
    snprintf(out, len, "%s %s%s%s", n->given, n->prefix ? n->prefix : "", n->prefix ? " " : "",
             n->family);
}

/* Claims a name; false when somebody already has it. */
static bool claim_name(struct demo *d, const struct name *n)
{
    char key[140], full[100];
    full_name(n, full, sizeof(full));
    snprintf(key, sizeof(key), "name:%s", full);
    return claim(d, key);
}

/* A new person's name; a third carry a family-name prefix. */
static void new_name(struct demo *d, struct name *n)
{
    do {
        n->given = chance(d, 50) ? PICK(d, male) : PICK(d, female);
        if (chance(d, 33)) {
            const struct prefixed *p = &prefixed[upto(d, COUNT(prefixed))];
            n->prefix = p->prefix;
            n->family = p->family;
        } else {
            n->prefix = NULL;
            n->family = PICK(d, families);
        }
    } while (!claim_name(d, n));
}

/* Lower-case ASCII letters of s: "van 't Hof" -> "vanthof". */
static void slug(const char *s, char *out, size_t n)
{
    size_t o = 0;
    for (; *s && o + 1 < n; s++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[o++] = c;
    }
    out[o] = '\0';
}

/*
 * An e-mail address of n at domain: style 0 "jan.devries", 1 "j.devries",
 * 2 "jandevries" plus a number (private mailboxes). Unique.
 */
static void email_of(struct demo *d, const struct name *n, const char *domain, int style, char *out,
                     size_t len)
{
    char given[40], family[60], key[200];
    slug(n->given, given, sizeof(given));
    snprintf(key, sizeof(key), "%s%s", n->prefix ? n->prefix : "", n->family);
    slug(key, family, sizeof(family));
    for (int attempt = 0;; attempt++) {
        if (style == 0 && attempt == 0)
            snprintf(out, len, "%s.%s@%s", given, family, domain);
        else if (style == 1 && attempt == 0)
            snprintf(out, len, "%c.%s@%s", given[0], family, domain);
        else if (style == 1 || style == 0)
            snprintf(out, len, "%s.%s%d@%s", given, family, attempt + 1, domain);
        else
            snprintf(out, len, "%s%s%d@%s", given, family, range(d, 60, 99), domain);
        snprintf(key, sizeof(key), "mail:%s", out);
        if (claim(d, key))
            return;
    }
}

static void private_email(struct demo *d, const struct name *n, char *out, size_t len)
{
    email_of(d, n, PICK(d, providers), upto(d, 3), out, len);
}

/* Places. */

enum city_id {
    UTRECHT,
    NIEUWEGEIN,
    HOUTEN,
    ZEIST,
    DE_BILT,
    BILTHOVEN,
    MAARSSEN,
    IJSSELSTEIN,
    AMERSFOORT,
    WOERDEN,
    VIANEN,
    LOMBOK, /* Utrecht, around the building site */
};

static const struct city {
    const char *name, *area;
    int pc_lo, pc_hi;
    const char *streets[8];
} cities[] = {
    [UTRECHT] = {"Utrecht",
                 "030",
                 3512,
                 3585,
                 {"Amsterdamsestraatweg", "Biltstraat", "Adriaen van Ostadelaan",
                  "Burgemeester Reigerstraat", "Croeselaan", "Merelstraat", "Laan van Nieuw-Guinea",
                  "Hooft Graaflandstraat"}},
    [NIEUWEGEIN] = {"Nieuwegein",
                    "030",
                    3431,
                    3439,
                    {"Herenstraat", "Dukatenburg", "Wiersdijk", "Batauweg", "Zuidstedeweg",
                     "Galecopperlaan", "Lekboulevard", "Schansbos"}},
    [HOUTEN] = {"Houten",
                "030",
                3991,
                3998,
                {"Loerikseweg", "Het Rond", "Lobbendijk", "Molenzoom", "Burgemeester Wallerweg",
                 "Vlierhof", "Oude Dijk", "Tuindersweg"}},
    [ZEIST] = {"Zeist",
               "030",
               3701,
               3709,
               {"Slotlaan", "Driebergseweg", "Laan van Vollenhove", "Utrechtseweg", "Huydecoperweg",
                "Boulevard", "Montaubanstraat", "Jagerlaan"}},
    [DE_BILT] = {"De Bilt",
                 "030",
                 3731,
                 3734,
                 {"Dorpsstraat", "Soestdijkseweg Zuid", "Groenekanseweg", "Looydijk", "Kometenlaan",
                  "Hessenweg", "Planetenbaan", "Burgemeester de Withstraat"}},
    [BILTHOVEN] = {"Bilthoven",
                   "030",
                   3721,
                   3723,
                   {"Julianalaan", "Soestdijkseweg Noord", "Jan Steenlaan", "Van Dijcklaan",
                    "Emmalaan", "Gezichtslaan", "Berlagelaan", "Rembrandtlaan"}},
    [MAARSSEN] = {"Maarssen",
                  "0346",
                  3601,
                  3608,
                  {"Straatweg", "Bisonspoor", "Zuilenselaan", "Kaatsbaan", "Binnenweg",
                   "Harmonielaan", "Vogelweide", "Diependaalsedijk"}},
    [IJSSELSTEIN] = {"IJsselstein",
                     "030",
                     3401,
                     3404,
                     {"Utrechtsestraat", "Benedeneind", "Achtersloot", "Baronieweg", "Oranjelaan",
                      "Eiteren", "Kronenburgplantsoen", "Podium"}},
    [AMERSFOORT] = {"Amersfoort",
                    "033",
                    3811,
                    3829,
                    {"Leusderweg", "Utrechtseweg", "Hogeweg", "Kamp", "Stationsplein",
                     "Vathorsterweg", "Ringweg Kattenbroek", "Heiligenbergerweg"}},
    [WOERDEN] = {"Woerden",
                 "0348",
                 3441,
                 3449,
                 {"Rijnstraat", "Leidsestraatweg", "Havenstraat", "Steinhagenseweg", "Boerendijk",
                  "Touwslagersbaan", "Middellandbaan", "Oudelandseweg"}},
    [VIANEN] = {"Vianen",
                "0347",
                4131,
                4133,
                {"Voorstraat", "Lange Dreef", "Lekdijk", "Hagenweg", "Sportlaan", "Stuartweg",
                 "Industrieweg", "Buitenstad"}},
    [LOMBOK] = {"Utrecht",
                "030",
                3531,
                3532,
                {"Kanaalweg", "Damstraat", "Jan Pieterszoon Coenstraat", "Bilderdijkstraat",
                 "Vleutenseweg", "Kanaalstraat", "Cornelis Evertsenstraat",
                 "Willem Barentszstraat"}},
};

/* Where private customers live: mostly in the city itself. */
static const enum city_id home_cities[] = {
    UTRECHT,     UTRECHT,    UTRECHT, UTRECHT, UTRECHT, UTRECHT,   NIEUWEGEIN,
    NIEUWEGEIN,  HOUTEN,     HOUTEN,  ZEIST,   DE_BILT, BILTHOVEN, MAARSSEN,
    IJSSELSTEIN, AMERSFOORT, WOERDEN, VIANEN,  UTRECHT, NIEUWEGEIN};

/* A postcode of the city: four digits, two letters (never SA, SD or SS). */
static void postcode(struct demo *d, const struct city *c, char out[8])
{
    static const char letters[] = "ABCDEGHJKLMNPRSTVWXZ";
    char a, b;
    do {
        a = letters[upto(d, (int)sizeof(letters) - 1)];
        b = letters[upto(d, (int)sizeof(letters) - 1)];
    } while (a == 'S' && (b == 'A' || b == 'D' || b == 'S'));
    snprintf(out, 8, "%d %c%c", range(d, c->pc_lo, c->pc_hi), a, b);
}

/* A phone number: mobile ("06 12345678") when area is NULL, else a landline. */
static void phone(struct demo *d, const char *area, char *out, size_t n)
{
    char key[40];
    do {
        if (!area)
            snprintf(out, n, "06 %d%07d", range(d, 1, 5), upto(d, 10000000));
        else if (strlen(area) == 3)
            snprintf(out, n, "%s %d%02d %04d", area, range(d, 2, 9), upto(d, 100), upto(d, 10000));
        else
            snprintf(out, n, "%s %d%05d", area, range(d, 2, 9), upto(d, 100000));
        snprintf(key, sizeof(key), "tel:%s", out);
    } while (!claim(d, key));
}

/* Identifiers. */

/* ISO 7064 mod 97 of digits and upper-case letters (A = 10 .. Z = 35). */
static unsigned mod97(const char *s)
{
    unsigned r = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            r = (r * 10 + (unsigned)(*s - '0')) % 97;
        else
            r = (r * 100 + (unsigned)(*s - 'A' + 10)) % 97;
    }
    return r;
}

static void kvk(struct demo *d, char out[9])
{
    char key[16];
    do {
        if (chance(d, 40))
            snprintf(out, 9, "30%06d", upto(d, 1000000));
        else
            snprintf(out, 9, "%d%07d", range(d, 5, 9), upto(d, 10000000));
        snprintf(key, sizeof(key), "kvk:%s", out);
    } while (!claim(d, key));
}

/*
 * BTW-id. A legal person's is its RSIN (nine digits passing the elfproef:
 * 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11) plus "B01"; a sole
 * proprietor's, since 2020, is any number whose whole text passes mod 97.
 */
static void btw(struct demo *d, bool sole, char out[15])
{
    char key[24];
    do {
        if (sole) {
            do
                snprintf(out, 15, "NL%09dB%02d", upto(d, 1000000000), range(d, 1, 99));
            while (mod97(out) != 1);
        } else {
            int dg[9], sum, o = 2;
            do {
                dg[0] = chance(d, 70) ? 8 : range(d, 1, 9);
                sum = dg[0] * 9;
                for (int i = 1; i < 8; i++) {
                    dg[i] = upto(d, 10);
                    sum += dg[i] * (9 - i);
                }
                dg[8] = sum % 11;
            } while (dg[8] == 10);
            out[0] = 'N';
            out[1] = 'L';
            for (int i = 0; i < 9; i++)
                out[o++] = (char)('0' + dg[i]);
            memcpy(out + o, "B01", 4);
        }
        snprintf(key, sizeof(key), "btw:%s", out);
    } while (!claim(d, key));
}

/*
 * A Dutch IBAN: bank code and ten-digit account, which (except at ING,
 * the former Postbank) passes the old eleven-test; check digits by mod 97.
 */
static void iban(struct demo *d, char out[32])
{
    static const char *const banks[] = {"RABO", "RABO", "RABO", "INGB", "INGB", "ABNA",
                                        "ABNA", "SNSB", "TRIO", "KNAB", "ASNB", "BUNQ"};
    char acct[11], text[24], key[40];
    do {
        const char *bank = PICK(d, banks);
        if (strcmp(bank, "INGB") == 0) {
            snprintf(acct, sizeof(acct), "000%07d", range(d, 1000000, 9999999));
        } else {
            int sum;
            do {
                sum = 0;
                for (int i = 0; i < 10; i++) {
                    acct[i] = (char)('0' + (i == 0 ? upto(d, 5) : upto(d, 10)));
                    sum += (acct[i] - '0') * (10 - i);
                }
                acct[10] = '\0';
            } while (sum % 11 != 0 || acct[1] == '0');
        }
        snprintf(text, sizeof(text), "%s%sNL00", bank, acct);
        snprintf(out, 32, "NL%02u %s %.4s %.4s %.2s", 98 - mod97(text), bank, acct, acct + 4,
                 acct + 8);
        snprintf(key, sizeof(key), "iban:%s", out);
    } while (!claim(d, key));
}

/* Party input. */

static json_t *person(const struct name *n)
{
    json_t *p = json_pack("{s:s, s:s, s:s}", "kind", "person", "given_name", n->given,
                          "family_name", n->family);
    if (n->prefix)
        json_object_set_new(p, "family_prefix", json_string(n->prefix));
    return p;
}

static json_t *organisation(const char *name)
{
    return json_pack("{s:s, s:s}", "kind", "organization", "name", name);
}

static json_t *list_of(json_t *p, const char *key)
{
    json_t *a = json_object_get(p, key);
    if (!a) {
        a = json_array();
        json_object_set_new(p, key, a);
    }
    return a;
}

static void add_point(json_t *p, const char *key, const char *label, const char *value)
{
    json_array_append_new(list_of(p, key), json_pack("{s:s, s:s}", "label", label, "value", value));
}

static void add_address(json_t *p, const char *label, const char *street, const char *nr,
                        const char *pc, const char *city)
{
    json_array_append_new(list_of(p, "addresses"),
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "label", label, "street",
                                    street, "house_number", nr, "postcode", pc, "city", city,
                                    "country", "NL"));
}

/* An address on street (NULL: one of the city's) with a house number and postcode. */
static void add_place(struct demo *d, json_t *p, const char *label, enum city_id c,
                      const char *street, bool business)
{
    const struct city *city = &cities[c];
    char nr[16], pc[8];
    int n = business ? range(d, 1, 260) : range(d, 1, 180);
    if (!business && chance(d, 12))
        snprintf(nr, sizeof(nr), "%d%c", n, "ABC"[upto(d, 3)]);
    else if (!business && chance(d, 8))
        snprintf(nr, sizeof(nr), "%d-%d", n, range(d, 1, 3));
    else
        snprintf(nr, sizeof(nr), "%d", n);
    postcode(d, city, pc);
    add_address(p, label, street ? street : city->streets[upto(d, 8)], nr, pc, city->name);
}

static void add_tags(json_t *p, const char *tags)
{
    const char *s = tags;
    while (s && *s) {
        const char *end = strchr(s, ' ');
        size_t n = end ? (size_t)(end - s) : strlen(s);
        json_array_append_new(list_of(p, "tags"), json_stringn(s, n));
        s += n;
        while (*s == ' ')
            s++;
    }
}

static void set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, json_string(v));
}

static void set_int(json_t *o, const char *key, int64_t v)
{
    json_object_set_new(o, key, json_integer(v));
}

static void set_date(struct demo *d, json_t *o, const char *key, int days)
{
    char date[11];
    date_ago(d, days, date);
    set_str(o, key, date);
}

/* Identifiers of an organisation: KvK always, the rest when asked. */
static void add_ids(struct demo *d, json_t *p, bool vat, bool sole, bool bank)
{
    char buf[32];
    kvk(d, buf);
    set_str(p, "kvk", buf);
    if (vat) {
        btw(d, sole, buf);
        set_str(p, "vat", buf);
    }
    if (bank) {
        iban(d, buf);
        set_str(p, "iban", buf);
    }
}

/*
 * Adds a role to party input p, since and until in days ago (-1: none).
 * Returns its attributes object (borrowed) to be filled.
 */
static json_t *add_role(struct demo *d, json_t *p, const char *type, const char *status, int since,
                        int until)
{
    json_t *attrs = json_object();
    json_t *r = json_pack("{s:s, s:s, s:o}", "type", type, "status", status, "attributes", attrs);
    if (since >= 0)
        set_date(d, r, "since", since);
    if (until >= 0)
        set_date(d, r, "until", until);
    json_array_append_new(list_of(p, "roles"), r);
    return attrs;
}

/* Customer attributes. satisfaction -1: not asked yet. */
static void customer_attrs(struct demo *d, json_t *a, const char *status, const char *segment,
                           int satisfaction, int terms, bool managed)
{
    char no[16];
    if (strcmp(status, "lead") != 0) {
        d->next_customer += range(d, 1, 9);
        snprintf(no, sizeof(no), "K%05d", d->next_customer);
        set_str(a, "customer_number", no);
    }
    if (managed && d->user->id > 0)
        set_int(a, "account_manager", d->user->id);
    set_str(a, "segment", segment);
    if (satisfaction >= 0)
        set_int(a, "satisfaction", satisfaction);
    set_int(a, "payment_terms_days", terms);
}

/* How satisfied a customer with a finished job is: mostly content. */
static int satisfaction(struct demo *d)
{
    int r = upto(d, 100);
    if (r < 30)
        return range(d, 9, 10);
    if (r < 75)
        return range(d, 7, 8);
    if (r < 88)
        return 6;
    return range(d, 3, 5);
}

/* Rewrites err's message to name the demo record that failed. */
static enum xrm_rc failed(struct xrm_err *err, enum xrm_rc rc, const char *what)
{
    char m[sizeof(err->message)];
    snprintf(m, sizeof(m), "demo %.90s: %.150s", what,
             err->message[0] ? err->message : xrm_rc_name(rc));
    memcpy(err->message, m, sizeof(m));
    err->rc = rc;
    return rc;
}

/* Inserts party input p (consumed); *id gets its id. */
static enum xrm_rc add_party(struct demo *d, json_t *p, int64_t *id, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_party_insert_tx(d->db, d->user, p, true, id, err);
    if (rc) {
        char what[120];
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *g = json_string_value(json_object_get(p, "given_name"));
        const char *pre = json_string_value(json_object_get(p, "family_prefix"));
        const char *f = json_string_value(json_object_get(p, "family_name"));
        if (name)
            snprintf(what, sizeof(what), "party '%.80s'", name);
        else
            snprintf(what, sizeof(what), "party '%.30s %.10s%s%.40s'", g ? g : "", pre ? pre : "",
                     pre ? " " : "", f ? f : "");
        failed(err, rc, what);
    } else {
        d->nparties++;
        d->nroles += (int)json_array_size(json_object_get(p, "roles"));
    }
    json_decref(p);
    return rc;
}

/* A relationship of type from -> to, since / until days ago (-1: open). */
static enum xrm_rc link(struct demo *d, const char *type, int64_t from, int64_t to, int since,
                        int until, struct xrm_err *err)
{
    json_t *in =
        json_pack("{s:s, s:I, s:I}", "type", type, "from", (json_int_t)from, "to", (json_int_t)to);
    if (since >= 0)
        set_date(d, in, "since", since);
    if (until >= 0)
        set_date(d, in, "until", until);
    enum xrm_rc rc = xrm_relationship_insert_tx(d->db, d->user, in, "", NULL, err);
    json_decref(in);
    if (rc) {
        char what[120];
        snprintf(what, sizeof(what), "relationship %s from party %lld to party %lld", type,
                 (long long)from, (long long)to);
        return failed(err, rc, what);
    }
    d->nrels++;
    return XRM_OK;
}

/* Activities: queued here, inserted in time order by insert_activities. */

static void expand(const char *t, const struct vars *v, char *out, size_t n)
{
    size_t o = 0;
    char year[8];
    snprintf(year, sizeof(year), "%d", v->y);
    while (*t && o + 1 < n) {
        const char *sub = NULL;
        bool known = t[0] == '{' && t[1] && t[2] == '}' && strchr("ncpsy", t[1]);
        if (!known) {
            out[o++] = *t++;
            continue;
        }
        switch (t[1]) {
        case 'n':
            sub = v->n;
            break;
        case 'c':
            sub = v->c;
            break;
        case 'p':
            sub = v->p;
            break;
        case 's':
            sub = v->s;
            break;
        default:
            sub = year;
            break;
        }
        for (; sub && *sub && o + 1 < n; sub++)
            out[o++] = *sub;
        t += 3;
    }
    out[o] = '\0';
}

/* An activity of days ago on party p1 (and p2 when non-zero); returns it (borrowed). */
static json_t *act(struct demo *d, const char *type, const char *domain, int days, int64_t p1,
                   int64_t p2, const char *subject, const char *body, const struct vars *v)
{
    char at[XRM_TIME_LEN], s[512], b[2048];
    struct vars lv = v ? *v : (struct vars){0};
    if (days < 1)
        days = 1;
    if (days > WINDOW) /* the data set shows the last eighteen months */
        days = WINDOW - upto(d, 10);
    if (!lv.y)
        lv.y = year_ago(d, days);
    time_ago(d, days, at);
    expand(subject, &lv, s, sizeof(s));
    json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:[I]}", "type", type, "domain", domain, "subject",
                          s, "at", at, "parties", (json_int_t)p1);
    if (body) {
        expand(body, &lv, b, sizeof(b));
        set_str(a, "body", b);
    }
    if (p2 && p2 != p1)
        json_array_append_new(json_object_get(a, "parties"), json_integer(p2));
    json_array_append_new(d->acts, a);
    return a;
}

static void also(json_t *a, int64_t party)
{
    json_t *ps = json_object_get(a, "parties");
    size_t i;
    json_t *v;
    json_array_foreach(ps, i, v)
    {
        if (json_integer_value(v) == party)
            return;
    }
    json_array_append_new(ps, json_integer(party));
}

/* A task of days ago, due due_in days later; mostly done once well past due. */
static json_t *task(struct demo *d, const char *domain, int days, int due_in, int64_t p1,
                    int64_t p2, const char *subject, const char *body, const struct vars *v)
{
    char due[11];
    if (days < 1)
        days = 1;
    json_t *a = act(d, "task", domain, days, p1, p2, subject, body, v);
    int due_days = days - due_in;
    date_ago(d, due_days, due);
    set_str(a, "due", due);
    /* Old tasks were all done; a few recent ones are overdue. */
    bool done = due_days > 60 || (due_days > 3 ? chance(d, 85) : chance(d, due_days > 0 ? 30 : 5));
    json_object_set_new(a, "done", json_boolean(done));
    if (d->user->id > 0)
        set_int(a, "assignee", d->user->id);
    return a;
}

static void survey(struct demo *d, const char *domain, int days, int64_t p1, int score,
                   const char *subject, const char *body, const struct vars *v)
{
    json_t *a = act(d, "survey", domain, days, p1, 0, subject, body, v);
    set_int(a, "score", score);
}

/* A meeting planned for days ahead (negative days ago), arranged a while back. */
static void planned_meeting(struct demo *d, const char *domain, int ahead, int64_t p1, int64_t p2,
                            const char *subject, const char *body, const struct vars *v)
{
    char due[11], when[XRM_TIME_LEN];
    json_t *a = act(d, "meeting", domain, range(d, 2, 12), p1, p2, subject, body, v);
    date_ago(d, -ahead, due);
    snprintf(when, sizeof(when), "%sT%02d:%s:00Z", due, range(d, 7, 14),
             chance(d, 50) ? "00" : "30");
    set_str(a, "due", when);
}

static int by_at(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return strcmp(json_string_value(json_object_get(x, "at")),
                  json_string_value(json_object_get(y, "at")));
}

static enum xrm_rc insert_activities(struct demo *d, struct xrm_err *err)
{
    size_t n = json_array_size(d->acts);
    json_t **v = xrm_calloc(n ? n : 1, sizeof(*v));
    enum xrm_rc rc = XRM_OK;
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(d->acts, i);
    qsort(v, n, sizeof(*v), by_at); /* ids follow time, as when typed in over the months */
    for (size_t i = 0; i < n && !rc; i++) {
        rc = xrm_activity_insert_tx(d->db, d->user, v[i], "", NULL, err);
        if (rc) {
            char what[120];
            snprintf(what, sizeof(what), "activity '%.60s' of %.20s",
                     json_string_value(json_object_get(v[i], "subject")),
                     json_string_value(json_object_get(v[i], "at")));
            failed(err, rc, what);
        } else {
            d->nacts++;
        }
    }
    free(v);
    return rc;
}

/* The company and its building project. */

static enum xrm_rc load_company(struct demo *d, struct xrm_err *err)
{
    json_t *p = organisation("Bouwgroep Van Dijk B.V.");
    enum xrm_rc rc;
    char buf[32];

    set_str(p, "legal_name", "Bouwgroep Van Dijk B.V.");
    set_str(p, "trade_name", "Bouwgroep Van Dijk");
    add_point(p, "emails", "work", "info@" COMPANY_DOMAIN);
    add_point(p, "emails", "facturen", "facturen@" COMPANY_DOMAIN);
    add_point(p, "phones", "work", "030 262 4410");
    add_point(p, "phones", "storingsdienst", "030 262 4499");
    add_point(p, "websites", "work", "https://www." COMPANY_DOMAIN);
    add_address(p, "work", "Cartesiusweg", "120", "3534 BD", "Utrecht");
    add_ids(d, p, true, false, true);
    add_tags(p, "eigen-organisatie");
    json_object_set_new(p, "custom",
                        json_pack("{s:i, s:s}", "opgericht", 1987, "cao", "Bouw & Infra"));
    rc = add_party(d, p, &d->company, err);
    if (rc)
        return rc;

    p = organisation("Projectorganisatie " PROJECT);
    add_point(p, "emails", "omgeving", "omgeving@dekade-utrecht.nl");
    phone(d, "030", buf, sizeof(buf));
    add_point(p, "phones", "bewonerslijn", buf);
    add_point(p, "websites", "work", "https://www.dekade-utrecht.nl");
    add_address(p, "bouwplaats", "Kanaalweg", "2", "3531 HK", "Utrecht");
    add_tags(p, "bouwproject-de-kade");
    json_object_set_new(p, "custom",
                        json_pack("{s:s, s:i, s:s}", "project", PROJECT, "woningen", 86,
                                  "opdrachtgever", "Woonstichting Domstad"));
    rc = add_party(d, p, &d->project, err);
    if (!rc)
        rc = link(d, "subsidiary_of", d->project, d->company, 500, -1, err);
    return rc;
}

/* Staff. */

static const struct staff_spec {
    const char *job, *dept;
    int manager; /* index in this table; -1 none */
    const char *contract;
    double hours;
    int salary;   /* gross per month in euros, before a random raise; 0 none */
    int years;    /* about this long in service */
    int customer; /* also a private customer: 1 active, 2 former */
} staff[] = {
    /* 0 */ {"directeur-eigenaar", "Directie", -1, "permanent", 40, 8500, 22, 0},
    /* 1 */ {"operationeel directeur", "Directie", 0, "permanent", 40, 7100, 9, 0},
    /* 2 */ {"office manager", "Bedrijfsbureau", 0, "permanent", 32, 3900, 14, 0},
    /* 3 */ {"financieel administrateur", "Bedrijfsbureau", 2, "permanent", 36, 4100, 7, 1},
    /* 4 */ {"HR-adviseur", "Bedrijfsbureau", 2, "permanent", 24, 4000, 3, 0},
    /* 5 */ {"administratief medewerker", "Bedrijfsbureau", 2, "temporary", 32, 2750, 0, 0},
    /* 6 */
    {"medewerker marketing en communicatie", "Bedrijfsbureau", 2, "permanent", 24, 3450, 2, 0},
    /* 7 */ {"inkoper", "Inkoop", 1, "permanent", 40, 4200, 6, 0},
    /* 8 */ {"hoofd calculatie", "Calculatie", 1, "permanent", 40, 5400, 12, 0},
    /* 9 */ {"calculator", "Calculatie", 8, "permanent", 40, 4300, 5, 1},
    /* 10 */ {"calculator", "Calculatie", 8, "permanent", 38.5, 3900, 1, 0},
    /* 11 */ {"projectleider", "Projecten", 1, "permanent", 40, 5300, 10, 0},
    /* 12 */ {"projectleider", "Projecten", 1, "permanent", 40, 5000, 4, 0},
    /* 13 */ {"projectleider", "Projecten", 1, "permanent", 36, 4900, 3, 0},
    /* 14 */ {"werkvoorbereider", "Projecten", 11, "permanent", 40, 3900, 6, 0},
    /* 15 */ {"werkvoorbereider", "Projecten", 12, "permanent", 40, 3700, 2, 0},
    /* 16 */ {"werkvoorbereider", "Projecten", 13, "temporary", 40, 3400, 0, 0},
    /* 17 */ {"uitvoerder", "Projecten", 11, "permanent", 40, 4400, 15, 2},
    /* 18 */ {"uitvoerder", "Projecten", 11, "permanent", 40, 4200, 8, 0},
    /* 19 */ {"uitvoerder", "Projecten", 12, "permanent", 40, 4100, 5, 0},
    /* 20 */ {"uitvoerder", "Projecten", 13, "permanent", 40, 3900, 2, 0},
    /* 21 */ {"BIM-modelleur", "Projecten", 12, "permanent", 40, 3800, 2, 0},
    /* 22 */ {"timmerman", "Bouwplaats", 17, "permanent", 40, 3300, 11, 0},
    /* 23 */ {"timmerman", "Bouwplaats", 17, "permanent", 40, 3200, 6, 0},
    /* 24 */ {"timmerman", "Bouwplaats", 18, "freelance", 40, 0, 1, 0},
    /* 25 */ {"metselaar", "Bouwplaats", 18, "permanent", 40, 3250, 9, 0},
    /* 26 */ {"metselaar", "Bouwplaats", 19, "temporary", 40, 3000, 0, 0},
    /* 27 */ {"hoofd installatietechniek", "Installatietechniek", 1, "permanent", 40, 5200, 13, 0},
    /* 28 */ {"monteur elektrotechniek", "Installatietechniek", 27, "permanent", 40, 3400, 8, 1},
    /* 29 */ {"monteur elektrotechniek", "Installatietechniek", 27, "permanent", 40, 3200, 4, 0},
    /* 30 */ {"monteur elektrotechniek", "Installatietechniek", 27, "temporary", 40, 2900, 1, 0},
    /* 31 */ {"monteur W-installaties", "Installatietechniek", 27, "permanent", 40, 3350, 10, 0},
    /* 32 */ {"monteur W-installaties", "Installatietechniek", 27, "permanent", 40, 3150, 3, 0},
    /* 33 */ {"leerling-monteur (BBL)", "Installatietechniek", 27, "intern", 32, 1450, 0, 0},
    /* 34 */ {"servicecoördinator", "Service en onderhoud", 1, "permanent", 40, 4000, 7, 0},
    /* 35 */ {"servicemonteur", "Service en onderhoud", 34, "permanent", 40, 3300, 5, 1},
    /* 36 */ {"servicemonteur", "Service en onderhoud", 34, "zero_hours", 16, 0, 1, 0},
};

static json_t *number(double v)
{
    return v == (double)(int64_t)v ? json_integer((json_int_t)v) : json_real(v);
}

/* Home contact points of a person: private e-mail (often), mobile, address. */
static void add_home(struct demo *d, json_t *p, const struct name *n, enum city_id city,
                     int mail_pct)
{
    char buf[160];
    if (chance(d, mail_pct)) {
        private_email(d, n, buf, sizeof(buf));
        add_point(p, "emails", "home", buf);
    }
    if (!json_object_get(p, "phones")) { /* a work mobile serves for both */
        phone(d, NULL, buf, sizeof(buf));
        add_point(p, "phones", "mobile", buf);
    }
    if (chance(d, 25)) {
        phone(d, cities[city].area, buf, sizeof(buf));
        add_point(p, "phones", "home", buf);
    }
    add_place(d, p, "home", city, NULL, false);
}

static const char *const private_projects[] = {
    "badkamerrenovatie",  "badkamerrenovatie", "keukenrenovatie",
    "dakkapel",           "aanbouw",           "warmtepomp",
    "zonnepanelen",       "spouwmuurisolatie", "zolderverbouwing",
    "kozijnvervanging",   "vloerverwarming",   "nieuwe groepenkast",
    "uitbouw woonkeuken", "toiletrenovatie",   "hybride warmtepomp"};

static enum xrm_rc load_staff(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char buf[160], no[16];

    for (int i = 0; i < COUNT(staff) && !rc; i++) {
        const struct staff_spec *s = &staff[i];
        struct name n;
        if (i == 0) {
            n = (struct name){"Gerrit", "van", "Dijk"};
            claim_name(d, &n);
        } else {
            new_name(d, &n);
        }
        enum city_id city = PICK(d, home_cities);
        int since = s->years ? s->years * 365 + range(d, -120, 120) : range(d, 25, 330);
        json_t *p = person(&n);
        email_of(d, &n, COMPANY_DOMAIN, 0, buf, sizeof(buf));
        add_point(p, "emails", "work", buf);
        add_home(d, p, &n, city, s->customer ? 100 : 30);
        iban(d, buf);
        set_str(p, "iban", buf);

        json_t *a = add_role(d, p, "employee", "active", since, -1);
        snprintf(no, sizeof(no), "VD%04d", 1 + i);
        set_str(a, "employee_number", no);
        set_str(a, "job_title", s->job);
        set_int(a, "department", xrm_demo_hr_org_department(s->dept)); /* HR: organisation */
        if (s->manager >= 0)
            set_int(a, "manager", d->staff.w[s->manager].id);
        set_date(d, a, "start_date", since);
        set_str(a, "contract_type", s->contract);
        json_object_set_new(a, "hours_per_week", number(s->hours));
        if (s->salary)
            set_int(a, "salary", (int64_t)(s->salary + range(d, 0, 30) * 5) * 100);

        struct who *c = NULL;
        if (s->customer) {
            /* The colleague who is also a customer: a job at home on staff terms. */
            bool former = s->customer == 2;
            int csince = former ? range(d, 400, 700) : range(d, 90, 360);
            int cuntil = former ? csince - range(d, 120, 200) : -1;
            json_t *ca = add_role(d, p, "customer", former ? "former" : "active", csince, cuntil);
            int sat = range(d, 8, 10);
            customer_attrs(d, ca, former ? "former" : "active", "particulier", sat, 30, false);
            c = push(&d->customers);
            c->status = former ? "former" : "active";
            c->since = csince;
            c->until = former ? cuntil : 0;
            c->score = sat;
            c->flags = W_STAFF;
            xrm_strlcpy(c->project, i == 17 ? "aanbouw" : "badkamerrenovatie", sizeof(c->project));
        }
        struct who *w = push(&d->staff);
        full_name(&n, w->name, sizeof(w->name));
        w->since = since;
        w->spec = i;
        w->flags = (since < 365 ? W_NEW : 0) | (strcmp(s->contract, "temporary") == 0 ? W_TEMP : 0);
        rc = add_party(d, p, &w->id, err);
        if (!rc && c) {
            c->id = w->id;
            xrm_strlcpy(c->name, w->name, sizeof(c->name));
        }
        if (!rc)
            rc = link(d, "works_at", w->id, d->company, since, -1, err);
    }
    if (rc)
        return rc;

    /* Applicants for open positions, one turned down. */
    static const struct {
        const char *job, *dept, *status;
    } applicants[] = {
        {"werkvoorbereider", "Projecten", "applicant"},
        {"monteur elektrotechniek", "Installatietechniek", "applicant"},
        {"calculator", "Calculatie", "rejected"},
    };
    for (int i = 0; i < COUNT(applicants) && !rc; i++) {
        struct name n;
        new_name(d, &n);
        json_t *p = person(&n);
        add_home(d, p, &n, PICK(d, home_cities), 100);
        int since = range(d, 12, 70);
        json_t *a = add_role(d, p, "employee", applicants[i].status, since,
                             strcmp(applicants[i].status, "rejected") == 0 ? since - 20 : -1);
        set_str(a, "job_title", applicants[i].job);
        set_int(a, "department", xrm_demo_hr_org_department(applicants[i].dept));
        struct who *w = push(&d->applicants);
        full_name(&n, w->name, sizeof(w->name));
        xrm_strlcpy(w->project, applicants[i].job, sizeof(w->project));
        w->status = applicants[i].status;
        w->since = since;
        rc = add_party(d, p, &w->id, err);
    }

    /* Former staff: their employment and link to the company have ended. */
    static const struct {
        const char *job, *dept;
        int years, left;
    } leavers[] = {
        {"werkvoorbereider", "Projecten", 4, 260},
        {"monteur W-installaties", "Installatietechniek", 7, 410},
    };
    for (int i = 0; i < COUNT(leavers) && !rc; i++) {
        struct name n;
        new_name(d, &n);
        json_t *p = person(&n);
        add_home(d, p, &n, PICK(d, home_cities), 100);
        int until = leavers[i].left, since = until + leavers[i].years * 365 + range(d, 0, 200);
        json_t *a = add_role(d, p, "employee", "former", since, until);
        snprintf(no, sizeof(no), "VD%04d", 60 + i * 7);
        set_str(a, "employee_number", no);
        set_str(a, "job_title", leavers[i].job);
        set_int(a, "department", xrm_demo_hr_org_department(leavers[i].dept));
        set_date(d, a, "start_date", since);
        set_date(d, a, "end_date", until);
        set_str(a, "contract_type", "permanent");
        set_int(a, "hours_per_week", 40);
        struct who *w = push(&d->leavers);
        full_name(&n, w->name, sizeof(w->name));
        w->since = since;
        w->until = until;
        rc = add_party(d, p, &w->id, err);
        if (!rc)
            rc = link(d, "works_at", w->id, d->company, since, until, err);
    }
    if (!rc && d->progress)
        fprintf(d->progress, "demo: %d employees, %d applicants, %d former employees\n", d->staff.n,
                d->applicants.n, d->leavers.n);
    return rc;
}

/* Contact persons of organisations. */

static enum xrm_rc add_contact(struct demo *d, struct who *org, const char *domain, const char *job,
                               enum city_id city, bool contact_for, struct xrm_err *err)
{
    struct name n;
    char buf[160];
    new_name(d, &n);
    json_t *p = person(&n);
    email_of(d, &n, domain, (int)(strlen(domain) % 2), buf, sizeof(buf));
    add_point(p, "emails", "work", buf);
    phone(d, NULL, buf, sizeof(buf));
    add_point(p, "phones", "mobile", buf);
    if (chance(d, 50)) {
        phone(d, cities[city].area, buf, sizeof(buf));
        add_point(p, "phones", "work", buf);
    }
    json_object_set_new(p, "custom", json_pack("{s:s}", "functie", job));
    int since = range(d, 200, 3000);
    struct who *w = push(&d->contacts);
    full_name(&n, w->name, sizeof(w->name));
    w->since = since;
    enum xrm_rc rc = add_party(d, p, &w->id, err);
    if (!rc)
        rc = link(d, "works_at", w->id, org->id, since, -1, err);
    if (!rc && contact_for)
        rc = link(d, "contact_for", w->id, org->id, since, -1, err);
    if (!rc && !org->contact) {
        org->contact = w->id;
        xrm_strlcpy(org->contact_name, w->name, sizeof(org->contact_name));
    }
    return rc;
}

/* Customers. */

static const struct org_spec {
    const char *name, *domain;
    enum city_id city;
    const char *street, *segment, *status, *project;
    const char *jobs[2]; /* contact persons' job titles */
    const char *tags;
} customer_orgs[] = {
    {"Woonstichting Domstad",
     "domstadwonen.nl",
     UTRECHT,
     "Ravellaan",
     "woningcorporatie",
     "active",
     "dakrenovatie 48 woningen Kanaleneiland",
     {"projectleider vastgoed", "inkoper onderhoud"},
     "vip onderhoudscontract"},
    {"Wooncorporatie Het Sticht",
     "hetstichtwonen.nl",
     NIEUWEGEIN,
     "Zuidstedeweg",
     "woningcorporatie",
     "active",
     "groot onderhoud 64 portiekwoningen",
     {"vastgoedmanager", "opzichter"},
     "vip onderhoudscontract"},
    {"Stichting Vechtwonen",
     "vechtwonen.nl",
     MAARSSEN,
     "Straatweg",
     "woningcorporatie",
     "prospect",
     "verduurzaming 40 eengezinswoningen",
     {"adviseur vastgoed", NULL},
     ""},
    {"Woongoed Lekstroom",
     "woongoedlekstroom.nl",
     IJSSELSTEIN,
     "Utrechtsestraat",
     "woningcorporatie",
     "active",
     "vervanging cv-ketels door hybride warmtepompen",
     {"projectleider onderhoud", NULL},
     "onderhoudscontract"},
    {"Stichting Kromme Rijn Wonen",
     "krommerijnwonen.nl",
     HOUTEN,
     "Het Rond",
     "woningcorporatie",
     "lead",
     "renovatie seniorencomplex",
     {"manager vastgoed", NULL},
     ""},
    {"VvE Oudwijkerhof",
     "vve-oudwijkerhof.nl",
     UTRECHT,
     "Oudwijkerdwarsstraat",
     "vve",
     "active",
     "gevelrenovatie en voegwerk",
     {"voorzitter", NULL},
     "nieuwsbrief"},
    {"VvE Complex Lunetten-Zuid",
     "vvelunettenzuid.nl",
     UTRECHT,
     "Hondsrug",
     "vve",
     "active",
     "vervanging dakbedekking",
     {"penningmeester", NULL},
     ""},
    {"VvE Residentie Wittevrouwen",
     "vve-wittevrouwen.nl",
     UTRECHT,
     "Wittevrouwenkade",
     "vve",
     "former",
     "balkonrenovatie",
     {"bestuurslid", NULL},
     ""},
    {"VvE De Rijnhof",
     "vvederijnhof.nl",
     NIEUWEGEIN,
     "Herenstraat",
     "vve",
     "prospect",
     "meerjarenonderhoudsplan en schilderwerk",
     {"voorzitter", NULL},
     "nieuwsbrief"},
    {"VvE Parkflat Zuilen",
     "parkflatzuilen.nl",
     UTRECHT,
     "Amsterdamsestraatweg",
     "vve",
     "lead",
     "liftvervanging en entreeportaal",
     {"secretaris", NULL},
     ""},
    {"Montessorischool De Vlinder",
     "devlinder-utrecht.nl",
     UTRECHT,
     "Nachtegaalstraat",
     "onderwijs",
     "active",
     "renovatie toiletgroepen",
     {"directeur", NULL},
     "nieuwsbrief"},
    {"Lekdijk College",
     "lekdijkcollege.nl",
     NIEUWEGEIN,
     "Batauweg",
     "onderwijs",
     "active",
     "CO2-gestuurde ventilatie in 22 lokalen",
     {"facilitair manager", "conciërge"},
     "vip"},
    {"Stichting Scholengroep Kromme Rijn",
     "scholengroepkrommerijn.nl",
     HOUTEN,
     "Molenzoom",
     "onderwijs",
     "prospect",
     "verduurzaming drie schoolgebouwen",
     {"bestuurssecretaris", NULL},
     ""},
    {"Basisschool De Regenboog",
     "regenboog-zeist.nl",
     ZEIST,
     "Laan van Vollenhove",
     "onderwijs",
     "former",
     "uitbreiding met twee lokalen",
     {"directeur", NULL},
     ""},
    {"Van Leeuwen & Kok Advocaten",
     "vanleeuwenkok.nl",
     UTRECHT,
     "Maliebaan",
     "zakelijk",
     "active",
     "verbouwing kantoorvilla",
     {"kantoormanager", NULL},
     "nieuwsbrief"},
    {"Accountantskantoor Stadhouders B.V.",
     "stadhouders-accountants.nl",
     UTRECHT,
     "Biltstraat",
     "zakelijk",
     "active",
     "nieuwe pantry en sanitair",
     {"office manager", NULL},
     ""},
    {"Tandartspraktijk Lunetten",
     "tandartslunetten.nl",
     UTRECHT,
     "Hondsrug",
     "zorg",
     "active",
     "verbouwing behandelkamers",
     {"praktijkmanager", NULL},
     ""},
    {"Huisartsenpraktijk Wittevrouwen",
     "huisartsenwittevrouwen.nl",
     UTRECHT,
     "Biltstraat",
     "zorg",
     "prospect",
     "uitbreiding praktijkruimte",
     {"praktijkmanager", NULL},
     ""},
    {"Zorgcentrum De Bilthuysen",
     "debilthuysen.nl",
     DE_BILT,
     "Soestdijkseweg Zuid",
     "zorg",
     "active",
     "onderhoud installaties en badkamers",
     {"hoofd facilitaire dienst", "locatiemanager"},
     "vip onderhoudscontract"},
    {"Kinderopvang Het Kabouterhuis B.V.",
     "kabouterhuis.nl",
     HOUTEN,
     "Loerikseweg",
     "zakelijk",
     "active",
     "verbouwing peutergroep",
     {"directeur", NULL},
     "nieuwsbrief"},
    {"Hotel Oudegracht B.V.",
     "hoteloudegracht.nl",
     UTRECHT,
     "Oudegracht",
     "horeca",
     "active",
     "renovatie 18 hotelkamers",
     {"hotelmanager", "technische dienst"},
     ""},
    {"Restaurant De Kleine Vaart",
     "dekleinevaart.nl",
     UTRECHT,
     "Twijnstraat",
     "horeca",
     "former",
     "nieuwe restaurantkeuken",
     {"eigenaar", NULL},
     ""},
    {"Autobedrijf Kanaleneiland B.V.",
     "autokanaleneiland.nl",
     UTRECHT,
     "Europalaan",
     "zakelijk",
     "lead",
     "nieuwe showroom met werkplaats",
     {"directeur", NULL},
     ""},
    {"Tennisvereniging Rijnvliet",
     "tvrijnvliet.nl",
     NIEUWEGEIN,
     "Galecopperlaan",
     "vereniging",
     "prospect",
     "renovatie kleedkamers",
     {"penningmeester", NULL},
     ""},
    {"Fysiotherapie Oog in Al",
     "fysio-ooginal.nl",
     UTRECHT,
     "Van Bijnkershoeklaan",
     "zorg",
     "active",
     "verbouwing oefenzaal",
     {"praktijkhouder", NULL},
     "nieuwsbrief"},
};

static int org_terms(const char *segment)
{
    if (strcmp(segment, "woningcorporatie") == 0)
        return 45;
    if (strcmp(segment, "particulier") == 0)
        return 14;
    return 30;
}

/* When a customer of this status came in, in days ago. */
static int customer_since(struct demo *d, const char *status, bool org)
{
    if (strcmp(status, "lead") == 0)
        return range(d, 4, 80);
    if (strcmp(status, "prospect") == 0)
        return range(d, 25, 160);
    if (strcmp(status, "former") == 0)
        return range(d, 300, 700);
    return org ? range(d, 200, 3200) : range(d, 60, 500);
}

static enum xrm_rc load_customer_orgs(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char buf[160];
    for (int i = 0; i < COUNT(customer_orgs) && !rc; i++) {
        const struct org_spec *s = &customer_orgs[i];
        json_t *p = organisation(s->name);
        snprintf(buf, sizeof(buf), "info@%s", s->domain);
        add_point(p, "emails", "work", buf);
        phone(d, cities[s->city].area, buf, sizeof(buf));
        add_point(p, "phones", "work", buf);
        snprintf(buf, sizeof(buf), "https://www.%s", s->domain);
        add_point(p, "websites", "work", buf);
        add_place(d, p, "work", s->city, s->street, true);
        bool vat = strcmp(s->segment, "zakelijk") == 0 || strcmp(s->segment, "horeca") == 0 ||
                   strcmp(s->segment, "woningcorporatie") == 0;
        add_ids(d, p, vat, false, chance(d, 50));
        add_tags(p, s->tags);
        if (d->user->id > 0)
            set_int(p, "owner", d->user->id);
        int since = customer_since(d, s->status, true);
        bool former = strcmp(s->status, "former") == 0;
        int until = former ? since - range(d, 90, 200) : -1;
        bool done = former || strcmp(s->status, "active") == 0;
        int sat = done ? satisfaction(d) : -1;
        json_t *a = add_role(d, p, "customer", s->status, since, until);
        customer_attrs(d, a, s->status, s->segment, sat, org_terms(s->segment), true);
        if (i == 0) {
            /* The client of De Kade is also one of its stakeholders. */
            a = add_role(d, p, "stakeholder", "active", 520, -1);
            set_str(a, "project", PROJECT);
            set_str(a, "interest", "high");
            set_str(a, "influence", "high");
            set_str(a, "stance", "supportive");
        }
        struct who *w = push(&d->customers);
        xrm_strlcpy(w->name, s->name, sizeof(w->name));
        xrm_strlcpy(w->project, s->project, sizeof(w->project));
        w->status = s->status;
        w->since = since;
        w->until = former ? until : 0;
        w->score = sat;
        w->spec = i;
        w->flags = W_ORG;
        rc = add_party(d, p, &w->id, err);
        for (int j = 0; j < 2 && !rc && s->jobs[j]; j++)
            rc = add_contact(d, w, s->domain, s->jobs[j], s->city, true, err);
        if (!rc && i == 0)
            rc = link(d, "stakeholder_of", w->id, d->project, 520, -1, err);
    }
    return rc;
}

static enum xrm_rc load_private_customers(struct demo *d, struct xrm_err *err)
{
    static const char *const statuses[] = {"active",   "active", "active", "former",   "former",
                                           "prospect", "lead",   "active", "prospect", "lead"};
    enum xrm_rc rc = XRM_OK;
    int couples = 0;
    for (int i = 0; i < 30 && !rc; i++) {
        const char *status = statuses[i % COUNT(statuses)];
        struct name n;
        new_name(d, &n);
        enum city_id city = PICK(d, home_cities);
        json_t *p = person(&n);
        add_home(d, p, &n, city, 85);
        int since = customer_since(d, status, false);
        bool former = strcmp(status, "former") == 0;
        int until = former ? since - range(d, 90, 200) : -1;
        bool done = former || strcmp(status, "active") == 0;
        int sat = done ? satisfaction(d) : -1;
        json_t *a = add_role(d, p, "customer", status, since, until);
        customer_attrs(d, a, status, "particulier", sat, 14, false);
        if (chance(d, 40))
            add_tags(p, "nieuwsbrief");
        if (done && sat >= 9 && chance(d, 30))
            add_tags(p, "vip");
        if (chance(d, 25)) {
            char buf[32];
            iban(d, buf);
            set_str(p, "iban", buf);
        }
        /* A few couples: the partner lives at the same address. */
        json_t *spouse = NULL;
        if (couples < 3 && i % 9 == 4) {
            struct name m;
            char buf[160];
            do {
                m.given = chance(d, 50) ? PICK(d, male) : PICK(d, female);
                m.prefix = chance(d, 50) ? n.prefix : NULL;
                m.family = m.prefix ? n.family : PICK(d, families);
            } while (!claim_name(d, &m));
            spouse = person(&m);
            private_email(d, &m, buf, sizeof(buf));
            add_point(spouse, "emails", "home", buf);
            phone(d, NULL, buf, sizeof(buf));
            add_point(spouse, "phones", "mobile", buf);
            json_object_set(spouse, "addresses", json_object_get(p, "addresses"));
            couples++;
        }
        struct who *w = push(&d->customers);
        full_name(&n, w->name, sizeof(w->name));
        xrm_strlcpy(w->project, PICK(d, private_projects), sizeof(w->project));
        w->status = status;
        w->since = since;
        w->until = former ? until : 0;
        w->score = sat;
        rc = add_party(d, p, &w->id, err);
        int64_t sid = 0;
        if (!rc && spouse) {
            rc = add_party(d, spouse, &sid, err);
            spouse = NULL;
            if (!rc)
                rc = link(d, "spouse_of", w->id, sid, -1, -1, err);
        }
        json_decref(spouse);
    }
    return rc;
}

/* Partners. */

static const struct partner_spec {
    const char *name, *domain;
    enum city_id city;
    const char *street, *tier, *type, *status;
    double commission;
    const char *job;
    bool sole;
    const char *customer_project; /* also a customer */
    const char *tags;
} partner_specs[] = {
    {"Architectenbureau Linthorst & De Wit", "linthorstdewit.nl", UTRECHT, "Maliesingel",
     "strategic", "strategic", "active", 0, "architect-partner", false,
     "verduurzaming eigen kantoorpand", "vip"},
    {"Koster Klimaattechniek B.V.", "kosterklimaat.nl", NIEUWEGEIN, "Nevelgaarde", "gold",
     "technology", "active", 0, "directeur", false, NULL, ""},
    {"Ingenieursbureau Stabiel B.V.", "stabiel-ib.nl", HOUTEN, "Meidoornkade", "gold", "technology",
     "active", 0, "constructeur", false, NULL, ""},
    {"Makelaardij Van der Linden", "vanderlindenmakelaars.nl", ZEIST, "Slotlaan", "silver",
     "referral", "active", 2.5, "makelaar", false, NULL, "nieuwsbrief"},
    {"Domstad Hypotheekadvies", "domstadhypotheekadvies.nl", UTRECHT, "Biltstraat", "bronze",
     "referral", "active", 1.5, "hypotheekadviseur", true, NULL, ""},
    {"Groenwatt Energieadvies", "groenwatt.nl", UTRECHT, "Europalaan", "silver", "referral",
     "active", 5, "energieadviseur", false, NULL, "nieuwsbrief"},
    {"SolarDak Midden B.V.", "solardakmidden.nl", AMERSFOORT, "Hogeweg", "gold", "reseller",
     "active", 7.5, "accountmanager", false, NULL, ""},
    {"De Vakwerkplaats Interieurbouw", "devakwerkplaats.nl", WOERDEN, "Touwslagersbaan", "silver",
     "technology", "prospect", 0, "eigenaar", false, NULL, ""},
    {"Tuinontwerp Groen & Zo", "groenenzo.nl", DE_BILT, "Looydijk", "bronze", "referral", "active",
     5, "tuinontwerper", true, NULL, ""},
    {"Bouwkundig Keuringsbureau Het Sticht", "keuringhetsticht.nl", NIEUWEGEIN, "Dukatenburg",
     "bronze", "referral", "former", 0, "bouwkundig inspecteur", false, NULL, ""},
};

static enum xrm_rc load_partners(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char buf[160];
    for (int i = 0; i < COUNT(partner_specs) && !rc; i++) {
        const struct partner_spec *s = &partner_specs[i];
        json_t *p = organisation(s->name);
        snprintf(buf, sizeof(buf), "info@%s", s->domain);
        add_point(p, "emails", "work", buf);
        phone(d, cities[s->city].area, buf, sizeof(buf));
        add_point(p, "phones", "work", buf);
        snprintf(buf, sizeof(buf), "https://www.%s", s->domain);
        add_point(p, "websites", "work", buf);
        add_place(d, p, "work", s->city, s->street, true);
        add_ids(d, p, true, s->sole, true);
        add_tags(p, s->tags);
        if (d->user->id > 0)
            set_int(p, "owner", d->user->id);
        bool former = strcmp(s->status, "former") == 0;
        int since = former                               ? range(d, 900, 1500)
                    : strcmp(s->status, "prospect") == 0 ? range(d, 40, 120)
                                                         : range(d, 500, 2600);
        int until = former ? range(d, 150, 300) : -1;
        json_t *a = add_role(d, p, "partner", s->status, since, until);
        set_str(a, "tier", s->tier);
        set_str(a, "partner_type", s->type);
        if (strcmp(s->status, "active") == 0)
            set_date(d, a, "agreement_until", -range(d, 60, 700));
        else if (former)
            set_date(d, a, "agreement_until", until);
        if (s->commission > 0)
            json_object_set_new(a, "commission_pct", number(s->commission));
        struct who *c = NULL;
        if (s->customer_project) {
            /* The strategic partner who also buys from us. */
            int csince = range(d, 150, 300);
            int sat = 8;
            a = add_role(d, p, "customer", "active", csince, -1);
            customer_attrs(d, a, "active", "zakelijk", sat, 30, true);
            c = push(&d->customers);
            xrm_strlcpy(c->name, s->name, sizeof(c->name));
            xrm_strlcpy(c->project, s->customer_project, sizeof(c->project));
            c->status = "active";
            c->since = csince;
            c->score = sat;
            c->flags = W_ORG | W_PARTNER;
        }
        struct who *w = push(&d->partners);
        xrm_strlcpy(w->name, s->name, sizeof(w->name));
        w->status = s->status;
        w->since = since;
        w->until = former ? until : 0;
        w->spec = i;
        w->flags = W_ORG;
        rc = add_party(d, p, &w->id, err);
        if (!rc)
            rc = add_contact(d, w, s->domain, s->job, s->city, true, err);
        if (!rc)
            rc = link(d, "partner_of", w->id, d->company, since, former ? until : -1, err);
        if (!rc && c) {
            c->id = w->id;
            c->contact = w->contact;
            xrm_strlcpy(c->contact_name, w->contact_name, sizeof(c->contact_name));
        }
    }
    if (!rc && d->progress)
        fprintf(d->progress, "demo: %d partners\n", d->partners.n);
    return rc;
}

/* Private customers referred by the referral partners. */
static enum xrm_rc load_referrals(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    for (int i = 0; i < d->customers.n && !rc; i++) {
        struct who *c = &d->customers.w[i];
        if (c->flags || i % 4 != 1)
            continue;
        const struct who *p;
        do
            p = &d->partners.w[upto(d, d->partners.n)];
        while (strcmp(partner_specs[p->spec].type, "referral") != 0 ||
               strcmp(p->status, "active") != 0);
        c->flags |= W_REFERRED;
        c->spec = (int)(p - d->partners.w);
        rc = link(d, "referred_by", c->id, p->id, c->since, -1, err);
    }
    return rc;
}

/* Suppliers. */

static const struct supplier_spec {
    const char *name, *domain;
    enum city_id city;
    const char *street, *category, *status, *item;
    int rating; /* 0: not rated yet */
    bool preferred;
    int terms, lead;
    const char *job; /* contact person, or NULL */
    bool sole;
    const char *customer_project; /* also a customer */
} supplier_specs[] = {
    {"Bouwmaterialenhandel De Jong Utrecht B.V.", "dejongbouwmaterialen.nl", UTRECHT, "Isotopenweg",
     "bouwmaterialen", "active", "bouwmaterialen", 4, true, 30, 2, "accountmanager binnendienst",
     false, NULL},
    {"Houthandel Van den Broek B.V.", "vandenbroekhout.nl", NIEUWEGEIN, "Structuurbaan",
     "hout en plaatmateriaal", "active", "vuren balken en multiplex", 4, true, 30, 3, "verkoper",
     false, "verbouwing showroom en kantoor"},
    {"Betoncentrale Midden-Nederland B.V.", "bcmn.nl", NIEUWEGEIN, "Nevelgaarde", "beton", "active",
     "stortbeton C30/37", 4, true, 30, 2, "planner", false, NULL},
    {"Rijnbrick Steenhandel B.V.", "rijnbrick.nl", VIANEN, "Industrieweg", "metselwerk", "active",
     "gevelstenen", 3, false, 30, 21, "vertegenwoordiger", false, NULL},
    {"Warmteschil Isolatiegroothandel B.V.", "warmteschil.nl", HOUTEN, "Meidoornkade", "isolatie",
     "active", "PIR-isolatieplaten", 4, false, 30, 5, NULL, false, NULL},
    {"Technische Groothandel Klaassen B.V.", "klaassentechniek.nl", UTRECHT, "Atoomweg",
     "installatiemateriaal", "active", "installatiemateriaal", 5, true, 30, 1, "accountmanager",
     false, NULL},
    {"Voltus Elektrogroothandel B.V.", "voltus.nl", NIEUWEGEIN, "Ravenswade", "elektra", "active",
     "kabel en schakelmateriaal", 4, true, 30, 1, "verkoper binnendienst", false, NULL},
    {"Aqua Centraal Sanitairgroothandel B.V.", "aquacentraal.nl", MAARSSEN, "Bisonspoor",
     "sanitair", "active", "sanitair en tegels", 4, true, 30, 10, "showroomadviseur", false, NULL},
    {"Warmtepompen Direct B.V.", "warmtepompendirect.nl", AMERSFOORT, "Vathorsterweg",
     "warmtepompen", "active", "lucht-waterwarmtepompen", 3, false, 14, 28, NULL, false, NULL},
    {"Steigerbouw Utrecht B.V.", "steigerbouwutrecht.nl", UTRECHT, "Franciscusdreef", "steigers",
     "active", "steigerwerk", 5, true, 30, 3, "werkvoorbereider", false, NULL},
    {"Steigerverhuur Hoogland", "steigerverhuurhoogland.nl", AMERSFOORT, "Hogeweg", "steigers",
     "former", "rolsteigers", 2, false, 14, 2, NULL, true, NULL},
    {"Bouwmachineverhuur Midden B.V.", "bmvmidden.nl", HOUTEN, "Tuindersweg", "verhuur", "active",
     "minigraver en trilplaat", 4, true, 30, 1, "verhuurder", false, NULL},
    {"Containerverhuur Van Essen", "vanessencontainers.nl", IJSSELSTEIN, "Baronieweg",
     "afvalcontainers", "active", "bouwcontainers", 4, false, 14, 1, NULL, true, NULL},
    {"Kraanverhuur De Haan B.V.", "dehaankranen.nl", WOERDEN, "Middellandbaan", "kraanverhuur",
     "active", "mobiele kraan", 4, false, 30, 5, "planner", false, NULL},
    {"Modulair Unitverhuur B.V.", "modulairunits.nl", NIEUWEGEIN, "Wiersdijk", "bouwketen en units",
     "active", "schaftketen en bouwkeet", 3, false, 30, 7, NULL, false, NULL},
    {"Groen Recycling B.V.", "groenrecycling.nl", UTRECHT, "Isotopenweg", "afvalverwerking",
     "active", "afvoer bouw- en sloopafval", 3, false, 30, 2, NULL, false, NULL},
    {"Glashandel Helder B.V.", "glashandelhelder.nl", ZEIST, "Huydecoperweg", "glas", "blocked",
     "HR++-glas", 2, false, 30, 14, "verkoper", false, NULL},
    {"Kozijnwerk Woerden B.V.", "kozijnwerk.nl", WOERDEN, "Touwslagersbaan", "kozijnen", "active",
     "kunststof kozijnen", 4, true, 30, 42, "projectadviseur", false, NULL},
    {"Schildersbedrijf Pronk", "schilderspronk.nl", MAARSSEN, "Kaatsbaan",
     "onderaanneming schilderwerk", "active", "schilderwerk", 5, true, 30, 10, NULL, true, NULL},
    {"Dakdekkersbedrijf Vos B.V.", "vosdaken.nl", VIANEN, "Lekdijk", "onderaanneming dakwerk",
     "prospect", "bitumen dakbedekking", 0, false, 30, 14, "calculator", false, NULL},
};

static enum xrm_rc load_suppliers(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char buf[160];
    for (int i = 0; i < COUNT(supplier_specs) && !rc; i++) {
        const struct supplier_spec *s = &supplier_specs[i];
        json_t *p = organisation(s->name);
        snprintf(buf, sizeof(buf), "%s@%s", i % 3 ? "verkoop" : "info", s->domain);
        add_point(p, "emails", "work", buf);
        phone(d, cities[s->city].area, buf, sizeof(buf));
        add_point(p, "phones", "work", buf);
        snprintf(buf, sizeof(buf), "https://www.%s", s->domain);
        add_point(p, "websites", "work", buf);
        add_place(d, p, "work", s->city, s->street, true);
        add_ids(d, p, true, s->sole, true);
        bool former = strcmp(s->status, "former") == 0;
        int since = strcmp(s->status, "prospect") == 0 ? range(d, 20, 90) : range(d, 600, 4000);
        int until = former ? range(d, 120, 300) : -1;
        json_t *a = add_role(d, p, "supplier", s->status, since, until);
        d->next_supplier += range(d, 1, 6);
        snprintf(buf, sizeof(buf), "L%04d", d->next_supplier);
        set_str(a, "supplier_number", buf);
        set_str(a, "category", s->category);
        if (s->rating)
            set_int(a, "rating", s->rating);
        json_object_set_new(a, "preferred", json_boolean(s->preferred));
        set_int(a, "payment_terms_days", s->terms);
        set_int(a, "lead_time_days", s->lead);
        struct who *c = NULL;
        if (s->customer_project) {
            /* The supplier who is also a customer: invoices both ways, to be offset. */
            int csince = range(d, 200, 400);
            int sat = 7;
            a = add_role(d, p, "customer", "active", csince, -1);
            customer_attrs(d, a, "active", "zakelijk", sat, 30, true);
            c = push(&d->customers);
            xrm_strlcpy(c->name, s->name, sizeof(c->name));
            xrm_strlcpy(c->project, s->customer_project, sizeof(c->project));
            c->status = "active";
            c->since = csince;
            c->score = sat;
            c->flags = W_ORG | W_SUPPLIER;
        }
        struct who *w = push(&d->suppliers);
        xrm_strlcpy(w->name, s->name, sizeof(w->name));
        xrm_strlcpy(w->project, s->item, sizeof(w->project));
        w->status = s->status;
        w->since = since;
        w->until = former ? until : 0;
        w->score = s->rating;
        w->spec = i;
        w->flags = W_ORG;
        rc = add_party(d, p, &w->id, err);
        if (!rc && s->job)
            rc = add_contact(d, w, s->domain, s->job, s->city, true, err);
        if (!rc)
            rc = link(d, "supplier_of", w->id, d->company, since, former ? until : -1, err);
        if (!rc && c) {
            c->id = w->id;
            c->contact = w->contact;
            xrm_strlcpy(c->contact_name, w->contact_name, sizeof(c->contact_name));
        }
    }
    if (!rc && d->progress)
        fprintf(d->progress, "demo: %d suppliers\n", d->suppliers.n);
    return rc;
}

/* Press. */

static const struct press_spec {
    const char *outlet, *domain, *beat;
    int reach;
    const char *job;
} press_specs[] = {
    {"AD Utrechts Nieuwsblad", "ad.nl", "Utrecht stad, wonen en bouwen", 95000, "verslaggever"},
    {"Cobouw", "cobouw.nl", "bouw, vastgoed en aanbestedingen", 40000, "redacteur"},
    {"RTV Utrecht", "rtvutrecht.nl", "regionaal nieuws", 450000, "verslaggever radio"},
    {"Stadsradio Utrecht", "stadsradioutrecht.nl", "lokaal nieuws", 25000, "presentator"},
    {"DUIC", "duic.nl", "gemeentepolitiek en stadsontwikkeling", 120000, "journalist"},
    {"Installatie Vakblad", "installatievakblad.nl", "installatietechniek en verduurzaming", 18000,
     "hoofdredacteur"},
};

static enum xrm_rc load_press(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    char buf[160];
    for (int i = 0; i < COUNT(press_specs) && !rc; i++) {
        const struct press_spec *s = &press_specs[i];
        struct name n;
        new_name(d, &n);
        json_t *p = person(&n);
        email_of(d, &n, s->domain, i % 2, buf, sizeof(buf));
        add_point(p, "emails", "work", buf);
        phone(d, NULL, buf, sizeof(buf));
        add_point(p, "phones", "mobile", buf);
        json_object_set_new(p, "custom", json_pack("{s:s}", "functie", s->job));
        int since = range(d, 300, 2000);
        json_t *a = add_role(d, p, "press", "active", since, -1);
        set_str(a, "outlet", s->outlet);
        set_str(a, "beat", s->beat);
        set_int(a, "reach", s->reach);
        struct who *c = NULL;
        if (i == 0) {
            /* The journalist who is also a (not entirely happy) customer. */
            add_home(d, p, &n, LOMBOK, 100);
            int csince = range(d, 150, 250);
            a = add_role(d, p, "customer", "active", csince, -1);
            customer_attrs(d, a, "active", "particulier", 5, 14, false);
            c = push(&d->customers);
            xrm_strlcpy(c->project, "keukenrenovatie", sizeof(c->project));
            c->status = "active";
            c->since = csince;
            c->score = 5;
            c->flags = W_PRESS;
        }
        struct who *w = push(&d->press);
        full_name(&n, w->name, sizeof(w->name));
        xrm_strlcpy(w->project, s->outlet, sizeof(w->project));
        w->since = since;
        w->spec = i;
        rc = add_party(d, p, &w->id, err);
        if (!rc && c) {
            c->id = w->id;
            xrm_strlcpy(c->name, w->name, sizeof(c->name));
        }
    }
    if (!rc && d->progress)
        fprintf(d->progress, "demo: %d press contacts\n", d->press.n);
    return rc;
}

/* The stakeholders of Nieuwbouw De Kade. */

static const char *const stances[] = {"supportive", "neutral", "opposed"};

static json_t *stakeholder_role(struct demo *d, json_t *p, int since, const char *interest,
                                const char *influence, const char *stance)
{
    json_t *a = add_role(d, p, "stakeholder", "active", since, -1);
    set_str(a, "project", PROJECT);
    set_str(a, "interest", interest);
    set_str(a, "influence", influence);
    set_str(a, "stance", stance);
    return a;
}

static enum xrm_rc load_stakeholders(struct demo *d, struct xrm_err *err)
{
    enum xrm_rc rc;
    char buf[160];
    struct who org = {0};

    /* The municipality, and its officer for the project. */
    json_t *p = organisation("Gemeente Utrecht");
    add_point(p, "emails", "work", "info@utrecht.nl");
    add_point(p, "phones", "work", "030 286 0000");
    add_point(p, "websites", "work", "https://www.utrecht.nl");
    add_address(p, "work", "Stadsplateau", "1", "3521 AZ", "Utrecht");
    stakeholder_role(d, p, 530, "high", "high", "neutral");
    add_tags(p, "bouwproject-de-kade");
    rc = add_party(d, p, &d->gemeente, err);
    if (!rc)
        rc = link(d, "stakeholder_of", d->gemeente, d->project, 530, -1, err);
    org.id = d->gemeente;
    if (!rc)
        rc = add_contact(d, &org, "utrecht.nl", "omgevingsmanager", UTRECHT, true, err);
    d->officer = org.contact;

    /* The residents' association. */
    if (!rc) {
        p = organisation("Bewonersvereniging Kanaalweg e.o.");
        add_point(p, "emails", "work", "bestuur@bewonerskanaalweg.nl");
        add_point(p, "websites", "work", "https://www.bewonerskanaalweg.nl");
        add_place(d, p, "post", LOMBOK, "Damstraat", false);
        add_ids(d, p, false, false, false);
        stakeholder_role(d, p, 470, "high", "high", "opposed");
        add_tags(p, "bouwproject-de-kade");
        rc = add_party(d, p, &d->residents, err);
    }
    if (!rc)
        rc = link(d, "stakeholder_of", d->residents, d->project, 470, -1, err);

    /* The neighbours: those on the Kanaalweg itself care most. */
    for (int i = 0; i < 30 && !rc; i++) {
        struct name n;
        new_name(d, &n);
        p = person(&n);
        const char *street = cities[LOMBOK].streets[i < 10 ? 0 : upto(d, 8)];
        if (chance(d, 70)) {
            private_email(d, &n, buf, sizeof(buf));
            add_point(p, "emails", "home", buf);
        }
        if (chance(d, 80)) {
            phone(d, NULL, buf, sizeof(buf));
            add_point(p, "phones", "mobile", buf);
        }
        add_place(d, p, "home", LOMBOK, street, false);
        int since = range(d, 420, 480);
        int stance = i % 10 < 4 ? 0 : i % 10 < 7 ? 1 : 2;
        const char *interest = strcmp(street, "Kanaalweg") == 0 || chance(d, 30) ? "high" : "low";
        const char *influence = i == 0 || i == 7 || i == 13 || i == 22 ? "high" : "low";
        stakeholder_role(d, p, since, interest, influence, stances[stance]);
        add_tags(p, chance(d, 60) ? "bouwproject-de-kade nieuwsbrief" : "bouwproject-de-kade");
        if (i == 0)
            json_object_set_new(p, "custom",
                                json_pack("{s:s}", "functie", "voorzitter bewonersvereniging"));
        else if (i == 7)
            json_object_set_new(p, "custom", json_pack("{s:s}", "functie", "gemeenteraadslid"));
        struct who *c = NULL;
        if (i == 5) {
            /* A neighbour who liked what he saw and asked for a quote. */
            json_t *a = add_role(d, p, "customer", "lead", 45, -1);
            customer_attrs(d, a, "lead", "particulier", -1, 14, false);
            c = push(&d->customers);
            xrm_strlcpy(c->project, "keukenrenovatie", sizeof(c->project));
            c->status = "lead";
            c->since = 45;
            c->flags = W_NEIGHBOUR;
        }
        struct who *w = push(&d->neighbours);
        full_name(&n, w->name, sizeof(w->name));
        xrm_strlcpy(w->project, street, sizeof(w->project));
        w->since = since;
        w->score = stance;
        w->flags = strcmp(interest, "high") == 0 ? W_KEEN : 0;
        rc = add_party(d, p, &w->id, err);
        if (!rc)
            rc = link(d, "stakeholder_of", w->id, d->project, since, -1, err);
        if (!rc && i == 0)
            rc = link(d, "contact_for", w->id, d->residents, since, -1, err);
        if (!rc && c) {
            c->id = w->id;
            xrm_strlcpy(c->name, w->name, sizeof(c->name));
        }
    }
    if (!rc && d->progress)
        fprintf(d->progress, "demo: %d neighbours and 3 other stakeholders of %s\n",
                d->neighbours.n, PROJECT);
    return rc;
}

/* The timeline. */

struct step {
    const char *type, *subject, *body;
    int gap_lo, gap_hi; /* days after the previous step */
};

static const struct step private_story[] = {
    {"email", "Offerteaanvraag {p}",
     "Aanvraag via het contactformulier op de website: graag een vrijblijvende offerte voor een "
     "{p}. Voorkeur voor uitvoering binnen een paar maanden.",
     0, 0},
    {"meeting", "Opname {p}",
     "Situatie opgenomen en ingemeten. Wensen doorgenomen, inclusief materiaalkeuze en "
     "planning. Aandachtspunt: bereikbaarheid en parkeren voor de bus.",
     4, 12},
    {"email", "Offerte {p} verstuurd",
     "Offerte met tekening, planning en betalingsschema (30% bij opdracht, 60% bij start, 10% "
     "na oplevering) verstuurd. Geldig tot 30 dagen na dagtekening.",
     5, 12},
    {"task", "Offerte {p} nabellen", "Vragen of de offerte duidelijk is en of er nog wensen zijn.",
     0, 0},
    {"call", "Opdracht {p} akkoord",
     "{n} gaat akkoord met de offerte. Opdrachtbevestiging en aanbetalingsfactuur verstuurd; "
     "startdatum in overleg ingepland.",
     7, 20},
    {"meeting", "Oplevering {p}",
     "Samen met {n} opgeleverd. Enkele restpunten (kitwerk, afstellen deur) binnen twee weken "
     "afgehandeld. Garantiebewijs en onderhoudsadvies meegegeven.",
     25, 60},
    {"survey", "Tevredenheidsonderzoek {p}", "Enquête na oplevering, ingevuld door de klant.", 6,
     20},
};

static const struct step org_story[] = {
    {"call", "Kennismaking {n}",
     "Kennismakingsgesprek met {c}. Interesse in {p}; gevraagd om referentieprojecten en een "
     "eerste prijsindicatie.",
     0, 0},
    {"meeting", "Locatiebezoek {p}",
     "Locatie bekeken met {c}. Tekeningen en het onderhoudsrapport ontvangen; uitgangspunten en "
     "planning besproken.",
     6, 20},
    {"email", "Offerte {p} verstuurd",
     "Offerte inclusief planning, V&G-plan en referenties verstuurd aan {c}.", 10, 25},
    {"task", "Offerte {p} nabellen", "Bij {c} nagaan hoe de offerte ontvangen is.", 0, 0},
    {"meeting", "Gunningsgesprek {p}",
     "Offerte toegelicht; na een kleine aanpassing van de planning is de opdracht verstrekt.", 10,
     30},
    {"meeting", "Bouwvergadering {p}",
     "Voortgang, planning en meerwerk besproken met {c}. Geen bijzonderheden in veiligheid.", 14,
     35},
    {"meeting", "Oplevering {p}",
     "Opgeleverd met {c}. Opleverpunten vastgelegd in het proces-verbaal; onderhoudstermijn "
     "loopt drie maanden.",
     14, 40},
    {"survey", "Klanttevredenheid {p}", "Klanttevredenheidsonderzoek na oplevering.", 10, 30},
};

static const struct {
    const char *subject, *body;
} complaints[] = {
    {"Klacht: lekkage na oplevering {p}",
     "Klant meldt vochtplek onder de douche. Servicemonteur ingepland om de kitnaden en "
     "afvoer te controleren."},
    {"Klacht: werkzaamheden {p} uitgelopen",
     "Klant is ontevreden dat de oplevering twee weken later was dan afgesproken en vraagt om "
     "compensatie."},
    {"Klacht: factuur {p} klopt niet",
     "Meerwerk staat op de factuur zonder dat daar vooraf schriftelijk akkoord op is gegeven."},
    {"Klacht: schade en rommel na {p}",
     "Klant meldt beschadigde vloer in de gang en bouwafval in de tuin."},
};

/*
 * Runs steps first .. count-1 of a story from start days ago, stopping
 * before end days ago (when the role ended, or today).
 */
static void story(struct demo *d, const struct step *steps, int nsteps, int first, int count,
                  int start, int end, const struct who *w, const char *domain)
{
    struct vars v = {
        .n = w->name, .c = w->contact_name[0] ? w->contact_name : w->name, .p = w->project};
    int day = start;
    for (int k = first; k < count && k < nsteps; k++) {
        const struct step *s = &steps[k];
        bool is_task = strcmp(s->type, "task") == 0;
        day -= range(d, s->gap_lo, s->gap_hi);
        if (day < end) {
            if (is_task && end <= 1) /* still to do */
                task(d, domain, 1, range(d, 2, 7), w->id, w->contact, s->subject, s->body, &v);
            return;
        }
        if (is_task) { /* made the day after the previous step */
            task(d, domain, day - 1, 7, w->id, w->contact, s->subject, s->body, &v);
            continue;
        }
        if (strcmp(s->type, "survey") == 0) {
            if (w->score >= 0 && chance(d, 70)) /* not everybody answers */
                survey(d, domain, day, w->id, w->score, s->subject, s->body, &v);
            continue;
        }
        if (k > first && strcmp(s->type, "meeting") != 0 && chance(d, 35))
            continue; /* not every contact makes it into the system */
        act(d, s->type, domain, day, w->id, w->contact, s->subject, s->body, &v);
    }
}

static void customer_timeline(struct demo *d, const struct who *w)
{
    const struct step *steps = w->flags & W_ORG ? org_story : private_story;
    int nsteps = w->flags & W_ORG ? COUNT(org_story) : COUNT(private_story);
    int count, start, end = w->until > 0 ? w->until : 1;
    struct vars v = {
        .n = w->name, .c = w->contact_name[0] ? w->contact_name : w->name, .p = w->project};

    int quote = 0; /* the step after which the offer awaits an answer */
    while (strcmp(steps[quote].type, "task") != 0)
        quote++;
    if (strcmp(w->status, "lead") == 0) {
        count = range(d, 1, 2);
        start = w->since;
    } else if (strcmp(w->status, "prospect") == 0) {
        count = quote + 1;
        start = w->since;
    } else if (strcmp(w->status, "former") == 0) {
        count = nsteps;
        start = w->since;
    } else {
        count = nsteps - (chance(d, 30) ? range(d, 1, 3) : 0); /* some still under way */
        start = w->since < WINDOW ? w->since : range(d, 200, WINDOW);
    }
    /* A customer of long standing: the timeline starts with the offer for a new job. */
    int first = w->since > WINDOW ? quote - 1 : 0;
    if (start > WINDOW)
        start = WINDOW;
    story(d, steps, nsteps, first, count, start, end, w, "sales");
    if (strcmp(w->status, "lead") == 0)
        task(d, "sales", range(d, 1, 3), range(d, 1, 7), w->id, w->contact,
             "Afspraak opname {p} inplannen", "Bellen voor een afspraak op locatie.", &v);
    else if (strcmp(w->status, "prospect") == 0)
        task(d, "sales", range(d, 1, 4), range(d, 3, 14), w->id, w->contact,
             "Beslissing offerte {p} navragen",
             "Vragen of er al een beslissing is en of de offerte nog aangepast moet worden.", &v);

    /* The long-standing business customers also call about other things. */
    if (w->flags == W_ORG && strcmp(w->status, "active") == 0) {
        int extra = customer_orgs[w->spec].tags[0] == 'v' ? 2 : upto(d, 2);
        for (int k = 0; k < extra; k++) {
            static const struct step calls[] = {
                {"call", "Storing cv-installatie",
                 "{c} meldt een storing. Servicemonteur is dezelfde dag langs geweest; "
                 "drukverlies verholpen.",
                 0, 0},
                {"email", "Planning onderhoud {y}",
                 "Jaarplanning voor het planmatig onderhoud {y} afgestemd met {c}.", 0, 0},
                {"meeting", "Kwartaaloverleg onderhoudscontract",
                 "Meldingen, doorlooptijden en de begroting besproken met {c}. Afspraken "
                 "vastgelegd in het verslag.",
                 0, 0},
                {"note", "Nieuwe contactpersoon bij {n}",
                 "Vanaf nu graag alle offertes richting {c} sturen, met de vastgoedafdeling in "
                 "cc.",
                 0, 0},
                {"call", "Vraag over offerte kleine werken",
                 "{c} vraagt een offerte voor kleine reparaties (dakgoten en hang- en sluitwerk).",
                 0, 0},
            };
            const struct step *s = &calls[upto(d, COUNT(calls))];
            act(d, s->type, "sales", range(d, 1, WINDOW), w->id, w->contact, s->subject, s->body,
                &v);
        }
    }

    /* Unhappy customers complained first. */
    if (w->score >= 0 && w->score <= 6 && !(w->flags & W_PRESS)) {
        int last = end + 60 < w->since - 10 ? end + 60 : w->since - 10;
        int day = last > end + 5 ? range(d, end + 5, last) : end + 5;
        int c = upto(d, COUNT(complaints));
        act(d, "complaint", "sales", day, w->id, w->contact, complaints[c].subject,
            complaints[c].body, &v);
        task(d, "sales", day - 1, 5, w->id, 0, "Klacht {n} afhandelen",
             "Klant terugbellen, afspraak maken voor herstel en de afhandeling vastleggen.", &v);
        act(d, "call", "sales", day - range(d, 2, 6), w->id, w->contact, "Klacht besproken",
            "Excuses aangeboden; herstel ingepland. Klant is redelijk gerustgesteld.", &v);
    }

    if (w->flags & W_STAFF) {
        act(d, "note", "sales", (start < WINDOW ? start : WINDOW) - 2, w->id, 0,
            "Personeelsregeling {p}",
            "Collega; de personeelsregeling is van toepassing: 15% korting op arbeid en "
            "materiaal tegen inkoopprijs. Uitvoering buiten de eigen werkuren; geen verkoopgesprek "
            "nodig.",
            &v);
    }
    if (w->flags & W_PRESS) {
        /* The journalist's complaint: a PR risk as much as a sales matter. */
        int day = range(d, 20, 40);
        act(d, "complaint", "sales", day, w->id, 0, "Klacht: tegelwerk keuken niet naar wens",
            "Tegelwerk achter het aanrecht loopt scheef en de voegen zijn ongelijk. Klant is "
            "teleurgesteld en wil dat het opnieuw wordt gedaan.",
            &v);
        act(d, "note", "pr", day - 1, w->id, d->company, "Let op: klager is journalist",
            "{n} is verslaggever bij het AD Utrechts Nieuwsblad. Klacht met voorrang afhandelen; "
            "directie en communicatie zijn ingelicht.",
            &v);
        task(d, "sales", day - 1, 3, w->id, 0, "Herstel tegelwerk keuken {n} inplannen",
             "Tegelzetter en uitvoerder samen langs laten gaan; kosten voor onze rekening.", &v);
        act(d, "call", "sales", day - 8, w->id, 0, "Herstel tegelwerk afgesproken",
            "Directeur heeft zelf gebeld. Tegelwerk wordt volgende week opnieuw gezet.", &v);
    }
    if (w->flags == W_ORG && w->spec == 0) {
        /* The client of De Kade: the building team meets every six weeks. */
        act(d, "meeting", "sales", 505, w->id, d->project, "Bouwteamovereenkomst " PROJECT,
            "Bouwteamovereenkomst getekend met {c}: 86 huurwoningen, energieneutraal, oplevering "
            "in twee fasen. Bouwgroep Van Dijk is hoofdaannemer en installateur.",
            &v);
        for (int m = 0; m < 7; m++) {
            json_t *a = act(d, "meeting", "sales", 300 - m * 45 + range(d, 0, 4), w->id, d->project,
                            "Bouwvergadering " PROJECT,
                            "Voortgang, planning, meer- en minderwerk en veiligheid besproken met "
                            "{c}. Verslag rondgestuurd.",
                            &v);
            also(a, w->contact);
        }
        planned_meeting(d, "sales", range(d, 3, 12), w->id, d->project, "Bouwvergadering " PROJECT,
                        "Agenda: opleverplanning fase 1, kleurmonsters gevel, meerwerklijst.", &v);
    }
    if (w->flags & W_SUPPLIER) {
        act(d, "note", "purchasing", range(d, 10, 60), w->id, d->company,
            "Verrekening facturen {n}",
            "{n} is leverancier én klant. Openstaande bouwtermijn van de {p} verrekend met hun "
            "facturen voor hout en plaatmateriaal; saldo per kwartaal afrekenen. Let op "
            "belangenverstrengeling bij prijsafspraken.",
            &v);
    }
    if (w->flags & W_NEIGHBOUR)
        act(d, "note", "pr", w->since - 1, w->id, d->project, "Buurman De Kade vraagt offerte",
            "{n} woont naast de bouwplaats van De Kade en vraagt een offerte voor een "
            "keukenrenovatie. Afstemmen met de omgevingsmanager.",
            &v);
}

static void staff_timeline(struct demo *d)
{
    for (int i = 0; i < d->staff.n; i++) {
        const struct who *w = &d->staff.w[i];
        const struct staff_spec *s = &staff[w->spec];
        struct vars v = {.n = w->name, .p = s->job};
        if (i == 0)
            continue;
        if (w->flags & W_NEW) {
            act(d, "note", "hr", w->since, w->id, 0, "Eerste werkdag {n}",
                "Welkom geheten door de afdeling. Werkkleding, telefoon en laptop uitgereikt; "
                "inwerkschema voor de eerste zes weken besproken.",
                &v);
        }
        int review = range(d, 30, 330);
        if (review < w->since - 60)
            act(d, "meeting", "hr", review, w->id, 0, "Jaargesprek {y}",
                "Functioneren, opleidingswensen en verlof doorgenomen. Afspraken vastgelegd in "
                "het gespreksverslag.",
                &v);
        if (strcmp(s->dept, "Bouwplaats") == 0 || strcmp(s->job, "uitvoerder") == 0)
            act(d, "note", "hr", range(d, 30, 500), w->id, 0, "VCA-VOL certificaat verlengd",
                "Examen gehaald; het certificaat is tien jaar geldig. Kopie in het "
                "personeelsdossier.",
                &v);
        if (strstr(s->job, "elektro"))
            act(d, "note", "hr", range(d, 30, 500), w->id, 0, "Training NEN 3140 afgerond",
                "Aangewezen als vakbekwaam persoon (VP). Aanwijzing door de hoofd "
                "installatietechniek getekend.",
                &v);
        if (strstr(s->job, "W-installaties") || strstr(s->job, "servicemonteur"))
            act(d, "note", "hr", range(d, 30, 500), w->id, 0, "F-gassencertificaat behaald",
                "Certificaat voor werkzaamheden aan warmtepompen en airco's behaald.", &v);
        if (strcmp(s->job, "BIM-modelleur") == 0)
            act(d, "note", "hr", range(d, 60, 400), w->id, 0, "Cursus Revit MEP afgerond",
                "Cursus van vier dagen; certificaat in het personeelsdossier.", &v);
        if (w->flags & W_TEMP)
            task(d, "hr", range(d, 8, 20), range(d, 20, 45), w->id, d->staff.w[s->manager].id,
                 "Besluit over contractverlenging {n}",
                 "Het tijdelijke contract loopt binnenkort af. Advies van de leidinggevende "
                 "ophalen en het besluit een maand vooraf schriftelijk bevestigen.",
                 &v);
        if (strcmp(s->contract, "intern") == 0) {
            act(d, "meeting", "hr", range(d, 10, 60), w->id, 0, "Voortgangsgesprek BBL-opleiding",
                "Voortgang op school en in de praktijk besproken met de praktijkopleider. "
                "Loopt goed.",
                &v);
        }
        if (chance(d, 20))
            act(d, "note", "hr", range(d, 150, 240), w->id, 0, "Verlof zomer {y} goedgekeurd",
                "Drie weken zomerverlof tijdens de bouwvak goedgekeurd.", &v);
        if (chance(d, 10))
            act(d, "email", "hr", range(d, 20, 400), w->id, 0, "Wijziging adresgegevens",
                "Nieuw adres doorgegeven; salarisadministratie is bijgewerkt.", &v);
    }
    for (int i = 0; i < d->applicants.n; i++) {
        const struct who *w = &d->applicants.w[i];
        struct vars v = {.n = w->name, .p = w->project};
        act(d, "email", "hr", w->since, w->id, 0, "Sollicitatie {p}",
            "Sollicitatie met cv en motivatie ontvangen via de website.", &v);
        act(d, "meeting", "hr", w->since - range(d, 5, 9), w->id, 0, "Eerste gesprek {p}",
            "Gesprek met de HR-adviseur en de leidinggevende van de afdeling.", &v);
        if (strcmp(w->status, "rejected") == 0)
            act(d, "email", "hr", w->since - 20, w->id, 0, "Afwijzing sollicitatie {p}",
                "Kandidaat telefonisch en per e-mail afgewezen. Gevraagd of we de gegevens een "
                "jaar mogen bewaren: geen toestemming, dus verwijderen na vier weken.",
                &v);
        else
            task(d, "hr", w->since - 10, 14, w->id, 0, "Tweede gesprek {n} inplannen",
                 "Tweede gesprek met een meeloopdag op de bouwplaats.", &v);
    }
    for (int i = 0; i < d->leavers.n; i++) {
        const struct who *w = &d->leavers.w[i];
        struct vars v = {.n = w->name};
        act(d, "meeting", "hr", w->until + 20, w->id, 0, "Exitgesprek {n}",
            "Vertrekt naar een functie dichter bij huis. Positief over de sfeer; aandachtspunt "
            "is de planning van het werk.",
            &v);
        act(d, "note", "hr", w->until, w->id, 0, "Uit dienst",
            "Laatste werkdag. Gereedschap, pas en telefoon ingeleverd; eindafrekening verwerkt.",
            &v);
    }
}

static void partner_timeline(struct demo *d)
{
    static const struct step items[] = {
        {"meeting", "Kwartaaloverleg samenwerking",
         "Lopende projecten, kansen en de samenwerking besproken met {c}.", 0, 0},
        {"call", "Afstemming lopende projecten",
         "Met {c} de planning van de gezamenlijke projecten afgestemd.", 0, 0},
        {"email", "Samenwerkingsafspraken {y}",
         "Bijgewerkte samenwerkingsafspraken voor {y} verstuurd aan {c}.", 0, 0},
        {"note", "Gezamenlijke presentatie op de Bouwbeurs",
         "Idee van {c}: samen een stand op de regionale bouwbeurs. Eerst de kosten in kaart "
         "brengen.",
         0, 0},
    };
    for (int i = 0; i < d->partners.n; i++) {
        const struct who *w = &d->partners.w[i];
        const struct partner_spec *s = &partner_specs[w->spec];
        struct vars v = {.n = w->name, .c = w->contact_name};
        int end = w->until > 0 ? w->until : 1;
        int n = strcmp(s->tier, "strategic") == 0 ? 0 : range(d, 2, 4);
        for (int k = 0; k < n; k++) {
            const struct step *it = &items[upto(d, COUNT(items))];
            act(d, it->type, "partners", range(d, end, WINDOW), w->id, w->contact, it->subject,
                it->body, &v);
        }
        if (strcmp(s->tier, "strategic") == 0) {
            for (int q = 0; q < 6; q++)
                act(d, "meeting", "partners", 20 + q * 90 + range(d, 0, 15), w->id, w->contact,
                    "Kwartaaloverleg strategische samenwerking",
                    "Projectportefeuille, gezamenlijke aanbestedingen en de ontwerpen voor De "
                    "Kade doorgenomen met {c}.",
                    &v);
            act(d, "meeting", "partners", 480, w->id, d->project, "Ontwerpteam " PROJECT,
                "Start ontwerpteam met architect, constructeur en installateur. Bouwteamafspraken "
                "vastgelegd.",
                &v);
            act(d, "email", "partners", 300, w->id, w->contact, "Raamovereenkomst verlengd tot {y}",
                "Raamovereenkomst met twee jaar verlengd; exclusiviteit voor woningbouw in de "
                "regio Utrecht.",
                &(struct vars){.y = year_ago(d, -700)});
            planned_meeting(d, "partners", range(d, 5, 20), w->id, w->contact,
                            "Kwartaaloverleg strategische samenwerking",
                            "Agenda: evaluatie De Kade, nieuwe aanbesteding Woonstichting Domstad.",
                            &v);
        }
        if (strcmp(s->status, "prospect") == 0)
            task(d, "partners", range(d, 5, 20), 14, w->id, w->contact,
                 "Voorstel samenwerking {n} uitwerken",
                 "Proefproject met maatwerk interieurbouw voorstellen en tarieven afstemmen.", &v);
        if (strcmp(s->status, "former") == 0)
            act(d, "note", "partners", w->until, w->id, 0, "Samenwerking beëindigd",
                "Keuringsbureau is overgenomen; de nieuwe eigenaar werkt niet met "
                "doorverwijzingen.",
                &v);
    }
    /* Referrals: one note each, linking partner and customer. */
    for (int i = 0; i < d->customers.n; i++) {
        const struct who *c = &d->customers.w[i];
        if (c->flags != W_REFERRED)
            continue;
        const struct who *p = &d->partners.w[c->spec];
        struct vars v = {.n = c->name, .p = c->project, .s = p->name};
        act(d, "note", "partners", c->since + 1, p->id, c->id, "Doorverwijzing: {n}",
            "{s} heeft {n} naar ons doorverwezen voor een {p}.", &v);
        if (strcmp(c->status, "active") == 0 || strcmp(c->status, "former") == 0)
            act(d, "note", "partners", c->since > 60 ? c->since - 60 : 1, p->id, c->id,
                "Aanbrengprovisie {n}", "Provisie volgens de samenwerkingsafspraken uitbetaald.",
                &v);
    }
}

static void supplier_timeline(struct demo *d)
{
    for (int i = 0; i < d->suppliers.n; i++) {
        const struct who *w = &d->suppliers.w[i];
        const struct supplier_spec *s = &supplier_specs[w->spec];
        struct vars v = {
            .n = w->name, .c = w->contact_name[0] ? w->contact_name : w->name, .p = w->project};
        int end = w->until > 0 ? w->until : 1;
        if (strcmp(s->status, "prospect") == 0) {
            act(d, "meeting", "purchasing", w->since, w->id, w->contact,
                "Kennismaking en offerte {p}",
                "Kennismaking met {c}. Offerte gevraagd voor de daken van Wooncorporatie Het "
                "Sticht.",
                &v);
            task(d, "purchasing", w->since - 5, 14, w->id, 0, "Referenties {n} nagaan",
                 "Twee referenties bellen en het VCA-certificaat opvragen.", &v);
            continue;
        }
        int orders = s->preferred ? range(d, 2, 3) : range(d, 1, 2);
        for (int k = 0; k < orders; k++)
            act(d, "email", "purchasing", range(d, end, WINDOW), w->id, w->contact,
                "Bestelling {p}", "Bestelling geplaatst; levering op de bouwplaats afgestemd.", &v);
        if (s->lead > 7)
            act(d, "call", "purchasing", range(d, end, WINDOW), w->id, w->contact,
                "Levertijd {p} afgestemd",
                "Levertijd bevestigd door {c}; werkvoorbereiding heeft de planning aangepast.", &v);
        if (s->preferred)
            act(d, "meeting", "purchasing", range(d, 300, 360), w->id, w->contact,
                "Jaargesprek en prijsafspraken {y}",
                "Prijsafspraken, bonus bij volume en leverbetrouwbaarheid besproken met {c}.", &v);
        if (strcmp(s->status, "blocked") == 0) {
            act(d, "note", "purchasing", range(d, 120, 200), w->id, w->contact,
                "Reclamatie: glas beschadigd geleverd",
                "Drie ruiten met krassen geleverd voor de badkamers van Hotel Oudegracht. "
                "Vervanging duurde drie weken.",
                &v);
            act(d, "note", "purchasing", range(d, 30, 90), w->id, 0, "Leverancier geblokkeerd",
                "Na herhaalde leverproblemen geblokkeerd voor nieuwe bestellingen. Lopende "
                "garanties blijven staan.",
                &v);
        }
        if (strcmp(s->status, "former") == 0)
            act(d, "note", "purchasing", w->until, w->id, 0, "Samenwerking beëindigd",
                "Rolsteigers voortaan via Steigerbouw Utrecht; betere service en "
                "keuringscertificaten.",
                &v);
        if (strcmp(s->category, "steigers") == 0 && strcmp(s->status, "active") == 0)
            act(d, "email", "purchasing", 340, w->id, d->project, "Steigerwerk " PROJECT,
                "Opdracht voor de steigers van bouwdeel A en B verstrekt.", &v);
        if (strcmp(s->category, "beton") == 0)
            act(d, "call", "purchasing", 335, w->id, d->project, "Stortplanning " PROJECT,
                "Stort van de funderingsbalken ingepland; pomp en mixers bevestigd.", &v);
        if (s->rating && chance(d, 60))
            act(d, "note", "purchasing", range(d, 20, 200), w->id, 0, "Leveranciersbeoordeling {y}",
                "Beoordeeld op prijs, levertijd, kwaliteit en service.", &v);
    }
    task(d, "purchasing", 6, 10, d->suppliers.w[0].id, 0, "Prijzen bouwmaterialen {y} vergelijken",
         "Twee alternatieve offertes opvragen voor de hoofdgroepen bouwmaterialen.", NULL);
}

static void pr_timeline(struct demo *d)
{
    static const struct {
        int day;
        bool project;
        const char *subject, *body;
    } releases[] = {
        {470, true, "Bouwgroep Van Dijk bouwt 86 woningen aan De Kade",
         "Utrecht - Bouwgroep Van Dijk bouwt in opdracht van Woonstichting Domstad 86 "
         "energieneutrale huurwoningen aan de Kanaalweg. De bouw start na de zomer."},
        {330, true, "Eerste paal " PROJECT " geslagen",
         "Wethouder en bewoners sloegen samen de eerste paal. Bouwgroep Van Dijk trilt de palen "
         "in om overlast voor de buurt te beperken."},
        {190, false, "Bouwgroep Van Dijk opent leerwerkplaats installatietechniek",
         "Met een eigen leerwerkplaats leidt Bouwgroep Van Dijk jaarlijks zes BBL-leerlingen op "
         "tot monteur."},
        {45, true, "Hoogste punt " PROJECT " bereikt",
         "Het hoogste punt is bereikt; de eerste bewoners krijgen volgend voorjaar de sleutel."},
    };
    for (int i = 0; i < COUNT(releases); i++) {
        json_t *a =
            act(d, "press_release", "pr", releases[i].day, d->company,
                releases[i].project ? d->project : 0, releases[i].subject, releases[i].body, NULL);
        for (int k = 0; k < d->press.n; k++)
            also(a, d->press.w[k].id);
    }
    static const struct step press_items[] = {
        {"call", "Vraag over bouwoverlast De Kade",
         "{n} ({p}) vroeg naar de klachten over trillingen. Uitgelegd welke maatregelen we nemen; "
         "feitenoverzicht nagestuurd.",
         290, 335},
        {"email", "Persbericht nagebeld",
         "{n} wil graag een rondleiding op de bouwplaats voor een achtergrondverhaal.", 320, 328},
        {"meeting", "Rondleiding bouwplaats De Kade",
         "Rondleiding met de projectleider; aandacht voor het trillingsvrij heien en de "
         "warmtepompen.",
         20, 300},
        {"call", "Interview tekort aan installateurs",
         "Directeur geïnterviewd over het tekort aan monteurs en de eigen leerwerkplaats.", 150,
         185},
    }; /* gap_lo .. gap_hi: when, in days ago */
    for (int i = 0; i < d->press.n; i++) {
        const struct who *w = &d->press.w[i];
        struct vars v = {.n = w->name, .p = w->project};
        int n = range(d, 1, 3);
        for (int k = 0; k < n; k++) {
            const struct step *s = &press_items[upto(d, COUNT(press_items))];
            act(d, s->type, "pr", range(d, s->gap_lo, s->gap_hi), w->id, d->company, s->subject,
                s->body, &v);
        }
    }

    /* The neighbours of De Kade. */
    const struct who *chair = &d->neighbours.w[0];
    json_t *evening =
        act(d, "meeting", "pr", 455, d->project, d->residents, "Informatieavond " PROJECT,
            "Ontwerp, planning en bouwlogistiek gepresenteerd in het buurthuis. "
            "Ongeveer 70 bezoekers. Zorgen over trillingen, parkeren en "
            "bouwverkeer; toegezegd: nulmeting van de woningen aan de Kanaalweg "
            "en een bewonerslijn.",
            NULL);
    also(evening, d->gemeente);
    for (int i = 0; i < d->neighbours.n; i++)
        if (i % 3 != 2)
            also(evening, d->neighbours.w[i].id);
    static const struct {
        int day;
        const char *subject, *body;
    } letters[] = {
        {440, "Bewonersbrief: start bouw " PROJECT,
         "Planning, werktijden (7.00-19.00 uur), bouwverkeer via de Vleutenseweg en het nummer "
         "van de bewonerslijn."},
        {340, "Bewonersbrief: heiwerkzaamheden",
         "De palen worden de komende zes weken ingetrild. Trillingsmeters op vier woningen."},
        {200, "Bewonersbrief: afsluiting Damstraat",
         "De Damstraat is drie weken afgesloten voor de aanleg van nutsvoorzieningen."},
        {60, "Bewonersbrief: hoogste punt en vervolg",
         "Het hoogste punt is bereikt. Vanaf nu vooral werk binnen; minder bouwverkeer."},
    };
    for (int l = 0; l < COUNT(letters); l++) {
        json_t *a = act(d, "email", "pr", letters[l].day, d->project, d->residents,
                        letters[l].subject, letters[l].body, NULL);
        for (int i = 0; i < d->neighbours.n; i++)
            if (d->neighbours.w[i].score != 2 || i % 2 == 0)
                also(a, d->neighbours.w[i].id);
    }
    /* Neighbours' complaints, each in its period (days ago): piling ran 340 .. 300. */
    static const struct {
        const char *subject, *body;
        int from, to;
    } gripes[] = {
        {"Klacht: trillingen door heiwerk",
         "Bewoner voelt trillingen in huis en is bang voor schade aan de fundering. "
         "Trillingsmeting nagekeken: binnen de norm. Uitleg gegeven.",
         338, 302},
        {"Klacht: bouwverkeer in de Damstraat",
         "Vrachtwagens rijden door de Damstraat in plaats van via de Vleutenseweg. Vervoerders "
         "opnieuw geïnstrueerd.",
         420, 60},
        {"Klacht: geluidsoverlast voor 7.00 uur",
         "Bouwkeet en aggregaat al om 6.30 uur aan. Met de uitvoerder afgesproken dat dit niet "
         "meer gebeurt.",
         420, 10},
        {"Klacht: parkeerplaatsen bezet door bouwpersoneel",
         "Bouwpersoneel parkeert in de wijk. Afgesproken dat iedereen op het eigen terrein of bij "
         "P+R parkeert.",
         330, 10},
        {"Klacht: scheur in gevel na heiwerk",
         "Bewoner meldt een nieuwe scheur boven het raam. Vergeleken met de nulmeting; "
         "schade-expert ingeschakeld.",
         320, 260},
    };
    for (int i = 0; i < d->neighbours.n; i++) {
        const struct who *w = &d->neighbours.w[i];
        struct vars v = {.n = w->name, .p = w->project};
        if (w->flags & W_KEEN)
            task(d, "pr", 430 + range(d, 0, 10), 60, w->id, d->project, "Nulmeting woning {n}",
                 "Bouwkundige opname van de woning aan de {p} vóór de start van het heiwerk.", &v);
        int n = w->score == 2 ? range(d, 1, 3) : w->score == 1 ? upto(d, 2) : 0;
        for (int k = 0; k < n; k++) {
            int g = upto(d, COUNT(gripes));
            int day = range(d, gripes[g].to, gripes[g].from);
            act(d, "complaint", "pr", day, w->id, d->project, gripes[g].subject, gripes[g].body,
                &v);
            if (k == 0)
                task(d, "pr", day - 1, 5, w->id, d->project, "Reactie op klacht {n}",
                     "Bewoner terugbellen en de afhandeling bevestigen per e-mail.", &v);
        }
        if (chance(d, 35)) {
            act(d, "call", "pr", range(d, 5, 400), w->id, d->project, "Bewonerslijn: vraag {n}",
                "Vraag over de planning en de werktijden. Beantwoord en de bewonersbrief nog eens "
                "gemaild.",
                &v);
        }
        if (i % 2 == 0) {
            static const int base[] = {8, 6, 3};
            survey(d, "pr", range(d, 90, 110), w->id, base[w->score] + upto(d, 3),
                   "Omgevingsonderzoek " PROJECT,
                   "Hoe tevreden bent u over de communicatie rond de bouw (0-10)?", &v);
        }
    }
    struct vars cv = {.n = chair->name, .c = chair->name};
    for (int m = 0; m < 5; m++)
        act(d, "meeting", "pr", 400 - m * 80 + range(d, 0, 10), d->residents, chair->id,
            "Klankbordgroep " PROJECT,
            "Overleg met de bewonersvereniging ({c}) over overlast, planning en de inrichting "
            "van de openbare ruimte.",
            &cv);
    planned_meeting(d, "pr", range(d, 4, 14), d->residents, chair->id, "Klankbordgroep " PROJECT,
                    "Agenda: inrichting binnenterrein, bomenplan, opleverplanning.", &cv);
    struct vars ov = {.c = ""};
    static const struct {
        int day;
        const char *subject, *body;
    } gemeente[] = {
        {520, "Overleg omgevingsvergunning " PROJECT,
         "Vooroverleg over de aanvraag; aandachtspunten zijn parkeernorm en groencompensatie."},
        {430, "Verkeersplan bouwlogistiek",
         "Bouwverkeer via de Vleutenseweg; venstertijden rond de scholen afgesproken."},
        {350, "Ontheffing geluid heiwerk",
         "Ontheffing voor zes weken heiwerk verleend onder voorwaarde van trillingsmetingen."},
        {150, "Afsluiting Damstraat",
         "Verkeersbesluit voor drie weken afsluiting; omleiding met borden aangegeven."},
        {25, "Inrichting openbare ruimte",
         "Ontwerp van de kade en het speelveld besproken; gemeente neemt het beheer over."},
    };
    for (int m = 0; m < COUNT(gemeente); m++) {
        json_t *a = act(d, "meeting", "pr", gemeente[m].day, d->gemeente, d->project,
                        gemeente[m].subject, gemeente[m].body, &ov);
        if (d->officer)
            also(a, d->officer);
    }
    task(d, "pr", 3, 9, d->project, d->gemeente, "Nieuwe bewonersbrief De Kade opstellen",
         "Onderwerpen: oplevering eerste blok, afsluiting kade, open dag.", NULL);
}

static void timeline(struct demo *d)
{
    for (int i = 0; i < d->customers.n; i++)
        customer_timeline(d, &d->customers.w[i]);
    staff_timeline(d);
    partner_timeline(d);
    supplier_timeline(d);
    pr_timeline(d);
}

/* Loading. */

static enum xrm_rc load_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct demo *d = arg;
    int64_t n = 0;
    enum xrm_rc rc = xrm_db_scalar_int(db, "SELECT COUNT(*) FROM parties", &n, err);
    if (rc)
        return rc;
    if (n > 0)
        return xrm_errf(err, XRM_E_CONFLICT,
                        "the database already holds %lld parties; load the demo into a new "
                        "database",
                        (long long)n);
    d->db = db;
    rc = load_company(d, err);
    if (!rc) /* HR: the organisation's departments, before the staff who work in them */
        rc = xrm_demo_hr_org_departments(db, d->user, err);
    if (!rc)
        rc = load_staff(d, err);
    if (!rc)
        rc = load_customer_orgs(d, err);
    if (!rc)
        rc = load_private_customers(d, err);
    if (!rc)
        rc = load_partners(d, err);
    if (!rc)
        rc = load_referrals(d, err);
    if (!rc)
        rc = load_suppliers(d, err);
    if (!rc)
        rc = load_press(d, err);
    if (!rc)
        rc = load_stakeholders(d, err);
    if (rc)
        return rc;
    if (d->progress) {
        int multi = 0;
        for (int i = 0; i < d->customers.n; i++)
            multi += (d->customers.w[i].flags &
                      (W_STAFF | W_PARTNER | W_SUPPLIER | W_PRESS | W_NEIGHBOUR)) != 0;
        fprintf(d->progress, "demo: %d customers, %d of them also in another role\n",
                d->customers.n, multi);
    }
    timeline(d);
    if (d->progress)
        fprintf(d->progress, "demo: %zu activities\n", json_array_size(d->acts));
    return insert_activities(d, err);
}

enum xrm_rc xrm_demo_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    struct demo *d = xrm_calloc(1, sizeof(*d));
    int64_t t0 = xrm_mono_ns();

    d->user = &ctx->user;
    d->progress = progress;
    d->rng = DEMO_SEED;
    d->today = time(NULL) / DAY * DAY;
    d->seen = json_object();
    d->acts = json_array();
    d->next_customer = 10140;
    d->next_supplier = 2000;
    enum xrm_rc rc = xrm_store_write(ctx->store, load_tx, d, err);
    if (!rc) /* demo users per domain */
        rc = xrm_demo_users_load(ctx, progress, err);
    if (!rc) /* deals, cases, agreements */
        rc = xrm_demo_sales_load(ctx, progress, err);
    if (!rc) /* HR: the organisation: managers, employment history, a fixed-term chain */
        rc = xrm_demo_hr_org_load(ctx, progress, err);
    if (!rc) /* HR absence: leave, sick leave */
        rc = xrm_demo_hr_absence_load(ctx, progress, err);
    if (!rc) /* HR: vacancies and applicants, on- and offboarding checklists */
        rc = xrm_demo_hr_recruit_load(ctx, progress, err);
    if (!rc) /* partners: deals via partners, commission statements, tier proposals */
        rc = xrm_demo_partners_load(ctx, progress, err);
    if (!rc) /* suppliers and public relations */
        rc = xrm_demo_srm_pr_load(ctx, progress, err);
    if (!rc) /* quotes and invoices */
        rc = xrm_demo_billing_load(ctx, progress, err);
    if (!rc) /* purchase invoices: two received UBL e-invoices from suppliers */
        rc = xrm_demo_purchase_load(ctx, progress, err);
    if (!rc) /* campaigns: a neighbour letter sent, a draft newsletter */
        rc = xrm_demo_campaigns_load(ctx, progress, err);
    if (!rc) /* mail received: mailboxes, a customer's mail, the review list */
        rc = xrm_demo_mailin_load(ctx, progress, err);
    if (!rc && progress)
        fprintf(progress, "demo: %d parties, %d roles, %d relationships, %d activities in %.1f s\n",
                d->nparties, d->nroles, d->nrels, d->nacts, (double)(xrm_mono_ns() - t0) / 1e9);
    json_decref(d->seen);
    json_decref(d->acts);
    free(d);
    return rc;
}
