/*
 * libFuzzer target: request-body parsing with its depth cap and the
 * pagination cursor decoder, both fed by outsiders.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *v = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_json_parse((const char *)data, size, false, &v, &err) == XRM_OK)
        json_decref(v);
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    json_t *c = xrm_cursor_decode(s);
    if (c && !json_is_array(c))
        abort();
    json_decref(c);
    free(s);
    return 0;
}
