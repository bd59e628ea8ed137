/*
 * One description per record kind (a deal, a case, an agreement, ...): its
 * fields with JSON name, SQL column, type, limits and flags, and its table.
 * The description drives what each kind used to write out by hand:
 *   - row -> JSON: the fields in descriptor order (the API's key order);
 *   - the generic SQL of a kind (record-db.c): load by id, insert, update
 *     with version + 1, delete (with the kind's record_activities links),
 *     and a newest-first list page with extra conditions;
 *   - input reading: the allowed and the read-only keys, and the value of
 *     one plain field (text, int, money, date, bool, enum, domain) with the
 *     same field errors as before;
 *   - the JSON Schema of the kind's request and response bodies.
 * What is special about a kind (a case's SLA, a deal's stage history and
 * derived probability, an agreement's status as of today) stays in its own
 * module, which calls these pieces and adds its rules around them.
 *
 * Ownership: descriptors are static and borrowed; *out values are new
 * references; inputs are borrowed.
 */
#ifndef XRM_DOMAIN_RECORD_H
#define XRM_DOMAIN_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

enum xrm_ftype {
    XRM_FT_TEXT,     /* string, max_len bytes */
    XRM_FT_INT,      /* integer within [min, max] */
    XRM_FT_MONEY,    /* integer cents within [min, max] */
    XRM_FT_DATE,     /* "YYYY-MM-DD" */
    XRM_FT_DATETIME, /* RFC 3339 UTC "YYYY-MM-DDThh:mm:ssZ" */
    XRM_FT_BOOL,     /* stored 0 / 1 */
    XRM_FT_ENUM,     /* one of values */
    XRM_FT_DOMAIN,   /* one of the access domains (sales, hr, ...) */
    XRM_FT_CURRENCY, /* ISO 4217 code */
    XRM_FT_PARTY,    /* id of a party */
    XRM_FT_USER,     /* id of a user */
    XRM_FT_REF,      /* id of another record (pipeline, stage, activity) */
    XRM_FT_JSON,     /* any JSON value, stored as text */
};

/* Where a field's value lives in SQL. */
enum xrm_fcol {
    XRM_FC_DATA,       /* own column, written on insert and update */
    XRM_FC_ID,         /* the primary key */
    XRM_FC_VERSION,    /* 1 on insert, + 1 on update */
    XRM_FC_CREATED_BY, /* the writing user on insert */
    XRM_FC_CREATED_AT, /* now on insert */
    XRM_FC_UPDATED_AT, /* now on insert and update */
    XRM_FC_JOINED,     /* selected, never written: a joined table's column, or one that
                          the database or other code fills (alias.column) */
    XRM_FC_NONE,       /* not in SQL: computed by the kind (JSON null until it sets it) */
};

#define XRM_FF_REQUIRED 0x01u  /* required on create */
#define XRM_FF_READONLY 0x02u  /* in responses; accepted but ignored in requests */
#define XRM_FF_SENSITIVE 0x04u /* personal data (exports, erasure) */
#define XRM_FF_NULLABLE 0x08u  /* the response may carry null */
#define XRM_FF_HIDDEN 0x10u    /* selected for the kind's row hook, not in responses */
#define XRM_FF_INPUT 0x20u     /* request only (not a column): e.g. from_activity */
#define XRM_FF_TRIM 0x40u      /* stored without surrounding white space */

struct xrm_field {
    const char *name;   /* JSON name */
    const char *column; /* SQL column (alias.column), NULL for XRM_FC_NONE / input */
    enum xrm_ftype type;
    enum xrm_fcol col;
    unsigned flags;               /* XRM_FF_* */
    int64_t min, max;             /* INT / MONEY / REF bounds; TEXT: max is the byte length */
    const char *const *values;    /* ENUM: NULL-terminated */
    const char *dflt;             /* default of a TEXT / ENUM / DOMAIN when absent, or NULL */
    const char *doc;              /* one-line description for the schema, or NULL */
    bool (*valid)(const char *s); /* CURRENCY (and any TEXT): the value check, or NULL */
};

/*
 * The fields most kinds share, for descriptor tables: XRM_FIELD_ID("c") is
 * "id" (c.id); XRM_FIELD_PARTY("c") "party" (c.party_id, required) and
 * "party_name" (p.name of the joined parties p); XRM_FIELDS_STAMPS("c")
 * "created_by", "version", "created_at", "updated_at".
 */
