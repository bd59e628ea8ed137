/*
 * Webhook subscriptions: the record kind, its list, and the memory copy of
 * the enabled ones that the outbox matches every change against
 * (webhook.h). SQL in webhook-db.c.
 */
#include "domain/webhooks/webhook.h"
#include "domain/webhooks/webhook-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "domain/records/records.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"
#include "io/http-post.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define RO XRM_FF_READONLY
#define HIDDEN (XRM_FF_READONLY | XRM_FF_HIDDEN)
#define EVENTS_MAX 64
#define CACHE_MS 60000 /* the memory copy is read again at least this often */

const char *const xrm_webhook_events[] = {
    "party.created",     "party.updated",
    "party.deleted",     "role.created",
    "role.updated",      "role.deleted",
    "activity.created",  "activity.updated",
    "activity.deleted",  "deal.created",
    "deal.updated",      "deal.deleted",
    "case.created",      "case.updated",
    "case.deleted",      "agreement.created",
    "agreement.updated", "agreement.deleted",
    "invoice.created",   "invoice.updated",
    "invoice.deleted",   NULL,
};

#define STAT(key, cond)                                                                            \
    {                                                                                              \
        .name = key,                                                                               \
        .column = "(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = h.id AND "      \
                  "d.status " cond ")",                                                            \
        .type = XRM_FT_INT, .col = XRM_FC_JOINED, .flags = HIDDEN                                  \
    }

static const struct xrm_field fields[] = {
    XRM_FIELD_ID("h"),
    {.name = "url",
     .column = "h.url",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_REQUIRED | XRM_FF_TRIM,
     .max = XRM_WEBHOOK_URL_MAX,
     .doc = "http:// or https:// URL the deliveries are POSTed to"},
    {.name = "events",
     .column = "h.events",
     .type = XRM_FT_JSON,
     .flags = XRM_FF_REQUIRED,
     .dflt = "[]",
     .doc = "event names such as party.created, or [\"*\"] for all"},
    {.name = "domains",
     .column = "h.domains",
     .type = XRM_FT_JSON,
     .dflt = "[]",
     .doc = "the domains whose events and data the hook gets; []: all the owner may read"},
    {.name = "secret",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_NONE,
     .flags = XRM_FF_INPUT,
     .max = XRM_WEBHOOK_SECRET_MAX,
     .doc = "write-only: the HMAC key; generated (and answered once) when a create leaves it out"},
    {.name = "stored_secret", .column = "h.secret", .type = XRM_FT_TEXT, .flags = XRM_FF_HIDDEN},
    {.name = "secret_set", .type = XRM_FT_BOOL, .col = XRM_FC_NONE, .flags = RO},
    {.name = "enabled", .column = "h.enabled", .type = XRM_FT_BOOL, .dflt = "true"},
    {.name = "description",
     .column = "h.description",
     .type = XRM_FT_TEXT,
     .flags = XRM_FF_NULLABLE | XRM_FF_TRIM,
     .max = 500},
    {.name = "owner",
     .column = "h.owner_id",
     .type = XRM_FT_USER,
     .col = XRM_FC_CREATED_BY,
     .flags = RO | XRM_FF_NULLABLE,
     .min = 1},
    {.name = "owner_name",
     .column = "u.name",
     .type = XRM_FT_TEXT,
     .col = XRM_FC_JOINED,
     .flags = HIDDEN},
    {.name = "version",
     .column = "h.version",
     .type = XRM_FT_INT,
     .col = XRM_FC_VERSION,
     .flags = RO,
     .min = 1},
    {.name = "created_at",
     .column = "h.created_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_CREATED_AT,
     .flags = RO},
    {.name = "updated_at",
     .column = "h.updated_at",
     .type = XRM_FT_DATETIME,
     .col = XRM_FC_UPDATED_AT,
     .flags = RO},
    STAT("delivered_n", "= 'delivered'"),
    STAT("pending_n", "IN ('pending', 'sending')"),
    STAT("failed_n", "= 'dead'"),
    {.name = "stats", .type = XRM_FT_JSON, .col = XRM_FC_NONE, .flags = RO},
};

