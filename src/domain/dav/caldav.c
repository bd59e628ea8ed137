/*
 * CalDAV: the user's tasks and meetings as two calendars (struct
 * xrm_dav_kind "calendars", served by http/dav.c).
 *
 * - "tasks" (VTODO): activities of type task assigned to the user, open
 *   ones and those changed in the last 30 days (done ones drop out a month
 *   after they were completed).
 * - "meetings" (VEVENT): activities of type meeting assigned to or made by
 *   the user, due 90 days ago or later.
 * Of both, only what the user may read (xrm_activity_get: the domain's
 * read access, press embargoes).
 *
 * An object is named "xrm-activity-<id>.ics" with UID
 * "xrm-activity-<id>@xrm", unless a client made it: then dav_events keeps
 * the client's name and UID, so the client never sees it change. It is
 * written by io/ical.c as the calendar feed writes it (the subject and the
 * parties' names as SUMMARY, the body as DESCRIPTION, URL back to the web
 * app); DTSTAMP is the activity's last change, so the same activity always
 * reads the same and its ETag is a hash of the object itself.
 *
 * Writes go through the activity domain code the JSON API uses (access
 * checks, validation, audit):
 * - A PUT of an existing object updates the activity: SUMMARY (less the
 *   parties' names this server added) the subject, DESCRIPTION the body,
 *   DUE (else DTSTART) of a VTODO or DTSTART of a VEVENT the due date or
 *   time, and of a VTODO STATUS:COMPLETED or CANCELLED, or a COMPLETED
 *   time without a STATUS, completes the task; any other STATUS reopens
 *   it. DTEND, PRIORITY, alarms and the rest are not kept (xrm's meetings
 *   last an hour; tasks have no priority). Without write access to the
 *   activity's domain: XRM_E_DENIED.
 * - A PUT of a new name makes a task (tasks) or meeting (meetings)
 *   assigned to the user, with no parties, in the domain named by an
 *   X-XRM-DOMAIN property, else by a CATEGORIES value that is a domain the
 *   user may write, else the first domain the user may write (in the order
 *   of xrm_domains: sales, hr, partners, purchasing, pr).
 * - A DELETE deletes the activity (as DELETE /api/v1/activities/{id}).
 * An If-Match must name the current ETag (XRM_E_PRECONDITION), checked
 * again against the activity's version inside the write.
 */
#include "domain/dav/dav.h"
#include "domain/dav/caldav-db.h"
#include "domain/base/access.h"
#include "domain/mail/outbox.h"
#include "domain/party/activity.h"
#include "domain/records/task.h"
#include "io/ical-in.h"
#include "io/ical.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define MEMBERS_MAX 5000
#define TASK_DONE_DAYS 30
#define MEETING_PAST_DAYS 90
#define UID_MAX 255
#define DEFAULT_PREFIX "xrm-activity-"
#define MEDIA_TYPE "text/calendar; charset=utf-8"

static enum xrm_rc calendar_of(const char *collection, bool *meetings, struct xrm_err *err)
{
    if (collection && strcmp(collection, "tasks") == 0)
        *meetings = false;
    else if (collection && strcmp(collection, "meetings") == 0)
        *meetings = true;
    else
        return xrm_errf(err, XRM_E_NOTFOUND, "no calendar '%.100s'", collection ? collection : "");
    return XRM_OK;
}

static enum xrm_rc caldav_collections(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err)
{
    (void)ctx;
    (void)err;
    *out = json_pack("[{s:s, s:s, s:s, s:s, s:[s]}, {s:s, s:s, s:s, s:s, s:[s]}]", "name", "tasks",
                     "displayname", xrm_msg("Tasks"), "description", xrm_msg("Your tasks in xrm"),
                     "color", "#2e7d32", "components", "VTODO", "name", "meetings", "displayname",
                     xrm_msg("Meetings"), "description", xrm_msg("Your meetings in xrm"), "color",
                     "#1565c0", "components", "VEVENT");
    return XRM_OK;
}

/* Whether activity a (as the user may see it) is a member of the calendar. */
static bool belongs(const struct xrm_ctx *ctx, json_t *a, bool meetings)
{
    const char *type = json_string_value(json_object_get(a, "type"));
    json_t *assignee = json_object_get(a, "assignee");
    bool mine = json_is_integer(assignee) && json_integer_value(assignee) == ctx->user.id;
    if (!type || strcmp(type, meetings ? "meeting" : "task") != 0)
        return false;
    if (!meetings)
        return mine;
    return (mine || json_integer_value(json_object_get(a, "created_by")) == ctx->user.id) &&
           json_is_string(json_object_get(a, "due"));
}

