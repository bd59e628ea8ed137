/*
 * SQL for what deals, cases and agreements share: user lookups, the
 * record_activities links, and the per-party counts and sums of the party
 * summary: one statement per record kind for a whole page of parties
 * (grouped by party over an IN list of the page's ids), so a list page
 * costs at most four statements for its summaries whatever its size (a
 * probe says which kinds the page has at all; most parties have none).
 */
#include "domain/records/records-db.h"
#include "domain/base/row.h"
#include "domain/records/records.h"
#include "domain/base/batch.h"
#include "domain/base/query-db.h"
#include "core/clock.h"
#include "core/json.h"
#include "domain/base/access.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define LATEST 5

enum { HAS_DEALS = 1, HAS_CASES = 2, HAS_AGREEMENTS = 4 };

enum xrm_rc xrm_rec_db_first_admin(struct xrm_db *db, int64_t *id, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(
        db, "SELECT id FROM users WHERE is_admin = 1 AND disabled = 0 ORDER BY id LIMIT 1", err);
    if (!s)
        return XRM_E_DB;
    int r = xrm_stmt_step(s, err);
    *id = r == 1 ? xrm_stmt_int(s, 0) : 0;
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_rec_db_user_name(struct xrm_db *db, int64_t id, char *out, size_t n,
                                 struct xrm_err *err)
{
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT COALESCE(display_name, name) FROM users WHERE id = ?", err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, id);
    int r = xrm_stmt_step(s, err);
    out[0] = '\0';
    if (r == 1 && xrm_stmt_text(s, 0))
        xrm_strlcpy(out, xrm_stmt_text(s, 0), n);
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

enum xrm_rc xrm_rec_db_link(struct xrm_db *db, int64_t activity_id, const char *entity,
                            int64_t entity_id, const char *kind, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO record_activities (activity_id, entity, "
                                        "entity_id, kind) VALUES (?, ?, ?, ?) "
                                        "ON CONFLICT DO NOTHING",
                                        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_int(s, 1, activity_id);
    xrm_stmt_bind_text(s, 2, entity);
    xrm_stmt_bind_int(s, 3, entity_id);
    xrm_stmt_bind_text(s, 4, kind);
    return xrm_rows_run(s, err);
}

enum xrm_rc xrm_rec_db_activity_ids(struct xrm_db *db, const struct xrm_user *reader,
                                    const char *entity, int64_t entity_id, int limit, json_t **out,
                                    struct xrm_err *err)
{
    char now[21];
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT ra.activity_id, ra.kind FROM record_activities ra "
        "JOIN activities a ON a.id = ra.activity_id "
        "WHERE ra.entity = ? AND ra.entity_id = ? AND " XRM_ACCESS_MATCH(
            "a.domain") " AND " XRM_ACCESS_EMBARGO("a") " ORDER BY a.at DESC, a.id DESC LIMIT ?",
        err);
    if (!s)
        return XRM_E_DB;
    xrm_stmt_bind_text(s, 1, entity);
    xrm_stmt_bind_int(s, 2, entity_id);
    /* press releases and letters under embargo: only pr writers see them before the time */
    int next = xrm_access_bind(s, 3, reader);
    int writer = xrm_access_embargo_now(reader, now);
    xrm_stmt_bind_text(s, next++, now);
    xrm_stmt_bind_int(s, next++, writer);
    xrm_stmt_bind_int(s, next, limit);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1)
        json_array_append_new(
            arr, json_pack("[I, s]", (json_int_t)xrm_stmt_int(s, 0), xrm_stmt_text(s, 1)));
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

/* Adds n to obj[key] (an integer, created at 0). */
static void add_to(json_t *obj, const char *key, int64_t n)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + n));
}

