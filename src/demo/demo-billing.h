/*
 * The quotes and invoices of the demo data set (demo-billing.c): the demo
 * company's settings, customers with accents in their names, quotes
 * (draft, sent, accepted for a deal it won) and invoices issued over the
 * last months (mixed rates, reverse charge, partly paid, overdue, paid,
 * credited by a credit note).
 */
#ifndef XRM_DEMO_BILLING_H
#define XRM_DEMO_BILLING_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads it as ctx->user after the parties exist; progress may be NULL. */
enum xrm_rc xrm_demo_billing_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