/* Activity id as the user may see it, with the calendar's decoration; XRM_E_NOTFOUND else. */
static enum xrm_rc load(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *a = NULL;
    enum xrm_rc rc = xrm_activity_get(ctx, id, &a, err);
    if (rc)
        return rc;
    json_t *one = json_pack("[o]", a);
    rc = xrm_calendar_decorate(ctx, one, err);
    if (!rc)
        *out = json_incref(a);
    json_decref(one);
    return rc;
}

/* The object of a (NULL when none can be written) and its ETag. */
static char *render(json_t *a, bool meetings, const char *uid, size_t *len,
                    char etag[XRM_DAV_ETAG_LEN])
{
    struct xrm_ical_item it = {
        .uid = uid && uid[0] ? uid : NULL, .base_url = xrm_mail_public_url(), .todo = !meetings};
    char *obj = xrm_ical_object(a, &it, len);
    if (obj) {
        unsigned char h[16];
        crypto_generichash(h, sizeof(h), (const unsigned char *)obj, *len, NULL, 0);
        etag[0] = 'c';
        xrm_hex(h, sizeof(h), etag + 1);
    }
    return obj;
}

/* True when name is "xrm-activity-<digits>.ics"; *id gets the digits. */
static bool default_name(const char *name, int64_t *id)
{
    size_t n = strlen(name), p = strlen(DEFAULT_PREFIX);
    int64_t v = 0;
    if (n <= p + 4 || strncmp(name, DEFAULT_PREFIX, p) != 0 || strcmp(name + n - 4, ".ics") != 0)
        return false;
    for (size_t i = p; i < n - 4; i++) {
        if (name[i] < '0' || name[i] > '9' || v > INT64_MAX / 10 - 10)
            return false;
        v = v * 10 + (name[i] - '0');
    }
    *id = v;
    return v > 0;
}

/*
 * The member of the calendar named name: *a (decorated) and the client's
 * UID (uid "" for the server's). XRM_E_NOTFOUND when there is none the
 * user may see.
 */
static enum xrm_rc resolve(struct xrm_ctx *ctx, bool meetings, const char *name, json_t **a,
                           char uid[UID_MAX + 1], struct xrm_err *err)
{
    int64_t id = 0;
    char other[XRM_DAV_NAME_LEN];
    *a = NULL;
    enum xrm_rc rc = XRM_OK;
    if (!name || !*name || strlen(name) >= XRM_DAV_NAME_LEN)
        goto none;
    rc = xrm_caldav_db_by_name(ctx->db, name, &id, uid, UID_MAX + 1, err);
    if (rc)
        return rc;
    if (!id) {
        if (!default_name(name, &id))
            goto none;
        /* an activity a client named is found by that name only */
        rc = xrm_caldav_db_of(ctx->db, id, other, sizeof(other), uid, UID_MAX + 1, err);
        if (rc)
            return rc;
        if (other[0])
            goto none;
    }
    struct xrm_err e = XRM_ERR_INIT;
    rc = load(ctx, id, a, &e);
    if (rc == XRM_E_NOTFOUND)
        goto none;
    if (rc) {
        *err = e;
        return rc;
    }
    if (belongs(ctx, *a, meetings))
        return XRM_OK;
    json_decref(*a);
    *a = NULL;
none:
    return xrm_errf(err, XRM_E_NOTFOUND, "no calendar object '%.100s'", name ? name : "");
}

struct member {
    char name[XRM_DAV_NAME_LEN];
    char etag[XRM_DAV_ETAG_LEN];
};

static int member_cmp(const void *x, const void *y)
{
    return strcmp(((const struct member *)x)->name, ((const struct member *)y)->name);
}

/* The lower bound of the calendar's window: a time (tasks) or a date (meetings). */
static void since_of(bool meetings, char out[XRM_TIME_LEN])
{
    if (meetings) {
        char today[XRM_DATE_LEN];
        xrm_clock_today(today);
        xrm_date_add_days(today, -MEETING_PAST_DAYS, out);
    } else {
        xrm_time_format(xrm_clock_now_t() - (int64_t)TASK_DONE_DAYS * 86400, out);
    }
}

