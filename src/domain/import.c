/*
 * NDJSON bulk import. Lines are parsed (and party lines checked and
 * normalised) before the write starts, so the writer (shared by every
 * request) is held only for the inserts.
 */
#include "domain/import.h"
#include "domain/activity.h"
#include "domain/audit.h"
#include "domain/party.h"
#include "domain/relationship.h"
#include "core/json.h"
#include "core/json-fast.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *const entity_names[] = {"party", "relationship", "activity"};

struct import_arg {
    const struct xrm_user *user;
    enum xrm_import_kind kind;
    json_t *records; /* array of objects */
    json_t *lines;   /* line number of each record */
    json_t *ids;
    struct xrm_party_new **parties; /* prepared party lines, in record order */
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
    size_t i;
    json_t *rec;
    enum xrm_rc rc = XRM_OK;

    xrm_audit_batch(true);
    json_array_foreach(a->records, i, rec)
    {
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
    struct import_arg a = {&ctx->user, kind, json_array(), json_array(), json_array(), NULL};
    enum xrm_rc rc = XRM_OK;
    size_t pos = 0;
    long line = 0;

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
        if (json_array_size(a.records) >= XRM_IMPORT_MAX_LINES) {
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
        json_array_append_new(a.records, rec);
        json_array_append_new(a.lines, json_integer(line));
    }
    if (!json_array_size(a.records)) {
        rc = xrm_err_field(err, XRM_E_MALFORMED, "body",
                           "expected one JSON object per line (application/x-ndjson)");
        goto out;
    }
    if (kind == XRM_IMPORT_PARTIES) {
        /* Checked and made ready here, on this request's thread: the writer,
         * shared by every request, then only runs the SQL. */
        size_t n = json_array_size(a.records);
        a.parties = xrm_calloc(n, sizeof(*a.parties));
        for (size_t i = 0; i < n; i++)
            a.parties[i] = xrm_party_prepare(ctx->db, &ctx->user, json_array_get(a.records, i));
    }
    rc = xrm_store_write(ctx->store, import_tx, &a, err);
    if (!rc)
        *out = json_pack("{s:I, s:O}", "created", (json_int_t)json_array_size(a.ids), "ids", a.ids);
out:
    if (a.parties)
        for (size_t i = 0; i < json_array_size(a.records); i++)
            xrm_party_new_free(a.parties[i]);
    free(a.parties);
    json_decref(a.records);
    json_decref(a.lines);
    json_decref(a.ids);
    return rc;
}