#define XRM_FIELD_ID(alias)                                                                        \
    {                                                                                              \
        .name = "id", .column = alias ".id", .type = XRM_FT_INT, .col = XRM_FC_ID,                 \
        .flags = XRM_FF_READONLY, .min = 1                                                         \
    }
#define XRM_FIELD_PARTY(alias)                                                                     \
    {.name = "party",                                                                              \
     .column = alias ".party_id",                                                                  \
     .type = XRM_FT_PARTY,                                                                         \
     .flags = XRM_FF_REQUIRED,                                                                     \
     .min = 1},                                                                                    \
    {                                                                                              \
        .name = "party_name", .column = "p.name", .type = XRM_FT_TEXT, .col = XRM_FC_JOINED,       \
        .flags = XRM_FF_READONLY                                                                   \
    }
#define XRM_FIELDS_STAMPS(alias)                                                                   \
    {.name = "created_by",                                                                         \
     .column = alias ".created_by",                                                                \
     .type = XRM_FT_USER,                                                                          \
     .col = XRM_FC_CREATED_BY,                                                                     \
     .flags = XRM_FF_READONLY | XRM_FF_NULLABLE,                                                   \
     .min = 1},                                                                                    \
        {.name = "version",                                                                        \
         .column = alias ".version",                                                               \
         .type = XRM_FT_INT,                                                                       \
         .col = XRM_FC_VERSION,                                                                    \
         .flags = XRM_FF_READONLY,                                                                 \
         .min = 1},                                                                                \
        {.name = "created_at",                                                                     \
         .column = alias ".created_at",                                                            \
         .type = XRM_FT_DATETIME,                                                                  \
         .col = XRM_FC_CREATED_AT,                                                                 \
         .flags = XRM_FF_READONLY},                                                                \
    {                                                                                              \
        .name = "updated_at", .column = alias ".updated_at", .type = XRM_FT_DATETIME,              \
        .col = XRM_FC_UPDATED_AT, .flags = XRM_FF_READONLY                                         \
    }

struct xrm_record_kind {
    const char *name;  /* "case": audit entity and record_activities.entity */
    const char *table; /* "cases" */
    const char *alias; /* "c": alias of table in from and in list conditions */
    const char *from;  /* " FROM cases c JOIN parties p ON p.id = c.party_id" */
    const char *title; /* "Case": schema title */
    const struct xrm_field *fields;
    size_t nfields;
    bool has_links; /* delete also removes its record_activities rows */
    /* Fixed statements with one parameter (the id) run first on delete: child rows. */
    const char *delete_first[2];
    /* Called on each row's JSON after it is built (may rewrite, drop hidden keys). */
    void (*row)(json_t *o);
};

/*
 * Generic writes of a kind, inside the caller's write transaction. The
 * steps, with the access checks of domain/base/access.h as strict as each
 * kind had them:
 *   create: [fixed domain: write gate] validate [field domain: write gate
 *           on the new record's domain] insert, after, touch, load, audit;
 *   update: [fixed: read gate] load [field: read gate] write gate on the
 *           stored domain, If-Match version, validate, [field: write gate
 *           on the new domain] update, after, touch (new and old party),
 *           load, audit;
 *   delete: the same gates and version, may_delete, delete, after, touch,
 *           audit.
 * A kind without a domain (no_domain: automations, whose routes are for
 * administrators) has no gates here.
 * Hooks (NULL: nothing special): shape (adds the fields that depend on the
 * clock to every record loaded here and by xrm_record_load), validate
 * (required: builds the record to store from w->in and before into *rec,
 * adding field errors to err; *rec may be set on failure too: the caller
 * releases it, and any field error added fails the write), after (the
 * kind's side effects after its row is written: links, history, roles),
 * touch (marks a party changed; the kind passes xrm_party_touch).
 */
