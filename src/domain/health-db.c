/*
 * Customer health SQL: the three signals of one party for its response,
 * and the health: search condition. Both read activity_parties through its
 * (party_id, at, activity_id) index and join activities by id; the
 * definition is in health.h and must stay the same in both.
 */
#include "domain/health.h"

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

enum xrm_rc xrm_health_db_signals(struct xrm_db *db, int64_t party_id,
                                  const struct xrm_health_clock *c, struct xrm_health_signals *out,
                                  struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT (SELECT COUNT(*) " COMPLAINTS("?") "), " SCORE("?") ", " LAST_CONTACT("?"),
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, party_id);
    xrm_stmt_bind_text(s, 2, c->complaint_since);
    xrm_stmt_bind_text(s, 3, c->now);
    xrm_stmt_bind_int(s, 4, party_id);
    xrm_stmt_bind_text(s, 5, c->now);
    xrm_stmt_bind_int(s, 6, party_id);
    xrm_stmt_bind_text(s, 7, c->now);
    int r = xrm_stmt_step(s, err);
    if (r == 1) {
        out->open_complaints = (int)xrm_stmt_int(s, 0);
        out->score = xrm_stmt_is_null(s, 1) ? -1 : (int)xrm_stmt_int(s, 1);
        const char *last = xrm_stmt_text(s, 2);
        xrm_strlcpy(out->last_contact, last ? last : "", sizeof(out->last_contact));
    }
    xrm_stmt_done(s);
    if (r < 0)
        return XRM_E_DB;
    if (r == 0)
        return xrm_errf(err, XRM_E_DB, "health query returned no row");
    return XRM_OK;
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