/* The stored secret never leaves; the owner as {id, name}; the counts as stats. */
static void row(json_t *o)
{
    const char *s = json_string_value(json_object_get(o, "stored_secret"));
    json_object_set_new(o, "secret_set", json_boolean(s && *s));
    json_object_del(o, "stored_secret");
    json_t *owner = json_object_get(o, "owner");
    if (json_is_integer(owner))
        json_object_set_new(
            o, "owner",
            json_pack("{s:O, s:O}", "id", owner, "name", json_object_get(o, "owner_name")));
    json_object_del(o, "owner_name");
    json_object_set_new(o, "stats",
                        json_pack("{s:O, s:O, s:O}", "delivered", json_object_get(o, "delivered_n"),
                                  "pending", json_object_get(o, "pending_n"), "failed",
                                  json_object_get(o, "failed_n")));
    json_object_del(o, "delivered_n");
    json_object_del(o, "pending_n");
    json_object_del(o, "failed_n");
}

const struct xrm_record_kind xrm_webhook_kind = {
    .name = "webhook",
    .table = "webhooks",
    .alias = "h",
    .from = " FROM webhooks h LEFT JOIN users u ON u.id = h.owner_id",
    .title = "Webhook",
    .fields = fields,
    .nfields = sizeof(fields) / sizeof(fields[0]),
    .row = row,
};

/* State of one request: a secret generated by a create, answered once. */
struct hook_arg {
    char secret[65];
    bool generated;
    bool write;
};

/* events: a non-empty array of known names (or "*"), without repeats; a new reference. */
static json_t *read_events(json_t *v, struct xrm_err *err)
{
    size_t i;
    json_t *e, *out = json_array();
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > EVENTS_MAX) {
        xrm_err_field(err, XRM_E_INVALID, "events",
                      "must be a list of event names such as party.created, or [\"*\"]");
        return out;
    }
    json_array_foreach(v, i, e)
    {
        const char *s = json_string_value(e);
        if (!s || (strcmp(s, "*") != 0 && !xrm_str_in(xrm_webhook_events, s))) {
            xrm_err_field(err, XRM_E_INVALID, "events",
                          "'%s' is no event: use party, role, activity, deal, case, agreement "
                          "or invoice with .created, .updated or .deleted, or *",
                          s ? s : "?");
            continue;
        }
        if (!xrm_json_has_str(out, s))
            json_array_append_new(out, json_string(s));
    }
    if (xrm_json_has_str(out, "*")) {
        json_array_clear(out);
        json_array_append_new(out, json_string("*"));
    }
    return out;
}

/* domains: an array of xrm_domains, without repeats, in their order; a new reference. */
static json_t *read_domains(json_t *v, struct xrm_err *err)
{
    size_t i;
    json_t *e, *out = json_array();
    if (!json_is_array(v)) {
        xrm_err_field(err, XRM_E_INVALID, "domains",
                      "must be a list of sales, hr, partners, purchasing, pr ([]: all)");
        return out;
    }
    json_array_foreach(v, i, e)
    {
        const char *s = json_string_value(e);
        if (!s || !xrm_domain_valid(s))
            xrm_err_field(err, XRM_E_INVALID, "domains",
                          "must be a list of sales, hr, partners, purchasing, pr ([]: all)");
    }
    for (const char *const *d = xrm_domains; *d; d++)
        if (xrm_json_has_str(v, *d))
            json_array_append_new(out, json_string(*d));
    return out;
}

