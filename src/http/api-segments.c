/*
 * /api/v1/segments: saved queries, their members (paginated, as the party
 * list) and the members as CSV. Thin handlers over domain/segment.h.
 */
#include "http/api-rules.h"
#include "http/api.h"
#include "http/api-export.h"
#include "domain/rules/segment.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void api_segments_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_segment_list(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

/*
 * The members as the export CSV (api-export.h: Dutch Excel, streamed) with
 * the treatment columns (priority, badges, health); ?lang=nl gives Dutch
 * headers and badges.
 */
void api_segments_members_csv(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    const char *lang = xrm_query_str(req, "lang");
    struct xrm_export_opts o = {.format = XRM_EXPORT_CSV, .segment = req->id[0], .treatment = true};
    char stem[48];

    if (lang && strcmp(lang, "nl") == 0) {
        o.dutch = true;
    } else if (lang && strcmp(lang, "en") != 0) {
        xrm_err_field(&err, XRM_E_INVALID, "lang", "must be en or nl");
        xrm_resp_error(resp, err.rc, &err);
        return;
    }
    snprintf(stem, sizeof(stem), "segment-%lld", (long long)req->id[0]);
    api_export_send(req, resp, &o, stem);
}
