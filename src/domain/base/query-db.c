/*
 * Query terms as SQL conditions on a party row aliased `p`. Each term
 * becomes one boolean expression (a negated term is NOT of it), nearly
 * always an EXISTS over an index: roles (type), role_attrs (name, value),
 * party_tags, party_cities, activity_parties (party, at). The terms of
 * other modules go through the term table: treatment terms (priority:,
 * badge:) are translated by the rules module from the rules in memory,
 * health: by the health module, may: by consent, and the record terms
 * (deal:, case:, agreement:, revenue) by the records module.
 */
#include "domain/base/query-db.h"
#include "domain/base/access.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

static void iso_days_ago(long days, char out[XRM_TIME_LEN])
{
    time_t t = time(NULL) - (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, XRM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The type of attribute "type.attr" from its role type's schema; NULL (no error) when unknown. */
static enum xrm_rc attr_type(struct xrm_db *db, const char *key, char **type_out,
                             struct xrm_err *err)
{
    const char *dot = strchr(key, '.');
    char *tname = xrm_strndup(key, (size_t)(dot - key));
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT attributes FROM role_types WHERE tenant = 1 AND name = ?", err);
    json_t *defs = NULL;
    int r;

    *type_out = NULL;
    if (!s) {
        free(tname);
        return XRM_E_DB;
    }
    xrm_stmt_bind_text(s, 1, tname);
    r = xrm_stmt_step(s, err);
    if (r == 1)
        defs = xrm_json_load_stored(xrm_stmt_text(s, 0), true);
    xrm_stmt_done(s);
    free(tname);
    if (r < 0)
        return XRM_E_DB;
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d)
    {
        const char *name = json_string_value(json_object_get(d, "name"));
        if (name && strcmp(name, dot + 1) == 0)
            *type_out = xrm_strdup(json_string_value(json_object_get(d, "type")));
    }
    json_decref(defs);
    return XRM_OK;
}

/* supplier.rating>=4: numbers compare as numbers, dates as ISO text. */
static enum xrm_rc compare_sql(struct xrm_db *db, const struct xrm_qterm *t, struct xrm_sql *out,
                               struct xrm_err *err)
{
    static const char *const ops[] = {"=", ">", ">=", "<", "<="};
    char *type = NULL;
    enum xrm_rc rc = attr_type(db, t->key, &type, err);
    if (rc)
        return rc;
    if (!type) {
        rc = xrm_err_field(err, XRM_E_INVALID, "q", "unknown attribute '%s' at position %d", t->key,
                           t->pos);
        goto out;
    }
    bool numeric =
        strcmp(type, "integer") == 0 || strcmp(type, "number") == 0 || strcmp(type, "money") == 0;
    bool date = strcmp(type, "date") == 0;
    bool is_date_value = strlen(t->value) == 10 && t->value[4] == '-';
    if ((!numeric && !date) || (numeric && is_date_value) || (date && !is_date_value)) {
        rc = xrm_err_field(err, XRM_E_INVALID, "q",
                           "'%s' is a %s attribute and cannot be compared with '%s' at position %d",
                           t->key, type, t->value, t->pos);
        goto out;
    }
    /*
     * Uncorrelated: the parties whose value passes are found once, in one
     * pass over the attribute's index entries. (A correlated EXISTS per party
     * scanned every value of the attribute for each party: seconds at 10k.)
     */
    xrm_sql_add(out, "p.id IN (SELECT a.party_id FROM role_attrs a WHERE a.name = ? AND ");
    xrm_sql_str(out, t->key);
    xrm_sql_add(out, numeric ? "CAST(a.value AS DOUBLE PRECISION) " : "a.value ");
    xrm_sql_add(out, ops[t->op]);
    xrm_sql_add(out, " ?)");
    if (numeric)
        xrm_sql_double(out, strtod(t->value, NULL));
    else
        xrm_sql_str(out, t->value);
out:
    free(type);
    return rc;
}

/* has:email: the party has at least one (columns hold "[]" when empty). */
static void has_sql(const struct xrm_qterm *t, struct xrm_sql *out)
{
    if (strcmp(t->value, "email") == 0)
        xrm_sql_add(out, "p.emails <> '[]'");
    else if (strcmp(t->value, "phone") == 0)
        xrm_sql_add(out, "p.phones <> '[]'");
    else if (strcmp(t->value, "address") == 0)
        xrm_sql_add(out, "p.addresses <> '[]'");
    else
        xrm_sql_add(out, "p.websites <> '[]'");
}

/*
 * Ends a condition on roles r of type `type` with ")", after " AND <r is
 * not a recruitment role>" when viewer may not read the type's domain (a
 * recruitment role is then hidden from it, domain/access.h). A viewer who
 * reads the domain keeps the plain condition, which the roles_type index
 * answers alone.
 */
static enum xrm_rc role_end(struct xrm_db *db, const struct xrm_user *viewer, const char *type,
                            struct xrm_sql *out, struct xrm_err *err)
{
    enum xrm_level level = XRM_LEVEL_NONE;
    if (xrm_access_reads_all(viewer)) {
        level = XRM_LEVEL_READ;
    } else {
        struct xrm_stmt *s =
            xrm_db_prepare(db, "SELECT domain FROM role_types WHERE tenant = 1 AND name = ?", err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_text(s, 1, type);
        int r = xrm_stmt_step(s, err);
        if (r == 1)
            level = xrm_access_level(viewer, xrm_stmt_text(s, 0));
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    if (level < XRM_LEVEL_READ)
        xrm_sql_add(out, " AND " XRM_ACCESS_NOT_RECRUITMENT("r"));
    xrm_sql_add(out, ")");
    return XRM_OK;
}

/*
 * The role type a role: or status: term means: the type of that name, else
 * the one whose Dutch or English label it is ("rol:klant" is customer,
 * "role:Medewerker" employee). Labels are compared folded to lower case as
 * the parser folds the value. A value naming no type stays as it is (and
 * matches nothing). buf has XRM_ROLE_TYPE_NAME_BUF bytes.
 */
#define XRM_ROLE_TYPE_NAME_BUF 64
static enum xrm_rc role_type_of(struct xrm_db *db, const char *value, char *buf,
                                struct xrm_err *err)
{
    snprintf(buf, XRM_ROLE_TYPE_NAME_BUF, "%s", value);
    struct xrm_stmt *s = xrm_db_prepare(
        db,
        "SELECT name FROM role_types WHERE tenant = 1 AND (name = ? OR lower(label_nl) = ? OR "
        "lower(label_en) = ?) ORDER BY CASE WHEN name = ? THEN 0 ELSE 1 END, id LIMIT 1",
        err);
    if (!s)
        return XRM_E_DB;
    for (int i = 1; i <= 4; i++)
        xrm_stmt_bind_text(s, i, value);
    int r = xrm_stmt_step(s, err);
    if (r == 1 && xrm_stmt_text(s, 0))
        snprintf(buf, XRM_ROLE_TYPE_NAME_BUF, "%s", xrm_stmt_text(s, 0));
    xrm_stmt_done(s);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

/* idle: nothing happened with the party since `since` that viewer may read. */
static void idle_sql(const struct xrm_user *viewer, const char *since, struct xrm_sql *out)
{
    char now[21];
    int writer = xrm_access_embargo_now(viewer, now); /* press releases under embargo */
    if (xrm_access_reads_all(viewer) && writer) {
        xrm_sql_add(out, "NOT EXISTS (SELECT 1 FROM activity_parties ap WHERE "
                         "ap.party_id = p.id AND ap.at >= ?)");
        xrm_sql_str(out, since);
        return;
    }
    xrm_sql_add(
        out, "NOT EXISTS (SELECT 1 FROM activity_parties ap JOIN activities a ON "
             "a.id = ap.activity_id WHERE ap.party_id = p.id AND ap.at >= ? AND " XRM_ACCESS_MATCH(
                 "a.domain") " AND " XRM_ACCESS_EMBARGO("a") ")");
    xrm_sql_str(out, since);
    xrm_sql_readable(out, viewer);
    xrm_sql_str(out, now);
    xrm_sql_int(out, writer);
}

/* The term table: handlers of the terms other modules translate (set at start-up). */
static xrm_query_term_fn handlers[XRM_QT_REVENUE + 1];

void xrm_query_term_set(enum xrm_qterm_kind kind, xrm_query_term_fn fn)
{
    if ((size_t)kind < sizeof(handlers) / sizeof(handlers[0]))
        handlers[kind] = fn;
}

static enum xrm_rc handled(struct xrm_db *db, const struct xrm_user *viewer,
                           const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                           struct xrm_err *err)
{
    if (!handlers[t->kind])
        return xrm_errf(err, XRM_E_INTERNAL, "no handler for query terms of kind %d", (int)t->kind);
    return handlers[t->kind](db, viewer, t, depth, out, err);
}

/* Appends the positive condition of filter term t for viewer. */
static enum xrm_rc term_sql(struct xrm_db *db, const struct xrm_user *viewer,
                            const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                            struct xrm_err *err)
{
    char since[XRM_TIME_LEN], type[XRM_ROLE_TYPE_NAME_BUF];

    switch (t->kind) {
    case XRM_QT_ROLE:
        if (role_type_of(db, t->value, type, err))
            return XRM_E_DB;
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ?");
        xrm_sql_str(out, type);
        return role_end(db, viewer, type, out, err);
    case XRM_QT_TAG:
        xrm_sql_add(out,
                    "EXISTS (SELECT 1 FROM party_tags t WHERE t.party_id = p.id AND t.tag = ?)");
        xrm_sql_str(out, t->value);
        return XRM_OK;
    case XRM_QT_CITY:
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM party_cities c WHERE c.party_id = p.id AND "
                         "c.city = ?)");
        xrm_sql_str(out, t->value);
        return XRM_OK;
    case XRM_QT_KIND:
        xrm_sql_add(out, "p.kind = ?");
        xrm_sql_str(out, t->value);
        return XRM_OK;
    case XRM_QT_ATTR:
        if (t->op != XRM_QOP_EQ)
            return compare_sql(db, t, out, err);
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM role_attrs a WHERE a.party_id = p.id AND "
                         "a.name = ? AND a.value = ?)");
        xrm_sql_str(out, t->key);
        xrm_sql_str(out, t->value);
        return XRM_OK;
    case XRM_QT_STATUS:
        if (role_type_of(db, t->key, type, err))
            return XRM_E_DB;
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM roles r WHERE r.party_id = p.id AND r.type = ? "
                         "AND r.status = ?");
        xrm_sql_str(out, type);
        xrm_sql_str(out, t->value);
        return role_end(db, viewer, type, out, err);
    case XRM_QT_IDLE:
        /* idle:90d = nothing happened with the party in the last 90 days. */
        iso_days_ago(t->days, since);
        idle_sql(viewer, since, out);
        return XRM_OK;
    case XRM_QT_HAS:
        has_sql(t, out);
        return XRM_OK;
    case XRM_QT_POSTCODE: {
        /* PR: neighbours by postcode, on the normalised address keys ("3511AB 12") */
        char from[5], to[6];
        memcpy(from, t->value, 4);
        from[4] = '\0';
        memcpy(to, t->value + 5, 4);
        to[4] = '~'; /* after every letter, digit and blank that follows the 4 digits */
        to[5] = '\0';
        xrm_sql_add(out, "EXISTS (SELECT 1 FROM party_keys k WHERE k.party_id = p.id AND "
                         "k.kind = 'address' AND k.value >= ? AND k.value < ?)");
        xrm_sql_str(out, from);
        xrm_sql_str(out, to);
        return XRM_OK;
    }
    case XRM_QT_MAY:
    case XRM_QT_HEALTH:
    case XRM_QT_PRIORITY:
    case XRM_QT_BADGE:
    case XRM_QT_DEAL:
    case XRM_QT_CASE:
    case XRM_QT_AGREEMENT:
    case XRM_QT_REVENUE:
        return handled(db, viewer, t, depth, out, err);
    case XRM_QT_WORD:
    case XRM_QT_PHRASE:
        break;
    }
    XRM_BUG("term of kind %d is not a filter", (int)t->kind);
}

static enum xrm_rc add_term(struct xrm_db *db, const struct xrm_user *viewer,
                            const struct xrm_qterm *t, int depth, struct xrm_sql *out,
                            struct xrm_err *err)
{
    xrm_sql_add(out, t->negated ? " AND NOT (" : " AND (");
    enum xrm_rc rc = term_sql(db, viewer, t, depth, out, err);
    xrm_sql_add(out, ")");
    return rc;
}

static bool is_text(const struct xrm_qterm *t)
{
    return t->kind == XRM_QT_WORD || t->kind == XRM_QT_PHRASE;
}

/*
 * Terms that look up one indexed value (partner.tier:gold, tag:vip,
 * city:Utrecht) and so
 * pass few parties. SQLite tests a list's conditions in the order written, on
 * each party it walks in name order, so these go first: the others (role:
 * customer holds most parties) are then only probed for the few that pass.
 * Order changes nothing else: all terms are joined with AND. On 1M parties,
 * role:customer role:partner partner.tier:gold took 1.1 ms of SQL, 0.57 ms
 * with the attribute first.
 */
static bool narrow(const struct xrm_qterm *t)
{
    return !t->negated && ((t->kind == XRM_QT_ATTR && t->op == XRM_QOP_EQ) ||
                           t->kind == XRM_QT_TAG || t->kind == XRM_QT_CITY);
}

enum xrm_rc xrm_query_sql_filters(struct xrm_db *db, const struct xrm_query *q, int depth,
                                  struct xrm_sql *out, struct xrm_err *err)
{
    if (depth > XRM_QUERY_MAX_DEPTH)
        return xrm_err_field(err, XRM_E_INVALID, "q", "segments and rules nest more than %d deep",
                             XRM_QUERY_MAX_DEPTH);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < q->n; i++) {
            const struct xrm_qterm *t = &q->terms[i];
            if (is_text(t) || narrow(t) != (pass == 0))
                continue;
            enum xrm_rc rc = add_term(db, q->viewer, t, depth, out, err);
            if (rc)
                return rc;
        }
    }
    return XRM_OK;
}

