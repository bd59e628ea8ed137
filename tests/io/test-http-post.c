/*
 * Unit tests of the webhook POST (io/http-post.c) against a one-shot HTTP
 * server on 127.0.0.1 in a thread: the request carries the given headers
 * and body; a redirect is an answer, not followed; an answer longer than
 * the cap still gives its status; no answer (a closed port) is a failure
 * with a reason; URLs other than http:// and https:// are refused unsent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "io/http-post.h"
#include "core/banned.h"

struct server {
    int fd, port;
    const char *answer; /* status line and headers, without the body */
    size_t body_len;    /* bytes of body sent after the answer */
    char request[8192];
    pthread_t thread;
};

static void *serve_once(void *arg)
{
    struct server *s = arg;
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    size_t got = 0;
    ssize_t n;
    /* the headers, then the body its Content-Length names */
    while (got < sizeof(s->request) - 1 &&
           (n = read(c, s->request + got, sizeof(s->request) - 1 - got)) > 0) {
        got += (size_t)n;
        s->request[got] = '\0';
        char *end = strstr(s->request, "\r\n\r\n");
        char *cl = strstr(s->request, "Content-Length: ");
        if (end && cl && got >= (size_t)(end + 4 - s->request) + (size_t)strtol(cl + 16, NULL, 10))
            break;
    }
    if (write(c, s->answer, strlen(s->answer)) < 0)
        goto out;
    static char chunk[4096];
    memset(chunk, 'x', sizeof(chunk));
    for (size_t left = s->body_len; left > 0;) {
        size_t k = left < sizeof(chunk) ? left : sizeof(chunk);
        if (write(c, chunk, k) < 0)
            break;
        left -= k;
    }
out:
    close(c);
    return NULL;
}

static void start(struct server *s, const char *answer, size_t body_len)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    memset(s, 0, sizeof(*s));
    s->answer = answer;
    s->body_len = body_len;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->fd >= 0);
    assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(s->fd, 1), 0);
    assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
    s->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&s->thread, NULL, serve_once, s), 0);
}

static void stop(struct server *s)
{
    pthread_join(s->thread, NULL);
    close(s->fd);
}

static void test_headers_and_body_sent(void **state)
{
    (void)state;
    struct server s;
    char url[64], why[256];
    long status = 0;
    start(&s, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
    const char *headers[] = {"Content-Type: application/json", "X-Xrm-Event: party.created", NULL};
    const char body[] = "{\"id\":\"e1\",\"type\":\"party.created\"}";
    assert_true(xrm_http_post(url, headers, body, strlen(body), 10, &status, why, sizeof(why)));
    stop(&s);
    assert_int_equal(status, 204);
    assert_string_equal(why, "");
    assert_non_null(strstr(s.request, "POST /hook HTTP/1.1\r\n"));
    assert_non_null(strstr(s.request, "\r\nX-Xrm-Event: party.created\r\n"));
    assert_non_null(strstr(s.request, "\r\nContent-Type: application/json\r\n"));
    assert_null(strstr(s.request, "Expect:"));
    assert_non_null(strstr(s.request, body));
}

static void test_redirect_is_not_followed(void **state)
{
    (void)state;
    struct server s;
    char url[64], why[256];
    long status = 0;
    start(&s,
          "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: "
          "0\r\nConnection: close\r\n\r\n",
          0);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
    assert_true(xrm_http_post(url, NULL, "{}", 2, 10, &status, why, sizeof(why)));
    stop(&s);
    assert_int_equal(status, 302);
    assert_string_equal(why, "HTTP 302");
}

static void test_long_answer_is_cut_but_counts(void **state)
{
    (void)state;
    struct server s;
    char url[64], answer[160], why[256];
    long status = 0;
    size_t n = 4 * XRM_HTTP_POST_BODY_CAP;
    snprintf(answer, sizeof(answer),
             "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", n);
    start(&s, answer, n);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", s.port);
    assert_true(xrm_http_post(url, NULL, "{}", 2, 10, &status, why, sizeof(why)));
    stop(&s);
    assert_int_equal(status, 200);
}

static void test_no_answer_and_refused_urls(void **state)
{
    (void)state;
    char why[256];
    long status = 7;
    /* a port nobody listens on: bind one, close it, then post to it */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", ntohs(a.sin_port));
    assert_false(xrm_http_post(url, NULL, "{}", 2, 5, &status, why, sizeof(why)));
    assert_int_equal(status, 0);
    assert_true(why[0] != '\0');
    static const char *const bad[] = {"ftp://example.nl/x",
                                      "file:///etc/passwd",
                                      "gopher://example.nl/",
                                      "example.nl/hook",
                                      "http://",
                                      "https:///path",
                                      "http://exa mple.nl/",
                                      "http://x\n.nl/",
                                      NULL};
    for (int i = 0; bad[i]; i++) {
        assert_false(xrm_http_url_valid(bad[i]));
        assert_false(xrm_http_post(bad[i], NULL, "{}", 2, 5, &status, why, sizeof(why)));
        assert_string_equal(why, "not an http or https URL");
    }
    assert_true(xrm_http_url_valid("https://example.nl/hook?x=1"));
    assert_true(xrm_http_url_valid("HTTP://127.0.0.1:8080/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_and_body_sent),
        cmocka_unit_test(test_redirect_is_not_followed),
        cmocka_unit_test(test_long_answer_is_cut_but_counts),
        cmocka_unit_test(test_no_answer_and_refused_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
