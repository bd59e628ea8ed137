/*
 * The demo data set: a Dutch construction and installation company with
 * about 200 parties that shows XRM at work (employees who are customers, a
 * strategic partner who is a customer, a supplier who is a customer, a
 * journalist who is a customer, neighbours of a building project as
 * stakeholders), with relationships and a realistic timeline. Deterministic:
 * the same data on every run.
 */
#ifndef XRM_DOMAIN_DEMO_H
#define XRM_DOMAIN_DEMO_H

#include <stdio.h>

#include "domain/base/ctx.h"

/*
 * Loads the data set through the domain API as ctx->user. Prints progress
 * to progress (may be NULL). Fails with XRM_E_CONFLICT when the database
 * already holds parties.
 */
enum xrm_rc xrm_demo_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