enum xrm_rc xrm_query_sql_where(struct xrm_db *db, const struct xrm_query *q, int depth,
                                struct xrm_sql *out, struct xrm_err *err)
{
    const char *words[XRM_QUERY_MAX_TERMS], *phrases[XRM_QUERY_MAX_TERMS];
    size_t nw = 0, np = 0;

    for (size_t i = 0; i < q->n && i < XRM_QUERY_MAX_TERMS; i++) {
        const struct xrm_qterm *t = &q->terms[i];
        if (!is_text(t))
            continue;
        if (t->negated) {
            /* Each excluded word is its own condition: a party matching any is dropped. */
            const char *w = t->value;
            char *e = xrm_db_search_expr(db, &w, 1, NULL, 0);
            xrm_sql_add(out, " AND ");
            xrm_sql_add(out, xrm_db_search_not(db));
            xrm_sql_str(out, e);
            free(e);
        } else if (t->kind == XRM_QT_WORD) {
            words[nw++] = t->value;
        } else {
            phrases[np++] = t->value;
        }
    }
    if (nw + np > 0) {
        char *e = xrm_db_search_expr(db, words, nw, phrases, np);
        xrm_sql_add(out, " AND NOT ");
        xrm_sql_add(out, xrm_db_search_not(db));
        xrm_sql_str(out, e);
        free(e);
    }
    return xrm_query_sql_filters(db, q, depth, out, err);
}

