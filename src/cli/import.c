/*
 * xrm import FILE: imports a CSV, vCard or NDJSON file of parties as an
 * import job (domain/exchange/import-job.h) run here, as the system, on
 * the database directly. The file is read in chunks; a terminal gets a
 * progress bar on stderr, anything else one summary line at the end.
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/json.h"
#include "domain/exchange/import-job.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database"),
    {"dry-run", 'n', NULL, false, "write nothing; report what an import would do"},
    {"match", 'm', "KEYS", false,
     "keys that make a row an existing party, which is then updated:\n"
     "email,kvk,vat,iban,phone,external_id,uid (comma-separated)"},
    {"mapping", 0, "FILE", false,
     "a JSON file {\"CSV header\": \"field\", ...} (\"\" ignores a column)"},
    {"on-error", 0, "skip|abort", false,
     "skip (the default): import the good rows and report the bad ones;\n"
     "abort: import nothing when any row is bad"},
    {"force", 'f', NULL, false, "create rows that exactly duplicate an existing party"},
    {"format", 0, "csv|vcard|ndjson", false, "the file's format (default: from its extension)"},
    {"errors", 'e', "FILE.csv", false, "write the bad rows (line;field;code;message) to FILE.csv"},
    {0},
};

const struct cli_cmd import_cmd = {
    .name = "import",
    .synopsis = "import FILE --db PATH [--dry-run] [--match KEYS] [--mapping FILE]\n"
                "       [--on-error skip|abort] [--force] [--errors FILE.csv]",
    .about = "Imports parties from a CSV file (Google Contacts, Outlook, a Dutch spreadsheet,\n"
             "an xrm export; separator and encoding detected), a vCard file (2.1, 3.0, 4.0) or\n"
             "NDJSON (one party object per line, as POST /api/v1/parties takes). Each row is\n"
             "checked as the API checks a party. Exit status 0 when no row failed, 1 otherwise.\n",
    .opts = opts,
    .min_operands = 1,
    .max_operands = 1,
};

struct bar {
    bool tty;
    int last;
};

static bool show_progress(void *arg, int64_t done, int64_t total)
{
    struct bar *b = arg;
    if (!b->tty)
        return true;
    int pct = total > 0 ? (int)(done * 100 / total) : 0;
    if (pct > 100)
        pct = 100;
    if (pct == b->last && done != total)
        return true;
    b->last = pct;
    char line[41];
    int fill = pct * 40 / 100;
    memset(line, '#', (size_t)fill);
    memset(line + fill, '.', (size_t)(40 - fill));
    line[40] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %lld/%lld", line, pct, (long long)done, (long long)total);
    return true;
}

static bool format_of_name(const char *file, const char *given, enum xrm_import_format *out)
{
    const char *ext = given;
    if (!ext) {
        ext = strrchr(file, '.');
        ext = ext ? ext + 1 : "";
    }
    if (strcasecmp(ext, "csv") == 0 || strcasecmp(ext, "txt") == 0)
        *out = XRM_IMPORT_CSV;
    else if (strcasecmp(ext, "vcf") == 0 || strcasecmp(ext, "vcard") == 0)
        *out = XRM_IMPORT_VCARD;
    else if (strcasecmp(ext, "ndjson") == 0 || strcasecmp(ext, "jsonl") == 0)
        *out = XRM_IMPORT_NDJSON;
    else
        return false;
    return true;
}

static int write_errors(struct xrm_ctx *ctx, int64_t id, const char *path)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b = XRM_BUF_INIT;
    int rc = 0;
    if (xrm_import_job_errors_csv(ctx, id, &b, &err)) {
        rc = cli_fail("%s", err.message);
    } else {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(b.s, 1, b.len, f) != b.len)
            rc = cli_fail("cannot write '%s'", path);
        if (f && fclose(f) != 0 && !rc)
            rc = cli_fail("cannot write '%s'", path);
    }
    xrm_buf_release(&b);
    return rc;
}

int cmd_import(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&import_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *file = args.operands[0], *on_error = cli_arg(&args, "on-error");
    const char *mapping = cli_arg(&args, "mapping"), *errors = cli_arg(&args, "errors");
    struct xrm_import_opts o = {.dry_run = cli_flag(&args, "dry-run"),
                                .force = cli_flag(&args, "force")};
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_store *st = NULL;
    json_t *job = NULL;
    int64_t id = 0;
    int rc = 0;

    if (!format_of_name(file, cli_arg(&args, "format"), &o.format)) {
        fprintf(stderr, "xrm: cannot tell the format of '%s': give --format csv|vcard|ndjson\n",
                file);
        return 2;
    }
    if (on_error && strcmp(on_error, "abort") != 0 && strcmp(on_error, "skip") != 0) {
        fprintf(stderr, "xrm: --on-error is skip or abort\n");
        return 2;
    }
    o.abort_on_error = on_error && strcmp(on_error, "abort") == 0;
    if (xrm_import_match_parse(cli_arg(&args, "match"), &o.match, &err)) {
        fprintf(stderr, "xrm: --match: %s\n", err.nfields ? err.fields[0].message : err.message);
        return 2;
    }
    if (access(file, R_OK) != 0)
        return cli_fail("cannot read '%s'", file);
    if (mapping) {
        json_error_t jerr;
        o.mapping = json_load_file(mapping, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_object(o.mapping)) {
            json_decref(o.mapping);
            return cli_fail("mapping '%s' is not a JSON object: %s", mapping, jerr.text);
        }
    }
    if (cli_open(cli_arg(&args, "db"), &st)) {
        json_decref(o.mapping);
        return 1;
    }
    struct xrm_ctx ctx = {.store = st};
    struct bar bar = {isatty(2) == 1, -1};
    if (xrm_store_reader(st, &ctx.db, &err) || xrm_import_job_create(&ctx, &o, &id, &err) ||
        xrm_import_job_run(&ctx, id, &o, file, show_progress, &bar, &err) ||
        xrm_import_job_get(&ctx, id, &job, &err)) {
        if (bar.tty)
            fputc('\n', stderr);
        rc = cli_fail("%s", err.message);
        goto out;
    }
    if (bar.tty)
        fputc('\n', stderr);
#define N(k) ((long long)json_integer_value(json_object_get(job, k)))
    fprintf(stderr,
            "import %lld%s: %lld rows, %lld created, %lld updated, %lld skipped, %lld failed%s%s\n",
            (long long)id, o.dry_run ? " (dry run, nothing written)" : "", N("done"), N("created"),
            N("updated"), N("skipped"), N("errors"),
            json_is_string(json_object_get(job, "message")) ? ": " : "",
            json_is_string(json_object_get(job, "message"))
                ? json_string_value(json_object_get(job, "message"))
                : "");
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(job, "error_list"), i, e)
    {
        fprintf(stderr, "  line %lld: %s%s%s\n",
                (long long)json_integer_value(json_object_get(e, "line")),
                json_is_string(json_object_get(e, "field"))
                    ? json_string_value(json_object_get(e, "field"))
                    : "",
                json_is_string(json_object_get(e, "field")) ? ": " : "",
                json_string_value(json_object_get(e, "message")));
    }
    if (errors && write_errors(&ctx, id, errors))
        rc = 1;
    if (N("errors") > 0)
        rc = 1;
#undef N
out:
    json_decref(job);
    json_decref(o.mapping);
    xrm_store_free(st);
    return rc;
}
