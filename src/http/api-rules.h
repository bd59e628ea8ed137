/*
 * Treatment handlers: treatment rules (api-rules.c), segments
 * (api-segments.c) and the 360° view of a party (api-view.c).
 */
#ifndef XRM_HTTP_API_RULES_H
#define XRM_HTTP_API_RULES_H

#include "http/http.h"

/* api-rules.c */
void api_rules_list(struct xrm_req *req, struct xrm_resp *resp);
void api_rules_simulate(struct xrm_req *req, struct xrm_resp *resp);

/* api-segments.c */
void api_segments_list(struct xrm_req *req, struct xrm_resp *resp);
void api_segments_members_csv(struct xrm_req *req, struct xrm_resp *resp);

/* api-view.c */

#endif
