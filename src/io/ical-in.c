/*
 * iCalendar input by libical: one calendar object from a CalDAV client
 * into the neutral JSON shape of ical-in.h.
 *
 * libical is lenient: what it cannot read it keeps as X-LIC-ERROR
 * properties instead of failing, so those are looked for and refused.
 * Its errors are made non-fatal once (by default a libical error may
 * abort the process); icalerrno is per thread.
 */
#include "io/ical-in.h"
#include "io/text.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/util.h"
#include "core/validate.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* Floating times (no Z, no TZID) are read in this zone. */
#define LOCAL_ZONE "Europe/Amsterdam"

static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static void setup(void)
{
    icalerror_set_errors_are_fatal(0);
}

static const char *kind_name(icalcomponent_kind k)
{
    return k == ICAL_VTODO_COMPONENT ? "VTODO" : "VEVENT";
}

/* The first X-LIC-ERROR of c, or NULL. */
static const char *parse_error(icalcomponent *c)
{
    icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    return p ? icalproperty_get_xlicerror(p) : NULL;
}

/*
 * The one VTODO or VEVENT of root; any other component but VTIMEZONE, or a
 * second one, is refused.
 */
static enum xrm_rc the_component(icalcomponent *root, icalcomponent **out, struct xrm_err *err)
{
    icalcomponent *found = NULL;
    for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
        icalcomponent_kind k = icalcomponent_isa(c);
        if (k == ICAL_VTIMEZONE_COMPONENT)
            continue;
        if (k != ICAL_VTODO_COMPONENT && k != ICAL_VEVENT_COMPONENT)
            return xrm_errf(err, XRM_E_INVALID,
                            "a calendar object here holds one VTODO or VEVENT, not a %s",
                            icalcomponent_kind_to_string(k));
        if (found)
            return xrm_errf(err, XRM_E_INVALID,
                            "a calendar object here holds one VTODO or VEVENT, not several");
        found = c;
    }
    if (!found)
        return xrm_errf(err, XRM_E_INVALID, "the calendar object holds no VTODO or VEVENT");
    *out = found;
    return XRM_OK;
}

/* The zone of time property p: its TZID through root's VTIMEZONEs or libical's zones. */
static enum xrm_rc zone_of(icalcomponent *root, icalproperty *p, icaltimezone **zone,
                           struct xrm_err *err)
{
    icalparameter *tp = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
    const char *tzid = tp ? icalparameter_get_tzid(tp) : NULL;
    *zone = NULL;
    if (!tzid)
        return XRM_OK;
    *zone = icalcomponent_get_timezone(root, tzid);
    if (!*zone)
        *zone = icaltimezone_get_builtin_timezone(tzid);
    if (!*zone)
        *zone = icaltimezone_get_builtin_timezone_from_tzid(tzid);
    if (!*zone)
        return xrm_errf(err, XRM_E_INVALID, "unknown time zone '%.80s' in %s", tzid,
                        icalproperty_get_property_name(p));
    return XRM_OK;
}

/*
 * Property kind of c as "YYYY-MM-DD" or a UTC time under key (nothing when
 * absent).
 */
static enum xrm_rc read_time(icalcomponent *root, icalcomponent *c, icalproperty_kind kind,
                             const char *key, json_t *out, struct xrm_err *err)
{
    icalproperty *p = icalcomponent_get_first_property(c, kind);
    if (!p)
        return XRM_OK;
    const char *name = icalproperty_get_property_name(p);
    icalvalue *v = icalproperty_get_value(p);
    icalvalue_kind vk = v ? icalvalue_isa(v) : ICAL_NO_VALUE;
    if (vk != ICAL_DATE_VALUE && vk != ICAL_DATETIME_VALUE)
        return xrm_errf(err, XRM_E_INVALID, "%s must be a date or a date-time", name);
    struct icaltimetype t = icalvalue_get_datetime(v);
    if (icaltime_is_null_time(t) || !icaltime_is_valid_time(t) || t.year < 1900 || t.year > 2999)
        return xrm_errf(err, XRM_E_INVALID, "%s is not a valid date", name);
    char d[XRM_DATE_LEN];
    snprintf(d, sizeof(d), "%04d-%02d-%02d", t.year, t.month, t.day);
    if (!xrm_valid_date(d) || t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
        t.second < 0 || t.second > 60) /* libical takes month 47 as it comes */
        return xrm_errf(err, XRM_E_INVALID, "%s is not a valid date", name);
    if (icaltime_is_date(t)) {
        json_object_set_new(out, key, json_string(d));
        return XRM_OK;
    }
    icaltimezone *zone = NULL;
    if (icaltime_is_utc(t)) {
        zone = icaltimezone_get_utc_timezone();
    } else {
        enum xrm_rc rc = zone_of(root, p, &zone, err);
        if (rc)
            return rc;
        if (!zone) /* floating */
            zone = icaltimezone_get_builtin_timezone(LOCAL_ZONE);
        if (!zone)
            return xrm_errf(err, XRM_E_INTERNAL, "time zone " LOCAL_ZONE " is not installed");
    }
    char iso[XRM_TIME_LEN];
    xrm_time_format((int64_t)icaltime_as_timet_with_zone(t, zone), iso);
    json_object_set_new(out, key, json_string(iso));
    return XRM_OK;
}

