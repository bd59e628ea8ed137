/*
 * JSON helpers over jansson: parsing request bodies with caps, and typed
 * field readers that record field-level errors in a struct xrm_err.
 *
 * Field readers take a borrowed object and return borrowed values (valid as
 * long as the object lives). They return true when the value is usable
 * (present and right) and false when absent or wrong; on wrong, they add a
 * field error naming `prefix + key`.
 */
#ifndef XRM_CORE_JSON_H
#define XRM_CORE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "core/json-fast.h" /* XRM_JSON_MAX_DEPTH; the fast parser xrm_json_load_stored tries first */

/*
 * Parses body (len bytes, need not be NUL-terminated) into a new reference.
 * Errors (XRM_E_MALFORMED): not JSON, not UTF-8, nested deeper than
 * XRM_JSON_MAX_DEPTH, or (when want_object) not an object.
 */
enum xrm_rc xrm_json_parse(const char *body, size_t len, bool want_object, json_t **out,
                           struct xrm_err *err);

/* Parses JSON text stored by xrm itself; on failure returns fallback_array ? [] : {}. */
json_t *xrm_json_load_stored(const char *text, bool fallback_array);

/* Whether the JSON array list holds the string s (a non-array holds nothing). */
bool xrm_json_has_str(json_t *list, const char *s);

/* Compact dump; caller frees. Never NULL. */
char *xrm_json_dump(const json_t *v);
/* Frees text from jansson's json_dumps (jansson may allocate through core/pool.h). */
void xrm_json_text_free(char *s);

/* Appends the compact JSON text of v to b (objects in insertion order). */
struct xrm_buf;
void xrm_json_write(struct xrm_buf *b, const json_t *v);

/*
 * The text xrm_json_dump(v) gives, in an allocation of its own size (the
 * caller frees it), written in the caller's scratch buffer b first: a bulk
 * import keeps the column text of thousands of parties until its write,
 * and xrm_json_dump's buffer starts at 512 bytes.
 */
char *xrm_json_dump_exact(struct xrm_buf *b, const json_t *v);

/*
 * String field: absent or null -> false without error (but "is required"
 * when required). Wrong type, empty after trim (when required), or longer
 * than maxlen bytes -> field error.
 */
bool xrm_json_get_str(json_t *obj, const char *prefix, const char *key, size_t maxlen,
                      bool required, const char **out, struct xrm_err *err);

/* Integer field within [min, max]. */
bool xrm_json_get_int(json_t *obj, const char *prefix, const char *key, int64_t min, int64_t max,
                      bool required, int64_t *out, struct xrm_err *err);

/* Boolean field. */
bool xrm_json_get_bool(json_t *obj, const char *prefix, const char *key, bool required, bool *out,
                       struct xrm_err *err);

/* Rejects keys of obj not in allowed (NULL-terminated), with a field error each. */
void xrm_json_only_keys(json_t *obj, const char *prefix, const char *const *allowed,
                        struct xrm_err *err);

/* Sets key (a name from the code, ASCII; never input) to a string or JSON null when s is NULL. */
void xrm_json_set_str(json_t *obj, const char *key, const char *s);

/*
 * Pagination cursors: an opaque base64url text of a JSON array of the sort
 * key of the last item. encode: caller frees. decode: new reference, or NULL
 * when the text is not a cursor of ours (the caller reports field "cursor").
 */
char *xrm_cursor_encode(json_t *key);
json_t *xrm_cursor_decode(const char *text);

#endif
