/*
 * Demo users: one or two per domain with the access such a colleague would
 * have, so the web app and the tests can show who sees what (the sales
 * colleague sees that an employee is also a customer, but not their salary
 * or HR notes). All share the password XRM_DEMO_PASSWORD, default
 * "xrm-demo-2026".
 */
#ifndef XRM_DOMAIN_DEMO_ACCESS_H
#define XRM_DOMAIN_DEMO_ACCESS_H

#include <stdio.h>

#include "domain/base/ctx.h"

#define XRM_DEMO_PASSWORD_DEFAULT "xrm-demo-2026"

/* Adds the demo users (after the demo data); prints them to progress (may be NULL). */
enum xrm_rc xrm_demo_users_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
