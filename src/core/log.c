/*
 * JSON-lines logger. The message is escaped as a JSON string; one write per
 * line so lines of concurrent threads do not interleave.
 */
#include "core/log.h"
#include "core/buf.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "core/banned.h"

static enum xrm_log_level min_level = XRM_LOG_INFO;

void xrm_log_set_level(enum xrm_log_level lvl)
{
    min_level = lvl;
}

void xrm_log(enum xrm_log_level lvl, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char msg[1024], now[XRM_TIME_LEN];
    struct xrm_buf b;
    va_list ap;

    if (lvl < min_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    xrm_now(now);
    xrm_buf_init(&b, 256);
    xrm_buf_addf(&b, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"", now, names[lvl]);
    for (const char *p = msg; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            xrm_buf_addf(&b, "\\%c", c);
        else if (c < 0x20)
            xrm_buf_addf(&b, "\\u%04x", c);
        else
            xrm_buf_addc(&b, (char)c);
    }
    xrm_buf_adds(&b, "\"}\n");
    ssize_t w = write(STDERR_FILENO, b.s, b.len);
    (void)w;
    xrm_buf_release(&b);
}
