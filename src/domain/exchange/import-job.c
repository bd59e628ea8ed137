/*
 * Import jobs: reading a file in chunks, turning each record into a party
 * object (import-map.c), and writing it batch by batch through the same
 * functions as the single-party API.
 *
 * A row that fails (also halfway, after its party was inserted and a role
 * refused) leaves nothing behind and the others stay: a batch runs without
 * row savepoints first and, when a row fails, again with one per row (see
 * flush). Errors are kept in memory
 * until they are stored: with their batch (on_error=skip), or after the one
 * transaction of an abort or dry run, which itself is rolled back.
 */
#include "domain/exchange/import-job.h"
#include "domain/exchange/import-job-db.h"
#include "domain/exchange/import-map.h"
#include "domain/base/access.h"
#include "domain/base/audit.h"
#include "domain/party/duplicate.h"
#include "domain/party/keys.h"
#include "domain/party/party.h"
#include "domain/party/role.h"
#include "io/csv.h"
#include "io/vcard.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

#define CHUNK (64 * 1024)
#define NDJSON_LINE_MAX (256 * 1024)
#define SAMPLES 3

static const char *const format_names[] = {"csv", "vcard", "ndjson"};
static const char *const match_names[] = {"email", "kvk",         "vat", "iban",
                                          "phone", "external_id", "uid", NULL};

bool xrm_import_format_of(const char *content_type, enum xrm_import_format *out)
{
    char t[64];
    size_t n;
    if (!content_type)
        return false;
    n = strcspn(content_type, "; ");
    if (n >= sizeof(t))
        return false;
    memcpy(t, content_type, n);
    t[n] = '\0';
    xrm_ascii_lower(t);
    if (strcmp(t, "text/csv") == 0)
        *out = XRM_IMPORT_CSV;
    else if (strcmp(t, "text/vcard") == 0 || strcmp(t, "text/x-vcard") == 0 ||
             strcmp(t, "text/directory") == 0)
        *out = XRM_IMPORT_VCARD;
    else if (strcmp(t, "application/x-ndjson") == 0)
        *out = XRM_IMPORT_NDJSON;
    else
        return false;
    return true;
}

enum xrm_rc xrm_import_match_parse(const char *list, unsigned *out, struct xrm_err *err)
{
    *out = 0;
    const char *p = list ? list : "";
    while (*p) {
        size_t n = strcspn(p, ",");
        bool found = false;
        for (int i = 0; n && match_names[i]; i++) {
            if (strlen(match_names[i]) == n && strncmp(match_names[i], p, n) == 0) {
                *out |= 1u << i;
                found = true;
            }
        }
        if (n && !found)
            return xrm_err_field(err, XRM_E_INVALID, "match",
                                 "'%.*s' is not a key to match on (email, kvk, vat, iban, phone, "
                                 "external_id, uid)",
                                 (int)(n > 40 ? 40 : n), p);
        p += n;
        if (*p)
            p++;
    }
    return XRM_OK;
}

static json_t *options_json(const struct xrm_import_opts *o)
{
    json_t *match = json_array();
    for (int i = 0; match_names[i]; i++)
        if (o->match & (1u << i))
            json_array_append_new(match, json_string(match_names[i]));
    json_t *j = json_pack("{s:o, s:s, s:b}", "match", match, "on_error",
                          o->abort_on_error ? "abort" : "skip", "force", o->force);
    if (o->mapping)
        json_object_set(j, "mapping", o->mapping);
    return j;
}

/* The live progress of running jobs, read by xrm_import_job_get (an abort or
 * dry run cannot commit its progress: its transaction is still open). */
#define LIVE_SLOTS 8
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    int64_t id, done, total;
} live[LIVE_SLOTS];

static void live_set(int64_t id, int64_t done, int64_t total)
{
    pthread_mutex_lock(&live_lock);
    int slot = -1;
    for (int i = 0; i < LIVE_SLOTS && slot < 0; i++)
        if (live[i].id == id)
            slot = i;
    for (int i = 0; i < LIVE_SLOTS && slot < 0; i++)
        if (live[i].id == 0)
            slot = i;
    if (slot >= 0) {
        live[slot].id = done < 0 ? 0 : id;
        live[slot].done = done;
        live[slot].total = total;
    }
    pthread_mutex_unlock(&live_lock);
}

static bool live_get(int64_t id, int64_t *done, int64_t *total)
{
    bool found = false;
    pthread_mutex_lock(&live_lock);
    for (int i = 0; i < LIVE_SLOTS && !found; i++) {
        if (live[i].id == id) {
            *done = live[i].done;
            *total = live[i].total;
            found = true;
        }
    }
    pthread_mutex_unlock(&live_lock);
    return found;
}

struct create_arg {
    const struct xrm_user *user;
    const struct xrm_import_opts *o;
    int64_t id;
};

static enum xrm_rc create_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct create_arg *a = arg;
    json_t *opts = options_json(a->o);
    enum xrm_rc rc = xrm_import_db_insert(db, a->user->id, a->o->dry_run,
                                          format_names[a->o->format], opts, &a->id, err);
    json_decref(opts);
    return rc;
}

