/*
 * xrm serve: run the HTTP server until SIGTERM or SIGINT.
 */
#include "cli/cli.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/util.h"
#include "http/http.h"
#include "http/rcache.h"
#include "store/store.h" /* the checkpoint at stop */
#include "http/metrics.h"
#include "domain/base/jobs.h"
#include "domain/records/automation.h"
#include "domain/mail/outbox.h"
#include "io/mail-out.h"
#include "domain/mail/mailbox.h"  /* mail received: the poller */
#include "domain/docs/document.h" /* documents: the upload cap */
/* webhooks: the delivery worker */
#include "domain/webhooks/outbox.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/banned.h"

static const struct cli_opt opts[] = {
    CLI_OPT_DB("the database: a SQLite file or a postgres:// URL"),
    {"listen", 'l', "HOST:PORT", false,
     "where to listen (default 127.0.0.1:8080; port 0 picks\na free port)"},
    {"threads", 't', "N", false,
     "I/O threads, each with its own connection (default: one\nper CPU)"},
    {"web", 'w', "DIR", false,
     "the web app's files (default: ../share/xrm/web from the\nbinary's folder when installed, "
     "else the web/ folder\nnext to the build/ folder of this binary, else ./web)"},
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
     "(login limits) is the one they give in X-Forwarded-For",
     "XRM_TRUSTED_PROXIES"},
    /* e-mail: the outbox worker's SMTP server, the sender, links in mails */
    {"smtp", 0, "URL", false,
     "send mail through this SMTP server (env XRM_SMTP_URL):\n"
     "smtp://host:587 (STARTTLS when offered) or smtps://host:465,\n"
     "user:password@ in the URL or env XRM_SMTP_USER and\n"
     "XRM_SMTP_PASSWORD. Without it mails stay queued in the outbox",
     "XRM_SMTP_URL"},
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
    /* operations: graceful stop and TLS */
    {"shutdown-timeout", 0, "SECONDS", false,
     "on SIGTERM or SIGINT, wait at most this long (default 30,\n"
     "1 to 3600) for the requests in flight, uploads still\n"
     "arriving included; a second signal stops at once"},
    {"tls-cert", 0, "FILE", false,
     "serve HTTPS with this PEM certificate (chain); needs\n"
     "--tls-key. Session cookies are then Secure, and links\n"
     "in mails https:// unless --public-url says otherwise"},
    {"tls-key", 0, "FILE", false, "the PEM private key of --tls-cert"},
    /* observability: the access log and GET /metrics */
    {"access-log", 0, "on|off", false,
     "one JSON line per request on stderr (default on; env\n"
     "XRM_ACCESS_LOG)"},
    {"metrics-token", 0, "TOKEN", false,
     "GET /metrics then needs 'Authorization: Bearer TOKEN'\n"
     "(env XRM_METRICS_TOKEN; default: no token, firewall it)"},
    {0},
};

const struct cli_cmd serve_cmd = {
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
             "sent again at start.\n"
             "On SIGTERM or SIGINT: GET /readyz answers 503, the listening socket closes (new\n"
             "connections are refused), requests in flight finish (at most --shutdown-timeout\n"
             "seconds; a second signal cuts that short), then the write workers, the mail and\n"
             "webhook senders (the one being sent finishes) and the jobs stop, a SQLite\n"
             "database's write-ahead log is checkpointed, and the exit status is 0.\n"
             "With --tls-cert and --tls-key it serves HTTPS ('listening on https://HOST:PORT').\n",
    .opts = opts,
};

