/*
 * xrm serve: run the HTTP server until SIGTERM or SIGINT.
 */
#include "cli/cli.h"
#include "core/log.h"
#include "core/util.h"
#include "http/http.h"
#include "http/rcache.h"
#include "domain/base/jobs.h"
#include "domain/records/automation.h"
#include "domain/mail/outbox.h"
#include "io/mail-out.h"
#include "domain/mail/mailbox.h"  /* mail received: the poller */
#include "domain/docs/document.h" /* documents: the upload cap */
/* webhooks: the delivery worker */
#include "domain/webhooks/outbox.h"

#include <limits.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database: a SQLite file or a postgres:// URL"),
    {"listen", 'l', "HOST:PORT", false,
     "where to listen (default 127.0.0.1:8080; port 0 picks\na free port)"},
    {"threads", 't', "N", false,
     "I/O threads, each with its own connection (default: one\nper CPU)"},
    {"web", 'w', "DIR", false,
     "the web app's files (default: the web/ folder next to the\nbuild/ folder of this binary, "
     "else ./web)"},
    {"write-workers", 0, "N", false,
     "threads that run write requests (default 32; 0 runs\n"
     "them on the N I/O threads): writes waiting for the same\n"
     "disk flush share it (group commit)"},
    {"read-replica", 0, "URL", false,
     "a PostgreSQL streaming replica of that database: reads\n"
     "go there when it has caught up with the primary"},
    {"replica-window", 0, "SECONDS", false,
     "never within SECONDS (default 5) of that user's own\n"
     "write through this server"},
    {"response-cache", 0, "on|off", false,
     "answer a repeated party list or search of the same\n"
     "user from memory while the data has not\n"
     "changed (default on; SQLite only; at most 4 s old)"},
    {"max-conn-per-ip", 0, "N", false,
     "open connections one client address may hold (default\n"
     "256, env XRM_MAX_CONN_PER_IP; 0: no cap); more are\n"
     "refused. Trusted proxies are exempt"},
    {"idle-timeout", 0, "SECONDS", false,
     "close a connection idle or half-sent this long (default\n"
     "30, env XRM_IDLE_TIMEOUT)"},
    {"trusted-proxy", 0, "ADDR[,ADDR]", false,
     "reverse proxies in front (env XRM_TRUSTED_PROXIES):\n"
     "no connection cap for them, and the client address\n"
     "(login limits) is the one they give in X-Forwarded-For"},
    /* e-mail: the outbox worker's SMTP server, the sender, links in mails */
    {"smtp", 0, "URL", false,
     "send mail through this SMTP server (env XRM_SMTP_URL):\n"
     "smtp://host:587 (STARTTLS when offered) or smtps://host:465,\n"
     "user:password@ in the URL or env XRM_SMTP_USER and\n"
     "XRM_SMTP_PASSWORD. Without it mails stay queued in the outbox"},
    {"mail-from", 0, "ADDRESS", false,
     "the sender of mails, \"Name <addr>\" or addr (env\n"
     "XRM_MAIL_FROM; default xrm@localhost); Message-IDs use its domain"},
    {"public-url", 0, "URL", false,
     "the base URL of links in mails (env XRM_PUBLIC_URL; default\n"
     "http://HOST:PORT of --listen) and of the CardDAV and CalDAV\n"
     "addresses the app shows (default: the address the browser used)"},
    /* documents on records */
    {"max-upload", 0, "BYTES", false,
     "the largest document upload (default 26214400, 25 MB;\n"
     "env XRM_MAX_UPLOAD); a larger one is refused (413)"},
    {0},
};

static const struct cli_cmd serve_cmd = {
    .name = "serve",
    .synopsis = "serve --db PATH [--listen HOST:PORT] [--threads N] [--web DIR] [options]",
    .about = "Serves the API and the web app on HOST:PORT, default 127.0.0.1:8080. Port 0 picks\n"
             "a free port. Prints 'listening on http://HOST:PORT' once ready; stops cleanly on\n"
             "SIGTERM or SIGINT. The web app's files come from DIR (default: the web/ folder\n"
             "next to the build/ folder of this binary, else ./web).\n"
             "PATH is a SQLite file or a postgres:// URL; each of the N threads (default: one\n"
             "per CPU) has its own connection to it, plus one for writes.\n"
             "Runs the background jobs (GET /api/v1/jobs): retention daily at 03:00, the partner\n"
             "tier evaluation monthly on the 1st at 03:00 (Dutch time).\n"
             "Sends queued mail (the outbox, GET /api/v1/outbox) through --smtp, retrying a\n"
             "temporary failure after 1 minute, doubling up to 6 hours (env\n"
             "XRM_MAIL_RETRY_SECONDS sets the first wait); mail left half-sent by a crash is\n"
             "sent again at start with the same Message-ID.\n"
             "Delivers webhooks (POST /api/v1/webhooks), retrying a failure after 30 s, doubling\n"
             "up to 2 hours, for 24 hours (env XRM_WEBHOOK_RETRY_SECONDS sets the first wait,\n"
             "XRM_WEBHOOK_WINDOW_SECONDS the window); a delivery left half-sent by a crash is\n"
             "sent again at start.\n",
    .opts = opts,
};