enum xrm_rc xrm_import_job_create(struct xrm_ctx *ctx, const struct xrm_import_opts *o,
                                  int64_t *id_out, struct xrm_err *err)
{
    struct create_arg a = {&ctx->user, o, 0};
    enum xrm_rc rc = xrm_access_party_create(&ctx->user, err);
    if (rc)
        return rc;
    if (o->mapping) {
        if (!json_is_object(o->mapping))
            return xrm_err_field(err, XRM_E_MALFORMED, "mapping",
                                 "must be a JSON object {\"header\": \"field\"}");
        const char *key;
        json_t *v;
        json_object_foreach(o->mapping, key, v)
        {
            if (!json_is_string(v) || !xrm_import_field_valid(json_string_value(v)))
                return xrm_err_field(err, XRM_E_INVALID, "mapping",
                                     "column '%.60s': not a field to import into", key);
        }
    }
    rc = xrm_store_write(ctx->store, create_tx, &a, err);
    if (!rc)
        *id_out = a.id;
    return rc;
}

/* One record of the file on its way in. */
struct row {
    long line;
    json_t *party;              /* the record as a party object; NULL when bad */
    struct xrm_party_new *prep; /* its create, checked before the write (NULL: not prepared) */
    int64_t created;            /* the party it created in its batch; 0: none */
    char *bad;                  /* why the record could not be read */
};

struct run {
    struct xrm_ctx *ctx;
    int64_t id;
    const struct xrm_import_opts *o;
    const char *keys[8];
    size_t nkeys;
    struct xrm_db *txdb; /* the one transaction of an abort or dry run; NULL: one per batch */
    bool rolled_back;    /* the one transaction was rolled back on purpose */
    bool careful;        /* each row in a savepoint of its own (see flush) */
    bool retry;          /* a row failed without savepoints: run the batch again carefully */
    struct row *rows;    /* the batch being written */
    size_t nrows;
    struct row *fill; /* the batch being read */
    size_t nfill;
    /*
     * Batch by batch (not an abort or dry run), a thread of its own writes
     * each batch while this one reads, maps and checks the next (see
     * hand_off); it owns rows and the counts while busy.
     */
    bool piped;
    pthread_t writer;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool busy, quit;
    enum xrm_rc wrc; /* the writer's first failure, and its error */
    struct xrm_err werr;
    enum xrm_lang lang;
    struct xrm_import_counts c;
    int64_t seq;     /* errors recorded so far (stored or pending) */
    json_t *pending; /* errors not stored yet */
    int64_t first_id, last_id, batch_created;
    size_t indexed; /* rows of the batch whose full-text entries are written */
    /* CSV */
    struct xrm_csv *csv;
    struct xrm_import_map *map;
    json_t *columns;
    int nsamples;
    bool header_seen;
    /* vCard */
    struct xrm_vcard *vc;
    /* NDJSON */
    struct xrm_buf nd;
    long ndline;
    xrm_import_progress_fn progress;
    void *parg;
};

static const char *rc_code(enum xrm_rc rc)
{
    switch (rc) {
    case XRM_E_MALFORMED:
        return "malformed";
    case XRM_E_INVALID:
        return "invalid";
    case XRM_E_NOTFOUND:
        return "not_found";
    case XRM_E_CONFLICT:
        return "conflict";
    case XRM_E_DENIED:
        return "denied";
    case XRM_E_LIMIT:
        return "too_large";
    default:
        return "internal";
    }
}

static void add_error(struct run *r, long line, const char *field, const char *code,
                      const char *message)
{
    if (r->seq >= XRM_IMPORT_ERRORS_KEPT)
        return;
    r->seq++;
    json_array_append_new(r->pending,
                          json_pack("{s:I, s:I, s:o, s:s, s:s}", "seq", (json_int_t)r->seq, "line",
                                    (json_int_t)line, "field",
                                    field && *field ? json_string(field) : json_null(), "code",
                                    code, "message", message));
}

/* A failed row: each field error its own entry, the row counted once. */
static void row_failed(struct run *r, long line, const struct xrm_err *e)
{
    r->c.errors++;
    int n = e->nfields < XRM_ERR_MAX_FIELDS ? e->nfields : XRM_ERR_MAX_FIELDS;
    for (int i = 0; i < n; i++)
        add_error(r, line, e->fields[i].field,
                  e->fields[i].code[0] ? e->fields[i].code
                  : e->code[0]         ? e->code
                                       : rc_code(e->rc),
                  e->fields[i].message);
    if (!n)
        add_error(r, line, NULL, e->code[0] ? e->code : rc_code(e->rc), e->message);
}

static bool fatal(enum xrm_rc rc)
{
    return rc == XRM_E_DB || rc == XRM_E_FULL || rc == XRM_E_INTERNAL || rc == XRM_E_IO;
}

static bool has_value(json_t *list, const char *value, bool (*key)(const char *, char *))
{
    char a[XRM_KEY_MAX], b[XRM_KEY_MAX];
    if (!key(value, a))
        xrm_strlcpy(a, value, sizeof(a));
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        const char *v = json_is_string(item) ? json_string_value(item)
                                             : json_string_value(json_object_get(item, "value"));
        if (!v)
            continue;
        if (!key(v, b))
            xrm_strlcpy(b, v, sizeof(b));
        if (strcmp(a, b) == 0)
            return true;
    }
    return false;
}

static bool key_text(const char *s, char *out)
{
    return xrm_key_exact_text(s, out);
}

