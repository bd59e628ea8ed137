/*
 * The purchase invoices of the demo data set (demo-purchase.c): two
 * received UBL e-invoices from demo suppliers, matched by their BTW-id.
 */
#ifndef XRM_DOMAIN_DEMO_PURCHASE_H
#define XRM_DOMAIN_DEMO_PURCHASE_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads them as ctx->user after the suppliers exist; progress may be NULL. */
enum xrm_rc xrm_demo_purchase_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
