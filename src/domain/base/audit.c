/*
 * Audit rows, written in the same transaction as the change. Each row keeps
 * the domain of its record and is linked to the parties it is about
 * (audit_parties), so one party's trail and the access filter of the audit
 * API (domain/audit-list.c) need no JSON parsing in SQL.
 */
#include "domain/base/audit.h"
#include "core/json.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

const char *const xrm_domains[] = {"sales", "hr", "partners", "purchasing", "pr", NULL};

bool xrm_domain_valid(const char *name)
{
    for (const char *const *d = xrm_domains; *d; d++)
        if (strcmp(*d, name) == 0)
            return true;
    return false;
}

/*
 * The parties an entry is about, so the trail of one party is an index
 * lookup (audit_parties): the party itself, or the "party", "parties" or
 * (relationships) "from"/"to" of the record before or after.
 */
static void add_party(int64_t *ids, int *n, json_t *v)
{
    if (!json_is_integer(v) || *n >= 64)
        return;
    for (int i = 0; i < *n; i++)
        if (ids[i] == json_integer_value(v))
            return;
    ids[(*n)++] = json_integer_value(v);
}

static int audit_party_ids(const char *entity, int64_t entity_id, json_t *before, json_t *after,
                           int64_t *ids)
{
    int n = 0;
    json_t *sides[2] = {before, after};
    if (strcmp(entity, "party") == 0) {
        json_t *id = json_integer(entity_id);
        add_party(ids, &n, id);
        json_decref(id);
    }
    for (int k = 0; k < 2; k++) {
        json_t *o = sides[k], *v;
        size_t i;
        if (!json_is_object(o))
            continue;
        add_party(ids, &n, json_object_get(o, "party"));
        json_array_foreach(json_object_get(o, "parties"), i, v) add_party(ids, &n, v);
        if (strcmp(entity, "relationship") == 0) {
            add_party(ids, &n, json_object_get(o, "from"));
            add_party(ids, &n, json_object_get(o, "to"));
        }
    }
    return n;
}

static enum xrm_rc link_parties(struct xrm_db *db, int64_t audit_id, const int64_t *ids, int n,
                                struct xrm_err *err)
{
    for (int i = 0; i < n; i++) {
        struct xrm_stmt *s = xrm_db_prepare(db,
                                            "INSERT INTO audit_parties (party_id, audit_id) "
                                            "VALUES (?, ?) ON CONFLICT DO NOTHING",
                                            err);
        if (!s)
            return XRM_E_DB;
        xrm_stmt_bind_int(s, 1, ids[i]);
        xrm_stmt_bind_int(s, 2, audit_id);
        int r = xrm_stmt_step(s, err);
        xrm_stmt_done(s);
        if (r < 0)
            return XRM_E_DB;
    }
    return XRM_OK;
}

/*
 * Batch mode of the calling thread: a bulk import records one audit entry
 * for the whole batch instead of one per record. Write functions run on the
 * committing thread one after another, so a thread-local flag set and
 * cleared inside one write function never leaks into another's.
 */
static __thread int batch_depth;

void xrm_audit_batch(bool on)
{
    batch_depth += on ? 1 : -1;
}

bool xrm_audit_batching(void)
{
    return batch_depth > 0;
}

/* set once at start-up (domain/hooks.c), before any thread runs */
static xrm_audit_observer_fn *observer;

void xrm_audit_observer_set(xrm_audit_observer_fn *fn)
{
    observer = fn;
}

enum xrm_rc xrm_audit_add(struct xrm_db *db, const struct xrm_user *user, const char *action,
                          const char *entity, int64_t entity_id, json_t *before, json_t *after,
                          struct xrm_err *err)
{
    char now[XRM_TIME_LEN];
    if (batch_depth > 0)
        return observer ? observer(db, user, action, entity, entity_id, before, after, err)
                        : XRM_OK;
    char *b = before ? xrm_json_dump(before) : NULL;
    char *a = after ? xrm_json_dump(after) : NULL;
    struct xrm_stmt *s = xrm_db_prepare(db,
                                        "INSERT INTO audit (at, user_id, action, entity, "
                                        "entity_id, before, after, domain) VALUES (?, ?, ?, ?, "
                                        "?, ?, ?, ?) RETURNING id",
                                        err);
    const char *domain = json_string_value(json_object_get(after, "domain"));
    if (!domain)
        domain = json_string_value(json_object_get(before, "domain"));
    int64_t ids[64];
    int nids = audit_party_ids(entity, entity_id, before, after, ids);
    int64_t audit_id = 0;
    enum xrm_rc rc = XRM_E_DB;
    if (s) {
        xrm_now(now);
        xrm_stmt_bind_text(s, 1, now);
        if (user && user->id)
            xrm_stmt_bind_int(s, 2, user->id);
        else
            xrm_stmt_bind_null(s, 2);
        xrm_stmt_bind_text(s, 3, action);
        xrm_stmt_bind_text(s, 4, entity);
        xrm_stmt_bind_int(s, 5, entity_id);
        xrm_stmt_bind_text(s, 6, b);
        xrm_stmt_bind_text(s, 7, a);
        xrm_stmt_bind_text(s, 8, domain);
        int r = xrm_stmt_step(s, err);
        if (r == 1)
            audit_id = xrm_stmt_int(s, 0);
        rc = r == 1 ? XRM_OK : XRM_E_DB;
        xrm_stmt_done(s);
    }
    if (!rc)
        rc = link_parties(db, audit_id, ids, nids, err);
    if (!rc && observer)
        rc = observer(db, user, action, entity, entity_id, before, after, err);
    free(b);
    free(a);
    return rc;
}
