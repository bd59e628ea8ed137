/*
 * Messages in the reader's language: English (the language of the sources)
 * or Dutch.
 *
 * Every message is written in English in the code, as the format string of
 * xrm_errf() / xrm_err_field() (core/error.h) or inside xrm_msg(). Each
 * thread has a current language, English unless set; when it is Dutch those
 * functions look the English format up in the Dutch dictionary
 * (messages-nl.c: English format -> Dutch format with the same conversions
 * in the same order, so the arguments still fit) before formatting. A
 * format without an entry stays English. The HTTP server sets the language
 * of each request from its Accept-Language before the handler runs and
 * puts it back to English after; the CLI never sets it, so it stays
 * English. scripts/check-messages.py (make messages-check) fails when a
 * literal format in src/ has no Dutch entry, when an entry's conversions
 * differ from its key's, and on stale entries.
 *
 * Lookups allocate nothing: the dictionary is sorted once (the first
 * lookup) and searched by bisection.
 */
#ifndef XRM_CORE_MESSAGES_H
#define XRM_CORE_MESSAGES_H

#include <stddef.h>

enum xrm_lang {
    XRM_LANG_EN = 0, /* the default: the messages as written in the code */
    XRM_LANG_NL,
};

/* One dictionary entry: an English message (format) and its translation. */
struct xrm_msg_entry {
    const char *en;
    const char *tr;
};

/* The Dutch dictionary (messages-nl.c); its order is free. */
extern struct xrm_msg_entry xrm_msg_nl[];
extern const size_t xrm_msg_nl_count;
/* Field names as a Dutch user knows them ("kvk" -> "KvK-nummer"). */
extern struct xrm_msg_entry xrm_msg_nl_fields[];
extern const size_t xrm_msg_nl_fields_count;

/* The calling thread's language (XRM_LANG_EN until set). */
enum xrm_lang xrm_lang_get(void);
void xrm_lang_set(enum xrm_lang lang);

/* "en" or "nl", for Content-Language. */
const char *xrm_lang_tag(enum xrm_lang lang);

/*
 * The language an Accept-Language header asks for (RFC 9110 12.5.4): of
 * the languages we have, the one with the highest q-value, the first on a
 * tie; "nl" and "nl-*" are Dutch, "en" and "en-*" English; q=0 refuses a
 * language; anything else (or NULL, or "*") gives English.
 */
enum xrm_lang xrm_lang_accept(const char *header);

/*
 * The translation of English message en in the thread's language (in lang
 * for xrm_msg_in), or en itself when there is none. The result is a static
 * string. As a format it has the same conversions as en, so
 * snprintf(buf, n, xrm_msg("%d left"), n) is checked like a literal.
 */
const char *xrm_msg(const char *en) __attribute__((format_arg(1)));
const char *xrm_msg_in(enum xrm_lang lang, const char *en) __attribute__((format_arg(2)));

/* The name of field (an API field path: "kvk", "addresses[0].postcode") for a
 * reader of lang, or NULL when it has none but its API name. */
const char *xrm_msg_field(enum xrm_lang lang, const char *field);

/*
 * Marks an English message that is translated elsewhere (a table of titles,
 * say), so that scripts/check-messages.py finds it. It is the message.
 */
#define XRM_MSG_KEY(en) (en)

#endif
