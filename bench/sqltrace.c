/*
 * An LD_PRELOAD shim that logs the text of every SQL statement a process
 * starts (the first sqlite3_step after a reset), for checking that
 * bench/sqlbench.c runs the statements the server runs:
 *
 *   SQLTRACE_FILE=trace.log LD_PRELOAD=bench/work/sqltrace.so build/xrm serve ...
 *
 * Lines are "SQL <text with ? placeholders>"; SQLTRACE_EXPANDED=1 logs the
 * bound values instead. Only calls from outside libsqlite3 are seen.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

static int (*real_step)(sqlite3_stmt *);
static FILE *out;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

int sqlite3_step(sqlite3_stmt *s)
{
    if (!real_step)
        real_step = (int (*)(sqlite3_stmt *))dlsym(RTLD_NEXT, "sqlite3_step");
    if (!sqlite3_stmt_busy(s)) {
        pthread_mutex_lock(&lock);
        if (!out) {
            const char *p = getenv("SQLTRACE_FILE");
            out = p ? fopen(p, "a") : NULL;
            if (!out)
                out = stderr;
        }
        char *x = getenv("SQLTRACE_EXPANDED") ? sqlite3_expanded_sql(s) : NULL;
        fprintf(out, "SQL %s\n", x ? x : sqlite3_sql(s));
        fflush(out);
        sqlite3_free(x);
        pthread_mutex_unlock(&lock);
    }
    return real_step(s);
}
