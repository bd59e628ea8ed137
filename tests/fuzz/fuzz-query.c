/*
 * libFuzzer target: the query-language parser. Any input must parse or
 * fail cleanly, never crash, leak or read out of bounds, and a failed parse
 * must leave no terms behind.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/base/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct xrm_query q = {0};
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_query_parse(text, &q, &err);
    if (rc != XRM_OK && q.n != 0)
        abort();
    for (size_t i = 0; i < q.n; i++)
        if (!q.terms[i].value)
            abort();
    xrm_query_release(&q);
    free(text);
    return 0;
}