static enum xrm_rc caldav_members(struct xrm_ctx *ctx, const char *collection, json_t **out,
                                  struct xrm_err *err)
{
    bool meetings = false;
    char since[XRM_TIME_LEN];
    json_t *rows = NULL, *acts = json_array();
    struct member *m = NULL;
    size_t n = 0, i;
    json_t *row;
    enum xrm_rc rc = calendar_of(collection, &meetings, err);
    if (rc)
        goto out;
    since_of(meetings, since);
    rc = xrm_caldav_db_members(ctx->db, ctx->user.id, meetings, since, MEMBERS_MAX, &rows, err);
    if (rc)
        goto out;
    json_array_foreach(rows, i, row)
    {
        json_t *a = NULL;
        struct xrm_err e = XRM_ERR_INIT;
        rc = xrm_activity_get(ctx, json_integer_value(json_array_get(row, 0)), &a, &e);
        if (rc == XRM_E_NOTFOUND) {
            rc = XRM_OK;
            continue;
        }
        if (rc) {
            *err = e;
            goto out;
        }
        json_object_set(a, "dav", row);
        json_array_append_new(acts, a);
    }
    rc = xrm_calendar_decorate(ctx, acts, err);
    if (rc)
        goto out;
    m = xrm_calloc(json_array_size(acts) + 1, sizeof(*m));
    json_t *a;
    json_array_foreach(acts, i, a)
    {
        json_t *dav = json_object_get(a, "dav");
        const char *name = json_string_value(json_array_get(dav, 1));
        size_t len = 0;
        char *obj = render(a, meetings, json_string_value(json_array_get(dav, 2)), &len, m[n].etag);
        if (!obj)
            continue;
        free(obj);
        if (name)
            xrm_strlcpy(m[n].name, name, sizeof(m[n].name));
        else
            snprintf(m[n].name, sizeof(m[n].name), DEFAULT_PREFIX "%lld.ics",
                     (long long)json_integer_value(json_object_get(a, "id")));
        n++;
    }
    qsort(m, n, sizeof(*m), member_cmp);
    *out = json_array();
    for (i = 0; i < n; i++)
        json_array_append_new(*out,
                              json_pack("{s:s, s:s, s:s}", "name", m[i].name, "etag", m[i].etag,
                                        "component", meetings ? "VEVENT" : "VTODO"));
out:
    free(m);
    json_decref(rows);
    json_decref(acts);
    return rc;
}

