/*
 * Sending one message through SMTP by libcurl: smtp:// (STARTTLS when the
 * server offers it: CURLUSESSL_TRY) or smtps:// (TLS from the start),
 * authentication from the URL's user:password or the given user/password
 * (XRM_SMTP_USER / XRM_SMTP_PASSWORD), connect and total timeouts, the
 * envelope sender and recipient given apart from the message's headers.
 *
 * The message must have CRLF line ends (io/mail-out.h builds it so); curl
 * does the dot-stuffing.
 */
#ifndef XRM_IO_SMTP_H
#define XRM_IO_SMTP_H

#include <stddef.h>

struct xrm_smtp {
    const char *url;      /* smtp://host:port or smtps://host:port, user:password@ allowed */
    const char *user;     /* or NULL */
    const char *password; /* or NULL */
    long timeout_s;       /* the whole transaction; 0: 60 s */
};

enum xrm_smtp_result {
    XRM_SMTP_SENT = 0,
    XRM_SMTP_TEMPORARY, /* try again later: no connection, timeout, a 4xx answer */
    XRM_SMTP_PERMANENT, /* a 5xx answer: this message will never go through */
};

/* One-time libcurl initialisation (thread-safe, idempotent). */
void xrm_smtp_init(void);

/*
 * Sends msg (len bytes) from envelope sender `from` to `rcpt` (bare
 * addresses). On failure why[] says what went wrong (the server's code or
 * curl's message).
 */
enum xrm_smtp_result xrm_smtp_send(const struct xrm_smtp *cfg, const char *from, const char *rcpt,
                                   const char *msg, size_t len, char *why, size_t why_n);

#endif
