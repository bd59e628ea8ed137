/*
 * Bulk import's JSON: a fast path for parsing one JSON object (a line of
 * an NDJSON import) into jansson values, and compact text in allocations of
 * its own size. The same parser reads the JSON columns of stored rows.
 *
 * It builds exactly the value xrm_json_parse(s, len, true, ...) gives (the
 * same types, keys in the same order, the same strings and numbers), but
 * only for input it is sure of: a well-formed object of UTF-8 text, nested
 * at most XRM_JSON_MAX_DEPTH deep, without duplicate keys or NUL
 * characters, whose numbers jansson reads the same way. On anything else,
 * valid or not, it gives NULL and the caller runs xrm_json_parse, which
 * decides and words the error. jansson's own lexer reads a character at a
 * time through a stream and copies each string three times; this one reads
 * the buffer in place, which makes an import line about half as costly.
 */
#ifndef XRM_CORE_JSON_FAST_H
#define XRM_CORE_JSON_FAST_H

#include <jansson.h>
#include <stddef.h>

/* Nesting cap of every JSON parser of xrm (this one and xrm_json_parse, core/json.h). */
#define XRM_JSON_MAX_DEPTH 32

/* A new reference to the object in s (len bytes, need not be NUL-terminated), or NULL. */
json_t *xrm_json_parse_fast(const char *s, size_t len);

/*
 * The same for any JSON value in NUL-terminated text, for the JSON xrm
 * stores itself (a party's e-mails, addresses, role attributes): NULL when
 * not sure, and then json_loads(text, JSON_DECODE_ANY) reads it; when not
 * NULL it equals what json_loads gives.
 */
json_t *xrm_json_load_fast(const char *text);

#endif
