/*
 * Customer health SQL: the three signals of a page of parties for their
 * responses, and the health: search condition. Both read activity_parties
 * through its (party_id, at, activity_id) index and join activities by id;
 * the definition is in health.h and must stay the same in both (the page
 * reads every activity up to now in one pass and applies it in
 * signals_row, the search condition is the SQL of complaints_sql,
 * score_sql and last_contact_sql).
 *
 * Both count only activities of domains the viewer may read: scope()
 * appends that condition, and nothing for a viewer who may read every
 * domain, whose SQL is then the same as the system's.
 */
#include "domain/rules/health.h"
#include "domain/base/access.h"
#include "domain/base/batch.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define ACT_OF "FROM activity_parties ap JOIN activities a ON a.id = ap.activity_id WHERE "

/* " AND <activity a is of a domain viewer may read>", or nothing when it reads all. */
static void scope(const struct xrm_user *viewer, struct xrm_sql *out)
{
    if (!xrm_access_reads_all(viewer)) {
        xrm_sql_add(out, " AND " XRM_ACCESS_MATCH("a.domain"));
        xrm_sql_readable(out, viewer);
    }
    /* a press release or letter under embargo has not happened yet for who may not see it
     * (also for a reader of every domain without pr write) */
    char now[21];
    if (xrm_access_embargo_now(viewer, now))
        return;
    xrm_sql_add(out, " AND " XRM_ACCESS_EMBARGO("a"));
    xrm_sql_str(out, now);
    xrm_sql_int(out, 0);
}

/* Complaints of the last 30 days that are not done, on party p.id. */
static void complaints_sql(const struct xrm_health_clock *c, const struct xrm_user *viewer,
                           struct xrm_sql *out)
{
    xrm_sql_add(out, "EXISTS (SELECT 1 " ACT_OF "ap.party_id = p.id AND ap.at >= ? AND ap.at <= ? "
                     "AND a.type = 'complaint' AND a.done = 0");
    xrm_sql_str(out, c->complaint_since);
    xrm_sql_str(out, c->now);
    scope(viewer, out);
    xrm_sql_add(out, ")");
}

/* The latest survey score of party p.id (NULL when none). */
static void score_sql(const struct xrm_health_clock *c, const struct xrm_user *viewer,
                      struct xrm_sql *out)
{
    xrm_sql_add(out, "(SELECT a.score " ACT_OF "ap.party_id = p.id AND ap.at <= ? AND "
                     "a.type = 'survey' AND a.score IS NOT NULL");
    xrm_sql_str(out, c->now);
    scope(viewer, out);
    xrm_sql_add(out, " ORDER BY ap.at DESC, ap.activity_id DESC LIMIT 1)");
}

/* The time of the latest call, e-mail or meeting of party p.id (NULL when none). */
static void last_contact_sql(const struct xrm_health_clock *c, const struct xrm_user *viewer,
                             struct xrm_sql *out)
{
    xrm_sql_add(out, "(SELECT MAX(ap.at) " ACT_OF "ap.party_id = p.id AND ap.at <= ? AND "
                     "a.type IN ('call', 'email', 'meeting')");
    xrm_sql_str(out, c->now);
    scope(viewer, out);
    xrm_sql_add(out, ")");
}

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
 * activities up to now (the definitions of complaints_sql, score_sql and
 * last_contact_sql above, evaluated per row here): one walk of the index
 * instead of three, and no temporary table for the list of contact types.
 */
enum xrm_rc xrm_health_db_signals_page(struct xrm_db *db, const struct xrm_user *viewer,
                                       const struct xrm_batch *b, const struct xrm_health_clock *c,
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
    scope(viewer, &q);
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
static void risk_sql(const struct xrm_health_clock *c, const struct xrm_user *viewer,
                     struct xrm_sql *out)
{
    xrm_sql_add(out, "(");
    complaints_sql(c, viewer, out);
    xrm_sql_add(out, " OR COALESCE(");
    score_sql(c, viewer, out);
    xrm_sql_add(out, ", 99) <= ? OR COALESCE(");
    xrm_sql_int(out, XRM_HEALTH_RISK_SCORE);
    last_contact_sql(c, viewer, out);
    xrm_sql_add(out, ", '9999') < ?)");
    xrm_sql_str(out, c->risk_before);
}

/* (score <= 7 OR last contact before the watch limit, or none) */
static void watch_sql(const struct xrm_health_clock *c, const struct xrm_user *viewer,
                      struct xrm_sql *out)
{
    xrm_sql_add(out, "(COALESCE(");
    score_sql(c, viewer, out);
    xrm_sql_add(out, ", 99) <= ? OR COALESCE(");
    xrm_sql_int(out, XRM_HEALTH_WATCH_SCORE);
    last_contact_sql(c, viewer, out);
    xrm_sql_add(out, ", '') < ?)");
    xrm_sql_str(out, c->watch_before);
}

void xrm_health_sql(const struct xrm_user *viewer, const char *status, struct xrm_sql *out)
{
    struct xrm_health_clock c;

    xrm_health_clock_now(&c);
    xrm_sql_add(out, "EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND "
                     "r.type = 'customer' AND r.status = 'active') AND ");
    if (strcmp(status, "at_risk") == 0) {
        risk_sql(&c, viewer, out);
        return;
    }
    xrm_sql_add(out, "NOT ");
    risk_sql(&c, viewer, out);
    xrm_sql_add(out, strcmp(status, "watch") == 0 ? " AND " : " AND NOT ");
    watch_sql(&c, viewer, out);
}
