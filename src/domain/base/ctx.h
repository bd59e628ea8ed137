/*
 * The context every domain call runs in: the store, the calling thread's
 * read connection and the acting user. Built by the HTTP layer per request
 * and by the CLI per command.
 *
 * Ownership, for every public function of the domain (a header says so
 * only where it differs):
 * - json_t arguments (input, patch, page items) are borrowed; a function
 *   that keeps one takes its own reference.
 * - json_t **out receives a new reference the caller releases with
 *   json_decref; on failure it holds nothing the caller must release.
 * - char **out strings are malloc'd and the caller frees them.
 * - struct xrm_err *err is the caller's (may be NULL); it is filled on
 *   failure and returned codes match err->rc.
 * - ctx, its store and its read connection belong to the caller and
 *   outlive the call; nothing keeps a pointer to them afterwards.
 */
#ifndef XRM_DOMAIN_CTX_H
#define XRM_DOMAIN_CTX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define XRM_LIST_DEFAULT 50
#define XRM_LIST_MAX 500

#define XRM_NDOMAINS 5 /* entries of xrm_domains */

/* Access to one domain; each level includes the ones below it (domain/access.h). */
enum xrm_level {
    XRM_LEVEL_NONE = 0,
    XRM_LEVEL_READ,  /* role attributes, activities and records of the domain */
    XRM_LEVEL_WRITE, /* and changing them */
    XRM_LEVEL_FULL,  /* and sensitive attributes (salary) */
};

struct xrm_user {
    int64_t id; /* 0 for the system itself (CLI demo, migrations): full access */
    char name[64];
    bool admin;                        /* full access everywhere */
    unsigned char level[XRM_NDOMAINS]; /* enum xrm_level per xrm_domains[i], loaded at login */
};

struct xrm_ctx {
    struct xrm_store *store;
    struct xrm_db *db; /* reader of this thread */
    struct xrm_user user;
};

/*
 * The plain operations of a resource as function types, for the routes
 * that are no record kind of domain/base/record.h (parties, roles,
 * relationships, activities, rules, segments, pipelines, users): a header
 * declares its own with them ("xrm_record_get_t xrm_activity_get;") and the
 * HTTP route table names them (.get = xrm_activity_get). A record kind
 * exports its struct xrm_record_ops instead (.ops = &xrm_case_ops).
 *   create  a new record from the body in; *out the record as stored
 *   get     the record id as the reader may see it
 *   update  the changes in patch to record id, refused when it is no longer
 *           at if_version (the If-Match version; 0: none given)
 *   delete  record id, likewise at if_version
 */
typedef enum xrm_rc xrm_record_create_t(struct xrm_ctx *ctx, json_t *in, json_t **out,
                                        struct xrm_err *err);
typedef enum xrm_rc xrm_record_get_t(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                     struct xrm_err *err);
typedef enum xrm_rc xrm_record_update_t(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                        json_t *patch, json_t **out, struct xrm_err *err);
typedef enum xrm_rc xrm_record_delete_t(struct xrm_ctx *ctx, int64_t id, int64_t if_version,
                                        struct xrm_err *err);

/*
 * What a page of a list is asked for: the record whose list it is (the
 * {id} of the path; 0 for a list of its own), at most limit items after
 * cursor (NULL: from the start; a list that is always one page, the latest
 * limit items, has none), and for the lists that take them a query (q) and
 * a sort. The strings are borrowed.
 */
struct xrm_page {
    int64_t id;
    int limit;
    const char *cursor;
    const char *q;
    const char *sort;
};

/* A page of a list as {"items": [...], "next": the next page's cursor or null}. */
typedef enum xrm_rc xrm_record_list_t(struct xrm_ctx *ctx, const struct xrm_page *page,
                                      json_t **out, struct xrm_err *err);

/* The five business domains, in display order; NULL-terminated. */
extern const char *const xrm_domains[];
bool xrm_domain_valid(const char *name);

#endif
