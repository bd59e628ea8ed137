/*
 * The quote, invoice and credit note as a document: one layout, drawn with
 * Cairo and Pango on a PDF surface (every page) or an image surface (page 1,
 * the preview).
 *
 * The layout runs twice: a dry pass that only measures, to learn the number
 * of pages ("Pagina 1 van 2"), then the pass that draws. Drawing is skipped
 * for pages other than the one wanted (the preview draws page 1 only); the
 * measuring is the same in both passes, so both break pages at the same rows.
 *
 * Text is set with pango_layout_set_text, never as markup, and every string
 * from the document is cut at TEXT_CAP bytes before Pango sees it; cells and
 * paragraphs wrap and end in an ellipsis beyond their line limit.
 *
 * Threads: a font map and context of its own per render (Pango's font maps
 * are not to be shared between threads); fontconfig's configuration is
 * process-wide and thread-safe.
 */
#include "io/pdf.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <inttypes.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/banned.h"

/* A4 in points */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN 48.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
/* rows and paragraphs stop here; the footer is below */
#define BOTTOM (PAGE_H - 64.0)
#define LOGO_W 200.0
#define LOGO_H 70.0
/* the seller block and the document's facts, on the right */
#define RIGHT_W 230.0
#define RIGHT_X (PAGE_W - MARGIN - RIGHT_W)
/* the longest text of one field that is laid out */
#define TEXT_CAP 2000
/* the largest logo bitmap decoded (pixels per side) */
#define LOGO_MAX_PX 4000
#define FONT "DejaVu Sans"

enum kind { K_INVOICE, K_CREDIT, K_QUOTE, K_STATEMENT };

enum label {
    L_TITLE_INVOICE,
    L_TITLE_CREDIT,
    L_TITLE_QUOTE,
    L_NUM_INVOICE,
    L_NUM_CREDIT,
    L_NUM_QUOTE,
    L_DATE_INVOICE,
    L_DATE_CREDIT,
    L_DATE_QUOTE,
    L_DUE,
    L_VALID,
    L_CREDIT_OF,
    L_DEBTOR,
    L_VATID,
    L_KVK,
    L_COL_DESC,
    L_COL_QTY,
    L_COL_UNIT,
    L_COL_PRICE,
    L_COL_DISC,
    L_COL_VAT,
    L_COL_NET,
    L_VAT_EXEMPT,
    L_VAT_REVERSE,
    L_SUBTOTAL,
    L_VAT_ON,
    L_EXEMPT_ON,
    L_REVERSE_ON,
    L_TOTAL,
    L_REVERSE_NOTE,
    L_REVERSE_NOTE_ID,
    L_PAY,
    L_PAY_BEFORE,
    L_PAY_IBAN,
    L_PAY_NAME,
    L_PAY_REF,
    L_VALID_NOTE,
    L_PAGE,
    L_WATERMARK,
    L_DRAFT_NUMBER,
    L_PAID,
    L_OPEN,
    L_PAID_NOTE,
    L_CREDITED_NOTE,
    L_TITLE_STATEMENT,
    L_ST_PARTNER,
    L_ST_PERIOD,
    L_ST_ALL_PERIODS,
    L_ST_QUARTER,
    L_ST_COL_DEAL,
    L_ST_COL_CUSTOMER,
    L_ST_COL_WON,
    L_ST_COL_BASE,
    L_ST_COL_PCT,
    L_ST_COL_AMOUNT,
    L_ST_COL_STATUS,
    L_ST_OPEN,
    L_ST_APPROVED,
    L_ST_PAID,
    L_ST_CANCELLED,
    L_ST_TOTAL,
    L_ST_NONE,
    L_COUNT
};

static const char *const labels_nl[L_COUNT] = {
    [L_TITLE_INVOICE] = "Factuur",
    [L_TITLE_CREDIT] = "Creditnota",
    [L_TITLE_QUOTE] = "Offerte",
    [L_NUM_INVOICE] = "Factuurnummer",
    [L_NUM_CREDIT] = "Creditnotanummer",
    [L_NUM_QUOTE] = "Offertenummer",
    [L_DATE_INVOICE] = "Factuurdatum",
    [L_DATE_CREDIT] = "Datum",
    [L_DATE_QUOTE] = "Offertedatum",
    [L_DUE] = "Vervaldatum",
    [L_VALID] = "Geldig tot",
    [L_CREDIT_OF] = "Creditnota voor factuur %s",
    [L_DEBTOR] = "Debiteurnummer",
    [L_VATID] = "Btw-id",
    [L_KVK] = "KvK",
    [L_COL_DESC] = "Omschrijving",
    [L_COL_QTY] = "Aantal",
    [L_COL_UNIT] = "Eenheid",
    [L_COL_PRICE] = "Prijs",
    [L_COL_DISC] = "Korting",
    [L_COL_VAT] = "Btw",
    [L_COL_NET] = "Bedrag",
    [L_VAT_EXEMPT] = "vrijgesteld",
    [L_VAT_REVERSE] = "btw verlegd",
    [L_SUBTOTAL] = "Subtotaal",
    [L_VAT_ON] = "Btw %s over %s",
    [L_EXEMPT_ON] = "Vrijgesteld van btw over %s",
    [L_REVERSE_ON] = "Btw verlegd over %s",
    [L_TOTAL] = "Totaal",
    [L_REVERSE_NOTE] = "Btw verlegd.",
    [L_REVERSE_NOTE_ID] = "Btw verlegd. Btw-id afnemer: %s.",
    [L_PAY] = "Gelieve %s",
    [L_PAY_BEFORE] = " vóór %s",
    [L_PAY_IBAN] = " over te maken op IBAN %s",
    [L_PAY_NAME] = " t.n.v. %s",
    [L_PAY_REF] = " o.v.v. factuurnummer %s",
    [L_VALID_NOTE] = "Deze offerte is geldig tot %s.",
    [L_PAGE] = "Pagina %d van %d",
    [L_WATERMARK] = "CONCEPT",
    [L_DRAFT_NUMBER] = "(concept)",
    [L_PAID] = "Betaald",
    [L_OPEN] = "Openstaand",
    [L_PAID_NOTE] = "Deze factuur is betaald.",
    [L_CREDITED_NOTE] = "Deze factuur is gecrediteerd.",
    [L_TITLE_STATEMENT] = "Commissieoverzicht",
    [L_ST_PARTNER] = "Partner",
    [L_ST_PERIOD] = "Periode",
    [L_ST_ALL_PERIODS] = "alle perioden",
    [L_ST_QUARTER] = "%de kwartaal %.4s",
    [L_ST_COL_DEAL] = "Deal",
    [L_ST_COL_CUSTOMER] = "Klant",
    [L_ST_COL_WON] = "Gewonnen",
    [L_ST_COL_BASE] = "Dealbedrag",
    [L_ST_COL_PCT] = "%",
    [L_ST_COL_AMOUNT] = "Commissie",
    [L_ST_COL_STATUS] = "Status",
    [L_ST_OPEN] = "Open",
    [L_ST_APPROVED] = "Goedgekeurd",
    [L_ST_PAID] = "Betaald",
    [L_ST_CANCELLED] = "Geannuleerd",
    [L_ST_TOTAL] = "Totaal commissie",
    [L_ST_NONE] = "Geen commissieregels in deze periode.",
};

