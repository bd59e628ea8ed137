/*
 * HTTP handlers for tasks (/api/v1/tasks), the calendar feed
 * (/api/v1/calendar-feed to make, see and revoke the caller's secret URL;
 * /api/v1/ical/{secret}.ics, the feed itself, whose secret server.c checks) and automations
 * (/api/v1/automations[/{id}], /run, /status); the rules live in
 * domain/task.c and automation.c, the iCalendar format in io/ical.c.
 *
 * GET /api/v1/tasks: mine=1 (or assignee=ID | me) groups open tasks as
 * overdue / today / upcoming; limit caps each group. The feed takes
 * tasks=vtodo to get tasks as VTODO instead of events.
 */
#include "http/api-sales.h"
#include "http/api.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/util.h"
#include "domain/records/automation.h"
#include "domain/mail/outbox.h"
#include "domain/records/task.h"
#include "io/ical.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void api_tasks_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int limit;
    const char *cursor;
    bool mine = false;
    int64_t assignee = req->ctx.user.id;
    if (!xrm_req_page(req, resp, &limit, &cursor))
        return;
    xrm_query_flag(req, "mine", &mine, &err);
    xrm_query_id(req, "assignee", true, &assignee, &err);
    if (mine && assignee != req->ctx.user.id)
        xrm_err_field(&err, XRM_E_MALFORMED, "assignee", "contradicts mine=1");
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_task_mine(&req->ctx, assignee, xrm_query_str(req, "group"), limit, cursor, &out,
                           &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_calendar_feed_get(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_calendar_feed_get(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_calendar_feed_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_calendar_feed_create(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 201, NULL);
}

void api_calendar_feed_delete(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_calendar_feed_revoke(&req->ctx, &err);
    api_reply(resp, rc, &err, NULL, 204, NULL);
}

/* The feed of the user its secret names (XRM_AUTH_FEED in server.c). */
void api_calendar_ics(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    char calname[128];
    json_t *items = NULL;
    const char *tasks = xrm_query_str(req, "tasks");
    if (tasks && strcmp(tasks, "vtodo") != 0 && strcmp(tasks, "vevent") != 0) {
        xrm_err_field(&err, XRM_E_MALFORMED, "tasks", "must be vevent or vtodo");
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    enum xrm_rc rc = xrm_calendar_feed_items(&req->ctx, &items, &err);
    if (rc) {
        xrm_resp_error(resp, rc, &err);
        return;
    }
    snprintf(calname, sizeof(calname), "xrm: %s", req->ctx.user.name);
    resp->raw =
        xrm_ical_feed(items, calname, xrm_clock_now_t(), tasks && strcmp(tasks, "vtodo") == 0,
                      xrm_mail_public_url(), &resp->raw_len);
    resp->content_type = "text/calendar; charset=utf-8";
    resp->status = 200;
    json_decref(items);
}

void api_automations_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_automation_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_automations_run(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_automation_run(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_automations_status(struct xrm_req *req, struct xrm_resp *resp)
{
    (void)req;
    xrm_resp_json(resp, 200, xrm_automation_status());
}
