/*
 * Shared rules of deals, cases and agreements: ISO 4217 currency codes,
 * user and party references in input, id-ordered list pages, links from
 * records to activities, and the "records" summary on party responses.
 */
#include "domain/records/records.h"
#include "domain/records/records-db.h"
#include "domain/base/record.h"
#include "domain/base/batch.h"
#include "domain/base/access.h"
#include "domain/party/activity.h"
#include "domain/party/party.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define EXPIRING_DAYS XRM_RECORDS_EXPIRING_DAYS

/* Active ISO 4217 codes (2025), sorted, each followed by a space. */
static const char currencies[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY "
    "KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP "
    "MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR "
    "RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER "
    "ZAR ZMW ZWG ZWL ";

bool xrm_currency_valid(const char *code)
{
    if (!code || strlen(code) != 3)
        return false;
    for (int i = 0; i < 3; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return false;
    for (const char *p = currencies; *p; p += 4)
        if (memcmp(p, code, 3) == 0)
            return true;
    return false;
}

void xrm_records_currency(json_t *in, const char *key, const char **out, struct xrm_err *err)
{
    const char *s = NULL;
    *out = XRM_CURRENCY_DEFAULT;
    if (!xrm_json_get_str(in, NULL, key, 8, false, &s, err))
        return;
    if (!xrm_currency_valid(s)) {
        xrm_err_field(err, XRM_E_INVALID, key,
                      "'%.8s' is not an ISO 4217 currency code such as EUR", s);
        return;
    }
    *out = s;
}

enum xrm_rc xrm_records_user(struct xrm_db *db, json_t *in, const char *key, int64_t *id,
                             struct xrm_err *err)
{
    int64_t v = 0;
    bool found = false;
    *id = 0;
    if (!xrm_json_get_int(in, NULL, key, 1, INT64_MAX, false, &v, err))
        return XRM_OK;
    enum xrm_rc rc = xrm_record_db_user_active(db, v, &found, err);
    if (rc)
        return rc;
    if (!found)
        xrm_err_field(err, XRM_E_INVALID, key, "no user %lld", (long long)v);
    else
        *id = v;
    return XRM_OK;
}

enum xrm_rc xrm_records_party(struct xrm_db *db, json_t *in, const char *key, int64_t *id,
                              struct xrm_err *err)
{
    int64_t v = 0;
    *id = 0;
    if (!xrm_json_get_int(in, NULL, key, 1, INT64_MAX, true, &v, err))
        return XRM_OK;
    struct xrm_err e = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_party_check(db, v, key, &e);
    if (rc == XRM_E_NOTFOUND) {
        xrm_err_field(err, XRM_E_INVALID, key, "no party %lld", (long long)v);
        return XRM_OK;
    }
    if (rc) {
        *err = e;
        return rc;
    }
    *id = v;
    return XRM_OK;
}

enum xrm_rc xrm_records_first_admin(struct xrm_db *db, int64_t *id, struct xrm_err *err)
{
    return xrm_rec_db_first_admin(db, id, err);
}

enum xrm_rc xrm_records_user_name(struct xrm_db *db, int64_t id, char *out, size_t n,
                                  struct xrm_err *err)
{
    return xrm_rec_db_user_name(db, id, out, n, err);
}

enum xrm_rc xrm_records_link(struct xrm_db *db, int64_t activity_id, const char *entity,
                             int64_t entity_id, const char *kind, struct xrm_err *err)
{
    return xrm_rec_db_link(db, activity_id, entity, entity_id, kind, err);
}

enum xrm_rc xrm_records_activities(struct xrm_ctx *ctx, const char *entity, int64_t entity_id,
                                   int limit, json_t **out, struct xrm_err *err)
{
    json_t *ids = NULL, *items = json_array();
    enum xrm_rc rc = xrm_rec_db_activity_ids(ctx->db, &ctx->user, entity, entity_id,
                                             xrm_records_limit(limit), &ids, err);
    size_t i;
    json_t *pair;
    json_array_foreach(ids, i, pair)
    {
        json_t *a = NULL;
        if (rc)
            break;
        rc = xrm_activity_get(ctx, json_integer_value(json_array_get(pair, 0)), &a, err);
        if (rc == XRM_E_NOTFOUND) { /* what the reader may not see (the SQL left it out) */
            xrm_err_clear(err);
            rc = XRM_OK;
            continue;
        }
        if (!rc) {
            json_object_set(a, "link", json_array_get(pair, 1));
            json_array_append_new(items, a);
        }
    }
    json_decref(ids);
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

enum xrm_rc xrm_records_decorate_page(struct xrm_ctx *ctx, const struct xrm_batch *b, json_t *items,
                                      bool full, struct xrm_err *err)
{
    char now[XRM_TIME_LEN], today[XRM_DATE_LEN], soon[XRM_DATE_LEN];
    const char *dom[XRM_NDOMAINS];
    json_t **recs = xrm_calloc(b->n ? b->n : 1, sizeof(*recs));
    xrm_clock_now(now);
    xrm_clock_today(today);
    xrm_date_add_days(today, EXPIRING_DAYS, soon);
    xrm_access_readable(&ctx->user, dom);
    enum xrm_rc rc = xrm_rec_db_party_summaries(ctx->db, b, dom, now, today, soon, full, recs, err);
    for (size_t i = 0; !rc && i < b->n; i++)
        json_object_set_new(json_array_get(items, i), "records", recs[i]);
    free(recs);
    return rc;
}

bool xrm_records_cursor(const char *cursor, int64_t *id, struct xrm_err *err)
{
    *id = 0;
    if (!cursor)
        return true;
    json_t *k = xrm_cursor_decode(cursor);
    json_t *v = json_array_get(k, 0);
    bool ok = json_array_size(k) == 1 && json_is_integer(v) && json_integer_value(v) > 0;
    if (ok)
        *id = json_integer_value(v);
    json_decref(k);
    if (!ok)
        xrm_err_field(err, XRM_E_MALFORMED, "cursor", "is not a cursor of this list");
    return ok;
}

json_t *xrm_records_page(json_t *items, int limit)
{
    json_t *next = json_null();
    if (json_array_size(items) > (size_t)limit) {
        json_array_remove(items, (size_t)limit);
        json_t *last = json_array_get(items, (size_t)limit - 1);
        json_t *key = json_pack("[O]", json_object_get(last, "id"));
        char *c = xrm_cursor_encode(key);
        json_decref(key);
        next = json_string(c);
        free(c);
    }
    return json_pack("{s:o, s:o}", "items", items, "next", next);
}

int xrm_records_limit(int limit)
{
    if (limit < 1)
        return XRM_LIST_DEFAULT;
    return limit > XRM_LIST_MAX ? XRM_LIST_MAX : limit;
}

enum xrm_rc xrm_records_check_version(json_t *row, int64_t if_version, struct xrm_err *err)
{
    return xrm_record_check_version(row, if_version, err);
}

json_t *xrm_records_trimmed(const char *s)
{
    return xrm_record_trimmed(s);
}
