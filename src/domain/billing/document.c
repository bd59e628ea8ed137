/*
 * What quotes and invoices share (document.h).
 */
#include "domain/billing/document.h"
#include "domain/billing/vat.h"
#include "domain/records/deal.h"
#include "domain/records/records.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void xrm_doc_lines(json_t *in, json_t *before, json_t *rec, struct xrm_err *err)
{
    json_t *src = json_object_get(in, "lines"), *lines = NULL, *totals = NULL;
    if (!src || json_is_null(src))
        src = before ? json_object_get(before, "lines") : NULL;
    if (!src)
        src = json_array();
    else
        json_incref(src);
    if (xrm_vat_lines(src, &lines, &totals, err) == XRM_OK) {
        int64_t vat = 0;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(totals, "vat"), i, v)
        {
            vat += json_integer_value(json_object_get(v, "amount"));
        }
        json_object_set(rec, "net_total", json_object_get(totals, "net"));
        json_object_set_new(rec, "vat_total", json_integer(vat));
        json_object_set(rec, "gross_total", json_object_get(totals, "gross"));
        json_object_set_new(rec, "lines", lines);
        json_object_set_new(rec, "totals", totals);
    }
    json_decref(src);
}

enum xrm_rc xrm_doc_party(struct xrm_db *db, json_t *in, json_t *before, json_t *rec,
                          int64_t *party, struct xrm_err *err)
{
    enum xrm_rc rc = XRM_OK;
    *party = 0;
    if (before && !json_object_get(in, "party"))
        *party = json_integer_value(json_object_get(before, "party"));
    else
        rc = xrm_records_party(db, in, "party", party, err);
    if (*party)
        json_object_set_new(rec, "party", json_integer(*party));
    return rc;
}

enum xrm_rc xrm_doc_deal(struct xrm_db *db, json_t *in, json_t *before, int64_t party, json_t *rec,
                         struct xrm_err *err)
{
    json_t *d = json_object_get(in, "deal"), *deal = NULL;
    enum xrm_rc rc = XRM_OK;
    if (!d && before)
        d = json_object_get(before, "deal");
    if (!d || json_is_null(d)) {
        json_object_set_new(rec, "deal", json_null());
        return XRM_OK;
    }
    if (!json_is_integer(d) || json_integer_value(d) < 1)
        return xrm_err_field(err, XRM_E_MALFORMED, "deal", "must be a deal id");
    struct xrm_err e2 = XRM_ERR_INIT;
    rc = xrm_deal_load(db, json_integer_value(d), &deal, &e2);
    if (rc == XRM_E_NOTFOUND) {
        rc = XRM_OK;
        xrm_err_field(err, XRM_E_INVALID, "deal", "no deal %lld", (long long)json_integer_value(d));
    } else if (rc) {
        *err = e2;
    } else if (party && json_integer_value(json_object_get(deal, "party")) != party) {
        xrm_err_field(err, XRM_E_INVALID, "deal", "belongs to another party");
    } else {
        json_object_set(rec, "deal", d);
    }
    json_decref(deal);
    return rc;
}

int xrm_doc_year(const char *date)
{
    return date ? (int)strtol(date, NULL, 10) : 0;
}
