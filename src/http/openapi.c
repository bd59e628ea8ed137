/*
 * OpenAPI 3.1 document: operations generated from the route table (tag,
 * request and response schema names), component schemas from
 * openapi-schemas.c, every failure as problem+json. Built once on first use.
 */
#include "http/openapi.h"
#include "core/util.h"
#include "http/openapi-schemas.h"
#include "http/http.h"
#include "core/buf.h"
#include "core/mem.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *text;

/* A route's success status. */
static int success(const struct xrm_route *r)
{
    if (r->status)
        return r->status;
    if (strcmp(r->method, "POST") == 0)
        return 201;
    if (strcmp(r->method, "DELETE") == 0)
        return 204;
    return 200;
}

/* The media type of a body named in the route table ("Name", "Name?" or a media type). */
static const char *media(const char *name)
{
    return strchr(name, '/') ? name : "application/json";
}

/* The schema of a body named in the route table: a component or plain text. */
static json_t *schema(const char *name)
{
    char ref[128];
    size_t len = strlen(name);
    if (strcmp(name, "OpenApiDocument") == 0)
        return json_pack("{s:s, s:s}", "type", "object", "description", "this OpenAPI document");
    if (strchr(name, '/'))
        return json_pack("{s:s}", "type", "string");
    if (len && name[len - 1] == '?') /* an optional body */
        len--;
    snprintf(ref, sizeof(ref), "#/components/schemas/%.*s", (int)len, name);
    return json_pack("{s:s}", "$ref", ref);
}

/* The problem+json answers (4xx) and which routes can give them. */
enum when { ALWAYS, AUTH, BODY, INPUT, VERSIONED, WRITE };
struct problem_status {
    const char *status;
    const char *name;
    enum when when;
    const char *description;
};
static const struct problem_status problems[] = {
    {"400", "Malformed", ALWAYS, "malformed request: a body that is not JSON, a bad parameter"},
    {"401", "Unauthenticated", AUTH, "no valid token or session"},
    {"403", "Denied", AUTH, "the user lacks the right for this record or domain"},
    {"404", "NotFound", INPUT, "no such record, or one the user may not see"},
    {"409", "Conflict", WRITE, "conflicts with the current state (a duplicate, a record in use)"},
    {"412", "PreconditionFailed", VERSIONED, "If-Match names an older version"},
    {"428", "PreconditionRequired", VERSIONED, "the update needs an If-Match header"},
    {"413", "TooLarge", BODY, "the body is larger than this route accepts"},
    {"415", "UnsupportedMediaType", BODY, "the body is not of the expected media type"},
    {"422", "Invalid", INPUT, "invalid input; errors[] names each field"},
    {"429", "TooManyRequests", ALWAYS, "too many requests; try again later"},
};

/* "Update roles/{id}" for PATCH /api/v1/roles/{id}. */
static json_t *summary(const struct xrm_route *r)
{
    const char *verb = strcmp(r->method, "POST") == 0               ? "Create"
                       : strcmp(r->method, "PATCH") == 0            ? "Update"
                       : strcmp(r->method, "DELETE") == 0           ? "Delete"
                       : r->response && strstr(r->response, "List") ? "List"
                                                                    : "Read";
    const char *what = strncmp(r->pattern, "/api/v1/", 8) == 0 ? r->pattern + 8 : r->pattern + 1;
    if (r->status == 200 && strcmp(r->method, "POST") == 0)
        verb = "Run";
    return json_sprintf("%s %s", verb, what);
}

/* The methods of the JSON API; routes of any other (WebDAV's) are left out. */
static const char *const api_methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};

