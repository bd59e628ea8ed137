/*
 * libFuzzer target: the iCalendar reader of CalDAV objects (io/ical-in.c,
 * libical). Any input is read or refused with a message, never crashes;
 * what is read has a component and a UID, and its times are UTC times or
 * dates xrm reads back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/clock.h"
#include "core/validate.h"
#include "io/ical-in.h"

static void check_time(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    int64_t t;
    if (!v)
        return;
    const char *s = json_string_value(v);
    if (!s || !(xrm_valid_date(s) || xrm_time_parse(s, &t)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *o = NULL;
    struct xrm_err err = XRM_ERR_INIT;
    enum xrm_rc rc = xrm_ical_read((const char *)data, size, &o, &err);
    if (rc) {
        if (o || !err.message[0])
            abort();
        return 0;
    }
    const char *comp = json_string_value(json_object_get(o, "component"));
    if (!comp || (strcmp(comp, "VTODO") != 0 && strcmp(comp, "VEVENT") != 0))
        abort();
    if (!json_is_string(json_object_get(o, "uid")))
        abort();
    static const char *const times[] = {"due", "dtstart", "dtend", "completed"};
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
        check_time(o, times[i]);
    json_decref(o);
    return 0;
}
