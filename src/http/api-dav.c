/*
 * The JSON side of CardDAV and CalDAV: the user's DAV account (GET
 * /api/v1/dav, the synced-segment marks) and a party's photo (GET, PUT,
 * DELETE /api/v1/parties/{id}/photo). The WebDAV protocol itself is
 * http/dav.c.
 *
 * The account's addresses start from --public-url (XRM_PUBLIC_URL) when it
 * was given, else from the Host header the browser sent (checked to be a
 * plain host[:port], else the listen address): behind a TLS proxy set
 * --public-url, as the scheme cannot be told from here.
 */
#include "http/api.h"
#include "domain/dav/account.h"
#include "domain/mail/outbox.h" /* the public base URL */
#include "domain/party/party.h"
#include "domain/party/photo.h"
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define HOST_MAX 255

/* A Host header we may put into a URL: letters, digits, '.', '-', ':' and IPv6 brackets. */
static bool host_ok(const char *h)
{
    size_t n = h ? strlen(h) : 0;
    if (n == 0 || n > HOST_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return false;
    }
    return true;
}

/* The public base URL without a trailing slash, into b. */
static void base_url(struct xrm_req *req, struct xrm_buf *b)
{
    const char *given = xrm_public_url_given();
    const char *host = xrm_req_header(req, "Host");
    if (given) {
        xrm_buf_adds(b, given);
    } else if (host_ok(host)) {
        xrm_buf_adds(b, "http://");
        xrm_buf_adds(b, host);
    } else {
        xrm_buf_adds(b, xrm_mail_public_url());
    }
}

static void reply_account(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf base = XRM_BUF_INIT;
    json_t *out = NULL;
    base_url(req, &base);
    enum xrm_rc rc = xrm_dav_account(&req->ctx, base.s, &out, &err);
    xrm_buf_release(&base);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_dav_get(struct xrm_req *req, struct xrm_resp *resp)
{
    reply_account(req, resp);
}

void api_dav_segment_put(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_dav_segment_mark(&req->ctx, req->id[0], true, &err);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return;
    }
    reply_account(req, resp);
}

void api_dav_segment_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_dav_segment_mark(&req->ctx, req->id[0], false, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

/* The stored media type as a static string (the response keeps the pointer). */
static const char *static_type(const char *t)
{
    static const char *const types[] = {"image/jpeg", "image/png", "image/gif", "image/webp"};
    for (size_t i = 0; t && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(t, types[i]) == 0)
            return types[i];
    return "application/octet-stream";
}

void api_party_photo_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    char *type = NULL, sha[65] = "";
    unsigned char *data = NULL;
    size_t len = 0;
    enum xrm_rc rc = xrm_party_photo_get(&req->ctx, req->id[0], &type, &data, &len, sha, &err);
    if (rc) {
        free(type);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    resp->status = 200;
    resp->raw = (char *)data; /* owned by resp now */
    resp->raw_len = len;
    resp->content_type = static_type(type);
    free(type);
    /* 128 bits of the SHA-256 make the ETag (resp->etag's size); If-None-Match gives 304 */
    snprintf(resp->etag, sizeof(resp->etag), "\"%.32s\"", sha);
    resp->cache = "private, no-cache";
}

void api_party_photo_put(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    const char *type = xrm_req_header(req, "Content-Type");
    enum xrm_rc rc = xrm_party_photo_put(&req->ctx, req->id[0], type, req->body ? req->body : "",
                                         req->body_len, &err);
    if (rc == XRM_E_INVALID && strcmp(err.code, "unsupported_media_type") == 0) {
        xrm_resp_problem_code(resp, 415, "unsupported_media_type",
                              "a photo must be a JPEG, PNG, GIF or WebP image");
        return;
    }
    if (!rc)
        rc = xrm_party_get(&req->ctx, req->id[0], &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_party_photo_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_party_photo_delete(&req->ctx, req->id[0], &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}
