/*
 * Administrator-only operations refuse anyone else in the domain itself,
 * not only in the HTTP route table, so the CLI and any other caller are
 * covered too: adding and changing users, defining role types and
 * relationship types, erasing a party, running retention, simulating a
 * rule (a user with full access to every domain is still no admin). The system (user id 0, the CLI)
 * stays allowed. Each refusal is XRM_E_DENIED and leaves the database as it was.
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

#include "domain/party/party.h"
#include "domain/party/relationship.h"
#include "domain/privacy/gdpr.h"
#include "domain/records/automation.h"
#include "domain/records/pipeline.h"
#include "domain/privacy/retention.h"
#include "domain/rules/rule.h"
#include "domain/party/role.h"
#include "domain/users/user.h"
#include "core/util.h"
#include "store/store.h"

static char dir[64];
static char path[128];

struct fixture {
    struct xrm_store *st;
    struct xrm_ctx sys;   /* the system: user id 0 */
    struct xrm_ctx clerk; /* a signed-in user with full access to every domain, not admin */
    struct xrm_ctx admin;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct xrm_err err = XRM_ERR_INIT;
    snprintf(dir, sizeof(dir), "/tmp/xrm-admin-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    assert_int_equal(xrm_store_open(path, true, &f->st, &err), XRM_OK);
    assert_int_equal(xrm_role_type_seed(f->st, &err), XRM_OK);
    assert_int_equal(xrm_relationship_type_seed(f->st, &err), XRM_OK);
    f->sys.store = f->clerk.store = f->admin.store = f->st;
    assert_int_equal(xrm_store_reader(f->st, &f->sys.db, &err), XRM_OK);
    f->clerk.db = f->admin.db = f->sys.db;
    /* real users, so that audit rows name someone who exists */
    json_t *in = json_pack("{s:s, s:b}", "name", "boss", "admin", 1), *out = NULL;
    assert_int_equal(xrm_user_add(&f->sys, in, &out, &err), XRM_OK);
    f->admin.user.id = json_integer_value(json_object_get(out, "id"));
    json_decref(in);
    json_decref(out);
    in = json_pack("{s:s, s:b}", "name", "clerk", "admin", 0);
    out = NULL;
    assert_int_equal(xrm_user_add(&f->sys, in, &out, &err), XRM_OK);
    f->clerk.user.id = json_integer_value(json_object_get(out, "id"));
    json_decref(in);
    json_decref(out);
    xrm_strlcpy(f->clerk.user.name, "clerk", sizeof(f->clerk.user.name));
    memset(f->clerk.user.level, XRM_LEVEL_FULL, sizeof(f->clerk.user.level));
    xrm_strlcpy(f->admin.user.name, "boss", sizeof(f->admin.user.name));
    memset(f->admin.user.level, XRM_LEVEL_FULL, sizeof(f->admin.user.level));
    f->admin.user.admin = true;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    xrm_store_free(f->st);
    free(f);
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int64_t count(struct fixture *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(xrm_db_scalar_int(f->sys.db, sql, &n, NULL), XRM_OK);
    return n;
}

static json_t *add_user(struct xrm_ctx *ctx, const char *name, enum xrm_rc want)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = json_pack("{s:s, s:b}", "name", name, "admin", 0), *out = NULL;
    assert_int_equal(xrm_user_add(ctx, in, &out, &err), want);
    json_decref(in);
    return out;
}

static void test_user_add_needs_admin(void **state)
{
    struct fixture *f = *state;
    json_decref(add_user(&f->sys, "first", XRM_OK)); /* the CLI: the system */
    int64_t before = count(f, "SELECT COUNT(*) FROM users");
    assert_null(add_user(&f->clerk, "sneaky", XRM_E_DENIED));
    assert_int_equal(count(f, "SELECT COUNT(*) FROM users"), before);
    json_decref(add_user(&f->admin, "second", XRM_OK));
    assert_int_equal(count(f, "SELECT COUNT(*) FROM users"), before + 1);
}

static void test_user_update_needs_admin(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *u = add_user(&f->sys, "target", XRM_OK), *out = NULL;
    int64_t id = json_integer_value(json_object_get(u, "id"));
    json_t *patch = json_pack("{s:b}", "admin", 1);
    int64_t admins = count(f, "SELECT COUNT(*) FROM users WHERE is_admin = 1");
    assert_int_equal(xrm_user_update(&f->clerk, id, patch, &out, &err), XRM_E_DENIED);
    assert_null(out);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM users WHERE is_admin = 1"), admins);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_user_update(&f->admin, id, patch, &out, &err), XRM_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM users WHERE is_admin = 1"), admins + 1);
    json_decref(out);
    json_decref(patch);
    json_decref(u);
}

