/*
 * Quotes and invoices as files: the PDF (all pages), the PNG preview of
 * page 1 (io/pdf.h) and, for invoices and credit notes, the UBL e-invoice
 * (io/ubl.h), from the document JSON of invoice.h (seller and buyer filled)
 * and the company logo. A draft's PDF and PNG are marked draft; a draft has
 * no UBL (XRM_E_CONFLICT, code "draft").
 */
#ifndef XRM_DOMAIN_RENDER_H
#define XRM_DOMAIN_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "domain/base/ctx.h"

enum xrm_render_format {
    XRM_RENDER_PDF,
    XRM_RENDER_PNG,
    XRM_RENDER_XML,
};

/*
 * Appends the file of quote (is_quote) or invoice id to out, with read
 * access as for a GET; lang "nl" or "en" (the document's language and the
 * file name's: "factuur-2026-0001.pdf" / "invoice-2026-0001.pdf",
 * "offerte-...", "creditnota-..." / "credit-note-...", a draft
 * "...-concept-<id>" / "...-draft-<id>") into filename.
 */
enum xrm_rc xrm_billing_render(struct xrm_ctx *ctx, bool is_quote, int64_t id,
                               enum xrm_render_format format, const char *lang, struct xrm_buf *out,
                               char *filename, size_t fnlen, struct xrm_err *err);

#endif