/* The groups of the document, in the order of the route table. */
static const struct {
    const char *name;
    const char *description;
} tags[] = {
    {"system", "the service itself: liveness and this document"},
    {"session", "sign-in sessions, API tokens and users"},
    {"parties", "the people and organizations every other record hangs from"},
    {"roles", "roles a party plays (customer, employee, supplier...) and their types"},
    {"relationships", "relationships between two parties and their types"},
    {"activities", "notes, calls, meetings, tasks... and bulk import"},
    {"rules", "treatment rules and segments (saved party queries)"},
    {"privacy", "audit trail, consent, export and erasure, retention"},
    {"sales", "pipelines, deals and the forecast"},
    {"tasks", "tasks, the calendar feed and automations"},
    {"service", "cases (tickets) and their messages, agreements"},
    {"data", "data in and out: import jobs, exports, duplicates and merges"},
    {"hr", "HR: departments, the org chart, employment history, absence, on- and offboarding "
           "checklists, recruitment"},
    /* suppliers and public relations */
    {"suppliers", "supplier evaluations, ratings and scorecards"},
    {"pr", "projects and their stakeholders, press releases and letters"},
    /* campaigns */
    {"campaigns", "e-mail campaigns to a segment's may_email parties, one-click unsubscribe"},
    /* e-mail sending */
    {"mail", "e-mail to parties, templates, the outbox and the mail settings"},
    /* CardDAV and CalDAV */
    {"dav", "the CardDAV and CalDAV account: server addresses, address books, synced segments"},
    /* webhooks */
    {"webhooks", "signed webhooks: subscriptions, the delivery log, replays"},
};

/*
 * Languages: every operation takes Accept-Language; the problem answers
 * name theirs in Content-Language (title, detail and errors[].message follow
 * the language; code, errors[].code and errors[].field do not).
 */
static json_t *accept_language(void)
{
    return json_pack("{s:s, s:s, s:b, s:s, s:{s:s}, s:s}", "name", "Accept-Language", "in",
                     "header", "required", 0, "description",
                     "the language of messages (problem title and detail, errors[].message): "
                     "nl or nl-* with the highest q-value gives Dutch, anything else English",
                     "schema", "type", "string", "example", "nl-NL,nl;q=0.9,en;q=0.8");
}

/*
 * The OpenAPI path of a route: its pattern, with a second and later {id}
 * named {id2}, {id3} (a path template names each parameter once:
 * "/webhooks/{id}/deliveries/{id2}/replay"). The number of {id}s into *nids.
 */
