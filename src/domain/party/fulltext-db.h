/*
 * Full-text search of records' text: the free words of a party search
 * (domain/base/query.h XRM_QT_WORD, XRM_QT_PHRASE) match a party's own text
 * (names, contact data, places: party_fts) or the text of its records that
 * the reader may read: activities (subject and body; notes, calls, e-mails,
 * meetings, case messages), cases (subject, description), deals (title,
 * lost reason; domain sales) and agreements (title, notes). The index,
 * record_text with record_fts (migration 13), holds one entry per record
 * and party, with the record's kind, id, type and domain; triggers keep it
 * in step with every write (create, edit, delete, merge, erasure).
 *
 * Only entries of domains the reader (q->viewer; NULL: the system, reads
 * all) may read ever match or are shown, so a word of an HR note finds
 * nothing for a sales user and its text is never sent.
 */
#ifndef XRM_DOMAIN_FULLTEXT_DB_H
#define XRM_DOMAIN_FULLTEXT_DB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/base/batch.h"
#include "domain/base/query.h"
#include "domain/base/sql.h"
#include "store/store.h"

/* Entries named per party in "found", and the length of an excerpt (bytes, without "…"). */
#define XRM_FULLTEXT_FOUND_MAX 3
#define XRM_FULLTEXT_EXCERPT_MAX 120

/* True when q has a free word or phrase that is not excluded (the full-text search drives). */
bool xrm_fulltext_has_words(const struct xrm_query *q);

/*
 * Appends to out, on party alias p, " AND <condition>" for every free word
 * and phrase of q: a word matches (as a prefix) the party's own text or
 * the text of one of its records readable by q->viewer; an excluded word
 * (-word) drops the parties it would match.
 */
void xrm_fulltext_sql(struct xrm_db *db, const struct xrm_query *q, struct xrm_sql *out);

/* As xrm_fulltext_sql for the excluded words (-word) of q only. */
void xrm_fulltext_sql_excluded(struct xrm_db *db, const struct xrm_query *q, struct xrm_sql *out);

/*
 * The parties that match every free word and phrase of q that is not
 * excluded (as xrm_fulltext_sql: the party's own text or a record's text
 * q->viewer may read), with ids below `below`, highest first, found one at
 * a time: a page stops gathering when it is full, where xrm_fulltext_sql
 * gathers every match of a word first (1.4 million records for "gra" at
 * 1M parties). *out is NULL, and the caller uses xrm_fulltext_sql, when
 * the engine cannot walk matches in order (store.h xrm_db_stream_parties)
 * or q has no such words. The caller checks the other terms of q.
 * _next: 1 with *id, 0 after the last, -1 on error (err set).
 */
struct xrm_fulltext_walk;
enum xrm_rc xrm_fulltext_walk_open(struct xrm_db *db, const struct xrm_query *q, int64_t below,
                                   struct xrm_fulltext_walk **out, struct xrm_err *err);
int xrm_fulltext_walk_next(struct xrm_fulltext_walk *w, int64_t *id, struct xrm_err *err);
void xrm_fulltext_walk_close(struct xrm_fulltext_walk *w);

/*
 * Where the words of q were found in the records of each party of items
 * (a page of parties, ids in b): sets "found" on a party whose readable
 * records' text matches a word, an array of at most XRM_FULLTEXT_FOUND_MAX
 * {"kind": "activity"|"case"|"deal"|"agreement", "id", "type" (the
 * activity's type, the agreement's kind, else the kind), "domain",
 * "excerpt": the words around the first match}, newest first per word.
 * One statement per word (at most four words). Parties without such a
 * match get no "found".
 */
enum xrm_rc xrm_fulltext_found(struct xrm_db *db, const struct xrm_query *q,
                               const struct xrm_batch *b, json_t *items, struct xrm_err *err);

/* The excerpt of text around the first word starting with word (caller frees). Exposed for tests.
 */
char *xrm_fulltext_excerpt(const char *text, const char *word);

#endif