static bool secret_chars_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x21 || *p > 0x7e)
            return false;
    return true;
}

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec, struct xrm_err *err)
{
    static const char *const plain[] = {"url", "enabled", "description", NULL};
    struct hook_arg *a = w->arg;
    json_t *in = w->in;
    enum xrm_rc rc = XRM_OK;
    *rec = json_object();
    if (!json_is_object(in))
        return xrm_errf(err, XRM_E_MALFORMED, "the body must be a JSON object");
    if (!before) { /* at most XRM_WEBHOOKS_MAX subscriptions */
        int64_t n = 0;
        if ((rc = xrm_webhook_db_count(db, &n, err)))
            return rc;
        if (n >= XRM_WEBHOOKS_MAX)
            return xrm_errf(err, XRM_E_LIMIT, "at most %d webhooks", XRM_WEBHOOKS_MAX);
    }
    xrm_record_known_keys(&xrm_webhook_kind, in, err);
    xrm_record_read_all(&xrm_webhook_kind, plain, in, before, *rec, err);
    const char *url = json_string_value(json_object_get(*rec, "url"));
    if (url && !xrm_http_url_valid(url))
        xrm_err_field(err, XRM_E_INVALID, "url",
                      "must be an http:// or https:// URL such as https://example.nl/hook");
    json_t *ev = json_object_get(in, "events");
    if (ev || !before)
        json_object_set_new(*rec, "events", read_events(ev, err));
    else
        json_object_set(*rec, "events", json_object_get(before, "events"));
    json_t *dom = json_object_get(in, "domains");
    if (dom && !json_is_null(dom))
        json_object_set_new(*rec, "domains", read_domains(dom, err));
    else if (before && !dom)
        json_object_set(*rec, "domains", json_object_get(before, "domains"));
    else
        json_object_set_new(*rec, "domains", json_array());
    /* the secret: as given, else the stored one, else (a create) a new one */
    json_t *sv = json_object_get(in, "secret");
    const char *secret = NULL;
    char *stored = NULL;
    if (sv) {
        if (!json_is_string(sv) || json_string_length(sv) < XRM_WEBHOOK_SECRET_MIN ||
            json_string_length(sv) > XRM_WEBHOOK_SECRET_MAX ||
            !secret_chars_ok(json_string_value(sv)))
            xrm_err_field(err, XRM_E_INVALID, "secret",
                          "must be %d to %d printable characters without spaces",
                          XRM_WEBHOOK_SECRET_MIN, XRM_WEBHOOK_SECRET_MAX);
        else
            secret = json_string_value(sv);
    } else if (before) {
        if ((rc = xrm_webhook_db_secret(db, w->id, &stored, err)))
            return rc;
        secret = stored;
    } else if (a) {
        unsigned char raw[32];
        randombytes_buf(raw, sizeof(raw));
        xrm_hex(raw, sizeof(raw), a->secret);
        sodium_memzero(raw, sizeof(raw));
        a->generated = true;
        secret = a->secret;
    }
    if (secret)
        json_object_set_new(*rec, "stored_secret", json_string(secret));
    else if (!sv)
        rc = xrm_errf(err, XRM_E_INVALID, "a webhook needs a secret");
    if (stored) {
        xrm_wipe(stored, strlen(stored));
        free(stored);
    }
    return rc;
}

/* A create through xrm_record_create_in (no begin) passes no state: a secret is then required. */
static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    struct hook_arg *a = w->arg;
    a->write = strcmp(action, "get") != 0;
    return xrm_access_admin(&ctx->user, "webhooks", err);
}

static enum xrm_rc view(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err)
{
    (void)ctx;
    (void)err;
    struct hook_arg *a = w->arg;
    if (strcmp(action, "create") == 0 && a->generated)
        json_object_set_new(*rec, "secret", json_string(a->secret));
    return XRM_OK;
}

/* The memory copy is read again after every write, committed or not. */
static void end(struct xrm_record_write *w)
{
    struct hook_arg *a = w->arg;
    if (a->write)
        xrm_webhooks_changed();
    sodium_memzero(a->secret, sizeof(a->secret));
}

const struct xrm_record_ops xrm_webhook_ops = {
    .kind = &xrm_webhook_kind,
    .validate = validate,
    .no_domain = true,
    .arg_size = sizeof(struct hook_arg),
    .begin = begin,
    .view = view,
    .end = end,
};

