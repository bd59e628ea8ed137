/*
 * ZIP archives in memory (libzip): the accountant's export, a journal and
 * one UBL file per invoice. Writing only; nothing here reads an archive.
 *
 * Ownership: entries and their data are borrowed for the call; the archive
 * is appended to the caller's buffer.
 */
#ifndef XRM_IO_ZIP_H
#define XRM_IO_ZIP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

struct xrm_zip_entry {
    const char *name; /* path inside the archive, UTF-8 */
    const char *data;
    size_t len;
};

/* Writes the n entries (deflated) as one ZIP archive to out; XRM_E_INTERNAL on failure. */
enum xrm_rc xrm_zip_write(const struct xrm_zip_entry *e, size_t n, struct xrm_buf *out,
                          struct xrm_err *err);

#endif
