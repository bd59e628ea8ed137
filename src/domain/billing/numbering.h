/*
 * Document numbers: the gapless sequences of number_sequences (one per
 * name and year: "quote", "invoice", "credit_note", and "debtor" with year
 * 0) and the number formats of the company settings ("OFF-{YYYY}-{NNNN}":
 * {YYYY} the year, {N...} the number zero-padded to as many digits as Ns,
 * at least 3).
 */
#ifndef XRM_DOMAIN_NUMBERING_H
#define XRM_DOMAIN_NUMBERING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define XRM_NUMBER_FORMAT_MAX 40

/* Whether fmt is a usable format: one {NNN..} (3 to 10 Ns), {YYYY} at most once, no other {. */
bool xrm_number_format_valid(const char *fmt);

/* The number no of year in fmt into out (n bytes); false when it does not fit. */
bool xrm_number_format(const char *fmt, int year, int64_t no, char *out, size_t n);

/*
 * The next number of sequence (name, year), inside the caller's write
 * transaction: the row is made on first use and incremented with UPDATE ...
 * RETURNING, so two writers never get the same number and a rolled-back
 * write gives its number back. first: the number a new sequence starts at.
 */
enum xrm_rc xrm_number_next(struct xrm_db *db, const char *name, int year, int64_t first,
                            int64_t *out, struct xrm_err *err);

#endif
