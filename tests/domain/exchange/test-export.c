/*
 * Exports (domain/exchange/export.c) read back by our own readers: a vCard
 * export through io/vcard.h and a CSV export through io/csv.h give every
 * party once with what it holds, across several pages (a page of 3 here),
 * fed to the readers in small pieces; NDJSON is one party object a line.
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

#include "domain/exchange/export.h"
#include "domain/party/party.h"
#include "domain/party/relationship.h"
#include "domain/party/role.h"
#include "io/csv.h"
#include "io/vcard.h"
#include "store/store.h"

#define NPARTIES 8

static char dir[64];
static char path[128];

struct fixture {
    struct xrm_store *st;
    struct xrm_ctx sys;
    json_t *parties; /* as created, by id order */
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct xrm_err err = XRM_ERR_INIT;
    snprintf(dir, sizeof(dir), "/tmp/xrm-export-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    assert_int_equal(xrm_store_open(path, true, &f->st, &err), XRM_OK);
    assert_int_equal(xrm_role_type_seed(f->st, &err), XRM_OK);
    assert_int_equal(xrm_relationship_type_seed(f->st, &err), XRM_OK);
    f->sys.store = f->st;
    assert_int_equal(xrm_store_reader(f->st, &f->sys.db, &err), XRM_OK);
    f->parties = json_array();
    for (int i = 0; i < NPARTIES; i++) {
        json_t *in, *out = NULL;
        char fam[32], mail[64];
        snprintf(fam, sizeof(fam), "Bérg%d", i);
        snprintf(mail, sizeof(mail), "p%d@example.nl", i);
        if (i % 3 == 2)
            in = json_pack("{s:s, s:s, s:s, s:[s], s:[s, s]}", "kind", "organization", "name", fam,
                           "kvk", "12345678", "emails", mail, "tags", "vip", "zeeland");
        else
            in = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s}], s:[s], s:[{s:s, s:s, s:s}],"
                           " s:[{s:s}]}",
                           "kind", "person", "given_name", "Zoë", "family_prefix", "van der",
                           "family_name", fam, "phones", "label", "mobile", "value", "+31612345678",
                           "emails", mail, "addresses", "street", "Oudegracht; 1", "postcode",
                           "3511AB", "city", "Utrecht", "roles", "type", "customer");
        assert_int_equal(xrm_party_create(&f->sys, in, &out, &err), XRM_OK);
        json_array_append_new(f->parties, out);
        json_decref(in);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    json_decref(f->parties);
    xrm_store_free(f->st);
    free(f);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The whole export of format (q may be NULL), pages of 3. */
static char *run_export(struct fixture *f, enum xrm_export_format format, const char *q, bool dutch,
                        size_t *len)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_export_opts o = {.format = format, .q = q, .dutch = dutch, .page = 3};
    struct xrm_export *e = NULL;
    struct xrm_buf b = XRM_BUF_INIT;
    bool done = false;
    int calls = 0;
    assert_int_equal(xrm_export_new(&f->sys, &o, &e, &err), XRM_OK);
    while (!done) {
        assert_int_equal(xrm_export_next(e, &f->sys, &b, &done, &err), XRM_OK);
        calls++;
    }
    if (!q)
        assert_int_equal(xrm_export_count(e), NPARTIES);
    if (!q)
        assert_true(calls >= NPARTIES / 3); /* page by page */
    xrm_export_free(e);
    xrm_buf_addc(&b, '\0');
    b.len--;
    return xrm_buf_detach(&b, len);
}

static json_t *party_by_uid(struct fixture *f, const char *uid)
{
    size_t i;
    json_t *p;
    json_array_foreach(f->parties, i, p)
    {
        if (uid && strcmp(json_string_value(json_object_get(p, "uid")), uid) == 0)
            return p;
    }
    return NULL;
}

static enum xrm_rc on_card(void *ctx, json_t *card, long line, struct xrm_err *err)
{
    (void)line;
    (void)err;
    json_array_append(ctx, card);
    return XRM_OK;
}

