/*
 * NDJSON bulk import. Lines are parsed (and party lines checked and
 * normalised, each as it is read) before the write starts, so the writer
 * (shared by every request) is held only for the inserts.
 */
#include "domain/party/import.h"
#include "domain/base/access.h"
#include "domain/party/activity.h"
#include "domain/base/audit.h"
#include "domain/party/party.h"
#include "domain/party/relationship.h"
#include "core/json.h"
#include "core/json-fast.h"
#include "core/mem.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *const entity_names[] = {"party", "relationship", "activity"};

struct import_arg {
    const struct xrm_user *user;
    enum xrm_import_kind kind;
    size_t n;                       /* records read */
    json_t *records;                /* relationship and activity objects */
    struct xrm_party_new **parties; /* party lines, prepared as they are read */
    json_t *lines;                  /* line number of each record */
    json_t *ids;
};

/* Prefixes every field error with "[LINE]." so the client knows the line. */
static void prefix_fields(struct xrm_err *err, long line)
{
    int n = err->nfields < XRM_ERR_MAX_FIELDS ? err->nfields : XRM_ERR_MAX_FIELDS;
    for (int i = 0; i < n; i++) {
        char f[96];
        snprintf(f, sizeof(f), "[%ld].%s", line, err->fields[i].field);
        memcpy(err->fields[i].field, f, sizeof(f));
    }
    char m[256];
    snprintf(m, sizeof(m), "line %ld: %s", line, err->message);
    memcpy(err->message, m, sizeof(m));
}

static enum xrm_rc import_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct import_arg *a = arg;
    enum xrm_rc rc = XRM_OK;

    xrm_audit_batch(true);
    for (size_t i = 0; i < a->n; i++) {
        json_t *rec = json_array_get(a->records, i);
        int64_t id = 0;
        json_t *out = NULL;
        switch (a->kind) {
        case XRM_IMPORT_PARTIES:
            rc = xrm_party_insert_prepared_tx(db, a->user, a->parties[i], &id, err);
            break;
        case XRM_IMPORT_RELATIONSHIPS:
            rc = xrm_relationship_insert_tx(db, a->user, rec, "", &out, err);
            break;
        case XRM_IMPORT_ACTIVITIES:
            rc = xrm_activity_insert_tx(db, a->user, rec, "", &out, err);
            break;
        }
        if (out) {
            id = json_integer_value(json_object_get(out, "id"));
            json_decref(out);
        }
        if (rc) {
            xrm_audit_batch(false);
            prefix_fields(err, (long)json_integer_value(json_array_get(a->lines, i)));
            return rc;
        }
        json_array_append_new(a->ids, json_integer(id));
    }
    xrm_audit_batch(false);
    size_t n = json_array_size(a->ids);
    if (!n)
        return XRM_OK;
    json_t *summary =
        json_pack("{s:I, s:O, s:O}", "count", (json_int_t)n, "first_id", json_array_get(a->ids, 0),
                  "last_id", json_array_get(a->ids, n - 1));
    rc = xrm_audit_add(db, a->user, "import", entity_names[a->kind],
                       json_integer_value(json_array_get(a->ids, 0)), NULL, summary, err);
    json_decref(summary);
    return rc;
}

enum xrm_rc xrm_import_ndjson(struct xrm_ctx *ctx, enum xrm_import_kind kind, const char *body,
                              size_t len, json_t **out, struct xrm_err *err)
{
    struct import_arg a = {&ctx->user, kind, 0, json_array(), NULL, json_array(), json_array()};
    enum xrm_rc rc = XRM_OK;
    size_t pos = 0, cap = 0;
    long line = 0;

    /* Creating parties needs write access to a domain; the roles of each
     * line are checked against their own domains as the line is prepared. */
    if (kind == XRM_IMPORT_PARTIES && (rc = xrm_access_party_create(&ctx->user, err)))
        goto out;
    while (pos < len) {
        const char *start = body + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        while (n && (start[n - 1] == '\r' || start[n - 1] == ' '))
            n--;
        if (!n)
            continue;
        char f[32];
        snprintf(f, sizeof(f), "[%ld]", line);
        if (n > XRM_IMPORT_MAX_LINE) {
            rc = xrm_err_field(err, XRM_E_LIMIT, f, "line is longer than %d bytes",
                               XRM_IMPORT_MAX_LINE);
            goto out;
        }
        if (a.n >= XRM_IMPORT_MAX_LINES) {
            rc = xrm_err_field(err, XRM_E_LIMIT, f, "a batch has at most %d records",
                               XRM_IMPORT_MAX_LINES);
            goto out;
        }
        json_t *rec = xrm_json_parse_fast(start, n);
        struct xrm_err perr = XRM_ERR_INIT;
        if (!rec && xrm_json_parse(start, n, true, &rec, &perr)) {
            rc = xrm_err_field(err, XRM_E_MALFORMED, f, "%s",
                               perr.nfields ? perr.fields[0].message : perr.message);
            goto out;
        }
        if (kind == XRM_IMPORT_PARTIES) {
            /* Checked and made ready here, on this request's thread, as soon
             * as it is read (its parsed line is freed at once, so the next
             * line reuses the memory): the writer, shared by every request,
             * then only runs the SQL. */
            if (a.n == cap) {
                cap = cap * 2 + 64;
                a.parties = xrm_realloc(a.parties, cap * sizeof(*a.parties));
            }
            a.parties[a.n] = xrm_party_prepare(ctx->db, &ctx->user, rec);
            json_decref(rec);
        } else {
            json_array_append_new(a.records, rec);
        }
        a.n++;
        json_array_append_new(a.lines, json_integer(line));
    }
    if (!a.n) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body",
                           "expected one JSON object per line (application/x-ndjson)");
        goto out;
    }
    rc = xrm_store_write_alone(ctx->store, import_tx, &a, err);
    if (!rc)
        *out = json_pack("{s:I, s:O}", "created", (json_int_t)json_array_size(a.ids), "ids", a.ids);
out:
    if (a.parties)
        for (size_t i = 0; i < a.n; i++)
            xrm_party_new_free(a.parties[i]);
    free(a.parties);
    json_decref(a.records);
    json_decref(a.lines);
    json_decref(a.ids);
    /*
     * An import request frees tens of MB (its parsed lines, and the pages the
     * writer allocated for them) in whichever malloc arenas its threads
     * used; glibc keeps them all mapped, so a long import grew the server
     * past 800 MB. Give the free pages back once per request.
     */
    malloc_trim(0);
    return rc;
}
