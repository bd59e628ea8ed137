/*
 * The streaming CSV reader (around libcsv) and the Excel-friendly writer.
 *
 * libcsv splits fields and handles quotes, "" escapes and line ends inside
 * quoted fields; it is fed here one physical line at a time (a piece ends
 * after each LF and each CR, and holds at most
 * PIECE bytes at once), which is what lets the reader know the line a row
 * starts on and check the field cap before libcsv's buffer grows past it by
 * more than one piece. Only ' ' counts as padding to libcsv (its default
 * also trims tabs, which would eat empty fields of a tab-separated file).
 */
#include "io/csv.h"
#include "io/text.h"
#include "core/mem.h"

#include <csv.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define PIECE 4096

enum csv_enc { ENC_UNKNOWN, ENC_UTF8, ENC_CP1252 };
enum csv_state { ST_HEADER, ST_BODY, ST_STOPPED };

struct xrm_csv {
    xrm_csv_row_fn fn;
    void *ctx;
    struct xrm_csv_limits lim;
    enum csv_state state;
    struct csv_parser p;
    bool p_init;
    struct xrm_buf head; /* bytes before the header line's end */
    bool head_quoted;    /* inside quotes in head */
    char sep;
    enum csv_enc enc;
    iconv_t cd;
    long line;         /* physical line of the next byte fed */
    long row_line;     /* line where the current row started */
    bool at_row_start; /* no byte of the next row fed yet */
    size_t row_raw;    /* input bytes fed since the last row ended */
    /* the row being built: fields NUL-separated in data */
    struct xrm_buf data;
    size_t nf, cap;
    size_t *offs, *lens;
    const char **ptrs;
    const char *row_error;
    enum xrm_rc rc;
    struct xrm_err *err; /* the current feed's, for the callbacks */
    struct xrm_buf conv;
};

static int is_pad(unsigned char c)
{
    return c == ' ';
}

struct xrm_csv *xrm_csv_new(xrm_csv_row_fn fn, void *ctx, const struct xrm_csv_limits *limits)
{
    struct xrm_csv *c = xrm_calloc(1, sizeof(*c));
    c->fn = fn;
    c->ctx = ctx;
    if (limits) {
        c->lim = *limits;
    } else {
        c->lim.field_max = XRM_CSV_FIELD_MAX;
        c->lim.fields_max = XRM_CSV_FIELDS_MAX;
        c->lim.row_max = XRM_CSV_ROW_MAX;
    }
    c->head = (struct xrm_buf)XRM_BUF_INIT;
    c->data = (struct xrm_buf)XRM_BUF_INIT;
    c->conv = (struct xrm_buf)XRM_BUF_INIT;
    c->cd = (iconv_t)-1;
    c->line = 1;
    c->row_line = 1;
    c->at_row_start = true;
    return c;
}

void xrm_csv_free(struct xrm_csv *c)
{
    if (!c)
        return;
    if (c->p_init)
        csv_free(&c->p);
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    xrm_buf_release(&c->head);
    xrm_buf_release(&c->data);
    xrm_buf_release(&c->conv);
    free(c->offs);
    free(c->lens);
    free(c->ptrs);
    free(c);
}

char xrm_csv_separator(const struct xrm_csv *c)
{
    return c->sep;
}

const char *xrm_csv_encoding(const struct xrm_csv *c)
{
    return c->enc == ENC_UTF8 ? "utf-8" : c->enc == ENC_CP1252 ? "windows-1252" : NULL;
}

static enum xrm_rc stop(struct xrm_csv *c, enum xrm_rc rc)
{
    c->rc = rc;
    c->state = ST_STOPPED;
    return rc;
}