struct xrm_record_write;
struct xrm_record_ops {
    const struct xrm_record_kind *kind;
    const char *domain; /* fixed domain of every record ("sales"), or NULL: field "domain" */
    /* Adds the fields that depend on the clock (a case's sla_breached) to a loaded record. */
    void (*shape)(json_t *o);
    enum xrm_rc (*validate)(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec, struct xrm_err *err);
    enum xrm_rc (*after)(struct xrm_db *db, struct xrm_record_write *w, const char *action,
                         json_t *before, json_t *rec, struct xrm_err *err);
    enum xrm_rc (*touch)(struct xrm_db *db, int64_t party, struct xrm_err *err);
    /*
     * A refusal of a delete the kind does not allow, or NULL; runs after the
     * gates and If-Match: may_delete from the record (a built-in
     * automation), may_delete_db when the database has to say (a
     * department with employees).
     */
    enum xrm_rc (*may_delete)(json_t *before, struct xrm_err *err);
    enum xrm_rc (*may_delete_db)(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                                 struct xrm_err *err);
    bool no_domain;     /* records without a domain (admin routes): no access gates here */
    bool business_time; /* created_at from the business clock (core/clock.h), not xrm_now */
    /*
     * The plain operations (xrm_record_op_get/_create/_update/_delete below,
     * which the route table's .ops and the shared handlers of api-misc.c
     * call) run these around the generic read or write; all may be NULL.
     * action is "get", "create", "update" or "delete".
     *   arg_size  w->arg points to zeroed state of this size for the hooks
     *             (0: w->arg is NULL);
     *   begin     before the read or write, outside its transaction: checks
     *             of the request that come first (an administrator's route,
     *             a body that must be an object), state into w->arg; may
     *             point w->ops at a variant of the kind for the read or
     *             write (a deal registered by a partner): view and end
     *             stay those of the ops given;
     *   view      on success of get, create and update: the record as the
     *             reader gets it (*rec may be replaced: a new reference);
     *   end       always, last: releases what the hooks put in w->arg.
     */
    size_t arg_size;
    enum xrm_rc (*begin)(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err);
    enum xrm_rc (*view)(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                        json_t **rec, struct xrm_err *err);
    void (*end)(struct xrm_record_write *w);
};

struct xrm_record_write {
    const struct xrm_record_ops *ops;
    const struct xrm_user *user; /* NULL: the system */
    int64_t id;                  /* update / delete; set by create */
    int64_t if_version;          /* 0: no If-Match */
    json_t *in;                  /* borrowed request body */
    json_t *out;                 /* the record after the write (new reference) */
    void *arg;                   /* the kind's own state for its hooks */
};

enum xrm_rc xrm_record_create_tx(struct xrm_db *db, struct xrm_record_write *w,
                                 struct xrm_err *err);
enum xrm_rc xrm_record_update_tx(struct xrm_db *db, struct xrm_record_write *w,
                                 struct xrm_err *err);
enum xrm_rc xrm_record_delete_tx(struct xrm_db *db, struct xrm_record_write *w,
                                 struct xrm_err *err);

/*
 * Documents on records (domain/docs, above every record kind): a record
 * that is deleted takes its documents with it. xrm_record_delete_tx, and
 * the activities' own delete, call xrm_record_deleted(db, kind name, id)
 * inside the write, after the row and its audit entry; domain/hooks.c sets
 * the function (xrm_document_delete_record_tx), unset it fails
 * (XRM_E_INTERNAL).
 */
typedef enum xrm_rc xrm_record_deleted_fn(struct xrm_db *db, const char *kind, int64_t id,
                                          int64_t *n, struct xrm_err *err);
void xrm_record_deleted_set(xrm_record_deleted_fn *fn);
enum xrm_rc xrm_record_deleted(struct xrm_db *db, const char *kind, int64_t id,
                               struct xrm_err *err);

/*
 * Runs fn (one of the three above) in a write transaction of ctx's store
 * and hands w->out to *out (out may be NULL); w->out is released otherwise.
 */
enum xrm_rc xrm_record_write(struct xrm_ctx *ctx, xrm_write_fn fn, struct xrm_record_write *w,
                             json_t **out, struct xrm_err *err);
/* Wrappers of the three with the signature of xrm_store_write's function. */
enum xrm_rc xrm_record_create_fn(struct xrm_db *db, void *w, struct xrm_err *err);
enum xrm_rc xrm_record_update_fn(struct xrm_db *db, void *w, struct xrm_err *err);
enum xrm_rc xrm_record_delete_fn(struct xrm_db *db, void *w, struct xrm_err *err);

/*
 * The three writes in a write transaction of their own, for a kind whose
 * hooks need no state of their own beyond arg (may be NULL); *out (may be
 * NULL) is the record after the write.
 */
enum xrm_rc xrm_record_create(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, json_t *in,
                              void *arg, json_t **out, struct xrm_err *err);
enum xrm_rc xrm_record_update(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                              int64_t if_version, json_t *patch, void *arg, json_t **out,
                              struct xrm_err *err);
