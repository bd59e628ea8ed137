/*
 * The organisation part of the demo data set (demo-hr-org.c): the
 * department tree, each department's manager, employment history with a
 * promotion, an hours change and salary raises (one planned), and an
 * employee with three fixed-term contracts in a row, so that a 4th warns.
 */
#ifndef XRM_DEMO_HR_ORG_H
#define XRM_DEMO_HR_ORG_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Inside the demo's write: the department tree (no managers yet), as user. */
enum xrm_rc xrm_demo_hr_org_departments(struct xrm_db *db, const struct xrm_user *user,
                                        struct xrm_err *err);

/* The id of the demo department named name (after xrm_demo_hr_org_departments), or 0. */
int64_t xrm_demo_hr_org_department(const char *name);

/* After the staff are loaded: managers, employment history, the fixed-term chain. */
enum xrm_rc xrm_demo_hr_org_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
