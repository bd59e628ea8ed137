/*
 * Sync tokens (domain/dav/sync.c) over a collection kind whose members the
 * test sets: a token stays while nothing changes and moves when something
 * does, the changes since a token are the new or changed members and the
 * ones gone, an empty token means everything, a token is its user's and
 * collection's own, and only the latest XRM_DAV_SYNC_KEEP are kept.
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

#include "domain/dav/sync.h"
#include "domain/users/user.h"
#include "store/store.h"

static char dir[64];
static char path[128];
static json_t *members; /* what the fake kind answers */

static enum xrm_rc fake_members(struct xrm_ctx *ctx, const char *collection, json_t **out,
                                struct xrm_err *err)
{
    (void)ctx;
    if (strcmp(collection, "none") == 0)
        return xrm_errf(err, XRM_E_NOTFOUND, "no such collection");
    *out = json_deep_copy(members);
    return XRM_OK;
}

static const struct xrm_dav_kind fake = {.home = "fakes", .members = fake_members};

struct fixture {
    struct xrm_store *st;
    struct xrm_ctx a, b;
};

static int64_t add_user(struct xrm_ctx *sys, const char *name)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = json_pack("{s:s, s:{s:s}}", "name", name, "access", "sales", "read"), *u = NULL;
    assert_int_equal(xrm_user_add(sys, in, &u, &err), XRM_OK);
    int64_t id = json_integer_value(json_object_get(u, "id"));
    json_decref(in);
    json_decref(u);
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct xrm_err err = XRM_ERR_INIT;
    snprintf(dir, sizeof(dir), "/tmp/xrm-davsync-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    assert_int_equal(xrm_store_open(path, true, &f->st, &err), XRM_OK);
    struct xrm_ctx sys = {.store = f->st};
    assert_int_equal(xrm_store_reader(f->st, &sys.db, &err), XRM_OK);
    f->a = f->b = sys;
    f->a.user.id = add_user(&sys, "anna");
    f->b.user.id = add_user(&sys, "bert");
    members = json_pack("[{s:s, s:s}, {s:s, s:s}]", "name", "a.vcf", "etag", "1", "name", "b.vcf",
                        "etag", "1");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    xrm_store_free(f->st);
    json_decref(members);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void set_member(const char *name, const char *etag)
{
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "name")), name) == 0) {
            if (etag)
                json_object_set_new(m, "etag", json_string(etag));
            else
                json_array_remove(members, i);
            return;
        }
    }
    json_array_append_new(members, json_pack("{s:s, s:s}", "name", name, "etag", etag));
}

static char *names(json_t *list)
{
    static char buf[256];
    buf[0] = '\0';
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m)
    {
        const char *n = json_is_string(m) ? json_string_value(m)
                                          : json_string_value(json_object_get(m, "name"));
        strncat(buf, n, sizeof(buf) - strlen(buf) - 2);
        strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
    }
    return buf;
}

static void token_of(struct xrm_ctx *ctx, char *token)
{
    struct xrm_err err = XRM_ERR_INIT;
    assert_int_equal(xrm_dav_sync_token(ctx, &fake, "all", token, NULL, &err), XRM_OK);
    assert_int_equal(strncmp(token, XRM_DAV_SYNC_PREFIX, strlen(XRM_DAV_SYNC_PREFIX)), 0);
}

static enum xrm_rc changes(struct xrm_ctx *ctx, const char *since, char *changed, char *removed,
                           char *now, struct xrm_err *err)
{
    json_t *c = NULL, *r = NULL;
    enum xrm_rc rc = xrm_dav_sync_changes(ctx, &fake, "all", since, &c, &r, now, err);
    if (!rc) {
        snprintf(changed, 256, "%s", names(c));
        snprintf(removed, 256, "%s", names(r));
    }
    json_decref(c);
    json_decref(r);
    return rc;
}

