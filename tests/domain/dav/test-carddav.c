/*
 * The address books of CardDAV (domain/dav/carddav.c) through the
 * collection interface of dav.h, as http/dav.c calls it: what a sales user
 * and the system see (an applicant is no contact of sales), cards in vCard
 * 4.0 and 3.0 with the roles as a NOTE in the reader's language, ETags
 * that follow what the card shows, a new card from a phone (its name and
 * UID kept, the duplicate check), an edit with If-Match, and a delete that
 * archives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/messages.h"
#include "domain/dav/dav.h"
#include "domain/party/party.h"
#include "domain/party/relationship.h"
#include "domain/party/role.h"
#include "domain/users/user.h"
#include "io/vcard.h"
#include "store/store.h"

static char dir[64];
static char path[128];

struct fixture {
    struct xrm_store *st;
    struct xrm_ctx sys, sales;
    json_t *anna, *bakker, *applicant;
};

static json_t *create(struct fixture *f, const char *fmt, ...)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_error_t jerr;
    va_list ap;
    va_start(ap, fmt);
    json_t *in = json_vpack_ex(&jerr, 0, fmt, ap), *out = NULL;
    va_end(ap);
    assert_non_null(in);
    assert_int_equal(xrm_party_create(&f->sys, in, &out, &err), XRM_OK);
    json_decref(in);
    return out;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct xrm_err err = XRM_ERR_INIT;
    snprintf(dir, sizeof(dir), "/tmp/xrm-carddav-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    assert_int_equal(xrm_store_open(path, true, &f->st, &err), XRM_OK);
    assert_int_equal(xrm_role_type_seed(f->st, &err), XRM_OK);
    assert_int_equal(xrm_relationship_type_seed(f->st, &err), XRM_OK);
    f->sys.store = f->st;
    assert_int_equal(xrm_store_reader(f->st, &f->sys.db, &err), XRM_OK);
    json_t *in = json_pack("{s:s, s:{s:s}}", "name", "verkoop", "access", "sales", "write"), *u;
    assert_int_equal(xrm_user_add(&f->sys, in, &u, &err), XRM_OK);
    json_decref(in);
    f->sales = f->sys;
    f->sales.user.id = json_integer_value(json_object_get(u, "id"));
    snprintf(f->sales.user.name, sizeof(f->sales.user.name), "verkoop");
    f->sales.user.level[0] = XRM_LEVEL_WRITE; /* xrm_domains[0] is sales */
    assert_string_equal(xrm_domains[0], "sales");
    json_decref(u);
    f->anna = create(f, "{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:s}], s:[s], s:s, s:[{s:s}, {s:s}]}",
                     "kind", "person", "given_name", "Anna", "family_prefix", "van", "family_name",
                     "Wijk", "emails", "anna@wijk.example", "phones", "label", "mobile", "value",
                     "+31612345678", "tags", "vip", "kvk", "12345678", "roles", "type", "customer",
                     "type", "supplier");
    f->bakker = create(f, "{s:s, s:s, s:[s]}", "kind", "organization", "name", "Bakkerij B.V.",
                       "emails", "info@bakkerij.example");
    f->applicant = create(f, "{s:s, s:s, s:[{s:s, s:s}]}", "kind", "person", "family_name",
                          "Sollicitant", "roles", "type", "employee", "status", "applicant");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    json_decref(f->anna);
    json_decref(f->bakker);
    json_decref(f->applicant);
    xrm_store_free(f->st);
    free(f);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const struct xrm_dav_kind *K = &xrm_carddav_kind;

static char *name_of(json_t *p)
{
    static char name[XRM_DAV_NAME_LEN];
    snprintf(name, sizeof(name), "%s.vcf", json_string_value(json_object_get(p, "uid")));
    return name;
}

/* The etag of member name, or NULL when it is no member. */
static const char *member(json_t *members, const char *name)
{
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "name")), name) == 0)
            return json_string_value(json_object_get(m, "etag"));
    }
    return NULL;
}

