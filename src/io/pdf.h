/*
 * Documents of the sales domain: a quote, invoice or credit note (the JSON of
 * the API, with its seller and buyer snapshots filled) drawn as an A4 PDF of
 * all its pages, or as a PNG of page 1 for the in-app preview.
 *
 * One layout function draws on a cairo_t for both; all text goes through
 * Pango (font "DejaVu Sans"), so accents and the euro sign render and the
 * PDF holds real text. Amounts are shown in the document language's
 * notation ("€ 1.234,56" in Dutch, "€1,234.56" in English); a credit note's
 * amounts are shown negative.
 *
 * Robustness: any string of the JSON may be missing, empty, very long
 * (wrapped, then ellipsized) or hold markup characters (never parsed as
 * markup); a logo that cannot be read is left out; more than
 * XRM_PDF_MAX_LINES lines fail. Rendering keeps no global state of its own
 * (a Pango font map per call), so threads may render at the same time.
 *
 * What is read from doc (the contract's quote/invoice JSON): number (none: "(concept)"), date,
 * due or valid_until, credit_of_number, seller {legal_name, street, house_number, postcode,
 * city, country, kvk, vat, iban, bic, email, phone}, buyer {name (else party_name), street,
 * house_number, postcode, city, country, vat, debtor_number}, lines [{description, quantity,
 * unit, unit_price, discount_pct, vat, net (else computed)}], totals (else computed from the
 * lines as the contract says), note; for invoices also paid, open and status: payments show
 * what is open and the payment request asks for that, a "credited" invoice asks for nothing.
 *
 * Ownership: the caller owns doc, opts and out; the functions append to out.
 */
#ifndef XRM_IO_PDF_H
#define XRM_IO_PDF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The most lines a document may have. */
#define XRM_PDF_MAX_LINES 1000

/* The page preview's scale: an A4 page of 595x842 pt becomes 893x1263 pixels. */
#define XRM_PNG_SCALE 1.5
#define XRM_PNG_WIDTH 893
#define XRM_PNG_HEIGHT 1263

struct xrm_pdf_opts {
    /* "quote", "invoice" or "credit_note"; NULL: from the doc (kind, valid_until) */
    const char *type;
    /* "nl" (also NULL or anything else) or "en" */
    const char *lang;
    /* the company logo, or NULL; logo_type "image/png" or "image/svg+xml" */
    const unsigned char *logo;
    size_t logo_len;
    const char *logo_type;
    /* prints a "CONCEPT" / "DRAFT" watermark on every page */
    bool draft;
};

/*
 * Appends the PDF of doc (all pages) to out. Returns 0, or -1 with a message
 * in errmsg (too many lines, a doc that is not an object, a cairo failure);
 * out may then hold part of a document.
 */
int xrm_pdf_render(const json_t *doc, const struct xrm_pdf_opts *o, struct xrm_buf *out,
                   char *errmsg, size_t errlen);

/*
 * Appends the PDF of a partner's commission statement (all pages, the table's
 * header repeated on each) to out, in the layout of the documents: the seller
 * and logo of opts, the partner and the period in words, the lines and the
 * totals per status. stmt: {"seller" {as a document's}, "partner_name",
 * "period" ("2026-Q4", "2026-11", "2026" or ""/absent: all), "lines"
 * [{deal_title, party_name, won_on, base (cents), commission_pct (number),
 * amount (cents), status}], "totals" [{open, approved, paid, cancelled,
 * total} (cents)]}. opts.type and opts.draft are ignored. Returns as
 * xrm_pdf_render.
 */
int xrm_pdf_statement(const json_t *stmt, const struct xrm_pdf_opts *o, struct xrm_buf *out,
                      char *errmsg, size_t errlen);

/*
 * Appends page 1 of doc as a PNG of XRM_PNG_WIDTH x XRM_PNG_HEIGHT pixels to
 * out. Returns 0, or -1 with a message as xrm_pdf_render.
 */
int xrm_png_render(const json_t *doc, const struct xrm_pdf_opts *o, struct xrm_buf *out,
                   char *errmsg, size_t errlen);

/*
 * The notations, pure functions (lang as in xrm_pdf_opts). Each writes a
 * NUL-terminated string of at most n bytes to dst (n >= 48 always fits).
 */
/* cents as "€ 1.234,56" / "€1,234.56"; negatives "-€ 12,00" / "-€12.00" */
void xrm_pdf_fmt_amount(char *dst, size_t n, int64_t cents, const char *lang);
/* "2026-12-07" as "7 december 2026" / "7 December 2026"; false (dst gets
   ymd as given, or "" for NULL) when ymd is not such a date */
bool xrm_pdf_fmt_date(char *dst, size_t n, const char *ymd, const char *lang);
/* a quantity in thousandths as "1,5" / "1.5", "1.000" / "1,000"; no trailing zeros */
void xrm_pdf_fmt_quantity(char *dst, size_t n, int64_t thousandths, const char *lang);
/* a percentage in hundredths as "12,5%" / "12.5%" */
void xrm_pdf_fmt_percent(char *dst, size_t n, int64_t hundredths, const char *lang);

#endif
