/*
 * The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.
 */
#ifndef XRM_HTTP_OPENAPI_H
#define XRM_HTTP_OPENAPI_H

extern const char xrm_openapi_json[];

#endif
