/*
 * iCalendar (RFC 5545) output: the calendar feed of tasks and meetings that
 * calendar apps subscribe to, and the calendar objects CalDAV serves
 * (domain/dav/caldav.c), written by the same component writer.
 *
 * The writer follows the RFC to the letter: CRLF line ends; content lines
 * folded so that no line exceeds 75 octets (a fold never splits a UTF-8
 * sequence; continuation lines start with one space); TEXT values escaped
 * (backslash, semicolon, comma, newline as \n; other control characters
 * dropped); DTSTAMP and a stable UID on every component.
 *
 * Ownership: returned strings are the caller's (free()).
 */
#ifndef XRM_IO_ICAL_H
#define XRM_IO_ICAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/*
 * Appends one content line "name:value" (name may carry parameters, e.g.
 * "DTSTART;VALUE=DATE"), folded, with CRLF. value is written as given.
 */
void xrm_ical_line(struct xrm_buf *b, const char *name, const char *value);
/* As xrm_ical_line, with value escaped as an RFC 5545 TEXT value. */
void xrm_ical_text(struct xrm_buf *b, const char *name, const char *value);

/* Between the subject and the parties' names in a SUMMARY ("Bellen — Jansen BV"). */
#define XRM_ICAL_PARTY_SEP " \xe2\x80\x94 "

/* How one activity is written as a component. */
struct xrm_ical_item {
    const char *uid;      /* NULL: the stable "xrm-activity-<id>@xrm" */
    const char *dtstamp;  /* "YYYYMMDDTHHMMSSZ"; NULL: the activity's updated_at */
    const char *base_url; /* the web app ("https://xrm.example.nl"), for URL; or NULL */
    bool todo;            /* a task as VTODO (else as VEVENT) */
    bool feed;            /* the feed's DESCRIPTION (body, parties, link); else the body */
};

/*
 * Appends one component for activity a (activity.h JSON, with optionally
 * "party_names": ["Jansen BV", ...] and "link": the record's path in the
 * web app, "/parties/12"): a meeting as VEVENT (an hour from its due time,
 * or all day for a date), a task as VEVENT (half an hour, or all day) or,
 * with it->todo, as VTODO (DUE when it has one, STATUS, COMPLETED). The
 * SUMMARY is the subject and the parties' names (xrm_ical_summary), URL
 * the link under base_url, SEQUENCE the version - 1, X-XRM-DOMAIN the
 * domain (not in the feed). False, appending nothing, for another type of
 * activity or an event without a due date.
 */
bool xrm_ical_activity(struct xrm_buf *b, json_t *a, const struct xrm_ical_item *it);

/* The SUMMARY of a: its subject, then XRM_ICAL_PARTY_SEP and the parties' names, if any. */
void xrm_ical_summary(struct xrm_buf *b, json_t *a);

/*
 * One calendar object as CalDAV serves it: a VCALENDAR (no METHOD) with
 * the one component of xrm_ical_activity; NULL when that writes none.
 */
char *xrm_ical_object(json_t *a, const struct xrm_ical_item *it, size_t *len);

/*
 * The feed: a VCALENDAR named calname with one component per activity of
 * items (as xrm_ical_activity, with it->feed: the DESCRIPTION holds the
 * body, the parties' names and the link back). now stamps DTSTAMP;
 * base_url (or NULL) is the web app's address. *len gets the length.
 */
char *xrm_ical_feed(json_t *items, const char *calname, int64_t now, bool todo,
                    const char *base_url, size_t *len);

#endif
