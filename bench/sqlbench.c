/*
 * The storage limit: the SQL statements xrm runs for each benchmark
 * scenario, run directly on the same SQLite file with no HTTP, JSON, access
 * control or rules around them. Read-only connections, one per thread, with
 * the pragmas xrm's reader connections use; every column of every row is
 * read as text, as xrm does when it builds its JSON.
 *
 * The statements are the server's own, word for word (from src/domain/
 * *-db.c, as bench/sqltrace.so records them); bench.py compares this list
 * (--list-sql) with what the server runs for one request of each scenario
 * and reports any difference, so keep them in step:
 *   read    GET /parties/{id}: party, roles, relationships (unordered: the
 *           server sorts them in C), then the page statements for a page of
 *           one (health if an active customer, the records probe, and only
 *           for the kinds it finds deal / case / agreement summaries and the
 *           latest five of each), consents
 *   view    GET /parties/{id}/view: read + timeline of 20, then the parties of
 *           its activities by their ids; only when the timeline is full, open
 *           tasks (up to 100) with theirs and counts
 *   pair    read + GET /parties/{id}/timeline?limit=20 (the earlier stand-in)
 *   search  full-text prefix search, 20 newest, the page decorated as lists are
 *           (roles, health of its active customers, summaries, consents)
 *   list    role:customer role:partner [partner.tier:gold], 50 in name order,
 *           decorated the same way
 * A page statement reads one kind of data for a whole page of parties over
 * "party_id IN (?, ...)" lists, padded as src/domain/base/batch.c pads them: to a
 * power of two, repeating the page's last id. So each kind has a text per
 * list size (1 to PAGE_MAX ids; the view's activity lists up to LINKS_MAX),
 * as in the server's statement cache. Where the server works over the rows
 * in C (health signals, relationship order), stepping through them stands in
 * for it. Domain filters are five equalities, as XRM_ACCESS_MATCH writes
 * them (src/domain/base/access.h); the timeline endpoint still says IN.
 * Prints one JSON object: operations, per second, latency p50/p99/max (us).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PARTY_COLS                                                                                 \
    "p.id, p.uid, p.kind, p.name, p.given_name, p.family_prefix, p.family_name, p.legal_name, "    \
    "p.trade_name, p.emails, p.phones, p.websites, p.addresses, p.kvk, p.vat, p.iban, p.tags, "    \
    "p.custom, p.owner, p.archived, p.version, p.created_at, p.updated_at, p.sort_name"

#define ACT_COLS                                                                                   \
    "a.id, a.type, a.domain, a.subject, a.body, a.due, a.done, a.assignee, a.score, a.at, "        \
    "a.created_by, a.version, a.created_at, a.updated_at"

/* XRM_ACCESS_MATCH (src/domain/base/access.h): a domain filter as five equalities */
#define MATCH(col) "(" col " = ? OR " col " = ? OR " col " = ? OR " col " = ? OR " col " = ?)"
#define DOMAIN_MATCH MATCH("domain")
/* READABLE of src/domain/party/view-db.c: a party's activities in the reader's domains */
#define READABLE "WHERE ap.party_id = ? AND " MATCH("a.domain")
#define ACT_JOIN "FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id "

#define ROLE_SELECT                                                                                \
    "SELECT r.id, r.party_id, r.type, r.domain, r.status, r.since, r.until, r.attributes, "        \
    "r.version, r.created_at, r.updated_at, t.ended_statuses FROM roles r LEFT JOIN role_types t " \
    "ON t.tenant = r.tenant AND t.name = r.type"

enum stmt {
    Q_PARTY,
    Q_ROLES,
    Q_RELS,
    Q_DEALS_TOP,
    Q_CASES_TOP,
    Q_AGR_TOP,
    Q_VIEW_TL,
    Q_VIEW_TASKS,
    Q_VIEW_COUNTS,
    Q_EXISTS,
    Q_TIMELINE,
    Q_ACT_PARTIES,
    Q_SEARCH,
    Q_LIST2,
    Q_LIST3,
    NSQL
};

