/*
 * The partners part of the demo data set (demo-partners.c): deals via two
 * partners, their commission statements and a tier evaluation.
 */
#ifndef XRM_DEMO_PARTNERS_H
#define XRM_DEMO_PARTNERS_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads the partner deals, commission statuses and tier proposals as ctx->user. */
enum xrm_rc xrm_demo_partners_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