enum xrm_rc xrm_record_delete(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                              int64_t if_version, void *arg, struct xrm_err *err);

/*
 * The plain operations of a kind, the answers of GET /<kind>s/{id}, POST
 * /<kind>s, PATCH and DELETE /<kind>s/{id}: the generic read or write of
 * ops with its begin / view / end hooks (above). A kind declares nothing
 * else for them: it exports its ops (`extern const struct xrm_record_ops
 * xrm_case_ops;`) and the route table names it (`.ops = &xrm_case_ops`).
 */
enum xrm_rc xrm_record_op_get(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                              json_t **out, struct xrm_err *err);
enum xrm_rc xrm_record_op_create(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, json_t *in,
                                 json_t **out, struct xrm_err *err);
enum xrm_rc xrm_record_op_update(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                                 int64_t if_version, json_t *patch, json_t **out,
                                 struct xrm_err *err);
enum xrm_rc xrm_record_op_delete(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                                 int64_t if_version, struct xrm_err *err);

/*
 * Runs fn (xrm_record_create_tx / update_tx) inside the caller's write
 * transaction as user (automation actions, demo data): the record after the
 * write to *out (may be NULL).
 */
enum xrm_rc xrm_record_in_tx(struct xrm_db *db,
                             enum xrm_rc (*fn)(struct xrm_db *, struct xrm_record_write *,
                                               struct xrm_err *),
                             struct xrm_record_write *w, json_t **out, struct xrm_err *err);

/*
 * A create / update of ops inside the caller's write transaction as user
 * (demo data, automation actions, a kind's own steps): xrm_record_in_tx
 * with w->arg as the plain operations have it (arg_size zeroed bytes,
 * released by end); begin and view do not run. *out (may be NULL) is the
 * record after the write.
 */
enum xrm_rc xrm_record_create_in(struct xrm_db *db, const struct xrm_record_ops *ops,
                                 const struct xrm_user *user, json_t *in, json_t **out,
                                 struct xrm_err *err);
enum xrm_rc xrm_record_update_in(struct xrm_db *db, const struct xrm_record_ops *ops,
                                 const struct xrm_user *user, int64_t id, json_t *patch,
                                 json_t **out, struct xrm_err *err);

/* The record id as its API JSON: xrm_record_db_load and the kind's shape. */
enum xrm_rc xrm_record_load(struct xrm_db *db, const struct xrm_record_ops *ops, int64_t id,
                            json_t **out, struct xrm_err *err);

/* Loads id and applies the read gate: the answer of GET /<kind>s/{id}. */
enum xrm_rc xrm_record_get(struct xrm_ctx *ctx, const struct xrm_record_ops *ops, int64_t id,
                           json_t **out, struct xrm_err *err);

/* XRM_E_PRECONDITION unless if_version is 0 or row's "version". */
enum xrm_rc xrm_record_check_version(json_t *row, int64_t if_version, struct xrm_err *err);

/* A copy of s without surrounding white space (new reference): XRM_FF_TRIM. */
json_t *xrm_record_trimmed(const char *s);

/* The field named name, or NULL. */
const struct xrm_field *xrm_record_field(const struct xrm_record_kind *k, const char *name);

/*
 * Adds an "unknown field" error for every key of in that the kind does not
 * know (request fields, read-only fields and XRM_FF_INPUT fields are known).
 */
void xrm_record_known_keys(const struct xrm_record_kind *k, json_t *in, struct xrm_err *err);

/*
 * Reads the plain field name from in (or, when absent there and before is
 * given, from before: a patch keeps what it does not name) into rec, with
 * the field errors of the xrm_json_get_* readers and these messages:
 *   ENUM "must be one of a, b, c", DOMAIN "must be one of sales, hr,
 *   partners, purchasing, pr", DATE "must be a date (YYYY-MM-DD)",
 *   DATETIME "must be an RFC 3339 date-time such as 2027-01-15T09:00:00Z",
 *   CURRENCY as xrm_records_currency.
 * Absent and no default: rec gets null. REQUIRED applies whether it is a
 * create or a patch (the value of before counts). Returns true when rec
 * holds a usable value. Party, user and record references need the
 * database; read them with xrm_records_party / xrm_records_user.
 */
bool xrm_record_read(const struct xrm_record_kind *k, const char *name, json_t *in, json_t *before,
                     json_t *rec, struct xrm_err *err);