static enum xrm_rc caldav_get(struct xrm_ctx *ctx, const char *collection, const char *name,
                              const char *accept, struct xrm_buf *out, const char **media_type,
                              char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err)
{
    (void)accept;
    bool meetings = false;
    char uid[UID_MAX + 1];
    json_t *a = NULL;
    size_t len = 0;
    enum xrm_rc rc = calendar_of(collection, &meetings, err);
    if (!rc)
        rc = resolve(ctx, meetings, name, &a, uid, err);
    if (rc)
        return rc;
    char *obj = render(a, meetings, uid, &len, etag);
    json_decref(a);
    if (!obj)
        return xrm_errf(err, XRM_E_NOTFOUND, "no calendar object '%.100s'", name);
    xrm_buf_add(out, obj, len);
    free(obj);
    *media_type = MEDIA_TYPE;
    return XRM_OK;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/*
 * The subject a client's SUMMARY stands for: the parties' names this
 * server put after the subject of stored activity a (NULL for a new one)
 * are taken off again.
 */
static json_t *subject_of(const char *summary, json_t *a)
{
    struct xrm_buf names = XRM_BUF_INIT;
    json_t *out = NULL;
    if (a && json_array_size(json_object_get(a, "party_names")) > 0) {
        json_t *bare = json_pack("{s:O}", "party_names", json_object_get(a, "party_names"));
        xrm_ical_summary(&names, bare); /* SEP + "name, name" */
        json_decref(bare);
    }
    size_t n = strlen(summary);
    if (names.len && n >= names.len && strcmp(summary + n - names.len, names.s) == 0)
        out = json_stringn(summary, n - names.len);
    else
        out = json_string(summary);
    xrm_buf_release(&names);
    return out;
}

/* The activity fields the object sets (a patch for stored a, else the fields of a new one). */
static enum xrm_rc fields_of(json_t *obj, bool meetings, json_t *a, json_t **out,
                             struct xrm_err *err)
{
    const char *summary = str(obj, "summary");
    if (!summary || !*summary)
        return xrm_errf(err, XRM_E_INVALID, "a task or meeting needs a SUMMARY");
    json_t *f = json_object();
    json_object_set_new(f, "subject", subject_of(summary, a));
    json_object_set(f, "body",
                    str(obj, "description") ? json_object_get(obj, "description") : json_null());
    if (meetings) {
        if (!str(obj, "dtstart")) {
            json_decref(f);
            return xrm_errf(err, XRM_E_INVALID, "a meeting needs a DTSTART");
        }
        json_object_set(f, "due", json_object_get(obj, "dtstart"));
    } else {
        json_t *due = json_object_get(obj, str(obj, "due") ? "due" : "dtstart");
        json_object_set(f, "due", due ? due : json_null());
        const char *status = str(obj, "status");
        bool done = status ? strcmp(status, "COMPLETED") == 0 || strcmp(status, "CANCELLED") == 0
                           : str(obj, "completed") != NULL;
        json_object_set_new(f, "done", json_boolean(done));
    }
    *out = f;
    return XRM_OK;
}

/* The domain a new object goes to (see the top of this file). */
static enum xrm_rc domain_for(const struct xrm_user *u, json_t *obj, const char **out,
                              struct xrm_err *err)
{
    const char *named = str(obj, "domain");
    size_t i;
    json_t *c;
    if (named) {
        if (xrm_domain_index(named) < 0)
            return xrm_errf(err, XRM_E_INVALID, "X-XRM-DOMAIN: no domain '%.40s'", named);
        enum xrm_rc rc = xrm_access_write(u, named, err);
        if (!rc)
            *out = xrm_domains[xrm_domain_index(named)];
        return rc;
    }
    json_array_foreach(json_object_get(obj, "categories"), i, c)
    {
        int k = xrm_domain_index(json_string_value(c));
        if (k >= 0 && xrm_access_level(u, xrm_domains[k]) >= XRM_LEVEL_WRITE) {
            *out = xrm_domains[k];
            return XRM_OK;
        }
    }
    for (int k = 0; k < XRM_NDOMAINS; k++) {
        if (xrm_access_level(u, xrm_domains[k]) >= XRM_LEVEL_WRITE) {
            *out = xrm_domains[k];
            return XRM_OK;
        }
    }
    return xrm_errf(err, XRM_E_DENIED, "you may not write in any domain");
}

struct create_arg {
    const struct xrm_user *user;
    json_t *in;
    const char *name, *uid;
};

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct create_arg *c = arg;
    json_t *after = NULL;
    enum xrm_rc rc = xrm_activity_insert_tx(db, c->user, c->in, NULL, &after, err);
    if (!rc)
        rc = xrm_caldav_db_link(db, json_integer_value(json_object_get(after, "id")), c->name,
                                c->uid, err);
    json_decref(after);
    return rc;
}

static enum xrm_rc create(struct xrm_ctx *ctx, bool meetings, const char *name, json_t *obj,
                          struct xrm_err *err)
{
    const char *uid = str(obj, "uid"), *domain = NULL;
    int64_t id = 0;
    bool used = false;
    json_t *in = NULL;
    if (default_name(name, &id))
        return xrm_errf(err, XRM_E_CONFLICT,
                        "'%.100s' is a name xrm gives its own calendar objects; use another", name);
    if (strlen(uid) > UID_MAX)
        return xrm_errf(err, XRM_E_INVALID, "UID is longer than %d bytes", UID_MAX);
    if (strncmp(uid, DEFAULT_PREFIX, strlen(DEFAULT_PREFIX)) == 0)
        return xrm_errf(err, XRM_E_CONFLICT, "UID '%.100s' belongs to another calendar object",
                        uid);
    char other[UID_MAX + 1];
    enum xrm_rc rc = xrm_caldav_db_by_name(ctx->db, name, &id, other, sizeof(other), err);
    if (!rc && id) /* a client's name in another calendar, or another user's */
        return xrm_errf(err, XRM_E_CONFLICT, "the name '%.100s' is taken; use another", name);
    if (!rc)
        rc = xrm_caldav_db_uid_used(ctx->db, uid, &used, err);
    if (!rc && used)
        rc = xrm_errf(err, XRM_E_CONFLICT, "UID '%.100s' belongs to another calendar object", uid);
    if (!rc)
        rc = domain_for(&ctx->user, obj, &domain, err);
    if (!rc)
        rc = fields_of(obj, meetings, NULL, &in, err);
    if (rc)
        return rc;
    json_object_set_new(in, "type", json_string(meetings ? "meeting" : "task"));
    json_object_set_new(in, "domain", json_string(domain));
    json_object_set_new(in, "parties", json_array());
    json_object_set_new(in, "assignee", json_integer(ctx->user.id));
    struct create_arg c = {.user = &ctx->user, .in = in, .name = name, .uid = uid};
    rc = xrm_store_write(ctx->store, create_tx, &c, err);
    json_decref(in);
    return rc;
}

