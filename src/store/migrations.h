/*
 * Numbered schema migrations, one list per engine. Applied in order on
 * start by the driver; each in its own transaction with its row in
 * schema_migrations.
 */
#ifndef XRM_STORE_MIGRATIONS_H
#define XRM_STORE_MIGRATIONS_H

#include <stddef.h>

struct xrm_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct xrm_migration xrm_migrations_sqlite[];
extern const int xrm_migrations_sqlite_count;

/*
 * PostgreSQL (migrations-pg.c): the same list, translated at load time.
 * xrm_migration_to_pg returns the PostgreSQL text of a SQLite migration
 * (caller frees), or NULL with a reason in msg. A migration listed in
 * xrm_migrations_pg_override (ended by version 0) is used as written there.
 * xrm_pg_prelude creates the search functions; it is idempotent.
 */
char *xrm_migration_to_pg(const char *sql, char *msg, size_t msglen);
extern const struct xrm_migration xrm_migrations_pg_override[];
extern const char xrm_pg_prelude[];

#endif
