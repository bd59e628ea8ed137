/*
 * Resource handlers, one file per resource (api-*.c), all registered in the
 * route table in routes.c.
 */
#ifndef XRM_HTTP_API_H
#define XRM_HTTP_API_H

#include "http/http.h"

/* api-misc.c */
void api_health(struct xrm_req *req, struct xrm_resp *resp);
void api_openapi(struct xrm_req *req, struct xrm_resp *resp);
void api_tokens_list(struct xrm_req *req, struct xrm_resp *resp);
void api_tokens_create(struct xrm_req *req, struct xrm_resp *resp);
void api_tokens_delete(struct xrm_req *req, struct xrm_resp *resp);

/* api-parties.c */
void api_parties_list(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_create(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_get(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_update(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_delete(struct xrm_req *req, struct xrm_resp *resp);

/* api-roles.c */
void api_party_roles_list(struct xrm_req *req, struct xrm_resp *resp);
void api_party_roles_create(struct xrm_req *req, struct xrm_resp *resp);
void api_roles_get(struct xrm_req *req, struct xrm_resp *resp);
void api_roles_update(struct xrm_req *req, struct xrm_resp *resp);
void api_roles_delete(struct xrm_req *req, struct xrm_resp *resp);
void api_role_types_list(struct xrm_req *req, struct xrm_resp *resp);
void api_role_types_get(struct xrm_req *req, struct xrm_resp *resp);
void api_role_types_create(struct xrm_req *req, struct xrm_resp *resp);

/* api-relationships.c */
void api_relationship_types_list(struct xrm_req *req, struct xrm_resp *resp);
void api_relationship_types_create(struct xrm_req *req, struct xrm_resp *resp);
void api_relationships_create(struct xrm_req *req, struct xrm_resp *resp);
void api_relationships_get(struct xrm_req *req, struct xrm_resp *resp);
void api_relationships_update(struct xrm_req *req, struct xrm_resp *resp);
void api_relationships_delete(struct xrm_req *req, struct xrm_resp *resp);

/* api-activities.c */
void api_activities_list(struct xrm_req *req, struct xrm_resp *resp);
void api_activities_create(struct xrm_req *req, struct xrm_resp *resp);
void api_activities_get(struct xrm_req *req, struct xrm_resp *resp);
void api_activities_update(struct xrm_req *req, struct xrm_resp *resp);
void api_activities_delete(struct xrm_req *req, struct xrm_resp *resp);
void api_party_timeline(struct xrm_req *req, struct xrm_resp *resp);

/* api-import.c */
void api_import_parties(struct xrm_req *req, struct xrm_resp *resp);
void api_import_relationships(struct xrm_req *req, struct xrm_resp *resp);
void api_import_activities(struct xrm_req *req, struct xrm_resp *resp);

/* api-duplicates.c: duplicates of a party and the scan of all pairs */
void api_party_duplicates(struct xrm_req *req, struct xrm_resp *resp);
void api_duplicates_scan(struct xrm_req *req, struct xrm_resp *resp);
/* api-imports.c: import jobs, run one at a time by a thread the server starts and stops */
void api_imports_create(struct xrm_req *req, struct xrm_resp *resp);
void api_imports_list(struct xrm_req *req, struct xrm_resp *resp);
void api_imports_get(struct xrm_req *req, struct xrm_resp *resp);
void api_imports_errors_csv(struct xrm_req *req, struct xrm_resp *resp);
struct xrm_store;
void api_imports_start(struct xrm_store *st);
void api_imports_stop(void);
/* api-merges.c: merging duplicate parties */
void api_parties_merge(struct xrm_req *req, struct xrm_resp *resp);
void api_merges_get(struct xrm_req *req, struct xrm_resp *resp);
void api_merges_undo(struct xrm_req *req, struct xrm_resp *resp);

/*
 * Shared handler plumbing (api-misc.c): answer a domain result. On rc ==
 * XRM_OK sends out with status ok_status (and Location for 201 when
 * location_prefix is given: prefix + out.id); otherwise the error.
 * Takes ownership of out.
 */
void api_reply(struct xrm_resp *resp, enum xrm_rc rc, const struct xrm_err *err, json_t *out,
               int ok_status, const char *location_prefix);

#endif
