/*
 * Benchmark data generator and loader: makes realistic Dutch parties, roles,
 * relationships and activities from a seeded PRNG and loads them through
 * xrm's own bulk path (POST /api/v1/import/{parties,relationships,activities},
 * NDJSON), never by writing the database behind xrm's back.
 *
 * Everything about party i is derived from a generator seeded with (seed, i),
 * so the data set is the same whatever the order in which batches are made
 * and sent (only the ids the server hands out may be in another order). Two threads each own one
 * keep-alive HTTP/1.1 connection; while one waits for the server (which serialises all writes
 * anyway) the other generates its next batch, so the generator is not the bottleneck
 * (--gen-only measures it alone).
 *
 * Phases: parties (ids collected from the responses), then relationships
 * and activities that reference those ids. A summary JSON object goes to
 * stdout; progress to stderr.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- random */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t g_seed = 42;

/* A generator for (stream, index): the same numbers however work is split. */
static void rng_init(struct rng *r, uint64_t stream, uint64_t index)
{
    uint64_t x = g_seed * 0x100000001b3ULL ^ (stream << 56) ^ index;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t next64(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n). */
static uint32_t below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((next64(r) >> 32) * (uint64_t)n) >> 32);
}

static int range(struct rng *r, int lo, int hi) /* inclusive */
{
    return lo + (int)below(r, (uint32_t)(hi - lo + 1));
}

static bool chance(struct rng *r, int percent)
{
    return (int)below(r, 100) < percent;
}

/* Skewed towards the start of a list (most common names first). */
static uint32_t skewed(struct rng *r, uint32_t n)
{
    uint32_t a = below(r, n), b = below(r, n);
    return a < b ? a : b;
}

#define PICK(r, list) (list[below(r, ARRAY_LEN(list))])
#define PICK_SKEWED(r, list) (list[skewed(r, ARRAY_LEN(list))])

