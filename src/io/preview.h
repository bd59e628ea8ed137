/*
 * Previews of documents: a PNG of at most XRM_PREVIEW_WIDTH pixels wide for
 * an image (PNG, JPEG, GIF, WebP: decoded by gdk-pixbuf with the loader of
 * the declared type only, never by sniffing, and scaled down while it is
 * decoded) or of page 1 of a PDF (poppler-glib, drawn by Cairo on white).
 *
 * Robustness: an image declaring more than XRM_PREVIEW_MAX_PIXELS pixels,
 * a PDF page larger than A0 at any scale, or content the decoder refuses
 * gives no preview (XRM_E_NOTFOUND "no preview"); so does any other type.
 * Nothing global is kept, so threads may render at the same time.
 *
 * Ownership: the caller owns data; out is appended to.
 */
#ifndef XRM_IO_PREVIEW_H
#define XRM_IO_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define XRM_PREVIEW_WIDTH 800
#define XRM_PREVIEW_MAX_PIXELS (50 * 1000 * 1000)

/* True when type (a "type/subtype") has a preview at all. */
bool xrm_preview_supported(const char *type);

/* The PNG preview of data[0..len) of type into out. */
enum xrm_rc xrm_preview_png(const char *type, const void *data, size_t len, struct xrm_buf *out,
                            struct xrm_err *err);

#endif
