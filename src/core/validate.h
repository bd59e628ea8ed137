/*
 * Validation and normalisation of the values people type into a CRM:
 * e-mail addresses, phone numbers, Dutch identifiers (KvK, BTW-id, IBAN,
 * postcode), dates and URLs. Pure functions on NUL-terminated UTF-8; no
 * allocation. "norm" functions write a canonical form into out (of size n)
 * and return false, leaving out unspecified, when the input is not valid
 * or the canonical form does not fit.
 */
#ifndef XRM_CORE_VALIDATE_H
#define XRM_CORE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* local@domain.tld: one '@', no spaces, dot in the domain, at most 254 bytes. */
bool xrm_valid_email(const char *s);

/* Lower-cases the domain part; local part kept. */
bool xrm_norm_email(const char *s, char *out, size_t n);

/*
 * IBAN: spaces allowed in input; country code with its registered length
 * (at least the SEPA countries, NL = 18), ISO 7064 mod-97 check.
 * Canonical form: upper case, no spaces ("NL91ABNA0417164300").
 */
bool xrm_norm_iban(const char *s, char *out, size_t n);

/* KvK number: exactly 8 digits (spaces not allowed). */
bool xrm_valid_kvk(const char *s);

/*
 * BTW-id / EU VAT number. NL: "NL" + 9 digits + "B" + 2 digits, valid when the
 * 9 digits pass the elfproef (mod 11) or the whole number passes the mod-97
 * check used for sole proprietors since 2020. Other EU countries: country
 * prefix plus that country's length/charset pattern. Canonical form: upper
 * case, no spaces or dots.
 */
bool xrm_norm_vat(const char *s, char *out, size_t n);

/*
 * Dutch postcode: four digits (first not 0), optional space, two letters
 * (not SA, SD, SS); any case in input. Canonical form "1234 AB".
 */
bool xrm_norm_postcode_nl(const char *s, char *out, size_t n);

/*
 * Phone number to E.164 ("+31201234567"). Accepts spaces, dashes, dots and
 * parentheses; "+CC..." or "00CC..." international; "0..." is Dutch national
 * (leading 0 replaced by +31). 8 to 15 digits after the '+'.
 */
bool xrm_norm_phone(const char *s, char *out, size_t n);

/* Calendar date "YYYY-MM-DD", a real day, year 1900..2199. */
bool xrm_valid_date(const char *s);

/*
 * RFC 3339 timestamp ("2026-11-27T10:00:00Z", with optional fraction and
 * +hh:mm offset), year 1900..2199. Canonical form: UTC,
 * "YYYY-MM-DDTHH:MM:SSZ".
 */
bool xrm_norm_datetime(const char *s, char *out, size_t n);

/* http:// or https:// URL with a host and no spaces; or a bare host such as
 * "example.nl" which is normalised to "https://example.nl". */
bool xrm_norm_url(const char *s, char *out, size_t n);

#endif