/*
 * The driver of a count: how many roles each role type has, to start a
 * count from the rarest role a query asks for. These numbers only choose
 * the plan (the count is exact whatever they say), so they are refreshed
 * now and then, not kept in step with every write: after DRIVER_TTL
 * seconds the next count reads them again (one index pass over the roles;
 * about 15 ms of CPU at 100k parties). Other counts meanwhile use the
 * numbers they find.
 */
#define DRIVER_TTL 300
#define DRIVER_TYPES 64
#define DRIVER_SHARE 4 /* a role type drives when it has at most a quarter of the roles */

static struct {
    pthread_mutex_t lock;
    time_t at; /* 0: never read */
    bool busy; /* a request is reading them */
    size_t n;
    char type[DRIVER_TYPES][XRM_ROLE_TYPE_NAME_BUF];
    int64_t roles[DRIVER_TYPES];
} freq = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void freq_refresh(struct xrm_db *db)
{
    time_t now = time(NULL);
    pthread_mutex_lock(&freq.lock);
    bool mine = !freq.busy && (freq.at == 0 || now - freq.at >= DRIVER_TTL);
    if (mine)
        freq.busy = true;
    pthread_mutex_unlock(&freq.lock);
    if (!mine)
        return;
    char type[DRIVER_TYPES][XRM_ROLE_TYPE_NAME_BUF];
    int64_t roles[DRIVER_TYPES];
    size_t n = 0;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_stmt *s =
        xrm_db_prepare(db, "SELECT type, COUNT(*) FROM roles WHERE tenant = 1 GROUP BY type", &err);
    int r = s ? 1 : -1;
    while (s && n < DRIVER_TYPES && (r = xrm_stmt_step(s, &err)) == 1) {
        snprintf(type[n], sizeof(type[n]), "%s", xrm_stmt_text(s, 0) ? xrm_stmt_text(s, 0) : "");
        roles[n++] = xrm_stmt_int(s, 1);
    }
    xrm_stmt_done(s);
    xrm_err_clear(&err);
    pthread_mutex_lock(&freq.lock);
    if (r >= 0) {
        memcpy(freq.type, type, sizeof(type));
        memcpy(freq.roles, roles, sizeof(roles));
        freq.n = n;
    }
    freq.at = now; /* a failed read is retried after the same pause */
    freq.busy = false;
    pthread_mutex_unlock(&freq.lock);
}

