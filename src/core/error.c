/*
 * Error records: formatting messages and collecting field-level errors.
 * The format is translated into the thread's language first (messages.h).
 */
#include "core/error.h"
#include "core/messages.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum xrm_rc xrm_errf(struct xrm_err *err, enum xrm_rc rc, const char *fmt, ...)
{
    if (!err)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), xrm_msg(fmt), ap);
    va_end(ap);
    err->rc = rc;
    return rc;
}

enum xrm_rc xrm_err_field(struct xrm_err *err, enum xrm_rc rc, const char *field, const char *fmt,
                          ...)
{
    if (!err)
        return rc;
    if (err->rc == XRM_OK)
        err->rc = rc;
    if (err->nfields < XRM_ERR_MAX_FIELDS) {
        struct xrm_field_err *f = &err->fields[err->nfields];
        snprintf(f->field, sizeof(f->field), "%s", field);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->message, sizeof(f->message), xrm_msg(fmt), ap);
        va_end(ap);
        /* The field by the name its reader knows it by, where it has one. */
        const char *name = xrm_msg_field(xrm_lang_get(), f->field);
        if (!err->message[0] && name)
            snprintf(err->message, sizeof(err->message), "%s: %.160s", name, f->message);
        else if (!err->message[0])
            snprintf(err->message, sizeof(err->message), xrm_msg("field '%.80s': %.160s"), f->field,
                     f->message);
    }
    err->nfields++;
    return err->rc;
}

enum xrm_rc xrm_err_code(struct xrm_err *err, const char *code)
{
    if (!err)
        return XRM_OK;
    if (err->nfields > 0 && err->nfields <= XRM_ERR_MAX_FIELDS)
        snprintf(err->fields[err->nfields - 1].code, sizeof(err->fields[0].code), "%s", code);
    if (!err->code[0])
        snprintf(err->code, sizeof(err->code), "%s", code);
    return err->rc;
}

void xrm_err_clear(struct xrm_err *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

const char *xrm_rc_name(enum xrm_rc rc)
{
    switch (rc) {
    case XRM_OK:
        return "ok";
    case XRM_E_MALFORMED:
        return "malformed";
    case XRM_E_INVALID:
        return "invalid";
    case XRM_E_NOTFOUND:
        return "not found";
    case XRM_E_CONFLICT:
        return "conflict";
    case XRM_E_PRECONDITION:
        return "precondition failed";
    case XRM_E_DENIED:
        return "denied";
    case XRM_E_UNAUTH:
        return "unauthenticated";
    case XRM_E_LIMIT:
        return "limit exceeded";
    case XRM_E_DB:
        return "database error";
    case XRM_E_IO:
        return "i/o error";
    case XRM_E_INTERNAL:
        return "internal error";
    case XRM_E_FULL:
        return "storage full";
    }
    return "unknown";
}

void xrm_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
