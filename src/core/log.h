/*
 * JSON-lines logging to stderr: one object per line with time, level and
 * message, so logs can be read by machines and people alike.
 */
#ifndef XRM_CORE_LOG_H
#define XRM_CORE_LOG_H

enum xrm_log_level { XRM_LOG_DEBUG, XRM_LOG_INFO, XRM_LOG_WARN, XRM_LOG_ERROR };

void xrm_log_set_level(enum xrm_log_level lvl);
void xrm_log(enum xrm_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
