/*
 * libFuzzer target: the CSV reader. Any input, fed whole and in uneven
 * chunks, must give the same rows (fields, lengths and lines) and the same
 * result, with small caps so the limit paths run too; every field is valid
 * UTF-8 unless the row says why not. Writing the rows and reading them back
 * gives the same fields.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/csv.h"
#include "io/text.h"

static enum xrm_rc collect(void *ctx, const struct xrm_csv_row *row, struct xrm_err *err)
{
    json_t *r = json_array();
    json_array_append_new(r, json_integer(row->line));
    json_array_append_new(r, json_boolean(row->error != NULL));
    for (size_t i = 0; i < row->n; i++) {
        if (strlen(row->fields[i]) != row->lens[i])
            abort();
        if (!row->error && !xrm_text_utf8_valid(row->fields[i], row->lens[i]))
            abort();
        json_array_append_new(r, json_stringn_nocheck(row->fields[i], row->lens[i]));
    }
    json_array_append_new(ctx, r);
    return XRM_OK;
}

static enum xrm_rc run(const uint8_t *data, size_t size, size_t chunk, json_t *rows)
{
    struct xrm_csv_limits lim = {.field_max = 300, .fields_max = 40, .row_max = 1000};
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_csv *c = xrm_csv_new(collect, rows, &lim);
    enum xrm_rc rc = XRM_OK;
    for (size_t i = 0; i < size && !rc; i += chunk)
        rc = xrm_csv_feed(c, data + i, size - i < chunk ? size - i : chunk, &err);
    if (!rc)
        rc = xrm_csv_finish(c, &err);
    xrm_csv_free(c);
    return rc;
}

/* A row the writer must give back as it was: no error, two or more fields (a
 * single-column file may be read with another separator), not all empty (an
 * empty row is a blank line), and no field the writer escapes with an
 * apostrophe. */
static bool comparable(json_t *r)
{
    size_t n = json_array_size(r);
    bool any = false;
    if (json_is_true(json_array_get(r, 1)) || n < 4)
        return false;
    for (size_t k = 2; k < n; k++) {
        const char *v = json_string_value(json_array_get(r, k));
        if (*v)
            any = true;
        if (*v && strchr("=+-@\t\r", v[0]) && (strlen(v) > 255 || strpbrk(v, "\r\n")))
            return false;
    }
    return any;
}

static void write_read_back(json_t *rows)
{
    struct xrm_buf out = XRM_BUF_INIT;
    json_t *kept = json_array();
    xrm_csv_write_bom(&out);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (!comparable(r))
            continue;
        size_t n = json_array_size(r) - 2;
        const char **v = malloc(n * sizeof(*v));
        bool *text = malloc(n);
        for (size_t k = 0; k < n; k++) {
            v[k] = json_string_value(json_array_get(r, k + 2));
            text[k] = k % 2;
        }
        xrm_csv_write_row(&out, v, text, n);
        free(v);
        free(text);
        json_array_append(kept, r);
    }
    json_t *back = json_array();
    struct xrm_csv_limits lim = {.field_max = 100000, .fields_max = 100, .row_max = 1000000};
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_csv *c = xrm_csv_new(collect, back, &lim);
    if (xrm_csv_feed(c, out.s, out.len, &err) || xrm_csv_finish(c, &err))
        abort();
    if (json_array_size(back) != json_array_size(kept))
        abort();
    json_array_foreach(kept, i, r)
    {
        json_t *g = json_array_get(back, i);
        if (json_array_size(g) != json_array_size(r))
            abort();
        for (size_t k = 2; k < json_array_size(r); k++)
            if (!json_equal(json_array_get(g, k), json_array_get(r, k)))
                abort();
    }
    xrm_csv_free(c);
    json_decref(back);
    json_decref(kept);
    xrm_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *a = json_array(), *b = json_array();
    enum xrm_rc ra = run(data, size, size ? size : 1, a);
    enum xrm_rc rb = run(data, size, 3, b);
    if (ra != rb || !json_equal(a, b))
        abort();
    if (ra == XRM_OK)
        write_read_back(a);
    json_decref(a);
    json_decref(b);
    return 0;
}
