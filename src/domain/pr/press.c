/*
 * Press releases and letters: sending one to its segment once its embargo
 * has passed, the recipients (before: who would get it; after: who got it
 * and who was skipped) and their mail-merge CSV. SQL in press-db.c.
 */
#include "domain/pr/press.h"
#include "domain/pr/press-db.h"
#include "domain/base/access.h"
#include "domain/base/query-db.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "domain/rules/segment.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/util.h"
#include "io/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* What a send needs: the release, the segment's members and those who may be e-mailed. */
struct plan {
    json_t *act;     /* the release (as the user sees it) */
    json_t *members; /* [{party, name}] */
    json_t *ok;      /* {"<id>": true} for members whose may_email is true */
};

static void plan_release(struct plan *p)
{
    json_decref(p->act);
    json_decref(p->members);
    json_decref(p->ok);
    memset(p, 0, sizeof(*p));
}

static bool is_press(json_t *act)
{
    const char *type = json_string_value(json_object_get(act, "type"));
    return type && (strcmp(type, "press_release") == 0 || strcmp(type, "letter") == 0);
}

/* Members of the segment's query text (+ extra) as the user may search them. */
static enum xrm_rc members(struct xrm_ctx *ctx, const char *query, const char *extra, json_t **out,
                           struct xrm_err *err)
{
    struct xrm_query q = {0};
    char text[XRM_QUERY_MAX_LEN + 16];
    snprintf(text, sizeof(text), "%s %s", query, extra);
    enum xrm_rc rc = xrm_query_parse(text, &q, err);
    if (!rc)
        rc = xrm_query_check_access(ctx, &q, err);
    if (!rc)
        rc = xrm_press_db_members(ctx->db, &q, XRM_PRESS_RECIPIENTS_MAX + 1, out, err);
    xrm_query_release(&q);
    return rc;
}

/* Loads the release and, when it has a segment, its members and who may be e-mailed. */
static enum xrm_rc plan_load(struct xrm_ctx *ctx, int64_t id, struct plan *p, struct xrm_err *err)
{
    json_t *seg = NULL, *ok = NULL;
    char *name = NULL, *query = NULL;
    enum xrm_rc rc = xrm_activity_get(ctx, id, &p->act, err);
    if (rc)
        goto out;
    if (!is_press(p->act)) {
        rc = xrm_errf(err, XRM_E_NOTFOUND, "activity %lld is not a press release or a letter",
                      (long long)id);
        goto out;
    }
    int64_t segment = json_integer_value(json_object_get(p->act, "segment"));
    p->ok = json_object();
    if (!segment) {
        p->members = json_array();
        goto out;
    }
    rc = xrm_segment_get(ctx, segment, &seg, err);
    if (!rc)
        rc = xrm_segment_query(ctx->db, segment, &name, &query, err);
    if (!rc)
        rc = members(ctx, query, "", &p->members, err);
    if (!rc)
        rc = members(ctx, query, "may:email", &ok, err);
    if (rc)
        goto out;
    size_t i;
    json_t *m;
    char key[24];
    json_array_foreach(ok, i, m)
    {
        snprintf(key, sizeof(key), "%lld",
                 (long long)json_integer_value(json_object_get(m, "party")));
        json_object_set_new(p->ok, key, json_true());
    }
out:
    json_decref(seg);
    json_decref(ok);
    free(name);
    free(query);
    return rc;
}

static bool may_email(const struct plan *p, json_t *member)
{
    char key[24];
    snprintf(key, sizeof(key), "%lld",
             (long long)json_integer_value(json_object_get(member, "party")));
    return json_object_get(p->ok, key) != NULL;
}

struct send {
    const struct xrm_user *user;
    int64_t id;
    struct plan *plan;
    char now[XRM_TIME_LEN];
    int sent, skipped, mailed;
};

/* e-mail sending: the hook that mails a release to one recipient (press.h) */
static xrm_press_mail_fn mail_fn;
static void (*mail_after)(void);

void xrm_press_mail_set(xrm_press_mail_fn fn, void (*after_commit)(void))
{
    mail_fn = fn;
    mail_after = after_commit;
}

static enum xrm_rc send_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct send *s = arg;
    json_t *act = s->plan->act;
    enum xrm_rc rc = xrm_access_write(s->user, "pr", err);
    size_t i;
    json_t *m;
    json_array_foreach(s->plan->members, i, m)
    {
        if (rc)
            break;
        int64_t party = json_integer_value(json_object_get(m, "party"));
        if (!may_email(s->plan, m)) {
            rc = xrm_press_db_add(db, s->id, party, "skipped", "may_email", s->now, err);
            s->skipped++;
            continue;
        }
        json_t *log = json_pack("{s:O, s:s, s:O, s:[I], s:s}", "type", json_object_get(act, "type"),
                                "domain", "pr", "subject", json_object_get(act, "subject"),
                                "parties", (json_int_t)party, "at", s->now);
        json_t *logged = NULL;
        rc = xrm_activity_insert_tx(db, s->user, log, NULL, &logged, err);
        json_decref(log);
        if (!rc)
            rc = xrm_press_db_add(db, s->id, party, "sent", NULL, s->now, err);
        /* e-mail sending: the release by mail to a recipient with an address */
        bool queued = false;
        if (!rc && !mail_fn)
            rc = xrm_errf(err, XRM_E_INTERNAL, "press release mail hook not set");
        if (!rc)
            rc = mail_fn(db, s->user, act, party, json_integer_value(json_object_get(logged, "id")),
                         &queued, err);
        json_decref(logged);
        s->mailed += queued;
        s->sent++;
    }
    return rc;
}