static json_t *members_of(struct xrm_ctx *ctx, const char *collection)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    assert_int_equal(K->members(ctx, collection, &out, &err), XRM_OK);
    return out;
}

/* GET as text (caller frees), the ETag into etag. */
static char *get(struct xrm_ctx *ctx, const char *name, const char *accept,
                 char etag[XRM_DAV_ETAG_LEN], enum xrm_rc want)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b = XRM_BUF_INIT;
    const char *type = NULL;
    enum xrm_rc rc = K->get(ctx, "all", name, accept, &b, &type, etag, &err);
    assert_int_equal(rc, want);
    if (rc) {
        xrm_buf_release(&b);
        return NULL;
    }
    assert_string_equal(type, "text/vcard; charset=utf-8");
    return xrm_buf_detach(&b, NULL);
}

static void test_collections(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    assert_int_equal(K->collections(&f->sales, &out, &err), XRM_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "name")), "all");
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "displayname")),
                        "All relations");
    json_decref(out);
    xrm_lang_set(XRM_LANG_NL);
    assert_int_equal(K->collections(&f->sales, &out, &err), XRM_OK);
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "displayname")),
                        "Alle relaties");
    xrm_lang_set(XRM_LANG_EN);
    json_decref(out);
    assert_int_equal(K->members(&f->sales, "segment-999", &out, &err), XRM_E_NOTFOUND);
    assert_int_equal(K->members(&f->sales, "nope", &out, &err), XRM_E_NOTFOUND);
}

static void test_members_and_access(void **state)
{
    struct fixture *f = *state;
    json_t *sys = members_of(&f->sys, "all"), *sales = members_of(&f->sales, "all");
    assert_non_null(member(sys, name_of(f->applicant)));
    assert_null(member(sales, name_of(f->applicant))); /* an application is HR's business */
    assert_non_null(member(sales, name_of(f->anna)));
    assert_non_null(member(sales, name_of(f->bakker)));
    for (size_t i = 1; i < json_array_size(sales); i++) /* sorted by name */
        assert_true(strcmp(json_string_value(json_object_get(json_array_get(sales, i - 1), "name")),
                           json_string_value(json_object_get(json_array_get(sales, i), "name"))) <
                    0);
    /* the same content, the same ETag; members and GET agree */
    json_t *again = members_of(&f->sales, "all");
    assert_true(json_equal(sales, again));
    char etag[XRM_DAV_ETAG_LEN];
    char *card = get(&f->sales, name_of(f->anna), NULL, etag, XRM_OK);
    assert_string_equal(etag, member(sales, name_of(f->anna)));
    free(card);
    assert_null(get(&f->sales, name_of(f->applicant), NULL, etag, XRM_E_NOTFOUND));
    card = get(&f->sys, name_of(f->applicant), NULL, etag, XRM_OK);
    assert_non_null(strstr(card, "NOTE:Employee\r\n"));
    free(card);
    json_decref(sys);
    json_decref(sales);
    json_decref(again);
}

