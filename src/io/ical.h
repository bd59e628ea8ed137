/*
 * iCalendar (RFC 5545) output: the calendar feed of tasks and meetings that
 * calendar apps subscribe to.
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

/*
 * The feed: a VCALENDAR named calname with one component per activity of
 * items (activity.h JSON with a "due"): meetings as VEVENT (an hour from
 * their due time, or all day for a date), tasks as VEVENT (half an hour, or
 * all day) or, with todo, as VTODO (DUE, STATUS). now stamps DTSTAMP.
 * *len gets the length.
 */
char *xrm_ical_feed(json_t *items, const char *calname, int64_t now, bool todo, size_t *len);

#endif
