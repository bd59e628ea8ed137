/*
 * Error codes and the error record that fallible functions fill.
 *
 * Every fallible function returns an enum xrm_rc (XRM_OK is zero) and may
 * fill a caller-owned struct xrm_err with a one-line message and, for input
 * errors, a list of field-level errors. The HTTP layer alone maps codes to
 * statuses (http/response.c).
 */
#ifndef XRM_CORE_ERROR_H
#define XRM_CORE_ERROR_H

#include <stdbool.h>
#include <stddef.h>

enum xrm_rc {
    XRM_OK = 0,
    XRM_E_MALFORMED,    /* the request cannot be read: bad JSON, wrong type (400) */
    XRM_E_INVALID,      /* well-formed but breaks a rule: bad IBAN, unknown type (422) */
    XRM_E_NOTFOUND,     /* 404 */
    XRM_E_CONFLICT,     /* 409 */
    XRM_E_PRECONDITION, /* stale If-Match (412) */
    XRM_E_DENIED,       /* 403 */
    XRM_E_UNAUTH,       /* 401 */
    XRM_E_LIMIT,        /* a cap an outsider controls was exceeded (413) */
    XRM_E_DB,           /* storage failure (500) */
    XRM_E_IO,           /* file or network failure (500) */
    XRM_E_INTERNAL,     /* should not happen (500) */
    XRM_E_FULL,         /* the disk or database is full: nothing was written (507) */
};

#define XRM_ERR_MAX_FIELDS 16

struct xrm_field_err {
    char field[96];
    char message[160];
    char code[40]; /* stable machine-readable reason, "" when none */
};

struct xrm_err {
    enum xrm_rc rc;
    char message[256];
    char code[40]; /* a stable problem code ("sensitive_attribute"); "": the status's own */
    int nfields;
    struct xrm_field_err fields[XRM_ERR_MAX_FIELDS];
};

#define XRM_ERR_INIT                                                                               \
    {                                                                                              \
        0                                                                                          \
    }

/* Sets err (when not NULL) to rc with a printf-style message; returns rc. */
enum xrm_rc xrm_errf(struct xrm_err *err, enum xrm_rc rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Adds a field-level error and sets err->rc to rc when it is still XRM_OK.
 * The first field error also becomes the message when none is set yet.
 * Returns rc. Errors past XRM_ERR_MAX_FIELDS are counted into the message only.
 */
enum xrm_rc xrm_err_field(struct xrm_err *err, enum xrm_rc rc, const char *field, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));

/*
 * Gives the latest field error (and err itself, when it has no code yet) a
 * stable code such as "sensitive_attribute", answered as "code" in
 * problem+json so clients need not parse messages. Returns err->rc.
 */
enum xrm_rc xrm_err_code(struct xrm_err *err, const char *code);

/* Clears err back to XRM_OK. */
void xrm_err_clear(struct xrm_err *err);

/* A short English name for rc, for logs. */
const char *xrm_rc_name(enum xrm_rc rc);

/* Programmer errors abort with file and line; input never does. */
#define XRM_BUG(...) xrm_bug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void xrm_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