enum xrm_rc xrm_webhook_list(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                             struct xrm_err *err)
{
    json_t *items = NULL;
    int64_t before = 0;
    enum xrm_rc rc = xrm_access_admin(&ctx->user, "webhooks", err);
    if (rc)
        return rc;
    if (!xrm_records_cursor(page->cursor, &before, err))
        return err->rc;
    int limit = xrm_records_limit(page->limit);
    rc = xrm_record_db_list(ctx->db, &xrm_webhook_kind, NULL, 0, NULL, limit + 1, before, &items,
                            err);
    if (!rc)
        *out = xrm_records_page(items, limit);
    return rc;
}

enum xrm_rc xrm_webhook_secret(struct xrm_db *db, int64_t id, char **out, struct xrm_err *err)
{
    enum xrm_rc rc = xrm_webhook_db_secret(db, id, out, err);
    if (!rc && !*out)
        rc = xrm_errf(err, XRM_E_NOTFOUND, "no webhook %lld", (long long)id);
    return rc;
}

/* The memory copy of the enabled subscriptions */

struct cached_sub {
    struct xrm_webhook_sub sub;
    bool all_events;
    json_t *events;
};

static struct {
    pthread_mutex_t lock;
    bool valid;
    int64_t loaded_ms;
    struct cached_sub *subs;
    size_t n;
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void cache_clear(void)
{
    for (size_t i = 0; i < cache.n; i++)
        json_decref(cache.subs[i].events);
    free(cache.subs);
    cache.subs = NULL;
    cache.n = 0;
    cache.valid = false;
}

void xrm_webhooks_changed(void)
{
    pthread_mutex_lock(&cache.lock);
    cache.valid = false;
    pthread_mutex_unlock(&cache.lock);
}

static enum xrm_rc cache_load(struct xrm_db *db, struct xrm_err *err)
{
    json_t *rows = NULL, *r;
    size_t i;
    enum xrm_rc rc = xrm_webhook_db_enabled(db, &rows, err);
    if (rc)
        return rc;
    cache_clear();
    cache.subs = xrm_calloc(json_array_size(rows) + 1, sizeof(*cache.subs));
    json_array_foreach(rows, i, r)
    {
        struct cached_sub *c = &cache.subs[cache.n++];
        c->sub.id = json_integer_value(json_object_get(r, "id"));
        c->sub.owner = json_integer_value(json_object_get(r, "owner"));
        json_t *doms = json_object_get(r, "domains");
        for (int d = 0; xrm_domains[d]; d++)
            if (xrm_json_has_str(doms, xrm_domains[d]))
                c->sub.domains |= 1u << d;
        c->events = json_incref(json_object_get(r, "events"));
        c->all_events = xrm_json_has_str(c->events, "*");
    }
    json_decref(rows);
    cache.valid = true;
    cache.loaded_ms = xrm_mono_ns() / 1000000;
    return XRM_OK;
}

enum xrm_rc xrm_webhooks_matching(struct xrm_db *db, const char *event, const char *domain,
                                  struct xrm_webhook_sub **out, size_t *n, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    *out = NULL;
    *n = 0;
    int d = -1;
    for (int i = 0; domain && xrm_domains[i]; i++)
        if (strcmp(xrm_domains[i], domain) == 0)
            d = i;
    pthread_mutex_lock(&cache.lock);
    if (!cache.valid || xrm_mono_ns() / 1000000 - cache.loaded_ms > CACHE_MS)
        rc = cache_load(db, err);
    for (size_t i = 0; !rc && i < cache.n; i++) {
        const struct cached_sub *c = &cache.subs[i];
        if (!c->all_events && !xrm_json_has_str(c->events, event))
            continue;
        if (d >= 0 && c->sub.domains && !(c->sub.domains & (1u << d)))
            continue;
        if (!*out)
            *out = xrm_calloc(cache.n, sizeof(**out));
        (*out)[(*n)++] = c->sub;
    }
    pthread_mutex_unlock(&cache.lock);
    return rc;
}
