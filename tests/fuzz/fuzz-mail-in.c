/*
 * libFuzzer target: the parser of received mail. Any input is parsed or
 * refused without a crash or a leak; what it accepts has a From address, a
 * Message-ID, UTF-8 subject and text within their caps, and its JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "io/mail-in.h"
#include "io/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xrm_mail_in *m = NULL;
    char msg[256];
    int code = 0;
    if (xrm_mail_in_parse(data, size, &m, &code, msg, sizeof msg) != 0) {
        if (m || !msg[0] || (code != 1 && code != 2))
            __builtin_trap();
        return 0;
    }
    if (!m->from.addr || !strchr(m->from.addr, '@') || !m->message_id || !m->message_id[0])
        __builtin_trap();
    if (strlen(m->text) > XRM_MAIL_IN_MAX_TEXT || strlen(m->subject) > XRM_MAIL_IN_MAX_SUBJECT)
        __builtin_trap();
    if (!xrm_text_utf8_valid(m->text, strlen(m->text)) ||
        !xrm_text_utf8_valid(m->subject, strlen(m->subject)))
        __builtin_trap();
    json_t *j = xrm_mail_in_json(m);
    if (!j)
        __builtin_trap();
    json_decref(j);
    xrm_mail_in_free(m);
    return 0;
}
