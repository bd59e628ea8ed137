/*
 * Query parameters read one way for every handler (http.h): what counts as
 * absent, how ids, numbers, booleans and pages are spelled, and the field
 * error a bad value gets.
 */
#include "http/http.h"
#include "core/messages.h"
#include "core/util.h"

#include <string.h>

#include "core/banned.h"

const char *xrm_query_str(struct xrm_req *req, const char *key)
{
    const char *v = xrm_req_query(req, key);
    return v && *v ? v : NULL;
}

bool xrm_query_int(struct xrm_req *req, const char *key, int64_t min, int64_t max, const char *what,
                   int64_t *out, struct xrm_err *err)
{
    const char *v = xrm_query_str(req, key);
    int64_t n;
    if (!v)
        return true;
    if (xrm_parse_int(v, min, max, &n)) {
        *out = n;
        return true;
    }
    if (what)
        xrm_err_field(err, XRM_E_MALFORMED, key, "must be %s, %lld to %lld", xrm_msg(what),
                      (long long)min, (long long)max);
    else
        xrm_err_field(err, XRM_E_MALFORMED, key, "must be an integer from %lld to %lld",
                      (long long)min, (long long)max);
    return false;
}

bool xrm_query_id(struct xrm_req *req, const char *key, bool me, int64_t *out, struct xrm_err *err)
{
    const char *v = xrm_query_str(req, key);
    int64_t id;
    if (!v)
        return true;
    if (me && strcmp(v, "me") == 0) {
        *out = req->ctx.user.id;
        return true;
    }
    if (xrm_parse_int(v, 1, INT64_MAX, &id)) {
        *out = id;
        return true;
    }
    xrm_err_field(err, XRM_E_MALFORMED, key, me ? "must be a user id or \"me\"" : "must be an id");
    return false;
}

bool xrm_query_bool(struct xrm_req *req, const char *key, int *out, struct xrm_err *err)
{
    const char *v = xrm_query_str(req, key);
    if (!v)
        return true;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = 1;
        return true;
    }
    if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0) {
        *out = 0;
        return true;
    }
    xrm_err_field(err, XRM_E_MALFORMED, key, "must be true or false");
    return false;
}

bool xrm_query_flag(struct xrm_req *req, const char *key, bool *out, struct xrm_err *err)
{
    const char *v = xrm_query_str(req, key);
    if (!v)
        return true;
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0) {
        *out = true;
        return true;
    }
    xrm_err_field(err, XRM_E_MALFORMED, key, "must be 1 or true");
    return false;
}

bool xrm_query_page(struct xrm_req *req, int max, int *limit, const char **cursor,
                    struct xrm_err *err)
{
    int64_t v = max < XRM_LIST_DEFAULT ? max : XRM_LIST_DEFAULT;
    bool ok = xrm_query_int(req, "limit", 1, max, NULL, &v, err);
    *limit = (int)v;
    *cursor = xrm_query_str(req, "cursor");
    return ok;
}

bool xrm_req_page(struct xrm_req *req, struct xrm_resp *resp, int *limit, const char **cursor)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_query_page(req, XRM_LIST_MAX, limit, cursor, &err))
        return true;
    xrm_resp_error(resp, err.rc, &err);
    return false;
}
