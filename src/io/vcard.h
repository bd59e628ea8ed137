/*
 * vCard in and out: the reader of contact files from phones, Google,
 * Outlook and address books (vCard 2.1, 3.0 and 4.0), and the writer of
 * exports and CardDAV (vCard 4.0, or 3.0 for the clients that ask for it).
 *
 * The reader is fed by chunks and calls back once per card, so a file of
 * any size is read holding one card. It unfolds lines (CRLF or LF, then a
 * space or tab), joins quoted-printable soft line breaks, decodes
 * QUOTED-PRINTABLE and BASE64 / b values, converts CHARSET values (and
 * 8-bit text that is not UTF-8, read as Windows-1252) to UTF-8, unescapes
 * \\ \; \, \n, splits structured values, reads parameters in all three
 * styles (TYPE=work,cell / TYPE=WORK;TYPE=CELL / WORK;CELL, PREF, PREF=1,
 * TYPE=pref) and drops the group prefix (item1.EMAIL).
 *
 * Each card is a JSON object of this neutral shape (keys only when present):
 *   {"version":"3.0", "fn":"...", "n":{"family","given","additional",
 *    "prefix","suffix"}, "nickname":[...], "org":["company","unit",...],
 *    "title", "role", "bday", "tel":[{"value","types":[...],"pref":bool}],
 *    "email":[same], "adr":[{"po_box","extended","street","locality",
 *    "region","postal_code","country","types":[...],"pref":bool}],
 *    "url":[...], "note", "categories":[...], "uid", "rev",
 *    "photo":{"type":"image/jpeg","base64":"..."} or {"uri":"..."},
 *    "kind":"org" (4.0 KIND, lower case, letters, digits and '-' only),
 *    "x":{"X-NAME":"value" (or an array when repeated)}}
 * Types are lower case; "pref" is never among them. A TEL with VALUE=uri
 * loses its "tel:" scheme. Unknown properties
 * that are not X- are left out.
 *
 * Caps (clean XRM_E_LIMIT naming the line): bytes of one logical line,
 * bytes of one card, properties per card.
 *
 * Ownership: the card passed to the callback is the callback's to keep
 * (json_incref) or leave; the reader decrefs its own reference after.
 */
#ifndef XRM_IO_VCARD_H
#define XRM_IO_VCARD_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

#define XRM_VCARD_LINE_MAX (256 * 1024)
#define XRM_VCARD_CARD_MAX (1024 * 1024)
#define XRM_VCARD_PROPS_MAX 500

struct xrm_vcard_limits {
    size_t line_max;  /* bytes of one unfolded line */
    size_t card_max;  /* bytes of one card, as read */
    size_t props_max; /* properties of one card */
};

/*
 * Called once per card with the line its BEGIN is on. A non-zero return
 * stops the reader (feed / finish return it).
 */
typedef enum xrm_rc (*xrm_vcard_card_fn)(void *ctx, json_t *card, long line, struct xrm_err *err);

struct xrm_vcard;

/* limits NULL means the XRM_VCARD_*_MAX caps. */
struct xrm_vcard *xrm_vcard_new(xrm_vcard_card_fn fn, void *ctx,
                                const struct xrm_vcard_limits *limits);
void xrm_vcard_free(struct xrm_vcard *r);

/*
 * Parses the next n bytes. XRM_OK, XRM_E_LIMIT (a cap), XRM_E_MALFORMED
 * (a card without END, a property outside a card) or the callback's code;
 * after an error the reader takes no more input.
 */
enum xrm_rc xrm_vcard_feed(struct xrm_vcard *r, const void *data, size_t n, struct xrm_err *err);
/* Ends the input. A card still open is XRM_E_MALFORMED. */
enum xrm_rc xrm_vcard_finish(struct xrm_vcard *r, struct xrm_err *err);

/*
 * Appends card (the shape above; "version" is ignored) as one vCard 4.0 in
 * UTF-8: TEXT values escaped, lines folded at 75 octets, CRLF. FN is
 * written always (from n, org or email when the card has none), as 4.0
 * requires. Reading the result back gives the card with "version":"4.0".
 * Give every card a "uid": khard (and other vdir tools) skip cards without.
 */
void xrm_vcard_write(struct xrm_buf *b, json_t *card);

/*
 * As xrm_vcard_write in the vCard version given: 40 (4.0, as above) or 30
 * (3.0, RFC 2426): VERSION:3.0, no KIND, N always (empty when the card has
 * none, as 3.0 requires it), "pref" as a TYPE value instead of PREF=1, a
 * photo as PHOTO;ENCODING=b;TYPE=JPEG (the subtype of an image/ media type,
 * upper case) or PHOTO;VALUE=uri. Any other version writes 4.0. Reading a
 * 3.0 card back gives the card with "version":"3.0" (and "n":{} when it
 * had none, no "kind").
 */
void xrm_vcard_write_v(struct xrm_buf *b, json_t *card, int version);

#endif
