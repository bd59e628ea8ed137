/*
 * Bulk import of newline-delimited JSON (one record per line): parties (with
 * embedded roles), relationships or activities, each line validated exactly
 * as the single-record API does. A batch is all or nothing: the first bad
 * line rolls back the whole batch and is reported as "[LINE].field". One
 * audit row records the whole batch.
 */
#ifndef XRM_DOMAIN_IMPORT_H
#define XRM_DOMAIN_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "domain/base/ctx.h"

#define XRM_IMPORT_MAX_LINES 100000
#define XRM_IMPORT_MAX_LINE (256 * 1024)

enum xrm_import_kind {
    XRM_IMPORT_PARTIES,
    XRM_IMPORT_RELATIONSHIPS,
    XRM_IMPORT_ACTIVITIES,
};

/*
 * Imports body (len bytes of NDJSON; blank lines ignored). On success *out
 * is {"created": N, "ids": [...]} with ids in line order.
 */
enum xrm_rc xrm_import_ndjson(struct xrm_ctx *ctx, enum xrm_import_kind kind, const char *body,
                              size_t len, json_t **out, struct xrm_err *err);

#endif