static bool has_high(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

/*
 * The text of a ="..." cell (with "" for a quote inside) into c->conv;
 * false when s is not exactly that form.
 */
static bool unwrap_text_cell(struct xrm_csv *c, const char *s, size_t n)
{
    if (n < 3 || s[0] != '=' || s[1] != '"' || s[n - 1] != '"')
        return false;
    xrm_buf_reset(&c->conv);
    for (size_t i = 2; i < n - 1; i++) {
        if (s[i] == '"') {
            if (i + 1 >= n - 1 || s[i + 1] != '"')
                return false;
            i++;
        }
        xrm_buf_addc(&c->conv, s[i]);
    }
    return true;
}

static void add_field_bytes(struct xrm_csv *c, const char *s, size_t n)
{
    if (memchr(s, '\0', n)) {
        c->row_error = "NUL byte in a field";
        return;
    }
    if (!has_high(s, n)) {
        xrm_buf_add(&c->data, s, n);
        return;
    }
    if (c->enc == ENC_UNKNOWN)
        c->enc = xrm_text_utf8_valid(s, n) ? ENC_UTF8 : ENC_CP1252;
    if (c->enc == ENC_UTF8) {
        if (xrm_text_utf8_valid(s, n))
            xrm_buf_add(&c->data, s, n);
        else
            c->row_error = "invalid UTF-8 in a UTF-8 file";
        return;
    }
    if (c->cd == (iconv_t)-1)
        c->cd = iconv_open("UTF-8", "WINDOWS-1252");
    if (c->cd == (iconv_t)-1)
        XRM_BUG("iconv lacks WINDOWS-1252");
    xrm_text_iconv(c->cd, &c->data, s, n);
}

static void on_field(void *s, size_t n, void *ctx)
{
    struct xrm_csv *c = ctx;
    if (c->rc)
        return;
    if (c->nf >= c->lim.fields_max) {
        xrm_errf(c->err, XRM_E_LIMIT, "row on line %ld has more than %zu fields", c->row_line,
                 c->lim.fields_max);
        stop(c, XRM_E_LIMIT);
        return;
    }
    if (n > c->lim.field_max) {
        xrm_errf(c->err, XRM_E_LIMIT, "field in the row on line %ld is longer than %zu bytes",
                 c->row_line, c->lim.field_max);
        stop(c, XRM_E_LIMIT);
        return;
    }
    if (c->nf == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->offs = xrm_realloc(c->offs, c->cap * sizeof(*c->offs));
        c->lens = xrm_realloc(c->lens, c->cap * sizeof(*c->lens));
        c->ptrs = xrm_realloc(c->ptrs, c->cap * sizeof(*c->ptrs));
    }
    const char *str = s ? s : "";
    size_t start = c->data.len;
    c->offs[c->nf] = start;
    if (unwrap_text_cell(c, str, n)) {
        add_field_bytes(c, c->conv.s, c->conv.len);
    } else {
        add_field_bytes(c, str, n);
    }
    c->lens[c->nf] = c->data.len - start;
    xrm_buf_addc(&c->data, '\0');
    c->nf++;
    if (c->data.len > c->lim.row_max) {
        xrm_errf(c->err, XRM_E_LIMIT, "row on line %ld is longer than %zu bytes", c->row_line,
                 c->lim.row_max);
        stop(c, XRM_E_LIMIT);
    }
}

/*
 * The row cap on input bytes: checked after every piece (so a runaway
 * field cannot grow without bound) and when a row ends (so a row is
 * refused the same way however its bytes were fed).
 */
static bool row_too_long(struct xrm_csv *c)
{
    if (c->row_raw <= c->lim.row_max)
        return false;
    xrm_errf(c->err, XRM_E_LIMIT, "row on line %ld is longer than %zu bytes", c->row_line,
             c->lim.row_max);
    stop(c, XRM_E_LIMIT);
    return true;
}

static void on_row(int term, void *ctx)
{
    struct xrm_csv *c = ctx;
    (void)term;
    if (c->rc || row_too_long(c))
        return;
    for (size_t i = 0; i < c->nf; i++)
        c->ptrs[i] = c->data.s + c->offs[i];
    struct xrm_csv_row row = {
        .line = c->row_line,
        .n = c->nf,
        .fields = c->ptrs,
        .lens = c->lens,
        .error = c->row_error,
    };
    enum xrm_rc rc = c->fn(c->ctx, &row, c->err);
    c->nf = 0;
    c->row_error = NULL;
    xrm_buf_reset(&c->data);
    c->at_row_start = true;
    c->row_raw = 0;
    if (rc)
        stop(c, rc);
}

/* Feeds s[0..n) (header known) to libcsv a line, or a piece of one, at a time. */
static enum xrm_rc feed_body(struct xrm_csv *c, const char *s, size_t n)
{
    while (n > 0 && !c->rc) {
        size_t len = n < PIECE ? n : PIECE;
        /* a piece ends at a line end, so a row can only end at a piece's end */
        const char *nl = memchr(s, '\n', len);
        if (nl)
            len = (size_t)(nl - s) + 1;
        const char *cr = memchr(s, '\r', len);
        if (cr && cr + 1 < s + len) {
            len = (size_t)(cr - s) + 1;
            nl = NULL;
        }
        if (c->at_row_start) {
            for (size_t i = 0; i < len; i++) {
                if (s[i] != '\r' && s[i] != '\n') {
                    c->row_line = c->line;
                    c->at_row_start = false;
                    break;
                }
            }
        }
        c->row_raw += len; /* a piece ends at the latest where a row ends */
        if (csv_parse(&c->p, s, len, on_field, on_row, c) != len && !c->rc) {
            xrm_errf(c->err, XRM_E_LIMIT, "cannot read the row on line %ld: %s", c->row_line,
                     csv_strerror(csv_error(&c->p)));
            return stop(c, XRM_E_LIMIT);
        }
        if (!c->rc && !c->at_row_start && row_too_long(c))
            return c->rc;
        if (nl)
            c->line++;
        s += len;
        n -= len;
    }
    return c->rc;
}

/* The separator most frequent outside quotes in the header line; ',' when none. */
static char detect_separator(const char *s, size_t n)
{
    size_t comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (size_t i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semi++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (tab > comma && tab > semi)
        return '\t';
    if (semi > comma)
        return ';';
    return ',';
}

/* Header line complete (or input ended): choose the separator, start libcsv. */
static enum xrm_rc start_body(struct xrm_csv *c)
{
    const char *s = c->head.s;
    size_t n = c->head.len;
    const unsigned char *u = (const unsigned char *)s;
    if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        xrm_errf(c->err, XRM_E_MALFORMED,
                 "the file is UTF-16; save it as CSV (UTF-8) or CSV (separated by semicolons)");
        return stop(c, XRM_E_MALFORMED);
    }
    if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
        s += 3;
        n -= 3;
        c->enc = ENC_UTF8;
    }
    c->sep = detect_separator(s, n);
    if (csv_init(&c->p, 0) != 0)
        XRM_BUG("csv_init failed");
    c->p_init = true;
    csv_set_delim(&c->p, (unsigned char)c->sep);
    csv_set_space_func(&c->p, is_pad);
    c->state = ST_BODY;
    struct xrm_buf head = c->head;
    c->head = (struct xrm_buf)XRM_BUF_INIT;
    enum xrm_rc rc = feed_body(c, s, n);
    xrm_buf_release(&head);
    return rc;
}

