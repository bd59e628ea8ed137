/*
 * Full-text search of records' text (fulltext-db.h): the conditions of the
 * free words of a party search and the "found" of each party of a page.
 * The engine-specific parts (the match of a word, its expression) come
 * from the store (store.h xrm_db_search_ids, xrm_db_text_match,
 * xrm_db_search_expr); the index itself is kept by triggers (migration 13).
 */
#include "domain/party/fulltext-db.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/base/access.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

/* Words (and phrases) whose records are named in "found": the first few of the query. */
#define FOUND_WORDS 4

static bool is_text(const struct xrm_qterm *t)
{
    return t->kind == XRM_QT_WORD || t->kind == XRM_QT_PHRASE;
}

/*
 * A free word of one or two letters is matched against the parties' own text
 * (names, e-mail, phone, city) only, not against the text of their records:
 * "ve" is the start of a name someone is typing, and over notes and e-mails
 * it matched a hundred thousand records at 100k parties (hundreds of ms per
 * request). A phrase, and a word of three letters or more, searches both.
 */
#define RECORD_WORD_MIN 3

static bool reaches_records(const struct xrm_qterm *t)
{
    if (t->kind == XRM_QT_PHRASE)
        return true;
    size_t chars = 0;
    for (const unsigned char *c = (const unsigned char *)t->value; *c; c++)
        chars += (*c & 0xc0) != 0x80; /* count the first byte of each UTF-8 character */
    return chars >= RECORD_WORD_MIN;
}

bool xrm_fulltext_has_words(const struct xrm_query *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (is_text(&q->terms[i]) && !q->terms[i].negated)
            return true;
    return false;
}

/* " AND rt.domain is one the viewer may read", nothing for a viewer who reads everything. */
static void add_readable(struct xrm_sql *out, const struct xrm_user *viewer)
{
    /* press releases and letters under embargo: only pr writers find their words */
    char now[21];
    if (!xrm_access_embargo_now(viewer, now)) {
        /* per row, by the activity's key: a list of all activities under embargo took a scan
         * of every activity (0.5 s of CPU at 5 million) */
        xrm_sql_add(out, " AND NOT (rt.kind = 'activity' AND EXISTS (SELECT 1 FROM activities e"
                         " WHERE e.id = rt.record_id AND NOT " XRM_ACCESS_EMBARGO("e") "))");
        xrm_sql_str(out, now);
        xrm_sql_int(out, 0);
    }
    if (xrm_access_reads_all(viewer))
        return;
    xrm_sql_add(out, " AND " XRM_ACCESS_MATCH("rt.domain"));
    xrm_sql_readable(out, viewer);
}

static void fulltext_sql(struct xrm_db *db, const struct xrm_query *q, bool excluded_only,
                         struct xrm_sql *out)
{
    for (size_t i = 0; i < q->n; i++) {
        const struct xrm_qterm *t = &q->terms[i];
        if (!is_text(t) || (excluded_only && !t->negated))
            continue;
        const char *w = t->value;
        char *expr = t->kind == XRM_QT_WORD ? xrm_db_search_expr(db, &w, 1, NULL, 0)
                                            : xrm_db_search_expr(db, NULL, 0, &w, 1);
        xrm_sql_add(out, t->negated ? " AND p.id NOT IN (" : " AND p.id IN (");
        xrm_sql_add(out, xrm_db_search_ids(db));
        xrm_sql_str(out, expr);
        if (reaches_records(t)) {
            xrm_sql_add(out, " UNION SELECT rt.party_id FROM record_text rt WHERE ");
            xrm_sql_add(out, xrm_db_text_match(db));
            xrm_sql_str(out, expr);
            add_readable(out, q->viewer);
        }
        xrm_sql_add(out, ")");
        free(expr);
    }
}

void xrm_fulltext_sql(struct xrm_db *db, const struct xrm_query *q, struct xrm_sql *out)
{
    fulltext_sql(db, q, false, out);
}