/* before's list with the row's items it lacks; NULL when it lacks none. */
static json_t *merged_points(json_t *before, json_t *row, bool (*key)(const char *, char *))
{
    json_t *out = NULL;
    size_t i;
    json_t *item;
    json_array_foreach(row, i, item)
    {
        const char *v = json_is_string(item) ? json_string_value(item)
                                             : json_string_value(json_object_get(item, "value"));
        if (!v || has_value(before, v, key) || (out && has_value(out, v, key)))
            continue;
        if (!out)
            out = json_deep_copy(before ? before : json_array());
        json_array_append(out, item);
    }
    return out;
}

static bool same_address(json_t *a, json_t *b)
{
    char ka[XRM_KEY_MAX], kb[XRM_KEY_MAX];
    const char *pa = json_string_value(json_object_get(a, "postcode")),
               *pb = json_string_value(json_object_get(b, "postcode")),
               *na = json_string_value(json_object_get(a, "house_number")),
               *nb = json_string_value(json_object_get(b, "house_number"));
    if (pa && pb && na && nb && xrm_key_address(pa, na, ka) && xrm_key_address(pb, nb, kb))
        return strcmp(ka, kb) == 0;
    const char *sa = json_string_value(json_object_get(a, "street")),
               *sb = json_string_value(json_object_get(b, "street")),
               *ca = json_string_value(json_object_get(a, "city")),
               *cb = json_string_value(json_object_get(b, "city"));
    return sa && sb && strcasecmp(sa, sb) == 0 && (!ca || !cb || strcasecmp(ca, cb) == 0);
}

/*
 * The patch that brings the row into stored party before: scalar fields it
 * gives replace, contact points, addresses and tags it adds join the
 * lists, custom fields are overlaid.
 */
static json_t *upsert_patch(json_t *before, json_t *row)
{
    json_t *patch = json_object(), *m;
    const char *key;
    json_t *v;
    json_object_foreach(row, key, v)
    {
        if (strcmp(key, "kind") == 0 || strcmp(key, "uid") == 0 || strcmp(key, "roles") == 0 ||
            strcmp(key, "emails") == 0 || strcmp(key, "phones") == 0 ||
            strcmp(key, "websites") == 0 || strcmp(key, "addresses") == 0 ||
            strcmp(key, "tags") == 0 || strcmp(key, "custom") == 0)
            continue;
        if (strcmp(key, "name") == 0 && json_object_get(row, "family_name"))
            continue;
        if (!json_equal(json_object_get(before, key), v))
            json_object_set(patch, key, v);
    }
    if ((m = merged_points(json_object_get(before, "emails"), json_object_get(row, "emails"),
                           xrm_key_email)))
        json_object_set_new(patch, "emails", m);
    if ((m = merged_points(json_object_get(before, "phones"), json_object_get(row, "phones"),
                           xrm_key_phone)))
        json_object_set_new(patch, "phones", m);
    if ((m = merged_points(json_object_get(before, "websites"), json_object_get(row, "websites"),
                           key_text)))
        json_object_set_new(patch, "websites", m);
    json_t *addrs = NULL;
    size_t i, j;
    json_t *a, *b;
    json_array_foreach(json_object_get(row, "addresses"), i, a)
    {
        bool known = false;
        json_array_foreach(json_object_get(before, "addresses"), j, b) known =
            known || same_address(a, b);
        if (known)
            continue;
        if (!addrs)
            addrs = json_deep_copy(json_object_get(before, "addresses"));
        if (!addrs)
            addrs = json_array();
        json_array_append(addrs, a);
    }
    if (addrs)
        json_object_set_new(patch, "addresses", addrs);
    json_t *tags = NULL;
    json_array_foreach(json_object_get(row, "tags"), i, a)
    {
        bool known = false;
        json_array_foreach(json_object_get(before, "tags"), j, b) known =
            known || (json_is_string(a) && json_is_string(b) &&
                      strcasecmp(json_string_value(a), json_string_value(b)) == 0);
        if (known)
            continue;
        if (!tags)
            tags = json_deep_copy(json_object_get(before, "tags"));
        if (!tags)
            tags = json_array();
        json_array_append(tags, a);
    }
    if (tags)
        json_object_set_new(patch, "tags", tags);
    json_t *custom = json_object_get(row, "custom");
    if (json_is_object(custom) && json_object_size(custom)) {
        json_t *c = json_deep_copy(json_object_get(before, "custom"));
        if (!json_is_object(c)) {
            json_decref(c);
            c = json_object();
        }
        json_object_update(c, custom);
        if (!json_equal(c, json_object_get(before, "custom")))
            json_object_set(patch, "custom", c);
        json_decref(c);
    }
    return patch;
}

/* Updates party id with the row (a match): base data, then the roles it lacks. */
static enum xrm_rc upsert(struct run *r, struct xrm_db *db, int64_t id, json_t *row,
                          struct xrm_err *err)
{
    const struct xrm_user *user = &r->ctx->user;
    json_t *before = NULL, *roles = NULL, *patch = NULL;
    enum xrm_rc rc = xrm_party_load(db, id, &before, err);
    if (!rc)
        rc = xrm_role_array_for_party(db, id, &roles, err);
    if (!rc && !xrm_access_all(user))
        rc = xrm_access_party_change(user, roles, err);
    if (rc)
        goto out;
    patch = upsert_patch(before, row);
    if (json_object_size(patch) && (rc = xrm_party_update_tx(db, user, id, patch, err)))
        goto out;
    size_t i, j;
    json_t *want, *have;
    json_array_foreach(json_object_get(row, "roles"), i, want)
    {
        const char *type = json_string_value(json_object_get(want, "type"));
        bool held = false;
        json_array_foreach(roles, j, have) held =
            held || (type && json_is_string(json_object_get(have, "type")) &&
                     strcmp(type, json_string_value(json_object_get(have, "type"))) == 0);
        if (held)
            continue;
        char prefix[32];
        snprintf(prefix, sizeof(prefix), "roles[%zu].", i);
        if ((rc = xrm_role_insert_tx(db, user, id, want, prefix, NULL, err)))
            goto out;
    }
out:
    json_decref(before);
    json_decref(roles);
    json_decref(patch);
    return rc;
}

