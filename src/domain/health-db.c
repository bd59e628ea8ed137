/*
 * Customer health SQL: the three signals of a page of parties for their
 * responses, and the health: search condition. Both read activity_parties through its
 * (party_id, at, activity_id) index and join activities by id; the
 * definition is in health.h and must stay the same in both (the page reads
 * every activity up to now in one pass and applies it in signals_row, the
 * search condition is the SQL of COMPLAINTS, SCORE and LAST_CONTACT).
 */
#include "domain/health.h"
#include "domain/batch.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define ACT_OF "FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id WHERE "

/* Complaints of the last 30 days that are not done; params: since, now. */
#define COMPLAINTS(party)                                                                          \
    ACT_OF "ap.party_id = " party " AND ap.at >= ? AND ap.at <= ? AND a.type = 'complaint' "       \
           "AND a.done = 0"
/* The latest survey score; param: now. */
#define SCORE(party)                                                                               \
    "(SELECT a.score " ACT_OF "ap.party_id = " party " AND ap.at <= ? AND a.type = 'survey' "      \
    "AND a.score IS NOT NULL ORDER BY ap.at DESC, ap.activity_id DESC LIMIT 1)"
/* The time of the latest call, e-mail or meeting; param: now. */
#define LAST_CONTACT(party)                                                                        \
    "(SELECT MAX(ap.at) " ACT_OF "ap.party_id = " party " AND ap.at <= ? AND "                     \
    "a.type IN ('call', 'email', 'meeting'))"

/* Where a page's scan keeps the latest survey of each party. */
struct survey_seen {
    char at[XRM_TIME_LEN];
    int64_t activity;
};

static void signals_row(struct xrm_stmt *s, const struct xrm_health_clock *c,
                        struct xrm_health_signals *o, struct survey_seen *seen)
{
    const char *at = xrm_stmt_text(s, 1), *type = xrm_stmt_text(s, 3);
    if (!at || !type)
        return;
    if (strcmp(type, "complaint") == 0) {
        if (xrm_stmt_int(s, 4) == 0 && strcmp(at, c->complaint_since) >= 0)
            o->open_complaints++;
    } else if (strcmp(type, "survey") == 0) {
        int64_t act = xrm_stmt_int(s, 2);
        int cmp = strcmp(at, seen->at);
        if (!xrm_stmt_is_null(s, 5) && (cmp > 0 || (cmp == 0 && act > seen->activity))) {
            xrm_strlcpy(seen->at, at, sizeof(seen->at));
            seen->activity = act;
            o->score = (int)xrm_stmt_int(s, 5);
        }
    } else if (strcmp(type, "call") == 0 || strcmp(type, "email") == 0 ||
               strcmp(type, "meeting") == 0) {
        if (strcmp(at, o->last_contact) > 0)
            xrm_strlcpy(o->last_contact, at, sizeof(o->last_contact));
    }
}

/*
 * The three signals of every party of a page, from one pass over their
 * activities up to now (the definitions of COMPLAINTS, SCORE and
 * LAST_CONTACT above, evaluated per row here): one walk of the index
 * instead of three, and no temporary table for the list of contact types.
 */
enum xrm_rc xrm_health_db_signals_page(struct xrm_db *db, const struct xrm_batch *b,
                                       const struct xrm_health_clock *c,
                                       struct xrm_health_signals *out, struct xrm_err *err)
{
    struct xrm_sql q;
    enum xrm_rc rc = XRM_OK;
    int r = 0;

    for (size_t i = 0; i < b->n; i++) {
        out[i].open_complaints = 0;
        out[i].score = -1;
        out[i].last_contact[0] = '\0';
    }
    if (b->n == 0)
        return XRM_OK;
    struct survey_seen *seen = xrm_calloc(b->n, sizeof(*seen));
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT ap.party_id, ap.at, ap.activity_id, a.type, a.done, a.score " ACT_OF
                    "ap.party_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " AND ap.at <= ?");
    xrm_sql_str(&q, c->now);
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            signals_row(s, c, &out[pos], &seen[pos]);
        }
    }
    xrm_stmt_done(s);
    if (r < 0)
        rc = XRM_E_DB;
out:
    xrm_sql_release(&q);
    free(seen);
    return rc;
}

/* (open complaint OR score <= 5 OR last contact before the risk limit) */
static void risk_sql(const struct xrm_health_clock *c, struct xrm_sql *out)
{
    xrm_sql_add(out, "(EXISTS (SELECT 1 " COMPLAINTS("p.id") ") OR COALESCE(" SCORE(
                         "p.id") ", 99) <= ? OR COALESCE(" LAST_CONTACT("p.id") ", '9999') < ?)");
    xrm_sql_str(out, c->complaint_since);
    xrm_sql_str(out, c->now);
    xrm_sql_str(out, c->now);
    xrm_sql_int(out, XRM_HEALTH_RISK_SCORE);
    xrm_sql_str(out, c->now);
    xrm_sql_str(out, c->risk_before);
}

/* (score <= 7 OR last contact before the watch limit, or none) */
static void watch_sql(const struct xrm_health_clock *c, struct xrm_sql *out)
{
    xrm_sql_add(out, "(COALESCE(" SCORE("p.id") ", 99) <= ? OR COALESCE(" LAST_CONTACT(
                         "p.id") ", '') < ?)");
    xrm_sql_str(out, c->now);
    xrm_sql_int(out, XRM_HEALTH_WATCH_SCORE);
    xrm_sql_str(out, c->now);
    xrm_sql_str(out, c->watch_before);
}

void xrm_health_sql(const char *status, struct xrm_sql *out)
{
    struct xrm_health_clock c;

    xrm_health_clock_now(&c);
    xrm_sql_add(out, "EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND "
                     "r.type = 'customer' AND r.status = 'active') AND ");
    if (strcmp(status, "at_risk") == 0) {
        risk_sql(&c, out);
        return;
    }
    xrm_sql_add(out, "NOT ");
    risk_sql(&c, out);
    xrm_sql_add(out, strcmp(status, "watch") == 0 ? " AND " : " AND NOT ");
    watch_sql(&c, out);
}