/* The repository's web/ folder, found from the binary's own path. */
static char *default_web_root(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* installed (make install, the Debian package): BINDIR/../share/xrm/web */
        char shared[PATH_MAX + 32];
        snprintf(shared, sizeof(shared), "%s", exe);
        char *bin_slash = strrchr(shared, '/');
        if (bin_slash) {
            snprintf(bin_slash, sizeof(shared) - (size_t)(bin_slash - shared), "/../share/xrm/web");
            if (access(shared, R_OK) == 0)
                return realpath(shared, NULL);
        }
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

#define STR_(x) #x
#define STR(x) STR_(x)

/* One problem of serve_check: the message, and where the value came from unless argv. */
static int problem(const struct cli_args *a, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int problem(const struct cli_args *a, const char *name, const char *fmt, ...)
{
    char msg[256], where[4200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *src = cli_source_text(a, name, where, sizeof(where));
    if (strcmp(src, "command line") == 0)
        return cli_fail("%s", msg);
    return cli_fail("%s (%s)", msg, src);
}

/* A number option in [min, max]: 0 when unset or fine, else 1 after printing the problem. */
static int check_int(const struct cli_args *a, const char *name, int64_t min, int64_t max,
                     const char *what, int64_t *out)
{
    const char *v = cli_arg(a, name);
    if (!v || xrm_parse_int(v, min, max, out))
        return 0;
    return problem(a, name, "--%s must be %s", name, what);
}

/* The option table has name (options other helpers add are checked when present). */
static bool has_opt(const struct cli_cmd *cmd, const char *name)
{
    for (int i = 0; cmd->opts[i].name; i++)
        if (strcmp(cmd->opts[i].name, name) == 0)
            return true;
    return false;
}

int serve_check(struct cli_args *a, struct serve_settings *s)
{
    int bad = 0;
    memset(s, 0, sizeof(*s));
    s->write_workers = s->per_ip = -1;
    s->window = 5;
    s->response_cache = true;
    const char *listen = cli_arg_default(a, "listen", "127.0.0.1:8080"), *v;
    cli_arg_default(a, "replica-window", "5");
    cli_arg_default(a, "write-workers", STR(XRM_WRITE_WORKERS_DEFAULT));
    cli_arg_default(a, "max-conn-per-ip", STR(XRM_MAX_CONN_PER_IP_DEFAULT));
    cli_arg_default(a, "idle-timeout", STR(XRM_IDLE_TIMEOUT_DEFAULT));
    cli_arg_default(a, "response-cache", "on");
    cli_arg_default(a, "mail-from", "xrm@localhost");
    _Static_assert(XRM_DOCUMENT_MAX_UPLOAD_DEFAULT == 26214400, "the default shown");
    cli_arg_default(a, "max-upload", "26214400");
    bad += check_int(a, "threads", 1, 256, "a number from 1 to 256", &s->threads);
    bad +=
        check_int(a, "replica-window", 0, 3600, "a number of seconds from 0 to 3600", &s->window);
    bad += check_int(a, "write-workers", 0, 256, "a number from 0 to 256", &s->write_workers);
    bad += check_int(a, "max-conn-per-ip", 0, 100000, "a number from 0 to 100000", &s->per_ip);
    bad += check_int(a, "idle-timeout", 1, 3600, "a number of seconds from 1 to 3600", &s->idle);
    bad += check_int(a, "max-upload", 1, INT64_MAX / 2, "a number of bytes", &s->max_upload);
    if ((v = cli_arg(a, "response-cache"))) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            bad += problem(a, "response-cache", "--response-cache must be on or off");
        s->response_cache = strcmp(v, "off") != 0;
    }
    if (parse_listen(listen, s->host, sizeof(s->host), &s->port))
        bad += problem(a, "listen", "--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
    if ((v = cli_arg(a, "web")) && access(v, R_OK | X_OK) != 0)
        bad += problem(a, "web", "--web: cannot open directory '%s'", v);
    if ((v = cli_arg(a, "smtp")) && *v && strncmp(v, "smtp://", 7) != 0 &&
        strncmp(v, "smtps://", 8) != 0)
        bad += problem(a, "smtp", "--smtp must be an smtp:// or smtps:// URL");
    char name[256], addr[256];
    if ((v = cli_arg(a, "mail-from")) && *v &&
        !xrm_mail_split_address(v, name, sizeof(name), addr, sizeof(addr)))
        bad += problem(a, "mail-from", "--mail-from must be an address or \"Name <address>\"");
    /* TLS (options of the lifecycle part): both or neither, readable */
    if (has_opt(a->cmd, "tls-cert") && has_opt(a->cmd, "tls-key")) {
        const char *cert = cli_arg(a, "tls-cert"), *key = cli_arg(a, "tls-key");
        if (!cert != !key)
            bad += problem(a, cert ? "tls-cert" : "tls-key",
                           "--tls-cert and --tls-key go together: give both or neither");
        if (cert && access(cert, R_OK) != 0)
            bad +=
                problem(a, "tls-cert", "--tls-cert: cannot read '%s': %s", cert, strerror(errno));
        if (key && access(key, R_OK) != 0)
            bad += problem(a, "tls-key", "--tls-key: cannot read '%s': %s", key, strerror(errno));
    }
    return bad;
}

/* Reads the PEM file of --tls-cert or --tls-key (at most 1 MB) into *out; 1 after an error. */
static int read_pem(const char *path, const char *opt, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail("%s: cannot read '%s': %s", opt, path, strerror(errno));
    size_t cap = 1024 * 1024, n;
    char *buf = xrm_malloc(cap + 1);
    n = fread(buf, 1, cap + 1, f);
    bool err = ferror(f) != 0;
    fclose(f);
    if (err || n > cap) {
        xrm_wipe(buf, n);
        free(buf);
        return cli_fail("%s: '%s' is %s", opt, path,
                        err ? "unreadable" : "larger than 1 MB: not a PEM file");
    }
    buf[n] = '\0';
    if (!strstr(buf, "-----BEGIN ")) {
        xrm_wipe(buf, n);
        free(buf);
        return cli_fail("%s: '%s' is not a PEM file (no -----BEGIN line)", opt, path);
    }
    *out = buf;
    return 0;
}

static void free_pem(char *pem)
{
    if (pem)
        xrm_wipe(pem, strlen(pem));
    free(pem);
}

/* Graceful stop: true when a second SIGTERM or SIGINT came (the set of stop signals). */
static bool second_signal(void *cls)
{
    const sigset_t *set = cls;
    struct timespec zero = {0, 0};
    int sig = sigtimedwait(set, NULL, &zero);
    if (sig <= 0)
        return false;
    xrm_log(XRM_LOG_INFO, "signal %d again: stopping now", sig);
    return true;
}

int cmd_serve(int argc, char **argv)
{
    struct cli_args args;
    int status = cli_parse(&serve_cmd, argc, argv, &args);
    if (status >= 0)
        return status;
    struct serve_settings ss;
    if (serve_check(&args, &ss))
        return 1;
    const char *db = cli_arg(&args, "db"), *web = cli_arg(&args, "web");
    const char *replica = cli_arg(&args, "read-replica");
    const char *proxies = cli_arg(&args, "trusted-proxy"), *v;
    xrm_rcache_enable(ss.response_cache);
    /* documents on records: the upload cap */
    if (ss.max_upload)
        xrm_document_max_upload_set((size_t)ss.max_upload);
    char *host = ss.host;
    /* operations: graceful stop and TLS */
    int64_t shutdown_timeout = 30;
    if ((v = cli_arg(&args, "shutdown-timeout")) && !xrm_parse_int(v, 1, 3600, &shutdown_timeout))
        return cli_fail("--shutdown-timeout must be a number of seconds from 1 to 3600");
    const char *tls_cert = cli_arg(&args, "tls-cert"), *tls_key = cli_arg(&args, "tls-key");
    /* observability: --access-log (env XRM_ACCESS_LOG), --metrics-token (env XRM_METRICS_TOKEN) */
    if ((v = cli_arg(&args, "access-log")) && *v) {
        if (strcmp(v, "on") != 0 && strcmp(v, "off") != 0)
            return cli_fail("--access-log must be on or off");
        xrm_server_access_log = strcmp(v, "on") == 0;
    }
    xrm_metrics_set_token(cli_arg(&args, "metrics-token"));
    struct xrm_server_opts o = {.host = host,
                                .port = ss.port,
                                .threads = (int)ss.threads,
                                .write_workers = (int)ss.write_workers,
                                .max_conn_per_ip = (int)ss.per_ip,
                                .idle_timeout = (int)ss.idle,
                                .trusted_proxies = proxies};

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
    /* TLS: both files read (PEM) before anything listens; the server keeps its own copy */
    char *cert_pem = NULL, *key_pem = NULL;
    if ((tls_cert && read_pem(tls_cert, "--tls-cert", &cert_pem)) ||
        (tls_key && read_pem(tls_key, "--tls-key", &key_pem))) {
        free_pem(cert_pem);
        free(web_root);
        return 1;
    }
    o.tls_cert = cert_pem;
    o.tls_key = key_pem;

    int64_t t0 = xrm_mono_ns();
    struct xrm_store *st;
    if (cli_open(db, &st) || cli_db_hold(&st)) {
        free_pem(cert_pem);
        free_pem(key_pem);
        free(web_root);
        return 1;
    }
    struct xrm_server *srv;
    struct xrm_err err = XRM_ERR_INIT;
    int port = 0;
    if (replica && xrm_store_set_replica(st, replica, (int)ss.window, &err)) {
        free_pem(cert_pem);
        free_pem(key_pem);
        xrm_store_free(st);
        free(web_root);
        return cli_fail("read replica: %s", err.message);
    }
    enum xrm_rc start_rc = xrm_server_start(st, &o, &srv, &port, &err);
    bool tls = cert_pem != NULL;
    free_pem(cert_pem);
    free_pem(key_pem);
    if (start_rc) {
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
        .smtp_url = smtp,
        .smtp_user = getenv("XRM_SMTP_USER"),
        .smtp_password = getenv("XRM_SMTP_PASSWORD"),
        .from = mail_from,
        .public_url = public_url,
        .listen = listen_addr,
        .tls = tls,
    };
    xrm_mail_configure(&mc);
    if (xrm_outbox_start(st, &err))
        xrm_log(XRM_LOG_ERROR, "outbox worker not started: %s", err.message);
    if (xrm_webhooks_start(st, &err)) /* webhooks: delivers the queued events */
        xrm_log(XRM_LOG_ERROR, "webhook worker not started: %s", err.message);
    if (xrm_jobs_start(st, &err)) /* background jobs: retention, partner tiers, ... */
        xrm_log(XRM_LOG_ERROR, "background jobs not started: %s", err.message);
    xrm_automation_start(st);     /* the automation scheduler */
    xrm_mailbox_poller_start(st); /* mail received: polls the mailboxes (XRM_MAIL_POLL_SECONDS) */
    printf("listening on %s://%s:%d\n", tls ? "https" : "http", host, port);
    fflush(stdout);
    xrm_log(XRM_LOG_INFO, "serving %s on %s:%d (engine %s, started in %.1f ms)", db, host, port,
            xrm_store_engine(st), (double)(xrm_mono_ns() - t0) / 1e6);
    int sig = 0;
    sigwait(&set, &sig);
    /* Graceful stop: drain the requests in flight, then the workers, then a checkpoint. */
    int64_t t_stop = xrm_mono_ns();
    xrm_log(XRM_LOG_INFO, "signal %d: stopping", sig);
    xrm_server_drain(srv, (int)shutdown_timeout, second_signal, &set);
    xrm_server_stop(srv); /* the write workers finish their requests; connections close */
    xrm_outbox_stop();    /* e-mail: a mail being sent ends first */
    xrm_webhooks_stop();  /* webhooks: a delivery being sent ends first */
    xrm_jobs_stop();
    xrm_automation_stop();
    xrm_mailbox_poller_stop(); /* mail received */
    if (strcmp(xrm_store_engine(st), "sqlite") == 0) {
        /* the write-ahead log into the database file (PostgreSQL checkpoints itself) */
        struct xrm_db *fdb = NULL;
        if (xrm_store_reader(st, &fdb, &err) || xrm_db_flush(fdb, &err))
            xrm_log(XRM_LOG_WARN, "checkpoint at stop: %s", err.message);
    }
    xrm_log(XRM_LOG_INFO, "stopped cleanly in %.0f ms", (double)(xrm_mono_ns() - t_stop) / 1e6);
    xrm_store_free(st);
    free(web_root);
    return 0;
}
