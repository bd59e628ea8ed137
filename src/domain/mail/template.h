/*
 * E-mail templates (table mail_templates, migration 29): a subject and a
 * body per key and language, with placeholders {{name}} that the sender
 * fills per recipient (domain/mail/email.h lists them). Built-in templates
 * (nl and en): general, case_reply, quote, invoice, reminder,
 * press_release, newsletter; administrators may edit them but not delete
 * them (409) nor change their key or language.
 *
 * template JSON: {id, key ([a-z0-9_], 1-40), lang (nl|en), name, subject,
 * body, builtin, created_by, version, created_at, updated_at}.
 * Reading the list: any signed-in user (the compose screen); GET, POST,
 * PATCH, DELETE of one: administrators (a record kind, no domain).
 *
 * Ownership: inputs borrowed; *out new references; xrm_mail_render's
 * result is malloc'd (the caller frees it).
 */
#ifndef XRM_DOMAIN_MAIL_TEMPLATE_H
#define XRM_DOMAIN_MAIL_TEMPLATE_H

#include <jansson.h>

#include "domain/base/ctx.h"

struct xrm_record_kind;
extern const struct xrm_record_kind xrm_mail_template_kind;
extern const struct xrm_record_ops xrm_mail_template_ops;

#define XRM_MAIL_SUBJECT_MAX 500
#define XRM_MAIL_BODY_MAX 60000

/* GET /api/v1/mail-templates?key=&lang=: {"items": [template], "next": null} by key, lang. */
enum xrm_rc xrm_mail_template_list(struct xrm_ctx *ctx, const char *key, const char *lang,
                                   json_t **out, struct xrm_err *err);

/* Template id without access check (the sender's use of it); XRM_E_NOTFOUND. */
enum xrm_rc xrm_mail_template_load(struct xrm_db *db, int64_t id, json_t **out,
                                   struct xrm_err *err);

/* The template of key in lang (NULL *out when there is none), without access check. */
enum xrm_rc xrm_mail_template_find(struct xrm_db *db, const char *key, const char *lang,
                                   json_t **out, struct xrm_err *err);

/*
 * text with every {{name}} whose name is a key of vars (a string value)
 * replaced by that value; other {{...}} stay as written (so a typo shows).
 */
char *xrm_mail_render(const char *text, json_t *vars);

#endif
