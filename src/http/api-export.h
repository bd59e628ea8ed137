/*
 * Exports of parties as files (api-export.c): CSV, vCard, NDJSON, streamed
 * page by page; also the members CSV of a segment (api-segments.c).
 */
#ifndef XRM_HTTP_API_EXPORT_H
#define XRM_HTTP_API_EXPORT_H

#include "domain/exchange/export.h"
#include "http/http.h"

/* GET /api/v1/parties/export.csv|.vcf|.ndjson?q=&segment=&headers=en|nl */
void api_parties_export_csv(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_export_vcf(struct xrm_req *req, struct xrm_resp *resp);
void api_parties_export_ndjson(struct xrm_req *req, struct xrm_resp *resp);

/*
 * Starts the export o as the request's user and answers 200 with its body
 * streamed, as a download named "xrm-<stem>-<today>.<ext>"; or the
 * error (a bad query, a segment the user may not see).
 */
void api_export_send(struct xrm_req *req, struct xrm_resp *resp, const struct xrm_export_opts *o,
                     const char *stem);

#endif
