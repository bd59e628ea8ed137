/*
 * The buyer snapshot of a quote or invoice (buyer.h).
 */
#include "domain/billing/buyer.h"
#include "domain/party/party.h"
#include "domain/party/role.h"

#include <strings.h>
#include <string.h>

#include "core/banned.h"

enum xrm_rc xrm_buyer_customer_role(struct xrm_db *db, int64_t party, json_t **role,
                                    struct xrm_err *err)
{
    json_t *roles = NULL, *best = NULL, *r;
    size_t i;
    *role = NULL;
    enum xrm_rc rc = xrm_role_array_for_party(db, party, &roles, err);
    if (rc)
        return rc;
    json_array_foreach(roles, i, r)
    {
        const char *type = json_string_value(json_object_get(r, "type"));
        const char *status = json_string_value(json_object_get(r, "status"));
        if (!type || strcmp(type, "customer") != 0)
            continue;
        if (!best || (status && strcmp(status, "active") == 0))
            best = r;
    }
    if (best)
        *role = json_incref(best);
    json_decref(roles);
    return XRM_OK;
}

static void copy(json_t *to, const char *key, json_t *from, const char *from_key)
{
    json_t *v = from ? json_object_get(from, from_key) : NULL;
    const char *s = json_string_value(v);
    json_object_set_new(to, key, s && s[0] ? json_string(s) : json_null());
}

enum xrm_rc xrm_buyer_snapshot(struct xrm_db *db, int64_t party, bool *has_address, json_t **out,
                               struct xrm_err *err)
{
    json_t *p = NULL, *role = NULL, *addr = NULL, *a;
    size_t i;
    enum xrm_rc rc = xrm_party_load(db, party, &p, err);
    if (!rc)
        rc = xrm_buyer_customer_role(db, party, &role, err);
    if (rc)
        goto out;
    json_array_foreach(json_object_get(p, "addresses"), i, a)
    {
        const char *label = json_string_value(json_object_get(a, "label"));
        if (!addr)
            addr = a;
        if (label && (strcasecmp(label, "billing") == 0 || strcasecmp(label, "factuur") == 0 ||
                      strcasecmp(label, "invoice") == 0)) {
            addr = a;
            break;
        }
    }
    json_t *b = json_object();
    copy(b, "name", p, "name");
    copy(b, "kind", p, "kind");
    copy(b, "street", addr, "street");
    copy(b, "house_number", addr, "house_number");
    copy(b, "postcode", addr, "postcode");
    copy(b, "city", addr, "city");
    copy(b, "country", addr, "country");
    if (json_is_null(json_object_get(b, "country")))
        json_object_set_new(b, "country", json_string("NL"));
    copy(b, "kvk", p, "kvk");
    copy(b, "vat", p, "vat");
    copy(b, "email", json_array_get(json_object_get(p, "emails"), 0), "value");
    copy(b, "debtor_number", role ? json_object_get(role, "attributes") : NULL, "debtor_number");
    if (has_address)
        *has_address = addr != NULL;
    *out = b;
out:
    json_decref(p);
    json_decref(role);
    return rc;
}
