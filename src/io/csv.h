/*
 * CSV in and out: the streaming reader of imported spreadsheets and contact
 * exports, and the writer of exports that open correctly in Excel with Dutch
 * settings and in LibreOffice.
 *
 * The reader is fed by chunks of any size (xrm_csv_feed, then
 * xrm_csv_finish) and calls back once per row, so a file of a million rows
 * never sits in memory: what it holds is one row plus one chunk. Fields are
 * split by Debian's libcsv; around it the reader
 *   - skips a UTF-8 byte order mark and refuses UTF-16 with a clear message;
 *   - takes the separator (',' ';' or tab) that occurs most often outside
 *     quotes in the header line (',' when none does);
 *   - decides the encoding at the first non-ASCII field: valid UTF-8 makes
 *     the file UTF-8, anything else Windows-1252 (converted with iconv;
 *     bytes 1252 leaves undefined become U+FFFD). Everything before that
 *     field was ASCII, the same in both;
 *   - gives each row the physical line number where it starts (quoted
 *     fields may span lines; CRLF and LF both end a line; blank lines are
 *     skipped);
 *   - turns a cell of the form ="..." (the writer's text cells) back into
 *     its text;
 *   - caps field length, fields per row and row bytes: exceeding one stops
 *     the file with XRM_E_LIMIT and a message naming the line.
 * A row whose bytes are not valid in the file's encoding (invalid UTF-8 in
 * a UTF-8 file, a NUL byte) is still passed on, with error set, so the
 * caller can report it and go on.
 *
 * Ownership: the reader is the caller's (xrm_csv_free). A row and its
 * strings belong to the reader and are valid during the callback only.
 */
#ifndef XRM_IO_CSV_H
#define XRM_IO_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define XRM_CSV_FIELD_MAX (64 * 1024)
#define XRM_CSV_FIELDS_MAX 1024
#define XRM_CSV_ROW_MAX (1024 * 1024)

struct xrm_csv_limits {
    size_t field_max;  /* bytes in one field (before conversion) */
    size_t fields_max; /* fields in one row */
    size_t row_max;    /* bytes of one row, fields together (after conversion) */
};

struct xrm_csv_row {
    long line;           /* physical line (1-based) where the row starts */
    size_t n;            /* number of fields */
    const char **fields; /* n NUL-terminated UTF-8 strings */
    const size_t *lens;  /* their lengths */
    const char *error;   /* NULL, or why the row's bytes are not valid text */
};

/*
 * Called once per row, the header row included (it is row 1 of the file
 * unless blank lines precede it). A non-zero return stops the reader: feed
 * and finish return it (the callback fills err itself when it wants a
 * message).
 */
typedef enum xrm_rc (*xrm_csv_row_fn)(void *ctx, const struct xrm_csv_row *row,
                                      struct xrm_err *err);

struct xrm_csv;

/* A reader calling fn(ctx, ...) per row; limits NULL means the XRM_CSV_*_MAX caps. */
struct xrm_csv *xrm_csv_new(xrm_csv_row_fn fn, void *ctx, const struct xrm_csv_limits *limits);
void xrm_csv_free(struct xrm_csv *c);

/*
 * Parses the next n bytes. Returns XRM_OK, XRM_E_LIMIT (a cap, err names the
 * line), XRM_E_MALFORMED (UTF-16 input) or the callback's code. After an
 * error the reader takes no more input.
 */
enum xrm_rc xrm_csv_feed(struct xrm_csv *c, const void *data, size_t n, struct xrm_err *err);
/* Ends the input: the last row may lack its line end. Same returns as feed. */
enum xrm_rc xrm_csv_finish(struct xrm_csv *c, struct xrm_err *err);

/* The separator found in the header line; '\0' before it is known. */
char xrm_csv_separator(const struct xrm_csv *c);
/* "utf-8", "windows-1252", or NULL while the file has been ASCII only. */
const char *xrm_csv_encoding(const struct xrm_csv *c);

/*
 * The writer. Exports are UTF-8 with a byte order mark, ';' between fields
 * and CRLF after each row: what Excel with Dutch settings (where ',' is the
 * decimal comma) opens as columns, with accents intact, on a double click;
 * LibreOffice detects all three.
 *
 * A text cell (as_text) is written as ="value": Excel and LibreOffice both
 * evaluate it to the string itself, so a phone number keeps its '+', a
 * postcode or a number with leading zeros is not turned into a number, and
 * a long digit string not into 3,16E+10. A leading apostrophe would not
 * work: in a CSV file both programs show it as part of the value. Values
 * that would start a formula (= + - @, tab, CR) are always written that
 * way, so a name like "=HYPERLINK(...)" is shown, never evaluated. Excel
 * limits a string in a formula to 255 characters; longer values, or ones
 * with a line break, get a leading apostrophe instead when they would start
 * a formula, and are written plainly otherwise.
 * Other cells are quoted when they hold ';', ',', tab, '"', CR, LF or edge
 * spaces (',' and tab so that a reader guessing the separator from the
 * header line, as this one does, does not count them).
 */
/* The byte order mark that starts an export. */
void xrm_csv_write_bom(struct xrm_buf *b);
/* One cell, without separator. value NULL is an empty cell. */
void xrm_csv_write_cell(struct xrm_buf *b, const char *value, bool as_text);
/*
 * One row of n cells separated by ';' and ended by CRLF; as_text may be
 * NULL (no text cells) or give one flag per cell.
 */
void xrm_csv_write_row(struct xrm_buf *b, const char *const *values, const bool *as_text, size_t n);

#endif
