/*
 * Small helpers: clocks, ids, bounded strings.
 */
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "core/banned.h"

/* Formatted once per second per thread: a bulk import asks for every row. */
void xrm_now(char out[XRM_TIME_LEN])
{
    static __thread time_t last = (time_t)-1;
    static __thread char text[XRM_TIME_LEN];
    time_t t = time(NULL);
    if (t != last) {
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(text, XRM_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
        last = t;
    }
    memcpy(out, text, XRM_TIME_LEN);
}

void xrm_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int64_t xrm_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t xrm_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * A UUID version 7 (RFC 9562): 48 bits of Unix time in milliseconds, then
 * random bits. New ids sort after older ones, so the unique index on them
 * grows at its end instead of at a random page per insert.
 */
void xrm_uuid(char out[37])
{
    unsigned char b[16];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    randombytes_buf(b, sizeof(b));
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (8 * (5 - i)));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x70);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0x0f];
    }
    out[o] = '\0';
}

void xrm_strjoin(char *dst, size_t n, const char *const *parts)
{
    size_t used = 0;
    if (n == 0)
        return;
    for (; *parts; parts++)
        for (const char *s = *parts; *s && used + 1 < n; s++)
            dst[used++] = *s;
    dst[used] = '\0';
}

bool xrm_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);
    if (n == 0)
        return false;
    if (len >= n) {
        memcpy(dst, src, n - 1);
        dst[n - 1] = '\0';
        return false;
    }
    memcpy(dst, src, len + 1);
    return true;
}

bool xrm_parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
        return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

void xrm_ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

void xrm_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

bool xrm_str_in(const char *const *list, const char *s)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

void xrm_token_hash(const char *token, char hash[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    xrm_hex(h, sizeof(h), hash);
}

void xrm_link_token_new(char token[XRM_LINK_TOKEN_LEN + 1], char hash[65])
{
    unsigned char raw[XRM_LINK_TOKEN_BYTES];
    randombytes_buf(raw, sizeof(raw));
    xrm_hex(raw, sizeof(raw), token);
    sodium_memzero(raw, sizeof(raw));
    xrm_token_hash(token, hash);
}

bool xrm_link_token_valid(const char *token)
{
    size_t n = token ? strlen(token) : 0;
    bool ok = n == XRM_LINK_TOKEN_LEN;
    for (size_t i = 0; ok && i < n; i++)
        ok = (token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f');
    return ok;
}
