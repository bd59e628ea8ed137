/*
 * Pages of ids for batched reads (see batch.h).
 */
#include "domain/base/batch.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static int pos_cmp(const void *a, const void *b)
{
    const struct xrm_batch_pos *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void xrm_batch_init_ids(struct xrm_batch *b, const int64_t *ids, size_t n)
{
    b->n = n;
    b->ids = xrm_calloc(n ? n : 1, sizeof(*b->ids));
    b->by_id = xrm_calloc(n ? n : 1, sizeof(*b->by_id));
    for (size_t i = 0; i < n; i++) {
        b->ids[i] = ids[i];
        b->by_id[i].id = ids[i];
        b->by_id[i].pos = i;
    }
    qsort(b->by_id, n, sizeof(*b->by_id), pos_cmp);
}

void xrm_batch_init(struct xrm_batch *b, json_t *items)
{
    size_t n = json_array_size(items);
    int64_t *ids = xrm_calloc(n ? n : 1, sizeof(*ids));
    for (size_t i = 0; i < n; i++)
        ids[i] = json_integer_value(json_object_get(json_array_get(items, i), "id"));
    xrm_batch_init_ids(b, ids, n);
    free(ids);
}

void xrm_batch_release(struct xrm_batch *b)
{
    if (!b)
        return;
    free(b->ids);
    free(b->by_id);
    b->ids = NULL;
    b->by_id = NULL;
    b->n = 0;
}

size_t xrm_batch_lower(const struct xrm_batch *b, int64_t id)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->by_id[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n && b->by_id[lo].id == id ? lo : b->n;
}

void xrm_batch_sql_in(const struct xrm_batch *b, struct xrm_sql *q)
{
    size_t slots = 1;
    if (b->n == 0)
        XRM_BUG("empty batch in an IN list");
    while (slots < b->n)
        slots *= 2;
    xrm_sql_add(q, "(?");
    for (size_t i = 1; i < slots; i++)
        xrm_sql_add(q, ", ?");
    xrm_sql_add(q, ")");
    for (size_t i = 0; i < slots; i++)
        xrm_sql_int(q, b->ids[i < b->n ? i : b->n - 1]);
}