static void test_token_moves_only_on_a_change(void **state)
{
    struct fixture *f = *state;
    char t1[XRM_DAV_SYNC_TOKEN_LEN], t2[XRM_DAV_SYNC_TOKEN_LEN], t3[XRM_DAV_SYNC_TOKEN_LEN];
    token_of(&f->a, t1);
    token_of(&f->a, t2);
    assert_string_equal(t1, t2);
    set_member("b.vcf", "2");
    token_of(&f->a, t3);
    assert_string_not_equal(t1, t3);
}

static void test_changes_since_a_token(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    char t1[XRM_DAV_SYNC_TOKEN_LEN], now[XRM_DAV_SYNC_TOKEN_LEN], changed[256], removed[256];
    assert_int_equal(changes(&f->a, NULL, changed, removed, t1, &err), XRM_OK);
    assert_string_equal(changed, "a.vcf b.vcf ");
    assert_string_equal(removed, "");
    set_member("a.vcf", NULL);
    set_member("b.vcf", "2");
    set_member("c.vcf", "1");
    assert_int_equal(changes(&f->a, t1, changed, removed, now, &err), XRM_OK);
    assert_string_equal(changed, "b.vcf c.vcf ");
    assert_string_equal(removed, "a.vcf ");
    assert_string_not_equal(now, t1);
    assert_int_equal(changes(&f->a, now, changed, removed, t1, &err), XRM_OK);
    assert_string_equal(changed, "");
    assert_string_equal(removed, "");
}

static void test_unknown_foreign_and_other_users_tokens(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    char t[XRM_DAV_SYNC_TOKEN_LEN], now[XRM_DAV_SYNC_TOKEN_LEN], c[256], r[256];
    const char *bad[] = {"http://xrm.invalid/sync/0123456789abcdef0123456789abcdef", "garbage",
                         "http://xrm.invalid/sync/../../x"};
    for (size_t i = 0; i < 3; i++) {
        xrm_err_clear(&err);
        assert_int_equal(changes(&f->a, bad[i], c, r, now, &err), XRM_E_PRECONDITION);
        assert_string_equal(err.code, "valid-sync-token");
    }
    token_of(&f->a, t);
    xrm_err_clear(&err);
    assert_int_equal(changes(&f->b, t, c, r, now, &err), XRM_E_PRECONDITION);
    json_t *cc = NULL, *rr = NULL;
    assert_int_equal(xrm_dav_sync_changes(&f->a, &fake, "none", NULL, &cc, &rr, now, &err),
                     XRM_E_NOTFOUND);
}

static void test_only_the_latest_are_kept(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    char first[XRM_DAV_SYNC_TOKEN_LEN], kept[XRM_DAV_SYNC_TOKEN_LEN], t[XRM_DAV_SYNC_TOKEN_LEN];
    char c[256], r[256];
    token_of(&f->a, first);
    for (int i = 0; i < XRM_DAV_SYNC_KEEP; i++) {
        char etag[16];
        snprintf(etag, sizeof(etag), "v%d", i);
        set_member("a.vcf", etag);
        token_of(&f->a, i == 0 ? kept : t);
    }
    assert_int_equal(changes(&f->a, first, c, r, t, &err), XRM_E_PRECONDITION);
    assert_int_equal(changes(&f->a, kept, c, r, t, &err), XRM_OK);
    assert_string_equal(c, "a.vcf ");
}

static void test_names_that_cannot_be_stored_are_left_out(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    char t[XRM_DAV_SYNC_TOKEN_LEN], c[256], r[256];
    set_member("bad\tname.vcf", "1");
    set_member("bad\nname.vcf", "1");
    assert_int_equal(changes(&f->a, NULL, c, r, t, &err), XRM_OK);
    assert_string_equal(c, "a.vcf b.vcf ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_token_moves_only_on_a_change, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_since_a_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_foreign_and_other_users_tokens, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_only_the_latest_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_that_cannot_be_stored_are_left_out, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
