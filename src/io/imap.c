/*
 * IMAP by libcurl (imap.h).
 */
#include "io/imap.h"
#include "core/mem.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct xrm_imap {
    CURL *curl;
    char *base;   /* imap://host:port */
    char *folder; /* decoded folder name */
    char *folder_url;
    char *user, *password;
};

struct sink {
    struct xrm_buf *b;
    size_t max;
    bool over;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t len = size * n;
    if (s->b->len + len > s->max) {
        s->over = true;
        return 0;
    }
    xrm_buf_add(s->b, p, len);
    return len;
}

struct xrm_imap *xrm_imap_open(const char *url, const char *folder, const char *user,
                               const char *password, char *why, size_t why_n)
{
    pthread_once(&init_once, init_curl);
    why[0] = '\0';
    const char *rest = NULL;
    if (strncasecmp(url, "imap://", 7) == 0)
        rest = url + 7;
    else if (strncasecmp(url, "imaps://", 8) == 0)
        rest = url + 8;
    if (!rest || !*rest) {
        snprintf(why, why_n, "not an imap:// or imaps:// URL");
        return NULL;
    }
    struct xrm_imap *c = xrm_calloc(1, sizeof *c);
    c->curl = curl_easy_init();
    if (!c->curl) {
        snprintf(why, why_n, "cannot start libcurl");
        free(c);
        return NULL;
    }
    const char *slash = strchr(rest, '/');
    c->base = xrm_strndup(url, slash ? (size_t)(slash - url) : strlen(url));
    if (slash && slash[1]) {
        int n = 0;
        char *dec = curl_easy_unescape(c->curl, slash + 1, 0, &n);
        c->folder = xrm_strndup(dec ? dec : slash + 1, dec ? (size_t)n : strlen(slash + 1));
        curl_free(dec);
        /* ;UIDVALIDITY= and the like are no part of the folder */
        char *semi = strchr(c->folder, ';');
        if (semi)
            *semi = '\0';
    } else {
        c->folder = xrm_strdup(folder && *folder ? folder : "INBOX");
    }
    char *esc = curl_easy_escape(c->curl, c->folder, 0);
    struct xrm_buf b = XRM_BUF_INIT;
    xrm_buf_addf(&b, "%s/%s", c->base, esc ? esc : "INBOX");
    curl_free(esc);
    c->folder_url = xrm_buf_detach(&b, NULL);
    c->user = user ? xrm_strdup(user) : NULL;
    c->password = password ? xrm_strdup(password) : NULL;
    return c;
}

void xrm_imap_close(struct xrm_imap *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    if (c->password)
        xrm_wipe(c->password, strlen(c->password));
    free(c->password);
    free(c->user);
    free(c->base);
    free(c->folder);
    free(c->folder_url);
    free(c);
}

/* One request: url, a custom command (or NULL), body and headers (server lines) into bufs. */
static int run(struct xrm_imap *c, const char *url, const char *cmd, struct sink *body,
               struct sink *head, char *why, size_t why_n)
{
    CURL *h = c->curl;
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
    curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    if (c->user)
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
    if (c->password)
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password);
    if (cmd)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, cmd);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
    if (head) {
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, sink_write);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, head);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        if ((body && body->over) || (head && head->over))
            snprintf(why, why_n, "message is larger than the limit");
        else
            snprintf(why, why_n, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
        return (body && body->over) || (head && head->over) ? -2 : -1;
    }
    return 0;
}

/* The quoted IMAP string of s. */
static void add_quoted(struct xrm_buf *b, const char *s)
{
    xrm_buf_addc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            xrm_buf_addc(b, '\\');
        if (*s != '\r' && *s != '\n')
            xrm_buf_addc(b, *s);
    }
    xrm_buf_addc(b, '"');
}

int xrm_imap_uidvalidity(struct xrm_imap *c, int64_t *out, char *why, size_t why_n)
{
    struct xrm_buf body = XRM_BUF_INIT, cmd = XRM_BUF_INIT, url = XRM_BUF_INIT;
    struct sink s = {.b = &body, .max = 64 * 1024};
    int rc;
    xrm_buf_adds(&cmd, "STATUS ");
    add_quoted(&cmd, c->folder);
    xrm_buf_adds(&cmd, " (UIDVALIDITY)");
    xrm_buf_addf(&url, "%s/", c->base);
    *out = 0;
    rc = run(c, url.s, cmd.s, &s, NULL, why, why_n);
    if (!rc) {
        const char *p = strstr(body.s, "UIDVALIDITY ");
        if (!p) {
            snprintf(why, why_n, "the server named no UIDVALIDITY for folder '%s'", c->folder);
            rc = -1;
        } else {
            *out = strtoll(p + 12, NULL, 10);
        }
    }
    xrm_buf_release(&body);
    xrm_buf_release(&cmd);
    xrm_buf_release(&url);
    return rc < 0 ? -1 : 0;
}

