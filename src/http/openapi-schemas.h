/*
 * The component schemas of the OpenAPI document: one entry per resource
 * kind, written in a small notation (openapi-schemas.c says how) and turned
 * into JSON Schema (draft 2020-12) once when the document is built.
 *
 * A record kind gives three schemas: "Deal" (the answer: every field, each
 * present unless marked optional, no other field allowed), "DealInput" (the
 * body of a create: writable fields, the ones marked required) and
 * "DealPatch" (the body of an update: writable fields, none required).
 * Schemas of one kind may later come from the record descriptors instead;
 * each kind is one entry, so it can be replaced alone.
 */
#ifndef XRM_HTTP_OPENAPI_SCHEMAS_H
#define XRM_HTTP_OPENAPI_SCHEMAS_H

#include <jansson.h>

/*
 * Adds every component schema to `schemas` (a JSON object the caller owns).
 * Aborts on a notation error: the schemas are part of the program.
 */
void xrm_openapi_schemas(json_t *schemas);

/*
 * The query parameters of a route (the route table's `query`, named by
 * route in a notation error) as an object schema: one property per
 * parameter, "required" listing the ones marked '+'. New reference.
 */
json_t *xrm_openapi_query_schema(const char *route, const char *text);

#endif
