/*
 * Numbered schema migrations, one list per engine. Applied in order on
 * start by the driver; each in its own transaction with its row in
 * schema_migrations.
 */
#ifndef XRM_STORE_MIGRATIONS_H
#define XRM_STORE_MIGRATIONS_H

struct xrm_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct xrm_migration xrm_migrations_sqlite[];
extern const int xrm_migrations_sqlite_count;

#endif
