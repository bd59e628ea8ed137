/*
 * Reading a mailbox over IMAP by libcurl: imap:// (STARTTLS when the server
 * offers it: CURLUSESSL_TRY) or imaps:// (TLS from the start), one
 * connection per session (curl keeps it between the commands).
 *
 *   STATUS folder (UIDVALIDITY)   xrm_imap_uidvalidity
 *   UID SEARCH UID n:*            xrm_imap_search (only UIDs >= n come back)
 *   UID FETCH uid BODY.PEEK[]     xrm_imap_fetch (PEEK: the message is not
 *                                 marked \Seen; a server line too long for
 *                                 curl's reader falls back to curl's own
 *                                 FETCH BODY[], which does mark it)
 *
 * The URL is imap[s]://host[:port][/FOLDER]; a folder in the URL wins over
 * the folder given. Messages are capped at max bytes (larger: -2).
 * Functions return 0, or -1 with a message in why (the server's or curl's).
 * Ownership: a session is freed by xrm_imap_close (wiping the password);
 * *uids is malloc'd (the caller frees); xrm_imap_fetch appends to out.
 */
#ifndef XRM_IO_IMAP_H
#define XRM_IO_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct xrm_imap;

/* A session (no connection yet); NULL with why set when the URL is no imap(s) URL. */
struct xrm_imap *xrm_imap_open(const char *url, const char *folder, const char *user,
                               const char *password, char *why, size_t why_n);
void xrm_imap_close(struct xrm_imap *c);

int xrm_imap_uidvalidity(struct xrm_imap *c, int64_t *out, char *why, size_t why_n);
int xrm_imap_search(struct xrm_imap *c, int64_t from_uid, int64_t **uids, size_t *n, char *why,
                    size_t why_n);
int xrm_imap_fetch(struct xrm_imap *c, int64_t uid, size_t max, struct xrm_buf *out, char *why,
                   size_t why_n);

#endif
