/*
 * Sales handlers: pipelines, deals and the forecast (api-sales.c);
 * cases and agreements (api-cases.c); tasks, the calendar feed and
 * automations (api-tasks.c). Registered in routes.c.
 */
#ifndef XRM_HTTP_API_SALES_H
#define XRM_HTTP_API_SALES_H

#include "http/http.h"

/* api-sales.c */
void api_pipelines_list(struct xrm_req *req, struct xrm_resp *resp);
void api_pipelines_board(struct xrm_req *req, struct xrm_resp *resp);
void api_forecast(struct xrm_req *req, struct xrm_resp *resp);
void api_deals_list(struct xrm_req *req, struct xrm_resp *resp);
void api_deals_activities(struct xrm_req *req, struct xrm_resp *resp);
/* POST /api/v1/deals/{id}/activities: a note, call, meeting or e-mail on the deal. */
void api_deals_activity_create(struct xrm_req *req, struct xrm_resp *resp);

/* api-cases.c */
void api_cases_message_create(struct xrm_req *req, struct xrm_resp *resp);
void api_agreements_list(struct xrm_req *req, struct xrm_resp *resp);
void api_agreements_activities(struct xrm_req *req, struct xrm_resp *resp);

/* api-tasks.c */
void api_tasks_list(struct xrm_req *req, struct xrm_resp *resp);
void api_calendar_feed_get(struct xrm_req *req, struct xrm_resp *resp);
void api_calendar_feed_create(struct xrm_req *req, struct xrm_resp *resp);
void api_calendar_feed_delete(struct xrm_req *req, struct xrm_resp *resp);
void api_calendar_ics(struct xrm_req *req, struct xrm_resp *resp);
void api_automations_list(struct xrm_req *req, struct xrm_resp *resp);
void api_automations_run(struct xrm_req *req, struct xrm_resp *resp);
void api_automations_status(struct xrm_req *req, struct xrm_resp *resp);

#endif