enum xrm_rc xrm_csv_feed(struct xrm_csv *c, const void *data, size_t n, struct xrm_err *err)
{
    const char *s = data;
    c->err = err;
    if (c->state == ST_STOPPED)
        return c->rc ? c->rc : xrm_errf(err, XRM_E_INTERNAL, "csv reader already finished");
    if (c->state == ST_HEADER) {
        /* the header line ends at the first line end outside quotes */
        const char *nl = NULL;
        for (size_t i = 0; i < n && !nl; i++) {
            if (s[i] == '"')
                c->head_quoted = !c->head_quoted;
            else if (s[i] == '\n' && !c->head_quoted)
                nl = s + i;
        }
        size_t take = nl ? (size_t)(nl - s) + 1 : n;
        if (c->head.len + take > c->lim.row_max) {
            xrm_errf(err, XRM_E_LIMIT, "header line is longer than %zu bytes", c->lim.row_max);
            return stop(c, XRM_E_LIMIT);
        }
        xrm_buf_add(&c->head, s, take);
        if (!nl)
            return XRM_OK;
        enum xrm_rc rc = start_body(c);
        if (rc)
            return rc;
        s += take;
        n -= take;
    }
    return feed_body(c, s, n);
}

enum xrm_rc xrm_csv_finish(struct xrm_csv *c, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    c->err = err;
    if (c->state == ST_STOPPED)
        return c->rc ? c->rc : xrm_errf(err, XRM_E_INTERNAL, "csv reader already finished");
    if (c->state == ST_HEADER && (rc = start_body(c)))
        return rc;
    csv_fini(&c->p, on_field, on_row, c);
    rc = c->rc;
    c->state = ST_STOPPED;
    return rc;
}

/* ---- writer ---- */

void xrm_csv_write_bom(struct xrm_buf *b)
{
    xrm_buf_adds(b, "\xef\xbb\xbf");
}

static void quoted(struct xrm_buf *b, const char *v)
{
    xrm_buf_addc(b, '"');
    for (; *v; v++) {
        if (*v == '"')
            xrm_buf_addc(b, '"');
        xrm_buf_addc(b, *v);
    }
    xrm_buf_addc(b, '"');
}

/* Excel's cap on a string constant inside a formula. */
#define FORMULA_TEXT_MAX 255

void xrm_csv_write_cell(struct xrm_buf *b, const char *v, bool as_text)
{
    if (!v || !*v)
        return;
    size_t n = strlen(v);
    bool formula_start = strchr("=+-@\t\r", v[0]) != NULL;
    bool breaks = strpbrk(v, "\r\n") != NULL;
    if ((as_text || formula_start) && n <= FORMULA_TEXT_MAX && !breaks) {
        struct xrm_buf cell = XRM_BUF_INIT;
        xrm_buf_adds(&cell, "=");
        quoted(&cell, v);
        quoted(b, cell.s);
        xrm_buf_release(&cell);
        return;
    }
    if (formula_start) {
        struct xrm_buf cell = XRM_BUF_INIT;
        xrm_buf_addc(&cell, '\'');
        xrm_buf_adds(&cell, v);
        quoted(b, cell.s);
        xrm_buf_release(&cell);
        return;
    }
    /* ',' and tab too: a reader guessing the separator must not count them */
    if (strpbrk(v, ";,\t\"\r\n") || v[0] == ' ' || v[n - 1] == ' ')
        quoted(b, v);
    else
        xrm_buf_add(b, v, n);
}

void xrm_csv_write_row(struct xrm_buf *b, const char *const *values, const bool *as_text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            xrm_buf_addc(b, ';');
        xrm_csv_write_cell(b, values[i], as_text && as_text[i]);
    }
    xrm_buf_adds(b, "\r\n");
}