static enum xrm_rc caldav_put(struct xrm_ctx *ctx, const char *collection, const char *name,
                              const char *body, size_t len, const struct xrm_dav_put *p,
                              bool *created, char etag[XRM_DAV_ETAG_LEN], struct xrm_err *err)
{
    bool meetings = false;
    char uid[UID_MAX + 1], now[XRM_DAV_ETAG_LEN];
    json_t *obj = NULL, *a = NULL, *patch = NULL, *after = NULL;
    size_t n = 0;
    etag[0] = '\0'; /* what is stored differs from what was sent: no ETag (RFC 4791 5.3.4) */
    *created = false;
    enum xrm_rc rc = calendar_of(collection, &meetings, err);
    if (rc)
        return rc;
    if (!name || !*name || strlen(name) >= XRM_DAV_NAME_LEN || strchr(name, '/'))
        return xrm_errf(err, XRM_E_INVALID, "not a calendar object name");
    rc = xrm_ical_read(body, len, &obj, err);
    if (rc)
        return rc;
    if (strcmp(str(obj, "component"), meetings ? "VEVENT" : "VTODO") != 0) {
        rc = xrm_errf(err, XRM_E_INVALID, "the %s calendar holds %s objects only",
                      meetings ? "meetings" : "tasks", meetings ? "VEVENT" : "VTODO");
        goto out;
    }
    struct xrm_err e = XRM_ERR_INIT;
    rc = resolve(ctx, meetings, name, &a, uid, &e);
    if (rc == XRM_E_NOTFOUND) {
        if (p && p->if_match) {
            rc = xrm_errf(err, XRM_E_PRECONDITION, "calendar object '%.100s' does not exist", name);
            goto out;
        }
        rc = create(ctx, meetings, name, obj, err);
        *created = !rc;
        goto out;
    }
    if (rc) {
        *err = e;
        goto out;
    }
    char *cur = render(a, meetings, uid, &n, now);
    bool same = cur && p && p->if_match && strcmp(p->if_match, now) == 0;
    free(cur);
    if (p && (p->if_none_match || (p->if_match && !same))) {
        rc = xrm_errf(err, XRM_E_PRECONDITION, "calendar object '%.100s' has changed", name);
        goto out;
    }
    rc = fields_of(obj, meetings, a, &patch, err);
    if (!rc)
        rc = xrm_activity_update(
            ctx, json_integer_value(json_object_get(a, "id")),
            p && p->if_match ? json_integer_value(json_object_get(a, "version")) : 0, patch, &after,
            err);
out:
    json_decref(obj);
    json_decref(a);
    json_decref(patch);
    json_decref(after);
    return rc;
}

static enum xrm_rc caldav_del(struct xrm_ctx *ctx, const char *collection, const char *name,
                              const char *if_match, struct xrm_err *err)
{
    bool meetings = false;
    char uid[UID_MAX + 1], now[XRM_DAV_ETAG_LEN];
    json_t *a = NULL;
    size_t n = 0;
    enum xrm_rc rc = calendar_of(collection, &meetings, err);
    if (!rc)
        rc = resolve(ctx, meetings, name, &a, uid, err);
    if (rc)
        return rc;
    if (if_match) {
        char *cur = render(a, meetings, uid, &n, now);
        bool same = cur && strcmp(if_match, now) == 0;
        free(cur);
        if (!same) {
            json_decref(a);
            return xrm_errf(err, XRM_E_PRECONDITION, "calendar object '%.100s' has changed", name);
        }
    }
    rc = xrm_activity_delete(ctx, json_integer_value(json_object_get(a, "id")),
                             if_match ? json_integer_value(json_object_get(a, "version")) : 0, err);
    json_decref(a);
    return rc;
}

const struct xrm_dav_kind xrm_caldav_kind = {
    .home = "calendars",
    .collections = caldav_collections,
    .members = caldav_members,
    .get = caldav_get,
    .put = caldav_put,
    .del = caldav_del,
};
