/*
 * Mail received: one RFC 5322 message parsed by GMime 3 into what xrm keeps
 * of it: the Message-ID and the ids it answers (In-Reply-To, References),
 * From, To and Cc, the subject (RFC 2047 words decoded), the date, the body
 * as UTF-8 plain text and the attachments decoded.
 *
 * Body: the first text/plain part that is not an attachment; without one,
 * the first text/html part turned into text by libxml2's HTML parser (no
 * network; script and style dropped; line breaks kept for p, br, div, li,
 * tr and headings). Text in ISO-8859-1, Windows-1252 or any charset iconv
 * knows becomes UTF-8 (ISO-8859-1 is read as Windows-1252, its superset, as
 * mail programs write it; an unknown charset: UTF-8 when valid, else
 * Windows-1252). Quoted-printable and base64 are decoded.
 * Attachments: leaf parts with a disposition of attachment or a file name,
 * and non-text leaf parts; a forwarded message (message/rfc822) as a whole.
 *
 * Caps, each an error (a message refused, never cut silently): the whole
 * message XRM_MAIL_IN_MAX_BYTES, the header block XRM_MAIL_IN_MAX_HEADER,
 * XRM_MAIL_IN_MAX_PARTS parts, nesting XRM_MAIL_IN_MAX_DEPTH. The body text
 * is cut (at a character) at XRM_MAIL_IN_MAX_TEXT bytes, the subject at
 * XRM_MAIL_IN_MAX_SUBJECT.
 * A message without a From address is refused (that is what garbage parses
 * into). A message without a Message-ID gets one made of the SHA-256 of its
 * bytes ("<hex>@no-message-id.invalid"), so that receiving it twice is
 * seen as such.
 *
 * Ownership: xrm_mail_in_parse gives *out to the caller, who frees it with
 * xrm_mail_in_free (NULL: no-op); every string in it is UTF-8 and owned by
 * it. xrm_mail_in_json returns a new reference.
 */
#ifndef XRM_IO_MAIL_IN_H
#define XRM_IO_MAIL_IN_H

#include <jansson.h>
#include <stddef.h>

#define XRM_MAIL_IN_MAX_BYTES (25u * 1024 * 1024)
#define XRM_MAIL_IN_MAX_HEADER (256u * 1024)
#define XRM_MAIL_IN_MAX_PARTS 200
#define XRM_MAIL_IN_MAX_DEPTH 16
#define XRM_MAIL_IN_MAX_TEXT 65536
#define XRM_MAIL_IN_MAX_SUBJECT 500
#define XRM_MAIL_IN_MAX_ADDRS 500

struct xrm_mail_addr {
    char *addr; /* lower-case local@domain */
    char *name; /* display name or NULL */
};

struct xrm_mail_in_att {
    char *name; /* file name without a path ("attachment" when none) */
    char *type; /* "type/subtype", lower-case */
    unsigned char *data;
    size_t len;
};

struct xrm_mail_in {
    char *message_id;  /* without <> */
    char *in_reply_to; /* without <>, or NULL */
    char **references; /* without <>, oldest first */
    size_t n_references;
    struct xrm_mail_addr from;
    struct xrm_mail_addr *to, *cc;
    size_t n_to, n_cc;
    /* the envelope recipients a server recorded (Delivered-To, X-Original-To, Envelope-To) */
    char **delivered_to;
    size_t n_delivered_to;
    char *subject; /* "" when none */
    char *date;    /* RFC 3339 UTC "YYYY-MM-DDThh:mm:ssZ", or NULL */
    char *text;    /* the body as plain text, "" when none */
    struct xrm_mail_in_att *att;
    size_t n_att;
};

/*
 * Parses raw[0..len). 0 and *out, or -1 with a message in errmsg (English,
 * lower-case): "message is larger than 25 MB" (errcode 2: too large) or
 * another (errcode 1: not a mail message). errcode may be NULL.
 */
int xrm_mail_in_parse(const void *raw, size_t len, struct xrm_mail_in **out, int *errcode,
                      char *errmsg, size_t errlen);
void xrm_mail_in_free(struct xrm_mail_in *m);

/*
 * {message_id, in_reply_to, references: [], from: {addr, name}, to: [{addr,
 * name}], cc: [...], delivered_to: [addr], subject, date, text, attachments:
 * [{name, type, size}]}.
 */
json_t *xrm_mail_in_json(const struct xrm_mail_in *m);

#endif
