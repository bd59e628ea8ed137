/*
 * One HTTP POST by libcurl, for webhook deliveries: http:// or https://
 * only (no other protocol, also not after a redirect), redirects are not
 * followed (a 3xx is an answer like any other), a total timeout, the
 * answer's body read up to a cap and thrown away: only the status counts.
 * Proxies follow libcurl's environment (http_proxy, https_proxy, no_proxy).
 */
#ifndef XRM_IO_HTTP_POST_H
#define XRM_IO_HTTP_POST_H

#include <stdbool.h>
#include <stddef.h>

#define XRM_HTTP_POST_BODY_CAP (64 * 1024) /* bytes of an answer read before it is cut off */

/*
 * POSTs body (len bytes) to url with the given request headers (a
 * NULL-terminated list of "Name: value" lines, may be NULL), waiting at
 * most timeout_s seconds for the whole exchange. True when an answer came:
 * *status is its HTTP status (an answer longer than the cap still counts).
 * False when none did (no connection, a timeout, a refused URL): *status
 * 0 and why[] says what went wrong. why is filled in both cases when the
 * answer was not 2xx.
 */
bool xrm_http_post(const char *url, const char *const *headers, const char *body, size_t len,
                   long timeout_s, long *status, char *why, size_t why_n);

/* True for an absolute http:// or https:// URL with a host and no spaces or control bytes. */
bool xrm_http_url_valid(const char *url);

#endif