/* Adds the deal counts and sums of one (party, status, currency) group to its summary. */
static void add_deal_group(json_t *rec, const char *status, const char *cur, int64_t n, int64_t sum)
{
    json_t *deals = json_object_get(rec, "deals");
    if (!status || !cur)
        return;
    add_to(deals, status, n);
    if (strcmp(status, "won") == 0) {
        add_to(json_object_get(rec, "revenue_by_currency"), cur, sum);
        if (strcmp(cur, "EUR") == 0)
            add_to(rec, "lifetime_revenue", sum);
    } else if (strcmp(status, "open") == 0) {
        add_to(json_object_get(deals, "open_amount_by_currency"), cur, sum);
        if (strcmp(cur, "EUR") == 0)
            add_to(deals, "open_amount", sum);
    }
}

/* Groups in (status, currency) order within a party, so currencies keep one key order. */
static enum xrm_rc deal_counts(struct xrm_db *db, const struct xrm_batch *b, json_t **recs,
                               struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, "SELECT party_id, status, currency, COUNT(*), SUM(amount) FROM deals "
                    "WHERE party_id IN ");
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, " GROUP BY party_id, status, currency ORDER BY party_id, status, currency");
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            add_deal_group(recs[pos], xrm_stmt_text(s, 1), xrm_stmt_text(s, 2), xrm_stmt_int(s, 3),
                           xrm_stmt_int(s, 4));
        }
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/*
 * Runs a counting statement grouped by party: `a`, the ids of b, the
 * readable domains (five parameters), then up to two more texts; sql is
 * the text up to "party_id IN " and rest the text after the id list. Each
 * row is (party_id, n1, n2); the parties without a row get 0 and 0.
 */
static enum xrm_rc two_counts(struct xrm_db *db, const struct xrm_batch *b, const char *sql,
                              const char *rest, const char *a, const char *const *dom,
                              const char *c1, const char *c2, int64_t *n1, int64_t *n2,
                              struct xrm_err *err)
{
    struct xrm_sql q;
    xrm_sql_init(&q);
    xrm_sql_add(&q, sql);
    xrm_sql_str(&q, a);
    xrm_batch_sql_in(b, &q);
    xrm_sql_add(&q, rest);
    for (int k = 0; k < XRM_NDOMAINS; k++)
        xrm_sql_str(&q, dom[k]);
    if (c1)
        xrm_sql_str(&q, c1);
    if (c2)
        xrm_sql_str(&q, c2);
    for (size_t i = 0; i < b->n; i++)
        n1[i] = n2[i] = 0;
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            n1[pos] = xrm_stmt_int(s, 1);
            n2[pos] = xrm_stmt_int(s, 2);
        }
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/*
 * Runs a latest-items statement bound to party_id, the readable domains
 * (when dom) and the limit; each row becomes an object of cols.
 */
static enum xrm_rc latest(struct xrm_db *db, const char *sql, int64_t party_id,
                          const char *const *dom, const char *const *cols, const char *ints,
                          json_t **out, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, sql, err);
    if (!s)
        return XRM_E_DB;
    int idx = 1;
    xrm_stmt_bind_int(s, idx++, party_id);
    for (int k = 0; dom && k < XRM_NDOMAINS; k++)
        xrm_stmt_bind_text(s, idx++, dom[k]);
    xrm_stmt_bind_int(s, idx, LATEST);
    json_t *arr = json_array();
    int r;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        json_t *o = json_object();
        for (int i = 0; cols[i]; i++) {
            if (xrm_stmt_is_null(s, i))
                json_object_set_new(o, cols[i], json_null());
            else if (ints[i] == 'i')
                json_object_set_new(o, cols[i], json_integer(xrm_stmt_int(s, i)));
            else if (ints[i] == 'b')
                json_object_set_new(o, cols[i], json_boolean(xrm_stmt_int(s, i) != 0));
            else
                xrm_json_set_str(o, cols[i], xrm_stmt_text(s, i));
        }
        json_array_append_new(arr, o);
    }
    xrm_stmt_done(s);
    if (r < 0) {
        json_decref(arr);
        return XRM_E_DB;
    }
    *out = arr;
    return XRM_OK;
}