/* xrm_record_read for each name of a NULL-terminated list. */
void xrm_record_read_all(const struct xrm_record_kind *k, const char *const *names, json_t *in,
                         json_t *before, json_t *rec, struct xrm_err *err);

/*
 * The JSON Schema (2020-12, as OpenAPI 3.1 takes it) of the kind's body:
 * request (the fields a client may send: no readOnly, no hidden; "required"
 * lists the XRM_FF_REQUIRED ones, for a create) or response (every field
 * but hidden and input-only ones, all required, readOnly marked). Each
 * property has "type" (with "null" when nullable), and where they apply
 * "format" (date, date-time, int64), "enum", "maxLength", "minimum",
 * "maximum", "pattern", "default", "description", and "x-sensitive" for
 * personal data. A request schema leaves additionalProperties open: the
 * server accepts the read-only fields of a GET echoed back (and ignores
 * them), and answers an unknown field with a field error. New reference.
 */
json_t *xrm_record_schema(const struct xrm_record_kind *k, bool request);

/* Generic SQL (record-db.c); rec is a record as the kind's validation builds it. */

/* The row of id as JSON; XRM_E_NOTFOUND "no <name> <id>". */
enum xrm_rc xrm_record_db_load(struct xrm_db *db, const struct xrm_record_kind *k, int64_t id,
                               json_t **out, struct xrm_err *err);
/* Inserts rec's XRM_FC_DATA fields (version 1, created_by 0 = NULL); *id the new id. */
enum xrm_rc xrm_record_db_insert(struct xrm_db *db, const struct xrm_record_kind *k, json_t *rec,
                                 int64_t created_by, const char *now, int64_t *id,
                                 struct xrm_err *err);
/* Writes rec's XRM_FC_DATA fields to row id, version + 1. */
enum xrm_rc xrm_record_db_update(struct xrm_db *db, const struct xrm_record_kind *k, int64_t id,
                                 json_t *rec, const char *now, struct xrm_err *err);
/* Deletes row id and (has_links) its record_activities links. */
enum xrm_rc xrm_record_db_delete(struct xrm_db *db, const struct xrm_record_kind *k, int64_t id,
                                 struct xrm_err *err);

/* One condition of a list: fixed SQL text with '?' and its parameters. */
#define XRM_COND_PARAMS 8
struct xrm_record_cond {
    const char *sql;
    int nparams;
    const char *text[XRM_COND_PARAMS];
    int64_t num[XRM_COND_PARAMS];
    bool is_num[XRM_COND_PARAMS];
};

/* Adds a text / integer parameter to c (at most XRM_COND_PARAMS). */
void xrm_record_cond_text(struct xrm_record_cond *c, const char *v);
void xrm_record_cond_num(struct xrm_record_cond *c, int64_t v);

/*
 * As xrm_record_db_list, over another fixed FROM text (NULL: the kind's),
 * e.g. a join that walks an index of another table; order is required.
 */
enum xrm_rc xrm_record_db_query(struct xrm_db *db, const struct xrm_record_kind *k,
                                const char *from, const struct xrm_record_cond *conds, int nconds,
                                const char *order, int n, json_t **out, struct xrm_err *err);

/* *found: whether id is an active (not disabled) user: the check of a user reference. */
enum xrm_rc xrm_record_db_user_active(struct xrm_db *db, int64_t id, bool *found,
                                      struct xrm_err *err);

/*
 * For kinds with unique names per tenant (rules, segments): the id of
 * another row (not except_id) whose column (a bare column of the kind's
 * table, fixed text) holds value, or 0.
 */
enum xrm_rc xrm_record_db_taken(struct xrm_db *db, const struct xrm_record_kind *k,
                                const char *column, const char *value, int64_t except_id,
                                int64_t *id_out, struct xrm_err *err);
/* The number of rows of the kind's table (of the tenant). */
enum xrm_rc xrm_record_db_count(struct xrm_db *db, const struct xrm_record_kind *k, int64_t *out,
                                struct xrm_err *err);

/*
 * Up to n rows matching every condition (joined with AND) as a JSON array.
 * order NULL: newest first with id below before_id (0: from the top); else
 * the given ORDER BY text (fixed, e.g. "a.end_date, a.id") and before_id
 * is ignored.
 */
enum xrm_rc xrm_record_db_list(struct xrm_db *db, const struct xrm_record_kind *k,
                               const struct xrm_record_cond *conds, int nconds, const char *order,
                               int n, int64_t before_id, json_t **out, struct xrm_err *err);

#endif
