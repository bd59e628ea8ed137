/*
 * SQL of the address books (carddav.c): the resource names and UIDs
 * clients chose (table dav_cards), the photo hashes of a page of parties
 * (party_photos), and which parties of a page hold roles none of which the
 * reader may see (recruitment roles of a domain the reader may not read).
 *
 * Page reads take a batch (domain/base/batch.h) and run one statement per
 * kind of data, whatever the page size. Strings come back malloc'd where a
 * pointer is returned; fixed buffers say their size.
 */
#ifndef XRM_DOMAIN_DAV_CARDDAV_DB_H
#define XRM_DOMAIN_DAV_CARDDAV_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/base/batch.h"
#include "domain/base/ctx.h"
#include "domain/dav/dav.h"

/* What the address book knows of one party of a page beside its JSON. */
struct xrm_card_meta {
    char name[XRM_DAV_NAME_LEN]; /* dav_cards.name, "" when none */
    char uid[XRM_DAV_NAME_LEN];  /* dav_cards.uid, "" when none */
    char photo[65];              /* sha256 hex of its photo, "" when none */
    bool hidden_only;            /* holds roles, every one hidden from the reader */
};

/* Fills meta[pos] for every position of b (b->n entries; b may be empty). */
enum xrm_rc xrm_carddav_db_meta(struct xrm_db *db, const struct xrm_user *user,
                                const struct xrm_batch *b, struct xrm_card_meta *meta,
                                struct xrm_err *err);

/*
 * The party whose card is called name: the dav_cards row of that name, else
 * a party whose uid is name without ".vcf" and that has no dav_cards row.
 * *id 0 when none (archived parties included: the caller decides).
 */
enum xrm_rc xrm_carddav_db_find(struct xrm_db *db, const char *name, int64_t *id,
                                struct xrm_err *err);

/* Sets (or replaces) the name and UID a client chose for party id's card. */
enum xrm_rc xrm_carddav_db_set(struct xrm_db *db, int64_t id, const char *name, const char *uid,
                               struct xrm_err *err);

#endif
