/*
 * The iCalendar writer and the task / meeting feed (RFC 5545).
 *
 * Folding counts octets, as the RFC does: a content line is cut before the
 * octet that would make it longer than 75, moved back to the start of a
 * UTF-8 sequence, and continued after CRLF and one space (which counts
 * toward the next line's 75). Times are written in UTC ("Z" form) and
 * all-day items as DATE values, so no VTIMEZONE is needed.
 */
#include "io/ical.h"
#include "core/clock.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define LINE_MAX_OCTETS 75
#define TASK_MINUTES 30
#define MEETING_MINUTES 60

void xrm_ical_line(struct xrm_buf *b, const char *name, const char *value)
{
    struct xrm_buf line = XRM_BUF_INIT;
    xrm_buf_adds(&line, name);
    xrm_buf_addc(&line, ':');
    xrm_buf_adds(&line, value ? value : "");
    size_t pos = 0, room = LINE_MAX_OCTETS;
    while (line.len - pos > room) {
        size_t cut = pos + room;
        while (cut > pos && ((unsigned char)line.s[cut] & 0xc0) == 0x80)
            cut--;
        xrm_buf_add(b, line.s + pos, cut - pos);
        xrm_buf_adds(b, "\r\n ");
        pos = cut;
        room = LINE_MAX_OCTETS - 1;
    }
    xrm_buf_add(b, line.s + pos, line.len - pos);
    xrm_buf_adds(b, "\r\n");
    xrm_buf_release(&line);
}

void xrm_ical_text(struct xrm_buf *b, const char *name, const char *value)
{
    struct xrm_buf v = XRM_BUF_INIT;
    for (const char *p = value ? value : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' || c == ';' || c == ',') {
            xrm_buf_addc(&v, '\\');
            xrm_buf_addc(&v, (char)c);
        } else if (c == '\n') {
            xrm_buf_adds(&v, "\\n");
        } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
            continue; /* CR and other controls are not allowed in TEXT */
        } else {
            xrm_buf_addc(&v, (char)c);
        }
    }
    xrm_ical_line(b, name, v.s);
    xrm_buf_release(&v);
}

/* "YYYYMMDDTHHMMSSZ" of t. */
static void ical_time(int64_t t, char out[17])
{
    char iso[XRM_TIME_LEN];
    xrm_time_format(t, iso);
    snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
             iso + 17);
}

/* "YYYYMMDD" of a "YYYY-MM-DD". */
static void ical_date(const char *d, char out[9])
{
    snprintf(out, 9, "%.4s%.2s%.2s", d, d + 5, d + 8);
}