int xrm_imap_search(struct xrm_imap *c, int64_t from_uid, int64_t **uids, size_t *n, char *why,
                    size_t why_n)
{
    struct xrm_buf body = XRM_BUF_INIT, cmd = XRM_BUF_INIT;
    struct sink s = {.b = &body, .max = 16 * 1024 * 1024};
    *uids = NULL;
    *n = 0;
    xrm_buf_addf(&cmd, "UID SEARCH UID %" PRId64 ":*", from_uid < 1 ? (int64_t)1 : from_uid);
    int rc = run(c, c->folder_url, cmd.s, &s, NULL, why, why_n);
    if (!rc) {
        /* "* SEARCH 4 5 6" (and "*" alone may name the last UID below from_uid) */
        const char *p = strstr(body.s, "* SEARCH");
        size_t cap = 0;
        if (p) {
            p += 8;
            while (*p && *p != '\r' && *p != '\n') {
                while (*p == ' ')
                    p++;
                char *end = NULL;
                long long v = strtoll(p, &end, 10);
                if (end == p)
                    break;
                p = end;
                if (v < from_uid)
                    continue;
                if (*n == cap) {
                    cap = cap ? cap * 2 : 64;
                    *uids = xrm_realloc(*uids, cap * sizeof **uids);
                }
                (*uids)[(*n)++] = v;
            }
        }
    }
    xrm_buf_release(&body);
    xrm_buf_release(&cmd);
    return rc < 0 ? -1 : 0;
}

/*
 * The literal of the FETCH response for uid in the server lines: after
 * "* N FETCH (UID uid BODY[] {len}" CRLF, len bytes.
 */
static bool literal_of(const struct xrm_buf *lines, int64_t uid, struct xrm_buf *out)
{
    const char *p = lines->s, *end = lines->s + lines->len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            break;
        size_t ll = (size_t)(eol - p);
        if (ll > 8 && p[0] == '*' && p[1] == ' ' && memmem(p, ll, " FETCH (", 8) && ll >= 3 &&
            p[ll - 1] == '\r' && p[ll - 2] == '}') {
            const char *u = memmem(p, ll, "UID ", 4);
            const char *brace = p + ll - 2;
            while (brace > p && *brace != '{')
                brace--;
            if (u && *brace == '{' && strtoll(u + 4, NULL, 10) == uid) {
                char *e = NULL;
                unsigned long long len = strtoull(brace + 1, &e, 10);
                const char *data = eol + 1;
                if (e && *e == '}' && len <= (unsigned long long)(end - data)) {
                    xrm_buf_add(out, data, (size_t)len);
                    return true;
                }
                return false;
            }
        }
        p = eol + 1;
    }
    return false;
}

int xrm_imap_fetch(struct xrm_imap *c, int64_t uid, size_t max, struct xrm_buf *out, char *why,
                   size_t why_n)
{
    struct xrm_buf body = XRM_BUF_INIT, head = XRM_BUF_INIT, cmd = XRM_BUF_INIT, url = XRM_BUF_INIT;
    struct sink sb = {.b = &body, .max = 64 * 1024};
    struct sink sh = {.b = &head, .max = max + 64 * 1024};
    xrm_buf_addf(&cmd, "UID FETCH %" PRId64 " BODY.PEEK[]", uid);
    /* curl hands a custom command's literal to the header callback, line by line */
    int rc = run(c, c->folder_url, cmd.s, &sb, &sh, why, why_n);
    if (rc == -2)
        goto out;
    if (rc == 0 && literal_of(&head, uid, out)) {
        if (out->len > max) {
            snprintf(why, why_n, "message is larger than the limit");
            rc = -2;
        }
        goto out;
    }
    /* curl's own FETCH (BODY[]): the literal comes as the body */
    xrm_buf_reset(&body);
    xrm_buf_addf(&url, "%s/;UID=%" PRId64, c->folder_url, uid);
    struct sink so = {.b = out, .max = max};
    rc = run(c, url.s, NULL, &so, NULL, why, why_n);
out:
    xrm_buf_release(&body);
    xrm_buf_release(&head);
    xrm_buf_release(&cmd);
    xrm_buf_release(&url);
    return rc;
}