static enum xrm_rc latest_all(struct xrm_db *db, int64_t party_id, unsigned has,
                              const char *const *dom, json_t *deals, json_t *cases,
                              json_t *agreements, struct xrm_err *err)
{
    static const char *const dcols[] = {"id",     "title",    "status",         "stage",
                                        "amount", "currency", "expected_close", NULL};
    static const char *const ccols[] = {"id",       "domain",  "subject", "status",
                                        "priority", "sla_due", NULL};
    static const char *const acols[] = {"id", "kind", "domain", "title", "start", "end", NULL};
    json_t *d = NULL, *c = NULL, *a = NULL;
    enum xrm_rc rc = XRM_OK;
    if (!(has & HAS_DEALS))
        d = json_array();
    else
        rc = latest(db,
                    "SELECT d.id, d.title, d.status, s.name, d.amount, d.currency, "
                    "d.expected_close FROM deals d JOIN pipeline_stages s ON s.id = "
                    "d.stage_id WHERE d.party_id = ? ORDER BY d.id DESC LIMIT ?",
                    party_id, NULL, dcols, "isssiss", &d, err);
    if (!rc && !(has & HAS_CASES))
        c = json_array();
    else if (!rc)
        rc =
            latest(db,
                   "SELECT id, domain, subject, status, priority, sla_due FROM cases "
                   "WHERE party_id = ? AND " XRM_ACCESS_MATCH("domain") " ORDER BY id DESC LIMIT ?",
                   party_id, dom, ccols, "isssss", &c, err);
    if (!rc && !(has & HAS_AGREEMENTS))
        a = json_array();
    else if (!rc)
        rc =
            latest(db,
                   "SELECT id, kind, domain, title, start_date, end_date FROM agreements "
                   "WHERE party_id = ? AND " XRM_ACCESS_MATCH("domain") " ORDER BY id DESC LIMIT ?",
                   party_id, dom, acols, "isssss", &a, err);
    if (rc) {
        json_decref(d);
        json_decref(c);
        json_decref(a);
        return rc;
    }
    json_object_set_new(deals, "latest", d);
    json_object_set_new(cases, "latest", c);
    json_object_set_new(agreements, "latest", a);
    return XRM_OK;
}

/*
 * Which parties of the page have any deals, cases or agreements at all
 * (HAS_* bits per position in has, their union in any). Most parties have
 * none of a kind, and one probe on the three party indexes then spares the
 * counting and latest-items statements of that kind.
 */
static enum xrm_rc records_present(struct xrm_db *db, const struct xrm_batch *b, unsigned *has,
                                   unsigned *any, struct xrm_err *err)
{
    /* GROUP BY walks each party index in order; DISTINCT would build a temporary table */
    static const char *const parts[] = {
        "SELECT party_id, 1 FROM deals WHERE party_id IN ",
        " GROUP BY party_id UNION ALL SELECT party_id, 2 FROM cases WHERE party_id IN ",
        " GROUP BY party_id UNION ALL SELECT party_id, 4 FROM agreements WHERE party_id IN "};
    struct xrm_sql q;
    xrm_sql_init(&q);
    for (int k = 0; k < 3; k++) {
        xrm_sql_add(&q, parts[k]);
        xrm_batch_sql_in(b, &q);
    }
    xrm_sql_add(&q, " GROUP BY party_id");
    struct xrm_stmt *s = xrm_sql_prepare(db, &q, err);
    xrm_sql_release(&q);
    if (!s)
        return XRM_E_DB;
    int r;
    *any = 0;
    while ((r = xrm_stmt_step(s, err)) == 1) {
        size_t pos;
        unsigned bit = (unsigned)xrm_stmt_int(s, 1);
        *any |= bit;
        xrm_batch_foreach(b, xrm_stmt_int(s, 0), k, pos)
        {
            has[pos] |= bit;
        }
    }
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* Built directly: json_pack parses its format on every party of a page. */
static json_t *empty_summary(void)
{
    json_t *rec = json_object(), *deals = json_object();
    json_object_set_new(rec, "lifetime_revenue", json_integer(0));
    json_object_set_new(rec, "currency", json_string("EUR"));
    json_object_set_new(rec, "revenue_by_currency", json_object());
    json_object_set_new(deals, "open", json_integer(0));
    json_object_set_new(deals, "won", json_integer(0));
    json_object_set_new(deals, "lost", json_integer(0));
    json_object_set_new(deals, "open_amount", json_integer(0));
    json_object_set_new(deals, "open_amount_by_currency", json_object());
    json_object_set_new(rec, "deals", deals);
    json_object_set_new(rec, "cases", json_object());
    json_object_set_new(rec, "agreements", json_object());
    return rec;
}

/* Sets out[i].kind.k1 = n1[i] and .k2 = n2[i] for the page's n summaries. */
static void put_counts(json_t **out, size_t n, const char *kind, const char *k1, const char *k2,
                       const int64_t *n1, const int64_t *n2)
{
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object_get(out[i], kind);
        json_object_set_new(o, k1, json_integer(n1[i]));
        json_object_set_new(o, k2, json_integer(n2[i]));
    }
}