/* A stored time stamp as an iCalendar UTC time; false when it is not one. */
static bool stamp(const char *iso, char out[17])
{
    int64_t t;
    if (!iso || strlen(iso) != 20 || !xrm_time_parse(iso, &t))
        return false;
    ical_time(t, out);
    return true;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* DTSTART / DTEND (or DUE for a VTODO) of an item due at due. */
static bool write_when(struct xrm_buf *b, const char *due, bool todo, int minutes)
{
    char d[9], t1[17], t2[17], next[XRM_DATE_LEN];
    int64_t t;
    if (!due)
        return false;
    if (strlen(due) == 10) {
        if (!xrm_date_add_days(due, 1, next))
            return false;
        ical_date(due, d);
        if (todo) {
            xrm_ical_line(b, "DUE;VALUE=DATE", d);
            return true;
        }
        xrm_ical_line(b, "DTSTART;VALUE=DATE", d);
        ical_date(next, d);
        xrm_ical_line(b, "DTEND;VALUE=DATE", d);
        return true;
    }
    if (!xrm_time_parse(due, &t))
        return false;
    ical_time(t, t1);
    if (todo) {
        xrm_ical_line(b, "DUE", t1);
        return true;
    }
    ical_time(t + (int64_t)minutes * 60, t2);
    xrm_ical_line(b, "DTSTART", t1);
    xrm_ical_line(b, "DTEND", t2);
    return true;
}

/* The parties' names of a, ", " between them ("" when none). */
static void party_names(struct xrm_buf *b, json_t *a)
{
    size_t i;
    json_t *n;
    json_array_foreach(json_object_get(a, "party_names"), i, n)
    {
        if (!json_is_string(n))
            continue;
        if (b->len)
            xrm_buf_adds(b, ", ");
        xrm_buf_adds(b, json_string_value(n));
    }
}

void xrm_ical_summary(struct xrm_buf *b, json_t *a)
{
    struct xrm_buf names = XRM_BUF_INIT;
    party_names(&names, a);
    xrm_buf_adds(b, str(a, "subject") ? str(a, "subject") : "");
    if (names.len) {
        xrm_buf_adds(b, XRM_ICAL_PARTY_SEP);
        xrm_buf_add(b, names.s, names.len);
    }
    xrm_buf_release(&names);
}

/* The feed's DESCRIPTION: the body, the parties, the link back. */
static void feed_description(struct xrm_buf *item, json_t *a, const char *url)
{
    struct xrm_buf d = XRM_BUF_INIT, names = XRM_BUF_INIT;
    party_names(&names, a);
    if (str(a, "body"))
        xrm_buf_adds(&d, str(a, "body"));
    if (names.len) {
        xrm_buf_adds(&d, d.len ? "\n\n" : "");
        xrm_buf_add(&d, names.s, names.len);
    }
    if (url) {
        xrm_buf_adds(&d, d.len ? "\n" : "");
        xrm_buf_adds(&d, url);
    }
    if (d.len)
        xrm_ical_text(item, "DESCRIPTION", d.s);
    xrm_buf_release(&d);
    xrm_buf_release(&names);
}

bool xrm_ical_activity(struct xrm_buf *b, json_t *a, const struct xrm_ical_item *it)
{
    const char *type = str(a, "type");
    bool meeting = type && strcmp(type, "meeting") == 0;
    bool task = type && strcmp(type, "task") == 0;
    bool todo = task && it->todo;
    bool done = json_is_true(json_object_get(a, "done"));
    char uid[96], t[17], num[32];
    if (!meeting && !task)
        return false;
    const char *comp = todo ? "VTODO" : "VEVENT";
    struct xrm_buf item = XRM_BUF_INIT, text = XRM_BUF_INIT, url = XRM_BUF_INIT;
    xrm_ical_line(&item, "BEGIN", comp);
    snprintf(uid, sizeof(uid), "xrm-activity-%lld@xrm",
             (long long)json_integer_value(json_object_get(a, "id")));
    xrm_ical_text(&item, "UID", it->uid ? it->uid : uid);
    if (it->dtstamp)
        xrm_ical_line(&item, "DTSTAMP", it->dtstamp);
    else if (stamp(str(a, "updated_at"), t))
        xrm_ical_line(&item, "DTSTAMP", t);
    if (stamp(str(a, "created_at"), t))
        xrm_ical_line(&item, "CREATED", t);
    if (stamp(str(a, "updated_at"), t))
        xrm_ical_line(&item, "LAST-MODIFIED", t);
    json_int_t version = json_integer_value(json_object_get(a, "version"));
    snprintf(num, sizeof(num), "%lld", (long long)(version > 0 ? version - 1 : 0));
    xrm_ical_line(&item, "SEQUENCE", num);
    bool when = write_when(&item, str(a, "due"), todo, meeting ? MEETING_MINUTES : TASK_MINUTES);
    if (!when && !todo) { /* an event needs a start */
        xrm_buf_release(&item);
        return false;
    }
    if (task && done && !todo)
        xrm_buf_adds(&text, "[klaar] ");
    xrm_ical_summary(&text, a);
    xrm_ical_text(&item, "SUMMARY", text.s);
    if (it->base_url && str(a, "link")) {
        xrm_buf_adds(&url, it->base_url);
        xrm_buf_adds(&url, str(a, "link"));
    }
    if (it->feed)
        feed_description(&item, a, url.len ? url.s : NULL);
    else if (str(a, "body"))
        xrm_ical_text(&item, "DESCRIPTION", str(a, "body"));
    if (url.len)
        xrm_ical_line(&item, "URL;VALUE=URI", url.s);
    xrm_ical_text(&item, "CATEGORIES", task ? "Taak" : "Afspraak");
    if (!it->feed && str(a, "domain"))
        xrm_ical_text(&item, "X-XRM-DOMAIN", str(a, "domain"));
    if (todo) {
        xrm_ical_line(&item, "STATUS", done ? "COMPLETED" : "NEEDS-ACTION");
        if (done && stamp(str(a, "updated_at"), t))
            xrm_ical_line(&item, "COMPLETED", t);
    } else {
        xrm_ical_line(&item, "TRANSP", task ? "TRANSPARENT" : "OPAQUE");
    }
    xrm_ical_line(&item, "END", comp);
    xrm_buf_add(b, item.s, item.len);
    xrm_buf_release(&item);
    xrm_buf_release(&text);
    xrm_buf_release(&url);
    return true;
}

static void calendar_begin(struct xrm_buf *b)
{
    xrm_ical_line(b, "BEGIN", "VCALENDAR");
    xrm_ical_line(b, "VERSION", "2.0");
    xrm_ical_line(b, "PRODID", "-//xrm//xrm 0.1//NL");
    xrm_ical_line(b, "CALSCALE", "GREGORIAN");
}

char *xrm_ical_object(json_t *a, const struct xrm_ical_item *it, size_t *len)
{
    struct xrm_buf b = XRM_BUF_INIT;
    calendar_begin(&b);
    if (!xrm_ical_activity(&b, a, it)) {
        xrm_buf_release(&b);
        return NULL;
    }
    xrm_ical_line(&b, "END", "VCALENDAR");
    return xrm_buf_detach(&b, len);
}

char *xrm_ical_feed(json_t *items, const char *calname, int64_t now, bool todo,
                    const char *base_url, size_t *len)
{
    struct xrm_buf b = XRM_BUF_INIT;
    char dtstamp[17];
    ical_time(now, dtstamp);
    struct xrm_ical_item it = {
        .dtstamp = dtstamp, .todo = todo, .base_url = base_url, .feed = true};
    calendar_begin(&b);
    xrm_ical_line(&b, "METHOD", "PUBLISH");
    xrm_ical_text(&b, "X-WR-CALNAME", calname);
    xrm_ical_line(&b, "REFRESH-INTERVAL;VALUE=DURATION", "PT15M");
    xrm_ical_line(&b, "X-PUBLISHED-TTL", "PT15M");
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a) xrm_ical_activity(&b, a, &it);
    xrm_ical_line(&b, "END", "VCALENDAR");
    return xrm_buf_detach(&b, len);
}