/* The page statements (see the top of the file); P_LINKS lists activity ids, not parties. */
enum page_stmt {
    P_ROLES,
    P_HEALTH,
    P_PRESENT,
    P_DEALS,
    P_CASES,
    P_AGR,
    P_CONSENTS,
    P_LINKS,
    NPAGE
};

#define PAGE_MAX 64   /* the largest page of parties: list pages are 50 */
#define LINKS_MAX 128 /* the largest view list: open tasks are up to 100 (XRM_VIEW_TASKS) */
#define NSIZE 8       /* IN lists of 1, 2, 4, ..., LINKS_MAX ids */
#define NALL (NSQL + NPAGE * NSIZE)

/* The bits of the records probe (src/domain/records/records-db.c). */
enum { HAS_DEALS = 1, HAS_CASES = 2, HAS_AGREEMENTS = 4 };

/*
 * Every statement: the fixed ones, then NSIZE slots per page statement
 * (built by page_sql; NULL beyond a kind's largest list).
 */
static const char *sql_text[NALL] = {
    [Q_PARTY] = "SELECT " PARTY_COLS " FROM parties p WHERE p.id = ?",
    [Q_ROLES] = ROLE_SELECT " WHERE r.party_id = ? ORDER BY r.id",
    [Q_RELS] = "SELECT r.id, t.name, t.label_en, t.label_nl, p.id, p.name, r.since, r.until, "
               "p.sort_name FROM relationships r JOIN relationship_types t ON t.tenant = r.tenant "
               "AND t.name = r.type JOIN parties p ON p.id = r.to_party WHERE r.from_party = ? "
               "UNION ALL SELECT r.id, t.reverse_name, t.reverse_label_en, t.reverse_label_nl, "
               "p.id, p.name, r.since, r.until, p.sort_name FROM relationships r JOIN "
               "relationship_types t ON t.tenant = r.tenant AND t.name = r.type JOIN parties p ON "
               "p.id = r.from_party WHERE r.to_party = ?",
    [Q_DEALS_TOP] = "SELECT d.id, d.title, d.status, s.name, d.amount, d.currency, "
                    "d.expected_close FROM deals d JOIN pipeline_stages s ON s.id = d.stage_id "
                    "WHERE d.party_id = ? ORDER BY d.id DESC LIMIT ?",
    [Q_CASES_TOP] = "SELECT id, domain, subject, status, priority, sla_due FROM cases WHERE "
                    "party_id = ? AND " DOMAIN_MATCH " ORDER BY id DESC LIMIT ?",
    [Q_AGR_TOP] = "SELECT id, kind, domain, title, start_date, end_date FROM agreements WHERE "
                  "party_id = ? AND " DOMAIN_MATCH " ORDER BY id DESC LIMIT ?",
    [Q_VIEW_TL] = "SELECT " ACT_COLS " " ACT_JOIN READABLE
                  " ORDER BY ap.at DESC, ap.activity_id DESC LIMIT ?",
    [Q_VIEW_TASKS] = "SELECT " ACT_COLS " " ACT_JOIN READABLE
                     " AND a.type = 'task' AND a.done = 0 ORDER BY CASE WHEN a.due IS NULL THEN 1 "
                     "ELSE 0 END, a.due, a.id LIMIT ?",
    [Q_VIEW_COUNTS] =
        "SELECT (SELECT COUNT(*) " ACT_JOIN READABLE "), (SELECT COUNT(*) " ACT_JOIN READABLE
        " AND a.type = 'task' AND a.done = 0)",
    [Q_EXISTS] = "SELECT 1 FROM parties WHERE id = ?",
    [Q_TIMELINE] = "SELECT " ACT_COLS " " ACT_JOIN "WHERE " MATCH(
        "a.domain") " AND ap.party_id = ? ORDER BY ap.at DESC, ap.activity_id DESC LIMIT ?",
    [Q_ACT_PARTIES] = "SELECT party_id FROM activity_parties WHERE activity_id = ? ORDER BY "
                      "party_id",
    [Q_SEARCH] = "SELECT " PARTY_COLS " FROM parties p JOIN party_fts ON party_fts.rowid = p.id "
                 "AND party_fts MATCH ? WHERE p.tenant = 1 AND p.archived = 0 ORDER BY "
                 "party_fts.rowid DESC LIMIT ?",
    [Q_LIST2] = "SELECT " PARTY_COLS " FROM parties p  WHERE p.tenant = 1 AND p.archived = 0 AND "
                "(EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?)) AND "
                "(EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?)) ORDER BY "
                "p.sort_name, p.id LIMIT ?",
    /* the attribute term first, as the server writes it (query-db.c, narrow()) */
    [Q_LIST3] = "SELECT " PARTY_COLS " FROM parties p  WHERE p.tenant = 1 AND p.archived = 0 AND "
                "(EXISTS (SELECT 1 FROM role_attrs a WHERE a.party_id = p.id AND a.name = ? AND "
                "a.value = ?)) AND "
                "(EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?)) AND "
                "(EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?)) ORDER BY "
                "p.sort_name, p.id LIMIT ?",
};

