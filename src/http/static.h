/*
 * Static files of the web app.
 */
#ifndef XRM_HTTP_STATIC_H
#define XRM_HTTP_STATIC_H

#include <stdbool.h>

#include "http/http.h"

/*
 * Fills resp with the file for url under root (index.html for "/" and for
 * paths without an extension). Returns false when there is no such file or
 * the path is not allowed; resp is then untouched.
 */
bool xrm_static_serve(const char *root, const char *url, struct xrm_resp *resp);

#endif
