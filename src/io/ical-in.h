/*
 * iCalendar (RFC 5545) input: one calendar object as a CalDAV client sends
 * it (a VCALENDAR with exactly one VTODO or VEVENT, and the VTIMEZONEs its
 * times refer to), parsed by libical into a neutral JSON shape:
 *
 *   {"component": "VTODO" | "VEVENT", "uid", "summary", "description",
 *    "due", "dtstart", "dtend", "status" ("NEEDS-ACTION", "COMPLETED", ...),
 *    "completed", "priority" (0-9), "categories": [...], "domain"}
 *
 * Keys only when present (categories may be empty). "domain" is the value
 * of an X-XRM-DOMAIN property. Times are UTC "YYYY-MM-DDTHH:MM:SSZ": a
 * time with a TZID is converted through the object's VTIMEZONE (or the
 * zone of that name libical knows, such as "Europe/Amsterdam"), a floating
 * time is read as Dutch local time. DATE values stay "YYYY-MM-DD" (dtend
 * of an all-day event is the day after, as the RFC has it).
 *
 * Refused with a message a client can show: more than XRM_ICAL_IN_MAX
 * bytes (XRM_E_LIMIT), text that is not UTF-8 or not iCalendar, no
 * VCALENDAR, zero or several VTODO / VEVENT components, other components
 * but VTIMEZONE, no UID, a recurrence (RRULE, RDATE, RECURRENCE-ID: xrm
 * keeps single tasks and meetings), a time in an unknown zone, a property
 * libical could not read (XRM_E_INVALID or XRM_E_MALFORMED).
 *
 * Ownership: *out is a new reference.
 */
#ifndef XRM_IO_ICAL_IN_H
#define XRM_IO_ICAL_IN_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

#define XRM_ICAL_IN_MAX (256 * 1024)

enum xrm_rc xrm_ical_read(const char *text, size_t len, json_t **out, struct xrm_err *err);

#endif