static const char *const labels_en[L_COUNT] = {
    [L_TITLE_INVOICE] = "Invoice",
    [L_TITLE_CREDIT] = "Credit note",
    [L_TITLE_QUOTE] = "Quote",
    [L_NUM_INVOICE] = "Invoice number",
    [L_NUM_CREDIT] = "Credit note number",
    [L_NUM_QUOTE] = "Quote number",
    [L_DATE_INVOICE] = "Invoice date",
    [L_DATE_CREDIT] = "Date",
    [L_DATE_QUOTE] = "Quote date",
    [L_DUE] = "Due date",
    [L_VALID] = "Valid until",
    [L_CREDIT_OF] = "Credit note for invoice %s",
    [L_DEBTOR] = "Debtor number",
    [L_VATID] = "VAT ID",
    [L_KVK] = "CoC",
    [L_COL_DESC] = "Description",
    [L_COL_QTY] = "Qty",
    [L_COL_UNIT] = "Unit",
    [L_COL_PRICE] = "Price",
    [L_COL_DISC] = "Disc.",
    [L_COL_VAT] = "VAT",
    [L_COL_NET] = "Amount",
    [L_VAT_EXEMPT] = "exempt",
    [L_VAT_REVERSE] = "VAT reverse charged",
    [L_SUBTOTAL] = "Subtotal",
    [L_VAT_ON] = "VAT %s on %s",
    [L_EXEMPT_ON] = "VAT exempt on %s",
    [L_REVERSE_ON] = "VAT reverse charged on %s",
    [L_TOTAL] = "Total",
    [L_REVERSE_NOTE] = "VAT reverse charged.",
    [L_REVERSE_NOTE_ID] = "VAT reverse charged. Customer's VAT ID: %s.",
    [L_PAY] = "Please pay %s",
    [L_PAY_BEFORE] = " before %s",
    [L_PAY_IBAN] = " to IBAN %s",
    [L_PAY_NAME] = " in the name of %s",
    [L_PAY_REF] = ", quoting invoice number %s",
    [L_VALID_NOTE] = "This quote is valid until %s.",
    [L_PAGE] = "Page %d of %d",
    [L_WATERMARK] = "DRAFT",
    [L_DRAFT_NUMBER] = "(draft)",
    [L_PAID] = "Paid",
    [L_OPEN] = "Amount due",
    [L_PAID_NOTE] = "This invoice has been paid.",
    [L_CREDITED_NOTE] = "This invoice has been credited.",
    [L_TITLE_STATEMENT] = "Commission statement",
    [L_ST_PARTNER] = "Partner",
    [L_ST_PERIOD] = "Period",
    [L_ST_ALL_PERIODS] = "all periods",
    [L_ST_QUARTER] = "Q%d %.4s",
    [L_ST_COL_DEAL] = "Deal",
    [L_ST_COL_CUSTOMER] = "Customer",
    [L_ST_COL_WON] = "Won on",
    [L_ST_COL_BASE] = "Deal amount",
    [L_ST_COL_PCT] = "%",
    [L_ST_COL_AMOUNT] = "Commission",
    [L_ST_COL_STATUS] = "Status",
    [L_ST_OPEN] = "Open",
    [L_ST_APPROVED] = "Approved",
    [L_ST_PAID] = "Paid",
    [L_ST_CANCELLED] = "Cancelled",
    [L_ST_TOTAL] = "Total commission",
    [L_ST_NONE] = "No commission lines in this period.",
};

static bool lang_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

/* ---- notations ---------------------------------------------------------------------------- */

/* Digits of v grouped by sep in threes: 1234567 -> "1.234.567". */
static void group_digits(char *dst, size_t n, uint64_t v, char sep)
{
    char digits[24];
    int len = snprintf(digits, sizeof(digits), "%" PRIu64, v);
    size_t o = 0;
    for (int i = 0; i < len && o + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            dst[o++] = sep;
        dst[o++] = digits[i];
    }
    if (n > 0)
        dst[o < n ? o : n - 1] = '\0';
}

void xrm_pdf_fmt_amount(char *dst, size_t n, int64_t cents, const char *lang)
{
    bool en = lang_en(lang);
    uint64_t m = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
    char units[32];
    group_digits(units, sizeof(units), m / 100, en ? ',' : '.');
    snprintf(dst, n, "%s€%s%s%c%02u", cents < 0 ? "-" : "", en ? "" : " ", units, en ? '.' : ',',
             (unsigned)(m % 100));
}

static const char *const months_nl[12] = {"januari",   "februari", "maart",    "april",
                                          "mei",       "juni",     "juli",     "augustus",
                                          "september", "oktober",  "november", "december"};
static const char *const months_en[12] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

bool xrm_pdf_fmt_date(char *dst, size_t n, const char *ymd, const char *lang)
{
    int y = 0, m = 0, d = 0;
    bool ok = ymd && strlen(ymd) == 10 && ymd[4] == '-' && ymd[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7 && (ymd[i] < '0' || ymd[i] > '9'))
            ok = false;
    if (ok) {
        y = (ymd[0] - '0') * 1000 + (ymd[1] - '0') * 100 + (ymd[2] - '0') * 10 + (ymd[3] - '0');
        m = (ymd[5] - '0') * 10 + (ymd[6] - '0');
        d = (ymd[8] - '0') * 10 + (ymd[9] - '0');
        ok = m >= 1 && m <= 12 && d >= 1 && d <= 31;
    }
    if (!ok) {
        snprintf(dst, n, "%s", ymd ? ymd : "");
        return false;
    }
    const char *month = lang_en(lang) ? months_en[m - 1] : months_nl[m - 1];
    snprintf(dst, n, "%d %s %d", d, month, y);
    return true;
}

/* v / 10^scale with up to scale decimals, trailing zeros dropped, the int part grouped. */
static void fmt_scaled(char *dst, size_t n, int64_t v, int scale, const char *lang)
{
    bool en = lang_en(lang);
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    uint64_t div = 1;
    for (int i = 0; i < scale; i++)
        div *= 10;
    char units[32], frac[8] = "";
    group_digits(units, sizeof(units), m / div, en ? ',' : '.');
    uint64_t f = m % div;
    int digits = scale;
    while (digits > 0 && f % 10 == 0) {
        f /= 10;
        digits--;
    }
    if (digits > 0)
        snprintf(frac, sizeof(frac), "%c%0*" PRIu64, en ? '.' : ',', digits, f);
    snprintf(dst, n, "%s%s%s", v < 0 ? "-" : "", units, frac);
}

void xrm_pdf_fmt_quantity(char *dst, size_t n, int64_t thousandths, const char *lang)
{
    fmt_scaled(dst, n, thousandths, 3, lang);
}

void xrm_pdf_fmt_percent(char *dst, size_t n, int64_t hundredths, const char *lang)
{
    char num[40];
    fmt_scaled(num, sizeof(num), hundredths, 2, lang);
    snprintf(dst, n, "%s%%", num);
}

/* ---- the document's JSON ------------------------------------------------------------------ */

/* The string member k of o, or "" (missing, null, not a string; a number is not text here). */
static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/*
 * Every number read is kept within +-VALUE_CAP (ten trillion euros in cents), so that sums over
 * XRM_PDF_MAX_LINES lines and TOTALS_CAP VAT entries cannot overflow whatever the JSON holds.
 */
#define VALUE_CAP 1000000000000000LL
#define TOTALS_CAP 64

static int64_t clamp(__int128 v)
{
    return v > VALUE_CAP ? VALUE_CAP : v < -VALUE_CAP ? -VALUE_CAP : (int64_t)v;
}

/* A number scaled by 10^scale (at most 3) and rounded, within +-VALUE_CAP; 0 for no number. */
static int64_t jscaled(const json_t *v, int scale)
{
    int64_t f = 1;
    for (int i = 0; i < scale; i++)
        f *= 10;
    if (json_is_integer(v))
        return clamp((__int128)json_integer_value(v) * f);
    if (json_is_real(v)) {
        double d = json_real_value(v) * (double)f;
        if (!(d > -(double)VALUE_CAP && d < (double)VALUE_CAP))
            return d > 0 ? VALUE_CAP : -VALUE_CAP;
        return (int64_t)llround(d);
    }
    return 0;
}