/* One row inside its savepoint: match and update, skip a duplicate, or create. */
static enum xrm_rc import_row(struct run *r, struct xrm_db *db, struct row *w, bool *skipped,
                              struct xrm_err *err)
{
    const struct xrm_user *user = &r->ctx->user;
    int64_t id = 0;
    enum xrm_rc rc = XRM_OK;
    json_t *cands = NULL;
    if (r->nkeys && (rc = xrm_party_match(db, w->party, r->keys, r->nkeys, &id, err)))
        return rc;
    if (id) {
        rc = upsert(r, db, id, w->party, err);
        if (!rc)
            r->c.updated++;
        return rc;
    }
    if (!r->o->force) {
        rc = xrm_party_exact_duplicates(db, user, w->party, &cands, err);
        if (rc)
            return rc;
        json_t *c = json_array_get(cands, 0);
        if (c) {
            json_t *reason = json_array_get(json_object_get(c, "reasons"), 0);
            char msg[256];
            snprintf(
                msg, sizeof(msg), "duplicates party %lld (%.80s) on %.20s '%.80s'",
                (long long)json_integer_value(json_object_get(json_object_get(c, "party"), "id")),
                json_string_value(json_object_get(json_object_get(c, "party"), "name")),
                json_string_value(json_object_get(reason, "key")),
                json_string_value(json_object_get(reason, "value")));
            add_error(r, w->line, json_string_value(json_object_get(reason, "key")), "duplicate",
                      msg);
            r->c.skipped++;
            *skipped = true;
            json_decref(cands);
            return XRM_OK;
        }
        json_decref(cands);
    }
    if (w->prep)
        rc = xrm_party_insert_prepared_tx(db, user, w->prep, &id, err);
    else
        rc = xrm_party_insert_tx(db, user, w->party, false, &id, err);
    if (rc)
        return rc;
    w->created = id;
    r->c.created++;
    r->batch_created++;
    if (!r->first_id)
        r->first_id = id;
    r->last_id = id;
    return XRM_OK;
}

static void rows_release(struct row *rows, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        json_decref(rows[i].party);
        xrm_party_new_free(rows[i].prep);
        free(rows[i].bad);
    }
    *n = 0;
}

static enum xrm_rc store_errors(struct run *r, struct xrm_db *db, struct xrm_err *err)
{
    size_t i;
    json_t *e;
    enum xrm_rc rc = XRM_OK;
    json_array_foreach(r->pending, i, e)
    {
        rc = xrm_import_db_add_error(db, r->id, json_integer_value(json_object_get(e, "seq")),
                                     json_integer_value(json_object_get(e, "line")),
                                     json_string_value(json_object_get(e, "field")),
                                     json_string_value(json_object_get(e, "code")),
                                     json_string_value(json_object_get(e, "message")), err);
        if (rc)
            return rc;
    }
    json_array_clear(r->pending);
    return XRM_OK;
}

/*
 * The rows of one batch on db (inside a transaction). Carefully, each row
 * runs in a savepoint, so a failed row leaves nothing. Otherwise the rows
 * run without one (a savepoint per row copies every page a row touches),
 * and the first row that fails stops the batch with r->retry set: the
 * caller then undoes the batch and runs it again carefully.
 */
/* The full-text entries of the parties rows [r->indexed, upto) created. */
static enum xrm_rc index_upto(struct run *r, struct xrm_db *db, size_t upto, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    for (; !rc && r->indexed < upto; r->indexed++) {
        struct row *w = &r->rows[r->indexed];
        if (w->created)
            rc = xrm_party_search_tx(db, w->prep, w->created, err);
    }
    return rc;
}

static enum xrm_rc process_batch(struct xrm_db *db, struct run *r, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    r->first_id = r->last_id = r->batch_created = 0;
    r->indexed = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        struct row *w = &r->rows[i];
        struct xrm_err e = XRM_ERR_INIT;
        bool skipped = false;
        r->c.done++;
        w->created = 0;
        if (w->bad) {
            r->c.errors++;
            add_error(r, w->line, NULL, "malformed", w->bad);
            continue;
        }
        /* a row that matches may update a party created earlier in the batch:
         * that party's entry first (and outside this row's savepoint) */
        if (r->nkeys && (rc = index_upto(r, db, i, err)))
            return rc;
        if (r->careful && (rc = xrm_import_db_row_begin(db, err)))
            return rc;
        enum xrm_rc rrc = import_row(r, db, w, &skipped, &e);
        if (rrc && !r->careful) {
            if (fatal(rrc)) {
                *err = e;
                return rrc;
            }
            r->retry = true;
            return xrm_errf(err, XRM_E_CONFLICT, "a row failed: the batch runs again");
        }
        if (!r->careful) {
            continue;
        } else if (rrc) {
            xrm_import_db_row_undo(db);
            w->created = 0;
            if (fatal(rrc)) {
                *err = e;
                return rrc;
            }
            row_failed(r, w->line, &e);
        } else if ((rc = xrm_import_db_row_keep(db, err))) {
            return rc;
        }
    }
    /* the full-text entries of the batch's new parties, after its savepoints */
    if ((rc = index_upto(r, db, r->nrows, err)))
        return rc;
    if (r->batch_created) { /* one audit entry for the parties a batch created */
        json_t *summary = json_pack("{s:I, s:I, s:I, s:I}", "count", (json_int_t)r->batch_created,
                                    "first_id", (json_int_t)r->first_id, "last_id",
                                    (json_int_t)r->last_id, "import", (json_int_t)r->id);
        rc = xrm_audit_add(db, &r->ctx->user, "import", "party", r->first_id, NULL, summary, err);
        json_decref(summary);
        if (rc)
            return rc;
    }
    if (!r->txdb) { /* progress and errors commit with the batch */
        if ((rc = store_errors(r, db, err)))
            return rc;
        rc = xrm_import_db_update(db, r->id, "running", &r->c, NULL, NULL, false, err);
    }
    return rc;
}