/*
 * The texts of the page statements, around their IN lists: each NULL-ended
 * list of parts gets an id list between two parts. Parameters in text order.
 */
static const char *const page_parts[NPAGE][5] = {
    [P_ROLES] = {ROLE_SELECT " WHERE r.party_id IN ", " ORDER BY r.party_id, r.id", NULL},
    [P_HEALTH] = {"SELECT ap.party_id, ap.at, ap.activity_id, a.type, a.done, a.score " ACT_JOIN
                  "WHERE ap.party_id IN ",
                  " AND ap.at <= ?", NULL},
    [P_PRESENT] = {"SELECT party_id, 1 FROM deals WHERE party_id IN ",
                   " GROUP BY party_id UNION ALL SELECT party_id, 2 FROM cases WHERE party_id IN ",
                   " GROUP BY party_id UNION ALL SELECT party_id, 4 FROM agreements WHERE "
                   "party_id IN ",
                   " GROUP BY party_id", NULL},
    [P_DEALS] = {"SELECT party_id, status, currency, COUNT(*), SUM(amount) FROM deals WHERE "
                 "party_id IN ",
                 " GROUP BY party_id, status, currency ORDER BY party_id, status, currency", NULL},
    [P_CASES] = {"SELECT party_id, COUNT(*), COALESCE(SUM(CASE WHEN sla_due < ? THEN 1 ELSE 0 "
                 "END), 0) FROM cases WHERE party_id IN ",
                 " AND " DOMAIN_MATCH " AND status IN ('new', 'open', 'waiting') GROUP BY party_id",
                 NULL},
    [P_AGR] = {"SELECT party_id, COUNT(*), COALESCE(SUM(CASE WHEN end_date IS NOT NULL AND "
               "end_date <= ? THEN 1 ELSE 0 END), 0) FROM agreements WHERE party_id IN ",
               " AND " DOMAIN_MATCH " AND start_date <= ? AND (end_date IS NULL OR end_date >= ?) "
               "GROUP BY party_id",
               NULL},
    [P_CONSENTS] = {"SELECT 0, party_id, '', 0, NULL, NULL, erased_at, erased_at, NULL FROM "
                    "erasures WHERE party_id IN ",
                    " UNION ALL SELECT id, party_id, purpose, granted, source, wording, given_at, "
                    "recorded_at, recorded_by FROM consents WHERE party_id IN ",
                    " ORDER BY 1", NULL},
    [P_LINKS] = {"SELECT l.activity_id, p.id, p.name FROM activity_parties l JOIN parties p ON "
                 "p.id = l.party_id WHERE l.activity_id IN ",
                 " ORDER BY l.activity_id, p.id", NULL},
};

