/*
 * The route table: every endpoint on one screen, with its handler, who may
 * call it and how large a body it accepts.
 */
#include "http/api.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define MB (1024 * 1024)

const struct xrm_route xrm_routes[] = {
    {"GET", "/healthz", api_health, XRM_AUTH_NONE, 0},
    {"GET", "/api/v1/openapi.json", api_openapi, XRM_AUTH_NONE, 0},
    {"POST", "/api/v1/session", api_session_create, XRM_AUTH_NONE, 4096},
    {"GET", "/api/v1/tokens", api_tokens_list, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/tokens", api_tokens_create, XRM_AUTH_USER, 4096},
    {"DELETE", "/api/v1/tokens/{id}", api_tokens_delete, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/users", api_users_create, XRM_AUTH_ADMIN, 4096},
    {"GET", "/api/v1/parties", api_parties_list, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/parties", api_parties_create, XRM_AUTH_USER, MB},
    {"GET", "/api/v1/parties/{id}", api_parties_get, XRM_AUTH_USER, 0},
    {"PATCH", "/api/v1/parties/{id}", api_parties_update, XRM_AUTH_USER, MB},
    {"DELETE", "/api/v1/parties/{id}", api_parties_delete, XRM_AUTH_USER, 0},
    {"GET", "/api/v1/parties/{id}/roles", api_party_roles_list, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/parties/{id}/roles", api_party_roles_create, XRM_AUTH_USER, MB},
    {"GET", "/api/v1/parties/{id}/timeline", api_party_timeline, XRM_AUTH_USER, 0},
    {"GET", "/api/v1/roles/{id}", api_roles_get, XRM_AUTH_USER, 0},
    {"PATCH", "/api/v1/roles/{id}", api_roles_update, XRM_AUTH_USER, MB},
    {"DELETE", "/api/v1/roles/{id}", api_roles_delete, XRM_AUTH_USER, 0},
    {"GET", "/api/v1/role-types", api_role_types_list, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/role-types", api_role_types_create, XRM_AUTH_ADMIN, MB},
    {"GET", "/api/v1/role-types/{name}", api_role_types_get, XRM_AUTH_USER, 0},
    {"GET", "/api/v1/relationship-types", api_relationship_types_list, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/relationship-types", api_relationship_types_create, XRM_AUTH_ADMIN, MB},
    {"POST", "/api/v1/relationships", api_relationships_create, XRM_AUTH_USER, MB},
    {"GET", "/api/v1/relationships/{id}", api_relationships_get, XRM_AUTH_USER, 0},
    {"PATCH", "/api/v1/relationships/{id}", api_relationships_update, XRM_AUTH_USER, MB},
    {"DELETE", "/api/v1/relationships/{id}", api_relationships_delete, XRM_AUTH_USER, 0},
    {"GET", "/api/v1/activities", api_activities_list, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/activities", api_activities_create, XRM_AUTH_USER, MB},
    {"GET", "/api/v1/activities/{id}", api_activities_get, XRM_AUTH_USER, 0},
    {"PATCH", "/api/v1/activities/{id}", api_activities_update, XRM_AUTH_USER, MB},
    {"DELETE", "/api/v1/activities/{id}", api_activities_delete, XRM_AUTH_USER, 0},
    {"POST", "/api/v1/import/parties", api_import_parties, XRM_AUTH_USER, 16 * MB},
    {"POST", "/api/v1/import/relationships", api_import_relationships, XRM_AUTH_USER, 16 * MB},
    {"POST", "/api/v1/import/activities", api_import_activities, XRM_AUTH_USER, 16 * MB},
};
const size_t xrm_nroutes = sizeof(xrm_routes) / sizeof(xrm_routes[0]);

/* Matches one path against a pattern, collecting parameters into req. */
static bool match(const char *pat, const char *path, struct xrm_req *req)
{
    int nid = 0, nname = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            bool is_id = strncmp(pat, "{id}", 4) == 0;
            const char *end = strchr(path, '/');
            size_t len = end ? (size_t)(end - path) : strlen(path);
            char seg[64];
            if (len == 0 || len >= sizeof(seg))
                return false;
            memcpy(seg, path, len);
            seg[len] = '\0';
            if (is_id) {
                int64_t v;
                if (nid >= XRM_MAX_PARAMS || !xrm_parse_int(seg, 1, INT64_MAX, &v) ||
                    seg[0] == '0')
                    return false;
                if (req)
                    req->id[nid] = v;
                nid++;
            } else {
                if (nname >= XRM_MAX_PARAMS)
                    return false;
                if (req)
                    req->name[nname] = path;
                nname++;
            }
            pat = strchr(pat, '}') + 1;
            path += len;
            continue;
        }
        if (*pat != *path)
            return false;
        pat++;
        path++;
    }
    return *pat == '\0' && *path == '\0';
}

const struct xrm_route *xrm_route_match(const char *method, const char *path,
                                        struct xrm_req *req, char *allow, size_t allow_len)
{
    const struct xrm_route *found = NULL;
    size_t used = 0;
    allow[0] = '\0';
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        if (!match(r->pattern, path, NULL))
            continue;
        if (strcmp(r->method, method) == 0 && !found) {
            found = r;
            match(r->pattern, path, req);
        }
        int n = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", r->method);
        if (n > 0 && (size_t)n < allow_len - used)
            used += (size_t)n;
        if (strcmp(r->method, "GET") == 0) {
            n = snprintf(allow + used, allow_len - used, ", HEAD");
            if (n > 0 && (size_t)n < allow_len - used)
                used += (size_t)n;
        }
    }
    return found;
}
