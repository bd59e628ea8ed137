#include "domain/base/sql.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void xrm_sql_init(struct xrm_sql *q)
{
    xrm_buf_init(&q->text, 256);
    q->params = NULL;
    q->n = q->cap = 0;
}

void xrm_sql_release(struct xrm_sql *q)
{
    if (!q)
        return;
    xrm_buf_release(&q->text);
    for (size_t i = 0; i < q->n; i++)
        free(q->params[i].s);
    free(q->params);
    q->params = NULL;
    q->n = q->cap = 0;
}

void xrm_sql_add(struct xrm_sql *q, const char *text)
{
    xrm_buf_adds(&q->text, text);
}

static struct xrm_sql_param *param(struct xrm_sql *q, enum xrm_sql_kind kind)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? 2 * q->cap : 16;
        q->params = xrm_realloc(q->params, q->cap * sizeof(*q->params));
    }
    struct xrm_sql_param *p = &q->params[q->n++];
    memset(p, 0, sizeof(*p));
    p->kind = kind;
    return p;
}

void xrm_sql_str(struct xrm_sql *q, const char *v)
{
    param(q, XRM_SQLP_TEXT)->s = v ? xrm_strdup(v) : NULL;
}

void xrm_sql_int(struct xrm_sql *q, int64_t v)
{
    param(q, XRM_SQLP_INT)->i = v;
}

void xrm_sql_double(struct xrm_sql *q, double v)
{
    param(q, XRM_SQLP_DOUBLE)->d = v;
}

struct xrm_stmt *xrm_sql_prepare(struct xrm_db *db, const struct xrm_sql *q, struct xrm_err *err)
{
    struct xrm_stmt *s = xrm_db_prepare(db, q->text.s, err);
    if (!s)
        return NULL;
    for (size_t i = 0; i < q->n; i++) {
        const struct xrm_sql_param *p = &q->params[i];
        int idx = (int)i + 1;
        if (p->kind == XRM_SQLP_INT)
            xrm_stmt_bind_int(s, idx, p->i);
        else if (p->kind == XRM_SQLP_DOUBLE)
            xrm_stmt_bind_double(s, idx, p->d);
        else
            xrm_stmt_bind_text(s, idx, p->s);
    }
    return s;
}