static enum xrm_rc batch_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    return process_batch(db, arg, err);
}

/* What a batch counted and noted, to undo when its writes are undone. */
struct batch_mark {
    struct xrm_import_counts c;
    int64_t seq;
    size_t npending;
};

static struct batch_mark batch_mark(const struct run *r)
{
    return (struct batch_mark){r->c, r->seq, json_array_size(r->pending)};
}

static void batch_undo(struct run *r, const struct batch_mark *m)
{
    r->c = m->c;
    r->seq = m->seq;
    while (json_array_size(r->pending) > m->npending)
        json_array_remove(r->pending, json_array_size(r->pending) - 1);
}

/*
 * Writes the rows read so far: first without row savepoints; when a row
 * fails, the batch's writes are undone (its transaction, or in the one
 * transaction of an abort or dry run a savepoint around the batch) and it
 * runs again with a savepoint per row. Same rows written, same errors.
 */
static enum xrm_rc flush(struct run *r, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (!r->nrows)
        return XRM_OK;
    struct batch_mark m = batch_mark(r);
    r->retry = false;
    r->careful = false;
    if (r->txdb) {
        if ((rc = xrm_db_exec(r->txdb, "SAVEPOINT import_batch", err)))
            return rc;
        rc = process_batch(r->txdb, r, err);
        if (rc && r->retry) {
            xrm_err_clear(err);
            rc = xrm_db_exec(r->txdb, "ROLLBACK TO SAVEPOINT import_batch", err);
            batch_undo(r, &m);
            r->careful = true;
            if (!rc)
                rc = process_batch(r->txdb, r, err);
        }
        if (!rc)
            rc = xrm_db_exec(r->txdb, "RELEASE SAVEPOINT import_batch", err);
    } else {
        rc = xrm_store_write_alone(r->ctx->store, batch_tx, r, err);
        if (rc && r->retry) { /* nothing of the batch was written */
            xrm_err_clear(err);
            batch_undo(r, &m);
            r->careful = true;
            rc = xrm_store_write_alone(r->ctx->store, batch_tx, r, err);
        }
        if (rc) /* nothing of the batch was written */
            batch_undo(r, &m);
    }
    r->careful = r->retry = false;
    if (r->c.total < r->c.done)
        r->c.total = r->c.done;
    live_set(r->id, r->c.done, r->c.total);
    if (r->progress && !r->progress(r->parg, r->c.done, r->c.total) && !rc)
        rc = xrm_errf(err, XRM_E_IO, "the import was stopped");
    return rc;
}

static void *writer_main(void *arg)
{
    struct run *r = arg;
    xrm_lang_set(r->lang);
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->busy && !r->quit)
            pthread_cond_wait(&r->cv, &r->mu);
        if (!r->busy)
            break;
        pthread_mutex_unlock(&r->mu);
        struct xrm_err e = XRM_ERR_INIT;
        enum xrm_rc rc = flush(r, &e);
        pthread_mutex_lock(&r->mu);
        if (rc && !r->wrc) {
            r->wrc = rc;
            r->werr = e;
        }
        r->busy = false;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

static bool writer_start(struct run *r)
{
    r->lang = xrm_lang_get();
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->piped = pthread_create(&r->writer, NULL, writer_main, r) == 0;
    if (!r->piped) {
        pthread_mutex_destroy(&r->mu);
        pthread_cond_destroy(&r->cv);
    }
    return r->piped;
}

/* Waits until the writer is done with its batch; its failure, if any. */
static enum xrm_rc writer_wait(struct run *r, struct xrm_err *err)
{
    pthread_mutex_lock(&r->mu);
    while (r->busy)
        pthread_cond_wait(&r->cv, &r->mu);
    enum xrm_rc rc = r->wrc;
    if (rc)
        *err = r->werr;
    pthread_mutex_unlock(&r->mu);
    return rc;
}

static void writer_stop(struct run *r)
{
    if (!r->piped)
        return;
    pthread_mutex_lock(&r->mu);
    r->quit = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    pthread_join(r->writer, NULL);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    r->piped = false;
}

/*
 * The rows read become the batch to write: written here, or handed to the
 * writer thread once it is done with the one before (whose rows are freed
 * here, off the writer's thread). A writer's failure stops the reading.
 */
