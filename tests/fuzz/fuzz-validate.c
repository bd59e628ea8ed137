/*
 * libFuzzer target: the validators and normalisers. Every function must
 * stay inside its output buffer, and normalising a normalised value must
 * give it back unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"

typedef bool (*norm_fn)(const char *in, char *out, size_t n);

static void check_norm(norm_fn fn, const char *in)
{
    char out[64], again[64];
    memset(out, 'x', sizeof(out));
    if (!fn(in, out, sizeof(out)))
        return;
    if (!memchr(out, '\0', sizeof(out)))
        abort();
    if (!fn(out, again, sizeof(again)) || strcmp(out, again) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';
    (void)xrm_valid_email(s);
    (void)xrm_valid_kvk(s);
    (void)xrm_valid_date(s);
    check_norm(xrm_norm_email, s);
    check_norm(xrm_norm_iban, s);
    check_norm(xrm_norm_vat, s);
    check_norm(xrm_norm_postcode_nl, s);
    check_norm(xrm_norm_phone, s);
    check_norm(xrm_norm_datetime, s);
    check_norm(xrm_norm_url, s);
    free(s);
    return 0;
}
