/*
 * The demo's users and their per-domain access (see demo-access.h).
 */
#include "demo/demo-access.h"
#include "domain/users/user.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/banned.h"

static const struct {
    const char *name, *display, *access;
} demo_users[] = {
    {"verkoop", "Sanne de Wit (verkoop)", "sales=write,partners=read,pr=read"},
    {"hr", "Henk Bos (HR)", "hr=full"},
    {"hr-assistent", "Fatima El Amrani (HR-assistent)", "hr=read"},
    {"inkoop", "Kees Jansen (inkoop)", "purchasing=write,sales=read"},
    {"partners", "Ruben Smit (partnermanager)", "partners=write,sales=read"},
    {"communicatie", "Lotte Visser (communicatie)", "pr=write,sales=read,partners=read"},
};

enum xrm_rc xrm_demo_users_load(struct xrm_ctx *ctx, FILE *progress, struct xrm_err *err)
{
    const char *pw = getenv("XRM_DEMO_PASSWORD");
    if (!pw || !*pw)
        pw = XRM_DEMO_PASSWORD_DEFAULT;
    for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        json_t *access = xrm_user_access_parse(demo_users[i].access, err);
        if (!access)
            return err->rc;
        json_t *in = json_pack("{s:s, s:s, s:s, s:o}", "name", demo_users[i].name, "display_name",
                               demo_users[i].display, "password", pw, "access", access);
        json_t *out = NULL;
        enum xrm_rc rc = xrm_user_add(ctx, in, &out, err);
        json_decref(in);
        json_decref(out);
        if (rc)
            return rc;
        if (progress)
            fprintf(progress, "demo: user %-13s %s\n", demo_users[i].name, demo_users[i].access);
    }
    if (progress)
        fprintf(progress, "demo: the demo users' password is %s\n",
                pw == getenv("XRM_DEMO_PASSWORD") ? "XRM_DEMO_PASSWORD"
                                                  : XRM_DEMO_PASSWORD_DEFAULT);
    return XRM_OK;
}