/*
 * The number of roles of type (0 for a type without roles), -1 when not
 * known; *all gets the number of roles of every type.
 */
static int64_t freq_of(const char *type, int64_t *all)
{
    int64_t n = -1;
    *all = 0;
    pthread_mutex_lock(&freq.lock);
    if (freq.at) {
        n = 0;
        for (size_t i = 0; i < freq.n; i++) {
            *all += freq.roles[i];
            if (strcmp(freq.type[i], type) == 0)
                n = freq.roles[i];
        }
    }
    pthread_mutex_unlock(&freq.lock);
    return n;
}

enum xrm_rc xrm_query_sql_driver(struct xrm_db *db, const struct xrm_query *q, bool *driven,
                                 struct xrm_sql *out, struct xrm_err *err)
{
    const struct xrm_qterm *best = NULL;
    char type[XRM_ROLE_TYPE_NAME_BUF], best_type[XRM_ROLE_TYPE_NAME_BUF] = "";
    int64_t best_n = -1;

    *driven = false;
    /*
     * A city passes a small share of the parties of any real data set, where an
     * attribute value (customer.segment:consumer) may hold most of a role: a city
     * term drives first (on 1M parties role:customer city:Roermond counted in
     * 1.4 s from the customers), then the first attribute or tag term.
     */
    for (size_t i = 0; i < q->n && !best; i++)
        if (narrow(&q->terms[i]) && q->terms[i].kind == XRM_QT_CITY)
            best = &q->terms[i];
    for (size_t i = 0; i < q->n && !best; i++)
        if (narrow(&q->terms[i]))
            best = &q->terms[i];
    if (!best) {
        freq_refresh(db);
        for (size_t i = 0; i < q->n; i++) {
            const struct xrm_qterm *t = &q->terms[i];
            if (t->negated || (t->kind != XRM_QT_ROLE && t->kind != XRM_QT_STATUS))
                continue;
            if (role_type_of(db, t->kind == XRM_QT_ROLE ? t->value : t->key, type, err))
                return XRM_E_DB;
            int64_t all, n = freq_of(type, &all);
            /*
             * Only a rare type drives: from a common one (customer: half of
             * the roles) every party it holds is read from the table, which
             * costs more than walking the parties' index to the cap (on 100k
             * parties role:customer took 28 ms instead of 12).
             */
            if (n >= 0 && n * DRIVER_SHARE <= all && (!best || n < best_n)) {
                best = t;
                best_n = n;
                memcpy(best_type, type, sizeof(type));
            }
        }
    }
    if (!best)
        return XRM_OK;
    *driven = true;
    if (!out)
        return XRM_OK;
    switch (best->kind) {
    case XRM_QT_ATTR:
        xrm_sql_add(out, "p.id IN (SELECT a.party_id FROM role_attrs a WHERE a.name = ? AND "
                         "a.value = ?) AND ");
        xrm_sql_str(out, best->key);
        xrm_sql_str(out, best->value);
        break;
    case XRM_QT_TAG:
        xrm_sql_add(out, "p.id IN (SELECT t.party_id FROM party_tags t WHERE t.tag = ?) AND ");
        xrm_sql_str(out, best->value);
        break;
    case XRM_QT_CITY:
        xrm_sql_add(out, "p.id IN (SELECT c.party_id FROM party_cities c WHERE c.city = ?) AND ");
        xrm_sql_str(out, best->value);
        break;
    default: /* role: and status: (the term itself adds what the viewer may not see) */
        xrm_sql_add(out, "p.id IN (SELECT r.party_id FROM roles r WHERE r.type = ?) AND ");
        xrm_sql_str(out, best_type);
        break;
    }
    return XRM_OK;
}

