/*
 * SMTP by libcurl (smtp.h).
 */
#include "io/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void xrm_smtp_init(void)
{
    pthread_once(&init_once, init_curl);
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct reader *r = arg;
    size_t n = size * nmemb;
    if (n > r->left)
        n = r->left;
    memcpy(buf, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

enum xrm_smtp_result xrm_smtp_send(const struct xrm_smtp *cfg, const char *from, const char *rcpt,
                                   const char *msg, size_t len, char *why, size_t why_n)
{
    enum xrm_smtp_result res = XRM_SMTP_TEMPORARY;
    struct curl_slist *rcpts = NULL;
    char env_from[512], env_to[512], curl_err[CURL_ERROR_SIZE] = "";
    struct reader r = {msg, len};
    if (why_n)
        why[0] = '\0';
    xrm_smtp_init();
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(why, why_n, "cannot start libcurl");
        return XRM_SMTP_TEMPORARY;
    }
    snprintf(env_from, sizeof(env_from), "<%s>", from);
    snprintf(env_to, sizeof(env_to), "<%s>", rcpt);
    rcpts = curl_slist_append(NULL, env_to);
    curl_easy_setopt(c, CURLOPT_URL, cfg->url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    if (cfg->user && *cfg->user)
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
    if (cfg->password && *cfg->password)
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, env_from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &r);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, cfg->timeout_s > 0 ? cfg->timeout_s : 60L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (cc == CURLE_OK) {
        res = XRM_SMTP_SENT;
    } else {
        res = code >= 500 && code < 600 ? XRM_SMTP_PERMANENT : XRM_SMTP_TEMPORARY;
        if (code)
            snprintf(why, why_n, "SMTP %ld: %s", code,
                     curl_err[0] ? curl_err : curl_easy_strerror(cc));
        else
            snprintf(why, why_n, "%s", curl_err[0] ? curl_err : curl_easy_strerror(cc));
    }
    curl_slist_free_all(rcpts);
    curl_easy_cleanup(c);
    return res;
}
