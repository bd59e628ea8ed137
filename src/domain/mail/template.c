/*
 * E-mail templates (template.h): the record kind's rules, the list and the
 * placeholder renderer. SQL in template-db.c (descriptor) and record-db.c.
 */
#include "domain/mail/template.h"
#include "domain/mail/template-db.h"
#include "domain/base/access.h"
#include "domain/base/record.h"
#include "core/buf.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

static bool key_valid(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 40 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static enum xrm_rc validate(struct xrm_db *db, struct xrm_record_write *w, json_t *before,
                            json_t **rec_out, struct xrm_err *err)
{
    static const char *const plain[] = {"key", "lang", "name", "subject", "body", NULL};
    if (!json_is_object(w->in))
        return xrm_err_field(err, XRM_E_MALFORMED, "body", "must be an object");
    json_t *rec = json_object();
    *rec_out = rec; /* record.c releases it and fails the write on a field error */
    xrm_record_known_keys(&xrm_mail_template_kind, w->in, err);
    xrm_record_read_all(&xrm_mail_template_kind, plain, w->in, before, rec, err);
    const char *key = json_string_value(json_object_get(rec, "key"));
    const char *lang = json_string_value(json_object_get(rec, "lang"));
    if (key && !key_valid(key))
        xrm_err_field(err, XRM_E_INVALID, "key",
                      "must be 1 to 40 lower-case letters, digits or underscores");
    if (before && json_is_true(json_object_get(before, "builtin"))) {
        const char *const fixed[] = {"key", "lang"};
        for (size_t i = 0; i < 2; i++)
            if (!json_equal(json_object_get(rec, fixed[i]), json_object_get(before, fixed[i])))
                xrm_err_field(err, XRM_E_INVALID, fixed[i], "cannot change on a built-in template");
    }
    if (err->rc || !key || !lang)
        return XRM_OK;
    int64_t other = 0;
    enum xrm_rc rc = xrm_mail_template_db_taken(db, key, lang, w->id, &other, err);
    if (rc)
        return rc;
    if (other)
        xrm_err_field(err, XRM_E_CONFLICT, "key", "has a template in this language already");
    return XRM_OK;
}

static enum xrm_rc may_delete(json_t *before, struct xrm_err *err)
{
    if (json_is_true(json_object_get(before, "builtin")))
        return xrm_errf(err, XRM_E_CONFLICT, "a built-in template cannot be deleted");
    return XRM_OK;
}

/* Reading one template and every change are for administrators (and the system). */
static enum xrm_rc begin(struct xrm_ctx *ctx, struct xrm_record_write *w, const char *action,
                         struct xrm_err *err)
{
    (void)w;
    (void)action;
    return xrm_access_admin(&ctx->user, "the e-mail templates", err);
}

const struct xrm_record_ops xrm_mail_template_ops = {
    .kind = &xrm_mail_template_kind,
    .validate = validate,
    .may_delete = may_delete,
    .no_domain = true, /* administrators' routes */
    .begin = begin,
};

enum xrm_rc xrm_mail_template_list(struct xrm_ctx *ctx, const char *key, const char *lang,
                                   json_t **out, struct xrm_err *err)
{
    struct xrm_record_cond c[2] = {{0}};
    int n = 0;
    json_t *items = NULL;
    *out = NULL;
    if (lang && *lang && strcmp(lang, "nl") != 0 && strcmp(lang, "en") != 0)
        return xrm_err_field(err, XRM_E_INVALID, "lang", "must be one of nl, en");
    if (key && *key) {
        c[n].sql = "t.key = ?";
        xrm_record_cond_text(&c[n++], key);
    }
    if (lang && *lang) {
        c[n].sql = "t.lang = ?";
        xrm_record_cond_text(&c[n++], lang);
    }
    enum xrm_rc rc = xrm_record_db_query(ctx->db, &xrm_mail_template_kind, NULL, c, n,
                                         "t.key, t.lang, t.id", 1000, &items, err);
    if (rc)
        return rc;
    *out = json_pack("{s:o, s:n}", "items", items, "next");
    return XRM_OK;
}

enum xrm_rc xrm_mail_template_load(struct xrm_db *db, int64_t id, json_t **out, struct xrm_err *err)
{
    return xrm_record_load(db, &xrm_mail_template_ops, id, out, err);
}

enum xrm_rc xrm_mail_template_find(struct xrm_db *db, const char *key, const char *lang,
                                   json_t **out, struct xrm_err *err)
{
    int64_t id = 0;
    *out = NULL;
    enum xrm_rc rc = xrm_mail_template_db_taken(db, key, lang, 0, &id, err);
    if (rc || !id)
        return rc;
    return xrm_mail_template_load(db, id, out, err);
}

char *xrm_mail_render(const char *text, json_t *vars)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 256);
    const char *p = text ? text : "";
    while (*p) {
        const char *open = strstr(p, "{{");
        if (!open) {
            xrm_buf_add(&b, p, strlen(p));
            break;
        }
        xrm_buf_add(&b, p, (size_t)(open - p));
        const char *close = strstr(open + 2, "}}");
        if (!close) {
            xrm_buf_add(&b, open, strlen(open));
            break;
        }
        char name[64];
        size_t n = (size_t)(close - open - 2);
        const char *value = NULL;
        if (n > 0 && n < sizeof(name)) {
            memcpy(name, open + 2, n);
            name[n] = '\0';
            /* {{ name }} with spaces is the same placeholder */
            char *s = name, *e = name + n;
            while (*s == ' ')
                s++;
            while (e > s && e[-1] == ' ')
                *--e = '\0';
            value = json_string_value(json_object_get(vars, s));
        }
        if (value)
            xrm_buf_add(&b, value, strlen(value));
        else
            xrm_buf_add(&b, open, (size_t)(close + 2 - open));
        p = close + 2;
    }
    return xrm_buf_detach(&b, NULL);
}
