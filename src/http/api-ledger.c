/*
 * HTTP handlers for what follows an issued invoice: the overdue scan
 * (POST /api/v1/invoices/overdue-scan, administrators), reminders (POST
 * /api/v1/invoices/{id}/reminders; the list is a plain api_get route), the
 * accountant's journal and ZIP (/api/v1/accounting/journal.csv,
 * export.zip; query period), debtors (/api/v1/debtors) and revenue per
 * month (/api/v1/revenue; query months). A party's open items are a plain
 * api_get route. The rules live in domain/billing/ledger.c and reminder.c.
 */
#include "http/api.h"
#include "core/buf.h"
#include "domain/billing/ledger.h"
#include "domain/billing/reminder.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

void api_invoices_overdue_scan(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_invoice_overdue_scan(&req->ctx, NULL, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_invoice_reminders_create(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *in = NULL, *out = NULL;
    if (req->body_len) {
        in = xrm_req_json(req, resp);
        if (!in)
            return;
    }
    enum xrm_rc rc = xrm_reminder_create(&req->ctx, req->id[0], in, &out, &err);
    json_decref(in);
    api_reply(resp, rc, &err, out, 201, NULL);
}

/* A download: the bytes of b as the body, named file. */
static void download(struct xrm_resp *resp, struct xrm_buf *b, const char *type, const char *file)
{
    resp->status = 200;
    resp->raw = xrm_buf_detach(b, &resp->raw_len);
    resp->content_type = type;
    snprintf(resp->disposition, sizeof(resp->disposition), "attachment; filename=\"%s\"", file);
}

/* "xrm-journal-2026-Q4.csv": the period is known good once the domain accepted it. */
static void file_name(char *out, size_t n, const char *what, const char *period, const char *ext)
{
    snprintf(out, n, "xrm-%s-%.10s.%s", what, period ? period : "", ext);
}

void api_accounting_journal_csv(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b = XRM_BUF_INIT;
    const char *period = xrm_query_str(req, "period");
    enum xrm_rc rc = xrm_ledger_journal_csv(&req->ctx, period, &b, &err);
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    char file[64];
    file_name(file, sizeof(file), "journal", period, "csv");
    download(resp, &b, "text/csv; charset=utf-8; header=present", file);
}

void api_accounting_export_zip(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf b = XRM_BUF_INIT;
    const char *period = xrm_query_str(req, "period");
    enum xrm_rc rc = xrm_ledger_export_zip(&req->ctx, period, &b, &err);
    if (rc) {
        xrm_buf_release(&b);
        xrm_resp_error(resp, rc, &err);
        return;
    }
    char file[64];
    file_name(file, sizeof(file), "export", period, "zip");
    download(resp, &b, "application/zip", file);
}

void api_debtors_list(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = xrm_ledger_debtors(&req->ctx, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}

void api_revenue(struct xrm_req *req, struct xrm_resp *resp)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    int64_t months = 12;
    xrm_query_int(req, "months", 1, XRM_REVENUE_MONTHS_MAX, NULL, &months, &err);
    enum xrm_rc rc = err.rc;
    if (!rc)
        rc = xrm_ledger_revenue(&req->ctx, (int)months, &out, &err);
    api_reply(resp, rc, &err, out, 200, NULL);
}
