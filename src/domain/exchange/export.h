/*
 * Exports: the parties of a query (the party list's query language) or of
 * a segment, as CSV for Dutch Excel (io/csv.h), vCard 4.0 (io/vcard.h) or
 * NDJSON (the party JSON of the list, one per line).
 *
 * An export is read page by page with the party list's cursor
 * (xrm_party_list): each page passes the decoration steps and the access
 * filter as every list does, so what the reader may not see (hidden roles,
 * sensitive attributes, parties without a role they may see) is never
 * written, and the whole set never sits in memory. Each call of
 * xrm_export_next reads one page on the connection of ctx, so a caller may
 * run each page in a read snapshot of its own (the HTTP server streams one
 * page per chunk) or all in one (the CLI).
 *
 * CSV columns, in order (English / Dutch headers; a stable contract of
 * DESIGN.md, "Interfaces", export): id/ID, uid/UID, kind/Soort, name/Naam, given_name/Voornaam,
 * family_prefix/Tussenvoegsel, family_name/Achternaam, email/E-mail,
 * phone/Telefoon, street/Straat, house_number/Huisnummer, postcode/Postcode,
 * city/Plaats, country/Land, kvk/KvK-nummer, vat/BTW-nummer, iban/IBAN,
 * website/Website, roles/Rol, tags/Tags, external_id/Extern ID; with
 * `treatment` also priority/Prioriteit, badges/Badges, health/Gezondheid
 * (the segment members CSV). id, uid, phone, postcode, kvk, vat, iban and
 * external_id are text cells (="..."). Lists (roles, tags, badges) are
 * joined by ", ". email, phone, website and the address are the party's
 * first.
 *
 * vCard: one card per party, UID the party's uid, FN its name; a person
 * has N (the family name with its prefix, "van Wijk", as address books
 * show it, and the given name) and X-XRM-FAMILY-PREFIX (the prefix alone,
 * so an import can split them again), an organisation KIND:org and ORG;
 * TEL, EMAIL and ADR carry types from their labels (work, home, cell,
 * fax); URL, CATEGORIES (tags), and X-XRM-KVK, X-XRM-VAT, X-XRM-IBAN,
 * X-XRM-ROLES, X-XRM-EXTERNAL-ID for what vCard lacks.
 *
 * Ownership: the export is the caller's (xrm_export_free); options are
 * copied.
 */
#ifndef XRM_DOMAIN_EXCHANGE_EXPORT_H
#define XRM_DOMAIN_EXCHANGE_EXPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/base/ctx.h"

enum xrm_export_format { XRM_EXPORT_CSV, XRM_EXPORT_VCARD, XRM_EXPORT_NDJSON };

struct xrm_export_opts {
    enum xrm_export_format format;
    const char *q;   /* query language text, or NULL */
    int64_t segment; /* a segment id (its query, and q too when given), or 0 */
    bool dutch;      /* CSV: Dutch headers (and Dutch badge texts) */
    bool treatment;  /* CSV: the priority, badges and health columns too */
    int page;        /* parties per page, 1..XRM_LIST_MAX; 0: XRM_LIST_MAX */
};

struct xrm_export;

/*
 * Starts an export as ctx's user: reads the segment (XRM_E_NOTFOUND when
 * the user may not see it) and checks the query (400/422 naming "q", or
 * "segment" for the segment's own query) by reading the first page, which
 * the first xrm_export_next then writes.
 */
enum xrm_rc xrm_export_new(struct xrm_ctx *ctx, const struct xrm_export_opts *o,
                           struct xrm_export **out, struct xrm_err *err);

/*
 * Appends the next piece to out: the first call the CSV header row (with
 * the byte order mark) and the first page, later calls one page each.
 * *done becomes true when nothing is left (out then gained nothing).
 */
enum xrm_rc xrm_export_next(struct xrm_export *e, struct xrm_ctx *ctx, struct xrm_buf *out,
                            bool *done, struct xrm_err *err);

/* Parties written so far. */
int64_t xrm_export_count(const struct xrm_export *e);

void xrm_export_free(struct xrm_export *e);

/*
 * The card of party p (its API JSON as the reader may see it: the party
 * list's item or xrm_party_get's answer) in io/vcard.h's neutral shape, as
 * the vCard export writes it (see above; an organisation has "kind":"org").
 * No photo, note or rev: CardDAV (domain/dav/carddav.c) adds those. New
 * reference.
 */
json_t *xrm_export_party_card(json_t *p);

/* "csv", "vcf"/"vcard", "ndjson"/"json" to a format; false when unknown. */
bool xrm_export_format_parse(const char *s, enum xrm_export_format *out);
/* The media type and the file extension of a format. */
const char *xrm_export_media_type(enum xrm_export_format f);
const char *xrm_export_extension(enum xrm_export_format f);

#endif