static void test_vcard_reads_back(void **state)
{
    struct fixture *f = *state;
    size_t len;
    char *text = run_export(f, XRM_EXPORT_VCARD, NULL, false, &len);
    json_t *cards = json_array();
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_vcard *r = xrm_vcard_new(on_card, cards, NULL);
    for (size_t off = 0; off < len; off += 7)
        assert_int_equal(xrm_vcard_feed(r, text + off, len - off < 7 ? len - off : 7, &err),
                         XRM_OK);
    assert_int_equal(xrm_vcard_finish(r, &err), XRM_OK);
    xrm_vcard_free(r);
    assert_int_equal(json_array_size(cards), NPARTIES);

    size_t i;
    json_t *card;
    json_t *seen = json_object();
    json_array_foreach(cards, i, card)
    {
        const char *uid = json_string_value(json_object_get(card, "uid"));
        json_t *p = party_by_uid(f, uid);
        assert_non_null(p);
        assert_null(json_object_get(seen, uid)); /* once */
        json_object_set_new(seen, uid, json_true());
        assert_string_equal(json_string_value(json_object_get(card, "version")), "4.0");
        assert_string_equal(json_string_value(json_object_get(card, "fn")),
                            json_string_value(json_object_get(p, "name")));
        json_t *email = json_array_get(json_object_get(card, "email"), 0);
        assert_string_equal(json_string_value(json_object_get(email, "value")),
                            json_string_value(json_object_get(
                                json_array_get(json_object_get(p, "emails"), 0), "value")));
        json_t *x = json_object_get(card, "x");
        if (strcmp(json_string_value(json_object_get(p, "kind")), "organization") == 0) {
            assert_string_equal(json_string_value(json_array_get(json_object_get(card, "org"), 0)),
                                json_string_value(json_object_get(p, "name")));
            assert_string_equal(json_string_value(json_object_get(x, "X-XRM-KVK")), "12345678");
            json_t *cat = json_object_get(card, "categories");
            assert_int_equal(json_array_size(cat), 2);
            assert_string_equal(json_string_value(json_array_get(cat, 1)), "zeeland");
            assert_non_null(strstr(text, "KIND:org\r\n"));
        } else {
            json_t *n = json_object_get(card, "n");
            char fam[64];
            snprintf(fam, sizeof(fam), "van der %s",
                     json_string_value(json_object_get(p, "family_name")));
            assert_string_equal(json_string_value(json_object_get(n, "family")), fam);
            assert_string_equal(json_string_value(json_object_get(n, "given")), "Zoë");
            assert_string_equal(json_string_value(json_object_get(x, "X-XRM-FAMILY-PREFIX")),
                                "van der");
            assert_string_equal(json_string_value(json_object_get(x, "X-XRM-ROLES")), "customer");
            json_t *tel = json_array_get(json_object_get(card, "tel"), 0);
            assert_string_equal(json_string_value(json_object_get(tel, "value")), "+31612345678");
            assert_string_equal(json_string_value(json_array_get(json_object_get(tel, "types"), 1)),
                                "cell");
            json_t *adr = json_array_get(json_object_get(card, "adr"), 0);
            assert_string_equal(json_string_value(json_object_get(adr, "street")), "Oudegracht; 1");
            assert_string_equal(json_string_value(json_object_get(adr, "postal_code")), "3511 AB");
        }
    }
    json_decref(seen);
    json_decref(cards);
    free(text);
}

struct rows {
    int n;
    char header[3][32];
    json_t *ids;
};

static enum xrm_rc on_row(void *ctx, const struct xrm_csv_row *row, struct xrm_err *err)
{
    struct rows *r = ctx;
    (void)err;
    assert_null(row->error);
    assert_int_equal(row->n, 21);
    if (r->n++ == 0) {
        for (int i = 0; i < 3; i++)
            snprintf(r->header[i], sizeof(r->header[i]), "%s", row->fields[i]);
        return XRM_OK;
    }
    json_array_append_new(r->ids, json_string(row->fields[0]));
    if (strcmp(row->fields[2], "person") == 0) {
        assert_string_equal(row->fields[4], "Zoë");
        assert_string_equal(row->fields[5], "van der");
        assert_string_equal(row->fields[8], "+31612345678"); /* the text cell read back */
        assert_string_equal(row->fields[9], "Oudegracht; 1");
        assert_string_equal(row->fields[11], "3511 AB");
        assert_string_equal(row->fields[18], "customer");
    } else {
        assert_string_equal(row->fields[14], "12345678");
        assert_string_equal(row->fields[19], "vip, zeeland");
    }
    return XRM_OK;
}

static void test_csv_reads_back(void **state)
{
    struct fixture *f = *state;
    size_t len;
    char *text = run_export(f, XRM_EXPORT_CSV, NULL, true, &len);
    struct rows rows = {.ids = json_array()};
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_csv *c = xrm_csv_new(on_row, &rows, NULL);
    for (size_t off = 0; off < len; off += 5)
        assert_int_equal(xrm_csv_feed(c, text + off, len - off < 5 ? len - off : 5, &err), XRM_OK);
    assert_int_equal(xrm_csv_finish(c, &err), XRM_OK);
    assert_int_equal(xrm_csv_separator(c), ';');
    assert_string_equal(xrm_csv_encoding(c), "utf-8");
    xrm_csv_free(c);
    assert_string_equal(rows.header[0], "ID");
    assert_string_equal(rows.header[2], "Soort");
    assert_int_equal(rows.n, NPARTIES + 1);
    for (size_t i = 0; i < NPARTIES; i++) {
        char id[24];
        snprintf(
            id, sizeof(id), "%lld",
            (long long)json_integer_value(json_object_get(json_array_get(f->parties, i), "id")));
        bool found = false;
        size_t k;
        json_t *v;
        json_array_foreach(rows.ids, k, v) found |= strcmp(json_string_value(v), id) == 0;
        assert_true(found);
    }
    json_decref(rows.ids);
    free(text);
}

static void test_ndjson_and_query(void **state)
{
    struct fixture *f = *state;
    size_t len;
    char *text = run_export(f, XRM_EXPORT_NDJSON, "kind:organization", false, &len);
    int lines = 0;
    for (char *s = text, *nl; (nl = strchr(s, '\n')); s = nl + 1) {
        *nl = '\0';
        json_t *p = json_loads(s, 0, NULL);
        assert_non_null(p);
        assert_string_equal(json_string_value(json_object_get(p, "kind")), "organization");
        json_decref(p);
        lines++;
    }
    assert_int_equal(lines, NPARTIES / 3);
    free(text);
    /* a bad query fails at the start, with the field named */
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_export_opts o = {.format = XRM_EXPORT_CSV, .q = "kind:robot"};
    struct xrm_export *e = (struct xrm_export *)1;
    assert_int_equal(xrm_export_new(&f->sys, &o, &e, &err), XRM_E_INVALID);
    assert_null(e);
    assert_string_equal(err.fields[0].field, "q");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vcard_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_and_query, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
