/*
 * The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.
 * Paths and methods come from the route table, so the document cannot
 * drift from what the server answers; schemas of the resources are written
 * out here.
 */
#ifndef XRM_HTTP_OPENAPI_H
#define XRM_HTTP_OPENAPI_H

/* The document as compact JSON text; built once, owned by the module. */
const char *xrm_openapi_text(void);

#endif
