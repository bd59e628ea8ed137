/*
 * libFuzzer target: the fast JSON parser against jansson. Whatever it
 * accepts as an import line, xrm_json_parse must accept as the same value
 * (same types, keys in the same order, reals with the same bits), and
 * whatever it accepts as stored JSON, json_loads too; what it leaves
 * (NULL) is jansson's to decide.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/json-fast.h"
#include "json-same.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *fast = xrm_json_parse_fast((const char *)data, size), *slow = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_json_parse((const char *)data, size, true, &slow, &err);
    if (fast && (rc != XRM_OK || !same(fast, slow)))
        abort();
    json_decref(fast);
    json_decref(slow);
    /* any top-level value, as stored columns are read: what json_loads gives */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    fast = xrm_json_load_fast(text);
    if (fast) {
        json_t *ref = json_loads(text, JSON_DECODE_ANY, NULL);
        if (!ref || !same(fast, ref))
            abort();
        json_decref(ref);
        json_decref(fast);
    }
    free(text);
    return 0;
}
