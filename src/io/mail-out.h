/*
 * Outgoing e-mail messages (RFC 5322, MIME) built by GMime 3: the bytes the
 * outbox stores and SMTP sends, CRLF line ends throughout.
 *
 * The message: From and To with display names (RFC 2047-encoded when not
 * ASCII), Subject (RFC 2047, UTF-8), Date, Message-ID, In-Reply-To and
 * References, List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) when an
 * unsubscribe URL is given, MIME-Version; the text as text/plain;
 * charset=utf-8 in quoted-printable; with attachments the whole is
 * multipart/mixed, the text first, each attachment base64 with its file name.
 *
 * GMime is initialised once (xrm_mail_out_init, also called by the build);
 * each build uses its own objects, so threads build side by side.
 *
 * Ownership: every input is borrowed for the call; *out is malloc'd
 * (NUL-terminated, *len bytes without the NUL), the caller frees it.
 */
#ifndef XRM_IO_MAIL_OUT_H
#define XRM_IO_MAIL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct xrm_mime_att {
    const char *name; /* file name, UTF-8 */
    const char *type; /* "type/subtype" */
    const void *data;
    size_t len;
};

struct xrm_mime_msg {
    const char *from;            /* address */
    const char *from_name;       /* display name or NULL */
    const char *to;              /* address */
    const char *to_name;         /* display name or NULL */
    const char *subject;         /* UTF-8 */
    const char *text;            /* UTF-8 plain text (\n or \r\n line ends) */
    const char *message_id;      /* without <> */
    const char *in_reply_to;     /* without <>, or NULL */
    const char *references;      /* ids without <>, separated by spaces, or NULL
                                    (in_reply_to alone when NULL) */
    const char *unsubscribe_url; /* or NULL */
    int64_t date;                /* seconds since the epoch */
    const struct xrm_mime_att *att;
    size_t n_att;
};

/* GMime's one-time initialisation (thread-safe, idempotent). */
void xrm_mail_out_init(void);

/* Builds the message; XRM_E_INVALID for a missing address, subject or text. */
enum xrm_rc xrm_mail_build(const struct xrm_mime_msg *m, char **out, size_t *len,
                           struct xrm_err *err);

/*
 * A new random Message-ID for mail from address `from`: 32 hex digits "@"
 * the domain of from ("localhost" when it has none), without <>.
 */
#define XRM_MESSAGE_ID_MAX 320
void xrm_mail_message_id(const char *from, char out[XRM_MESSAGE_ID_MAX]);

/*
 * Splits "Name <addr>" (or a bare "addr") into its parts: name ("" when
 * none) and addr. False when there is no address or a part does not fit.
 */
bool xrm_mail_split_address(const char *s, char *name, size_t name_n, char *addr, size_t addr_n);

#endif
