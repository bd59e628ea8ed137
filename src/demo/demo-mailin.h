/*
 * Mail received in the demo data set (demo-mailin.c): a sales and an HR
 * mailbox (deliver-only: no IMAP server), a customer's mail on its
 * timeline and two mails from unknown senders in the review list.
 */
#ifndef XRM_DEMO_MAILIN_H
#define XRM_DEMO_MAILIN_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads them as ctx->user after the customers exist; progress may be NULL. */
enum xrm_rc xrm_demo_mailin_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
