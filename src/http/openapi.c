/*
 * The OpenAPI 3.1 document of API v1.
 */
#include "http/openapi.h"

const char xrm_openapi_json[] =
    "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"xrm API\",\"version\":\"1\"},\"paths\":{}}";
