/*
 * HTTP handlers for login sessions (/api/v1/session) and users
 * (/api/v1/users), in api-users.c.
 */
#ifndef XRM_HTTP_API_USERS_H
#define XRM_HTTP_API_USERS_H

#include "http/http.h"

void api_session_create(struct xrm_req *req, struct xrm_resp *resp);
void api_session_get(struct xrm_req *req, struct xrm_resp *resp);
void api_session_delete(struct xrm_req *req, struct xrm_resp *resp);
/* POST /api/v1/session/password: the signed-in user changes their own password. */
void api_session_password(struct xrm_req *req, struct xrm_resp *resp);

void api_users_list(struct xrm_req *req, struct xrm_resp *resp);
void api_users_create(struct xrm_req *req, struct xrm_resp *resp);
void api_users_update(struct xrm_req *req, struct xrm_resp *resp);

#endif
