/*
 * xrm mail deliver | poll: mail received (domain/mail/inbound.h,
 * domain/mail/mailbox.h) from the command line. deliver reads one RFC 5322
 * message on stdin (e.g. from a Dovecot or Postfix pipe) and delivers it
 * into a domain; poll polls every enabled mailbox once, as the poller of
 * `xrm serve` does.
 */
#include "cli/cli.h"
#include "core/buf.h"
#include "core/json.h"
#include "domain/mail/inbound.h"
#include "domain/mail/mailbox.h"
#include "io/mail-in.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt deliver_opts[] = {
    CLI_OPT_DB("the database"),
    {"domain", 'D', "DOMAIN", false,
     "the domain the mail is for: sales, hr, partners, purchasing or pr\n"
     "(required without --mailbox)"},
    {"mailbox", 'm', "ID", false, "the mailbox it arrived in: its domain and BCC address count"},
    {"json", 'j', NULL, false, "print the result as JSON"},
    {0},
};

const struct cli_cmd mail_deliver_cmd = {
    .name = "mail",
    .verb = "deliver",
    .synopsis = "mail deliver --db PATH --domain DOMAIN [--mailbox ID] [--json] < message",
    .about = "Reads one mail message (RFC 5322, at most 25 MB) on stdin and delivers it: a reply\n"
             "to a case's mail lands on the case (and reopens it), mail from a known party lands\n"
             "on its timeline, a user's own mail (From a user, or to the mailbox's BCC address)\n"
             "on its recipients, anything else in the review list. A Message-ID seen before is\n"
             "ignored. Prints what happened. Exit status: 0 stored, in review or a duplicate;\n"
             "2 bad input (not a mail message, too large, bad options); 1 another error.\n"
             "See also: xrm mail poll --help (poll the mailboxes once).\n",
    .opts = deliver_opts,
};

static const struct cli_opt poll_opts[] = {
    CLI_OPT_DB("the database"),
    {"json", 'j', NULL, false, "print the counts as JSON"},
    {0},
};

const struct cli_cmd mail_poll_cmd = {
    .name = "mail",
    .verb = "poll",
    .synopsis = "mail poll --db PATH [--json]",
    .about = "Polls every enabled mailbox with an IMAP URL once (new messages by UID since the\n"
             "last poll) and delivers what is new, as `xrm serve` does every\n"
             "XRM_MAIL_POLL_SECONDS (default 60). Exit status 1 when a mailbox failed.\n",
    .opts = poll_opts,
};

static void print_json(json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
    puts(s ? s : "{}");
    xrm_json_text_free(s);
}

static int deliver(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    struct xrm_buf in = XRM_BUF_INIT;
    json_t *out = NULL;
    int rc = 0;
    int status = cli_start(&mail_deliver_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    const char *domain = cli_arg(&args, "domain");
    const char *mb = cli_arg(&args, "mailbox");
    int64_t mailbox = 0;
    if (mb) {
        char *end = NULL;
        long long v = strtoll(mb, &end, 10);
        if (!*mb || *end || v < 1) {
            fprintf(stderr, "xrm mail deliver: --mailbox must be a mailbox id\n");
            rc = 2;
            goto out;
        }
        mailbox = v;
    } else if (!domain) {
        fprintf(stderr, "xrm mail deliver: --domain or --mailbox is required\n");
        rc = 2;
        goto out;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        xrm_buf_add(&in, chunk, n);
        if (in.len > XRM_MAIL_IN_MAX_BYTES + 1)
            break; /* the parser refuses it: no need to read the rest */
    }
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_mail_deliver(st, NULL, domain, mailbox, in.s, in.len, &out, &err)) {
        fprintf(stderr, "xrm mail deliver: %s\n", err.message);
        rc = err.rc == XRM_E_MALFORMED || err.rc == XRM_E_LIMIT || err.rc == XRM_E_INVALID ||
                     err.rc == XRM_E_NOTFOUND
                 ? 2
                 : 1;
        goto out;
    }
    if (cli_flag(&args, "json")) {
        print_json(out);
    } else if (json_is_true(json_object_get(out, "duplicate"))) {
        printf("duplicate: %s was received before; nothing stored\n",
               json_string_value(json_object_get(out, "message_id")));
    } else if (json_is_integer(json_object_get(out, "review"))) {
        printf("review: unknown sender; mail in review %lld\n",
               (long long)json_integer_value(json_object_get(out, "review")));
    } else {
        char *parties = json_dumps(json_object_get(out, "parties"), JSON_COMPACT);
        printf("stored: activity %lld on parties %s",
               (long long)json_integer_value(json_object_get(out, "activity")),
               parties ? parties : "[]");
        if (json_is_integer(json_object_get(out, "case")))
            printf(", message on case %lld",
                   (long long)json_integer_value(json_object_get(out, "case")));
        printf("\n");
        xrm_json_text_free(parties);
    }
out:
    json_decref(out);
    xrm_buf_release(&in);
    xrm_store_free(st);
    return rc;
}

static int poll_all(int argc, char **argv)
{
    struct cli_args args;
    struct xrm_store *st;
    json_t *out = NULL;
    int rc = 0;
    int status = cli_start(&mail_poll_cmd, argc, argv, &args, &st);
    if (status >= 0)
        return status;
    struct xrm_err err = XRM_ERR_INIT;
    if (xrm_mailbox_poll_all(st, &out, &err)) {
        rc = cli_fail("%s", err.message);
    } else {
        if (cli_flag(&args, "json"))
            print_json(out);
        else
            printf("mailboxes %lld: fetched %lld, stored %lld, review %lld, errors %lld\n",
                   (long long)json_integer_value(json_object_get(out, "mailboxes")),
                   (long long)json_integer_value(json_object_get(out, "fetched")),
                   (long long)json_integer_value(json_object_get(out, "stored")),
                   (long long)json_integer_value(json_object_get(out, "review")),
                   (long long)json_integer_value(json_object_get(out, "errors")));
        if (json_integer_value(json_object_get(out, "errors")) > 0)
            rc = 1;
    }
    json_decref(out);
    xrm_store_free(st);
    return rc;
}

int cmd_mail(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "poll") == 0)
        return poll_all(argc, argv);
    if (argc >= 2 && (strcmp(argv[1], "deliver") == 0 || strcmp(argv[1], "--help") == 0 ||
                      strcmp(argv[1], "-h") == 0))
        return deliver(argc, argv);
    /* one line naming what is wrong, before any database is opened */
    fprintf(stderr, "xrm mail: %s%s%s: expected 'xrm mail deliver' or 'xrm mail poll'\n",
            argc >= 2 ? "unknown word '" : "no verb", argc >= 2 ? argv[1] : "",
            argc >= 2 ? "'" : "");
    return 2;
}
