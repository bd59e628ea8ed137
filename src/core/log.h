/*
 * JSON-lines logging to stderr: one object per line with time, level and
 * message, so logs can be read by machines and people alike.
 *
 * Request context: between xrm_log_request_begin(id) and _end() every line
 * the calling thread writes carries "request_id" (the HTTP server sets it
 * for the thread running a request). xrm_log_fields writes a line with
 * more members (the access log).
 */
#ifndef XRM_CORE_LOG_H
#define XRM_CORE_LOG_H

#include <stddef.h>
#include <stdint.h>

struct xrm_buf;

enum xrm_log_level { XRM_LOG_DEBUG, XRM_LOG_INFO, XRM_LOG_WARN, XRM_LOG_ERROR };

void xrm_log_set_level(enum xrm_log_level lvl);
void xrm_log(enum xrm_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The request id of the calling thread's lines (copied; at most 64 bytes), or none (NULL). */
void xrm_log_request_begin(const char *id);
void xrm_log_request_end(void);
const char *xrm_log_request_id(void); /* "" outside a request */

/*
 * A line with the members in fields after the standard ones: fields is
 * JSON object members without the braces ("\"status\":200,\"path\":\"/x\""),
 * made with xrm_log_add_str / xrm_log_add_int, or NULL.
 */
void xrm_log_fields(enum xrm_log_level lvl, const char *msg, const char *fields);
void xrm_log_add_str(struct xrm_buf *b, const char *key, const char *val); /* NULL: null */
void xrm_log_add_int(struct xrm_buf *b, const char *key, int64_t val);
/* Appends s escaped as the inside of a JSON string (control bytes as \uXXXX). */
void xrm_log_escape(struct xrm_buf *b, const char *s, size_t n);

#endif