/* Picks an index from a weight table. */
static int weighted(struct rng *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int x = (int)below(r, (uint32_t)total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ------------------------------------------------------------- Dutch data */

static const char *const given_m[] = {
    "Jan",     "Daan",   "Sem",    "Lucas",   "Levi",   "Finn",     "Bram",    "Thomas",
    "Pieter",  "Kees",   "Willem", "Hendrik", "Gerrit", "Cornelis", "Dirk",    "Ruben",
    "Jesse",   "Thijs",  "Lars",   "Tim",     "Niels",  "Mark",     "Jeroen",  "Bas",
    "Martijn", "Sander", "Erik",   "Henk",    "Joost",  "Maarten",  "Wouter",  "Stefan",
    "Rob",     "Frank",  "Peter",  "Hans",    "Arjen",  "Koen",     "Sven",    "Milan",
    "Noah",    "Luuk",   "Tom",    "Rik",     "Gijs",   "Jasper",   "Vincent", "Daniël",
    "Johan",   "Marco",  "Ronald", "Edwin",   "Dennis", "Michiel",  "Wim",     "Ad",
};
static const char *const given_f[] = {
    "Emma",      "Julia",   "Sophie", "Tess",    "Sanne",    "Lisa",    "Eva",     "Anne",
    "Fleur",     "Lotte",   "Femke",  "Iris",    "Noor",     "Saskia",  "Marieke", "Linda",
    "Esther",    "Monique", "Ingrid", "Els",     "Annemiek", "Petra",   "Karin",   "Wilma",
    "Ria",       "Anouk",   "Kim",    "Lieke",   "Inge",     "Mirjam",  "Marloes", "Evi",
    "Sara",      "Nina",    "Zoë",    "Renée",   "Loes",     "Ilse",    "Yvonne",  "Hanneke",
    "Marjolein", "Chantal", "Bianca", "Jolanda", "Mieke",    "Janneke", "Johanna", "Maria",
    "Anna",      "Joke",    "Judith", "Daphne",  "Roos",     "Merel",   "Jasmijn", "Maud",
};

struct family {
    const char *prefix; /* "" when none */
    const char *name;
};

/* Roughly in order of frequency in the Netherlands. */
static const struct family families[] = {
    {"de", "Jong"},        {"", "Jansen"},        {"de", "Vries"},       {"van den", "Berg"},
    {"van", "Dijk"},       {"", "Bakker"},        {"", "Janssen"},       {"", "Visser"},
    {"", "Smit"},          {"", "Meijer"},        {"de", "Boer"},        {"", "Mulder"},
    {"de", "Groot"},       {"", "Bos"},           {"", "Vos"},           {"", "Peters"},
    {"", "Hendriks"},      {"van", "Leeuwen"},    {"", "Dekker"},        {"", "Brouwer"},
    {"de", "Wit"},         {"", "Dijkstra"},      {"", "Smits"},         {"de", "Graaf"},
    {"van der", "Meer"},   {"van der", "Linden"}, {"", "Kok"},           {"", "Jacobs"},
    {"de", "Haan"},        {"", "Vermeulen"},     {"van den", "Heuvel"}, {"van der", "Veen"},
    {"van den", "Broek"},  {"de", "Bruijn"},      {"de", "Bruin"},       {"van der", "Heijden"},
    {"", "Schouten"},      {"van", "Beek"},       {"", "Willems"},       {"van", "Vliet"},
    {"van de", "Ven"},     {"", "Hoekstra"},      {"", "Maas"},          {"", "Verhoeven"},
    {"", "Koster"},        {"van", "Dam"},        {"van der", "Wal"},    {"", "Prins"},
    {"", "Blom"},          {"", "Huisman"},       {"", "Peeters"},       {"de", "Jonge"},
    {"", "Kuipers"},       {"van", "Veen"},       {"", "Post"},          {"", "Kuiper"},
    {"", "Veenstra"},      {"", "Kramer"},        {"van den", "Brink"},  {"", "Scholten"},
    {"van", "Wijk"},       {"", "Postma"},        {"", "Martens"},       {"", "Vink"},
    {"de", "Ruiter"},      {"", "Timmermans"},    {"", "Groen"},         {"", "Gerritsen"},
    {"", "Jonker"},        {"van", "Loon"},       {"", "Boer"},          {"van der", "Velde"},
    {"", "Willemsen"},     {"", "Smeets"},        {"de", "Lange"},       {"de", "Vos"},
    {"", "Bosch"},         {"van", "Dongen"},     {"", "Schipper"},      {"de", "Koning"},
    {"van der", "Laan"},   {"", "Koning"},        {"van der", "Velden"}, {"", "Driessen"},
    {"van", "Doorn"},      {"", "Hermans"},       {"", "Evers"},         {"van den", "Bosch"},
    {"van der", "Meulen"}, {"", "Hofman"},        {"", "Bosman"},        {"", "Wolters"},
    {"", "Sanders"},       {"van der", "Horst"},  {"", "Mol"},           {"", "Kuijpers"},
    {"", "Molenaar"},      {"van de", "Pol"},     {"de", "Leeuw"},       {"", "Verbeek"},
    {"", "El Amrani"},     {"", "Yilmaz"},        {"", "Öztürk"},        {"", "Nguyen"},
    {"", "Pinas"},         {"ter", "Horst"},      {"in 't", "Veld"},     {"van 't", "Hof"},
};

struct city {
    const char *name;
    int pc_lo, pc_hi; /* postcode digits */
    const char *area; /* phone area code */
    int weight;
};

static const struct city cities[] = {
    {"Amsterdam", 1011, 1109, "020", 90},
    {"Rotterdam", 3011, 3089, "010", 65},
    {"Den Haag", 2491, 2599, "070", 55},
    {"Utrecht", 3511, 3585, "030", 36},
    {"Eindhoven", 5611, 5658, "040", 24},
    {"Groningen", 9711, 9747, "050", 23},
    {"Tilburg", 5011, 5049, "013", 22},
    {"Almere", 1311, 1363, "036", 22},
    {"Breda", 4811, 4839, "076", 19},
    {"Nijmegen", 6511, 6546, "024", 18},
    {"Apeldoorn", 7311, 7339, "055", 17},
    {"Haarlem", 2011, 2037, "023", 16},
    {"Arnhem", 6811, 6846, "026", 16},
    {"Enschede", 7511, 7548, "053", 16},
    {"Amersfoort", 3811, 3830, "033", 16},
    {"Zaandam", 1501, 1509, "075", 16},
    {"'s-Hertogenbosch", 5211, 5237, "073", 16},
    {"Zwolle", 8011, 8043, "038", 13},
    {"Leiden", 2311, 2334, "071", 13},
    {"Maastricht", 6211, 6229, "043", 12},
    {"Dordrecht", 3311, 3328, "078", 12},
    {"Delft", 2611, 2629, "015", 10},
    {"Alkmaar", 1811, 1827, "072", 11},
    {"Deventer", 7411, 7428, "0570", 10},
    {"Leeuwarden", 8911, 8939, "058", 12},
    {"Hilversum", 1211, 1223, "035", 9},
    {"Gouda", 2801, 2809, "0182", 7},
    {"Middelburg", 4331, 4339, "0118", 5},
    {"Assen", 9401, 9409, "0592", 7},
    {"Lelystad", 8211, 8245, "0320", 8},
    {"Venlo", 5911, 5928, "077", 10},
    {"Heerlen", 6411, 6433, "045", 9},
    {"Zeist", 3701, 3709, "030", 6},
    {"Ede", 6711, 6718, "0318", 11},
    {"Emmen", 7811, 7826, "0591", 11},
    {"Hoorn", 1621, 1628, "0229", 7},
    {"Purmerend", 1441, 1448, "0299", 8},
    {"Schiedam", 3111, 3125, "010", 8},
    {"Veenendaal", 3901, 3907, "0318", 7},
    {"Woerden", 3441, 3449, "0348", 5},
    {"Houten", 3991, 3995, "030", 5},
    {"Bussum", 1401, 1406, "035", 3},
    {"Harderwijk", 3841, 3848, "0341", 5},
    {"Wageningen", 6701, 6709, "0317", 4},
    {"Katwijk", 2221, 2225, "071", 6},
    {"Vlissingen", 4381, 4389, "0118", 4},
    {"Roermond", 6041, 6049, "0475", 6},
    {"Oss", 5341, 5351, "0412", 9},
    {"Sittard", 6131, 6137, "046", 9},
    {"Helmond", 5701, 5709, "0492", 9},
    {"Goes", 4461, 4465, "0113", 4},
    {"Meppel", 7941, 7944, "0522", 3},
    {"Winterswijk", 7101, 7108, "0543", 3},
    {"Drachten", 9201, 9204, "0512", 5},
    {"Heerenveen", 8441, 8448, "0513", 5},
    {"Doetinchem", 7001, 7009, "0314", 6},
};
static int city_weights[ARRAY_LEN(cities)];

static const char *const streets[] = {
    "Dorpsstraat",        "Kerkstraat",       "Hoofdstraat",
    "Molenweg",           "Stationsweg",      "Schoolstraat",
    "Julianastraat",      "Wilhelminastraat", "Beatrixlaan",
    "Nieuwstraat",        "Marktplein",       "Parallelweg",
    "Industrieweg",       "Kastanjelaan",     "Eikenlaan",
    "Lindenlaan",         "Beukenlaan",       "Sportlaan",
    "Prins Bernhardlaan", "Oranjestraat",     "Emmastraat",
    "Mozartlaan",         "Rembrandtlaan",    "Vondelstraat",
    "Havenstraat",        "Zuiderweg",        "Noordweg",
    "Kanaalweg",          "Voorstraat",       "Achterweg",
    "Kerkplein",          "Spoorstraat",      "Tulpstraat",
    "Rozenstraat",        "Kennedylaan",      "Churchilllaan",
    "Van Goghstraat",     "Dahliastraat",     "Herengracht",
    "Prinsengracht",      "Keizersgracht",    "Oudegracht",
    "Lange Voorhout",     "Vismarkt",         "Burgemeester de Withstraat",
    "Nassaulaan",         "Meidoornstraat",   "Populierenlaan",
    "Esdoornlaan",        "Berkenlaan",       "Gildestraat",
    "Ambachtsweg",        "Handelsweg",       "Energieweg",
    "Edisonstraat",
};

static const char *const bank_codes[] = {"ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB",
                                         "KNAB", "BUNQ", "RBRB", "INGB", "RABO"};
static const char *const mail_providers[] = {
    "gmail.com", "hotmail.com", "outlook.com", "ziggo.nl",   "kpnmail.nl", "xs4all.nl",
    "live.nl",   "planet.nl",   "home.nl",     "icloud.com", "hetnet.nl",  "gmail.com",
};
static const char *const org_trades[] = {
    "Bouwbedrijf",       "Installatiebedrijf",   "Bakkerij",          "Autobedrijf",
    "Transportbedrijf",  "Schildersbedrijf",     "Hoveniersbedrijf",  "Loodgietersbedrijf",
    "Dakdekkersbedrijf", "Administratiekantoor", "Adviesbureau",      "Makelaardij",
    "Tandartspraktijk",  "Fysiotherapie",        "Kinderopvang",      "Drukkerij",
    "Slagerij",          "Bloemisterij",         "Architectenbureau", "Accountantskantoor",
    "Advocatenkantoor",  "Timmerbedrijf",        "Elektrotechniek",   "Schoonmaakbedrijf",
    "Cateringbedrijf",   "Verhuisbedrijf",       "Metaalbewerking",   "Kapsalon",
};
static const char *const org_words[] = {
    "Techniek", "Solutions", "Groep",  "Software", "Logistiek", "Media",    "Consultancy",
    "Zorg",     "Energie",   "Bouw",   "Vastgoed", "Services",  "Design",   "Data",
    "Digital",  "Partners",  "Metaal", "Food",     "Retail",    "Mobility", "Finance",
};
static const char *const org_adjs[] = {"Noord", "Zuid",   "Oost",  "West",   "Holland",
                                       "Delta", "Polder", "Kroon", "Oranje", "Nova",
                                       "Linde", "Duin",   "Maas",  "Rijn",   "IJssel"};

static const char *const segments[] = {"consumer",   "smb",    "smb", "mid-market",
                                       "enterprise", "public", "smb", "consumer"};
static const char *const job_titles[] = {
    "Accountmanager",
    "Software developer",
    "Projectleider",
    "Financieel medewerker",
    "HR-adviseur",
    "Magazijnmedewerker",
    "Office manager",
    "Marketeer",
    "Klantenservicemedewerker",
    "Teamleider",
    "Monteur",
    "Directeur",
    "Stagiair",
    "Data-analist",
    "Inkoper",
    "Verkoopmedewerker",
};
/*
 * The HR departments: an employee's department attribute holds a department
 * id, so bench.py creates these (in this order, ids 1 to 10) before the load.
 */
static const char *const departments[] = {"Sales",      "IT",        "Finance",        "HR",
                                          "Operations", "Marketing", "Klantenservice", "Inkoop",
                                          "Directie",   "Logistiek"};
static const char *const contract_types[] = {"permanent", "permanent", "permanent", "temporary",
                                             "temporary", "freelance", "intern",    "zero_hours"};
static const char *const partner_types[] = {"reseller",   "referral", "strategic",
                                            "technology", "reseller", "referral"};
static const char *const supplier_categories[] = {
    "kantoorartikelen", "ICT-hardware", "software", "schoonmaak", "catering",    "transport",
    "grondstoffen",     "energie",      "advies",   "drukwerk",   "beveiliging", "facilitair"};
static const char *const outlets[] = {"NRC",
                                      "de Volkskrant",
                                      "Algemeen Dagblad",
                                      "Trouw",
                                      "Het Parool",
                                      "NOS",
                                      "RTL Nieuws",
                                      "Het Financieele Dagblad",
                                      "De Telegraaf",
                                      "BNR Nieuwsradio",
                                      "Dagblad van het Noorden",
                                      "De Gelderlander",
                                      "Tubantia",
                                      "Omroep Brabant",
                                      "Sprout",
                                      "Emerce",
                                      "Computable",
                                      "Leeuwarder Courant",
                                      "Brabants Dagblad",
                                      "NU.nl"};
static const char *const beats[] = {"economie", "technologie",  "regio", "bouw en wonen",
                                    "mkb",      "duurzaamheid", "zorg",  "arbeidsmarkt"};
static const char *const projects[] = {
    "Nieuwbouw Leidsche Rijn", "Uitbreiding bedrijventerrein De Hoek",
    "Windpark Noordzeekanaal", "Renovatie stationsgebied",
    "Zonneweide Middenmeer",   "Herinrichting Marktplein",
    "Distributiecentrum A2",   "Woontoren Kop van Zuid",
    "Fietsbrug over de Maas",  "Transformatie kantoorpand Hoog Catharijne"};
static const char *const tags_person[] = {"nieuwsbrief", "vip",       "beurs-2024",   "webinar",
                                          "ambassadeur", "oud-klant", "bewonersavond"};
static const char *const tags_org[] = {"mkb",          "key-account",   "overheid", "beurs-2024",
                                       "raamcontract", "prospect-2025", "duurzaam"};

/* ----------------------------------------------------------------- roles */

enum { R_CUSTOMER = 1, R_EMPLOYEE = 2, R_PARTNER = 4, R_SUPPLIER = 8, R_PRESS = 16, R_STAKE = 32 };

struct combo {
    int mask;
    int weight;
};

/*
 * Role combinations. Persons average 1.35 roles, organisations 1.9, so the
 * whole set averages 0.7 * 1.35 + 0.3 * 1.9 = 1.515 roles per party.
 */
static const struct combo person_combos[] = {
    {R_CUSTOMER, 42},
    {R_CUSTOMER | R_EMPLOYEE, 11}, /* staff who buy from us */
    {R_EMPLOYEE, 6},
    {R_CUSTOMER | R_STAKE, 10}, /* customers living next to a building project */
    {R_STAKE, 9},
    {R_PRESS, 3},
    {R_PRESS | R_CUSTOMER, 2},   /* a journalist who is also a customer */
    {R_CUSTOMER | R_PARTNER, 4}, /* a freelance referral partner who buys */
    {R_CUSTOMER | R_EMPLOYEE | R_STAKE, 3},
    {R_CUSTOMER | R_SUPPLIER, 5}, /* a freelancer we hire who also buys */
    {R_PRESS | R_STAKE, 1},
    {0, 4}, /* contact persons only */
};
static const struct combo org_combos[] = {
    {R_CUSTOMER, 15},
    {R_SUPPLIER, 10},
    {R_PARTNER, 5},
    {R_PARTNER | R_CUSTOMER, 15},
    {R_SUPPLIER | R_CUSTOMER, 20},
    {R_PARTNER | R_SUPPLIER | R_CUSTOMER, 25},
    {R_STAKE, 3},
    {R_CUSTOMER | R_STAKE, 5},
    {R_PRESS, 2},
};

static int combo_pick(struct rng *r, const struct combo *c, int n)
{
    int w[32];
    for (int i = 0; i < n; i++)
        w[i] = c[i].weight;
    return c[weighted(r, w, n)].mask;
}

/* --------------------------------------------------------------- buffers */

struct buf {
    char *s;
    size_t len, cap;
};

static void buf_grow(struct buf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1)
        cap *= 2;
    b->s = realloc(b->s, cap);
    if (!b->s) {
        fprintf(stderr, "gen-load: out of memory\n");
        exit(1);
    }
    b->cap = cap;
}

static void addn(struct buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void adds(struct buf *b, const char *s)
{
    addn(b, s, strlen(s));
}

static void addc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

static void addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (!b->s || b->len + (size_t)n + 1 > b->cap) {
        buf_grow(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* A JSON string; the generator's own strings only need '"' and '\' escaped. */
static void addq(struct buf *b, const char *s)
{
    addc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            addc(b, '\\');
        addc(b, *s);
    }
    addc(b, '"');
}

static void addkv(struct buf *b, const char *k, const char *v)
{
    addq(b, k);
    addc(b, ':');
    addq(b, v);
}

/* Lower-case ASCII for e-mail addresses: letters and digits only, common accents dropped. */
static void add_mailpart(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            addc(b, (char)(*p + 32));
        else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            addc(b, (char)*p);
        else if (*p == 0xc3 && p[1]) {
            unsigned c = p[1];
            p++;
            if (c == 0xab || c == 0xa9 || c == 0xa8 || c == 0x89)
                addc(b, 'e');
            else if (c == 0xb6 || c == 0x96)
                addc(b, 'o');
            else if (c == 0xbc || c == 0x9c)
                addc(b, 'u');
            else if (c == 0xaf)
                addc(b, 'i');
        }
    }
}

/* ------------------------------------------------------ Dutch identifiers */

/* A valid Dutch IBAN with a unique account number for key. */
static void make_iban(char out[19], const char *bank, uint64_t key)
{
    char acct[11];
    uint64_t a = (key * 2654435761ULL + 1000003ULL) % 10000000000ULL;
    snprintf(acct, sizeof(acct), "%010llu", (unsigned long long)a);
    /* check digits: BBAN + "NL00" as numbers (A = 10 .. Z = 35), mod 97 */
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%s%sNL00", bank, acct);
    unsigned r = 0;
    for (const char *p = tmp; *p; p++) {
        if (*p >= '0' && *p <= '9')
            r = (r * 10 + (unsigned)(*p - '0')) % 97;
        else
            r = (r * 100 + (unsigned)(*p - 'A' + 10)) % 97;
    }
    unsigned check = 98 - r;
    snprintf(out, 19, "NL%02u%s%s", check, bank, acct);
}

/* A unique 8-digit KvK number for index i (a bijection on 0..89,999,999). */
static void make_kvk(char out[9], uint64_t i)
{
    uint64_t v = 10000000ULL + (i * 7919ULL + 12345ULL) % 90000000ULL;
    snprintf(out, 9, "%08llu", (unsigned long long)v);
}

/* NL BTW-id "NL" + 9 digits passing the elfproef + "B01". */
static void make_vat(char out[15], struct rng *r)
{
    int d[9];
    for (;;) {
        int sum = 0;
        for (int k = 0; k < 8; k++) {
            d[k] = k == 0 ? range(r, 1, 9) : range(r, 0, 9);
            sum += d[k] * (9 - k);
        }
        int last = sum % 11;
        if (last <= 9) {
            d[8] = last; /* sum - last is then a multiple of 11 */
            break;
        }
    }
    snprintf(out, 15, "NL%d%d%d%d%d%d%d%d%dB01", d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
             d[8]);
}

static void make_postcode(char out[8], struct rng *r, const struct city *c)
{
    static const char letters[] = "ABCDEGHJKLMNPRSTVWXZ";
    char a, b;
    do {
        a = letters[below(r, sizeof(letters) - 1)];
        b = letters[below(r, sizeof(letters) - 1)];
    } while (a == 'S' && (b == 'A' || b == 'D' || b == 'S'));
    snprintf(out, 8, "%04d %c%c", range(r, c->pc_lo, c->pc_hi), a, b);
}

static void add_house_number(struct buf *b, struct rng *r)
{
    int n = chance(r, 70) ? range(r, 1, 60) : range(r, 1, 350);
    if (chance(r, 8))
        addf(b, "%d%c", n, "abcd"[below(r, 4)]);
    else if (chance(r, 4))
        addf(b, "%d-%s", n, chance(r, 50) ? "I" : "II");
    else
        addf(b, "%d", n);
}

static void add_date(struct buf *b, struct rng *r, int y0, int y1)
{
    addf(b, "\"%04d-%02d-%02d\"", range(r, y0, y1), range(r, 1, 12), range(r, 1, 28));
}

/* --------------------------------------------------------------- parties */

static long g_n;         /* parties */
static uint8_t *g_kind;  /* 1 = organisation */
static uint8_t *g_roles; /* role mask */
static int64_t *g_ids;   /* server id of party i */
static uint32_t *g_orgs, *g_persons;
static long g_norgs, g_npersons;

enum { ST_PARTY = 1, ST_REL = 2, ST_ACT = 3, ST_SHAPE = 4 };

static void shape_party(long i)
{
    struct rng r;
    rng_init(&r, ST_SHAPE, (uint64_t)i);
    bool org = below(&r, 100) >= 70;
    g_kind[i] = org;
    g_roles[i] = (uint8_t)(org ? combo_pick(&r, org_combos, ARRAY_LEN(org_combos))
                               : combo_pick(&r, person_combos, ARRAY_LEN(person_combos)));
}

static void add_role(struct buf *b, struct rng *r, int role, long i, bool org)
{
    addc(b, '{');
    switch (role) {
    case R_CUSTOMER: {
        static const char *const st[] = {"active", "active",   "active", "active",
                                         "active", "prospect", "lead",   "former"};
        addf(b, "\"type\":\"customer\",\"status\":\"%s\",\"since\":", PICK(r, st));
        add_date(b, r, 2008, 2025);
        addf(b, ",\"attributes\":{\"customer_number\":\"K%07ld\",\"segment\":\"%s\"", i + 1,
             org ? PICK(r, segments) : "consumer");
        if (chance(r, 60))
            addf(b, ",\"satisfaction\":%d", chance(r, 80) ? range(r, 6, 10) : range(r, 0, 10));
        if (org || chance(r, 20))
            addf(b, ",\"payment_terms_days\":%d", (int[]){14, 30, 30, 30, 60}[below(r, 5)]);
        addc(b, '}');
        break;
    }
    case R_EMPLOYEE: {
        static const char *const st[] = {"active",   "active", "active",   "active",
                                         "on_leave", "former", "applicant"};
        const char *status = PICK(r, st);
        struct buf since = {0};
        add_date(&since, r, 2000, 2025);
        addf(b, "\"type\":\"employee\",\"status\":\"%s\",\"since\":%s", status, since.s);
        addf(b,
             ",\"attributes\":{\"employee_number\":\"P%06ld\",\"job_title\":\"%s\","
             "\"department\":%d,\"contract_type\":\"%s\",\"hours_per_week\":%s,"
             "\"salary\":%d",
             i + 1, PICK(r, job_titles), 1 + (int)below(r, ARRAY_LEN(departments)),
             PICK(r, contract_types),
             (const char *[]){"40", "36", "32", "24", "38", "20", "32.5"}[below(r, 7)],
             range(r, 2400, 9000) * 100 * 13);
        addf(b, ",\"start_date\":%s}", since.s);
        free(since.s);
        break;
    }
    case R_PARTNER: {
        static const char *const tiers[] = {"bronze", "bronze", "bronze", "bronze", "silver",
                                            "silver", "silver", "gold",   "gold",   "strategic"};
        addf(b, "\"type\":\"partner\",\"status\":\"%s\",\"since\":",
             chance(r, 85) ? "active" : "prospect");
        add_date(b, r, 2012, 2025);
        addf(b,
             ",\"attributes\":{\"tier\":\"%s\",\"partner_type\":\"%s\",\"commission_pct\":%d,"
             "\"agreement_until\":",
             PICK(r, tiers), PICK(r, partner_types), range(r, 2, 25));
        add_date(b, r, 2025, 2029);
        addc(b, '}');
        break;
    }
    case R_SUPPLIER:
        addf(b, "\"type\":\"supplier\",\"status\":\"%s\",\"since\":",
             chance(r, 90) ? "active" : "blocked");
        add_date(b, r, 2005, 2025);
        addf(b,
             ",\"attributes\":{\"supplier_number\":\"L%06ld\",\"category\":\"%s\","
             "\"rating\":%d,\"preferred\":%s,\"payment_terms_days\":%d,\"lead_time_days\":%d}",
             i + 1, PICK(r, supplier_categories), range(r, 1, 5), chance(r, 25) ? "true" : "false",
             (int[]){14, 30, 30, 60}[below(r, 4)], range(r, 1, 30));
        break;
    case R_PRESS:
        addf(b,
             "\"type\":\"press\",\"status\":\"active\",\"attributes\":{\"outlet\":\"%s\","
             "\"beat\":\"%s\",\"reach\":%d}",
             PICK(r, outlets), PICK(r, beats), range(r, 1, 2000) * 1000);
        break;
    case R_STAKE: {
        static const char *const stance[] = {"supportive", "neutral", "neutral", "opposed"};
        addf(b,
             "\"type\":\"stakeholder\",\"status\":\"active\",\"attributes\":{\"project\":\"%s\","
             "\"interest\":\"%s\",\"influence\":\"%s\",\"stance\":\"%s\"}",
             PICK_SKEWED(r, projects), chance(r, 60) ? "high" : "low",
             chance(r, 30) ? "high" : "low", PICK(r, stance));
        break;
    }
    }
    addc(b, '}');
}

static void add_phone(struct buf *b, struct rng *r, const char *label, bool mobile,
                      const struct city *c)
{
    addf(b, "{\"label\":\"%s\",\"value\":\"", label);
    if (mobile) {
        addf(b, "06 %d%07d", range(r, 1, 5), range(r, 0, 9999999));
    } else {
        int digits = 10 - (int)strlen(c->area);
        int lo = 2;
        int hi = 9;
        addf(b, "%s %d", c->area, range(r, lo, hi));
        for (int k = 1; k < digits; k++)
            addc(b, (char)('0' + below(r, 10)));
    }
    adds(b, "\"}");
}

static void add_address(struct buf *b, struct rng *r, const char *label, const struct city *c)
{
    char pc[8];
    make_postcode(pc, r, c);
    addf(b, "{\"label\":\"%s\",", label);
    addkv(b, "street", PICK_SKEWED(r, streets));
    adds(b, ",\"house_number\":\"");
    add_house_number(b, r);
    addf(b, "\",\"postcode\":\"%s\",", pc);
    addkv(b, "city", c->name);
    adds(b, ",\"country\":\"NL\"}");
}

static void add_capitalised(struct buf *b, const char *prefix)
{
    if (!*prefix)
        return;
    addc(b, (char)(prefix[0] >= 'a' && prefix[0] <= 'z' ? prefix[0] - 32 : prefix[0]));
    adds(b, prefix + 1);
    addc(b, ' ');
}

/* Appends party i as one NDJSON line. */
static void gen_party(struct buf *b, long i)
{
    struct rng r;
    rng_init(&r, ST_PARTY, (uint64_t)i);
    const struct city *c = &cities[weighted(&r, city_weights, ARRAY_LEN(cities))];
    bool org = g_kind[i];
    int roles = g_roles[i];
    char iban[19], kvk[9];

    addc(b, '{');
    if (!org) {
        bool female = chance(&r, 50);
        const char *given = female ? PICK_SKEWED(&r, given_f) : PICK_SKEWED(&r, given_m);
        const struct family *f = &PICK_SKEWED(&r, families);
        adds(b, "\"kind\":\"person\",");
        addkv(b, "given_name", given);
        if (*f->prefix) {
            addc(b, ',');
            addkv(b, "family_prefix", f->prefix);
        }
        addc(b, ',');
        addkv(b, "family_name", f->name);
        adds(b, ",\"emails\":[{\"label\":\"home\",\"value\":\"");
        add_mailpart(b, given);
        addc(b, '.');
        add_mailpart(b, f->prefix);
        add_mailpart(b, f->name);
        addf(b, "%ld@%s\"}", i, PICK_SKEWED(&r, mail_providers));
        if (roles & (R_PRESS | R_EMPLOYEE)) {
            adds(b, ",{\"label\":\"work\",\"value\":\"");
            add_mailpart(b, given);
            addc(b, '.');
            add_mailpart(b, f->name);
            addf(b, "%ld@%s\"}", i, roles & R_PRESS ? "redactie.nl" : "ons-bedrijf.nl");
        }
        adds(b, "],\"phones\":[");
        add_phone(b, &r, "mobile", true, c);
        if (chance(&r, 25)) {
            addc(b, ',');
            add_phone(b, &r, "home", false, c);
        }
        adds(b, "],\"addresses\":[");
        add_address(b, &r, "home", c);
        adds(b, "]");
        if (chance(&r, 80)) {
            make_iban(iban, PICK(&r, bank_codes), (uint64_t)i);
            addf(b, ",\"iban\":\"%s\"", iban);
        }
        if (chance(&r, 30))
            addf(b, ",\"tags\":[\"%s\"]", PICK_SKEWED(&r, tags_person));
    } else {
        struct buf name = {0}, slug = {0};
        const struct family *f = &PICK_SKEWED(&r, families);
        int style = (int)below(&r, 10);
        if (roles & R_STAKE && chance(&r, 40)) {
            addf(&name, "%s %s", chance(&r, 50) ? "Bewonersvereniging" : "Gemeente", c->name);
        } else if (roles & R_PRESS) {
            addf(&name, "%s Media %s", PICK(&r, org_adjs), chance(&r, 50) ? "B.V." : "Groep");
        } else if (style < 4) {
            addf(&name, "%s ", PICK(&r, org_trades));
            add_capitalised(&name, f->prefix);
            adds(&name, f->name);
        } else if (style < 6) {
            add_capitalised(&name, f->prefix);
            addf(&name, "%s %s", f->name, PICK(&r, org_words));
        } else if (style < 8) {
            addf(&name, "%s%s %s", PICK(&r, org_adjs), chance(&r, 50) ? "" : "land",
                 PICK(&r, org_words));
        } else if (style < 9) {
            addf(&name, "%s %s", c->name, PICK(&r, org_words));
        } else {
            add_capitalised(&name, f->prefix);
            addf(&name, "%s & %s", f->name, chance(&r, 50) ? "Zn." : "Partners");
        }
        add_mailpart(&slug, name.s);
        if (slug.len > 20)
            slug.len = 20, slug.s[20] = '\0';
        int legal = (int)below(&r, 20);
        if (strncmp(name.s, "Gemeente", 8) && strncmp(name.s, "Bewoners", 8)) {
            if (legal < 12)
                adds(&name, " B.V.");
            else if (legal < 14)
                adds(&name, " V.O.F.");
            else if (legal == 14)
                adds(&name, " N.V.");
        }
        adds(b, "\"kind\":\"organization\",");
        addkv(b, "name", name.s);
        make_kvk(kvk, (uint64_t)i);
        addf(b, ",\"kvk\":\"%s\"", kvk);
        if (chance(&r, 70)) {
            char vat[15];
            make_vat(vat, &r);
            addf(b, ",\"vat\":\"%s\"", vat);
        }
        addf(b, ",\"emails\":[{\"label\":\"work\",\"value\":\"info@%s%ld.nl\"}", slug.s, i);
        if (roles & R_CUSTOMER && chance(&r, 50))
            addf(b, ",{\"label\":\"billing\",\"value\":\"facturen@%s%ld.nl\"}", slug.s, i);
        adds(b, "],\"phones\":[");
        add_phone(b, &r, "work", false, c);
        adds(b, "],\"websites\":[");
        addf(b, "{\"label\":\"web\",\"value\":\"https://www.%s%ld.nl\"}", slug.s, i);
        adds(b, "],\"addresses\":[");
        add_address(b, &r, "visit", c);
        if (chance(&r, 20)) {
            adds(b, ",{\"label\":\"post\",\"street\":\"Postbus ");
            addf(b, "%d\",\"postcode\":\"%04d AA\",", range(&r, 1, 9999), c->pc_lo);
            addkv(b, "city", c->name);
            adds(b, ",\"country\":\"NL\"}");
        }
        adds(b, "]");
        if (chance(&r, 95)) {
            make_iban(iban, PICK(&r, bank_codes), (uint64_t)i + 0x5a5a5a5aULL);
            addf(b, ",\"iban\":\"%s\"", iban);
        }
        if (chance(&r, 40))
            addf(b, ",\"tags\":[\"%s\"]", PICK_SKEWED(&r, tags_org));
        free(name.s);
        free(slug.s);
    }
    if (roles) {
        adds(b, ",\"roles\":[");
        bool first = true;
        for (int bit = 1; bit <= R_STAKE; bit <<= 1) {
            if (!(roles & bit))
                continue;
            if (!first)
                addc(b, ',');
            first = false;
            add_role(b, &r, bit, i, org);
        }
        addc(b, ']');
    }
    adds(b, "}\n");
}

/* --------------------------------------------------------- relationships */

/* A party of the given kind; 10% of picks go to the first 1% (big organisations). */
static long pick_party(struct rng *r, bool org)
{
    uint32_t *list = org ? g_orgs : g_persons;
    long n = org ? g_norgs : g_npersons;
    if (n == 0)
        return -1;
    if (chance(r, 10))
        return list[below(r, (uint32_t)(n / 100 + 1))];
    return list[below(r, (uint32_t)n)];
}

struct reltype {
    const char *name;
    bool from_org, to_org, symmetric;
};

static const struct reltype reltypes[] = {
    {"works_at", false, true, false},       /* 0 */
    {"contact_for", false, true, false},    /* 1 */
    {"family_of", false, false, true},      /* 2 */
    {"spouse_of", false, false, true},      /* 3 */
    {"referred_by", false, false, false},   /* 4 */
    {"manager_of", false, false, false},    /* 5 */
    {"stakeholder_of", false, true, false}, /* 6 */
    {"subsidiary_of", true, true, false},   /* 7 */
    {"supplier_of", true, true, false},     /* 8 */
    {"partner_of", true, true, true},       /* 9 */
    {"referred_by", true, true, false},     /* 10 */
    {"stakeholder_of", true, true, false},  /* 11 */
};
static const int rel_w_person[] = {35, 20, 10, 5, 10, 10, 10, 0, 0, 0, 0, 0};
static const int rel_w_org[] = {0, 0, 0, 0, 0, 0, 0, 8, 37, 25, 15, 15};

static long g_rel_per_party = 3; /* average, as the 'from' side */
static long g_act_per_party = 5;

/* Relationships from party i (1 to 2 * average - 1 of them, no duplicates). */
static long gen_rels(struct buf *b, long i)
{
    struct rng r;
    rng_init(&r, ST_REL, (uint64_t)i);
    bool org = g_kind[i];
    int count = range(&r, 1, (int)(2 * g_rel_per_party - 1));
    int done_type[16];
    long done_to[16];
    int ndone = 0;
    long made = 0;
    for (int k = 0; k < count && k < 16; k++) {
        int t = weighted(&r, org ? rel_w_org : rel_w_person, ARRAY_LEN(reltypes));
        const struct reltype *rt = &reltypes[t];
        long to = -1;
        for (int tries = 0; tries < 8 && to < 0; tries++) {
            long j = pick_party(&r, rt->to_org);
            /* Symmetric links only from the lower index, so no pair is made twice. */
            if (j < 0 || j == i || (rt->symmetric && j < i))
                continue;
            /* An employee's manager is the employee role's attribute, not a link. */
            if (t == 5 && (g_roles[j] & R_EMPLOYEE))
                continue;
            bool dup = false;
            for (int d = 0; d < ndone; d++)
                dup = dup || (done_to[d] == j && !strcmp(reltypes[done_type[d]].name, rt->name));
            if (!dup)
                to = j;
        }
        if (to < 0)
            continue;
        done_type[ndone] = t;
        done_to[ndone++] = to;
        addf(b, "{\"type\":\"%s\",\"from\":%lld,\"to\":%lld,\"since\":", rt->name,
             (long long)g_ids[i], (long long)g_ids[to]);
        add_date(b, &r, 1995, 2025);
        adds(b, "}\n");
        made++;
    }
    return made;
}

/* ------------------------------------------------------------ activities */

struct act_template {
    const char *domain;
    const char *type;
    const char *subject;
};

static const struct act_template act_sales[] = {
    {"sales", "call", "Terugbelverzoek over offerte"},
    {"sales", "email", "Offerte verstuurd"},
    {"sales", "meeting", "Kennismakingsgesprek"},
    {"sales", "note", "Klant overweegt uitbreiding"},
    {"sales", "task", "Offerte opvolgen"},
    {"sales", "email", "Orderbevestiging"},
    {"sales", "complaint", "Klacht over levering"},
    {"sales", "survey", "Tevredenheidsonderzoek"},
    {"sales", "call", "Vraag over factuur"},
    {"sales", "meeting", "Contractverlenging besproken"},
};
static const struct act_template act_hr[] = {
    {"hr", "meeting", "Functioneringsgesprek"},    {"hr", "note", "Ziekmelding"},
    {"hr", "email", "Verlofaanvraag goedgekeurd"}, {"hr", "task", "Contract verlengen"},
    {"hr", "meeting", "Sollicitatiegesprek"},
};
static const struct act_template act_partners[] = {
    {"partners", "meeting", "Kwartaaloverleg"},
    {"partners", "email", "Lead doorgestuurd"},
    {"partners", "task", "Commissie afrekenen"},
    {"partners", "call", "Partnertraining gepland"},
    {"partners", "note", "Gezamenlijke propositie"},
};
static const struct act_template act_purchasing[] = {
    {"purchasing", "email", "Inkooporder geplaatst"},
    {"purchasing", "call", "Levering vertraagd"},
    {"purchasing", "task", "Prijsafspraak vastleggen"},
    {"purchasing", "complaint", "Verkeerde artikelen geleverd"},
    {"purchasing", "survey", "Leveranciersbeoordeling"},
};
static const struct act_template act_pr[] = {
    {"pr", "press_release", "Persbericht nieuwe vestiging"},
    {"pr", "email", "Interviewverzoek"},
    {"pr", "meeting", "Bewonersavond"},
    {"pr", "note", "Informatiebrief omwonenden"},
    {"pr", "call", "Vraag over bouwwerkzaamheden"},
};
static const char *const bodies[] = {
    "Graag volgende week terugbellen.",
    "Afgesproken om in het nieuwe kwartaal verder te praten.",
    "Was tevreden over de snelle afhandeling.",
    "Wil graag een voorstel op maat ontvangen.",
    "Heeft vragen over de voorwaarden en de looptijd.",
    "Zie bijgevoegde notitie van het gesprek.",
    "Reactie binnen twee werkdagen toegezegd.",
    "",
};

/*
 * Activities fall on the days from 2024-01-01 to 2026-11-20: a fixed range (the
 * data must not depend on the day it is made) that ends close to when this
 * benchmark was written, so timelines, health and idle rules see recent work.
 */
#define ACT_DAYS (366 + 365 + 324)

static void day_to_date(int day, int *y, int *m, int *d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *y = 2024;
    for (;;) {
        int len = *y % 4 == 0 ? 366 : 365;
        if (day < len)
            break;
        day -= len;
        (*y)++;
    }
    *m = 1;
    for (;;) {
        int len = mdays[*m - 1] + (*m == 2 && *y % 4 == 0);
        if (day < len)
            break;
        day -= len;
        (*m)++;
    }
    *d = day + 1;
}

static int act_count(struct rng *r)
{
    /* 20% busy parties with three times the average, the rest about half of it. */
    if (chance(r, 20))
        return range(r, 2 * (int)g_act_per_party, 4 * (int)g_act_per_party);
    return range(r, 0, (int)g_act_per_party);
}

static long gen_acts(struct buf *b, long i)
{
    struct rng r;
    rng_init(&r, ST_ACT, (uint64_t)i);
    int roles = g_roles[i];
    const struct act_template *pool[5];
    int npool[5], np = 0;
    if (roles & R_CUSTOMER || !roles)
        pool[np] = act_sales, npool[np++] = ARRAY_LEN(act_sales);
    if (roles & R_EMPLOYEE)
        pool[np] = act_hr, npool[np++] = ARRAY_LEN(act_hr);
    if (roles & R_PARTNER)
        pool[np] = act_partners, npool[np++] = ARRAY_LEN(act_partners);
    if (roles & R_SUPPLIER)
        pool[np] = act_purchasing, npool[np++] = ARRAY_LEN(act_purchasing);
    if (roles & (R_PRESS | R_STAKE))
        pool[np] = act_pr, npool[np++] = ARRAY_LEN(act_pr);
    int count = act_count(&r);
    for (int k = 0; k < count; k++) {
        int p = (int)below(&r, (uint32_t)np);
        const struct act_template *t = &pool[p][below(&r, (uint32_t)npool[p])];
        int y, mo, d;
        day_to_date(range(&r, 0, ACT_DAYS - 1), &y, &mo, &d);
        addf(b, "{\"type\":\"%s\",\"domain\":\"%s\",\"subject\":\"%s\",", t->type, t->domain,
             t->subject);
        addkv(b, "body", PICK(&r, bodies));
        addf(b, ",\"parties\":[%lld", (long long)g_ids[i]);
        if (chance(&r, 10)) {
            long j = pick_party(&r, !g_kind[i]);
            if (j >= 0 && j != i)
                addf(b, ",%lld", (long long)g_ids[j]);
        }
        addf(b, "],\"at\":\"%04d-%02d-%02dT%02d:%02d:00Z\"", y, mo, d, range(&r, 7, 18),
             range(&r, 0, 59));
        if (!strcmp(t->type, "task"))
            addf(b, ",\"due\":\"%04d-%02d-%02d\",\"done\":%s", y, mo, d < 28 ? d + 1 : 28,
                 y < 2026 || chance(&r, 50) ? "true" : "false");
        else if (!strcmp(t->type, "survey"))
            addf(b, ",\"score\":%d", chance(&r, 75) ? range(&r, 6, 10) : range(&r, 0, 10));
        adds(b, "}\n");
    }
    return count;
}

/* ------------------------------------------------------------------ HTTP */

static char g_host[256] = "127.0.0.1";
static int g_port = 8080;
static char g_token[256];

struct conn {
    int fd;
    struct buf in;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gen-load: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void conn_open(struct conn *c)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
    char port[16];
    snprintf(port, sizeof(port), "%d", g_port);
    if (getaddrinfo(g_host, port, &hints, &ai))
        die("cannot resolve %s", g_host);
    c->fd = socket(ai->ai_family, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, ai->ai_addr, ai->ai_addrlen))
        die("cannot connect to %s:%d: %s", g_host, g_port, strerror(errno));
    freeaddrinfo(ai);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void send_all(struct conn *c, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("send failed: %s", strerror(errno));
        p += w;
        n -= (size_t)w;
    }
}

/* Reads more into c->in; false at end of stream. */
static bool fill(struct conn *c)
{
    buf_grow(&c->in, 65536);
    ssize_t r;
    do
        r = recv(c->fd, c->in.s + c->in.len, c->in.cap - c->in.len - 1, 0);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        die("recv failed: %s", strerror(errno));
    if (r == 0)
        return false;
    c->in.len += (size_t)r;
    c->in.s[c->in.len] = '\0';
    return true;
}

static const char *find_header(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n"))
        if (!strncasecmp(p + 2, name, n) && p[2 + n] == ':')
            return p + 3 + n;
    return NULL;
}

/*
 * POSTs body to path and returns the status; the response body is put in
 * out (Content-Length or chunked). Reconnects when the server closed.
 */
static int http_post(struct conn *c, const char *path, const char *ctype, const char *body,
                     size_t len, struct buf *out)
{
    char head[1024];
    int hn = snprintf(head, sizeof(head),
                      "POST %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                      path, g_host, g_port, g_token, ctype, len);
    if (c->fd < 0)
        conn_open(c);
    send_all(c, head, (size_t)hn);
    send_all(c, body, len);
    c->in.len = 0;
    char *end;
    while (!c->in.s || !(end = strstr(c->in.s, "\r\n\r\n")))
        if (!fill(c))
            die("server closed the connection before answering %s", path);
    size_t hlen = (size_t)(end - c->in.s) + 4;
    *end = '\0';
    int status = 0;
    if (sscanf(c->in.s, "HTTP/1.%*d %d", &status) != 1)
        die("bad response line from server");
    const char *cl = find_header(c->in.s, "Content-Length");
    const char *te = find_header(c->in.s, "Transfer-Encoding");
    const char *conn_h = find_header(c->in.s, "Connection");
    bool close_after = conn_h && strcasestr(conn_h, "close") &&
                       strcasestr(conn_h, "close") < strstr(conn_h, "\r\n");
    out->len = 0;
    addn(out, "", 0);
    if (te && !strncasecmp(te + strspn(te, " "), "chunked", 7)) {
        size_t pos = hlen;
        for (;;) {
            char *crlf;
            while (!(crlf = strstr(c->in.s + pos, "\r\n")))
                if (!fill(c))
                    die("truncated chunked response");
            size_t n = strtoul(c->in.s + pos, NULL, 16);
            pos = (size_t)(crlf - c->in.s) + 2;
            while (c->in.len < pos + n + 2)
                if (!fill(c))
                    die("truncated chunked response");
            if (n == 0)
                break;
            addn(out, c->in.s + pos, n);
            pos += n + 2;
        }
    } else {
        size_t n = cl ? strtoul(cl, NULL, 10) : 0;
        while (c->in.len < hlen + n)
            if (!fill(c))
                die("truncated response");
        addn(out, c->in.s + hlen, n);
    }
    if (close_after) {
        close(c->fd);
        c->fd = -1;
    }
    return status;
}

/* ---------------------------------------------------------------- phases */

enum phase { PH_PARTIES, PH_RELS, PH_ACTS };

static const char *const phase_path[] = {"/api/v1/import/parties", "/api/v1/import/relationships",
                                         "/api/v1/import/activities"};
static const char *const phase_name[] = {"parties", "relationships", "activities"};

/*
 * Source parties per batch: 2,000 party lines, about 5,000 relationship or
 * activity lines. --batch B sets B party lines (and 0.85 B and 0.5 B source
 * parties). Measured on a copy of the 100k set adding 20k parties: 250-line
 * batches 4,761 parties/s, 1,000 6,497, 2,000 7,636, 5,000 8,749.
 */
static long g_batch[3] = {2000, 1700, 1000};
static int g_conns = 2;
static bool g_gen_only;
static bool g_quiet;
static bool g_tty;

struct phase_state {
    enum phase ph;
    long nbatches;
    atomic_long next;
    atomic_long lines;
    atomic_long bytes;
    atomic_long done_batches;
    atomic_long skipped;
    double t0;
};

/*
 * --progress FILE: a log of the batches the server has committed, so that a
 * load that was stopped (its server killed, say) continues where it was. A
 * header line fixes the parameters; then one line per committed batch:
 * "p BATCH ID..." (the ids the server gave that batch's parties), "r BATCH"
 * or "a BATCH". A last line without its newline is ignored. A batch the
 * server committed just before the stop but that was not logged yet (at most
 * one per connection) is sent again: parties and activities are then there
 * twice (harmless for a benchmark), relationships answer 409 and are skipped.
 */
static FILE *g_prog;
static pthread_mutex_t g_prog_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t *g_done[3]; /* per phase: batch committed in an earlier run */
static long g_resumed;

static const char phase_char[] = {'p', 'r', 'a'};

static void progress_open(const char *path)
{
    char header[160];
    snprintf(header, sizeof(header), "gen-load n %ld seed %llu batch %ld %ld %ld rels %ld acts %ld",
             g_n, (unsigned long long)g_seed, g_batch[0], g_batch[1], g_batch[2], g_rel_per_party,
             g_act_per_party);
    for (int ph = 0; ph < 3; ph++)
        g_done[ph] = calloc((size_t)((g_n + g_batch[ph] - 1) / g_batch[ph]), 1);
    FILE *f = fopen(path, "r");
    if (f) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        bool first = true;
        while ((len = getline(&line, &cap, f)) > 0) {
            if (line[len - 1] != '\n')
                break; /* cut short when the last run was stopped */
            line[len - 1] = '\0';
            if (first) {
                if (strcmp(line, header))
                    die("%s was made with other parameters (%s); remove it to start over", path,
                        line);
                first = false;
                continue;
            }
            char *p = line + 2, *e;
            int ph = line[0] == 'p' ? 0 : line[0] == 'r' ? 1 : line[0] == 'a' ? 2 : -1;
            long bi = strtol(p, &e, 10);
            long nb = (g_n + g_batch[ph < 0 ? 0 : ph] - 1) / g_batch[ph < 0 ? 0 : ph];
            if (ph < 0 || e == p || bi < 0 || bi >= nb)
                die("%s: bad line '%.60s'", path, line);
            if (ph == 0) {
                long lo = bi * g_batch[0], hi = lo + g_batch[0] < g_n ? lo + g_batch[0] : g_n;
                for (long i = lo; i < hi; i++) {
                    p = e;
                    g_ids[i] = strtoll(p, &e, 10);
                    if (e == p)
                        die("%s: batch %ld lists too few ids", path, bi);
                }
            }
            if (!g_done[ph][bi])
                g_resumed++;
            g_done[ph][bi] = 1;
        }
        free(line);
        fclose(f);
        if (first) /* empty file */
            f = NULL;
    }
    g_prog = fopen(path, "a");
    if (!g_prog)
        die("cannot write %s: %s", path, strerror(errno));
    if (!f) {
        fprintf(g_prog, "%s\n", header);
        fflush(g_prog);
    }
}

static void progress_add(enum phase ph, long bi, const int64_t *ids, long n)
{
    if (!g_prog)
        return;
    pthread_mutex_lock(&g_prog_lock);
    fprintf(g_prog, "%c %ld", phase_char[ph], bi);
    for (long i = 0; i < n; i++)
        fprintf(g_prog, " %lld", (long long)ids[i]);
    fputc('\n', g_prog);
    fflush(g_prog);
    pthread_mutex_unlock(&g_prog_lock);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the "ids" array of an import response into ids[0..n). */
static long parse_ids(const char *s, int64_t *ids, long n)
{
    const char *p = strstr(s, "\"ids\"");
    if (!p || !(p = strchr(p, '[')))
        return -1;
    p++;
    long k = 0;
    while (*p && *p != ']') {
        while (*p == ' ' || *p == ',' || *p == '\n')
            p++;
        if (*p == ']')
            break;
        char *e;
        long long v = strtoll(p, &e, 10);
        if (e == p)
            return -1;
        if (k < n)
            ids[k] = v;
        k++;
        p = e;
    }
    return k;
}

static void *worker(void *arg)
{
    struct phase_state *ps = arg;
    struct conn c = {.fd = -1};
    struct buf body = {0}, resp = {0};
    long per = g_batch[ps->ph];
    for (;;) {
        long bi = atomic_fetch_add(&ps->next, 1);
        if (bi >= ps->nbatches)
            break;
        long lo = bi * per, hi = lo + per < g_n ? lo + per : g_n;
        long lines = 0;
        if (g_done[ps->ph] && g_done[ps->ph][bi]) {
            atomic_fetch_add(&ps->skipped, 1);
            atomic_fetch_add(&ps->done_batches, 1);
            continue;
        }
        body.len = 0;
        for (long i = lo; i < hi; i++) {
            if (ps->ph == PH_PARTIES) {
                gen_party(&body, i);
                lines++;
            } else if (ps->ph == PH_RELS) {
                lines += gen_rels(&body, i);
            } else {
                lines += gen_acts(&body, i);
            }
        }
        if (lines > 100000 || body.len > 16 * 1024 * 1024)
            die("batch %ld of %s is too large (%ld lines, %zu bytes); use a smaller --batch", bi,
                phase_name[ps->ph], lines, body.len);
        if (lines && !g_gen_only) {
            int st =
                http_post(&c, phase_path[ps->ph], "application/x-ndjson", body.s, body.len, &resp);
            if (st == 409 && ps->ph == PH_RELS && g_resumed) {
                /*
                 * The links are unique by construction, so a conflict after a
                 * restart means this batch was committed just before the last
                 * run was stopped, too late to be logged.
                 */
                fprintf(stderr, "gen-load: relationships batch %ld was already loaded\n", bi);
                lines = 0;
            } else if (st != 201) {
                die("%s batch %ld: HTTP %d: %.2000s", phase_name[ps->ph], bi, st, resp.s);
            }
            if (ps->ph == PH_PARTIES) {
                long got = parse_ids(resp.s, g_ids + lo, hi - lo);
                if (got != hi - lo)
                    die("parties batch %ld: expected %ld ids, got %ld", bi, hi - lo, got);
            }
        }
        if (!g_gen_only)
            progress_add(ps->ph, bi, g_ids + lo, ps->ph == PH_PARTIES ? hi - lo : 0);
        atomic_fetch_add(&ps->lines, lines);
        atomic_fetch_add(&ps->bytes, (long)body.len);
        long d = atomic_fetch_add(&ps->done_batches, 1) + 1;
        if (!g_quiet && g_tty && (d % 20 == 0 || d == ps->nbatches)) {
            double t = now_s() - ps->t0;
            long l = atomic_load(&ps->lines);
            fprintf(stderr, "\r  %-13s %ld/%ld batches, %ld lines, %.0f lines/s   ",
                    phase_name[ps->ph], d, ps->nbatches, l, t > 0 ? (double)l / t : 0.0);
        }
    }
    if (c.fd >= 0)
        close(c.fd);
    free(body.s);
    free(resp.s);
    free(c.in.s);
    return NULL;
}

struct phase_result {
    long lines;
    long bytes;
    double seconds;
    long skipped; /* batches committed by an earlier run (--progress) */
};

static struct phase_result run_phase(enum phase ph)
{
    struct phase_state ps = {.ph = ph};
    ps.nbatches = (g_n + g_batch[ph] - 1) / g_batch[ph];
    ps.t0 = now_s();
    pthread_t th[16];
    int n = g_conns < 16 ? g_conns : 16;
    for (int i = 0; i < n; i++)
        pthread_create(&th[i], NULL, worker, &ps);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    struct phase_result r = {atomic_load(&ps.lines), atomic_load(&ps.bytes), now_s() - ps.t0,
                             atomic_load(&ps.skipped)};
    if (!g_quiet)
        fprintf(stderr, "%s  %-13s %ld lines in %.2f s: %.0f lines/s, %.1f MB/s%s%s\n",
                g_tty ? "\r" : "", phase_name[ph], r.lines, r.seconds, (double)r.lines / r.seconds,
                (double)r.bytes / r.seconds / 1e6, r.skipped ? " (resumed)" : "",
                g_tty ? "                    " : "");
    return r;
}

static const char usage[] =
    "usage: gen-load --parties N [--url http://HOST:PORT] [--token TOKEN] [--seed S]\n"
    "                [--conns 2] [--batch 2000] [--rels-per-party 3] [--acts-per-party 5]\n"
    "                [--progress FILE] [--gen-only] [--sample N] [--quiet]\n\n"
    "Generates N Dutch parties (70% persons, 30% organisations, ~1.5 roles each) with\n"
    "relationships and activities, and loads them through xrm's NDJSON import API.\n"
    "--gen-only generates without sending (to measure the generator); --sample N prints\n"
    "the first N lines of each kind and exits. --progress FILE logs committed batches\n"
    "and, when FILE exists, skips them (continues a stopped load). The token may come\n"
    "from XRM_TOKEN and the URL from BENCH_URL. Prints a JSON summary on stdout.\n";

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"parties", required_argument, NULL, 'n'},
                                         {"url", required_argument, NULL, 'u'},
                                         {"token", required_argument, NULL, 't'},
                                         {"seed", required_argument, NULL, 's'},
                                         {"conns", required_argument, NULL, 'c'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"rels-per-party", required_argument, NULL, 'r'},
                                         {"acts-per-party", required_argument, NULL, 'a'},
                                         {"gen-only", no_argument, NULL, 'g'},
                                         {"progress", required_argument, NULL, 'P'},
                                         {"sample", required_argument, NULL, 'S'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    long sample = 0;
    const char *progress = NULL, *url = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "n:u:t:s:c:b:r:a:gP:S:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            g_n = atol(optarg);
            break;
        case 'P':
            progress = optarg;
            break;
        case 'u':
            url = optarg;
            break;
        case 't':
            snprintf(g_token, sizeof(g_token), "%s", optarg);
            break;
        case 's':
            g_seed = strtoull(optarg, NULL, 10);
            break;
        case 'c':
            g_conns = atoi(optarg);
            break;
        case 'b':
            g_batch[0] = atol(optarg);
            g_batch[1] = g_batch[0] * 17 / 20 > 1 ? g_batch[0] * 17 / 20 : 1;
            g_batch[2] = g_batch[0] / 2 > 1 ? g_batch[0] / 2 : 1;
            break;
        case 'r':
            g_rel_per_party = atol(optarg);
            break;
        case 'a':
            g_act_per_party = atol(optarg);
            break;
        case 'g':
            g_gen_only = true;
            break;
        case 'S':
            sample = atol(optarg);
            break;
        case 'q':
            g_quiet = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!url)
        url = getenv("BENCH_URL");
    if (url) {
        const char *h = url;
        if (!strncmp(h, "http://", 7))
            h += 7;
        const char *colon = strrchr(h, ':');
        size_t hl = colon ? (size_t)(colon - h) : strcspn(h, "/");
        if (hl >= sizeof(g_host))
            die("host too long");
        memcpy(g_host, h, hl);
        g_host[hl] = '\0';
        if (colon)
            g_port = atoi(colon + 1);
    }
    if (g_n <= 0 || g_conns < 1 || g_batch[0] < 1 || g_rel_per_party < 1 || g_act_per_party < 1 ||
        g_rel_per_party > 8) {
        fputs(usage, stderr);
        return 2;
    }
    if (!g_token[0] && !g_gen_only && !sample) {
        const char *t = getenv("XRM_TOKEN");
        if (!t)
            die("--token or XRM_TOKEN is required");
        snprintf(g_token, sizeof(g_token), "%s", t);
    }
    for (size_t i = 0; i < ARRAY_LEN(cities); i++)
        city_weights[i] = cities[i].weight;
    g_tty = isatty(2);

    g_kind = calloc((size_t)g_n, 1);
    g_roles = calloc((size_t)g_n, 1);
    g_ids = calloc((size_t)g_n, sizeof(*g_ids));
    g_orgs = calloc((size_t)g_n, sizeof(*g_orgs));
    g_persons = calloc((size_t)g_n, sizeof(*g_persons));
    if (!g_kind || !g_roles || !g_ids || !g_orgs || !g_persons)
        die("out of memory");
    long nroles = 0, combos[64] = {0};
    for (long i = 0; i < g_n; i++) {
        shape_party(i);
        if (g_kind[i])
            g_orgs[g_norgs++] = (uint32_t)i;
        else
            g_persons[g_npersons++] = (uint32_t)i;
        nroles += __builtin_popcount(g_roles[i]);
        combos[g_roles[i]]++;
        g_ids[i] = i + 1; /* until the server says otherwise (for --gen-only / --sample) */
    }
    if (progress && !g_gen_only && !sample)
        progress_open(progress);

    if (sample) {
        struct buf b = {0};
        for (long i = 0; i < sample && i < g_n; i++)
            gen_party(&b, i);
        for (long i = 0; i < sample && i < g_n; i++)
            gen_rels(&b, i);
        for (long i = 0; i < sample && i < g_n; i++)
            gen_acts(&b, i);
        fputs(b.s, stdout);
        return 0;
    }

    if (!g_quiet)
        fprintf(stderr, "gen-load: %ld parties (%ld persons, %ld organisations), seed %llu, %s\n",
                g_n, g_npersons, g_norgs, (unsigned long long)g_seed,
                g_gen_only ? "generating only" : "loading");
    double t0 = now_s();
    struct phase_result pr[3];
    for (int ph = 0; ph < 3; ph++)
        pr[ph] = run_phase((enum phase)ph);
    double total = now_s() - t0;

    int64_t min_id = g_ids[0], max_id = g_ids[0];
    for (long i = 1; i < g_n; i++) {
        if (g_ids[i] < min_id)
            min_id = g_ids[i];
        if (g_ids[i] > max_id)
            max_id = g_ids[i];
    }
    printf("{\"n\":%ld,\"persons\":%ld,\"organizations\":%ld,\"roles\":%ld,"
           "\"roles_per_party\":%.3f,\"seed\":%llu,\"min_id\":%lld,\"max_id\":%lld,"
           "\"contiguous\":%s,\"gen_only\":%s,\"batch\":[%ld,%ld,%ld],\"conns\":%d,",
           g_n, g_npersons, g_norgs, nroles, (double)nroles / (double)g_n,
           (unsigned long long)g_seed, (long long)min_id, (long long)max_id,
           max_id - min_id + 1 == g_n ? "true" : "false", g_gen_only ? "true" : "false", g_batch[0],
           g_batch[1], g_batch[2], g_conns);
    for (int ph = 0; ph < 3; ph++)
        printf("\"%s\":{\"lines\":%ld,\"bytes\":%ld,\"seconds\":%.3f,\"per_second\":%.0f,"
               "\"resumed_batches\":%ld},",
               phase_name[ph], pr[ph].lines, pr[ph].bytes, pr[ph].seconds,
               (double)pr[ph].lines / pr[ph].seconds, pr[ph].skipped);
    printf("\"combos\":{");
    bool first = true;
    for (int m = 0; m < 64; m++) {
        if (!combos[m])
            continue;
        char name[80] = "";
        static const char *const rn[] = {"customer", "employee", "partner",
                                         "supplier", "press",    "stakeholder"};
        for (int k = 0; k < 6; k++)
            if (m & (1 << k)) {
                if (name[0])
                    strncat(name, "+", sizeof(name) - strlen(name) - 1);
                strncat(name, rn[k], sizeof(name) - strlen(name) - 1);
            }
        printf("%s\"%s\":%ld", first ? "" : ",", name[0] ? name : "none", combos[m]);
        first = false;
    }
    printf("},\"seconds\":%.3f}\n", total);
    return 0;
}
