/*
 * A page of records read together. A list page of parties needs, for
 * every item, its roles, health signals, record counts and consent state;
 * reading those per item costs a fixed number of statements per item. A
 * batch holds the ids of the page (in page order) with a lookup from id to
 * position, and writes the "(?, ?, ...)" list of an `IN` condition, so that
 * one statement reads one kind of data for the whole page and its rows are
 * attached to the items in memory.
 *
 * The id list is padded to a power of two (repeating the last id, which an
 * IN list ignores), so that all page sizes share a few statement texts in
 * the per-connection statement cache. Page sizes are capped by the list
 * limit (XRM_LIST_MAX), so the lists stay small.
 */
#ifndef XRM_DOMAIN_BATCH_H
#define XRM_DOMAIN_BATCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/sql.h"

struct xrm_batch_pos {
    int64_t id;
    size_t pos;
};

struct xrm_batch {
    size_t n;
    int64_t *ids;                /* page order */
    struct xrm_batch_pos *by_id; /* sorted by id, then position */
};

/* From the "id" of every object of items (a JSON array); released with xrm_batch_release. */
void xrm_batch_init(struct xrm_batch *b, json_t *items);
/* From n ids in page order (n may be 0). */
void xrm_batch_init_ids(struct xrm_batch *b, const int64_t *ids, size_t n);
void xrm_batch_release(struct xrm_batch *b);

/*
 * The first index into b->by_id whose id is id, or b->n when id is not in
 * the page. The positions of id are by_id[k].pos for k from there while
 * by_id[k].id == id (an id may occur more than once).
 */
size_t xrm_batch_lower(const struct xrm_batch *b, int64_t id);

/* Appends "(?, ?, ...)" with the ids as parameters to q; b must not be empty. */
void xrm_batch_sql_in(const struct xrm_batch *b, struct xrm_sql *q);

/* For each position pos_ of id_ in b_ (k_ names the loop's index into by_id). */
#define xrm_batch_foreach(b_, id_, k_, pos_)                                                       \
    for (size_t k_ = xrm_batch_lower((b_), (id_));                                                 \
         k_ < (b_)->n && (b_)->by_id[k_].id == (id_) && ((pos_) = (b_)->by_id[k_].pos, 1); k_++)

#endif
