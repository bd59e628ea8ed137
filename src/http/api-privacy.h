/*
 * HTTP handlers for the audit trail, consent, GDPR export and erasure, and
 * retention (api-privacy.c).
 */
#ifndef XRM_HTTP_API_PRIVACY_H
#define XRM_HTTP_API_PRIVACY_H

#include "http/http.h"

void api_audit_list(struct xrm_req *req, struct xrm_resp *resp);
void api_party_consents_create(struct xrm_req *req, struct xrm_resp *resp);
void api_retention_rules_list(struct xrm_req *req, struct xrm_resp *resp);
void api_retention_rules_update(struct xrm_req *req, struct xrm_resp *resp);
void api_retention_run(struct xrm_req *req, struct xrm_resp *resp);

#endif