/* How many list sizes (1, 2, 4, ...) a page statement has. */
static int page_sizes(enum page_stmt kind)
{
    return kind == P_LINKS ? NSIZE : NSIZE - 1;
}

/* Fills sql_text[NSQL...] from page_parts; the texts live as long as the process. */
static void page_sql(void)
{
    for (int p = 0; p < NPAGE; p++) {
        for (int k = 0; k < page_sizes((enum page_stmt)p); k++) {
            size_t cap = 8192, len = 0;
            char *t = malloc(cap);
            if (!t) {
                fprintf(stderr, "sqlbench: out of memory\n");
                exit(1);
            }
            for (int i = 0; page_parts[p][i]; i++) {
                len += (size_t)snprintf(t + len, cap - len, "%s", page_parts[p][i]);
                if (!page_parts[p][i + 1])
                    break;
                len += (size_t)snprintf(t + len, cap - len, "(?");
                for (int j = 1; j < 1 << k; j++)
                    len += (size_t)snprintf(t + len, cap - len, ", ?");
                len += (size_t)snprintf(t + len, cap - len, ")");
            }
            sql_text[NSQL + p * NSIZE + k] = t;
        }
    }
}

static const char *const domains[] = {"sales", "hr", "partners", "purchasing", "pr"};

/* The 3-letter prefixes bench/xrm.lua searches for (keep the lists equal). */
static const char *const prefixes[] = {
    "jan", "dij", "bak", "vis", "mee", "mul", "gro", "bos", "pet", "hen", "lee", "dek",
    "bro", "wil", "smi", "ber", "kui", "ver", "mar", "san", "ann", "tho", "kee", "joh",
    "pie", "lot", "fem", "emm", "jon", "haa", "hui", "wit", "sop", "lis", "eva", "ing"};
#define NPREFIX (sizeof(prefixes) / sizeof(prefixes[0]))

enum scenario { S_READ, S_VIEW, S_PAIR, S_SEARCH, S_LIST, NSCN };
static const char *const scenario_names[NSCN] = {"read", "view", "pair", "search", "list"};

static const char *g_db;
static enum scenario g_scn;
static double g_seconds = 5;
static int64_t g_lo = 1, g_hi = 1;
static atomic_bool g_stop;
/* The times the server binds, fixed for the run: now, today, in 60 days. */
static char g_now[32], g_today[16], g_in60[16];

struct worker {
    pthread_t th;
    sqlite3 *h;
    sqlite3_stmt *st[NALL];
    uint64_t rng;
    int64_t *lat; /* ns */
    size_t nlat, cap;
    long rows;
    long errors;
};

static uint64_t rnd(struct worker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

static int bind_domains(sqlite3_stmt *s, int i)
{
    for (int k = 0; k < 5; k++)
        bind_text(s, i + k, domains[k]);
    return i + 5;
}

/*
 * Ids in page order: a page of results or its active customers (up to
 * PAGE_MAX parties), or the activities of a view list (up to LINKS_MAX).
 */
struct page {
    int64_t ids[LINKS_MAX];
    int n;
};

static bool page_has(const struct page *p, int64_t id)
{
    for (int i = 0; i < p->n; i++)
        if (p->ids[i] == id)
            return true;
    return false;
}

/*
 * Steps s to its next row and reads every column of it: true for a row;
 * false at the end (or on an error, counted), when s is reset.
 */
static bool next_row(struct worker *w, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int nc = sqlite3_column_count(s);
        for (int c = 0; c < nc; c++)
            (void)sqlite3_column_text(s, c);
        w->rows++;
        return true;
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "sqlbench: %s\n", sqlite3_errmsg(w->h));
        w->errors++;
    }
    sqlite3_reset(s);
    return false;
}

/*
 * Steps s to the end reading every column; the first column of up to maxids
 * rows goes to ids. When cust is given (the roles statements), the party
 * (second column) of a row whose type is "customer" and status "active" is
 * added to it, as xrm_health_applies picks the parties that get a health.
 * Returns the number of rows.
 */