/* The repository's web/ folder, found from the binary's own path. */
static char *default_web_root(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            char cand[PATH_MAX + 8];
            snprintf(cand, sizeof(cand), "%s/web", exe);
            if (access(cand, R_OK) == 0)
                return realpath(cand, NULL);
        }
    }
    return access("web", R_OK) == 0 ? realpath("web", NULL) : NULL;
}

static int parse_listen(const char *s, char *host, size_t hostlen, int *port)
{
    const char *colon = strrchr(s, ':');
    int64_t p;
    if (!colon || colon == s || (size_t)(colon - s) >= hostlen ||
        !xrm_parse_int(colon + 1, 0, 65535, &p))
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (int)p;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&serve_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    const char *db = cli_arg(&args, "db"), *web = cli_arg(&args, "web");
    const char *listen = cli_arg(&args, "listen"), *replica = cli_arg(&args, "read-replica");
    const char *proxies = cli_arg(&args, "trusted-proxy"), *v;
    int64_t threads = 0, window = 5, write_workers = -1, per_ip = -1, idle = 0;
    const char *env_per_ip = getenv("XRM_MAX_CONN_PER_IP"), *env_idle = getenv("XRM_IDLE_TIMEOUT");
    if (!listen)
        listen = "127.0.0.1:8080";
    if (!proxies)
        proxies = getenv("XRM_TRUSTED_PROXIES");
    if (env_per_ip && *env_per_ip && !xrm_parse_int(env_per_ip, 0, 100000, &per_ip))
        return cli_fail("XRM_MAX_CONN_PER_IP must be a number from 0 to 100000");
    if (env_idle && *env_idle && !xrm_parse_int(env_idle, 1, 3600, &idle))
        return cli_fail("XRM_IDLE_TIMEOUT must be a number of seconds from 1 to 3600");
    if ((v = cli_arg(&args, "threads")) && !xrm_parse_int(v, 1, 256, &threads))
        return cli_fail("--threads must be a number from 1 to 256");
    if ((v = cli_arg(&args, "replica-window")) && !xrm_parse_int(v, 0, 3600, &window))
        return cli_fail("--replica-window must be a number of seconds from 0 to 3600");
    if ((v = cli_arg(&args, "write-workers")) && !xrm_parse_int(v, 0, 256, &write_workers))
        return cli_fail("--write-workers must be a number from 0 to 256");
    if ((v = cli_arg(&args, "max-conn-per-ip")) && !xrm_parse_int(v, 0, 100000, &per_ip))
        return cli_fail("--max-conn-per-ip must be a number from 0 to 100000");
    if ((v = cli_arg(&args, "idle-timeout")) && !xrm_parse_int(v, 1, 3600, &idle))
        return cli_fail("--idle-timeout must be a number of seconds from 1 to 3600");
    if ((v = cli_arg(&args, "response-cache"))) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            return cli_fail("--response-cache must be on or off");
        xrm_rcache_enable(strcmp(v, "on") == 0);
    }
    /* documents on records: the upload cap, --max-upload over XRM_MAX_UPLOAD */
    const char *env_upload = getenv("XRM_MAX_UPLOAD");
    int64_t max_upload = 0;
    if (env_upload && *env_upload && !xrm_parse_int(env_upload, 1, INT64_MAX / 2, &max_upload))
        return cli_fail("XRM_MAX_UPLOAD must be a number of bytes");
    if ((v = cli_arg(&args, "max-upload")) && !xrm_parse_int(v, 1, INT64_MAX / 2, &max_upload))
        return cli_fail("--max-upload must be a number of bytes");
    if (max_upload)
        xrm_document_max_upload_set((size_t)max_upload);
    char host[64];
    struct xrm_server_opts o = {.host = host,
                                .threads = (int)threads,
                                .write_workers = (int)write_workers,
                                .max_conn_per_ip = (int)per_ip,
                                .idle_timeout = (int)idle,
                                .trusted_proxies = proxies};
    if (parse_listen(listen, host, sizeof(host), &o.port))
        return cli_fail("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");

    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char *web_root = web ? realpath(web, NULL) : default_web_root();
    if (web && !web_root)
        return cli_fail("--web: cannot open directory '%s'", web);
    o.web_root = web_root;

    int64_t t0 = xrm_mono_ns();
    struct xrm_store *st;
    if (cli_open(db, &st) || cli_db_hold(&st)) {
        free(web_root);
        return 1;
    }
    struct xrm_server *srv;
    struct xrm_err err = XRM_ERR_INIT;
    int port = 0;
    if (replica && xrm_store_set_replica(st, replica, (int)window, &err)) {
        xrm_store_free(st);
        free(web_root);
        return cli_fail("read replica: %s", err.message);
    }
    if (xrm_server_start(st, &o, &srv, &port, &err)) {
        xrm_store_free(st);
        free(web_root);
        return cli_fail("%s", err.message);
    }
    /* e-mail: configuration and the outbox worker */
    const char *smtp = cli_arg(&args, "smtp"), *mail_from = cli_arg(&args, "mail-from");
    const char *public_url = cli_arg(&args, "public-url");
    char listen_addr[96];
    snprintf(listen_addr, sizeof(listen_addr), "%s:%d", host, port);
    struct xrm_mail_config mc = {
        .smtp_url = smtp ? smtp : getenv("XRM_SMTP_URL"),
        .smtp_user = getenv("XRM_SMTP_USER"),
        .smtp_password = getenv("XRM_SMTP_PASSWORD"),
        .from = mail_from ? mail_from : getenv("XRM_MAIL_FROM"),
        .public_url = public_url ? public_url : getenv("XRM_PUBLIC_URL"),
        .listen = listen_addr,
    };
    char from_name[256], from_addr[256];
    if (mc.smtp_url && *mc.smtp_url && strncmp(mc.smtp_url, "smtp://", 7) != 0 &&
        strncmp(mc.smtp_url, "smtps://", 8) != 0) {
        xrm_server_stop(srv);
        xrm_store_free(st);
        free(web_root);
        return cli_fail("--smtp must be an smtp:// or smtps:// URL");
    }
    if (mc.from && *mc.from &&
        !xrm_mail_split_address(mc.from, from_name, sizeof(from_name), from_addr,
                                sizeof(from_addr))) {
        xrm_server_stop(srv);
        xrm_store_free(st);
        free(web_root);
        return cli_fail("--mail-from must be an address or \"Name <address>\"");
    }
    xrm_mail_configure(&mc);
    if (xrm_outbox_start(st, &err))
        xrm_log(XRM_LOG_ERROR, "outbox worker not started: %s", err.message);
    if (xrm_webhooks_start(st, &err)) /* webhooks: delivers the queued events */
        xrm_log(XRM_LOG_ERROR, "webhook worker not started: %s", err.message);
    if (xrm_jobs_start(st, &err)) /* background jobs: retention, partner tiers, ... */
        xrm_log(XRM_LOG_ERROR, "background jobs not started: %s", err.message);
    xrm_automation_start(st);     /* the automation scheduler */
    xrm_mailbox_poller_start(st); /* mail received: polls the mailboxes (XRM_MAIL_POLL_SECONDS) */
    printf("listening on http://%s:%d\n", host, port);
    fflush(stdout);
    xrm_log(XRM_LOG_INFO, "serving %s on %s:%d (engine %s, started in %.1f ms)", db, host, port,
            xrm_store_engine(st), (double)(xrm_mono_ns() - t0) / 1e6);
    int sig = 0;
    sigwait(&set, &sig);
    xrm_log(XRM_LOG_INFO, "signal %d: stopping", sig);
    xrm_jobs_stop();
    xrm_automation_stop();
    xrm_outbox_stop();         /* e-mail: a mail being sent ends first */
    xrm_webhooks_stop();       /* webhooks: a delivery being sent ends first */
    xrm_mailbox_poller_stop(); /* mail received */
    xrm_server_stop(srv);
    xrm_store_free(st);
    free(web_root);
    return 0;
}