static void set_text(json_t *out, const char *key, const char *s)
{
    if (s)
        json_object_set_new(out, key, json_string(s));
}

/* CATEGORIES (every property, each a comma list libical splits or not). */
static void read_categories(icalcomponent *c, json_t *out)
{
    json_t *cats = json_array();
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_CATEGORIES_PROPERTY)) {
        const char *s = icalproperty_get_categories(p);
        while (s && *s) {
            const char *e = strchr(s, ',');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if (n > 0)
                json_array_append_new(cats, json_stringn(s, n));
            s = e ? e + 1 : NULL;
        }
    }
    json_object_set_new(out, "categories", cats);
}

static const char *x_value(icalcomponent *c, const char *name)
{
    for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(c, ICAL_X_PROPERTY)) {
        const char *x = icalproperty_get_x_name(p);
        if (x && strcasecmp(x, name) == 0)
            return icalproperty_get_x(p);
    }
    return NULL;
}

static enum xrm_rc read_component(icalcomponent *root, icalcomponent *c, json_t *out,
                                  struct xrm_err *err)
{
    static const icalproperty_kind recurrence[] = {
        ICAL_RRULE_PROPERTY, ICAL_RDATE_PROPERTY, ICAL_RECURRENCEID_PROPERTY, ICAL_EXDATE_PROPERTY};
    icalcomponent_kind k = icalcomponent_isa(c);
    const char *e = parse_error(c);
    if (e)
        return xrm_errf(err, XRM_E_MALFORMED, "cannot read the %s: %.160s", kind_name(k), e);
    for (size_t i = 0; i < sizeof(recurrence) / sizeof(recurrence[0]); i++)
        if (icalcomponent_get_first_property(c, recurrence[i]))
            return xrm_errf(err, XRM_E_INVALID,
                            "recurring tasks and meetings are not supported (%s)",
                            icalproperty_kind_to_string(recurrence[i]));
    const char *uid = icalcomponent_get_uid(c);
    if (!uid || !*uid)
        return xrm_errf(err, XRM_E_INVALID, "the %s has no UID", kind_name(k));
    json_object_set_new(out, "component", json_string(kind_name(k)));
    set_text(out, "uid", uid);
    set_text(out, "summary", icalcomponent_get_summary(c));
    set_text(out, "description", icalcomponent_get_description(c));
    enum xrm_rc rc = read_time(root, c, ICAL_DTSTART_PROPERTY, "dtstart", out, err);
    if (!rc && k == ICAL_VTODO_COMPONENT)
        rc = read_time(root, c, ICAL_DUE_PROPERTY, "due", out, err);
    if (!rc && k == ICAL_VEVENT_COMPONENT)
        rc = read_time(root, c, ICAL_DTEND_PROPERTY, "dtend", out, err);
    if (!rc)
        rc = read_time(root, c, ICAL_COMPLETED_PROPERTY, "completed", out, err);
    if (rc)
        return rc;
    icalproperty *p = icalcomponent_get_first_property(c, ICAL_STATUS_PROPERTY);
    if (p)
        set_text(out, "status", icalproperty_status_to_string(icalproperty_get_status(p)));
    p = icalcomponent_get_first_property(c, ICAL_PRIORITY_PROPERTY);
    if (p) {
        int prio = icalproperty_get_priority(p);
        if (prio < 0 || prio > 9)
            return xrm_errf(err, XRM_E_INVALID, "PRIORITY must be 0 to 9");
        json_object_set_new(out, "priority", json_integer(prio));
    }
    read_categories(c, out);
    set_text(out, "domain", x_value(c, "X-XRM-DOMAIN"));
    return XRM_OK;
}

enum xrm_rc xrm_ical_read(const char *text, size_t len, json_t **out, struct xrm_err *err)
{
    icalcomponent *root = NULL, *c = NULL;
    json_t *res = NULL;
    char *s = NULL;
    enum xrm_rc rc = XRM_OK;

    pthread_once(&setup_once, setup);
    if (len > XRM_ICAL_IN_MAX)
        return xrm_errf(err, XRM_E_LIMIT, "the calendar object is larger than %d bytes",
                        XRM_ICAL_IN_MAX);
    if (!xrm_text_utf8_valid(text, len))
        return xrm_errf(err, XRM_E_MALFORMED, "the calendar object is not UTF-8 text");
    s = xrm_strndup(text, len);
    icalerror_clear_errno();
    root = icalparser_parse_string(s);
    if (!root || icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
        rc = xrm_errf(err, XRM_E_MALFORMED,
                      root && icalcomponent_isa(root) == ICAL_XROOT_COMPONENT
                          ? "one VCALENDAR per calendar object"
                          : "not an iCalendar object (BEGIN:VCALENDAR ... END:VCALENDAR)");
        goto out;
    }
    const char *e = parse_error(root);
    if (e) {
        rc = xrm_errf(err, XRM_E_MALFORMED, "cannot read the calendar object: %.160s", e);
        goto out;
    }
    rc = the_component(root, &c, err);
    if (rc)
        goto out;
    res = json_object();
    rc = read_component(root, c, res, err);
    if (rc)
        goto out;
    *out = res;
    res = NULL;
out:
    json_decref(res);
    if (root)
        icalcomponent_free(root);
    free(s);
    return rc;
}
