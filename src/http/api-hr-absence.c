/*
 * HR absence: the absence list, recovery from sick leave, who is away, the
 * sickness percentage, an employee's leave balance and the Poortwachter
 * steps table. The plain record routes of absences (and approve / reject,
 * which take no body) name their domain function in the route table.
 */
#include "http/api.h"
#include "core/clock.h"
#include "core/json.h"
#include "domain/hr/absence.h"
#include "domain/hr/leave.h"
#include "domain/hr/poortwachter.h"

#include <string.h>

#include "core/banned.h"

void api_absences_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_absence_filter f = {.kind = xrm_query_str(req, "kind"),
                                   .status = xrm_query_str(req, "status"),
                                   .from = xrm_query_str(req, "from"),
                                   .until = xrm_query_str(req, "until"),
                                   .department = xrm_query_str(req, "department")};
    json_t *out = NULL;
    int limit, open = -1;
    const char *cursor;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_id(req, "party", false, &f.party, &err);
    xrm_query_bool(req, "open", &open, &err);
    f.open = open;
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_absence_list(&req->ctx, &f, limit, cursor, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_absences_recover(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    static const char *const keys[] = {"date", NULL};
    json_t *out = NULL, *in = NULL;
    const char *date = NULL;
    if (req->body_len) {
        in = xrm_req_json(req, resp);
        if (!in)
            return;
        if (!json_is_object(in))
            xrm_err_field(&err, XRM_E_MALFORMED, "body", "must be an object");
        else
            xrm_json_only_keys(in, NULL, keys, &err);
        xrm_json_get_str(in, NULL, "date", 10, false, &date, &err);
    }
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_absence_recover(&req->ctx, req->id[0], date, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_absence_overview(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_absence_overview(&req->ctx, xrm_query_str(req, "department"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/* ?year=, default this year. */
static int year_param(struct xrm_req *req, struct xrm_err *err)
{
    char today[XRM_DATE_LEN];
    int64_t y = 0;
    xrm_clock_today(today);
    y = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    xrm_query_int(req, "year", 1900, 2199, "a year", &y, err);
    return (int)y;
}

void api_absence_stats(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int year = year_param(req, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_absence_stats(&req->ctx, year, xrm_query_str(req, "department"), &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_party_leave(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int year = year_param(req, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_leave_balance(&req->ctx, req->id[0], year, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_poortwachter_steps_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_poortwachter_steps(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_poortwachter_steps_put(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL, *in = xrm_req_json(req, resp);
    if (!in)
        return;
    enum xrm_rc rc = xrm_poortwachter_steps_put(&req->ctx, in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 200, NULL);
}