void xrm_fulltext_sql_excluded(struct xrm_db *db, const struct xrm_query *q, struct xrm_sql *out)
{
    fulltext_sql(db, q, true, out);
}

/*
 * The walk (fulltext-db.h xrm_fulltext_walk_open). Each word has one or
 * two arms, the parties whose own text matches and the readable records
 * that match, each a statement giving party ids from the highest down (a
 * party once per matching record, in a row). An arm that must skip far
 * (more than SEEK_STEPS rows: the other word is rarer) stops walking: a
 * record arm then answers "does party c have a match" with one probe of
 * the index for c's range, as long as another word walks (so candidates
 * keep coming from somewhere); a party arm, or a record arm when no other
 * word walks, is started again below the target (for a 3-letter prefix
 * at 1M parties a probe took 0.05 ms, a start in descending order 0.5 ms,
 * in FTS5 of SQLite 3.40). An arm whose statement took
 * long to start (COSTLY_NS: a long prefix of a common word, which FTS5
 * merges from every term it covers, 26-64 ms at 1M) is only ever stepped.
 */
#define SEEK_STEPS 256
#define COSTLY_NS 2000000
#define WALK_END INT64_MIN

struct walk_arm {
    bool records;
    bool probing; /* cur is only an upper bound: matches are probed (records arms) */
    bool costly;  /* slow to start: stepped, never started again nor probed */
    struct xrm_stmt *s;
    int64_t cur; /* the party of the current row; WALK_END after the last */
};

struct walk_word {
    char *expr;
    struct walk_arm arm[2];
    int narms;
};

struct xrm_fulltext_walk {
    struct xrm_db *db;
    const struct xrm_user *viewer;
    struct walk_word *words;
    size_t nwords;
    int64_t below;
    bool started;
};

static int arm_step(struct walk_arm *a, struct xrm_err *err)
{
    int r = xrm_stmt_step(a->s, err);
    if (r < 0)
        return -1;
    a->cur = r == 1 ? xrm_stmt_int(a->s, 0) : WALK_END;
    return 0;
}

/*
 * The statement of arm a of word w over the parties from `from` to below
 * `below`: descending, or (probe) the first match only.
 */
static struct xrm_stmt *arm_prepare(struct xrm_fulltext_walk *wk, struct walk_word *w,
                                    const struct walk_arm *a, int64_t from, int64_t below,
                                    bool probe, struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    if (a->records) {
        xrm_sql_add(&q, "SELECT rt.party_id");
        xrm_sql_add(&q, xrm_db_stream_records(wk->db));
        xrm_sql_str(&q, w->expr);
        xrm_sql_int(&q, from);
    } else {
        xrm_sql_add(&q, xrm_db_stream_parties(wk->db));
        xrm_sql_str(&q, w->expr);
    }
    xrm_sql_int(&q, below);
    if (a->records) {
        add_readable(&q, wk->viewer);
        xrm_sql_add(&q, probe ? " LIMIT 1" : xrm_db_stream_records_order(wk->db));
    }
    struct xrm_stmt *s = xrm_sql_prepare(wk->db, &q, err);
    xrm_sql_release(&q);
    return s;
}

/* (Re)starts arm a of word w at the parties below `below`. */
static int arm_open(struct xrm_fulltext_walk *wk, struct walk_word *w, struct walk_arm *a,
                    int64_t below, struct xrm_err *err)
{
    int64_t t0 = xrm_mono_ns();
    xrm_stmt_done(a->s);
    a->s = arm_prepare(wk, w, a, 0, below, false, err);
    if (!a->s || arm_step(a, err) < 0)
        return -1;
    if (xrm_mono_ns() - t0 > COSTLY_NS)
        a->costly = true;
    return 0;
}

