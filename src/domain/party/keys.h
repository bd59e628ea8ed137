/*
 * Normalised keys of a party: the values duplicates are found on. Each key
 * has a kind and a value in a canonical form, so that two ways of writing
 * the same thing give the same key:
 *
 *   email        trimmed, lower case               "jan@example.nl"
 *   phone        E.164, national numbers are Dutch "+31612345678"
 *                ("06-12345678", "0031 6 ...", "+31 (0)6 ..." alike)
 *   kvk          8 digits (dots and spaces dropped; 7 digits get the
 *                leading zero a spreadsheet ate)  "01234567"
 *   vat          upper case, no spaces, dots, dashes "NL001234567B01"
 *   iban         upper case, no spaces              "NL91ABNA0417164300"
 *   address      postcode without space upper case, blank, house number
 *                lower case without spaces         "1234AB 12a"
 *   name         lower case, accents folded, punctuation and Dutch
 *                prefixes (van, der, 't, v.d. ...) removed; a person's
 *                family name first, then the given names: "Jan van der
 *                Berg" -> "berg jan"; an organisation its words in order,
 *                legal forms (B.V., N.V., V.O.F., GmbH ...) dropped
 *   name_initial a person's family name without prefixes, blank, first
 *                initial: "berg j" (also of "J. v.d. Berg")
 *   external_id  exact (an id in another system)
 *   uid          exact (the party's uid; never stored in party_keys:
 *                parties.uid is unique and indexed itself)
 *
 * Scores of a candidate (duplicate.h): a match on an exact key (kvk, vat,
 * iban, email, external_id, uid) 100; phone 80; name 60; address 50;
 * name_initial 40; +10 for every further reason, capped at 100.
 *
 * The normalisers are pure functions on NUL-terminated UTF-8: they write
 * the key into out (XRM_KEY_MAX bytes) and return false when the input
 * gives no key (empty, not a phone number, ...). No allocation except
 * where said.
 */
#ifndef XRM_DOMAIN_PARTY_KEYS_H
#define XRM_DOMAIN_PARTY_KEYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define XRM_KEY_MAX 256

enum xrm_key_kind {
    XRM_KEY_EMAIL,
    XRM_KEY_PHONE,
    XRM_KEY_KVK,
    XRM_KEY_VAT,
    XRM_KEY_IBAN,
    XRM_KEY_ADDRESS,
    XRM_KEY_NAME,
    XRM_KEY_NAME_INITIAL,
    XRM_KEY_EXTERNAL_ID,
    XRM_KEY_UID,
    XRM_KEY_NKINDS
};

/* "email", "phone", ... as in the API; NULL for an unknown kind. */
const char *xrm_key_kind_name(enum xrm_key_kind k);
/* The kind named s; false when none. */
bool xrm_key_kind_parse(const char *s, enum xrm_key_kind *out);
/* True for kinds that alone make a duplicate: kvk, vat, iban, email, external_id, uid. */
bool xrm_key_exact(enum xrm_key_kind k);
/* Score of a match on one key of kind k (100, 80, 60, 50, 40). */
int xrm_key_score(enum xrm_key_kind k);

bool xrm_key_email(const char *s, char out[XRM_KEY_MAX]);
bool xrm_key_phone(const char *s, char out[XRM_KEY_MAX]);
bool xrm_key_kvk(const char *s, char out[XRM_KEY_MAX]);
bool xrm_key_vat(const char *s, char out[XRM_KEY_MAX]);
bool xrm_key_iban(const char *s, char out[XRM_KEY_MAX]);
/* Needs both a postcode and a house number. */
bool xrm_key_address(const char *postcode, const char *house_number, char out[XRM_KEY_MAX]);
/* A person's name from its parts (any may be NULL; prefix words are dropped from all). */
bool xrm_key_person_name(const char *given, const char *prefix, const char *family,
                         char out[XRM_KEY_MAX]);
bool xrm_key_person_initial(const char *given, const char *family, char out[XRM_KEY_MAX]);
/* A person's full name in one text ("Jan van der Berg", "J. v.d. Berg"): last word is the
 * family name. */
bool xrm_key_full_name(const char *text, char out[XRM_KEY_MAX]);
bool xrm_key_full_initial(const char *text, char out[XRM_KEY_MAX]);
bool xrm_key_org_name(const char *name, char out[XRM_KEY_MAX]);
/* external_id and uid: trimmed, otherwise exact. */
bool xrm_key_exact_text(const char *s, char out[XRM_KEY_MAX]);

/*
 * The keys of a party JSON (as the API shows it, or input not yet
 * normalised: plain strings in emails/phones accepted): every e-mail,
 * phone and address, kvk, vat, iban, name, name_initial, external_id and
 * uid, each once. A JSON array of {"kind", "value"}; new reference, never
 * NULL.
 */
json_t *xrm_party_keys(json_t *party);
/* Only its exact keys (xrm_key_exact), in the same order: what an exact duplicate check looks up.
 */
json_t *xrm_party_keys_exact(json_t *party);

/*
 * SQL (keys-db.c). Replaces the rows of party_keys of party id by keys (as
 * xrm_party_keys gives them; uid is skipped) inside the caller's write
 * transaction; fresh: the party has no rows yet.
 */
enum xrm_rc xrm_party_keys_write(struct xrm_db *db, int64_t id, json_t *keys, bool fresh,
                                 struct xrm_err *err);
/* Removes every key of party id (erasure). */
enum xrm_rc xrm_party_keys_delete(struct xrm_db *db, int64_t id, struct xrm_err *err);

/*
 * Fills party_keys for parties that have none yet (databases made before
 * the keys existed); runs in write transactions of its own. *filled gets the
 * number of parties given keys (NULL allowed).
 */
enum xrm_rc xrm_party_keys_backfill(struct xrm_store *st, int64_t *filled, struct xrm_err *err);

#endif
