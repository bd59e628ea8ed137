/*
 * Retention runs (see retention.h): one read pass decides which party and
 * domain pairs have run out, then one write transaction per pair removes
 * the data, checking inside it that no role of the domain was reopened in
 * the meantime.
 */
#include "domain/privacy/retention.h"
#include "domain/privacy/retention-db.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/privacy/consent.h"
#include "domain/privacy/gdpr-db.h"
#include "domain/privacy/gdpr.h" /* documents */
#include "domain/party/party.h"
#include "domain/party/photo.h" /* party photos */
#include "domain/party/role.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

/* Party ids whose roles one part of the run reads (xrm_retention_run). */
#define RETENTION_PARTIES 4096

#define DAYS_MAX 36500
#define REMOVED "[removed by retention]"

static const char *str_of(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static bool has_str(json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        if (json_is_string(v) && s && strcmp(json_string_value(v), s) == 0)
            return true;
    }
    return false;
}

enum xrm_rc xrm_retention_rules(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    json_t *items = NULL;
    enum xrm_rc rc = xrm_ret_db_rules(ctx->db, &items, err);
    if (!rc)
        *out = json_pack("{s:o, s:n}", "items", items, "next");
    return rc;
}

struct rule_arg {
    const struct xrm_user *user;
    int64_t id, if_version;
    json_t *patch;
    json_t *out;
};

static enum xrm_rc rule_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct rule_arg *a = arg;
    json_t *before = NULL;
    enum xrm_rc rc = xrm_ret_db_rule(db, a->id, &before, err);
    if (rc)
        return rc;
    int64_t v = json_integer_value(json_object_get(before, "version"));
    if (a->if_version && a->if_version != v) {
        json_decref(before);
        return xrm_errf(err, XRM_E_PRECONDITION, "version is %lld, not %lld", (long long)v,
                        (long long)a->if_version);
    }
    json_t *rule = json_deep_copy(before);
    int64_t n;
    bool b;
    if (xrm_json_get_int(a->patch, NULL, "days", 1, DAYS_MAX, false, &n, err))
        json_object_set_new(rule, "days", json_integer(n));
    if (json_is_null(json_object_get(a->patch, "consent_days")))
        json_object_set_new(rule, "consent_days", json_null());
    else if (xrm_json_get_int(a->patch, NULL, "consent_days", 1, DAYS_MAX, false, &n, err))
        json_object_set_new(rule, "consent_days", json_integer(n));
    if (xrm_json_get_bool(a->patch, NULL, "enabled", false, &b, err))
        json_object_set_new(rule, "enabled", json_boolean(b));
    rc = err->rc;
    if (!rc)
        rc = xrm_ret_db_rule_set(db, rule, err);
    if (!rc)
        rc = xrm_ret_db_rule(db, a->id, &a->out, err);
    if (!rc)
        rc = xrm_audit_add(db, a->user, "update", "retention_rule", a->id, before, a->out, err);
    json_decref(before);
    json_decref(rule);
    return rc;
}

enum xrm_rc xrm_retention_rule_update(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                      json_t *patch, json_t **out, struct xrm_err *err)
{
    static const char *const keys[] = {
        "days",      "consent_days", "enabled",         "id",          "name",    "domain",
        "role_type", "statuses",     "consent_purpose", "description", "version", NULL};
    if (!ctx->user.admin && ctx->user.id)
        return xrm_errf(err, XRM_E_DENIED, "this needs an administrator");
    xrm_json_only_keys(patch, NULL, keys, err);
    if (err->rc)
        return err->rc;
    struct rule_arg a = {&ctx->user, id, if_version, patch, NULL};
    enum xrm_rc rc = xrm_store_write(ctx->store, rule_tx, &a, err);
    if (rc) {
        json_decref(a.out);
        return rc;
    }
    *out = a.out;
    return XRM_OK;
}

/* The rule for a role: one naming its status first, else one for all statuses. */
static json_t *rule_for(json_t *rules, const char *domain, const char *type, const char *status)
{
    json_t *general = NULL, *r;
    size_t i;
    json_array_foreach(rules, i, r)
    {
        if (!json_is_true(json_object_get(r, "enabled")) ||
            strcmp(str_of(r, "domain"), domain) != 0 || strcmp(str_of(r, "role_type"), type) != 0)
            continue;
        json_t *st = json_object_get(r, "statuses");
        if (json_array_size(st) == 0 && !general)
            general = r;
        else if (has_str(st, status))
            return r;
    }
    return general;
}