enum xrm_rc xrm_rec_db_party_summaries(struct xrm_db *db, const struct xrm_batch *b,
                                       const char *const *dom, const char *now, const char *today,
                                       const char *soon, bool full, json_t **out,
                                       struct xrm_err *err)
{
    size_t n = b->n;
    int64_t *n1 = xrm_calloc(n ? n : 1, sizeof(*n1)), *n2 = xrm_calloc(n ? n : 1, sizeof(*n2));
    enum xrm_rc rc = XRM_OK;

    unsigned *has = xrm_calloc(n ? n : 1, sizeof(*has)), any = 0;

    for (size_t i = 0; i < n; i++)
        out[i] = empty_summary();
    if (n == 0)
        goto out;
    rc = records_present(db, b, has, &any, err);
    if (!rc && (any & HAS_DEALS))
        rc = deal_counts(db, b, out, err);
    if (!rc && (any & HAS_CASES))
        rc = two_counts(
            db, b,
            "SELECT party_id, COUNT(*), COALESCE(SUM(CASE WHEN sla_due < ? THEN 1 "
            "ELSE 0 END), 0) FROM cases WHERE party_id IN ",
            " AND " XRM_ACCESS_MATCH("domain") " AND status IN ('new', 'open', 'waiting') "
                                               "GROUP BY party_id",
            now, dom, NULL, NULL, n1, n2, err);
    if (!rc)
        put_counts(out, n, "cases", "open", "breached", n1, n2);
    for (size_t i = 0; i < n; i++)
        n1[i] = n2[i] = 0;
    if (!rc && (any & HAS_AGREEMENTS))
        rc = two_counts(
            db, b,
            "SELECT party_id, COUNT(*), COALESCE(SUM(CASE WHEN end_date IS NOT NULL "
            "AND end_date <= ? THEN 1 ELSE 0 END), 0) FROM agreements WHERE "
            "party_id IN ",
            " AND " XRM_ACCESS_MATCH("domain") " AND start_date <= ? AND (end_date IS NULL "
                                               "OR end_date >= ?) GROUP BY party_id",
            soon, dom, today, today, n1, n2, err);
    if (!rc)
        put_counts(out, n, "agreements", "active", "expiring", n1, n2);
    /* Only single reads are full: the latest lists stay per party. */
    for (size_t i = 0; !rc && full && i < n; i++)
        rc = latest_all(db, b->ids[i], has[i], dom, json_object_get(out[i], "deals"),
                        json_object_get(out[i], "cases"), json_object_get(out[i], "agreements"),
                        err);
out:
    free(n1);
    free(n2);
    free(has);
    if (rc) {
        for (size_t i = 0; i < n; i++) {
            json_decref(out[i]);
            out[i] = NULL;
        }
    }
    return rc;
}

