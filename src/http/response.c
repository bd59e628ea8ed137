/*
 * Responses: JSON bodies and RFC 9457 problem details. The one place that
 * maps enum xrm_rc to HTTP statuses.
 *
 * A problem's title and detail are in the language of the request
 * (core/messages.h: the server sets it from Accept-Language), which the
 * answer names in Content-Language; its code and its errors' codes and
 * fields stay the same in every language.
 */
#include "http/http.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

int xrm_status_for(enum xrm_rc rc)
{
    switch (rc) {
    case XRM_OK:
        return 200;
    case XRM_E_MALFORMED:
        return 400;
    case XRM_E_INVALID:
        return 422;
    case XRM_E_NOTFOUND:
        return 404;
    case XRM_E_CONFLICT:
        return 409;
    case XRM_E_PRECONDITION:
        return 412;
    case XRM_E_DENIED:
        return 403;
    case XRM_E_UNAUTH:
        return 401;
    case XRM_E_LIMIT:
        return 413;
    case XRM_E_FULL:
        return 507;
    case XRM_E_DB:
    case XRM_E_IO:
    case XRM_E_INTERNAL:
        return 500;
    }
    return 500;
}

const char *xrm_status_title(int status)
{
    switch (status) {
    case 400:
        return XRM_MSG_KEY("Bad Request");
    case 401:
        return XRM_MSG_KEY("Unauthorized");
    case 403:
        return XRM_MSG_KEY("Forbidden");
    case 404:
        return XRM_MSG_KEY("Not Found");
    case 405:
        return XRM_MSG_KEY("Method Not Allowed");
    case 409:
        return XRM_MSG_KEY("Conflict");
    case 412:
        return XRM_MSG_KEY("Precondition Failed");
    case 413:
        return XRM_MSG_KEY("Content Too Large");
    case 415:
        return XRM_MSG_KEY("Unsupported Media Type");
    case 422:
        return XRM_MSG_KEY("Unprocessable Content");
    case 428:
        return XRM_MSG_KEY("Precondition Required");
    case 429:
        return XRM_MSG_KEY("Too Many Requests");
    case 500:
        return XRM_MSG_KEY("Internal Server Error");
    case 503:
        return XRM_MSG_KEY("Service Unavailable");
    case 507:
        return XRM_MSG_KEY("Insufficient Storage");
    }
    return XRM_MSG_KEY("Error");
}

void xrm_resp_json(struct xrm_resp *resp, int status, json_t *json)
{
    json_decref(resp->json);
    resp->status = status;
    resp->json = json;
}

void xrm_resp_empty(struct xrm_resp *resp, int status)
{
    json_decref(resp->json);
    resp->json = NULL;
    resp->status = status;
}

/* The stable code of a problem without a more precise one. */
static const char *status_code(int status)
{
    switch (status) {
    case 400:
        return "malformed";
    case 401:
        return "unauthenticated";
    case 403:
        return "denied";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 409:
        return "conflict";
    case 412:
        return "precondition_failed";
    case 413:
        return "too_large";
    case 415:
        return "unsupported_media_type";
    case 422:
        return "invalid";
    case 428:
        return "precondition_required";
    case 429:
        return "too_many_requests";
    case 503:
        return "unavailable";
    case 507:
        return "storage_full";
    }
    return "internal";
}

/* title and detail are in the thread's language already (NULL: the status's title). */
static json_t *problem(int status, const char *code, const char *title, const char *detail)
{
    const char *name = xrm_msg(xrm_status_title(status));
    return json_pack("{s:s, s:s, s:i, s:s, s:s, s:[]}", "type", "about:blank", "title",
                     title ? title : name, "status", status, "detail",
                     detail && *detail ? detail : name, "code", code ? code : status_code(status),
                     "errors");
}

/*
 * Operations: a 5xx keeps its cause for the server's log line (server.c
 * run_request logs it with the request id); the client sees none of it.
 */
static void note_cause(struct xrm_resp *resp, int status, enum xrm_rc rc, const char *msg)
{
    if (status < 500)
        return;
    xrm_strlcpy(resp->cause, msg && *msg ? msg : "(no message)", sizeof(resp->cause));
    resp->cause_rc = (int)rc;
}

void xrm_resp_problem(struct xrm_resp *resp, int status, const char *detail)
{
    note_cause(resp, status, XRM_E_INTERNAL, detail);
    xrm_resp_json(resp, status, problem(status, NULL, NULL, xrm_msg(detail)));
}

void xrm_resp_problem_code(struct xrm_resp *resp, int status, const char *code, const char *detail)
{
    note_cause(resp, status, XRM_E_INTERNAL, detail);
    xrm_resp_json(resp, status, problem(status, code, NULL, xrm_msg(detail)));
}

/* A problem of rc and err, not yet sent. */
static json_t *error_problem(enum xrm_rc rc, const struct xrm_err *err, int *status_out)
{
    /* A write that failed on a full disk says so, whatever its caller made of it. */
    if (err && err->rc == XRM_E_FULL)
        rc = XRM_E_FULL;
    int status = xrm_status_for(rc);
    const char *detail = err && err->message[0] ? err->message : NULL;
    const char *title = NULL;
    if (status == 500)
        detail = xrm_msg("internal error; the request was not carried out");
    if (rc == XRM_E_FULL) {
        title = xrm_msg("Storage full");
        detail = xrm_msg("the database has no room left; nothing was written. Free disk space "
                         "(or raise the database's size limit) and try again");
    }
    json_t *p =
        problem(status, err && err->rc == rc && err->code[0] ? err->code : NULL, title, detail);
    if (err && status != 500 && rc != XRM_E_FULL) {
        json_t *list = json_object_get(p, "errors");
        int n = err->nfields < XRM_ERR_MAX_FIELDS ? err->nfields : XRM_ERR_MAX_FIELDS;
        for (int i = 0; i < n; i++) {
            json_t *f = json_pack("{s:s, s:s}", "field", err->fields[i].field, "message",
                                  err->fields[i].message);
            if (err->fields[i].code[0])
                json_object_set_new(f, "code", json_string(err->fields[i].code));
            json_array_append_new(list, f);
        }
    }
    *status_out = status;
    return p;
}

void xrm_resp_error(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err)
{
    int status;
    json_t *p = error_problem(rc, err, &status);
    note_cause(resp, status, err && err->rc ? err->rc : rc, err ? err->message : NULL);
    xrm_resp_json(resp, status, p);
}

/* Duplicates: a problem that carries what the client needs to decide (candidates). */
void xrm_resp_error_with(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err,
                         const char *key, json_t *value)
{
    int status;
    json_t *p = error_problem(rc, err, &status);
    if (key && value && status != 500)
        json_object_set(p, key, value);
    note_cause(resp, status, err && err->rc ? err->rc : rc, err ? err->message : NULL);
    xrm_resp_json(resp, status, p);
}