enum xrm_rc xrm_query_match_party(struct xrm_db *db, const struct xrm_query *q, int64_t party_id,
                                  int depth, bool *match, struct xrm_err *err)
{
    struct xrm_sql sql;
    enum xrm_rc rc;

    xrm_sql_init(&sql);
    xrm_sql_add(&sql, "SELECT 1 FROM parties p WHERE p.id = ? AND p.archived = 0");
    xrm_sql_int(&sql, party_id);
    rc = xrm_query_sql_where(db, q, depth, &sql, err);
    if (!rc) {
        struct xrm_stmt *s = xrm_sql_prepare(db, &sql, err);
        int r = s ? xrm_stmt_step(s, err) : -1;
        xrm_stmt_done(s);
        if (r < 0)
            rc = XRM_E_DB;
        else
            *match = r == 1;
    }
    xrm_sql_release(&sql);
    return rc;
}

bool xrm_query_uses_treatment(const struct xrm_query *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->terms[i].kind == XRM_QT_PRIORITY || q->terms[i].kind == XRM_QT_BADGE)
            return true;
    return false;
}

enum xrm_rc xrm_query_check_access(struct xrm_ctx *ctx, struct xrm_query *q, struct xrm_err *err)
{
    q->viewer = &ctx->user;
    if (xrm_access_all(&ctx->user))
        return XRM_OK;
    for (size_t i = 0; i < q->n; i++) {
        const struct xrm_qterm *t = &q->terms[i];
        const char *rd = xrm_query_term_domain(t); /* deal:, case:, revenue, ... */
        if (rd && xrm_access_level(&ctx->user, rd) < XRM_LEVEL_READ)
            return xrm_err_field(err, XRM_E_DENIED, "q", "no access to %s records at position %d",
                                 rd, t->pos);
        if (t->kind == XRM_QT_ATTR && t->key && xrm_access_attr_refused(ctx, t->key))
            return xrm_err_field(err, XRM_E_DENIED, "q", "no access to attribute '%.100s'", t->key);
    }
    return XRM_OK;
}
