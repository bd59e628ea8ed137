/*
 * The sales part of the demo data set (demo-sales.c): deals, cases and
 * agreements for the parties xrm_demo_load made.
 */
#ifndef XRM_DOMAIN_DEMO_SALES_H
#define XRM_DOMAIN_DEMO_SALES_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads the deals, cases and agreements as ctx->user; progress may be NULL. */
enum xrm_rc xrm_demo_sales_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
