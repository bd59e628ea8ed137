/*
 * /api/v1/parties/export.csv, .vcf and .ndjson: the parties of a query or
 * segment as a file, streamed page by page (server.c calls the stream on
 * the connection's thread, each page in a read snapshot of its own), so an
 * export of any size holds one page in memory. What the reader may not see
 * is left out by the domain (domain/exchange/export.h).
 */
#include "http/api-export.h"
#include "core/clock.h"
#include "core/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

struct export_stream {
    struct xrm_export *e;
    struct xrm_ctx ctx; /* store and user; db is the one of each call */
};

static enum xrm_rc export_next(void *cls, struct xrm_db *db, struct xrm_buf *out, bool *done)
{
    struct export_stream *s = cls;
    struct xrm_err err = XRM_ERR_INIT;
    s->ctx.db = db;
    enum xrm_rc rc = xrm_export_next(s->e, &s->ctx, out, done, &err);
    s->ctx.db = NULL;
    return rc;
}

static void export_free(void *cls)
{
    struct export_stream *s = cls;
    xrm_export_free(s->e);
    free(s);
}

void api_export_send(struct xrm_req *req, struct xrm_resp *resp, const struct xrm_export_opts *o,
                     const char *stem)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_export *e = NULL;
    enum xrm_rc rc = xrm_export_new(&req->ctx, o, &e, &err);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return;
    }
    struct export_stream *s = xrm_calloc(1, sizeof(*s));
    s->e = e;
    s->ctx = req->ctx;
    s->ctx.db = NULL;
    resp->stream = xrm_calloc(1, sizeof(*resp->stream));
    resp->stream->next = export_next;
    resp->stream->free = export_free;
    resp->stream->cls = s;
    resp->status = 200;
    resp->content_type = xrm_export_media_type(o->format);
    char today[XRM_DATE_LEN];
    xrm_clock_today(today);
    snprintf(resp->disposition, sizeof(resp->disposition), "attachment; filename=\"xrm-%s-%s.%s\"",
             stem, today, xrm_export_extension(o->format));
}

static void export(struct xrm_req *req, struct xrm_resp *resp, enum xrm_export_format f)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_export_opts o = {.format = f, .q = xrm_query_str(req, "q")};
    const char *headers = xrm_query_str(req, "headers");
    char stem[48] = "parties";

    xrm_query_id(req, "segment", false, &o.segment, &err);
    if (headers && strcmp(headers, "nl") == 0)
        o.dutch = true;
    else if (headers && strcmp(headers, "en") != 0)
        xrm_err_field(&err, XRM_E_MALFORMED, "headers", "must be en or nl");
    if (err.rc) {
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    if (o.segment)
        snprintf(stem, sizeof(stem), "segment-%lld", (long long)o.segment);
    api_export_send(req, resp, &o, stem);
}

void api_parties_export_csv(struct xrm_req *req, struct xrm_resp *resp)
{
    export(req, resp, XRM_EXPORT_CSV);
}

void api_parties_export_vcf(struct xrm_req *req, struct xrm_resp *resp)
{
    export(req, resp, XRM_EXPORT_VCARD);
}

void api_parties_export_ndjson(struct xrm_req *req, struct xrm_resp *resp)
{
    export(req, resp, XRM_EXPORT_NDJSON);
}