static void test_card(void **state)
{
    struct fixture *f = *state;
    char etag[XRM_DAV_ETAG_LEN];
    char *c = get(&f->sales, name_of(f->anna), NULL, etag, XRM_OK);
    assert_non_null(strstr(c, "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna van Wijk\r\n"));
    assert_non_null(strstr(c, "\r\nN:van Wijk;Anna;;;\r\n"));
    assert_non_null(strstr(c, "\r\nX-XRM-FAMILY-PREFIX:van\r\n"));
    assert_non_null(strstr(c, "\r\nEMAIL;TYPE=work;PREF=1:anna@wijk.example\r\n"));
    assert_non_null(strstr(c, "\r\nTEL;TYPE=voice,cell;PREF=1:+31612345678\r\n"));
    assert_non_null(strstr(c, "\r\nNOTE:Customer\\, Supplier\r\n"));
    assert_non_null(strstr(c, "\r\nCATEGORIES:vip\r\n"));
    assert_non_null(strstr(c, "\r\nX-XRM-KVK:12345678\r\n"));
    assert_non_null(strstr(c, "\r\nREV:20"));
    char uid[80];
    snprintf(uid, sizeof(uid), "\r\nUID:%s\r\n",
             json_string_value(json_object_get(f->anna, "uid")));
    assert_non_null(strstr(c, uid));
    free(c);
    xrm_lang_set(XRM_LANG_NL);
    char nl_etag[XRM_DAV_ETAG_LEN];
    c = get(&f->sales, name_of(f->anna), NULL, nl_etag, XRM_OK);
    assert_non_null(strstr(c, "\r\nNOTE:Klant\\, Leverancier\r\n"));
    xrm_lang_set(XRM_LANG_EN);
    free(c);
    /* 3.0 when asked */
    c = get(&f->sales, name_of(f->anna), "text/vcard; version=3.0", etag, XRM_OK);
    assert_non_null(strstr(c, "BEGIN:VCARD\r\nVERSION:3.0\r\n"));
    assert_non_null(strstr(c, "\r\nTEL;TYPE=voice,cell,pref:+31612345678\r\n"));
    free(c);
    c = get(&f->sales, name_of(f->bakker), NULL, etag, XRM_OK);
    assert_non_null(strstr(c, "VERSION:4.0\r\nKIND:org\r\n"));
    assert_non_null(strstr(c, "\r\nORG:Bakkerij B.V.\r\n"));
    free(c);
    assert_null(get(&f->sales, "nothing.vcf", NULL, etag, XRM_E_NOTFOUND));
}

static void test_etag_follows_roles(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    char before[XRM_DAV_ETAG_LEN], after[XRM_DAV_ETAG_LEN];
    free(get(&f->sales, name_of(f->bakker), NULL, before, XRM_OK));
    json_t *in = json_pack("{s:s}", "type", "partner"), *out = NULL;
    assert_int_equal(xrm_role_create(&f->sys, json_integer_value(json_object_get(f->bakker, "id")),
                                     in, &out, &err),
                     XRM_OK);
    json_decref(in);
    json_decref(out);
    char *c = get(&f->sales, name_of(f->bakker), NULL, after, XRM_OK);
    assert_non_null(strstr(c, "\r\nNOTE:Partner\r\n"));
    free(c);
    assert_string_not_equal(before, after);
}

static const char PHONE_CARD[] = "BEGIN:VCARD\r\n"
                                 "VERSION:3.0\r\n"
                                 "PRODID:-//Phone//EN\r\n"
                                 "UID:phone-uid-0001\r\n"
                                 "FN:Jan de Vries\r\n"
                                 "N:de Vries;Jan;;;\r\n"
                                 "EMAIL;TYPE=INTERNET,HOME:jan@vries.example\r\n"
                                 "TEL;TYPE=CELL:+31 6 99887766\r\n"
                                 "CATEGORIES:beurs\r\n"
                                 "END:VCARD\r\n";