/* One party's roles in one domain, [first, end) of the scan; adds an item when expired. */
static enum xrm_rc judge(struct xrm_db *db, json_t *rules, json_t *roles, size_t first, size_t end,
                         const char *today, json_t *items, struct xrm_err *err)
{
    char expiry[XRM_DATE_LEN] = "", ended[XRM_DATE_LEN] = "";
    json_t *names = json_array();
    enum xrm_rc rc = XRM_OK;
    bool keep = false;
    json_t *row0 = json_array_get(roles, first);
    int64_t party = json_integer_value(json_array_get(row0, 1));
    const char *domain = json_string_value(json_array_get(row0, 3));

    for (size_t i = first; i < end && !keep && !rc; i++) {
        json_t *row = json_array_get(roles, i);
        const char *type = json_string_value(json_array_get(row, 2));
        const char *status = json_string_value(json_array_get(row, 4));
        const char *until = json_string_value(json_array_get(row, 5));
        bool closed =
            has_str(json_array_get(row, 6), status) || (until && strcmp(until, today) < 0);
        json_t *rule = rule_for(rules, domain, type, status);
        if (!closed || !until || !rule) {
            keep = true; /* open, undated or not covered: the domain's data stays */
            break;
        }
        int64_t days = json_integer_value(json_object_get(rule, "days"));
        const char *purpose = str_of(rule, "consent_purpose");
        if (purpose && json_is_integer(json_object_get(rule, "consent_days"))) {
            bool granted = false;
            rc = xrm_consent_granted(db, party, purpose, &granted, err);
            if (granted)
                days = json_integer_value(json_object_get(rule, "consent_days"));
        }
        char exp[XRM_DATE_LEN];
        if (!xrm_date_add_days(until, days, exp)) {
            keep = true;
            break;
        }
        if (strcmp(exp, expiry) > 0)
            memcpy(expiry, exp, sizeof(expiry));
        if (strcmp(until, ended) > 0)
            xrm_strlcpy(ended, until, sizeof(ended));
        if (!has_str(names, str_of(rule, "name")))
            json_array_append_new(names, json_string(str_of(rule, "name")));
    }
    if (!rc && !keep && expiry[0] && strcmp(today, expiry) > 0)
        json_array_append_new(items, json_pack("{s:I, s:s, s:O, s:s, s:s, s:I}", "party",
                                               (json_int_t)party, "domain", domain, "rules", names,
                                               "ended", ended, "expired_on", expiry, "roles",
                                               (json_int_t)(end - first)));
    json_decref(names);
    return rc;
}

/* Audit rows of a removed record keep who and when; attributes and texts go. */
static enum xrm_rc strip_audit(struct xrm_db *db, const char *entity, int64_t id,
                               struct xrm_err *err)
{
    json_t *rows = NULL;
    enum xrm_rc rc = xrm_gdpr_db_record_audit(db, entity, id, &rows, err);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        char *side[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++) {
            const char *text = json_string_value(json_array_get(row, (size_t)k + 1));
            if (!text)
                continue;
            json_t *o = xrm_json_load_stored(text, false);
            if (json_object_get(o, "attributes"))
                json_object_set_new(o, "attributes", json_object());
            if (json_object_get(o, "subject"))
                json_object_set_new(o, "subject", json_string(REMOVED));
            if (json_object_get(o, "body"))
                json_object_set_new(o, "body", json_null());
            side[k] = xrm_json_dump(o);
            json_decref(o);
        }
        if (!rc)
            rc = xrm_gdpr_db_set_audit(db, json_integer_value(json_array_get(row, 0)), side[0],
                                       side[1], err);
        free(side[0]);
        free(side[1]);
    }
    json_decref(rows);
    return rc;
}

struct remove_arg {
    const struct xrm_user *user;
    json_t *item;
    const char *today;
    bool skipped;
};

/*
 * A photo is personal data kept for the roles the party holds: when
 * retention has removed the last of them, the photo goes too.
 */
static enum xrm_rc drop_photo(struct xrm_db *db, int64_t party, struct xrm_err *err)
{
    json_t *left = NULL;
    enum xrm_rc rc = xrm_role_array_for_party(db, party, &left, err);
    if (!rc && json_array_size(left) == 0)
        rc = xrm_party_photo_delete_tx(db, party, err);
    json_decref(left);
    return rc;
}

