/*
 * Documents on records over HTTP (domain/docs/document.h): the upload of a
 * raw body (its Content-Type; the name in X-Filename, percent-encoded
 * UTF-8 as encodeURIComponent makes it), the list of a record's documents,
 * one document, its content and its preview, delete.
 *
 * Content: served with nosniff (server.c, every answer) and a
 * Content-Disposition naming the file (RFC 6266: an ASCII fallback and
 * filename*=UTF-8''...). Only images and PDF may be shown inline
 * (?inline=true, for previews in the web app); everything else, HTML and
 * SVG above all, is an attachment, and a type outside the table below is
 * sent as application/octet-stream, so a document never runs as a page of
 * this origin.
 */
#include "http/api.h"
#include "domain/docs/document.h"
#include "core/buf.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* The types sent as they are (static strings: the response keeps the pointer). */
static const struct {
    const char *type;
    bool inline_ok;
} served[] = {
    {"image/png", true},
    {"image/jpeg", true},
    {"image/gif", true},
    {"image/webp", true},
    {"application/pdf", true},
    {"text/plain", false},
    {"text/csv", false},
    {"application/zip", false},
    {"application/msword", false},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", false},
    {"application/vnd.ms-excel", false},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation", false},
    {"application/vnd.oasis.opendocument.text", false},
    {"application/vnd.oasis.opendocument.spreadsheet", false},
    {"message/rfc822", false},
    {"application/xml", false},
    {"application/json", false},
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* X-Filename with %XX decoded (a '%' not followed by two hex digits stays). Malloc'd or NULL. */
static char *filename_header(struct xrm_req *req)
{
    const char *h = xrm_req_header(req, "X-Filename");
    if (!h)
        return NULL;
    struct xrm_buf b;
    xrm_buf_init(&b, strlen(h) + 1);
    for (const char *p = h; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hexval((unsigned char)p[1])) >= 0 &&
            (lo = hexval((unsigned char)p[2])) >= 0) {
            char c = (char)(hi * 16 + lo);
            if (c) /* never a NUL inside the name */
                xrm_buf_addc(&b, c);
            p += 2;
        } else {
            xrm_buf_addc(&b, *p);
        }
    }
    return xrm_buf_detach(&b, NULL);
}

void api_documents_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    char *name = filename_header(req);
    const char *type = xrm_req_header(req, "Content-Type");
    enum xrm_rc rc =
        xrm_document_add(&req->ctx, xrm_query_str(req, "record"), xrm_query_str(req, "domain"),
                         name, type ? type : "application/octet-stream", req->body ? req->body : "",
                         req->body_len, &out, &err);
    free(name);
    api_reply(resp, rc, &err, out, 201, "/api/v1/documents/");
}

void api_documents_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_document_list(&req->ctx, xrm_query_str(req, "record"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_document_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_document_get(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_document_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_document_delete(&req->ctx, req->id[0], &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

/* Appends s percent-encoded as RFC 8187 attr-chars allow. */
static void add_ext_value(struct xrm_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p)) {
            xrm_buf_addc(b, (char)*p);
        } else {
            xrm_buf_addc(b, '%');
            xrm_buf_addc(b, hex[*p >> 4]);
            xrm_buf_addc(b, hex[*p & 15]);
        }
    }
}

/*
 * Content-Disposition: inline or attachment; filename="ASCII fallback"
 * (other characters, quotes and backslashes as '_'); filename*=UTF-8''...
 */
static void disposition(struct xrm_resp *resp, bool inl, const char *name)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 256);
    xrm_buf_adds(&b, inl ? "inline; filename=\"" : "attachment; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p >= 0x80) {
            while ((p[1] & 0xc0) == 0x80) /* one '_' per character */
                p++;
            xrm_buf_addc(&b, '_');
        } else {
            xrm_buf_addc(&b, *p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7f ? '_' : (char)*p);
        }
    }
    xrm_buf_adds(&b, "\"; filename*=UTF-8''");
    add_ext_value(&b, name);
    if (b.len < sizeof(resp->disposition))
        xrm_strlcpy(resp->disposition, b.s, sizeof(resp->disposition));
    else /* cannot happen for a name of at most 255 bytes; still a safe answer */
        xrm_strlcpy(resp->disposition, inl ? "inline" : "attachment", sizeof(resp->disposition));
    xrm_buf_release(&b);
}

void api_document_content(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *doc = NULL;
    void *data = NULL;
    size_t len = 0;
    const char *inl = xrm_query_str(req, "inline");
    bool want_inline = inl && (strcmp(inl, "true") == 0 || strcmp(inl, "1") == 0);
    if (inl && !want_inline && strcmp(inl, "false") != 0 && strcmp(inl, "0") != 0) {
        xrm_err_field(&err, XRM_E_MALFORMED, "inline", "must be true or false");
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc = xrm_document_content(&req->ctx, req->id[0], &doc, &data, &len, &err);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return;
    }
    const char *type = json_string_value(json_object_get(doc, "type"));
    const char *sent = "application/octet-stream";
    bool inline_ok = false;
    for (size_t i = 0; type && i < sizeof(served) / sizeof(served[0]); i++) {
        if (strcmp(type, served[i].type) == 0) {
            sent = served[i].type;
            inline_ok = served[i].inline_ok;
        }
    }
    disposition(resp, want_inline && inline_ok, json_string_value(json_object_get(doc, "name")));
    json_decref(doc);
    resp->status = 200;
    resp->raw = data; /* owned by resp now */
    resp->raw_len = len;
    resp->content_type = sent;
    resp->cache = "private, no-cache";
}

void api_document_preview(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf png;
    xrm_buf_init(&png, 64 * 1024);
    enum xrm_rc rc = xrm_document_preview(&req->ctx, req->id[0], &png, &err);
    if (rc) {
        xrm_buf_release(&png);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = xrm_buf_detach(&png, &resp->raw_len); /* owned by resp now */
    resp->content_type = "image/png";
    resp->cache = "private, no-cache";
}