/* True when a word other than w has no probing arm: it brings the candidates. */
static bool other_walks(const struct xrm_fulltext_walk *wk, const struct walk_word *w)
{
    for (size_t i = 0; i < wk->nwords; i++) {
        const struct walk_word *o = &wk->words[i];
        if (o == w)
            continue;
        bool walks = true;
        for (int k = 0; k < o->narms; k++)
            walks = walks && !o->arm[k].probing;
        if (walks)
            return true;
    }
    return false;
}

/* Moves a to its first party at or below target (for a probing arm: its bound). */
static int arm_seek(struct xrm_fulltext_walk *wk, struct walk_word *w, struct walk_arm *a,
                    int64_t target, struct xrm_err *err)
{
    if (a->probing) {
        if (a->cur > target)
            a->cur = target;
        return 0;
    }
    for (int steps = 0; a->cur != WALK_END && a->cur > target; steps++) {
        if (steps == SEEK_STEPS && !a->costly) {
            if (a->records && other_walks(wk, w)) {
                xrm_stmt_done(a->s);
                a->s = NULL;
                a->probing = true;
                a->cur = target;
                return 0;
            }
            return arm_open(wk, w, a, target + 1, err);
        }
        if (arm_step(a, err) < 0)
            return -1;
    }
    return 0;
}

/* The highest party of word w's arms (WALK_END when both are done). */
static int64_t word_cur(const struct walk_word *w)
{
    int64_t c = WALK_END;
    for (int i = 0; i < w->narms; i++)
        if (w->arm[i].cur > c)
            c = w->arm[i].cur;
    return c;
}

static int word_seek(struct xrm_fulltext_walk *wk, struct walk_word *w, int64_t target,
                     struct xrm_err *err)
{
    for (int i = 0; i < w->narms; i++)
        if (arm_seek(wk, w, &w->arm[i], target, err) < 0)
            return -1;
    return 0;
}

/* 1 when word w (whose arms are at or below c) matches party c, 0 if not, -1 on error. */
static int word_has(struct xrm_fulltext_walk *wk, struct walk_word *w, int64_t c,
                    struct xrm_err *err)
{
    for (int i = 0; i < w->narms; i++)
        if (!w->arm[i].probing && w->arm[i].cur == c)
            return 1;
    for (int i = 0; i < w->narms; i++) {
        struct walk_arm *a = &w->arm[i];
        if (!a->probing || a->cur != c)
            continue;
        struct xrm_stmt *s = arm_prepare(wk, w, a, c, c + 1, true, err);
        int r = s ? xrm_stmt_step(s, err) : -1;
        xrm_stmt_done(s);
        if (r < 0)
            return -1;
        if (r == 1)
            return 1;
        a->cur = c > 1 ? c - 1 : WALK_END; /* party ids start at 1 */
    }
    return 0;
}

enum xrm_rc xrm_fulltext_walk_open(struct xrm_db *db, const struct xrm_query *q, int64_t below,
                                   struct xrm_fulltext_walk **out, struct xrm_err *err)
{
    *out = NULL;
    if (!xrm_db_stream_parties(db) || !xrm_fulltext_has_words(q))
        return XRM_OK;
    struct xrm_fulltext_walk *wk = xrm_calloc(1, sizeof(*wk));
    wk->db = db;
    wk->viewer = q->viewer;
    wk->below = below;
    wk->words = xrm_calloc(q->n, sizeof(*wk->words));
    for (size_t i = 0; i < q->n; i++) {
        const struct xrm_qterm *t = &q->terms[i];
        if (!is_text(t) || t->negated)
            continue;
        struct walk_word *w = &wk->words[wk->nwords++];
        const char *v = t->value;
        w->expr = t->kind == XRM_QT_WORD ? xrm_db_search_expr(db, &v, 1, NULL, 0)
                                         : xrm_db_search_expr(db, NULL, 0, &v, 1);
        w->narms = reaches_records(t) ? 2 : 1;
        w->arm[1].records = true;
    }
    *out = wk;
    return XRM_OK;
}