static enum xrm_rc remove_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct remove_arg *a = arg;
    int64_t party = json_integer_value(json_object_get(a->item, "party"));
    const char *domain = str_of(a->item, "domain");
    json_t *roles = NULL, *acts = NULL;
    int64_t open = 0;
    enum xrm_rc rc = xrm_ret_db_open_roles(db, party, domain, a->today, &open, err);
    if (rc || open) {
        a->skipped = open > 0;
        return rc;
    }
    rc = xrm_gdpr_db_delete_roles(db, party, domain, &roles, err);
    size_t i;
    json_t *v;
    json_array_foreach(roles, i, v)
    {
        if (!rc)
            rc = strip_audit(db, "role", json_integer_value(v), err);
    }
    if (!rc)
        rc = xrm_gdpr_db_party_activities(db, party, domain, &acts, err);
    json_array_foreach(acts, i, v)
    {
        int64_t id = json_integer_value(json_array_get(v, 0));
        bool only = json_integer_value(json_array_get(v, 3)) <= 1;
        if (!rc)
            rc = xrm_gdpr_db_drop_activity(db, id, party, only, err);
        if (!rc && only)
            rc = strip_audit(db, "activity", id, err);
    }
    if (!rc) /* party photos: the photo goes with the party's last role */
        rc = drop_photo(db, party, err);
    if (!rc) /* documents on records of the domain; contents go last (no rollback of a file) */
        rc = xrm_gdpr_documents_delete(db, party, domain, NULL, err);
    json_object_set_new(a->item, "roles", json_integer((json_int_t)json_array_size(roles)));
    json_object_set_new(a->item, "activities", json_integer((json_int_t)json_array_size(acts)));
    if (!rc)
        rc = xrm_audit_add(db, a->user, "retention", "party", party, NULL, a->item, err);
    if (!rc)
        rc = xrm_party_touch(db, party, err);
    json_decref(roles);
    json_decref(acts);
    return rc;
}

/* Activities of the party in the domain (for dry runs). */
static enum xrm_rc count_acts(struct xrm_db *db, json_t *item, struct xrm_err *err)
{
    json_t *acts = NULL;
    enum xrm_rc rc = xrm_gdpr_db_party_activities(
        db, json_integer_value(json_object_get(item, "party")), str_of(item, "domain"), &acts, err);
    if (!rc)
        json_object_set_new(item, "activities", json_integer((json_int_t)json_array_size(acts)));
    json_decref(acts);
    return rc;
}

enum xrm_rc xrm_retention_run(struct xrm_store *st, const struct xrm_user *user, bool dry_run,
                              json_t **report, struct xrm_err *err)
{
    struct xrm_db *db = NULL;
    json_t *rules = NULL, *items = json_array();
    char today[XRM_DATE_LEN];
    enum xrm_rc rc = xrm_access_admin(user, "running retention", err);
    if (!rc)
        rc = xrm_store_reader(st, &db, err);
    if (!rc)
        rc = xrm_ret_db_rules(db, &rules, err);
    int64_t last = 0;
    if (!rc)
        rc = xrm_ret_db_last_party(db, &last, err);
    xrm_clock_today(today);
    /*
     * The roles are read RETENTION_PARTIES party ids at a time, so the run holds
     * the roles of a few thousand parties at once, not of all of them (1.5 million
     * rows at 1M parties took 600 MB). A party's roles are always in one part.
     */
    for (int64_t after = 0; !rc && after < last; after += RETENTION_PARTIES) {
        json_t *roles = NULL;
        rc = xrm_ret_db_roles(db, after, after + RETENTION_PARTIES, &roles, err);
        size_t n = json_array_size(roles), first = 0;
        for (size_t i = 1; !rc && i <= n; i++) {
            json_t *a = json_array_get(roles, first), *b = i < n ? json_array_get(roles, i) : NULL;
            if (b && json_equal(json_array_get(a, 1), json_array_get(b, 1)) &&
                json_equal(json_array_get(a, 3), json_array_get(b, 3)))
                continue;
            rc = judge(db, rules, roles, first, i, today, items, err);
            first = i;
        }
        json_decref(roles);
    }
    size_t i;
    json_t *item;
    json_t *done = json_array();
    json_array_foreach(items, i, item)
    {
        if (rc)
            break;
        if (dry_run) {
            rc = count_acts(db, item, err);
            json_array_append(done, item);
            continue;
        }
        struct remove_arg a = {.user = user, .item = item, .today = today};
        rc = xrm_store_write(st, remove_tx, &a, err);
        if (!rc && !a.skipped)
            json_array_append(done, item);
    }
    if (!rc && !dry_run && json_array_size(done)) {
        struct xrm_err ferr = XRM_ERR_INIT;
        if (xrm_db_flush(db, &ferr))
            xrm_log(XRM_LOG_WARN, "retention: %s", ferr.message);
    }
    json_decref(rules);
    json_decref(items);
    if (rc) {
        json_decref(done);
        return rc;
    }
    *report = json_pack("{s:b, s:s, s:o}", "dry_run", dry_run, "today", today, "items", done);
    return XRM_OK;
}