static int drain(struct worker *w, sqlite3_stmt *s, int64_t *ids, int maxids, struct page *cust)
{
    int n = 0;
    while (next_row(w, s)) {
        int nc = sqlite3_column_count(s);
        if (ids && n < maxids)
            ids[n] = sqlite3_column_int64(s, 0);
        if (cust && nc > 4) {
            const char *type = (const char *)sqlite3_column_text(s, 2);
            const char *status = (const char *)sqlite3_column_text(s, 4);
            int64_t party = sqlite3_column_int64(s, 1);
            if (type && status && !strcmp(type, "customer") && !strcmp(status, "active") &&
                cust->n < PAGE_MAX && !page_has(cust, party))
                cust->ids[cust->n++] = party;
        }
        n++;
    }
    return n;
}

static void by_id(struct worker *w, enum stmt q, int64_t id)
{
    sqlite3_bind_int64(w->st[q], 1, id);
    drain(w, w->st[q], NULL, 0, NULL);
}

static void by_id_twice(struct worker *w, enum stmt q, int64_t id)
{
    sqlite3_bind_int64(w->st[q], 1, id);
    sqlite3_bind_int64(w->st[q], 2, id);
    drain(w, w->st[q], NULL, 0, NULL);
}

/*
 * The statement of kind for page p (1 to PAGE_MAX ids, LINKS_MAX for
 * P_LINKS), with an id list bound from parameter first as xrm_batch_sql_in
 * binds it: the ids in page order, then the last id again up to the list's
 * power-of-two size. *next is the parameter after the list.
 */
static sqlite3_stmt *page_stmt(struct worker *w, enum page_stmt kind, const struct page *p,
                               int first, int *next)
{
    int k = 0;
    while (1 << k < p->n)
        k++;
    sqlite3_stmt *s = w->st[NSQL + kind * NSIZE + k];
    for (int j = 0; j < 1 << k; j++)
        sqlite3_bind_int64(s, first + j, p->ids[j < p->n ? j : p->n - 1]);
    *next = first + (1 << k);
    return s;
}

/* Health signals of the page's active customers (cust, any order), taken in page order. */
static void health_page(struct worker *w, const struct page *p, const struct page *cust)
{
    struct page c = {.n = 0};
    int i;
    for (int k = 0; k < p->n; k++)
        if (page_has(cust, p->ids[k]))
            c.ids[c.n++] = p->ids[k];
    if (!c.n)
        return;
    /* every activity up to now in one pass; the server applies the signals' definitions in C */
    sqlite3_stmt *s = page_stmt(w, P_HEALTH, &c, 1, &i);
    bind_text(s, i, g_now);
    drain(w, s, NULL, 0, NULL);
}

/*
 * Deal, case and agreement summaries (records) of every party of the page:
 * the probe says which kinds the page has, and only those are counted.
 * Returns the probe's bits (HAS_*) of all parties together.
 */
static unsigned summaries_page(struct worker *w, const struct page *p)
{
    int i;
    unsigned any = 0;
    page_stmt(w, P_PRESENT, p, 1, &i);
    page_stmt(w, P_PRESENT, p, i, &i);
    sqlite3_stmt *s = page_stmt(w, P_PRESENT, p, i, &i);
    while (next_row(w, s))
        any |= (unsigned)sqlite3_column_int(s, 1);
    if (any & HAS_DEALS)
        drain(w, page_stmt(w, P_DEALS, p, 1, &i), NULL, 0, NULL);
    if (any & HAS_CASES) {
        s = page_stmt(w, P_CASES, p, 2, &i);
        bind_text(s, 1, g_now);
        bind_domains(s, i);
        drain(w, s, NULL, 0, NULL);
    }
    if (any & HAS_AGREEMENTS) {
        s = page_stmt(w, P_AGR, p, 2, &i);
        bind_text(s, 1, g_in60);
        i = bind_domains(s, i);
        bind_text(s, i, g_today);
        bind_text(s, i + 1, g_today);
        drain(w, s, NULL, 0, NULL);
    }
    return any;
}