int xrm_fulltext_walk_next(struct xrm_fulltext_walk *wk, int64_t *id, struct xrm_err *err)
{
    if (!wk->started) {
        wk->started = true;
        for (size_t i = 0; i < wk->nwords; i++)
            for (int k = 0; k < wk->words[i].narms; k++)
                if (arm_open(wk, &wk->words[i], &wk->words[i].arm[k], wk->below, err) < 0)
                    return -1;
    }
    for (;;) {
        /* the highest party every word may still match */
        int64_t c = INT64_MAX;
        for (size_t i = 0; i < wk->nwords; i++) {
            int64_t wc = word_cur(&wk->words[i]);
            if (wc < c)
                c = wc;
        }
        if (c == WALK_END)
            return 0;
        bool all = true;
        for (size_t i = 0; i < wk->nwords; i++) {
            if (word_seek(wk, &wk->words[i], c, err) < 0)
                return -1;
            all = all && word_cur(&wk->words[i]) == c;
        }
        for (size_t i = 0; all && i < wk->nwords; i++) {
            int r = word_has(wk, &wk->words[i], c, err);
            if (r < 0)
                return -1;
            all = r == 1;
        }
        if (all) {
            *id = c;
            /* past c: every arm's rows of party c */
            for (size_t i = 0; i < wk->nwords; i++)
                if (word_seek(wk, &wk->words[i], c - 1, err) < 0)
                    return -1;
            return 1;
        }
    }
}

void xrm_fulltext_walk_close(struct xrm_fulltext_walk *wk)
{
    if (!wk)
        return;
    for (size_t i = 0; i < wk->nwords; i++) {
        for (int k = 0; k < 2; k++)
            xrm_stmt_done(wk->words[i].arm[k].s);
        free(wk->words[i].expr);
    }
    free(wk->words);
    free(wk);
}

static bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Moves i back to the start of a UTF-8 character. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

char *xrm_fulltext_excerpt(const char *text, const char *word)
{
    size_t len = strlen(text), wlen = strlen(word), at = 0;
    /* the first word of text that starts with `word` (ASCII case folded) */
    for (size_t i = 0; wlen && i + wlen <= len; i++) {
        if ((i == 0 || !word_byte((unsigned char)text[i - 1])) &&
            strncasecmp(text + i, word, wlen) == 0) {
            at = i;
            break;
        }
    }
    size_t start = at > XRM_FULLTEXT_EXCERPT_MAX / 3 ? at - XRM_FULLTEXT_EXCERPT_MAX / 3 : 0;
    size_t end = start + XRM_FULLTEXT_EXCERPT_MAX < len ? start + XRM_FULLTEXT_EXCERPT_MAX : len;
    if (start > 0) { /* begin at a word */
        size_t s = start;
        while (s < at && word_byte((unsigned char)text[s]))
            s++;
        while (s < at && !word_byte((unsigned char)text[s]))
            s++;
        start = s <= at ? s : char_start(text, start);
    }
    if (end < len) { /* end at a word's end */
        size_t e = end;
        while (e > at + wlen && word_byte((unsigned char)text[e]))
            e--;
        end = e > at + wlen ? e : char_start(text, end);
    }
    struct xrm_buf b = XRM_BUF_INIT;
    if (start > 0)
        xrm_buf_adds(&b, "…");
    bool space = false;
    for (size_t i = start; i < end; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = b.len > 0;
            continue;
        }
        if (space)
            xrm_buf_addc(&b, ' ');
        space = false;
        xrm_buf_addc(&b, (char)c);
    }
    if (end < len)
        xrm_buf_adds(&b, "…");
    return xrm_buf_detach(&b, NULL);
}