static enum xrm_rc hand_off(struct run *r, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    if (r->piped)
        rc = writer_wait(r, err);
    rows_release(r->rows, &r->nrows);
    if (rc || !r->nfill)
        return rc;
    struct row *t = r->rows;
    r->rows = r->fill;
    r->nrows = r->nfill;
    r->fill = t;
    r->nfill = 0;
    if (!r->piped) {
        rc = flush(r, err);
        rows_release(r->rows, &r->nrows);
        return rc;
    }
    pthread_mutex_lock(&r->mu);
    r->busy = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return XRM_OK;
}

static enum xrm_rc add_row(struct run *r, long line, json_t *party, const char *bad,
                           struct xrm_err *err)
{
    struct row *w = &r->fill[r->nfill++];
    w->line = line;
    w->party = party;
    w->prep = NULL;
    w->bad = bad ? xrm_strdup(bad) : NULL;
    if (party && !json_is_object(party)) {
        json_decref(party);
        w->party = NULL;
        w->bad = xrm_strdup("expected a JSON object");
    }
    /* Checked on this thread before the write, as the NDJSON bulk import
     * does; an abort or dry run reads inside its transaction and skips it. */
    if (w->party && !r->txdb && r->ctx->db)
        w->prep = xrm_party_prepare(r->ctx->db, &r->ctx->user, w->party);
    xrm_party_defer_search(w->prep);
    if (r->nfill == XRM_IMPORT_BATCH)
        return hand_off(r, err);
    return XRM_OK;
}

static enum xrm_rc csv_row(void *arg, const struct xrm_csv_row *row, struct xrm_err *err)
{
    struct run *r = arg;
    if (!r->header_seen) {
        r->header_seen = true;
        enum xrm_rc rc = xrm_import_map_new(row->fields, row->n, r->o->mapping, &r->map, err);
        if (rc)
            return rc;
        r->columns = xrm_import_map_columns(r->map);
        size_t i;
        json_t *c;
        json_array_foreach(r->columns, i, c) json_object_set_new(c, "samples", json_array());
        return XRM_OK;
    }
    if (r->nsamples < SAMPLES) {
        r->nsamples++;
        for (size_t i = 0; i < row->n && i < json_array_size(r->columns); i++)
            json_array_append_new(json_object_get(json_array_get(r->columns, i), "samples"),
                                  json_string(row->error ? "" : row->fields[i]));
    }
    if (row->error)
        return add_row(r, row->line, NULL, row->error, err);
    json_t *p = xrm_import_map_row(r->map, row->fields, row->n);
    if (!p)
        return XRM_OK; /* a row of empty cells */
    return add_row(r, row->line, p, NULL, err);
}

static enum xrm_rc vcard_card(void *arg, json_t *card, long line, struct xrm_err *err)
{
    return add_row(arg, line, xrm_import_from_vcard(card), NULL, err);
}

static enum xrm_rc ndjson_line(struct run *r, const char *s, size_t n, struct xrm_err *err)
{
    r->ndline++;
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (!n)
        return XRM_OK;
    json_t *p = NULL;
    struct xrm_err perr = XRM_ERR_INIT;
    if (xrm_json_parse(s, n, true, &p, &perr))
        return add_row(r, r->ndline, NULL, perr.nfields ? perr.fields[0].message : perr.message,
                       err);
    return add_row(r, r->ndline, p, NULL, err);
}

static enum xrm_rc ndjson_feed(struct run *r, const char *data, size_t n, bool last,
                               struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    xrm_buf_add(&r->nd, data, n);
    size_t start = 0;
    for (;;) {
        const char *nl = memchr(r->nd.s + start, '\n', r->nd.len - start);
        if (!nl)
            break;
        size_t len = (size_t)(nl - (r->nd.s + start));
        if ((rc = ndjson_line(r, r->nd.s + start, len, err)))
            return rc;
        start += len + 1;
    }
    if (last && start < r->nd.len) {
        rc = ndjson_line(r, r->nd.s + start, r->nd.len - start, err);
        start = r->nd.len;
    }
    if (start) {
        memmove(r->nd.s, r->nd.s + start, r->nd.len - start);
        r->nd.len -= start;
        r->nd.s[r->nd.len] = '\0';
    }
    if (!rc && r->nd.len > NDJSON_LINE_MAX)
        rc = xrm_errf(err, XRM_E_LIMIT, "line %ld is longer than %d bytes", r->ndline + 1,
                      NDJSON_LINE_MAX);
    return rc;
}

/* Rows of the file, roughly (for the progress bar before the end is known). */
static int64_t count_records(const struct run *r, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char *buf = xrm_malloc(CHUNK);
    int64_t n = 0;
    bool quoted = false, content = false;
    ssize_t got;
    while ((got = read(fd, buf, CHUNK)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
            char c = buf[i];
            if (r->o->format == XRM_IMPORT_VCARD) {
                if (c == '\n' && i + 6 < got && strncasecmp(buf + i + 1, "BEGIN:", 6) == 0)
                    n++;
                continue;
            }
            if (c == '"' && r->o->format == XRM_IMPORT_CSV)
                quoted = !quoted;
            else if (c == '\n' && !quoted) {
                n += content;
                content = false;
            } else if (c != '\r' && c != ' ')
                content = true;
        }
    }
    n += content;
    close(fd);
    free(buf);
    if (r->o->format == XRM_IMPORT_CSV && n)
        n--; /* the header */
    if (r->o->format == XRM_IMPORT_VCARD)
        n++; /* the first BEGIN starts the file */
    return n;
}