/* Erasure markers and consent events of every party of the page (the same list twice). */
static void consents_page(struct worker *w, const struct page *p)
{
    int i;
    page_stmt(w, P_CONSENTS, p, 1, &i);
    drain(w, page_stmt(w, P_CONSENTS, p, i, &i), NULL, 0, NULL);
}

/* What a page of a list or search result gets: roles, health, summaries, consents. */
static void decorate_page(struct worker *w, const struct page *p)
{
    struct page cust = {.n = 0};
    int i;
    if (!p->n)
        return;
    drain(w, page_stmt(w, P_ROLES, p, 1, &i), NULL, 0, &cust);
    health_page(w, p, &cust);
    summaries_page(w, p);
    consents_page(w, p);
}

static void latest(struct worker *w, enum stmt q, int64_t id)
{
    sqlite3_stmt *s = w->st[q];
    sqlite3_bind_int64(s, 1, id);
    int i = 2;
    if (q != Q_DEALS_TOP)
        i = bind_domains(s, 2);
    sqlite3_bind_int(s, i, 5);
    drain(w, s, NULL, 0, NULL);
}

static void op_read(struct worker *w, int64_t id)
{
    struct page one = {.ids = {id}, .n = 1}, cust = {.n = 0};
    by_id(w, Q_PARTY, id);
    sqlite3_bind_int64(w->st[Q_ROLES], 1, id);
    drain(w, w->st[Q_ROLES], NULL, 0, &cust);
    by_id_twice(w, Q_RELS, id); /* the server sorts the rows in C */
    /* a single read is decorated as a page of one, with the latest records of the kinds it has */
    health_page(w, &one, &cust);
    unsigned has = summaries_page(w, &one);
    if (has & HAS_DEALS)
        latest(w, Q_DEALS_TOP, id);
    if (has & HAS_CASES)
        latest(w, Q_CASES_TOP, id);
    if (has & HAS_AGREEMENTS)
        latest(w, Q_AGR_TOP, id);
    consents_page(w, &one);
}

/*
 * A view list (timeline or open tasks) of up to limit activities, then the
 * parties of all of them by their ids, in list order, when there are some.
 */
static int view_list(struct worker *w, enum stmt q, int64_t id, int limit)
{
    struct page acts;
    sqlite3_stmt *s = w->st[q];
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, bind_domains(s, 2), limit);
    int n = drain(w, s, acts.ids, LINKS_MAX, NULL);
    acts.n = n < LINKS_MAX ? n : LINKS_MAX;
    if (acts.n) {
        int i;
        drain(w, page_stmt(w, P_LINKS, &acts, 1, &i), NULL, 0, NULL);
    }
    return n;
}

/* As src/domain/party/view.c: a timeline shorter than 20 gives the open tasks and counts. */
static void op_view(struct worker *w, int64_t id)
{
    op_read(w, id);
    if (view_list(w, Q_VIEW_TL, id, 20) < 20) /* XRM_VIEW_TIMELINE */
        return;
    view_list(w, Q_VIEW_TASKS, id, 100); /* XRM_VIEW_TASKS */
    sqlite3_stmt *s = w->st[Q_VIEW_COUNTS];
    sqlite3_bind_int64(s, 1, id);
    int i = bind_domains(s, 2);
    sqlite3_bind_int64(s, i, id);
    bind_domains(s, i + 1);
    drain(w, s, NULL, 0, NULL);
}

static void op_timeline(struct worker *w, int64_t id)
{
    int64_t acts[21];
    by_id(w, Q_EXISTS, id);
    sqlite3_stmt *s = w->st[Q_TIMELINE];
    int i = bind_domains(s, 1);
    sqlite3_bind_int64(s, i, id);
    sqlite3_bind_int(s, i + 1, 21);
    int n = drain(w, s, acts, 21, NULL);
    for (int k = 0; k < n && k < 20; k++)
        by_id(w, Q_ACT_PARTIES, acts[k]);
}