static void api_path(const char *pattern, char *out, size_t n, int *nids)
{
    size_t o = 0;
    int ids = 0;
    for (const char *p = pattern; *p && o + 1 < n;) {
        if (strncmp(p, "{id}", 4) == 0) {
            int w = ++ids == 1 ? snprintf(out + o, n - o, "{id}")
                               : snprintf(out + o, n - o, "{id%d}", ids);
            if (w < 0 || (size_t)w >= n - o)
                break;
            o += (size_t)w;
            p += 4;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    *nids = ids;
}

/* Turns "/api/v1/parties/{id}" into the OpenAPI operation and its parameters. */
static json_t *operation(const struct xrm_route *r)
{
    json_t *op = json_object();
    json_t *params = json_array();
    char opid[128];
    size_t n = 0;

    opid[0] = '\0';
    for (const char *m = r->method; *m && n < sizeof(opid) - 1; m++)
        opid[n++] = (char)(*m | 0x20);
    for (const char *p = r->pattern; *p && n < sizeof(opid) - 1; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            opid[n++] = c;
        else if (c == '/' || c == '-' || c == '{')
            opid[n++] = '_';
    }
    opid[n] = '\0';
    json_object_set_new(op, "operationId", json_string(opid));
    json_object_set_new(op, "summary", summary(r));
    char path[256];
    int nids = 0;
    api_path(r->pattern, path, sizeof(path), &nids);
    for (int i = 1; i <= nids; i++) {
        char name[8];
        snprintf(name, sizeof(name), i == 1 ? "id" : "id%d", i);
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", name, "in", "path",
                                        "required", 1, "schema", "type", "integer", "minimum", 1));
    }
    if (strstr(r->pattern, "{name}"))
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "name", "in",
                                                "path", "required", 1, "schema", "type", "string"));
    if (strcmp(r->method, "GET") == 0 && r->response && strstr(r->response, "List")) {
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:{s:s, s:i, s:i, s:i}}", "name", "limit", "in",
                                        "query", "schema", "type", "integer", "minimum", 1,
                                        "maximum", XRM_LIST_MAX, "default", XRM_LIST_DEFAULT));
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", "cursor", "in",
                                                "query", "schema", "type", "string"));
        if (strcmp(r->pattern, "/api/v1/parties") == 0)
            json_array_append_new(
                params,
                json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", "q", "in", "query", "description",
                          "query language: role:X -role:X tag:X city:X kind:person "
                          "type.attr:value supplier.rating>=4 customer.status:active "
                          "priority:high badge:\"...\" health:at_risk has:email may:email "
                          "deal:open case:open agreement:expiring revenue>100000 idle:90d "
                          "\"phrase\" words (a '-' before a term negates it)",
                          "schema", "type", "string"));
    }
    if (r->query) {
        json_t *qs = xrm_openapi_query_schema(r->pattern, r->query);
        json_t *req = json_object_get(qs, "required");
        const char *name;
        json_t *prop;
        json_object_foreach(json_object_get(qs, "properties"), name, prop)
        {
            bool needed = false;
            size_t i;
            json_t *v;
            json_array_foreach(req, i, v) needed |= strcmp(json_string_value(v), name) == 0;
            json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:O}", "name", name, "in",
                                                    "query", "required", needed, "schema", prop));
        }
        json_decref(qs);
    }
    if (strcmp(r->method, "PATCH") == 0 || strcmp(r->method, "DELETE") == 0)
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", "If-Match", "in",
                                                "header", "schema", "type", "string"));
    if (strcmp(r->method, "POST") == 0)
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", "Idempotency-Key",
                                                "in", "header", "schema", "type", "string"));
    json_array_append_new(params, accept_language());
    json_object_set_new(op, "parameters", params);
    if (r->request)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:o}}}", "required",
                                      r->request[strlen(r->request) - 1] != '?', "content",
                                      media(r->request), "schema", schema(r->request)));
    json_t *responses = json_object();
    char ok[8];
    snprintf(ok, sizeof(ok), "%d", success(r));
    json_t *answer = json_pack("{s:s}", "description", r->response ? "success" : "done, no body");
    if (r->response)
        json_object_set_new(
            answer, "content",
            json_pack("{s:{s:o}}", media(r->response), "schema", schema(r->response)));
    json_object_set_new(responses, ok, answer);
    /* A degraded node answers its health with 503 (and the problem media type). */
    if (r->response && strcmp(r->response, "Health") == 0)
        json_object_set_new(responses, "503",
                            json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
                                      "degraded: the node takes no writes (storage full, disk "
                                      "low)",
                                      "content", "application/problem+json", "schema", "$ref",
                                      "#/components/schemas/Health"));
    /* Operations: a node draining for a stop, or without its database, is not ready. */
    if (r->response && strcmp(r->response, "Readiness") == 0)
        json_object_set_new(responses, "503",
                            json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
                                      "not ready: draining, or the database not reachable",
                                      "content", "application/problem+json", "schema", "$ref",
                                      "#/components/schemas/Readiness"));
    for (size_t i = 0; i < sizeof(problems) / sizeof(problems[0]); i++) {
        const struct problem_status *ps = &problems[i];
        /* query parameters are input too: a bad value answers 422, an unknown id 404 */
        bool body = r->request != NULL, param = strchr(r->pattern, '{') != NULL || r->query;
        bool versioned = strcmp(r->method, "PATCH") == 0 || strcmp(r->method, "DELETE") == 0;
        bool yes = ps->when == ALWAYS || (ps->when == AUTH && r->auth != XRM_AUTH_NONE) ||
                   (ps->when == BODY && body) || (ps->when == INPUT && (body || param)) ||
                   (ps->when == VERSIONED && versioned) ||
                   (ps->when == WRITE && strcmp(r->method, "GET") != 0);
        if (!yes)
            continue;
        char ref[64];
        snprintf(ref, sizeof(ref), "#/components/responses/%s", ps->name);
        json_object_set_new(responses, ps->status, json_pack("{s:s}", "$ref", ref));
    }
    json_object_set_new(responses, "default",
                        json_pack("{s:s}", "$ref", "#/components/responses/Failure"));
    json_object_set_new(op, "responses", responses);
    json_object_set_new(op, "tags", json_pack("[s]", r->tag ? r->tag : "system"));
    if (r->auth == XRM_AUTH_NONE || r->auth == XRM_AUTH_FEED) /* the feed: a secret path */
        json_object_set_new(op, "security", json_array());
    return op;
}

