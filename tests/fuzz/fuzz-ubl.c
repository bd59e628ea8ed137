/*
 * libFuzzer target: the UBL reader. Any input is read without a crash or a
 * leak; what it accepts has a number, lines and totals, and comes out of
 * the writer as an invoice the reader accepts again with the same number
 * and totals when its rates are the writer's.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "io/ubl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *inv = NULL;
    char msg[256];
    if (xrm_ubl_read((const char *)data, size, &inv, msg, sizeof msg) != 0) {
        if (inv || !msg[0])
            __builtin_trap();
        return 0;
    }
    if (!json_string_value(json_object_get(inv, "number")) ||
        !json_is_array(json_object_get(inv, "lines")) ||
        !json_is_object(json_object_get(inv, "totals")))
        __builtin_trap();
    /* written as ours (the supplier as seller) it must read back the same */
    json_t *doc = json_deep_copy(inv);
    json_t *sup = json_object_get(doc, "supplier");
    json_object_set(sup, "legal_name", json_object_get(sup, "name"));
    json_object_set(doc, "seller", sup);
    struct xrm_buf b = XRM_BUF_INIT;
    if (json_string_value(json_object_get(sup, "name")) &&
        json_string_value(json_object_get(json_object_get(doc, "buyer"), "name")) &&
        json_string_value(json_object_get(doc, "date")) &&
        xrm_ubl_write(doc, &b, msg, sizeof msg) == 0) {
        json_t *back = NULL;
        if (xrm_ubl_read(b.s, b.len, &back, msg, sizeof msg) != 0)
            __builtin_trap();
        if (!json_equal(json_object_get(back, "number"), json_object_get(inv, "number")) ||
            !json_equal(json_object_get(json_object_get(back, "totals"), "gross"),
                        json_object_get(json_object_get(inv, "totals"), "gross")))
            __builtin_trap();
        json_decref(back);
    }
    xrm_buf_release(&b);
    json_decref(doc);
    json_decref(inv);
    return 0;
}
