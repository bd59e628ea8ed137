/*
 * Customer health SQL: the three signals of a page of parties for their
 * responses, and the health: search condition. Both read activity_parties through its
 * (party_id, at, activity_id) index and join activities by id; the
 * definition is in health.h and must stay the same in both.
 */
#include "domain/health.h"
#include "domain/batch.h"

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

/* The three signals of every party of a page: one row per party. */
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
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT p.id, (SELECT COUNT(*) " COMPLAINTS("p.id") "), " SCORE(
                        "p.id") ", " LAST_CONTACT("p.id") " FROM parties p WHERE p.id IN ");
    xrm_sql_str(&q, c->complaint_since);
    xrm_sql_str(&q, c->now);
    xrm_sql_str(&q, c->now);
    xrm_sql_str(&q, c->now);
    xrm_batch_sql_in(b, &q);
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    if (!s) {
        rc = XRM_E_DB;
        goto out;
    }
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            out[pos].open_complaints = (int)xrm_stmt_int(s, 1);
            out[pos].score = xrm_stmt_is_null(s, 2) ? -1 : (int)xrm_stmt_int(s, 2);
            const char *last = xrm_stmt_text(s, 3);
            xrm_strlcpy(out[pos].last_contact, last ? last : "", sizeof(out[pos].last_contact));
        }
    }
    xrm_stmt_done(s);
    if (r < 0)
        rc = XRM_E_DB;
out:
    xrm_sql_release(&q);
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