static const char *op_text(enum xrm_qop op)
{
    switch (op) {
    case XRM_QOP_GT:
        return " > ?";
    case XRM_QOP_GE:
        return " >= ?";
    case XRM_QOP_LT:
        return " < ?";
    case XRM_QOP_LE:
        return " <= ?";
    default:
        return " = ?";
    }
}

enum xrm_rc xrm_records_query_term(const char *name, enum xrm_qop op, const char *value,
                                   struct xrm_sql *out, struct xrm_err *err)
{
    char now[XRM_TIME_LEN], today[XRM_DATE_LEN], soon[XRM_DATE_LEN];
    int64_t cents = 0;
    if (strcmp(name, "deal") == 0) {
        if (op != XRM_QOP_EQ ||
            (strcmp(value, "open") != 0 && strcmp(value, "won") != 0 && strcmp(value, "lost") != 0))
            return xrm_err_field(err, XRM_E_INVALID, "q", "deal: is open, won or lost");
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM deals d WHERE d.party_id = p.id AND "
                         "d.status = ?)");
        xrm_sql_str(out, value);
        return XRM_OK;
    }
    if (strcmp(name, "case") == 0) {
        bool breached = strcmp(value, "breached") == 0, closed = strcmp(value, "closed") == 0;
        if (op != XRM_QOP_EQ || (!breached && !closed && strcmp(value, "open") != 0))
            return xrm_err_field(err, XRM_E_INVALID, "q", "case: is open, closed or breached");
        xrm_sql_add(out, closed ? "EXISTS (SELECT 1 FROM cases c WHERE c.party_id = p.id AND "
                                  "c.domain = 'sales' AND c.status IN ('resolved', 'closed')"
                                : "EXISTS (SELECT 1 FROM cases c WHERE c.party_id = p.id AND "
                                  "c.domain = 'sales' AND c.status IN ('new', 'open', 'waiting')");
        if (breached) {
            xrm_clock_now(now);
            xrm_sql_add(out, " AND c.sla_due < ?");
            xrm_sql_str(out, now);
        }
        xrm_sql_add(out, ")");
        return XRM_OK;
    }
    if (strcmp(name, "agreement") == 0) {
        bool expiring = strcmp(value, "expiring") == 0;
        if (op != XRM_QOP_EQ || (!expiring && strcmp(value, "active") != 0))
            return xrm_err_field(err, XRM_E_INVALID, "q", "agreement: is active or expiring");
        /* as the party summary counts them: started, not ended; expiring ends within the window */
        xrm_clock_today(today);
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM agreements g WHERE g.party_id = p.id AND "
                         "g.domain = 'sales' AND g.start_date <= ? AND (g.end_date IS NULL OR "
                         "g.end_date >= ?)");
        xrm_sql_str(out, today);
        xrm_sql_str(out, today);
        if (expiring) {
            xrm_date_add_days(today, XRM_RECORDS_EXPIRING_DAYS, soon);
            xrm_sql_add(out, " AND g.end_date IS NOT NULL AND g.end_date <= ?");
            xrm_sql_str(out, soon);
        }
        xrm_sql_add(out, ")");
        return XRM_OK;
    }
    if (strcmp(name, "revenue") == 0) {
        if (!xrm_parse_int(value, 0, XRM_AMOUNT_MAX, &cents))
            return xrm_err_field(err, XRM_E_INVALID, "q",
                                 "revenue is compared with a whole number of cents");
        xrm_sql_add(out, "(SELECT COALESCE(SUM(d.amount), 0) FROM deals d WHERE d.party_id = "
                         "p.id AND d.status = 'won' AND d.currency = 'EUR')");
        xrm_sql_add(out, op_text(op));
        xrm_sql_int(out, cents);
        return XRM_OK;
    }
    return xrm_err_field(err, XRM_E_INVALID, "q", "unknown term '%s'", name);
}