static void test_put_new_edit_delete(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_dav_put p = {0};
    char etag[XRM_DAV_ETAG_LEN], cur[XRM_DAV_ETAG_LEN];
    bool created = false;
    const char *name = "phone-card-1.vcf";

    /* a new contact from a phone: a party, the client's name and UID kept */
    assert_int_equal(
        K->put(&f->sales, "all", name, PHONE_CARD, strlen(PHONE_CARD), &p, &created, etag, &err),
        XRM_OK);
    assert_true(created);
    json_t *m = members_of(&f->sales, "all");
    assert_non_null(member(m, name));
    json_decref(m);
    char *c = get(&f->sales, name, NULL, cur, XRM_OK);
    assert_non_null(strstr(c, "\r\nUID:phone-uid-0001\r\n"));
    assert_non_null(strstr(c, "\r\nN:de Vries;Jan;;;\r\n"));
    assert_non_null(strstr(c, "\r\nX-XRM-FAMILY-PREFIX:de\r\n"));
    assert_non_null(strstr(c, "jan@vries.example"));
    assert_null(strstr(c, "NOTE")); /* no role */
    free(c);

    /* the same person again under another name: the duplicate check names the party */
    created = false;
    assert_int_equal(K->put(&f->sales, "all", "other.vcf", PHONE_CARD, strlen(PHONE_CARD), &p,
                            &created, etag, &err),
                     XRM_E_CONFLICT);
    assert_non_null(strstr(err.message, "Jan de Vries"));
    assert_false(created);

    /* an edit: a stale If-Match is refused, the current one applies */
    const char *edited = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-uid-0001\r\nFN:Jan de Vries\r\n"
                         "N:de Vries;Jan;;;\r\nEMAIL;TYPE=WORK:jan@werk.example\r\n"
                         "END:VCARD\r\n";
    p.if_match = "c1-stale";
    assert_int_equal(
        K->put(&f->sales, "all", name, edited, strlen(edited), &p, &created, etag, &err),
        XRM_E_PRECONDITION);
    p.if_match = cur;
    xrm_err_clear(&err);
    enum xrm_rc rc =
        K->put(&f->sales, "all", name, edited, strlen(edited), &p, &created, etag, &err);
    if (rc)
        fail_msg("%d %s", rc, err.message);
    assert_false(created);
    c = get(&f->sales, name, NULL, cur, XRM_OK);
    assert_non_null(strstr(c, "jan@werk.example"));
    assert_null(strstr(c, "jan@vries.example"));
    assert_non_null(strstr(c, "CATEGORIES:beurs")); /* no CATEGORIES sent: tags kept */
    free(c);

    /* If-None-Match on an existing card */
    p.if_match = NULL;
    p.if_none_match = true;
    assert_int_equal(
        K->put(&f->sales, "all", name, edited, strlen(edited), &p, &created, etag, &err),
        XRM_E_PRECONDITION);

    /* a delete archives */
    assert_int_equal(K->del(&f->sales, "all", name, "c1-stale", &err), XRM_E_PRECONDITION);
    assert_int_equal(K->del(&f->sales, "all", name, cur, &err), XRM_OK);
    m = members_of(&f->sales, "all");
    assert_null(member(m, name));
    json_decref(m);
    assert_null(get(&f->sales, name, NULL, cur, XRM_E_NOTFOUND));

    /* bad input changes nothing */
    const char *two = "BEGIN:VCARD\r\nFN:a\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:b\r\nEND:VCARD\r\n";
    p.if_none_match = false;
    assert_int_equal(
        K->put(&f->sales, "all", "two.vcf", two, strlen(two), &p, &created, etag, &err),
        XRM_E_INVALID);
    assert_int_equal(K->put(&f->sales, "all", "none.vcf", "hello", 5, &p, &created, etag, &err),
                     XRM_E_MALFORMED);
}

/* HR-only data never reaches a sales card: no role name, no attribute of an HR role. */
static void test_sales_sees_no_hr(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *e = create(f, "{s:s, s:s, s:[{s:s, s:s, s:{s:i}}]}", "kind", "person", "family_name",
                       "Werknemer", "roles", "type", "employee", "status", "active", "attributes",
                       "salary", 4321);
    char etag[XRM_DAV_ETAG_LEN];
    char *c = get(&f->sales, name_of(e), NULL, etag, XRM_OK);
    assert_null(strstr(c, "4321"));
    free(c);
    c = get(&f->sys, name_of(e), NULL, etag, XRM_OK);
    assert_null(strstr(c, "4321")); /* attributes are never on a card */
    free(c);
    (void)err;
    json_decref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_members_and_access),
        cmocka_unit_test(test_card),
        cmocka_unit_test(test_etag_follows_roles),
        cmocka_unit_test(test_put_new_edit_delete),
        cmocka_unit_test(test_sales_sees_no_hr),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
