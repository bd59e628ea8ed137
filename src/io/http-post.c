/*
 * HTTP POST by libcurl (http-post.h).
 */
#include "io/http-post.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/banned.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct sink {
    size_t got;
    bool cut; /* the answer went over the cap: the transfer was ended on purpose */
};

/* The answer's body is not used: counted up to the cap, then the transfer ends. */
static size_t discard(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct sink *s = arg;
    (void)buf;
    size_t n = size * nmemb;
    if (s->got + n > XRM_HTTP_POST_BODY_CAP) {
        s->cut = true;
        return 0;
    }
    s->got += n;
    return n;
}

bool xrm_http_url_valid(const char *url)
{
    const char *host;
    if (strncasecmp(url, "http://", 7) == 0)
        host = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        host = url + 8;
    else
        return false;
    if (!*host || *host == '/' || *host == '?' || *host == '#')
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

bool xrm_http_post(const char *url, const char *const *headers, const char *body, size_t len,
                   long timeout_s, long *status, char *why, size_t why_n)
{
    struct curl_slist *list = NULL;
    char curl_err[CURL_ERROR_SIZE] = "";
    struct sink sink = {0};
    bool answered = false;
    *status = 0;
    if (why_n)
        why[0] = '\0';
    if (!xrm_http_url_valid(url)) {
        snprintf(why, why_n, "not an http or https URL");
        return false;
    }
    pthread_once(&init_once, init_curl);
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(why, why_n, "cannot start libcurl");
        return false;
    }
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    /* no "Expect: 100-continue" round trip before the body */
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s > 0 ? timeout_s : 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s > 0 ? timeout_s : 10L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (cc == CURLE_OK || (cc == CURLE_WRITE_ERROR && sink.cut && code > 0)) {
        answered = true;
        *status = code;
        if (code < 200 || code > 299)
            snprintf(why, why_n, "HTTP %ld", code);
    } else {
        snprintf(why, why_n, "%s", curl_err[0] ? curl_err : curl_easy_strerror(cc));
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    return answered;
}