/* The Content-Language header of the problem answers (see accept_language). */
static void add_language(json_t *comp)
{
    json_object_set_new(
        comp, "headers",
        json_pack("{s:{s:s, s:{s:s, s:[s, s]}}}", "ContentLanguage", "description",
                  "the language of the problem's title and detail (from Accept-Language)", "schema",
                  "type", "string", "enum", "en", "nl"));
}

/* A problem+json answer with its Content-Language header. */
static json_t *problem_response(const char *description)
{
    return json_pack("{s:s, s:{s:{s:s}}, s:{s:{s:{s:s}}}}", "description", description, "headers",
                     "Content-Language", "$ref", "#/components/headers/ContentLanguage", "content",
                     "application/problem+json", "schema", "$ref", "#/components/schemas/Problem");
}

/* The shared problem+json answers, by when a route can give them. */
static void add_problem_responses(json_t *comp)
{
    json_t *all = json_object();
    for (size_t i = 0; i < sizeof(problems) / sizeof(problems[0]); i++)
        json_object_set_new(all, problems[i].name, problem_response(problems[i].description));
    json_object_set_new(all, "Failure",
                        problem_response("the request was not carried out (a server error, a "
                                         "full disk or an unavailable database)"));
    json_object_set_new(comp, "responses", all);
}

static void build(void)
{
    json_t *doc =
        json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:{}, s:{s:{s:{s:s, s:s}}}, s:[{s:[]}]}",
                  "openapi", "3.1.0", "info", "title", "xrm API", "version", "1", "description",
                  "XRM: every relationship of a business in one system", "servers", "url", "/",
                  "paths", "components", "securitySchemes", "bearer", "type", "http", "scheme",
                  "bearer", "security", "bearer");
    json_t *comp = json_object_get(doc, "components");
    json_t *tag_list = json_array();
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
        json_array_append_new(tag_list, json_pack("{s:s, s:s}", "name", tags[i].name, "description",
                                                  tags[i].description));
    json_object_set_new(doc, "tags", tag_list);
    json_t *schemas = json_object();
    xrm_openapi_schemas(schemas);
    json_object_set_new(comp, "schemas", schemas);
    add_language(comp);
    add_problem_responses(comp);
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        if (!xrm_str_in(api_methods, r->method))
            continue; /* WebDAV (method "*" or PROPFIND; http/dav.h) is no part of the JSON API */
        char path[256];
        int nids;
        api_path(r->pattern, path, sizeof(path), &nids);
        json_t *item = json_object_get(paths, path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, path, item);
        }
        char m[8];
        size_t k = 0;
        for (; r->method[k] && k < sizeof(m) - 1; k++)
            m[k] = (char)(r->method[k] | 0x20);
        m[k] = '\0';
        json_object_set_new(item, m, operation(r));
    }
    text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
}

const char *xrm_openapi_text(void)
{
    pthread_once(&once, build);
    return text ? text : "{}";
}
