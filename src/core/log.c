/*
 * JSON-lines logger. The message is escaped as a JSON string; one write per
 * line so lines of concurrent threads do not interleave.
 */
#include "core/log.h"
#include "core/buf.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/banned.h"

static enum xrm_log_level min_level = XRM_LOG_INFO;

/* The request this thread runs (xrm_log_request_begin), "" when none. */
static _Thread_local char request_id[65];

void xrm_log_set_level(enum xrm_log_level lvl)
{
    min_level = lvl;
}

void xrm_log_request_begin(const char *id)
{
    xrm_strlcpy(request_id, id ? id : "", sizeof(request_id));
}

void xrm_log_request_end(void)
{
    request_id[0] = '\0';
}

const char *xrm_log_request_id(void)
{
    return request_id;
}

void xrm_log_escape(struct xrm_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            xrm_buf_addf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            xrm_buf_addf(b, "\\u%04x", c);
        else
            xrm_buf_addc(b, (char)c);
    }
}

void xrm_log_add_str(struct xrm_buf *b, const char *key, const char *val)
{
    xrm_buf_addf(b, "%s\"%s\":", b->len ? "," : "", key);
    if (!val) {
        xrm_buf_adds(b, "null");
        return;
    }
    xrm_buf_addc(b, '"');
    xrm_log_escape(b, val, strlen(val));
    xrm_buf_addc(b, '"');
}

void xrm_log_add_int(struct xrm_buf *b, const char *key, int64_t val)
{
    xrm_buf_addf(b, "%s\"%s\":%lld", b->len ? "," : "", key, (long long)val);
}

void xrm_log_fields(enum xrm_log_level lvl, const char *msg, const char *fields)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char now[XRM_TIME_LEN];
    struct xrm_buf b;

    if (lvl < min_level)
        return;
    xrm_now(now);
    xrm_buf_init(&b, 256);
    xrm_buf_addf(&b, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"", now, names[lvl]);
    xrm_log_escape(&b, msg, strlen(msg));
    xrm_buf_addc(&b, '"');
    if (request_id[0]) {
        xrm_buf_adds(&b, ",\"request_id\":\"");
        xrm_log_escape(&b, request_id, strlen(request_id));
        xrm_buf_addc(&b, '"');
    }
    if (fields && *fields) {
        xrm_buf_addc(&b, ',');
        xrm_buf_adds(&b, fields);
    }
    xrm_buf_adds(&b, "}\n");
    ssize_t w = write(STDERR_FILENO, b.s, b.len);
    (void)w;
    xrm_buf_release(&b);
}

void xrm_log(enum xrm_log_level lvl, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (lvl < min_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    xrm_log_fields(lvl, msg, NULL);
}
