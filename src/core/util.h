/*
 * Small helpers without project dependencies: time stamps, random ids and
 * tokens, bounded string copies.
 */
#ifndef XRM_CORE_UTIL_H
#define XRM_CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XRM_TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* The version (xrm --version, GET /metrics's xrm_build_info); a build may set its own. */
#ifndef XRM_VERSION
#define XRM_VERSION "0.1.0"
#endif

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void xrm_now(char out[XRM_TIME_LEN]);
/* Current UTC date as "YYYY-MM-DD". */
void xrm_today(char out[11]);
/* Milliseconds since the epoch (wall clock) and a monotonic clock in ns. */
int64_t xrm_now_ms(void);
int64_t xrm_mono_ns(void);

/* A new UUID version 7 (time-ordered, then random), lower case with dashes. */
void xrm_uuid(char out[37]);

/* Whether s is one of the NULL-terminated list (a NULL list holds nothing). */
bool xrm_str_in(const char *const *list, const char *s);

/* Copies at most n-1 bytes of src into dst and terminates it; returns false if cut. */
bool xrm_strlcpy(char *dst, const char *src, size_t n);
/*
 * The concatenation of the texts of parts (until a NULL) in dst, cut at n-1
 * bytes and terminated: snprintf("%s%s...") without the formatter, for
 * field names that hot paths build before they know of any error.
 */
void xrm_strjoin(char *dst, size_t n, const char *const *parts);

/* Parses a whole decimal integer in [min, max]; false on anything else. */
bool xrm_parse_int(const char *s, int64_t min, int64_t max, int64_t *out);

/* Lower-cases ASCII letters in place. */
void xrm_ascii_lower(char *s);

/* Hex encodes n bytes into out (2n+1 bytes). */
void xrm_hex(const unsigned char *in, size_t n, char *out);

/* The SHA-256 of a token (API token, session, public link) as lowercase hex: what is stored. */
void xrm_token_hash(const char *token, char hash[65]);

/*
 * Public links (a quote's accept link, a campaign's unsubscribe link): 24
 * random bytes as 48 lowercase hex characters (a path segment of the route
 * table holds at most 63); only the hash is stored.
 */
#define XRM_LINK_TOKEN_BYTES 24
#define XRM_LINK_TOKEN_LEN (2 * XRM_LINK_TOKEN_BYTES)
void xrm_link_token_new(char token[XRM_LINK_TOKEN_LEN + 1], char hash[65]);
/* True when token has a link token's shape (the length, lowercase hex). */
bool xrm_link_token_valid(const char *token);

#endif
