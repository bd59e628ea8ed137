/*
 * OpenAPI 3.1 document: operations generated from the route table, with
 * hand-written component schemas for the stable resource shapes of
 * DESIGN.md. Built once on first use.
 */
#include "http/openapi.h"
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

static const char schemas[] =
    "{"
    "\"Problem\":{\"type\":\"object\",\"required\":[\"status\",\"title\"],\"properties\":{"
    "\"type\":{\"type\":\"string\"},\"title\":{\"type\":\"string\"},\"status\":{\"type\":"
    "\"integer\"},\"detail\":{\"type\":\"string\"},\"code\":{\"type\":\"string\"},"
    "\"errors\":{\"type\":\"array\",\"items\":{"
    "\"type\":\"object\",\"properties\":{\"field\":{\"type\":\"string\"},\"message\":{\"type\":"
    "\"string\"}}}}}},"
    "\"ContactPoint\":{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\"},"
    "\"value\":{\"type\":\"string\"}},\"required\":[\"value\"]},"
    "\"Address\":{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\"},"
    "\"street\":{\"type\":\"string\"},\"house_number\":{\"type\":\"string\"},\"postcode\":{"
    "\"type\":\"string\",\"description\":\"Dutch postcodes as '1234 AB'\"},\"city\":{\"type\":"
    "\"string\"},\"country\":{\"type\":\"string\",\"description\":\"ISO 3166 alpha-2, default "
    "NL\"}}},"
    "\"Party\":{\"type\":\"object\",\"required\":[\"kind\"],\"properties\":{"
    "\"id\":{\"type\":\"integer\",\"readOnly\":true},\"uid\":{\"type\":\"string\",\"format\":"
    "\"uuid\",\"readOnly\":true},\"kind\":{\"enum\":[\"person\",\"organization\"]},\"name\":{"
    "\"type\":\"string\"},\"given_name\":{\"type\":[\"string\",\"null\"]},\"family_prefix\":{"
    "\"type\":[\"string\",\"null\"],\"description\":\"Dutch family-name prefix such as 'van "
    "der'\"},\"family_name\":{\"type\":[\"string\",\"null\"]},\"legal_name\":{\"type\":["
    "\"string\",\"null\"]},\"trade_name\":{\"type\":[\"string\",\"null\"]},\"emails\":{"
    "\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/ContactPoint\"}},\"phones\":"
    "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/ContactPoint\"}},"
    "\"websites\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/"
    "ContactPoint\"}},\"addresses\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/"
    "schemas/Address\"}},\"kvk\":{\"type\":[\"string\",\"null\"],\"pattern\":\"^[0-9]{8}$\"},"
    "\"vat\":{\"type\":[\"string\",\"null\"]},\"iban\":{\"type\":[\"string\",\"null\"]},"
    "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"custom\":{\"type\":"
    "\"object\"},\"owner\":{\"type\":[\"integer\",\"null\"]},\"archived\":{\"type\":"
    "\"boolean\"},\"version\":{\"type\":\"integer\",\"readOnly\":true},\"created_at\":{\"type\":"
    "\"string\",\"format\":\"date-time\",\"readOnly\":true},\"updated_at\":{\"type\":\"string\","
    "\"format\":\"date-time\",\"readOnly\":true},\"roles\":{\"type\":\"array\",\"items\":{"
    "\"$ref\":\"#/components/schemas/Role\"}},\"relationships\":{\"type\":\"array\",\"readOnly\":"
    "true,\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"type\":"
    "{\"type\":\"string\"},\"party\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
    "\"integer\"},\"name\":{\"type\":\"string\"}}},\"since\":{\"type\":[\"string\",\"null\"]},"
    "\"until\":{\"type\":[\"string\",\"null\"]}}}}}},"
    "\"Role\":{\"type\":\"object\",\"required\":[\"type\"],\"properties\":{\"id\":{\"type\":"
    "\"integer\",\"readOnly\":true},\"party\":{\"type\":\"integer\",\"readOnly\":true},\"type\":"
    "{\"type\":\"string\"},\"status\":{\"type\":\"string\"},\"since\":{\"type\":[\"string\","
    "\"null\"],\"format\":\"date\"},\"until\":{\"type\":[\"string\",\"null\"],\"format\":"
    "\"date\"},\"attributes\":{\"type\":\"object\"},\"version\":{\"type\":\"integer\","
    "\"readOnly\":true}}},"
    "\"RoleType\":{\"type\":\"object\",\"required\":[\"name\",\"domain\",\"statuses\"],"
    "\"properties\":{\"name\":{\"type\":\"string\"},\"domain\":{\"enum\":[\"sales\",\"hr\","
    "\"partners\",\"purchasing\",\"pr\"]},\"label\":{\"type\":\"object\"},\"statuses\":{\"type\":"
    "\"array\",\"items\":{\"type\":\"string\"}},\"default_status\":{\"type\":\"string\"},"
    "\"ended_statuses\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"attributes\":{"
    "\"type\":\"array\",\"items\":{\"type\":\"object\"}}}},"
    "\"Relationship\":{\"type\":\"object\",\"required\":[\"type\",\"from\",\"to\"],"
    "\"properties\":{\"id\":{\"type\":\"integer\",\"readOnly\":true},\"type\":{\"type\":"
    "\"string\"},\"from\":{\"type\":\"integer\"},\"to\":{\"type\":\"integer\"},\"since\":{"
    "\"type\":[\"string\",\"null\"],\"format\":\"date\"},\"until\":{\"type\":[\"string\","
    "\"null\"],\"format\":\"date\"},\"note\":{\"type\":[\"string\",\"null\"]},\"version\":{"
    "\"type\":\"integer\",\"readOnly\":true}}},"
    "\"Activity\":{\"type\":\"object\",\"required\":[\"type\",\"domain\",\"subject\","
    "\"parties\"],\"properties\":{\"id\":{\"type\":\"integer\",\"readOnly\":true},\"type\":{"
    "\"enum\":[\"note\",\"call\",\"email\",\"meeting\",\"task\",\"complaint\",\"survey\","
    "\"press_release\"]},\"domain\":{\"enum\":[\"sales\",\"hr\",\"partners\",\"purchasing\","
    "\"pr\"]},\"subject\":{\"type\":\"string\"},\"body\":{\"type\":[\"string\",\"null\"]},"
    "\"parties\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},\"due\":{\"type\":["
    "\"string\",\"null\"]},\"done\":{\"type\":\"boolean\"},\"assignee\":{\"type\":[\"integer\","
    "\"null\"]},\"score\":{\"type\":[\"integer\",\"null\"],\"minimum\":0,\"maximum\":10},\"at\":"
    "{\"type\":\"string\",\"format\":\"date-time\"},\"version\":{\"type\":\"integer\","
    "\"readOnly\":true}}},"
    "\"List\":{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\"},\"next\":{"
    "\"type\":[\"string\",\"null\"],\"description\":\"pass as ?cursor= for the next page\"}}}"
    "}";

