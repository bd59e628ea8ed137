/*
 * The route table: every endpoint on one screen, with its handler, who may
 * call it and how large a body it accepts.
 */
#include "http/api.h"
#include "http/api-privacy.h"
#include "http/api-users.h"
#include "http/api-rules.h"
#include "http/api-sales.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

#define MB (1024 * 1024)

const struct xrm_route xrm_routes[] = {
    {"GET", "/healthz", api_health, XRM_AUTH_NONE, 0, false},
    {"GET", "/api/v1/openapi.json", api_openapi, XRM_AUTH_NONE, 0, false},
    {"POST", "/api/v1/session", api_session_create, XRM_AUTH_NONE, 4096, false},
    {"GET", "/api/v1/tokens", api_tokens_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/tokens", api_tokens_create, XRM_AUTH_USER, 4096, false},
    {"DELETE", "/api/v1/tokens/{id}", api_tokens_delete, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/users", api_users_create, XRM_AUTH_ADMIN, 4096, false},
    {"GET", "/api/v1/parties", api_parties_list, XRM_AUTH_USER, 0, true},
    {"POST", "/api/v1/parties", api_parties_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/parties/{id}", api_parties_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/parties/{id}", api_parties_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/parties/{id}", api_parties_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/parties/{id}/roles", api_party_roles_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/parties/{id}/roles", api_party_roles_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/parties/{id}/timeline", api_party_timeline, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/roles/{id}", api_roles_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/roles/{id}", api_roles_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/roles/{id}", api_roles_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/role-types", api_role_types_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/role-types", api_role_types_create, XRM_AUTH_ADMIN, MB, false},
    {"GET", "/api/v1/role-types/{name}", api_role_types_get, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/relationship-types", api_relationship_types_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/relationship-types", api_relationship_types_create, XRM_AUTH_ADMIN, MB,
     false},
    {"POST", "/api/v1/relationships", api_relationships_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/relationships/{id}", api_relationships_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/relationships/{id}", api_relationships_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/relationships/{id}", api_relationships_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/activities", api_activities_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/activities", api_activities_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/activities/{id}", api_activities_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/activities/{id}", api_activities_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/activities/{id}", api_activities_delete, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/import/parties", api_import_parties, XRM_AUTH_USER, 16 * MB, false},
    {"POST", "/api/v1/import/relationships", api_import_relationships, XRM_AUTH_USER, 16 * MB,
     false},
    {"POST", "/api/v1/import/activities", api_import_activities, XRM_AUTH_USER, 16 * MB, false},
    /* issue 5: treatment rules, segments, the 360° view */
    {"GET", "/api/v1/rules", api_rules_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/rules", api_rules_create, XRM_AUTH_ADMIN, MB, false},
    {"POST", "/api/v1/rules/simulate", api_rules_simulate, XRM_AUTH_ADMIN, MB, false},
    {"GET", "/api/v1/rules/{id}", api_rules_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/rules/{id}", api_rules_update, XRM_AUTH_ADMIN, MB, false},
    {"DELETE", "/api/v1/rules/{id}", api_rules_delete, XRM_AUTH_ADMIN, 0, false},
    {"GET", "/api/v1/segments", api_segments_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/segments", api_segments_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/segments/{id}", api_segments_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/segments/{id}", api_segments_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/segments/{id}", api_segments_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/segments/{id}/members", api_segments_members, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/segments/{id}/members.csv", api_segments_members_csv, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/parties/{id}/view", api_party_view, XRM_AUTH_USER, 0, false},
    /* issue 4: sessions, users and access, audit trail, consent, GDPR, retention */
    {"GET", "/api/v1/session", api_session_get, XRM_AUTH_USER, 0, false},
    {"DELETE", "/api/v1/session", api_session_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/users", api_users_list, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/users/{id}", api_users_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/users/{id}", api_users_update, XRM_AUTH_ADMIN, 4096, false},
    {"GET", "/api/v1/users/{id}/tokens", api_users_tokens, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/audit", api_audit_list, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/parties/{id}/consents", api_party_consents_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/parties/{id}/consents", api_party_consents_create, XRM_AUTH_USER, 16384,
     false},
    {"GET", "/api/v1/parties/{id}/export", api_party_export, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/parties/{id}/erase", api_party_erase, XRM_AUTH_ADMIN, 1024, false},
    {"GET", "/api/v1/retention/rules", api_retention_rules_list, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/retention/rules/{id}", api_retention_rules_update, XRM_AUTH_ADMIN, 4096,
     false},
    {"POST", "/api/v1/retention/run", api_retention_run, XRM_AUTH_ADMIN, 1024, false},
    /* issue 6: pipelines and deals, tasks and the calendar feed, automations, cases, agreements */
    {"GET", "/api/v1/pipelines", api_pipelines_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/pipelines", api_pipelines_create, XRM_AUTH_ADMIN, MB, false},
    {"GET", "/api/v1/pipelines/{id}", api_pipelines_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/pipelines/{id}", api_pipelines_update, XRM_AUTH_ADMIN, MB, false},
    {"DELETE", "/api/v1/pipelines/{id}", api_pipelines_delete, XRM_AUTH_ADMIN, 0, false},
    {"GET", "/api/v1/pipelines/{id}/board", api_pipelines_board, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/forecast", api_forecast, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/deals", api_deals_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/deals", api_deals_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/deals/{id}", api_deals_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/deals/{id}", api_deals_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/deals/{id}", api_deals_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/deals/{id}/history", api_deals_history, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/deals/{id}/activities", api_deals_activities, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/tasks", api_tasks_list, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/calendar-feed", api_calendar_feed_get, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/calendar-feed", api_calendar_feed_create, XRM_AUTH_USER, 0, false},
    {"DELETE", "/api/v1/calendar-feed", api_calendar_feed_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/ical/{name}", api_calendar_ics, XRM_AUTH_FEED, 0, false},
    {"GET", "/api/v1/automations", api_automations_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/automations", api_automations_create, XRM_AUTH_ADMIN, MB, false},
    {"POST", "/api/v1/automations/run", api_automations_run, XRM_AUTH_ADMIN, 0, false},
    {"GET", "/api/v1/automations/status", api_automations_status, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/automations/{id}", api_automations_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/automations/{id}", api_automations_update, XRM_AUTH_ADMIN, MB, false},
    {"DELETE", "/api/v1/automations/{id}", api_automations_delete, XRM_AUTH_ADMIN, 0, false},
    {"GET", "/api/v1/cases", api_cases_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/cases", api_cases_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/cases/{id}", api_cases_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/cases/{id}", api_cases_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/cases/{id}", api_cases_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/cases/{id}/messages", api_cases_messages, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/cases/{id}/messages", api_cases_message_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/agreements", api_agreements_list, XRM_AUTH_USER, 0, false},
    {"POST", "/api/v1/agreements", api_agreements_create, XRM_AUTH_USER, MB, false},
    {"GET", "/api/v1/agreements/{id}", api_agreements_get, XRM_AUTH_USER, 0, false},
    {"PATCH", "/api/v1/agreements/{id}", api_agreements_update, XRM_AUTH_USER, MB, false},
    {"DELETE", "/api/v1/agreements/{id}", api_agreements_delete, XRM_AUTH_USER, 0, false},
    {"GET", "/api/v1/agreements/{id}/activities", api_agreements_activities, XRM_AUTH_USER, 0,
     false},
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
                if (nid >= XRM_MAX_PARAMS || !xrm_parse_int(seg, 1, INT64_MAX, &v) || seg[0] == '0')
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

const struct xrm_route *xrm_route_match(const char *method, const char *path, struct xrm_req *req,
                                        char *allow, size_t allow_len)
{
    size_t used = 0;
    allow[0] = '\0';
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        if (strcmp(r->method, method) == 0 && match(r->pattern, path, req))
            return r;
    }
    /* No route for this method: say which methods the path has (405), if any. */
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        if (!match(r->pattern, path, NULL))
            continue;
        int n = snprintf(allow + used, allow_len - used, "%s%s", used ? ", " : "", r->method);
        if (n > 0 && (size_t)n < allow_len - used)
            used += (size_t)n;
        if (strcmp(r->method, "GET") == 0) {
            n = snprintf(allow + used, allow_len - used, ", HEAD");
            if (n > 0 && (size_t)n < allow_len - used)
                used += (size_t)n;
        }
    }
    return NULL;
}
