/*
 * Unit tests for the records a merge moves (domain/merge/merge-db.h): the
 * table of moved records names the billing tables (quotes, invoices and
 * purchase invoices by their party), and a merge moves a merged party's
 * quotes, invoices and purchase invoices to the survivor (a new version)
 * and its undo moves them back, while another party's rows stay put; the
 * merge's counts name quotes and invoices.
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

#include "domain/merge/merge-db.h"
#include "domain/party/party.h"
#include "core/util.h"
#include "store/store.h"
#include "core/banned.h"

static char dir[64];
static char path[128];

struct fixture {
    struct xrm_store *st;
    struct xrm_ctx sys;
    int64_t survivor, merged, other;
};

static int64_t new_party(struct xrm_ctx *ctx, const char *name)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = json_pack("{s:s, s:s}", "kind", "organization", "name", name), *out = NULL;
    assert_int_equal(xrm_party_create(ctx, in, &out, &err), XRM_OK);
    int64_t id = json_integer_value(json_object_get(out, "id"));
    json_decref(in);
    json_decref(out);
    return id;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct xrm_err err = XRM_ERR_INIT;
    snprintf(dir, sizeof(dir), "/tmp/xrm-merge-db-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.db", dir);
    assert_int_equal(xrm_store_open(path, true, &f->st, &err), XRM_OK);
    f->sys.store = f->st;
    assert_int_equal(xrm_store_reader(f->st, &f->sys.db, &err), XRM_OK);
    f->survivor = new_party(&f->sys, "Survivor BV");
    f->merged = new_party(&f->sys, "Merged BV");
    f->other = new_party(&f->sys, "Other BV");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[160];
    xrm_store_free(f->st);
    free(f);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void billing_tables_are_moved(void **state)
{
    (void)state;
    assert_true(xrm_merge_db_moves("quotes", "party_id"));
    assert_true(xrm_merge_db_moves("invoices", "party_id"));
    assert_true(xrm_merge_db_moves("purchase_invoices", "party_id"));
    /* the kinds that moved before still do */
    assert_true(xrm_merge_db_moves("deals", "party_id"));
    assert_true(xrm_merge_db_moves("deals", "partner_id"));
    assert_true(xrm_merge_db_moves("project_stakeholders", "party_id"));
    /* lines and payments hang off their invoice, not a party */
    assert_false(xrm_merge_db_moves("invoice_payments", "party_id"));
    assert_false(xrm_merge_db_moves("quotes", "deal_id"));
}

struct step {
    struct fixture *f;
    json_t *image, *moves; /* do_move, do_restore */
    int64_t party;         /* run_sql: the party of the new row */
    const char *sql;       /* run_sql: one statement, the party its parameters */
    int nparams;
};

static enum xrm_rc run_sql(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct step *s = arg;
    struct xrm_stmt *st = xrm_db_prepare(db, s->sql, err);
    if (!st)
        return XRM_E_DB;
    for (int i = 1; i <= s->nparams; i++)
        xrm_stmt_bind_int(st, i, s->party);
    int r = xrm_stmt_step(st, err);
    xrm_stmt_done(st);
    return r < 0 ? XRM_E_DB : XRM_OK;
}

static void billing_rows_of(struct fixture *f, int64_t party, const char *tag)
{
    struct xrm_err err = XRM_ERR_INIT;
    char sql[3][400];
    snprintf(sql[0], sizeof(sql[0]),
             "INSERT INTO quotes (number, party_id, date, created_at, updated_at)"
             " VALUES ('Q-%s', ?, '2026-12-01', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z')",
             tag);
    snprintf(sql[1], sizeof(sql[1]),
             "INSERT INTO invoices (number, party_id, date, created_at, updated_at)"
             " VALUES ('I-%s', ?, '2026-12-01', '2026-12-01T10:00:00Z', '2026-12-01T10:00:00Z')",
             tag);
    snprintf(sql[2], sizeof(sql[2]),
             "INSERT INTO purchase_invoices (number, party_id, xml, sha256, created_at,"
             " updated_at) VALUES ('P-%s', ?, '<Invoice/>', 'sha-%s', '2026-12-01T10:00:00Z',"
             " '2026-12-01T10:00:00Z')",
             tag, tag);
    for (int i = 0; i < 3; i++) {
        struct step s = {.f = f, .party = party, .sql = sql[i], .nparams = 1};
        assert_int_equal(xrm_store_write(f->st, run_sql, &s, &err), XRM_OK);
    }
}

/* "party_id version" of the row of table whose number is number. */
static void row_of(struct fixture *f, const char *table, const char *number, int64_t *party,
                   int64_t *version)
{
    struct xrm_err err = XRM_ERR_INIT;
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT party_id, version FROM %s WHERE number = ?", table);
    struct xrm_stmt *st = xrm_db_prepare(f->sys.db, sql, &err);
    assert_non_null(st);
    xrm_stmt_bind_text(st, 1, number);
    assert_int_equal(xrm_stmt_step(st, &err), 1);
    *party = xrm_stmt_int(st, 0);
    *version = xrm_stmt_int(st, 1);
    xrm_stmt_done(st);
}

static enum xrm_rc do_move(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct step *s = arg;
    json_t *merged = json_pack("[I, I]", (json_int_t)s->f->survivor, (json_int_t)s->f->merged);
    enum xrm_rc rc =
        xrm_merge_db_move(db, s->f->survivor, s->f->merged, merged, s->image, s->moves, err);
    json_decref(merged);
    return rc;
}

static enum xrm_rc do_restore(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct step *s = arg;
    return xrm_merge_db_restore(db, s->image, err);
}

static void check(struct fixture *f, const char *number, int64_t party, int64_t version)
{
    int64_t p = 0, v = 0;
    const char *table = number[0] == 'Q'   ? "quotes"
                        : number[0] == 'I' ? "invoices"
                                           : "purchase_invoices";
    row_of(f, table, number, &p, &v);
    assert_int_equal(p, party);
    assert_int_equal(v, version);
}

static void merge_moves_billing_and_undo_brings_it_back(void **state)
{
    struct fixture *f = *state;
    struct xrm_err err = XRM_ERR_INIT;
    struct step s = {.f = f, .image = json_array(), .moves = json_object()};
    static const char *const mine[] = {"Q-m", "I-m", "P-m"}, *const theirs[] = {"Q-o", "I-o",
                                                                                "P-o"};

    billing_rows_of(f, f->merged, "m");
    billing_rows_of(f, f->other, "o");

    assert_int_equal(xrm_store_write(f->st, do_move, &s, &err), XRM_OK);
    for (int i = 0; i < 3; i++) {
        check(f, mine[i], f->survivor, 2);
        check(f, theirs[i], f->other, 1);
    }
    /* the answer counts quotes and invoices; purchase invoices are not counted */
    assert_int_equal(json_integer_value(json_object_get(s.moves, "quotes")), 1);
    assert_int_equal(json_integer_value(json_object_get(s.moves, "invoices")), 1);
    assert_null(json_object_get(s.moves, "purchase_invoices"));

    assert_int_equal(xrm_store_write(f->st, do_restore, &s, &err), XRM_OK);
    for (int i = 0; i < 3; i++) {
        check(f, mine[i], f->merged, 3);
        check(f, theirs[i], f->other, 1);
    }
    json_decref(s.image);
    json_decref(s.moves);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(billing_tables_are_moved),
        cmocka_unit_test_setup_teardown(merge_moves_billing_and_undo_brings_it_back, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
