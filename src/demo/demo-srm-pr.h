/*
 * The supplier and PR part of the demo data set (demo-srm-pr.c): supplier
 * evaluations over the last year, the building project De Kade with its
 * stakeholders on the grid, a media list and press releases.
 */
#ifndef XRM_DOMAIN_DEMO_SRM_PR_H
#define XRM_DOMAIN_DEMO_SRM_PR_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads it as ctx->user after the parties exist; progress may be NULL. */
enum xrm_rc xrm_demo_srm_pr_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