/* Reads the whole file, batch by batch. */
static enum xrm_rc read_all(struct run *r, const char *path, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *buf = NULL;
    if (fd < 0)
        return xrm_errf(err, XRM_E_IO, "cannot open '%s': %s", path, strerror(errno));
    buf = xrm_malloc(CHUNK);
    ssize_t got;
    while (!rc && (got = read(fd, buf, CHUNK)) > 0) {
        if (r->csv)
            rc = xrm_csv_feed(r->csv, buf, (size_t)got, err);
        else if (r->vc)
            rc = xrm_vcard_feed(r->vc, buf, (size_t)got, err);
        else
            rc = ndjson_feed(r, buf, (size_t)got, false, err);
    }
    if (!rc && got < 0)
        rc = xrm_errf(err, XRM_E_IO, "cannot read '%s': %s", path, strerror(errno));
    if (!rc)
        rc = r->csv  ? xrm_csv_finish(r->csv, err)
             : r->vc ? xrm_vcard_finish(r->vc, err)
                     : ndjson_feed(r, "", 0, true, err);
    if (!rc && r->o->format == XRM_IMPORT_CSV && !r->header_seen)
        rc = xrm_errf(err, XRM_E_MALFORMED, "the file is empty: a CSV file starts with a header");
    if (!rc)
        rc = hand_off(r, err);
    if (r->piped) { /* the last batch written, or the writer idle after a failure */
        struct xrm_err werr = XRM_ERR_INIT;
        enum xrm_rc wrc = writer_wait(r, &werr);
        if (wrc && !rc) {
            rc = wrc;
            *err = werr;
        }
    }
    rows_release(r->rows, &r->nrows);
    close(fd);
    free(buf);
    return rc;
}

struct all_arg {
    struct run *r;
    const char *path;
};

/* An abort or dry run: the whole file in one transaction. */
static enum xrm_rc all_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct all_arg *a = arg;
    a->r->txdb = db;
    enum xrm_rc rc = read_all(a->r, a->path, err);
    a->r->txdb = NULL;
    if (!rc && (a->r->o->dry_run || a->r->c.errors)) {
        a->r->rolled_back = true;
        return xrm_errf(err, XRM_E_CONFLICT, "rolled back");
    }
    return rc;
}

struct finish_arg {
    struct run *r;
    const char *status;
    const char *message;
    bool finished;
};

static enum xrm_rc finish_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct finish_arg *a = arg;
    struct run *r = a->r;
    json_t *file = a->finished ? json_object() : NULL;
    if (file && r->csv) {
        char sep[2] = {xrm_csv_separator(r->csv), '\0'};
        const char *enc = xrm_csv_encoding(r->csv);
        json_object_set_new(file, "separator", json_string(sep[0] ? sep : ","));
        json_object_set_new(file, "encoding", json_string(enc ? enc : "utf-8"));
        json_object_set_new(file, "columns", r->columns ? json_incref(r->columns) : json_array());
    }
    enum xrm_rc rc = store_errors(r, db, err);
    if (!rc)
        rc = xrm_import_db_update(db, r->id, a->status, &r->c, file, a->message, a->finished, err);
    json_decref(file);
    return rc;
}

enum xrm_rc xrm_import_job_run(struct xrm_ctx *ctx, int64_t id, const struct xrm_import_opts *o,
                               const char *path, xrm_import_progress_fn progress, void *arg,
                               struct xrm_err *err)
{
    struct run r = {.ctx = ctx, .id = id, .o = o, .progress = progress, .parg = arg};
    enum xrm_rc rc = XRM_OK;
    char message[300] = "";
    struct xrm_err ferr = XRM_ERR_INIT;
    struct xrm_ctx own = *ctx;

    if (!own.db && (rc = xrm_store_reader(own.store, &own.db, err)))
        return rc;
    r.ctx = &own;
    for (int i = 0; match_names[i]; i++)
        if (o->match & (1u << i))
            r.keys[r.nkeys++] = match_names[i];
    r.rows = xrm_calloc(XRM_IMPORT_BATCH, sizeof(*r.rows));
    r.fill = xrm_calloc(XRM_IMPORT_BATCH, sizeof(*r.fill));
    r.pending = json_array();
    xrm_buf_init(&r.nd, 0);
    if (o->format == XRM_IMPORT_CSV)
        r.csv = xrm_csv_new(csv_row, &r, NULL);
    else if (o->format == XRM_IMPORT_VCARD)
        r.vc = xrm_vcard_new(vcard_card, &r, NULL);
    r.c.total = count_records(&r, path);
    live_set(id, 0, r.c.total);
    {
        struct finish_arg running = {&r, "running", NULL, false};
        if ((rc = xrm_store_write(own.store, finish_tx, &running, err)))
            goto out;
    }
    if (o->dry_run || o->abort_on_error) {
        struct all_arg a = {&r, path};
        rc = xrm_store_write_alone(own.store, all_tx, &a, err);
        if (rc && r.rolled_back) {
            xrm_err_clear(err);
            rc = XRM_OK;
        }
    } else {
        writer_start(&r);
        rc = read_all(&r, path, err);
        writer_stop(&r);
    }
    rows_release(r.rows, &r.nrows);
    rows_release(r.fill, &r.nfill);
    if (!rc && o->abort_on_error && r.c.errors) {
        snprintf(message, sizeof(message),
                 "nothing was imported: %lld rows failed (on_error=abort)", (long long)r.c.errors);
        r.c.created = r.c.updated = 0;
    }
    if (!rc)
        r.c.total = r.c.done;
    struct finish_arg f = {&r, rc ? "failed" : "done",
                           rc ? err->message : (message[0] ? message : NULL), true};
    enum xrm_rc frc = xrm_store_write(own.store, finish_tx, &f, &ferr);
    if (!rc && frc) {
        *err = ferr;
        rc = frc;
    }
out:
    live_set(id, -1, 0);
    if (progress)
        progress(arg, r.c.done, r.c.total);
    xrm_csv_free(r.csv);
    xrm_vcard_free(r.vc);
    xrm_import_map_free(r.map);
    json_decref(r.columns);
    json_decref(r.pending);
    xrm_buf_release(&r.nd);
    free(r.rows);
    free(r.fill);
    malloc_trim(0);
    return rc;
}