static void test_role_type_needs_admin(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    json_t *in =
        json_pack("{s:s, s:s, s:{s:s, s:s}, s:[s, s], s:s, s:[s]}", "name", "volunteer", "domain",
                  "hr", "label", "en", "Volunteer", "nl", "Vrijwilliger", "statuses", "active",
                  "former", "default_status", "active", "ended_statuses", "former");
    int64_t before = count(f, "SELECT COUNT(*) FROM role_types");
    assert_int_equal(xrm_role_type_create(&f->clerk, in, &out, &err), XRM_E_DENIED);
    assert_null(out);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM role_types"), before);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_role_type_create(&f->sys, in, &out, &err), XRM_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM role_types"), before + 1);
    json_decref(out);
    json_decref(in);
}

static void test_relationship_type_needs_admin(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    json_t *in = json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}}", "name", "mentor_of", "reverse",
                           "mentored_by", "label", "en", "mentor of", "nl", "mentor van",
                           "reverse_label", "en", "mentored by", "nl", "begeleid door");
    int64_t before = count(f, "SELECT COUNT(*) FROM relationship_types");
    assert_int_equal(xrm_relationship_type_create(&f->clerk, in, &out, &err), XRM_E_DENIED);
    assert_null(out);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM relationship_types"), before);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_relationship_type_create(&f->admin, in, &out, &err), XRM_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM relationship_types"), before + 1);
    json_decref(out);
    json_decref(in);
}

static void test_erase_retention_simulate_need_admin(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = json_pack("{s:s, s:s}", "kind", "person", "family_name", "Jansen"), *p = NULL;
    assert_int_equal(xrm_party_create(&f->sys, in, &p, &err), XRM_OK);
    int64_t id = json_integer_value(json_object_get(p, "id"));
    int64_t audit = count(f, "SELECT COUNT(*) FROM audit");
    json_t *out = NULL;
    assert_int_equal(xrm_gdpr_erase(&f->clerk, id, &out, &err), XRM_E_DENIED);
    assert_null(out);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM parties WHERE family_name = 'Jansen'"), 1);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_retention_run(f->st, &f->clerk.user, true, &out, &err), XRM_E_DENIED);
    assert_null(out);
    err = (struct xrm_err)XRM_ERR_INIT;
    json_t *draft = json_pack("{s:s, s:{s:[s]}, s:{s:s}}", "name", "probe", "when", "tags", "x",
                              "then", "priority", "high");
    assert_int_equal(xrm_rule_simulate(&f->clerk, draft, 10, NULL, &out, &err), XRM_E_DENIED);
    assert_null(out);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit"), audit);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_rule_simulate(&f->admin, draft, 10, NULL, &out, &err), XRM_OK);
    json_decref(out);
    out = NULL;
    assert_int_equal(xrm_gdpr_erase(&f->admin, id, &out, &err), XRM_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM parties WHERE family_name = 'Jansen'"), 0);
    json_decref(out);
    json_decref(draft);
    json_decref(in);
    json_decref(p);
}

static void test_pipelines_and_automations_need_admin(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = json_pack("{s:s, s:[{s:s, s:i}, {s:s, s:s}, {s:s, s:s}]}", "name", "Installatie",
                           "stages", "name", "Open", "probability", 20, "name", "Rond", "kind",
                           "won", "name", "Mis", "kind", "lost");
    json_t *out = NULL;
    int64_t before = count(f, "SELECT COUNT(*) FROM pipelines");
    assert_int_equal(xrm_pipeline_create(&f->clerk, in, &out, &err), XRM_E_DENIED);
    assert_null(out);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM pipelines"), before);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_automation_run(&f->clerk, &out, &err), XRM_E_DENIED);
    assert_null(out);
    err = (struct xrm_err)XRM_ERR_INIT;
    assert_int_equal(xrm_pipeline_create(&f->admin, in, &out, &err), XRM_OK);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM pipelines"), before + 1);
    json_decref(out);
    json_decref(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_add_needs_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_update_needs_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_type_needs_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relationship_type_needs_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_erase_retention_simulate_need_admin, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipelines_and_automations_need_admin, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
