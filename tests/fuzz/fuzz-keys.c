/*
 * libFuzzer target: the normalisers of duplicate keys (domain/party/keys.h).
 * Every key fits its buffer, is NUL-terminated, and the key of a key is the
 * key itself (a stored key found again when normalised once more), for
 * every kind whose key is a form of its input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/party/keys.h"

typedef bool (*key_fn)(const char *s, char out[XRM_KEY_MAX]);

static void check(key_fn fn, const char *in, bool stable)
{
    char out[XRM_KEY_MAX + 1], again[XRM_KEY_MAX];
    memset(out, 'x', sizeof(out));
    if (!fn(in, out))
        return;
    if (!memchr(out, '\0', XRM_KEY_MAX) || out[XRM_KEY_MAX] != 'x' || !out[0])
        abort();
    if (stable && (!fn(out, again) || strcmp(out, again) != 0))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), out[XRM_KEY_MAX];
    memcpy(s, data, size);
    s[size] = '\0';
    check(xrm_key_email, s, true);
    check(xrm_key_phone, s, true);
    check(xrm_key_kvk, s, true);
    check(xrm_key_vat, s, true);
    check(xrm_key_iban, s, true);
    check(xrm_key_exact_text, s, true);
    check(xrm_key_org_name, s, false);
    check(xrm_key_full_name, s, false);
    check(xrm_key_full_initial, s, false);
    /* Split at the first '|': two fields for the keys made of two. */
    char *bar = strchr(s, '|');
    const char *second = bar ? bar + 1 : s;
    if (bar)
        *bar = '\0';
    (void)xrm_key_address(s, second, out);
    (void)xrm_key_person_name(s, NULL, second, out);
    (void)xrm_key_person_initial(s, second, out);
    free(s);
    return 0;
}