/* A text member that may also be given as a number (a debtor number). */
static void jtext(char *dst, size_t n, const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    if (json_is_integer(v))
        snprintf(dst, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        snprintf(dst, n, "%s", json_string_value(v) ? json_string_value(v) : "");
}

/* A VAT rate as the contract's string: "21", "9", "0", "exempt", "reverse_charge". */
static void jrate(char *dst, size_t n, const json_t *v)
{
    if (json_is_integer(v))
        snprintf(dst, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        snprintf(dst, n, "%s", json_string_value(v) ? json_string_value(v) : "");
}

static const char *const rate_order[] = {"21", "9", "0", "exempt", "reverse_charge"};
#define RATES 5

static int rate_index(const char *rate)
{
    for (int i = 0; i < RATES; i++)
        if (strcmp(rate, rate_order[i]) == 0)
            return i;
    return -1;
}

static int64_t round_div(__int128 num, __int128 den)
{
    return clamp((num < 0 ? num - den / 2 : num + den / 2) / den);
}

/* A line's net: its "net", else as the contract computes it. */
static int64_t line_net(const json_t *line)
{
    const json_t *net = json_object_get(line, "net");
    if (json_is_number(net))
        return jscaled(net, 0);
    __int128 q = jscaled(json_object_get(line, "quantity"), 3);
    __int128 p = jscaled(json_object_get(line, "unit_price"), 0);
    __int128 d = jscaled(json_object_get(line, "discount_pct"), 2);
    d = d < 0 ? 0 : d > 10000 ? 10000 : d; /* a discount is 0..100% */
    return round_div(q * p * (10000 - d), (__int128)1000 * 10000);
}

struct totals {
    int64_t net, gross;
    int64_t base[RATES], amount[RATES];
    bool present[RATES];
};

/* The doc's totals, or computed from its lines when it has none. */
static void doc_totals(const json_t *doc, struct totals *t)
{
    memset(t, 0, sizeof(*t));
    const json_t *tot = json_object_get(doc, "totals");
    if (json_is_object(tot)) {
        t->net = jscaled(json_object_get(tot, "net"), 0);
        t->gross = jscaled(json_object_get(tot, "gross"), 0);
        size_t i;
        const json_t *v;
        json_array_foreach(json_object_get(tot, "vat"), i, v)
        {
            if (i >= TOTALS_CAP)
                break;
            char rate[24];
            jrate(rate, sizeof(rate), json_object_get(v, "rate"));
            int r = rate_index(rate);
            if (r < 0)
                continue;
            t->present[r] = true;
            t->base[r] += jscaled(json_object_get(v, "base"), 0);
            t->amount[r] += jscaled(json_object_get(v, "amount"), 0);
        }
        return;
    }
    size_t i;
    const json_t *line;
    json_array_foreach(json_object_get(doc, "lines"), i, line)
    {
        char rate[24];
        jrate(rate, sizeof(rate), json_object_get(line, "vat"));
        int r = rate_index(rate);
        if (r < 0)
            continue;
        t->present[r] = true;
        t->base[r] += line_net(line);
    }
    for (int r = 0; r < RATES; r++) {
        if (r <= 1)
            t->amount[r] = round_div((__int128)t->base[r] * (r == 0 ? 21 : 9), 100);
        t->net += t->base[r];
        t->gross += t->base[r] + t->amount[r];
    }
}

/* ---- drawing -------------------------------------------------------------------------------- */

struct logo {
    cairo_surface_t *png;
    RsvgHandle *svg;
    double w, h; /* natural size, for the aspect */
};

/* the columns of the lines table */
#define COLS 7

struct render {
    cairo_t *cr;
    PangoFontMap *fontmap;
    PangoContext *ctx;
    PangoFontDescription *body, *bold, *small, *small_bold, *title, *mark;
    const json_t *doc;
    const char *lang;
    const char *const *l;
    enum kind kind;
    bool draft, pdf, dry;
    int page, pages, only; /* only: the one page drawn, 0 for all */
    double y;
    double *row_h;                /* the height of each line's row, from the dry pass */
    double col_w[COLS];           /* the lines table's column widths; 0: a column left out */
    const PangoAlignment *col_al; /* and their alignment */
    struct logo logo;
};

static const char *L(const struct render *r, enum label id)
{
    return r->l[id];
}

static bool drawing(const struct render *r)
{
    return !r->dry && (r->only == 0 || r->page == r->only);
}

/*
 * A layout of s in width w (points); at most max_lines lines (0: any), ellipsized. Pango sees
 * at most TEXT_CAP bytes of s (cut between characters, an ellipsis added): it lays out the
 * whole text before it ellipsizes.
 */
static PangoLayout *layout(struct render *r, const PangoFontDescription *f, const char *s, double w,
                           PangoAlignment al, int max_lines)
{
    char *tmp = NULL;
    if (strlen(s) > TEXT_CAP) {
        size_t cut = TEXT_CAP;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        tmp = xrm_malloc(cut + 4);
        memcpy(tmp, s, cut);
        memcpy(tmp + cut, "\xe2\x80\xa6", 4);
        s = tmp;
    }
    PangoLayout *lay = pango_layout_new(r->ctx);
    pango_layout_set_font_description(lay, f);
    pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(lay, al);
    if (max_lines > 0) {
        pango_layout_set_height(lay, -max_lines);
        pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_text(lay, s, -1);
    free(tmp);
    return lay;
}

static double layout_height(PangoLayout *lay)
{
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void show(struct render *r, PangoLayout *lay, double x, double y)
{
    if (!drawing(r))
        return;
    cairo_move_to(r->cr, x, y);
    pango_cairo_show_layout(r->cr, lay);
}

/* Sets s at (x, y) in width w; returns its height. */
static double text(struct render *r, const PangoFontDescription *f, const char *s, double x,
                   double y, double w, PangoAlignment al, int max_lines)
{
    PangoLayout *lay = layout(r, f, s, w, al, max_lines);
    double h = layout_height(lay);
    show(r, lay, x, y);
    g_object_unref(lay);
    return h;
}

static void rule(struct render *r, double x0, double x1, double y, double width)
{
    if (!drawing(r))
        return;
    cairo_save(r->cr);
    cairo_set_source_rgb(r->cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(r->cr, width);
    cairo_move_to(r->cr, x0, y);
    cairo_line_to(r->cr, x1, y);
    cairo_stroke(r->cr);
    cairo_restore(r->cr);
}

static void fill_rect(struct render *r, double x, double y, double w, double h, double grey)
{
    if (!drawing(r))
        return;
    cairo_save(r->cr);
    cairo_set_source_rgb(r->cr, grey, grey, grey);
    cairo_rectangle(r->cr, x, y, w, h);
    cairo_fill(r->cr);
    cairo_restore(r->cr);
}

/* ---- the logo ------------------------------------------------------------------------------ */

struct mem_reader {
    const unsigned char *p;
    size_t left;
};

static cairo_status_t read_mem(void *closure, unsigned char *data, unsigned int length)
{
    struct mem_reader *m = closure;
    if (length > m->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, m->p, length);
    m->p += length;
    m->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads the logo; leaves lg empty when there is none or it cannot be read. */
static void logo_load(struct logo *lg, const struct xrm_pdf_opts *o)
{
    memset(lg, 0, sizeof(*lg));
    if (!o->logo || o->logo_len == 0 || !o->logo_type)
        return;
    if (strcmp(o->logo_type, "image/png") == 0) {
        static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        /* signature, IHDR length and type, width, height: refuse a bitmap too big to decode */
        if (o->logo_len < 24 || memcmp(o->logo, sig, 8) != 0 || memcmp(o->logo + 12, "IHDR", 4))
            return;
        uint32_t w = be32(o->logo + 16), h = be32(o->logo + 20);
        if (w == 0 || h == 0 || w > LOGO_MAX_PX || h > LOGO_MAX_PX)
            return;
        struct mem_reader m = {o->logo, o->logo_len};
        cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_mem, &m);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
            cairo_image_surface_get_width(s) <= 0 || cairo_image_surface_get_height(s) <= 0) {
            cairo_surface_destroy(s);
            return;
        }
        lg->png = s;
        lg->w = cairo_image_surface_get_width(s);
        lg->h = cairo_image_surface_get_height(s);
    } else if (strcmp(o->logo_type, "image/svg+xml") == 0) {
        GError *err = NULL;
        RsvgHandle *h = rsvg_handle_new_from_data(o->logo, o->logo_len, &err);
        if (!h) {
            g_clear_error(&err);
            return;
        }
        double w = 0, hh = 0;
        if (!rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh) || !(w > 0) || !(hh > 0)) {
            gboolean has_w, has_h, has_vb;
            RsvgLength lw, lh;
            RsvgRectangle vb;
            rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh, &has_vb, &vb);
            if (has_vb && vb.width > 0 && vb.height > 0) {
                w = vb.width;
                hh = vb.height;
            } else {
                w = LOGO_W;
                hh = LOGO_H;
            }
        }
        lg->svg = h;
        lg->w = w;
        lg->h = hh;
    }
}

static void logo_free(struct logo *lg)
{
    if (lg->png)
        cairo_surface_destroy(lg->png);
    if (lg->svg)
        g_object_unref(lg->svg);
    memset(lg, 0, sizeof(*lg));
}

/* Draws the logo scaled into the box at (x, y), aspect kept; returns the height used. */
static double logo_draw(struct render *r, double x, double y)
{
    struct logo *lg = &r->logo;
    if (!lg->png && !lg->svg)
        return 0;
    double s = fmin(LOGO_W / lg->w, LOGO_H / lg->h);
    double w = lg->w * s, h = lg->h * s;
    if (!drawing(r))
        return h;
    cairo_save(r->cr);
    if (lg->png) {
        cairo_translate(r->cr, x, y);
        cairo_scale(r->cr, s, s);
        cairo_set_source_surface(r->cr, lg->png, 0, 0);
        cairo_pattern_set_filter(cairo_get_source(r->cr), CAIRO_FILTER_GOOD);
        cairo_paint(r->cr);
    } else {
        RsvgRectangle vp = {x, y, w, h};
        GError *err = NULL;
        if (!rsvg_handle_render_document(lg->svg, r->cr, &vp, &err))
            g_clear_error(&err); /* a logo that does not draw is left out */
    }
    cairo_restore(r->cr);
    return h;
}

/* ---- the parts of the page ---------------------------------------------------------------- */

/* An IBAN in groups of four ("NL91 ABNA 0417 1643 00"), as printed on paper. */
static void fmt_iban(char *dst, size_t n, const char *iban)
{
    size_t o = 0, k = 0;
    for (const char *p = iban; *p && o + 2 < n; p++) {
        if (*p == ' ')
            continue;
        if (k > 0 && k % 4 == 0)
            dst[o++] = ' ';
        dst[o++] = *p;
        k++;
    }
    if (n > 0)
        dst[o < n ? o : n - 1] = '\0';
}

/* The countries a Dutch company deals with most, by name; others by their code. */
static const char *country_name(const struct render *r, const char *code)
{
    static const struct {
        const char *code, *nl, *en;
    } names[] = {
        {"BE", "België", "Belgium"},
        {"DE", "Duitsland", "Germany"},
        {"FR", "Frankrijk", "France"},
        {"LU", "Luxemburg", "Luxembourg"},
        {"GB", "Verenigd Koninkrijk", "United Kingdom"},
        {"AT", "Oostenrijk", "Austria"},
        {"ES", "Spanje", "Spain"},
        {"IT", "Italië", "Italy"},
        {"DK", "Denemarken", "Denmark"},
        {"SE", "Zweden", "Sweden"},
        {"PL", "Polen", "Poland"},
        {"IE", "Ierland", "Ireland"},
        {"CH", "Zwitserland", "Switzerland"},
        {"US", "Verenigde Staten", "United States"},
        {"NL", "Nederland", "Netherlands"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(code, names[i].code) == 0)
            return strcmp(r->lang, "en") == 0 ? names[i].en : names[i].nl;
    return code;
}

/* Appends "a b" (either may be empty) as one line of the address block. */
static void join2(char *dst, size_t n, const char *a, const char *sep, const char *b)
{
    snprintf(dst, n, "%s%s%s", a, (*a && *b) ? sep : "", b);
}

/* An address block's lines into lines[] (at most 12); returns how many. */
static int party_lines(const struct render *r, const json_t *p, bool seller, char lines[][512])
{
    int n = 0;
    char tmp[512];
    join2(lines[n], 512, jstr(p, "street"), " ", jstr(p, "house_number"));
    if (*lines[n])
        n++;
    join2(lines[n], 512, jstr(p, "postcode"), "  ", jstr(p, "city"));
    if (*lines[n])
        n++;
    const char *country = jstr(p, "country");
    if (*country && strcmp(country, "NL") != 0)
        snprintf(lines[n++], 512, "%s", country_name(r, country));
    if (seller) {
        if (*jstr(p, "kvk"))
            snprintf(lines[n++], 512, "%s %s", L(r, L_KVK), jstr(p, "kvk"));
        if (*jstr(p, "vat"))
            snprintf(lines[n++], 512, "%s %s", L(r, L_VATID), jstr(p, "vat"));
        if (*jstr(p, "iban")) {
            fmt_iban(tmp, sizeof(tmp), jstr(p, "iban"));
            snprintf(lines[n++], 512, "IBAN %s", tmp);
        }
        if (*jstr(p, "bic"))
            snprintf(lines[n++], 512, "BIC %s", jstr(p, "bic"));
        if (*jstr(p, "email"))
            snprintf(lines[n++], 512, "%s", jstr(p, "email"));
        if (*jstr(p, "phone"))
            snprintf(lines[n++], 512, "%s", jstr(p, "phone"));
    } else {
        if (*jstr(p, "vat"))
            snprintf(lines[n++], 512, "%s: %s", L(r, L_VATID), jstr(p, "vat"));
        jtext(tmp, sizeof(tmp), p, "debtor_number");
        if (*tmp)
            snprintf(lines[n++], 512, "%s: %s", L(r, L_DEBTOR), tmp);
    }
    return n;
}

static const char *title_of(const struct render *r)
{
    if (r->kind == K_STATEMENT)
        return L(r, L_TITLE_STATEMENT);
    return L(r, r->kind == K_QUOTE    ? L_TITLE_QUOTE
                : r->kind == K_CREDIT ? L_TITLE_CREDIT
                                      : L_TITLE_INVOICE);
}

static const char *number_of(const struct render *r)
{
    if (r->kind == K_STATEMENT)
        return jstr(r->doc, "partner_name");
    const char *num = jstr(r->doc, "number");
    return *num ? num : L(r, L_DRAFT_NUMBER);
}

/* The logo on the left, the seller's name and lines on the right; returns the y below both. */
static double seller_block(struct render *r, const json_t *seller)
{
    char lines[12][512];
    double left = MARGIN + logo_draw(r, MARGIN, MARGIN);
    double y = MARGIN;
    y += text(r, r->bold, jstr(seller, "legal_name"), RIGHT_X, y, RIGHT_W, PANGO_ALIGN_RIGHT, 2);
    int n = party_lines(r, seller, true, lines);
    for (int i = 0; i < n; i++)
        y += text(r, r->small, lines[i], RIGHT_X, y, RIGHT_W, PANGO_ALIGN_RIGHT, 1);
    return fmax(left, y) + 28;
}

/* Logo, seller, buyer, the document's facts and title; leaves r->y below them. */
static void head(struct render *r)
{
    const json_t *buyer = json_object_get(r->doc, "buyer");
    char lines[12][512];

    double y = seller_block(r, json_object_get(r->doc, "seller"));

    /* the buyer on the left; number and dates on the right */
    double by = y;
    const char *name = jstr(buyer, "name");
    if (!*name)
        name = jstr(r->doc, "party_name");
    by += text(r, r->bold, name, MARGIN, by, 250, PANGO_ALIGN_LEFT, 3);
    int n = party_lines(r, buyer, false, lines);
    for (int i = 0; i < n; i++)
        by += text(r, r->body, lines[i], MARGIN, by, 250, PANGO_ALIGN_LEFT, 2);

    struct {
        enum label label;
        char value[128];
    } facts[3];
    int nf = 0;
    char date[64];
    enum label num_label = r->kind == K_QUOTE    ? L_NUM_QUOTE
                           : r->kind == K_CREDIT ? L_NUM_CREDIT
                                                 : L_NUM_INVOICE;
    facts[nf].label = num_label;
    snprintf(facts[nf++].value, 128, "%s", number_of(r));
    if (*jstr(r->doc, "date")) {
        xrm_pdf_fmt_date(date, sizeof(date), jstr(r->doc, "date"), r->lang);
        facts[nf].label = r->kind == K_QUOTE    ? L_DATE_QUOTE
                          : r->kind == K_CREDIT ? L_DATE_CREDIT
                                                : L_DATE_INVOICE;
        snprintf(facts[nf++].value, 128, "%s", date);
    }
    const char *until = jstr(r->doc, r->kind == K_QUOTE ? "valid_until" : "due");
    if (*until && r->kind != K_CREDIT) {
        xrm_pdf_fmt_date(date, sizeof(date), until, r->lang);
        facts[nf].label = r->kind == K_QUOTE ? L_VALID : L_DUE;
        snprintf(facts[nf++].value, 128, "%s", date);
    }
    double fy = y;
    for (int i = 0; i < nf; i++) {
        double h = text(r, r->body, L(r, facts[i].label), RIGHT_X, fy, 110, PANGO_ALIGN_LEFT, 1);
        double h2 = text(r, r->body, facts[i].value, RIGHT_X + 110, fy, RIGHT_W - 110,
                         PANGO_ALIGN_RIGHT, 2);
        fy += fmax(h, h2) + 1;
    }
    y = fmax(by, fy) + 26;

    double th = text(r, r->title, title_of(r), MARGIN, y, CONTENT_W, PANGO_ALIGN_LEFT, 1);
    if (r->draft && drawing(r)) {
        cairo_save(r->cr);
        cairo_set_source_rgb(r->cr, 0.75, 0.1, 0.1);
        text(r, r->title, L(r, L_WATERMARK), RIGHT_X, y, RIGHT_W, PANGO_ALIGN_RIGHT, 1);
        cairo_restore(r->cr);
    }
    y += th;
    if (r->kind == K_CREDIT && *jstr(r->doc, "credit_of_number")) {
        char line[600];
        snprintf(line, sizeof(line), L(r, L_CREDIT_OF), jstr(r->doc, "credit_of_number"));
        y += 2 + text(r, r->body, line, MARGIN, y + 2, CONTENT_W, PANGO_ALIGN_LEFT, 2);
    }
    r->y = y + 14;
}

/* The lines table's columns: width and alignment; the text width is the column's less PAD. */
#define PAD 3.0
#define COL_DISC 4
static const double col_w[COLS] = {168, 40, 46, 66, 44, 66, 69};
static const PangoAlignment col_al[COLS] = {PANGO_ALIGN_LEFT,  PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT,
                                            PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT,
                                            PANGO_ALIGN_RIGHT};
/* the commission statement's columns: deal, customer, won on, deal amount, %, commission, status */
static const double st_col_w[COLS] = {90, 76, 90, 66, 36, 64, 77};
static const PangoAlignment st_col_al[COLS] = {
    PANGO_ALIGN_LEFT,  PANGO_ALIGN_LEFT,  PANGO_ALIGN_LEFT, PANGO_ALIGN_RIGHT,
    PANGO_ALIGN_RIGHT, PANGO_ALIGN_RIGHT, PANGO_ALIGN_LEFT};

/* Draws one row of cells at r->y; returns its height (measured only when !draw). */
static double row(struct render *r, const PangoFontDescription *f, const char *const cells[COLS],
                  int max_lines, bool draw)
{
    PangoLayout *lays[COLS];
    double h = 0;
    for (int c = 0; c < COLS; c++) {
        lays[c] = NULL;
        if (r->col_w[c] <= 0)
            continue;
        lays[c] =
            layout(r, f, cells[c], r->col_w[c] - 2 * PAD, r->col_al[c], c == 0 ? max_lines : 3);
        h = fmax(h, layout_height(lays[c]));
    }
    double x = MARGIN;
    for (int c = 0; c < COLS; c++) {
        if (!lays[c])
            continue;
        if (draw)
            show(r, lays[c], x + PAD, r->y + 3);
        x += r->col_w[c];
        g_object_unref(lays[c]);
    }
    return h + 6;
}

static void table_header(struct render *r)
{
    const char *const doc_cells[COLS] = {L(r, L_COL_DESC),  L(r, L_COL_QTY),  L(r, L_COL_UNIT),
                                         L(r, L_COL_PRICE), L(r, L_COL_DISC), L(r, L_COL_VAT),
                                         L(r, L_COL_NET)};
    const char *const st_cells[COLS] = {
        L(r, L_ST_COL_DEAL), L(r, L_ST_COL_CUSTOMER), L(r, L_ST_COL_WON),   L(r, L_ST_COL_BASE),
        L(r, L_ST_COL_PCT),  L(r, L_ST_COL_AMOUNT),   L(r, L_ST_COL_STATUS)};
    const char *const *cells = r->kind == K_STATEMENT ? st_cells : doc_cells;
    double h = row(r, r->small_bold, cells, 1, false);
    fill_rect(r, MARGIN, r->y, CONTENT_W, h, 0.92);
    row(r, r->small_bold, cells, 1, true);
    r->y += h;
}

/* A new page: the draft's watermark first, under what the page will hold. */
static void begin_page(struct render *r)
{
    r->y = MARGIN;
    if (!r->draft || !drawing(r))
        return;
    PangoLayout *lay = layout(r, r->mark, L(r, L_WATERMARK), 900, PANGO_ALIGN_LEFT, 1);
    int w, h;
    pango_layout_get_size(lay, &w, &h);
    cairo_save(r->cr);
    cairo_translate(r->cr, PAGE_W / 2, PAGE_H / 2);
    cairo_rotate(r->cr, -M_PI / 5);
    cairo_set_source_rgb(r->cr, 0.98, 0.86, 0.86);
    cairo_move_to(r->cr, -(double)w / PANGO_SCALE / 2, -(double)h / PANGO_SCALE / 2);
    pango_cairo_update_layout(r->cr, lay);
    /* outlines, not text: the watermark stays out of the PDF's text (pdftotext, search,
       copy) where its letters would land between the lines; the title says CONCEPT */
    pango_cairo_layout_path(r->cr, lay);
    cairo_fill(r->cr);
    cairo_restore(r->cr);
    g_object_unref(lay);
}

/* The page's footer; the page is done. */
static void end_page(struct render *r)
{
    char line[600];
    rule(r, MARGIN, PAGE_W - MARGIN, PAGE_H - 48, 0.5);
    snprintf(line, sizeof(line), "%s %s", title_of(r), number_of(r));
    text(r, r->small, line, MARGIN, PAGE_H - 44, CONTENT_W / 2, PANGO_ALIGN_LEFT, 1);
    snprintf(line, sizeof(line), L(r, L_PAGE), r->page, r->pages > 0 ? r->pages : r->page);
    text(r, r->small, line, PAGE_W / 2, PAGE_H - 44, CONTENT_W / 2, PANGO_ALIGN_RIGHT, 1);
    if (r->pdf && !r->dry)
        cairo_show_page(r->cr);
}

/* Starts a new page when h more points do not fit on this one. */
static bool need(struct render *r, double h)
{
    if (r->y + h <= BOTTOM)
        return false;
    end_page(r);
    r->page++;
    begin_page(r);
    return true;
}

static const char *vat_label(const struct render *r, const char *rate, char *buf, size_t n)
{
    if (strcmp(rate, "exempt") == 0)
        return L(r, L_VAT_EXEMPT);
    if (strcmp(rate, "reverse_charge") == 0)
        return L(r, L_VAT_REVERSE);
    if (*rate)
        snprintf(buf, n, "%s%%", rate);
    else
        snprintf(buf, n, "%s", "");
    return buf;
}

/* A credit note's amounts are shown negative. */
static int64_t shown(const struct render *r, int64_t cents)
{
    return r->kind == K_CREDIT ? -cents : cents;
}

static void lines_table(struct render *r)
{
    size_t i;
    const json_t *line;
    table_header(r);
    json_array_foreach(json_object_get(r->doc, "lines"), i, line)
    {
        char qty[48] = "", price[48], disc[48] = "", vat[48], rate[24], net[48];
        const json_t *q = json_object_get(line, "quantity");
        if (json_is_number(q))
            xrm_pdf_fmt_quantity(qty, sizeof(qty), jscaled(q, 3), r->lang);
        xrm_pdf_fmt_amount(price, sizeof(price),
                           shown(r, jscaled(json_object_get(line, "unit_price"), 0)), r->lang);
        int64_t d = jscaled(json_object_get(line, "discount_pct"), 2);
        if (d != 0)
            xrm_pdf_fmt_percent(disc, sizeof(disc), d, r->lang);
        jrate(rate, sizeof(rate), json_object_get(line, "vat"));
        xrm_pdf_fmt_amount(net, sizeof(net), shown(r, line_net(line)), r->lang);
        const char *const cells[COLS] = {jstr(line, "description"),
                                         qty,
                                         jstr(line, "unit"),
                                         price,
                                         disc,
                                         vat_label(r, rate, vat, sizeof(vat)),
                                         net};
        /* measured once, in the dry pass; the drawing pass lays out only the rows it draws */
        double h;
        if (r->dry)
            h = r->row_h[i] = row(r, r->body, cells, 20, false);
        else
            h = r->row_h[i];
        if (need(r, h))
            table_header(r);
        if (drawing(r))
            row(r, r->body, cells, 20, true);
        r->y += h;
        rule(r, MARGIN, PAGE_W - MARGIN, r->y, 0.25);
    }
}

/* One line of the totals: label left, amount right, in the right-hand part of the page. */
static double total_line(struct render *r, const PangoFontDescription *f, const char *label,
                         int64_t cents, bool draw)
{
    char amount[48];
    xrm_pdf_fmt_amount(amount, sizeof(amount), shown(r, cents), r->lang);
    const double x = PAGE_W - MARGIN - 300;
    PangoLayout *a = layout(r, f, label, 200, PANGO_ALIGN_LEFT, 2);
    PangoLayout *b = layout(r, f, amount, 96, PANGO_ALIGN_RIGHT, 1);
    double h = fmax(layout_height(a), layout_height(b)) + 3;
    if (draw) {
        show(r, a, x, r->y);
        show(r, b, x + 204, r->y);
    }
    g_object_unref(a);
    g_object_unref(b);
    return h;
}

/*
 * An invoice with payments: what was paid and what is still open (the doc's "open", which
 * also counts credit notes, else the total less the payments). False without payments.
 */
static bool payments(const struct render *r, const struct totals *t, int64_t *paid, int64_t *open)
{
    *paid = jscaled(json_object_get(r->doc, "paid"), 0);
    if (r->kind != K_INVOICE || *paid <= 0)
        return false;
    const json_t *o = json_object_get(r->doc, "open");
    *open = json_is_number(o) ? jscaled(o, 0) : t->gross - *paid;
    return true;
}

static void totals_block(struct render *r)
{
    struct totals t;
    doc_totals(r->doc, &t);
    char label[200], base[48];
    /* measure the block whole, so it is never split over two pages */
    for (int pass = 0; pass < 2; pass++) {
        bool draw = pass == 1;
        double y0 = r->y;
        r->y += 10;
        r->y += total_line(r, r->body, L(r, L_SUBTOTAL), t.net, draw);
        for (int k = 0; k < RATES; k++) {
            if (!t.present[k])
                continue;
            xrm_pdf_fmt_amount(base, sizeof(base), shown(r, t.base[k]), r->lang);
            if (k == 3)
                snprintf(label, sizeof(label), L(r, L_EXEMPT_ON), base);
            else if (k == 4)
                snprintf(label, sizeof(label), L(r, L_REVERSE_ON), base);
            else {
                char pct[16];
                snprintf(pct, sizeof(pct), "%s%%", rate_order[k]);
                snprintf(label, sizeof(label), L(r, L_VAT_ON), pct, base);
            }
            r->y += total_line(r, r->body, label, t.amount[k], draw);
        }
        r->y += 3;
        if (draw)
            rule(r, PAGE_W - MARGIN - 300, PAGE_W - MARGIN, r->y, 0.8);
        r->y += 3;
        r->y += total_line(r, r->bold, L(r, L_TOTAL), t.gross, draw);
        int64_t paid, open;
        if (payments(r, &t, &paid, &open)) {
            r->y += 4;
            r->y += total_line(r, r->body, L(r, L_PAID), -paid, draw);
            r->y += total_line(r, r->bold, L(r, L_OPEN), open, draw);
        }
        if (!draw) {
            double h = r->y - y0;
            r->y = y0;
            need(r, h);
        }
    }
    r->y += 16;
}

static bool has_discount(const json_t *doc)
{
    size_t i;
    const json_t *line;
    json_array_foreach(json_object_get(doc, "lines"), i, line)
    {
        if (jscaled(json_object_get(line, "discount_pct"), 2) != 0)
            return true;
    }
    return false;
}

static bool has_reverse_charge(const json_t *doc)
{
    size_t i;
    const json_t *line;
    json_array_foreach(json_object_get(doc, "lines"), i, line)
    {
        if (strcmp(jstr(line, "vat"), "reverse_charge") == 0)
            return true;
    }
    return false;
}

/* A paragraph over the content width, on a new page when it does not fit. */
static void paragraph(struct render *r, const PangoFontDescription *f, const char *s, int max_lines)
{
    if (!*s)
        return;
    PangoLayout *lay = layout(r, f, s, CONTENT_W, PANGO_ALIGN_LEFT, max_lines);
    double h = layout_height(lay);
    need(r, h);
    show(r, lay, MARGIN, r->y);
    g_object_unref(lay);
    r->y += h + 8;
}

static void notes(struct render *r)
{
    char line[1200];
    const json_t *buyer = json_object_get(r->doc, "buyer");
    if (has_reverse_charge(r->doc)) {
        if (*jstr(buyer, "vat"))
            snprintf(line, sizeof(line), L(r, L_REVERSE_NOTE_ID), jstr(buyer, "vat"));
        else
            snprintf(line, sizeof(line), "%s", L(r, L_REVERSE_NOTE));
        paragraph(r, r->bold, line, 3);
    }
    if (r->kind == K_INVOICE) {
        struct totals t;
        doc_totals(r->doc, &t);
        const json_t *seller = json_object_get(r->doc, "seller");
        struct xrm_buf b = XRM_BUF_INIT;
        char amount[48], date[64];
        int64_t paid, due = t.gross;
        bool credited = strcmp(jstr(r->doc, "status"), "credited") == 0;
        if (credited) {
            paragraph(r, r->body, L(r, L_CREDITED_NOTE), 2);
            due = 0;
        } else if (payments(r, &t, &paid, &due) && due <= 0) {
            paragraph(r, r->body, L(r, L_PAID_NOTE), 2);
        }
        xrm_pdf_fmt_amount(amount, sizeof(amount), due, r->lang);
        xrm_buf_addf(&b, L(r, L_PAY), amount);
        if (*jstr(r->doc, "due")) {
            xrm_pdf_fmt_date(date, sizeof(date), jstr(r->doc, "due"), r->lang);
            xrm_buf_addf(&b, L(r, L_PAY_BEFORE), date);
        }
        const char *iban = jstr(seller, "iban");
        if (*iban) {
            char grouped[128];
            fmt_iban(grouped, sizeof(grouped), iban);
            xrm_buf_addf(&b, L(r, L_PAY_IBAN), grouped);
            if (*jstr(seller, "legal_name"))
                xrm_buf_addf(&b, L(r, L_PAY_NAME), jstr(seller, "legal_name"));
        }
        if (*jstr(r->doc, "number"))
            xrm_buf_addf(&b, L(r, L_PAY_REF), jstr(r->doc, "number"));
        xrm_buf_adds(&b, ".");
        if (due > 0)
            paragraph(r, r->body, b.s, 4);
        xrm_buf_release(&b);
    } else if (r->kind == K_QUOTE && *jstr(r->doc, "valid_until")) {
        char date[64];
        xrm_pdf_fmt_date(date, sizeof(date), jstr(r->doc, "valid_until"), r->lang);
        snprintf(line, sizeof(line), L(r, L_VALID_NOTE), date);
        paragraph(r, r->body, line, 2);
    }
    paragraph(r, r->body, jstr(r->doc, "note"), 40);
}

/* ---- the commission statement --------------------------------------------------------------- */

/* "2026-Q4" as "4e kwartaal 2026" / "Q4 2026", "2026-11" as "november 2026", "2026" as is. */
static void period_words(const struct render *r, char *dst, size_t n, const char *p)
{
    static const char *const nl[12] = {"januari",   "februari", "maart",    "april",
                                       "mei",       "juni",     "juli",     "augustus",
                                       "september", "oktober",  "november", "december"};
    static const char *const en[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};
    size_t len = strlen(p);
    bool digits = len == 7 && p[5] >= '0' && p[5] <= '1' && p[6] >= '0' && p[6] <= '9';
    int month = digits ? (p[5] - '0') * 10 + (p[6] - '0') : 0;
    if (len == 0)
        snprintf(dst, n, "%s", L(r, L_ST_ALL_PERIODS));
    else if (len == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4')
        snprintf(dst, n, L(r, L_ST_QUARTER), p[6] - '0', p);
    else if (month >= 1 && month <= 12 && p[4] == '-')
        snprintf(dst, n, "%s %.4s", lang_en(r->lang) ? en[month - 1] : nl[month - 1], p);
    else
        snprintf(dst, n, "%s", p);
}

static const char *status_label(const struct render *r, const char *status)
{
    if (strcmp(status, "open") == 0)
        return L(r, L_ST_OPEN);
    if (strcmp(status, "approved") == 0)
        return L(r, L_ST_APPROVED);
    if (strcmp(status, "paid") == 0)
        return L(r, L_ST_PAID);
    if (strcmp(status, "cancelled") == 0)
        return L(r, L_ST_CANCELLED);
    return status;
}

/* Logo and seller as on an invoice, then the title, the partner and the period. */
static void statement_head(struct render *r)
{
    char period[128];
    double y = seller_block(r, json_object_get(r->doc, "seller"));
    y += text(r, r->title, title_of(r), MARGIN, y, CONTENT_W, PANGO_ALIGN_LEFT, 1) + 8;
    period_words(r, period, sizeof(period), jstr(r->doc, "period"));
    const char *facts[2][2] = {{L(r, L_ST_PARTNER), jstr(r->doc, "partner_name")},
                               {L(r, L_ST_PERIOD), period}};
    for (int i = 0; i < 2; i++) {
        double h = text(r, r->body, facts[i][0], MARGIN, y, 90, PANGO_ALIGN_LEFT, 1);
        double h2 = text(r, i == 0 ? r->bold : r->body, facts[i][1], MARGIN + 90, y, CONTENT_W - 90,
                         PANGO_ALIGN_LEFT, 2);
        y += fmax(h, h2) + 1;
    }
    r->y = y + 14;
}

static void statement_lines(struct render *r)
{
    size_t i;
    const json_t *line;
    table_header(r);
    json_array_foreach(json_object_get(r->doc, "lines"), i, line)
    {
        char won[64], base[48], pct[48], amount[48];
        xrm_pdf_fmt_date(won, sizeof(won), jstr(line, "won_on"), r->lang);
        xrm_pdf_fmt_amount(base, sizeof(base), jscaled(json_object_get(line, "base"), 0), r->lang);
        xrm_pdf_fmt_percent(pct, sizeof(pct), jscaled(json_object_get(line, "commission_pct"), 2),
                            r->lang);
        xrm_pdf_fmt_amount(amount, sizeof(amount), jscaled(json_object_get(line, "amount"), 0),
                           r->lang);
        const char *const cells[COLS] = {jstr(line, "deal_title"),
                                         jstr(line, "party_name"),
                                         won,
                                         base,
                                         pct,
                                         amount,
                                         status_label(r, jstr(line, "status"))};
        double h;
        if (r->dry)
            h = r->row_h[i] = row(r, r->body, cells, 4, false);
        else
            h = r->row_h[i];
        if (need(r, h))
            table_header(r);
        if (drawing(r))
            row(r, r->body, cells, 4, true);
        r->y += h;
        rule(r, MARGIN, PAGE_W - MARGIN, r->y, 0.25);
    }
    if (json_array_size(json_object_get(r->doc, "lines")) == 0) {
        r->y += 6;
        paragraph(r, r->body, L(r, L_ST_NONE), 2);
    }
}

/* Per currency of the statement's totals: each status, then the total (all but cancelled). */
static void statement_totals(struct render *r)
{
    static const struct {
        const char *key;
        enum label label;
    } parts[] = {{"open", L_ST_OPEN},
                 {"approved", L_ST_APPROVED},
                 {"paid", L_ST_PAID},
                 {"cancelled", L_ST_CANCELLED}};
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(r->doc, "totals"), i, t)
    {
        for (int pass = 0; pass < 2; pass++) {
            bool draw = pass == 1;
            double y0 = r->y;
            r->y += 10;
            for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
                r->y += total_line(r, r->body, L(r, parts[k].label),
                                   jscaled(json_object_get(t, parts[k].key), 0), draw);
            r->y += 3;
            if (draw)
                rule(r, PAGE_W - MARGIN - 300, PAGE_W - MARGIN, r->y, 0.8);
            r->y += 3;
            r->y += total_line(r, r->bold, L(r, L_ST_TOTAL),
                               jscaled(json_object_get(t, "total"), 0), draw);
            if (!draw) {
                double h = r->y - y0;
                r->y = y0;
                need(r, h);
            }
        }
        r->y += 6;
    }
}

/* The whole document: every page, drawn or only measured as r says. */
static void document(struct render *r)
{
    r->page = 1;
    begin_page(r);
    if (r->kind == K_STATEMENT) {
        statement_head(r);
        statement_lines(r);
        statement_totals(r);
    } else {
        head(r);
        lines_table(r);
        totals_block(r);
        notes(r);
    }
    end_page(r);
}

/* ---- set-up and the two outputs ------------------------------------------------------------ */

static enum kind kind_of(const json_t *doc, const struct xrm_pdf_opts *o)
{
    const char *t = o->type;
    if (!t || !*t)
        t = strcmp(jstr(doc, "kind"), "credit_note") == 0 ? "credit_note"
            : json_object_get(doc, "valid_until")         ? "quote"
                                                          : "invoice";
    if (strcmp(t, "quote") == 0)
        return K_QUOTE;
    if (strcmp(t, "credit_note") == 0)
        return K_CREDIT;
    if (strcmp(t, "statement") == 0)
        return K_STATEMENT;
    return K_INVOICE;
}

static PangoFontDescription *font(double size, PangoWeight weight)
{
    PangoFontDescription *f = pango_font_description_new();
    pango_font_description_set_family(f, FONT);
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    pango_font_description_set_weight(f, weight);
    return f;
}

static int check_doc(const json_t *doc, char *errmsg, size_t errlen)
{
    if (!json_is_object(doc)) {
        snprintf(errmsg, errlen, "the document is not a JSON object");
        return -1;
    }
    size_t n = json_array_size(json_object_get(doc, "lines"));
    if (n > XRM_PDF_MAX_LINES) {
        snprintf(errmsg, errlen, "a document has at most %d lines, not %zu", XRM_PDF_MAX_LINES, n);
        return -1;
    }
    return 0;
}

/* Sets up r on cr (fonts, a font map of its own), lays out doc twice, draws page `only`. */
static void render(cairo_t *cr, const json_t *doc, const struct xrm_pdf_opts *o, bool pdf, int only)
{
    struct render r = {0};
    r.cr = cr;
    r.doc = doc;
    r.lang = lang_en(o->lang) ? "en" : "nl";
    r.l = lang_en(o->lang) ? labels_en : labels_nl;
    r.kind = kind_of(doc, o);
    r.draft = o->draft;
    r.pdf = pdf;
    r.only = only;
    r.fontmap = pango_cairo_font_map_new();
    r.ctx = pango_font_map_create_context(r.fontmap);
    pango_cairo_context_set_resolution(r.ctx, 72);
    /* metrics unhinted: the preview breaks lines and pages where the PDF does */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(r.ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(r.ctx, FALSE);
    pango_cairo_update_context(cr, r.ctx);
    r.body = font(9, PANGO_WEIGHT_NORMAL);
    r.bold = font(9, PANGO_WEIGHT_BOLD);
    r.small = font(8, PANGO_WEIGHT_NORMAL);
    r.small_bold = font(8, PANGO_WEIGHT_BOLD);
    r.title = font(20, PANGO_WEIGHT_BOLD);
    r.mark = font(110, PANGO_WEIGHT_BOLD);
    logo_load(&r.logo, o);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);

    /* the discount column only when a line has a discount; else the description has its room */
    memcpy(r.col_w, r.kind == K_STATEMENT ? st_col_w : col_w, sizeof(col_w));
    r.col_al = r.kind == K_STATEMENT ? st_col_al : col_al;
    if (r.kind != K_STATEMENT && !has_discount(doc)) {
        r.col_w[0] += r.col_w[COL_DISC];
        r.col_w[COL_DISC] = 0;
    }
    r.row_h = xrm_calloc(json_array_size(json_object_get(doc, "lines")) + 1, sizeof(double));
    r.dry = true;
    document(&r);
    r.pages = r.page;
    r.dry = false;
    document(&r);

    free(r.row_h);
    bool svg = r.logo.svg != NULL;
    logo_free(&r.logo);
    /* librsvg lays out an SVG's text with this thread's default Pango font map; dropped here
       (it is made again when needed) so that nothing outlives the render, and xrm itself
       never uses the default one */
    if (svg)
        pango_cairo_font_map_set_default(NULL);
    pango_font_description_free(r.body);
    pango_font_description_free(r.bold);
    pango_font_description_free(r.small);
    pango_font_description_free(r.small_bold);
    pango_font_description_free(r.title);
    pango_font_description_free(r.mark);
    g_object_unref(r.ctx);
    g_object_unref(r.fontmap);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
    xrm_buf_add(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

int xrm_pdf_render(const json_t *doc, const struct xrm_pdf_opts *o, struct xrm_buf *out,
                   char *errmsg, size_t errlen)
{
    int rc = -1;
    cairo_surface_t *s = NULL;
    cairo_t *cr = NULL;
    struct xrm_pdf_opts none = {0};
    char title[600], stamp[32], check[64];
    if (!o)
        o = &none;
    if (check_doc(doc, errmsg, errlen))
        goto out;
    s = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
    struct render names = {.l = lang_en(o->lang) ? labels_en : labels_nl, .doc = doc};
    names.kind = kind_of(doc, o);
    snprintf(title, sizeof(title), "%s %s", title_of(&names), number_of(&names));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "xrm");
    /* a fixed creation date (the document's) keeps the bytes the same for the same document */
    const char *date = jstr(doc, "date");
    if (xrm_pdf_fmt_date(check, sizeof(check), date, "nl"))
        snprintf(stamp, sizeof(stamp), "%sT00:00:00Z", date);
    else
        snprintf(stamp, sizeof(stamp), "%s", "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, stamp);
    cr = cairo_create(s);
    render(cr, doc, o, true, 0);
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(errmsg, errlen, "cannot make the PDF: %s",
                 cairo_status_to_string(cairo_surface_status(s)));
        goto out;
    }
    rc = 0;
out:
    if (cr)
        cairo_destroy(cr);
    if (s)
        cairo_surface_destroy(s);
    return rc;
}

int xrm_png_render(const json_t *doc, const struct xrm_pdf_opts *o, struct xrm_buf *out,
                   char *errmsg, size_t errlen)
{
    int rc = -1;
    cairo_surface_t *s = NULL;
    cairo_t *cr = NULL;
    struct xrm_pdf_opts none = {0};
    if (!o)
        o = &none;
    if (check_doc(doc, errmsg, errlen))
        goto out;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, XRM_PNG_WIDTH, XRM_PNG_HEIGHT);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, XRM_PNG_SCALE, XRM_PNG_SCALE);
    render(cr, doc, o, false, 1);
    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_flush(s);
    cairo_status_t st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_write_to_png_stream(s, write_buf, out);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(errmsg, errlen, "cannot make the PNG: %s", cairo_status_to_string(st));
        goto out;
    }
    rc = 0;
out:
    if (cr)
        cairo_destroy(cr);
    if (s)
        cairo_surface_destroy(s);
    return rc;
}

int xrm_pdf_statement(const json_t *stmt, const struct xrm_pdf_opts *o, struct xrm_buf *out,
                      char *errmsg, size_t errlen)
{
    struct xrm_pdf_opts so = {0};
    if (o)
        so = *o;
    so.type = "statement";
    so.draft = false;
    return xrm_pdf_render(stmt, &so, out, errmsg, errlen);
}