/* Turns "/api/v1/parties/{id}" into the OpenAPI path and its parameters. */
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
    if (strstr(r->pattern, "{id}"))
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", "id", "in", "path",
                                        "required", 1, "schema", "type", "integer", "minimum", 1));
    if (strstr(r->pattern, "{name}"))
        json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", "name", "in",
                                                "path", "required", 1, "schema", "type", "string"));
    if (strcmp(r->method, "GET") == 0 && !strstr(r->pattern, "{id}") &&
        !strstr(r->pattern, "{name}") && strncmp(r->pattern, "/api/v1/", 8) == 0 &&
        strcmp(r->pattern, "/api/v1/openapi.json") != 0) {
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
    if (strcmp(r->method, "PATCH") == 0 || strcmp(r->method, "DELETE") == 0)
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", "If-Match", "in",
                                                "header", "schema", "type", "string"));
    if (strcmp(r->method, "POST") == 0)
        json_array_append_new(params, json_pack("{s:s, s:s, s:{s:s}}", "name", "Idempotency-Key",
                                                "in", "header", "schema", "type", "string"));
    json_object_set_new(op, "parameters", params);
    if (r->body_limit)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                                      strncmp(r->pattern, "/api/v1/import/", 15) == 0
                                          ? "application/x-ndjson"
                                          : "application/json",
                                      "schema", "type", "object"));
    json_t *responses = json_object();
    const char *ok = strcmp(r->method, "POST") == 0     ? "201"
                     : strcmp(r->method, "DELETE") == 0 ? "204"
                                                        : "200";
    if (strcmp(r->pattern, "/api/v1/session") == 0)
        ok = "201";
    json_object_set_new(responses, ok, json_pack("{s:s}", "description", "success"));
    json_object_set_new(responses, "default",
                        json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "error", "content",
                                  "application/problem+json", "schema", "$ref",
                                  "#/components/schemas/Problem"));
    json_object_set_new(op, "responses", responses);
    if (r->auth == XRM_AUTH_NONE || r->auth == XRM_AUTH_FEED) /* the feed: a secret path */
        json_object_set_new(op, "security", json_array());
    return op;
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
    json_object_set_new(comp, "schemas", json_loads(schemas, 0, NULL));
    json_t *paths = json_object_get(doc, "paths");
    for (size_t i = 0; i < xrm_nroutes; i++) {
        const struct xrm_route *r = &xrm_routes[i];
        json_t *item = json_object_get(paths, r->pattern);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->pattern, item);
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
