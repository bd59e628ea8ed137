/*
 * WebDAV XML on libxml2 (dav-xml.h): safe parsing of request bodies and the
 * tree of multistatus and error answers.
 */
#include "http/dav-xml.h"
#include "core/mem.h"
#include "core/messages.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

/* A DOCTYPE or an entity declaration anywhere, in any case: refused before parsing. */
static bool has_dtd(const char *xml, size_t len)
{
    static const char *const marks[] = {"<!doctype", "<!entity"};
    for (size_t i = 0; i + 2 < len; i++) {
        if (xml[i] != '<' || xml[i + 1] != '!')
            continue;
        for (size_t m = 0; m < 2; m++) {
            size_t n = strlen(marks[m]);
            if (i + n <= len && strncasecmp(xml + i, marks[m], n) == 0)
                return true;
        }
    }
    return false;
}

/* libxml2's globals, set up once before any thread uses the parser or the tree. */
static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

xmlDocPtr xrm_dav_xml_parse(const char *body, size_t len, size_t max, char *msg, size_t n)
{
    pthread_once(&xml_once, xml_init);
    msg[0] = '\0';
    if (!body || !len) {
        snprintf(msg, n, "%s", xrm_msg("the request needs an XML body"));
        return NULL;
    }
    if (len > max || len > INT32_MAX) {
        snprintf(msg, n, xrm_msg("the XML body is larger than %zu bytes"), max);
        return NULL;
    }
    if (has_dtd(body, len)) {
        snprintf(msg, n, "%s", xrm_msg("the XML has a DOCTYPE or entity declarations (refused)"));
        return NULL;
    }
    /* no XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no network */
    xmlDocPtr doc = xmlReadMemory(body, (int)len, "request.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        snprintf(msg, n, "%s", xrm_msg("the request body is not well-formed XML"));
        return NULL;
    }
    if (doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc);
        snprintf(msg, n, "%s", xrm_msg("the XML has a DOCTYPE or entity declarations (refused)"));
        return NULL;
    }
    return doc;
}

bool xrm_dav_xml_is(const xmlNode *node, const char *ns, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           strcmp((const char *)node->ns->href, ns) == 0 &&
           strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr xrm_dav_xml_next(xmlNodePtr node)
{
    for (node = node ? node->next : NULL; node; node = node->next)
        if (node->type == XML_ELEMENT_NODE)
            return node;
    return NULL;
}

xmlNodePtr xrm_dav_xml_first(const xmlNode *node)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

xmlNodePtr xrm_dav_xml_child(const xmlNode *node, const char *ns, const char *name)
{
    for (xmlNodePtr c = xrm_dav_xml_first(node); c; c = xrm_dav_xml_next(c))
        if (xrm_dav_xml_is(c, ns, name))
            return c;
    return NULL;
}

char *xrm_dav_xml_text(const xmlNode *node)
{
    xmlChar *t = node ? xmlNodeGetContent(node) : NULL;
    const char *s = t ? (const char *)t : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    char *out = xrm_calloc(1, n + 1);
    memcpy(out, s, n);
    xmlFree(t);
    return out;
}

/* The namespaces declared on the root of every answer, with their prefixes. */
static const char *const known_ns[][2] = {
    {XRM_NS_DAV, "d"}, {XRM_NS_CARD, "card"}, {XRM_NS_CAL, "cal"},
    {XRM_NS_CS, "cs"}, {XRM_NS_ICAL, "ical"}, {XRM_NS_XRM, "x"},
};

static xmlDocPtr new_doc(const char *root_name, xmlNodePtr *root)
{
    pthread_once(&xml_once, xml_init);
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    *root = xmlNewDocNode(doc, NULL, BAD_CAST root_name, NULL);
    xmlDocSetRootElement(doc, *root);
    for (size_t i = 0; i < sizeof(known_ns) / sizeof(known_ns[0]); i++) {
        xmlNsPtr ns = xmlNewNs(*root, BAD_CAST known_ns[i][0], BAD_CAST known_ns[i][1]);
        if (i == 0)
            xmlSetNs(*root, ns);
    }
    return doc;
}

void xrm_dav_ms_init(struct xrm_dav_ms *ms)
{
    ms->doc = new_doc("multistatus", &ms->root);
}

void xrm_dav_ms_release(struct xrm_dav_ms *ms)
{
    if (ms->doc)
        xmlFreeDoc(ms->doc);
    ms->doc = NULL;
    ms->root = NULL;
}

static xmlNodePtr add_in(xmlDocPtr doc, xmlNodePtr root, xmlNodePtr parent, const char *ns,
                         const char *name, const char *text)
{
    xmlNsPtr n = xmlSearchNsByHref(doc, root, BAD_CAST ns);
    xmlNodePtr el = text ? xmlNewTextChild(parent, n, BAD_CAST name, BAD_CAST text)
                         : xmlNewChild(parent, n, BAD_CAST name, NULL);
    if (!n && ns && *ns) {
        n = xmlNewNs(el, BAD_CAST ns, BAD_CAST "z");
        xmlSetNs(el, n);
    }
    return el;
}

xmlNodePtr xrm_dav_ms_add(struct xrm_dav_ms *ms, xmlNodePtr parent, const char *ns,
                          const char *name, const char *text)
{
    return add_in(ms->doc, ms->root, parent, ns, name, text);
}

xmlNodePtr xrm_dav_ms_response(struct xrm_dav_ms *ms, const char *href)
{
    xmlNodePtr r = xrm_dav_ms_add(ms, ms->root, XRM_NS_DAV, "response", NULL);
    xrm_dav_ms_add(ms, r, XRM_NS_DAV, "href", href);
    return r;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 507:
        return "Insufficient Storage";
    default:
        return "Error";
    }
}

void xrm_dav_ms_status(struct xrm_dav_ms *ms, xmlNodePtr parent, int status)
{
    char line[64];
    snprintf(line, sizeof(line), "HTTP/1.1 %d %s", status, reason(status));
    xrm_dav_ms_add(ms, parent, XRM_NS_DAV, "status", line);
}

static void send_doc(xmlDocPtr doc, struct xrm_resp *resp, int status)
{
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    resp->status = status;
    resp->raw = xrm_calloc(1, (size_t)(size > 0 ? size : 0) + 1);
    if (size > 0)
        memcpy(resp->raw, mem, (size_t)size);
    resp->raw_len = size > 0 ? (size_t)size : 0;
    resp->content_type = "application/xml; charset=utf-8";
    xmlFree(mem);
}

void xrm_dav_ms_send(struct xrm_dav_ms *ms, struct xrm_resp *resp, int status)
{
    send_doc(ms->doc, resp, status);
}

void xrm_dav_error(struct xrm_resp *resp, int status, const char *ns, const char *name,
                   const char *message)
{
    xmlNodePtr root;
    xmlDocPtr doc = new_doc("error", &root);
    if (name)
        add_in(doc, root, root, ns, name, NULL);
    if (message)
        add_in(doc, root, root, XRM_NS_XRM, "message", message);
    free(resp->raw);
    resp->raw = NULL;
    send_doc(doc, resp, status);
    xmlFreeDoc(doc);
}
