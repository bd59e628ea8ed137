/*
 * The XML of the WebDAV layer (http/dav.c), on libxml2: reading request
 * bodies safely and writing multistatus and error answers. Private to
 * http/dav*.c.
 *
 * Request bodies are parsed without entity substitution, DTD loading or
 * network access; a body with a DOCTYPE or an entity declaration is refused
 * before it is parsed, as is one over the caller's cap.
 */
#ifndef XRM_HTTP_DAV_XML_H
#define XRM_HTTP_DAV_XML_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"

#define XRM_NS_DAV "DAV:"
#define XRM_NS_CARD "urn:ietf:params:xml:ns:carddav"
#define XRM_NS_CAL "urn:ietf:params:xml:ns:caldav"
#define XRM_NS_CS "http://calendarserver.org/ns/"
#define XRM_NS_ICAL "http://apple.com/ns/ical/"
#define XRM_NS_XRM "http://xrm.invalid/ns/dav"

/*
 * Parses a request body of at most max bytes. NULL on failure with a message for the client in
 * msg (no DTDs or entities, not well-formed, too large). Free with xmlFreeDoc.
 */
xmlDocPtr xrm_dav_xml_parse(const char *body, size_t len, size_t max, char *msg, size_t n);

/* True when node is an element named name in namespace ns. */
bool xrm_dav_xml_is(const xmlNode *node, const char *ns, const char *name);
/* The first child element of node named name in ns, or NULL. */
xmlNodePtr xrm_dav_xml_child(const xmlNode *node, const char *ns, const char *name);
/* The next element sibling of node (node itself excluded), or NULL. */
xmlNodePtr xrm_dav_xml_next(xmlNodePtr node);
/* The first child element of node, or NULL. */
xmlNodePtr xrm_dav_xml_first(const xmlNode *node);
/* The text of node, trimmed, malloc'd (never NULL). */
char *xrm_dav_xml_text(const xmlNode *node);

/* A multistatus answer being built. */
struct xrm_dav_ms {
    xmlDocPtr doc;
    xmlNodePtr root;
};

void xrm_dav_ms_init(struct xrm_dav_ms *ms);
void xrm_dav_ms_release(struct xrm_dav_ms *ms);
/* Appends <d:response><d:href>href</d:href></d:response>; returns the response element. */
xmlNodePtr xrm_dav_ms_response(struct xrm_dav_ms *ms, const char *href);
/* Appends <d:status>HTTP/1.1 status text</d:status> to parent. */
void xrm_dav_ms_status(struct xrm_dav_ms *ms, xmlNodePtr parent, int status);
/*
 * Appends an element name in namespace ns (declared on the root for the
 * namespaces of this file, on the element itself for any other), with text
 * (escaped) unless NULL. Returns it.
 */
xmlNodePtr xrm_dav_ms_add(struct xrm_dav_ms *ms, xmlNodePtr parent, const char *ns,
                          const char *name, const char *text);
/* Sends the document as the body of resp with status (207 for a multistatus). */
void xrm_dav_ms_send(struct xrm_dav_ms *ms, struct xrm_resp *resp, int status);

/*
 * An error answer: status with <d:error> holding the precondition element
 * (ns, name; none when name is NULL) and the human text message.
 */
void xrm_dav_error(struct xrm_resp *resp, int status, const char *ns, const char *name,
                   const char *message);

#endif