enum xrm_rc xrm_press_send(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct plan p = {0};
    struct send s = {.user = &ctx->user, .id = id, .plan = &p};
    enum xrm_rc rc = xrm_access_write(&ctx->user, "pr", err);
    if (!rc)
        rc = plan_load(ctx, id, &p, err);
    if (rc)
        goto out;
    xrm_clock_now(s.now);
    const char *embargo = json_string_value(json_object_get(p.act, "embargo"));
    const char *sent_at = json_string_value(json_object_get(p.act, "sent_at"));
    if (sent_at) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "already sent at %s", sent_at);
    } else if (embargo && strcmp(embargo, s.now) > 0) {
        rc = xrm_errf(err, XRM_E_CONFLICT, "under embargo until %s", embargo);
    } else if (!json_integer_value(json_object_get(p.act, "segment"))) {
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "needs a segment of recipients");
    } else if (json_array_size(p.members) > XRM_PRESS_RECIPIENTS_MAX) {
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "has more than %d members",
                           XRM_PRESS_RECIPIENTS_MAX);
    } else if (json_array_size(p.members) == 0) {
        rc = xrm_err_field(err, XRM_E_INVALID, "segment", "has no members");
    }
    if (!rc)
        rc = xrm_store_write(ctx->store, send_tx, &s, err);
    if (!rc && s.mailed && mail_after)
        mail_after(); /* e-mail sending: wake the outbox worker */
    if (!rc)
        *out = json_pack("{s:i, s:i, s:s}", "sent", s.sent, "skipped", s.skipped, "at", s.now);
out:
    plan_release(&p);
    return rc;
}

enum xrm_rc xrm_press_recipients(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    struct plan p = {0};
    json_t *items = NULL;
    int n[3] = {0};
    enum xrm_rc rc = plan_load(ctx, id, &p, err);
    if (rc)
        goto out;
    if (json_string_value(json_object_get(p.act, "sent_at"))) {
        rc = xrm_press_db_sends(ctx->db, id, &items, err);
        if (rc)
            goto out;
    } else {
        items = json_array();
        size_t i;
        json_t *m;
        json_array_foreach(p.members, i, m)
        {
            if (i >= XRM_PRESS_RECIPIENTS_MAX)
                break;
            bool ok = may_email(&p, m);
            json_t *r =
                json_pack("{s:O, s:O, s:s, s:s?, s:n}", "party", json_object_get(m, "party"),
                          "name", json_object_get(m, "name"), "status", ok ? "pending" : "skipped",
                          "reason", ok ? NULL : "may_email", "at");
            json_array_append_new(items, r);
        }
    }
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r)
    {
        const char *st = json_string_value(json_object_get(r, "status"));
        n[strcmp(st, "sent") == 0 ? 0 : strcmp(st, "skipped") == 0 ? 1 : 2]++;
    }
    *out = json_pack("{s:o, s:n, s:i, s:i, s:i}", "items", items, "next", "sent", n[0], "skipped",
                     n[1], "pending", n[2]);
out:
    plan_release(&p);
    return rc;
}

static const char *first_value(json_t *list, const char *key)
{
    return json_string_value(json_object_get(json_array_get(list, 0), key));
}

enum xrm_rc xrm_press_recipients_csv(struct xrm_ctx *ctx, int64_t id, struct xrm_buf *out,
                                     struct xrm_err *err)
{
    static const char *const header[] = {"name",     "email", "street", "house_number",
                                         "postcode", "city",  "status", "reason"};
    json_t *list = NULL;
    enum xrm_rc rc = xrm_press_recipients(ctx, id, &list, err);
    xrm_buf_init(out, 4096);
    if (rc)
        return rc;
    xrm_csv_write_bom(out);
    xrm_csv_write_row(out, header, NULL, 8);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(list, "items"), i, r)
    {
        json_t *party = NULL;
        rc = xrm_party_load(ctx->db, json_integer_value(json_object_get(r, "party")), &party, err);
        if (rc)
            break;
        json_t *addr = json_array_get(json_object_get(party, "addresses"), 0);
        const char *v[8] = {
            json_string_value(json_object_get(r, "name")),
            first_value(json_object_get(party, "emails"), "value"),
            json_string_value(json_object_get(addr, "street")),
            json_string_value(json_object_get(addr, "house_number")),
            json_string_value(json_object_get(addr, "postcode")),
            json_string_value(json_object_get(addr, "city")),
            json_string_value(json_object_get(r, "status")),
            json_string_value(json_object_get(r, "reason")),
        };
        static const bool text[8] = {false, false, false, true, true, false, false, false};
        xrm_csv_write_row(out, v, text, 8);
        json_decref(party);
    }
    json_decref(list);
    return rc;
}
