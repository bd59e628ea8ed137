/*
 * The context every domain call runs in: the store, the calling thread's
 * read connection and the acting user. Built by the HTTP layer per request
 * and by the CLI per command.
 */
#ifndef XRM_DOMAIN_CTX_H
#define XRM_DOMAIN_CTX_H

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

/* The five business domains, in display order; NULL-terminated. */
extern const char *const xrm_domains[];
bool xrm_domain_valid(const char *name);

#endif
