/*
 * VAT arithmetic of quotes, invoices and credit notes: the one
 * implementation every billing module (and the UBL writer, through the
 * totals it is given) relies on.
 *
 * A line: {description (1..500 bytes), quantity (> 0, at most 3 decimals,
 * <= 1,000,000), unit (<= 20 bytes, optional), unit_price (integer cents,
 * 0..10^10), discount_pct (0..100, at most 2 decimals, default 0), vat
 * ("21" | "9" | "0" | "exempt" | "reverse_charge"), net (read-only)}.
 *
 * line net = round_half_away_from_zero(quantity x unit_price x (100 -
 * discount_pct) / 100) in cents, computed exactly: quantity in
 * thousandths, discount in hundredths of a percent, the product in
 * __int128.
 *
 * totals = {net, vat: [{rate, base, amount}], gross}: one entry per rate
 * present, in the order 21, 9, 0, exempt, reverse_charge; base the sum of
 * that rate's line nets; amount round_half_away_from_zero(base x rate /
 * 100) for 21 and 9, 0 otherwise; net the sum of the bases; gross net plus
 * the amounts (EN 16931 BR-CO-17 per rate). A credit note's numbers are
 * positive like any other document's.
 */
#ifndef XRM_DOMAIN_VAT_H
#define XRM_DOMAIN_VAT_H

#include <jansson.h>
#include <stdint.h>

#include "core/error.h"

#define XRM_VAT_MAX_LINES 200
#define XRM_VAT_QTY_MAX_MILLI 1000000000LL /* 1,000,000 */
#define XRM_VAT_PRICE_MAX 10000000000LL    /* 10^10 cents */

/* The rates in totals order; NULL-terminated. */
extern const char *const xrm_vat_rates[];

/* round_half_away_from_zero(num / den), den > 0. */
int64_t xrm_vat_div_round(__int128 num, int64_t den);

/* A line's net: quantity in thousandths, unit price in cents, discount in 1/100 %. */
int64_t xrm_vat_line_net(int64_t qty_milli, int64_t unit_price, int64_t discount_centi);

/* VAT of base at rate ("21", "9": percent; anything else 0). */
int64_t xrm_vat_amount(int64_t base, const char *rate);

/*
 * Checks the lines of a request (in: a JSON array) and computes them: *lines_out
 * the lines as stored (with net), *totals_out the totals; field errors on
 * "lines" or "lines[i].key" (XRM_E_INVALID / XRM_E_MALFORMED). An empty array
 * is allowed (a draft may have no lines yet). New references.
 */
enum xrm_rc xrm_vat_lines(json_t *in, json_t **lines_out, json_t **totals_out, struct xrm_err *err);

/* The totals of lines already checked (each with vat and net). New reference. */
json_t *xrm_vat_totals(json_t *lines);

#endif
