/*
 * The HR recruitment and checklist part of the demo data set
 * (demo-hr-recruit.c): vacancies with applicants in every stage, the
 * onboarding checklist of the newest employee half done, and the
 * offboarding of a colleague whose temporary contract ends next month.
 */
#ifndef XRM_DEMO_HR_RECRUIT_H
#define XRM_DEMO_HR_RECRUIT_H

#include <stdio.h>

#include "domain/base/ctx.h"

/* Loads it as ctx->user, after the parties of xrm_demo_load; progress may be NULL. */
enum xrm_rc xrm_demo_hr_recruit_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err);

#endif
