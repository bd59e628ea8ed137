/*
 * xrm export: the parties of a query or segment as CSV (Dutch Excel),
 * vCard 4.0 or NDJSON, read as the system (everything, nothing hidden) and
 * written page by page to a file or stdout (domain/exchange/export.h).
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/util.h"
#include "domain/exchange/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"format", 'f', "FORMAT", true, "csv, vcard (or vcf) or ndjson"},
    {"q", 'q', "QUERY", false, "only the parties this query finds (the search box's language)"},
    {"segment", 's', "ID", false, "only the members of this segment (and of --q when given)"},
    {"headers", 'H', "LANG", false, "CSV header names: en (default) or nl"},
    {"out", 'o', "FILE", false, "write to FILE instead of stdout"},
    {0},
};

const struct cli_cmd export_cmd = {
    .name = "export",
    .synopsis = "export --db PATH --format csv|vcard|ndjson [--q QUERY] [--segment ID]\n"
                "       [--headers nl|en] [--out FILE]",
    .about = "Writes every party (not archived) that the query or segment finds, or all of\n"
             "them, as CSV for Excel with Dutch settings (UTF-8 with BOM, ';', CRLF; phone,\n"
             "postcode and id-like cells as text), vCard 4.0 (one card per party, UID the\n"
             "party's uid) or NDJSON (one party JSON per line, as the API shows it). Runs as\n"
             "the system and so sees everything, hidden roles and sensitive attributes too:\n"
             "handle the file accordingly. Parties are read page by page, so an export of\n"
             "any size takes little memory. Prints a summary line on stderr.\n",
    .opts = opts,
};

int cmd_export(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&export_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    struct xrm_export_opts o = {.q = cli_arg(&args, "q")};
    const char *headers = cli_arg(&args, "headers"), *seg = cli_arg(&args, "segment");
    const char *path = cli_arg(&args, "out");
    if (!xrm_export_format_parse(cli_arg(&args, "format"), &o.format)) {
        fprintf(stderr, "xrm export: --format must be csv, vcard or ndjson\n");
        return 2;
    }
    if (headers && strcmp(headers, "nl") != 0 && strcmp(headers, "en") != 0) {
        fprintf(stderr, "xrm export: --headers must be nl or en\n");
        return 2;
    }
    o.dutch = headers && strcmp(headers, "nl") == 0;
    if (seg && !xrm_parse_int(seg, 1, INT64_MAX, &o.segment)) {
        fprintf(stderr, "xrm export: --segment must be a segment id\n");
        return 2;
    }

    struct xrm_store *st = NULL;
    struct xrm_export *e = NULL;
    struct xrm_buf b = XRM_BUF_INIT;
    struct xrm_err err = XRM_ERR_INIT;
    FILE *f = NULL;
    int rc = 1;
    bool done = false;
    if (cli_open(cli_arg(&args, "db"), &st))
        return 1;
    struct xrm_ctx ctx = {.store = st}; /* the system (user id 0): sees everything */
    if (xrm_store_reader(st, &ctx.db, &err)) {
        rc = cli_fail("%s", err.message);
        goto out;
    }
    xrm_store_read_begin(ctx.db); /* one snapshot for the whole file */
    if (xrm_export_new(&ctx, &o, &e, &err)) {
        rc = cli_fail("%s%s%s", err.nfields ? err.fields[0].field : "", err.nfields ? ": " : "",
                      err.nfields ? err.fields[0].message : err.message);
        goto out;
    }
    f = path ? fopen(path, "wb") : stdout;
    if (!f) {
        rc = cli_fail("cannot write %s", path);
        goto out;
    }
    while (!done) {
        xrm_buf_reset(&b);
        if (xrm_export_next(e, &ctx, &b, &done, &err)) {
            rc = cli_fail("%s", err.message);
            goto out;
        }
        if (b.len && fwrite(b.s, 1, b.len, f) != b.len) {
            rc = cli_fail("cannot write %s", path ? path : "stdout");
            goto out;
        }
    }
    if (fflush(f) != 0) {
        rc = cli_fail("cannot write %s", path ? path : "stdout");
        goto out;
    }
    fprintf(stderr, "exported %lld part%s as %s%s%s\n", (long long)xrm_export_count(e),
            xrm_export_count(e) == 1 ? "y" : "ies", xrm_export_extension(o.format),
            path ? " to " : "", path ? path : "");
    rc = 0;
out:
    if (ctx.db)
        xrm_store_read_end(ctx.db);
    if (f && f != stdout && fclose(f) != 0 && rc == 0)
        rc = cli_fail("cannot write %s", path);
    xrm_export_free(e);
    xrm_buf_release(&b);
    xrm_store_free(st);
    return rc;
}
