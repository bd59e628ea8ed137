/*
 * UTF-8 validation and character-set conversion for the readers of
 * imported files. Conversion goes through iconv in blocks of a fixed size,
 * so its output buffer does not depend on the input's length.
 */
#include "io/text.h"

#include <errno.h>

#include "core/banned.h"

bool xrm_text_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    while (s < end) {
        unsigned c = *s;
        if (c < 0x80) {
            if (c == 0)
                return false;
            s++;
            continue;
        }
        size_t len;
        unsigned cp, min;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if ((size_t)(end - s) < len)
            return false;
        for (size_t i = 1; i < len; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        s += len;
    }
    return true;
}

void xrm_text_iconv(iconv_t cd, struct xrm_buf *out, const char *s, size_t n)
{
    char block[1024];
    char *in = (char *)s;
    size_t left = n;
    iconv(cd, NULL, NULL, NULL, NULL);
    while (left > 0) {
        char *o = block;
        size_t room = sizeof(block);
        size_t r = iconv(cd, &in, &left, &o, &room);
        xrm_buf_add(out, block, (size_t)(o - block));
        if (r == (size_t)-1 && errno != E2BIG) {
            /* EILSEQ or EINVAL: an undefined or incomplete byte */
            xrm_buf_adds(out, "\xef\xbf\xbd");
            in++;
            left--;
        }
    }
    char *o = block;
    size_t room = sizeof(block);
    iconv(cd, NULL, NULL, &o, &room);
    xrm_buf_add(out, block, (size_t)(o - block));
}

bool xrm_text_to_utf8(struct xrm_buf *out, const char *s, size_t n, const char *charset)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return false;
    xrm_text_iconv(cd, out, s, n);
    iconv_close(cd);
    return true;
}
