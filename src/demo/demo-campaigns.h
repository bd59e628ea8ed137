/*
 * The campaigns of the demo data set (demo-campaigns.c): a draft newsletter
 * to the customers (sales) and a neighbour letter about De Kade (pr), sent,
 * with its mails queued in the outbox and its report.
 */
#ifndef XRM_DOMAIN_DEMO_CAMPAIGNS_H
#define XRM_DOMAIN_DEMO_CAMPAIGNS_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads it as ctx->user after the parties exist; progress may be NULL. */
enum xrm_rc xrm_demo_campaigns_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