/* True when item's "found" names kind/id already, or is full. */
static bool found_has(json_t *found, const char *kind, int64_t id)
{
    if (json_array_size(found) >= XRM_FULLTEXT_FOUND_MAX)
        return true;
    size_t i;
    json_t *f;
    json_array_foreach(found, i, f)
    {
        if (json_integer_value(json_object_get(f, "id")) == id &&
            strcmp(json_string_value(json_object_get(f, "kind")), kind) == 0)
            return true;
    }
    return false;
}

static enum xrm_rc found_word(struct xrm_db *db, const struct xrm_query *q,
                              const struct xrm_qterm *t, const struct xrm_batch *b, json_t *items,
                              struct xrm_err *err)
{
    struct xrm_sql sql;
    const char *w = t->value;
    char *expr = t->kind == XRM_QT_WORD ? xrm_db_search_expr(db, &w, 1, NULL, 0)
                                        : xrm_db_search_expr(db, NULL, 0, &w, 1);
    enum xrm_rc rc = XRM_OK;
    xrm_sql_init(&sql);
    xrm_sql_add(&sql, "SELECT rt.party_id, rt.kind, rt.record_id, rt.type, rt.domain, rt.body");
    if (xrm_db_stream_records(db)) {
        /*
         * The word's records between the page's first and last party, party by party:
         * the index seeks to them, where "the page's parties' records whose text is
         * among all the word's matches" gathered every match first (1 s for "gra" at
         * 1M parties). Rows of parties between them that are not on the page are
         * passed over below.
         */
        xrm_sql_add(&sql, xrm_db_stream_records(db));
        xrm_sql_str(&sql, expr);
        xrm_sql_int(&sql, b->by_id[0].id);
        xrm_sql_int(&sql, b->by_id[b->n - 1].id + 1);
        add_readable(&sql, q->viewer);
        xrm_sql_add(&sql, xrm_db_stream_records_order(db));
    } else {
        xrm_sql_add(&sql, " FROM record_text rt WHERE rt.party_id IN ");
        xrm_batch_sql_in(b, &sql);
        xrm_sql_add(&sql, " AND ");
        xrm_sql_add(&sql, xrm_db_text_match(db));
        xrm_sql_str(&sql, expr);
        add_readable(&sql, q->viewer);
        xrm_sql_add(&sql, " ORDER BY rt.party_id, rt.id DESC");
    }
    free(expr);
    struct xrm_stmt *s = xrm_sql_prepare(db, &sql, err);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        int64_t party = xrm_stmt_int(s, 0), id = xrm_stmt_int(s, 2);
        const char *kind = xrm_stmt_text(s, 1);
        size_t pos;
        xrm_batch_foreach(b, party, k, pos)
        {
            json_t *item = json_array_get(items, pos);
            json_t *found = json_object_get(item, "found");
            if (!found) {
                found = json_array();
                json_object_set_new(item, "found", found);
            }
            if (found_has(found, kind, id))
                continue;
            char *ex = xrm_fulltext_excerpt(xrm_stmt_text(s, 5), w);
            json_t *e = json_string(ex);
            free(ex);
            json_array_append_new(found, json_pack("{s:s, s:I, s:s, s:s, s:o}", "kind", kind, "id",
                                                   (json_int_t)id, "type", xrm_stmt_text(s, 3),
                                                   "domain", xrm_stmt_text(s, 4), "excerpt",
                                                   e ? e : json_string("")));
        }
    }
    if (r < 0)
        rc = XRM_E_DB;
out:
    xrm_stmt_done(s);
    xrm_sql_release(&sql);
    return rc;
}

enum xrm_rc xrm_fulltext_found(struct xrm_db *db, const struct xrm_query *q,
                               const struct xrm_batch *b, json_t *items, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    int words = 0;
    if (!b->n)
        return XRM_OK;
    for (size_t i = 0; !rc && i < q->n && words < FOUND_WORDS; i++) {
        const struct xrm_qterm *t = &q->terms[i];
        if (!is_text(t) || t->negated || !reaches_records(t))
            continue;
        words++;
        rc = found_word(db, q, t, b, items, err);
    }
    return rc;
}