static void op_search(struct worker *w)
{
    char expr[32];
    struct page p;
    snprintf(expr, sizeof(expr), "\"%s\"*", prefixes[rnd(w) % NPREFIX]);
    sqlite3_bind_text(w->st[Q_SEARCH], 1, expr, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(w->st[Q_SEARCH], 2, 21);
    int n = drain(w, w->st[Q_SEARCH], p.ids, 21, NULL);
    p.n = n < 20 ? n : 20;
    decorate_page(w, &p);
}

static void op_list(struct worker *w)
{
    struct page p;
    sqlite3_stmt *s = w->st[rnd(w) % 2 ? Q_LIST2 : Q_LIST3];
    int i = 1;
    if (s == w->st[Q_LIST3]) {
        bind_text(s, i++, "partner.tier");
        bind_text(s, i++, "gold");
    }
    bind_text(s, i++, "customer");
    bind_text(s, i++, "partner");
    sqlite3_bind_int(s, i, 51);
    int n = drain(w, s, p.ids, 51, NULL);
    p.n = n < 50 ? n : 50;
    decorate_page(w, &p);
}

static void *run(void *arg)
{
    struct worker *w = arg;
    if (sqlite3_open_v2(g_db, &w->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "sqlbench: cannot open %s\n", g_db);
        exit(1);
    }
    sqlite3_busy_timeout(w->h, 10000);
    sqlite3_exec(w->h, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;", NULL, NULL, NULL);
    for (int i = 0; i < NALL; i++) {
        if (sql_text[i] && sqlite3_prepare_v3(w->h, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT,
                                              &w->st[i], NULL) != SQLITE_OK) {
            fprintf(stderr, "sqlbench: cannot prepare statement %d: %s\n", i, sqlite3_errmsg(w->h));
            exit(1);
        }
    }
    while (!atomic_load(&g_stop)) {
        int64_t id = g_lo + (int64_t)(rnd(w) % (uint64_t)(g_hi - g_lo + 1));
        int64_t t0 = now_ns();
        switch (g_scn) {
        case S_READ:
            op_read(w, id);
            break;
        case S_VIEW:
            op_view(w, id);
            break;
        case S_PAIR:
            op_read(w, id);
            op_timeline(w, id);
            break;
        case S_SEARCH:
            op_search(w);
            break;
        case S_LIST:
            op_list(w);
            break;
        case NSCN:
            break;
        }
        int64_t dt = now_ns() - t0;
        if (w->nlat == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 65536;
            w->lat = realloc(w->lat, w->cap * sizeof(*w->lat));
            if (!w->lat) {
                fprintf(stderr, "sqlbench: out of memory\n");
                exit(1);
            }
        }
        w->lat[w->nlat++] = dt;
    }
    for (int i = 0; i < NALL; i++)
        sqlite3_finalize(w->st[i]);
    sqlite3_close(w->h);
    return NULL;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void set_times(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(g_now, sizeof(g_now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    strftime(g_today, sizeof(g_today), "%Y-%m-%d", &tm);
    time_t f = t + 60 * 86400;
    gmtime_r(&f, &tm);
    strftime(g_in60, sizeof(g_in60), "%Y-%m-%d", &tm);
}

static const char usage[] =
    "usage: sqlbench --db PATH --scenario read|view|pair|search|list --min-id N --max-id N\n"
    "                [--seconds 5] [--threads 2]\n"
    "       sqlbench --db PATH --explain      query plans of the statements\n"
    "       sqlbench --list-sql               the statements, one per line\n";

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"scenario", required_argument, NULL, 's'},
                                         {"seconds", required_argument, NULL, 't'},
                                         {"threads", required_argument, NULL, 'n'},
                                         {"min-id", required_argument, NULL, 'l'},
                                         {"max-id", required_argument, NULL, 'h'},
                                         {"explain", no_argument, NULL, 'e'},
                                         {"list-sql", no_argument, NULL, 'L'},
                                         {0}};
    int threads = 2, c;
    bool explain = false, list = false;
    const char *scn = NULL;
    while ((c = getopt_long(argc, argv, "d:s:t:n:l:h:eL", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            g_db = optarg;
            break;
        case 's':
            scn = optarg;
            break;
        case 't':
            g_seconds = atof(optarg);
            break;
        case 'n':
            threads = atoi(optarg);
            break;
        case 'l':
            g_lo = atoll(optarg);
            break;
        case 'h':
            g_hi = atoll(optarg);
            break;
        case 'e':
            explain = true;
            break;
        case 'L':
            list = true;
            break;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    page_sql();
    if (list) {
        for (int i = 0; i < NALL; i++)
            if (sql_text[i])
                printf("%s\n", sql_text[i]);
        return 0;
    }
    if (!g_db || (!scn && !explain) || threads < 1 || threads > 64 || g_hi < g_lo) {
        fputs(usage, stderr);
        return 2;
    }
    set_times();
    if (explain) {
        sqlite3 *h;
        sqlite3_open_v2(g_db, &h, SQLITE_OPEN_READONLY, NULL);
        for (int i = 0; i < NALL; i++) {
            char q[4096];
            sqlite3_stmt *s;
            if (!sql_text[i])
                continue;
            snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql_text[i]);
            printf("-- %d: %.100s\n", i, sql_text[i]);
            if (sqlite3_prepare_v2(h, q, -1, &s, NULL) != SQLITE_OK) {
                printf("   error: %s\n", sqlite3_errmsg(h));
                continue;
            }
            while (sqlite3_step(s) == SQLITE_ROW)
                printf("   %s\n", (const char *)sqlite3_column_text(s, 3));
            sqlite3_finalize(s);
        }
        sqlite3_close(h);
        return 0;
    }
    int k = 0;
    while (k < NSCN && strcmp(scn, scenario_names[k]))
        k++;
    if (k == NSCN) {
        fputs(usage, stderr);
        return 2;
    }
    g_scn = (enum scenario)k;

    struct worker *w = calloc((size_t)threads, sizeof(*w));
    int64_t t0 = now_ns();
    for (int i = 0; i < threads; i++) {
        w[i].rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1) | 1;
        pthread_create(&w[i].th, NULL, run, &w[i]);
    }
    struct timespec ts = {(time_t)g_seconds, (long)((g_seconds - (double)(time_t)g_seconds) * 1e9)};
    nanosleep(&ts, NULL);
    atomic_store(&g_stop, true);
    size_t total = 0;
    long rows = 0, errors = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(w[i].th, NULL);
        total += w[i].nlat;
        rows += w[i].rows;
        errors += w[i].errors;
    }
    double secs = (double)(now_ns() - t0) / 1e9;
    int64_t *all = malloc((total ? total : 1) * sizeof(*all));
    size_t pos = 0;
    for (int i = 0; i < threads; i++) {
        memcpy(all + pos, w[i].lat, w[i].nlat * sizeof(*all));
        pos += w[i].nlat;
        free(w[i].lat);
    }
    qsort(all, total, sizeof(*all), cmp64);
#define PCT(p) (total ? (double)all[(size_t)((double)(total - 1) * (p))] / 1000.0 : 0.0)
    printf("{\"scenario\":\"%s\",\"threads\":%d,\"ops\":%zu,\"seconds\":%.3f,\"per_second\":%.1f,"
           "\"rows\":%ld,\"errors\":%ld,\"latency_us\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,"
           "\"max\":%.1f}}\n",
           scn, threads, total, secs, (double)total / secs, rows, errors, PCT(0.5), PCT(0.9),
           PCT(0.99), total ? (double)all[total - 1] / 1000.0 : 0.0);
    free(all);
    free(w);
    return errors ? 1 : 0;
}
