/*
 * Quotes and invoices as PDF, PNG and UBL files (render.h).
 */
#include "domain/billing/render.h"
#include "domain/billing/invoice.h"
#include "io/pdf.h"
#include "io/ubl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const char *base_name(const char *kind, bool en)
{
    if (strcmp(kind, "quote") == 0)
        return en ? "quote" : "offerte";
    if (strcmp(kind, "credit_note") == 0)
        return en ? "credit-note" : "creditnota";
    return en ? "invoice" : "factuur";
}

enum xrm_rc xrm_billing_render(struct xrm_ctx *ctx, bool is_quote, int64_t id,
                               enum xrm_render_format format, const char *lang, struct xrm_buf *out,
                               char *filename, size_t fnlen, struct xrm_err *err)
{
    json_t *doc = NULL;
    unsigned char *logo = NULL;
    size_t logo_len = 0;
    const char *logo_type = NULL;
    char msg[256] = "";
    bool en = lang && strcmp(lang, "en") == 0;
    enum xrm_rc rc = is_quote
                         ? xrm_quote_document(ctx, id, &doc, &logo, &logo_len, &logo_type, err)
                         : xrm_invoice_document(ctx, id, &doc, &logo, &logo_len, &logo_type, err);
    if (rc)
        goto out;
    const char *kind = is_quote ? "quote" : json_string_value(json_object_get(doc, "kind"));
    const char *status = json_string_value(json_object_get(doc, "status"));
    const char *number = json_string_value(json_object_get(doc, "number"));
    bool draft = status && strcmp(status, "draft") == 0;
    const char *ext = format == XRM_RENDER_PDF ? "pdf" : format == XRM_RENDER_PNG ? "png" : "xml";
    if (draft || !number)
        snprintf(filename, fnlen, "%s-%s-%lld.%s", base_name(kind, en), en ? "draft" : "concept",
                 (long long)id, ext);
    else
        snprintf(filename, fnlen, "%s-%s.%s", base_name(kind, en), number, ext);
    if (format == XRM_RENDER_XML) {
        if (draft) {
            rc = xrm_errf(err, XRM_E_CONFLICT, "a draft invoice has no e-invoice; issue it first");
            xrm_err_code(err, "draft");
            goto out;
        }
        if (xrm_ubl_write(doc, out, msg, sizeof(msg)) != 0)
            rc = xrm_errf(err, XRM_E_INTERNAL, "cannot write the e-invoice: %s", msg);
        goto out;
    }
    struct xrm_pdf_opts o = {.type = kind,
                             .lang = en ? "en" : "nl",
                             .logo = logo,
                             .logo_len = logo_len,
                             .logo_type = logo_type,
                             .draft = draft};
    int r = format == XRM_RENDER_PDF ? xrm_pdf_render(doc, &o, out, msg, sizeof(msg))
                                     : xrm_png_render(doc, &o, out, msg, sizeof(msg));
    if (r != 0)
        rc = xrm_errf(err, XRM_E_INTERNAL, "cannot draw the document: %s", msg);
out:
    json_decref(doc);
    free(logo);
    return rc;
}
