/*
 * Text helpers shared by the file-format readers: strict UTF-8 validation
 * and conversion of other character sets to UTF-8 with glibc's iconv.
 */
#ifndef XRM_IO_TEXT_H
#define XRM_IO_TEXT_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* True when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or NUL). */
bool xrm_text_utf8_valid(const char *s, size_t n);

/*
 * Appends s[0..n) converted by cd (opened as iconv_open("UTF-8", from)) to
 * out. A byte the source set leaves undefined becomes U+FFFD, so this never
 * fails on input. cd is reset first.
 */
void xrm_text_iconv(iconv_t cd, struct xrm_buf *out, const char *s, size_t n);

/*
 * Appends s[0..n) in charset (a name iconv knows, e.g. "ISO-8859-1",
 * "WINDOWS-1252") as UTF-8 to out. False, appending nothing, when iconv
 * does not know charset.
 */
bool xrm_text_to_utf8(struct xrm_buf *out, const char *s, size_t n, const char *charset);

#endif
