/*
 * libFuzzer target: WebDAV request bodies (http/dav-xml.c). Any input is
 * read without a crash or a leak; one with a DOCTYPE or an entity
 * declaration is always refused; what is accepted is walked as http/dav.c
 * walks a PROPFIND or REPORT (elements, their text) and its element names
 * and namespaces echoed into a multistatus answer, which must serialise.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/dav-xml.h"

static bool has_decl(const uint8_t *data, size_t size)
{
    static const char *const marks[] = {"<!doctype", "<!entity"};
    for (size_t i = 0; i < size; i++)
        for (size_t m = 0; m < 2; m++) {
            size_t n = strlen(marks[m]);
            if (i + n <= size && strncasecmp((const char *)data + i, marks[m], n) == 0)
                return true;
        }
    return false;
}

static void walk(struct xrm_dav_ms *ms, xmlNodePtr parent, const xmlNode *node, int depth)
{
    for (xmlNodePtr c = xrm_dav_xml_first(node); c && depth < 8; c = xrm_dav_xml_next(c)) {
        const char *ns = c->ns && c->ns->href ? (const char *)c->ns->href : "";
        char *text = xrm_dav_xml_text(c);
        xmlNodePtr el = xrm_dav_ms_add(ms, parent, ns, (const char *)c->name, text);
        free(text);
        walk(ms, el, c, depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[200];
    xmlDocPtr doc = xrm_dav_xml_parse((const char *)data, size, 64 * 1024, msg, sizeof(msg));
    if (!doc) {
        if (!msg[0])
            __builtin_trap();
        return 0;
    }
    if (has_decl(data, size) || doc->intSubset)
        __builtin_trap();
    struct xrm_dav_ms ms;
    xrm_dav_ms_init(&ms);
    xmlNodePtr r = xrm_dav_ms_response(&ms, "/dav/");
    xrm_dav_ms_status(&ms, r, 200);
    walk(&ms, r, xmlDocGetRootElement(doc), 0);
    struct xrm_resp resp;
    memset(&resp, 0, sizeof(resp));
    xrm_dav_ms_send(&ms, &resp, 207);
    if (resp.status != 207 || !resp.raw || resp.raw_len < 20)
        __builtin_trap();
    free(resp.raw);
    xrm_dav_ms_release(&ms);
    xmlFreeDoc(doc);
    return 0;
}