struct fail_arg {
    int64_t id;
    const char *message;
};

static enum xrm_rc fail_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct fail_arg *a = arg;
    return xrm_import_db_fail(db, a->id, a->message, err);
}

enum xrm_rc xrm_import_job_fail(struct xrm_store *st, int64_t id, const char *message,
                                struct xrm_err *err)
{
    struct fail_arg a = {id, message};
    return xrm_store_write(st, fail_tx, &a, err);
}

static enum xrm_rc interrupted_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    return xrm_import_db_interrupted(db, "the server stopped before the import ended", err);
}

enum xrm_rc xrm_import_jobs_interrupted(struct xrm_store *st, struct xrm_err *err)
{
    return xrm_store_write(st, interrupted_tx, NULL, err);
}

/* The job as its reader sees it; NOTFOUND for another user's job. */
static enum xrm_rc job_out(struct xrm_ctx *ctx, json_t *job, bool full, struct xrm_err *err)
{
    int64_t owner = json_integer_value(json_object_get(job, "user_id"));
    int64_t id = json_integer_value(json_object_get(job, "id"));
    int64_t done, total;
    if (owner != ctx->user.id && !ctx->user.admin && ctx->user.id != 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no import %lld", (long long)id);
    json_object_del(job, "user_id");
    const char *status = json_string_value(json_object_get(job, "status"));
    if (status && strcmp(status, "running") == 0 && live_get(id, &done, &total)) {
        json_object_set_new(job, "done", json_integer(done));
        json_object_set_new(job, "total", json_integer(total));
    }
    if (!full)
        return XRM_OK;
    json_t *errors = NULL;
    enum xrm_rc rc = xrm_import_db_errors(ctx->db, id, XRM_IMPORT_ERRORS_SHOWN, &errors, err);
    if (!rc)
        json_object_set_new(job, "error_list", errors);
    return rc;
}

enum xrm_rc xrm_import_job_get(struct xrm_ctx *ctx, int64_t id, json_t **out, struct xrm_err *err)
{
    json_t *job = NULL;
    enum xrm_rc rc = xrm_import_db_load(ctx->db, id, &job, err);
    if (!rc)
        rc = job_out(ctx, job, true, err);
    if (rc) {
        json_decref(job);
        return rc;
    }
    *out = job;
    return XRM_OK;
}

enum xrm_rc xrm_import_job_list(struct xrm_ctx *ctx, const struct xrm_page *page, json_t **out,
                                struct xrm_err *err)
{
    const char *cursor = page->cursor;
    int limit = page->limit;
    int64_t before = 0;
    json_t *items = NULL;
    if (cursor && *cursor) {
        json_t *k = xrm_cursor_decode(cursor), *id = json_array_get(k, 0);
        if (json_array_size(k) != 1 || !json_is_integer(id)) {
            json_decref(k);
            return xrm_err_field(err, XRM_E_MALFORMED, "cursor", "not a cursor of this list");
        }
        before = json_integer_value(id);
        json_decref(k);
    }
    bool all = ctx->user.admin || ctx->user.id == 0;
    enum xrm_rc rc =
        xrm_import_db_list(ctx->db, all ? 0 : ctx->user.id, before, limit + 1, &items, err);
    if (rc)
        return rc;
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        json_t *last = json_array_get(items, (size_t)limit - 1);
        json_t *key = json_pack("[O]", json_object_get(last, "id")); /* cursors are arrays */
        char *c = xrm_cursor_encode(key);
        json_decref(key);
        next = json_string(c);
        free(c);
    }
    size_t i;
    json_t *job;
    json_array_foreach(items, i, job) job_out(ctx, job, false, err);
    *out = json_pack("{s:o, s:o}", "items", items, "next", next);
    return XRM_OK;
}

static void csv_error(void *arg, int64_t line, const char *field, const char *code,
                      const char *message)
{
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)line);
    const char *cells[] = {num, field ? field : "", code, message};
    xrm_csv_write_row(arg, cells, NULL, 4);
}

enum xrm_rc xrm_import_job_errors_csv(struct xrm_ctx *ctx, int64_t id, struct xrm_buf *out,
                                      struct xrm_err *err)
{
    json_t *job = NULL;
    enum xrm_rc rc = xrm_import_job_get(ctx, id, &job, err);
    json_decref(job);
    if (rc)
        return rc;
    static const char *const head[] = {"line", "field", "code", "message"};
    xrm_csv_write_bom(out);
    xrm_csv_write_row(out, head, NULL, 4);
    return xrm_import_db_errors_each(ctx->db, id, csv_error, out, err);
}
