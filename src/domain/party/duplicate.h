/*
 * Duplicates of parties, found on the normalised keys of keys.h in the
 * party_keys table: the candidates of a party JSON (on create and import),
 * of a stored party, and the scan of all pairs.
 *
 * A candidate is {"party": {"id", "name"}, "score": 0..100, "exact": bool,
 * "reasons": [{"key": "email", "value": "jan@example.nl"}, ...]}; exact is
 * a match on kvk, vat, iban, email, external_id or uid. Scores: keys.h.
 * Only parties the reader may see are candidates (never one whose every
 * role is hidden from the reader, such as an applicant to sales), and
 * never an archived (or merged-away) party.
 *
 * Ownership: json arguments are borrowed; *out values are new references.
 */
#ifndef XRM_DOMAIN_PARTY_DUPLICATE_H
#define XRM_DOMAIN_PARTY_DUPLICATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/base/ctx.h"

/*
 * Import matching: the one existing, not archived party that shares with
 * the party JSON any key of the kinds named in keys ("email", "kvk",
 * "vat", "iban", "phone", "external_id", "uid"); *id 0 when none.
 * XRM_E_CONFLICT with code "ambiguous_match" when the keys point to two
 * different parties; XRM_E_INVALID for an unknown key kind. Reads on db (a
 * reader or the write transaction's connection).
 */
enum xrm_rc xrm_party_match(struct xrm_db *db, json_t *party, const char *const *keys, size_t nkeys,
                            int64_t *id, struct xrm_err *err);

/*
 * The candidates of the party JSON that match on an exact key, as user may
 * see them, best first; an empty array when none.
 */
enum xrm_rc xrm_party_exact_duplicates(struct xrm_db *db, const struct xrm_user *user,
                                       json_t *party, json_t **candidates, struct xrm_err *err);

/*
 * Every candidate of the party JSON (exact and weaker), as user may see
 * them, best first, at most limit; skip (0 for none) is left out (the party
 * itself).
 */
enum xrm_rc xrm_party_candidates(struct xrm_db *db, const struct xrm_user *user, json_t *party,
                                 int64_t skip, int limit, json_t **candidates, struct xrm_err *err);

/*
 * POST /parties: creates the party (xrm_party_create) unless, without
 * force, it exactly matches a party the reader may see: then nothing is
 * written and XRM_E_CONFLICT with code "duplicate" comes back with
 * *candidates (new reference) the exact candidates. On success *out is the
 * party as xrm_party_get gives it, with "duplicates": [candidate...] when
 * any party (weaker matches; with force the exact ones too) resembles it.
 */
enum xrm_rc xrm_party_create_checked(struct xrm_ctx *ctx, json_t *in, bool force, json_t **out,
                                     json_t **candidates, struct xrm_err *err);

/* GET /parties/{id}/duplicates: {"items": [candidate...]}; 404 when absent. */
enum xrm_rc xrm_party_duplicates(struct xrm_ctx *ctx, int64_t id, json_t **out,
                                 struct xrm_err *err);

/*
 * The scan of all pairs (GET /duplicates, xrm duplicates scan): pairs of
 * visible, not archived parties sharing a key, party.id < duplicate.id,
 * scored, at least min_score, best score first then by ids; limit 1..1000
 * (0: every pair, for the CLI; each page makes the whole scan again) after
 * cursor (NULL for the first page). {"items": [{"party": {id, name},
 * "duplicate": {id, name}, "score", "exact", "reasons"}], "next"}.
 */
enum xrm_rc xrm_duplicates_scan(struct xrm_ctx *ctx, int min_score, int limit, const char *cursor,
                                json_t **out, struct xrm_err *err);

#endif
