/*
 * libFuzzer target: the vCard reader and writer. Any input, fed whole and
 * byte by byte, gives the same cards and result under small caps; every
 * card read is written as vCard 4.0, and that text read back gives one card
 * that, written again, is the same text (the writer is a fixed point); the
 * same holds for the vCard 3.0 writer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/vcard.h"

static enum xrm_rc collect(void *ctx, json_t *card, long line, struct xrm_err *err)
{
    json_array_append(ctx, card);
    return XRM_OK;
}

static enum xrm_rc run(const char *data, size_t size, size_t chunk, json_t *cards)
{
    struct xrm_vcard_limits lim = {.line_max = 2000, .card_max = 3000, .props_max = 40};
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_vcard *r = xrm_vcard_new(collect, cards, &lim);
    enum xrm_rc rc = XRM_OK;
    for (size_t i = 0; i < size && !rc; i += chunk)
        rc = xrm_vcard_feed(r, data + i, size - i < chunk ? size - i : chunk, &err);
    if (!rc)
        rc = xrm_vcard_finish(r, &err);
    xrm_vcard_free(r);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *a = json_array(), *b = json_array();
    enum xrm_rc ra = run((const char *)data, size, size ? size : 1, a);
    enum xrm_rc rb = run((const char *)data, size, 1, b);
    if (ra != rb || !json_equal(a, b))
        abort();
    size_t i;
    json_t *card;
    json_array_foreach(a, i, card)
    {
        struct xrm_buf w1 = XRM_BUF_INIT, w2 = XRM_BUF_INIT;
        xrm_vcard_write(&w1, card);
        json_t *back = json_array();
        if (run(w1.s, w1.len, w1.len, back) == XRM_OK) {
            if (json_array_size(back) != 1)
                abort();
            xrm_vcard_write(&w2, json_array_get(back, 0));
            if (w1.len != w2.len || memcmp(w1.s, w2.s, w1.len) != 0)
                abort();
        }
        json_decref(back);
        xrm_buf_release(&w1);
        xrm_buf_release(&w2);
        xrm_vcard_write_v(&w1, card, 30);
        back = json_array();
        if (run(w1.s, w1.len, w1.len, back) == XRM_OK) {
            if (json_array_size(back) != 1)
                abort();
            xrm_vcard_write_v(&w2, json_array_get(back, 0), 30);
            if (w1.len != w2.len || memcmp(w1.s, w2.s, w1.len) != 0)
                abort();
        }
        json_decref(back);
        xrm_buf_release(&w1);
        xrm_buf_release(&w2);
    }
    json_decref(a);
    json_decref(b);
    return 0;
}
