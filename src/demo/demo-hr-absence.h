/*
 * The HR absence part of the demo data set (demo-hr-absence.c): leave for
 * most of the staff (taken, planned, requests waiting), one employee sick
 * for a long time (week 10 today, the Poortwachter steps of weeks 1, 6 and
 * 8 done), short sick reports in the past months, someone away today.
 */
#ifndef XRM_DEMO_HR_ABSENCE_H
#define XRM_DEMO_HR_ABSENCE_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads the absences as ctx->user, the tasks assigned to the demo user "hr". */
enum xrm_rc xrm_demo_hr_absence_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
