/*
 * Departments and the org chart (HR). A department is a node of one tree
 * (parent), with a manager (a party) and a cost centre; an employee
 * belongs to one department through the employee role's `department`
 * attribute (a department id) and has one manager: the employee role's
 * `manager` attribute, the one source of truth for the reporting line (a
 * manager_of relationship is not used for employees).
 *
 * department JSON: {"id", "name", "parent" (id or null), "manager" (party
 * id or null), "manager_name", "cost_centre", "version", "created_at",
 * "updated_at"}. Names are unique under one parent; a parent may not be
 * the department itself or one below it; a department with members
 * (employee roles that have not ended) or children cannot be deleted.
 *
 * Access: hr=read sees departments and the org chart, hr=write changes
 * departments; a user without hr read gets XRM_E_DENIED for the chart.
 *
 * Ownership: *out new references; inputs borrowed.
 */
#ifndef XRM_DOMAIN_DEPARTMENT_H
#define XRM_DOMAIN_DEPARTMENT_H

#include <jansson.h>
#include <stdbool.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_department_kind;

/* The plain operations of departments (domain/base/record.h): the route table's .ops. */
struct xrm_record_ops;
extern const struct xrm_record_ops xrm_department_ops;

/* {"items": [departments by name, each with "members": the number of employees], "next": null} */
enum xrm_rc xrm_department_list(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

/* *exists: whether id is a department (the check of a role's department attribute). */
enum xrm_rc xrm_department_exists(struct xrm_db *db, int64_t id, bool *exists, struct xrm_err *err);

/*
 * The org chart: {"items": [node...], "unplaced": [member...]}, a node
 * {"department": {"id", "name", "cost_centre"}, "manager": {"id", "name"} |
 * null, "members": [member...], "children": [node...]}, a member {"id"
 * (party), "name", "job_title", "manager" (party id or null)}: the employees
 * whose role is active or on leave; "unplaced" those without a (known)
 * department. Departments and members by name. XRM_E_DENIED without hr read.
 */
enum xrm_rc xrm_org_chart(struct xrm_ctx *ctx, json_t **out, struct xrm_err *err);

#endif
