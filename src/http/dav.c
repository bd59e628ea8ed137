/*
 * The WebDAV protocol of CardDAV and CalDAV (dav.h), generic over the
 * collection kinds of domain/dav/dav.h: paths, methods, properties and
 * reports. The XML is read and written by dav-xml.c (libxml2); sync tokens
 * come from domain/dav/sync.c.
 *
 * GET and HEAD run like every GET, in a read snapshot on an I/O thread.
 * PROPFIND and REPORT may store a sync-token snapshot (a write), so they
 * run on the write workers with PUT and DELETE, never blocking an I/O
 * thread.
 */
#include "http/dav.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/messages.h"
#include "core/util.h"
#include "domain/dav/dav.h"
#include "domain/dav/sync.h"
#include "http/dav-xml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

#define DAV_HEADER "1, 3, addressbook, calendar-access"
#define DAV_ALLOW "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT"

/* The collection kinds, by their home's path segment. */
static const struct xrm_dav_kind *const kinds[] = {&xrm_carddav_kind, &xrm_caldav_kind};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const struct xrm_dav_kind *kind_by_home(const char *home)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i]->home, home) == 0)
            return kinds[i];
    return NULL;
}

static bool is_cards(const struct xrm_dav_kind *k)
{
    return strcmp(k->home, "addressbooks") == 0;
}

enum tkind { T_ROOT, T_PRINCIPALS, T_PRINCIPAL, T_HOME, T_COLL, T_RES };

/* What a path names. */
struct target {
    enum tkind t;
    const struct xrm_dav_kind *kind;    /* T_HOME, T_COLL, T_RES */
    char coll[XRM_DAV_NAME_LEN];        /* T_COLL, T_RES */
    char name[XRM_DAV_NAME_LEN];        /* T_RES */
    json_t *info;                       /* T_COLL: its entry of kind->collections (owned) */
    char etag[XRM_DAV_ETAG_LEN];        /* T_RES: when known ("" otherwise) */
    char token[XRM_DAV_SYNC_TOKEN_LEN]; /* T_COLL: the sync token, once computed */
};

static void target_release(struct target *t)
{
    json_decref(t->info);
    t->info = NULL;
}

/* The state of one request. */
struct dav {
    struct xrm_req *req;
    struct xrm_resp *resp;
    struct xrm_ctx *ctx;
    struct xrm_dav_ms ms;
    const char *accept; /* the version of the cards asked for (address-data, Accept) */
};

/* The string member key of o, or "". */
static const char *jstr(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* ---- paths and hrefs ---- */

static void href_seg(struct xrm_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || strchr("-._~@+=:,!$&'()*", *p))
            xrm_buf_addc(b, (char)*p);
        else {
            xrm_buf_addc(b, '%');
            xrm_buf_addc(b, hex[*p >> 4]);
            xrm_buf_addc(b, hex[*p & 15]);
        }
    }
}

/* The href of t (malloc'd): collections end in '/'. */
static char *href_of(const struct dav *d, const struct target *t)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 128);
    xrm_buf_adds(&b, "/dav/");
    switch (t->t) {
    case T_ROOT:
        break;
    case T_PRINCIPALS:
        xrm_buf_adds(&b, "principals/");
        break;
    case T_PRINCIPAL:
        xrm_buf_adds(&b, "principals/");
        href_seg(&b, d->ctx->user.name);
        xrm_buf_addc(&b, '/');
        break;
    case T_HOME:
    case T_COLL:
    case T_RES:
        xrm_buf_adds(&b, t->kind->home);
        xrm_buf_addc(&b, '/');
        href_seg(&b, d->ctx->user.name);
        xrm_buf_addc(&b, '/');
        if (t->t == T_HOME)
            break;
        href_seg(&b, t->coll);
        xrm_buf_addc(&b, '/');
        if (t->t == T_RES)
            href_seg(&b, t->name);
        break;
    }
    return xrm_buf_detach(&b, NULL);
}

static char *home_href(const struct dav *d, const char *home)
{
    struct xrm_buf b;
    xrm_buf_init(&b, 64);
    xrm_buf_addf(&b, "/dav/%s/", home);
    href_seg(&b, d->ctx->user.name);
    xrm_buf_addc(&b, '/');
    return xrm_buf_detach(&b, NULL);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s in place; false on a bad escape or a NUL. */
static bool unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '%') {
            int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);
            if (l < 0 || (h == 0 && l == 0))
                return false;
            *o++ = (char)(h * 16 + l);
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return true;
}

/*
 * Reads path (decoded, "/dav/...") into t: 0, or the status to answer (404
 * no such thing, 403 another user's). Looks the collection up for T_COLL
 * (not for T_RES: the kind's get says whether the resource exists).
 */
static int parse_path(struct dav *d, const char *path, struct target *t)
{
    char buf[1024];
    char *seg[6];
    int n = 0;
    memset(t, 0, sizeof(*t));
    if (strncmp(path, "/dav", 4) != 0 || (path[4] && path[4] != '/'))
        return 404;
    if (!xrm_strlcpy(buf, path + 4, sizeof(buf)))
        return 404;
    for (char *p = buf; *p;) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        if (n == 6)
            return 404;
        seg[n++] = p;
        p += strcspn(p, "/");
        if (*p)
            *p++ = '\0';
    }
    for (int i = 0; i < n; i++)
        if (strcmp(seg[i], ".") == 0 || strcmp(seg[i], "..") == 0)
            return 404;
    if (n == 0) {
        t->t = T_ROOT;
        return 0;
    }
    bool principals = strcmp(seg[0], "principals") == 0;
    t->kind = principals ? NULL : kind_by_home(seg[0]);
    if (!principals && !t->kind)
        return 404;
    if (n == 1) {
        if (!principals)
            return 404;
        t->t = T_PRINCIPALS;
        return 0;
    }
    if (strcmp(seg[1], d->ctx->user.name) != 0)
        return 403;
    if (principals) {
        t->t = T_PRINCIPAL;
        return n == 2 ? 0 : 404;
    }
    if (n == 2) {
        t->t = T_HOME;
        return 0;
    }
    if (n > 4 || !xrm_strlcpy(t->coll, seg[2], sizeof(t->coll)))
        return 404;
    if (n == 4) {
        t->t = T_RES;
        return xrm_strlcpy(t->name, seg[3], sizeof(t->name)) ? 0 : 404;
    }
    t->t = T_COLL;
    return 0;
}

/* The collections of kind (new reference), NULL on an error (resp filled). */
static json_t *collections(struct dav *d, const struct xrm_dav_kind *kind);

/* Fills t->info for a T_COLL (or a T_RES's collection): 0, 404, or 500 with resp filled. */
static int coll_info(struct dav *d, struct target *t)
{
    json_t *all = collections(d, t->kind);
    if (!all)
        return 500;
    size_t i;
    json_t *c;
    json_array_foreach(all, i, c)
    {
        if (strcmp(jstr(c, "name"), t->coll) == 0) {
            t->info = json_incref(c);
            break;
        }
    }
    json_decref(all);
    return t->info ? 0 : 404;
}

/* ---- answers ---- */

static void fail_status(struct dav *d, int status, const char *msg)
{
    xrm_dav_error(d->resp, status, NULL, NULL, xrm_msg(msg));
}

/* A domain error as an answer: the status of rc (response.c) and its message. */
static void fail_rc(struct dav *d, enum xrm_rc rc, const struct xrm_err *err, const char *ns,
                    const char *precondition)
{
    int status = xrm_status_for(rc);
    const char *msg = err && err->message[0] ? err->message : xrm_status_title(status);
    if (status == 500)
        msg = xrm_msg("internal error; the request was not carried out");
    xrm_dav_error(d->resp, status, status == 500 ? NULL : ns, status == 500 ? NULL : precondition,
                  msg);
}

static json_t *collections(struct dav *d, const struct xrm_dav_kind *kind)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *out = NULL;
    enum xrm_rc rc = kind->collections(d->ctx, &out, &err);
    if (rc) {
        fail_rc(d, rc, &err, NULL, NULL);
        return NULL;
    }
    return out;
}

/* ---- properties ---- */

static void add_href(struct dav *d, xmlNodePtr parent, const char *ns, const char *name,
                     char *href /* freed */)
{
    xmlNodePtr el = xrm_dav_ms_add(&d->ms, parent, ns, name, NULL);
    xrm_dav_ms_add(&d->ms, el, XRM_NS_DAV, "href", href);
    free(href);
}

static void add_report(struct dav *d, xmlNodePtr set, const char *ns, const char *name)
{
    xmlNodePtr sr = xrm_dav_ms_add(&d->ms, set, XRM_NS_DAV, "supported-report", NULL);
    xmlNodePtr r = xrm_dav_ms_add(&d->ms, sr, XRM_NS_DAV, "report", NULL);
    xrm_dav_ms_add(&d->ms, r, ns, name, NULL);
}

static char *principal_href(const struct dav *d)
{
    struct target p = {.t = T_PRINCIPAL};
    return href_of(d, &p);
}

static const char *media_of(const struct xrm_dav_kind *k)
{
    return is_cards(k) ? "text/vcard; charset=utf-8" : "text/calendar; charset=utf-8";
}

/* The collection's sync token, computed once per request; false on an error (logged as 500). */
static bool coll_token(struct dav *d, struct target *t)
{
    if (t->token[0])
        return true;
    struct xrm_err err = XRM_ERR_INIT;
    return xrm_dav_sync_token(d->ctx, t->kind, t->coll, t->token, NULL, &err) == XRM_OK;
}

/*
 * Appends property (ns, name) of t to prop and returns true, or false when
 * t has no such property. data: the resource's body for address-data and
 * calendar-data (REPORT), or NULL.
 */
static bool prop_value(struct dav *d, struct target *t, const char *ns, const char *name,
                       xmlNodePtr prop, const char *data)
{
    struct xrm_dav_ms *ms = &d->ms;
    bool coll = t->t == T_COLL, res = t->t == T_RES;
    if (strcmp(ns, XRM_NS_DAV) == 0) {
        if (strcmp(name, "resourcetype") == 0) {
            xmlNodePtr rt = xrm_dav_ms_add(ms, prop, ns, name, NULL);
            if (!res)
                xrm_dav_ms_add(ms, rt, ns, "collection", NULL);
            if (t->t == T_PRINCIPAL)
                xrm_dav_ms_add(ms, rt, ns, "principal", NULL);
            if (coll)
                xrm_dav_ms_add(ms, rt, is_cards(t->kind) ? XRM_NS_CARD : XRM_NS_CAL,
                               is_cards(t->kind) ? "addressbook" : "calendar", NULL);
            return true;
        }
        if (strcmp(name, "displayname") == 0 && !res) {
            const char *dn =
                t->t == T_ROOT         ? "xrm"
                : t->t == T_PRINCIPALS ? xrm_msg("Users")
                : t->t == T_PRINCIPAL  ? d->ctx->user.name
                : t->t == T_HOME
                    ? (is_cards(t->kind) ? xrm_msg("Address books") : xrm_msg("Calendars"))
                    : json_string_value(json_object_get(t->info, "displayname"));
            xrm_dav_ms_add(ms, prop, ns, name, dn ? dn : t->coll);
            return true;
        }
        if (strcmp(name, "current-user-principal") == 0) {
            add_href(d, prop, ns, name, principal_href(d));
            return true;
        }
        if (strcmp(name, "principal-URL") == 0 && !res) {
            add_href(d, prop, ns, name, principal_href(d));
            return true;
        }
        if (strcmp(name, "owner") == 0 && (t->t == T_HOME || coll || t->t == T_PRINCIPAL)) {
            add_href(d, prop, ns, name, principal_href(d));
            return true;
        }
        if (strcmp(name, "principal-collection-set") == 0 && !res) {
            struct target p = {.t = T_PRINCIPALS};
            add_href(d, prop, ns, name, href_of(d, &p));
            return true;
        }
        if (strcmp(name, "getetag") == 0 && res && t->etag[0]) {
            char q[XRM_DAV_ETAG_LEN + 3];
            snprintf(q, sizeof(q), "\"%s\"", t->etag);
            xrm_dav_ms_add(ms, prop, ns, name, q);
            return true;
        }
        if (strcmp(name, "getcontenttype") == 0 && res) {
            xrm_dav_ms_add(ms, prop, ns, name, media_of(t->kind));
            return true;
        }
        if (strcmp(name, "sync-token") == 0 && coll) {
            if (!coll_token(d, t))
                return false;
            xrm_dav_ms_add(ms, prop, ns, name, t->token);
            return true;
        }
        if (strcmp(name, "supported-report-set") == 0 && coll) {
            xmlNodePtr set = xrm_dav_ms_add(ms, prop, ns, name, NULL);
            if (is_cards(t->kind)) {
                add_report(d, set, XRM_NS_CARD, "addressbook-multiget");
                add_report(d, set, XRM_NS_CARD, "addressbook-query");
            } else {
                add_report(d, set, XRM_NS_CAL, "calendar-multiget");
                add_report(d, set, XRM_NS_CAL, "calendar-query");
            }
            add_report(d, set, XRM_NS_DAV, "sync-collection");
            return true;
        }
        if (strcmp(name, "current-user-privilege-set") == 0 && (coll || res)) {
            static const char *const privs[] = {"read", "write", "write-content", "bind", "unbind"};
            xmlNodePtr set = xrm_dav_ms_add(ms, prop, ns, name, NULL);
            for (size_t i = 0; i < sizeof(privs) / sizeof(privs[0]); i++)
                xrm_dav_ms_add(ms, xrm_dav_ms_add(ms, set, ns, "privilege", NULL), ns, privs[i],
                               NULL);
            return true;
        }
        return false;
    }
    if (strcmp(ns, XRM_NS_CARD) == 0 || strcmp(ns, XRM_NS_CAL) == 0) {
        bool card = strcmp(ns, XRM_NS_CARD) == 0;
        if (strcmp(name, card ? "addressbook-home-set" : "calendar-home-set") == 0 && !res) {
            add_href(d, prop, ns, name, home_href(d, card ? "addressbooks" : "calendars"));
            return true;
        }
        /* The rest are properties of this kind's collections and resources only. */
        if (!(coll || res) || card != is_cards(t->kind))
            return false;
        if (strcmp(name, card ? "address-data" : "calendar-data") == 0 && res && data) {
            xrm_dav_ms_add(ms, prop, ns, name, data);
            return true;
        }
        if (!coll)
            return false;
        if (strcmp(name, card ? "addressbook-description" : "calendar-description") == 0) {
            const char *desc = json_string_value(json_object_get(t->info, "description"));
            if (!desc)
                return false;
            xrm_dav_ms_add(ms, prop, ns, name, desc);
            return true;
        }
        if (card && strcmp(name, "supported-address-data") == 0) {
            xmlNodePtr set = xrm_dav_ms_add(ms, prop, ns, name, NULL);
            static const char *const versions[] = {"4.0", "3.0"};
            for (size_t i = 0; i < 2; i++) {
                xmlNodePtr adt = xrm_dav_ms_add(ms, set, ns, "address-data-type", NULL);
                xmlNewProp(adt, BAD_CAST "content-type", BAD_CAST "text/vcard");
                xmlNewProp(adt, BAD_CAST "version", BAD_CAST versions[i]);
            }
            return true;
        }
        if (!card && strcmp(name, "supported-calendar-component-set") == 0) {
            xmlNodePtr set = xrm_dav_ms_add(ms, prop, ns, name, NULL);
            size_t i;
            json_t *c;
            json_array_foreach(json_object_get(t->info, "components"), i, c)
            {
                xmlNodePtr comp = xrm_dav_ms_add(ms, set, ns, "comp", NULL);
                xmlNewProp(comp, BAD_CAST "name", BAD_CAST json_string_value(c));
            }
            return true;
        }
        if (strcmp(name, card ? "max-resource-size" : "max-resource-size") == 0) {
            char n[24];
            snprintf(n, sizeof(n), "%d", XRM_DAV_PUT_MAX);
            xrm_dav_ms_add(ms, prop, ns, name, n);
            return true;
        }
        return false;
    }
    if (strcmp(ns, XRM_NS_CS) == 0 && strcmp(name, "getctag") == 0 && coll) {
        if (!coll_token(d, t))
            return false;
        xrm_dav_ms_add(ms, prop, ns, name, t->token);
        return true;
    }
    if (strcmp(ns, XRM_NS_ICAL) == 0 && strcmp(name, "calendar-color") == 0 && coll) {
        const char *color = json_string_value(json_object_get(t->info, "color"));
        if (!color)
            return false;
        xrm_dav_ms_add(ms, prop, ns, name, color);
        return true;
    }
    return false;
}

/* The properties of allprop (and propname): the live ones of RFC 4918 that t has. */
static const char *const allprops[] = {"resourcetype", "displayname", "getetag", "getcontenttype",
                                       "current-user-principal"};

/*
 * Appends t's response with the requested properties (children of props;
 * NULL: allprop): a 200 propstat with those t has, a 404 one naming the rest.
 */
static void respond(struct dav *d, struct target *t, xmlNodePtr props, const char *data)
{
    char *href = href_of(d, t);
    xmlNodePtr r = xrm_dav_ms_response(&d->ms, href);
    free(href);
    xmlNodePtr ok = xrm_dav_ms_add(&d->ms, r, XRM_NS_DAV, "propstat", NULL);
    xmlNodePtr okp = xrm_dav_ms_add(&d->ms, ok, XRM_NS_DAV, "prop", NULL);
    xmlNodePtr nf = NULL, missing = NULL;
    if (!props) {
        for (size_t i = 0; i < sizeof(allprops) / sizeof(allprops[0]); i++)
            prop_value(d, t, XRM_NS_DAV, allprops[i], okp, data);
    } else {
        for (xmlNodePtr p = xrm_dav_xml_first(props); p; p = xrm_dav_xml_next(p)) {
            const char *ns = p->ns && p->ns->href ? (const char *)p->ns->href : "";
            if (prop_value(d, t, ns, (const char *)p->name, okp, data))
                continue;
            if (!missing) {
                nf = xrm_dav_ms_add(&d->ms, r, XRM_NS_DAV, "propstat", NULL);
                missing = xrm_dav_ms_add(&d->ms, nf, XRM_NS_DAV, "prop", NULL);
            }
            xrm_dav_ms_add(&d->ms, missing, ns, (const char *)p->name, NULL);
        }
    }
    if (nf)
        xrm_dav_ms_status(&d->ms, nf, 404);
    if (xrm_dav_xml_first(okp) || !nf) {
        xrm_dav_ms_status(&d->ms, ok, 200);
    } else { /* nothing found: no empty 200 propstat beside the 404 one */
        xmlUnlinkNode(ok);
        xmlFreeNode(ok);
    }
}

/* A response naming only a status (a resource gone or not found). */
static void respond_status(struct dav *d, const char *href, int status)
{
    xmlNodePtr r = xrm_dav_ms_response(&d->ms, href);
    xrm_dav_ms_status(&d->ms, r, status);
}

/* ---- PROPFIND ---- */

/* The <prop> of a PROPFIND or REPORT body, NULL for allprop; *bad set for an unreadable one. */
static xmlNodePtr requested_props(xmlNodePtr root)
{
    return xrm_dav_xml_child(root, XRM_NS_DAV, "prop");
}

/* Reads the body (optional when may_be_empty) into *doc; false when resp holds an error. */
static bool read_body(struct dav *d, bool may_be_empty, xmlDocPtr *doc)
{
    char msg[200];
    *doc = NULL;
    if (!d->req->body_len && may_be_empty)
        return true;
    if (d->req->body_len > XRM_DAV_XML_MAX) {
        snprintf(msg, sizeof(msg), xrm_msg("the XML body is larger than %zu bytes"),
                 (size_t)XRM_DAV_XML_MAX);
        xrm_dav_error(d->resp, 413, NULL, NULL, msg);
        return false;
    }
    *doc = xrm_dav_xml_parse(d->req->body, d->req->body_len, XRM_DAV_XML_MAX, msg, sizeof(msg));
    if (!*doc) {
        xrm_dav_error(d->resp, 400, NULL, NULL, msg);
        return false;
    }
    return true;
}

/* Depth: 0, 1, or -1 for infinity (also when absent, RFC 4918 9.1). */
static int depth_of(struct dav *d, int absent)
{
    const char *h = xrm_req_header(d->req, "Depth");
    if (!h)
        return absent;
    if (strcmp(h, "0") == 0)
        return 0;
    if (strcmp(h, "1") == 0)
        return 1;
    return -1;
}

/* Depth 1 of a home: its collections. */
static bool propfind_home_members(struct dav *d, struct target *t, xmlNodePtr props)
{
    json_t *all = collections(d, t->kind);
    if (!all)
        return false;
    size_t i;
    json_t *c;
    json_array_foreach(all, i, c)
    {
        struct target ct = {.t = T_COLL, .kind = t->kind, .info = json_incref(c)};
        xrm_strlcpy(ct.coll, jstr(c, "name"), sizeof(ct.coll));
        respond(d, &ct, props, NULL);
        target_release(&ct);
    }
    json_decref(all);
    return true;
}

/* Depth 1 of a collection: its members (their ETags known from members()). */
static bool propfind_coll_members(struct dav *d, struct target *t, xmlNodePtr props)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *members = NULL;
    enum xrm_rc rc = t->kind->members(d->ctx, t->coll, &members, &err);
    if (rc) {
        fail_rc(d, rc, &err, NULL, NULL);
        return false;
    }
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        struct target rt = {.t = T_RES, .kind = t->kind};
        xrm_strlcpy(rt.coll, t->coll, sizeof(rt.coll));
        xrm_strlcpy(rt.name, jstr(m, "name"), sizeof(rt.name));
        xrm_strlcpy(rt.etag, jstr(m, "etag"), sizeof(rt.etag));
        respond(d, &rt, props, NULL);
    }
    json_decref(members);
    return true;
}

/* The ETag of a resource (and whether it exists) through the kind's get. */
static enum xrm_rc resource_get(struct dav *d, struct target *t, struct xrm_buf *body,
                                const char **media, struct xrm_err *err)
{
    const char *media_dummy;
    return t->kind->get(d->ctx, t->coll, t->name, d->accept, body, media ? media : &media_dummy,
                        t->etag, err);
}

static void dav_propfind(struct dav *d, struct target *t)
{
    xmlDocPtr doc = NULL;
    xmlNodePtr props = NULL;
    int depth = depth_of(d, -1);
    if (depth < 0) {
        xrm_dav_error(d->resp, 403, XRM_NS_DAV, "propfind-finite-depth",
                      xrm_msg("Depth: infinity is not supported; use Depth 0 or 1"));
        return;
    }
    if (!read_body(d, true, &doc))
        return;
    if (doc) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        if (!xrm_dav_xml_is(root, XRM_NS_DAV, "propfind")) {
            fail_status(d, 400, "the body must be a DAV:propfind element");
            goto out;
        }
        props = requested_props(root);
    }
    if (t->t == T_RES) {
        struct xrm_err err = XRM_ERR_INIT;
        struct xrm_buf body;
        xrm_buf_init(&body, 0);
        enum xrm_rc rc = resource_get(d, t, &body, NULL, &err);
        xrm_buf_release(&body);
        if (rc) {
            fail_rc(d, rc, &err, NULL, NULL);
            goto out;
        }
    }
    xrm_dav_ms_init(&d->ms);
    respond(d, t, props, NULL);
    bool ok = true;
    if (depth == 1) {
        if (t->t == T_ROOT || t->t == T_PRINCIPALS) {
            struct target p = {.t = T_PRINCIPAL};
            respond(d, &p, props, NULL);
        }
        if (t->t == T_ROOT) {
            for (size_t i = 0; i < NKINDS; i++) {
                struct target h = {.t = T_HOME, .kind = kinds[i]};
                respond(d, &h, props, NULL);
            }
        }
        if (t->t == T_HOME)
            ok = propfind_home_members(d, t, props);
        else if (t->t == T_COLL)
            ok = propfind_coll_members(d, t, props);
    }
    if (ok)
        xrm_dav_ms_send(&d->ms, d->resp, 207);
    xrm_dav_ms_release(&d->ms);
out:
    if (doc)
        xmlFreeDoc(doc);
}

/* ---- REPORT ---- */

/* The accept string of an address-data element asking for vCard 3.0, else NULL. */
static const char *data_accept(xmlNodePtr props)
{
    xmlNodePtr ad = xrm_dav_xml_child(props, XRM_NS_CARD, "address-data");
    if (!ad)
        return NULL;
    xmlChar *v = xmlGetProp(ad, BAD_CAST "version");
    bool v3 = v && strcmp((const char *)v, "3.0") == 0;
    xmlFree(v);
    return v3 ? "text/vcard; version=3.0" : NULL;
}

static bool wants_data(const struct target *t, xmlNodePtr props)
{
    return props && xrm_dav_xml_child(props, is_cards(t->kind) ? XRM_NS_CARD : XRM_NS_CAL,
                                      is_cards(t->kind) ? "address-data" : "calendar-data");
}

/*
 * Answers one member t of the collection: with its body when asked for
 * (or needed by keep), a 404 response when it is gone or keep refuses it.
 */
typedef bool keep_fn(void *cls, const struct target *t, const char *data);
static void report_member(struct dav *d, struct target *t, xmlNodePtr props, bool need_data,
                          keep_fn *keep, void *cls, bool report_missing)
{
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf body;
    xrm_buf_init(&body, 0);
    enum xrm_rc rc = XRM_OK;
    if (need_data || !t->etag[0])
        rc = resource_get(d, t, &body, NULL, &err);
    if (rc == XRM_OK && (!keep || keep(cls, t, body.s))) {
        respond(d, t, props, need_data ? body.s : NULL);
    } else if (rc && report_missing) {
        char *href = href_of(d, t);
        respond_status(d, href, rc == XRM_E_DENIED ? 403 : 404);
        free(href);
    }
    xrm_buf_release(&body);
}

static void report_multiget(struct dav *d, struct target *coll, xmlNodePtr root, xmlNodePtr props)
{
    bool data = wants_data(coll, props);
    for (xmlNodePtr h = xrm_dav_xml_first(root); h; h = xrm_dav_xml_next(h)) {
        if (!xrm_dav_xml_is(h, XRM_NS_DAV, "href"))
            continue;
        char *href = xrm_dav_xml_text(h);
        const char *path = href;
        if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0) {
            path = strchr(strstr(path, "//") + 2, '/');
            path = path ? path : "/";
        }
        char *copy = xrm_strdup(path);
        struct target t;
        int st = unescape(copy) ? parse_path(d, copy, &t) : 404;
        if (st == 0 && (t.t != T_RES || t.kind != coll->kind))
            st = 404;
        if (st)
            respond_status(d, href, st);
        else
            report_member(d, &t, props, data, NULL, NULL, true);
        free(copy);
        free(href);
    }
}

/* ---- addressbook-query and calendar-query filters ---- */

/* A copy of a vCard or iCalendar text with its folded lines joined. */
static char *unfold(const char *s)
{
    size_t n = strlen(s);
    char *o = xrm_calloc(1, n + 1), *w = o;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && s[i + 1] == '\n' && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
            i += 2;
            continue;
        }
        if (s[i] == '\n' && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
            i += 1;
            continue;
        }
        *w++ = s[i];
    }
    return o;
}

static bool ci_contains(const char *hay, size_t hn, const char *needle, const char *how)
{
    size_t nn = strlen(needle);
    if (strcmp(how, "equals") == 0)
        return hn == nn && strncasecmp(hay, needle, nn) == 0;
    if (nn > hn)
        return false;
    if (strcmp(how, "starts-with") == 0)
        return strncasecmp(hay, needle, nn) == 0;
    if (strcmp(how, "ends-with") == 0)
        return strncasecmp(hay + hn - nn, needle, nn) == 0;
    for (size_t i = 0; i + nn <= hn; i++)
        if (strncasecmp(hay + i, needle, nn) == 0)
            return true;
    return false;
}

static bool attr_is(xmlNodePtr n, const char *attr, const char *value)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST attr);
    bool is = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return is;
}

/* One text-match against one property value. */
static bool text_match(xmlNodePtr tm, const char *value, size_t n)
{
    char *needle = xrm_dav_xml_text(tm);
    xmlChar *how = xmlGetProp(tm, BAD_CAST "match-type");
    bool m = ci_contains(value, n, needle, how ? (const char *)how : "contains");
    if (attr_is(tm, "negate-condition", "yes"))
        m = !m;
    xmlFree(how);
    free(needle);
    return m;
}

/* One prop-filter against the unfolded card text. */
static bool prop_filter(xmlNodePtr pf, const char *card)
{
    xmlChar *name = xmlGetProp(pf, BAD_CAST "name");
    if (!name)
        return true;
    bool allof = attr_is(pf, "test", "allof");
    bool not_defined = xrm_dav_xml_child(pf, XRM_NS_CARD, "is-not-defined") != NULL;
    bool defined = false, any = false, all = true, has_tm = false;
    size_t nl = strlen((const char *)name);
    for (const char *line = card; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len && line[len - 1] == '\r')
            len--;
        const char *p = line;
        const char *dot = memchr(p, '.', len), *sep = p + strcspn(p, ";:");
        if (dot && dot < sep) /* a group: "item1.EMAIL" */
            p = dot + 1;
        const char *colon = memchr(line, ':', len);
        if (strncasecmp(p, (const char *)name, nl) == 0 && (p[nl] == ';' || p[nl] == ':') &&
            colon) {
            defined = true;
            const char *v = colon + 1;
            size_t vn = len - (size_t)(v - line);
            for (xmlNodePtr tm = xrm_dav_xml_first(pf); tm; tm = xrm_dav_xml_next(tm)) {
                if (!xrm_dav_xml_is(tm, XRM_NS_CARD, "text-match"))
                    continue;
                has_tm = true;
                bool m = text_match(tm, v, vn);
                any = any || m;
                all = all && m;
            }
        }
        line = end ? end + 1 : NULL;
    }
    xmlFree(name);
    if (not_defined)
        return !defined;
    if (!has_tm)
        return defined;
    return allof ? all : any;
}

static bool card_keep(void *cls, const struct target *t, const char *data)
{
    xmlNodePtr filter = cls;
    (void)t;
    if (!filter)
        return true;
    char *card = unfold(data ? data : "");
    bool allof = attr_is(filter, "test", "allof"), any = false, all = true, some = false;
    for (xmlNodePtr pf = xrm_dav_xml_first(filter); pf; pf = xrm_dav_xml_next(pf)) {
        if (!xrm_dav_xml_is(pf, XRM_NS_CARD, "prop-filter"))
            continue;
        some = true;
        bool m = prop_filter(pf, card);
        any = any || m;
        all = all && m;
    }
    free(card);
    return !some || (allof ? all : any);
}

/* The component a calendar-query asks for (VCALENDAR > VTODO), or NULL for any. */
static char *query_component(xmlNodePtr filter)
{
    xmlNodePtr cal = xrm_dav_xml_child(filter, XRM_NS_CAL, "comp-filter");
    xmlNodePtr inner = cal ? xrm_dav_xml_child(cal, XRM_NS_CAL, "comp-filter") : NULL;
    xmlChar *name = inner ? xmlGetProp(inner, BAD_CAST "name") : NULL;
    char *out = name ? xrm_strdup((const char *)name) : NULL;
    xmlFree(name);
    return out;
}

static void report_query(struct dav *d, struct target *coll, xmlNodePtr root, xmlNodePtr props)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *members = NULL;
    xmlNodePtr filter =
        xrm_dav_xml_child(root, is_cards(coll->kind) ? XRM_NS_CARD : XRM_NS_CAL, "filter");
    bool data = wants_data(coll, props);
    char *comp = is_cards(coll->kind) ? NULL : query_component(filter);
    /* time-range is not applied: every object of the component is answered */
    enum xrm_rc rc = coll->kind->members(d->ctx, coll->coll, &members, &err);
    if (rc) {
        free(comp);
        xrm_dav_ms_release(&d->ms);
        fail_rc(d, rc, &err, NULL, NULL);
        return;
    }
    bool text_filter = is_cards(coll->kind) && filter && xrm_dav_xml_first(filter);
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *c = json_string_value(json_object_get(m, "component"));
        if (comp && c && strcasecmp(c, comp) != 0)
            continue;
        struct target t = {.t = T_RES, .kind = coll->kind};
        xrm_strlcpy(t.coll, coll->coll, sizeof(t.coll));
        xrm_strlcpy(t.name, jstr(m, "name"), sizeof(t.name));
        xrm_strlcpy(t.etag, jstr(m, "etag"), sizeof(t.etag));
        report_member(d, &t, props, data || text_filter, text_filter ? card_keep : NULL,
                      text_filter ? filter : NULL, false);
    }
    free(comp);
    json_decref(members);
    xrm_dav_ms_send(&d->ms, d->resp, 207);
}

/* ---- sync-collection (RFC 6578) ---- */

static void report_sync(struct dav *d, struct target *coll, xmlNodePtr root, xmlNodePtr props)
{
    struct xrm_err err = XRM_ERR_INIT;
    json_t *changed = NULL, *removed = NULL;
    char token[XRM_DAV_SYNC_TOKEN_LEN];
    xmlNodePtr lvl = xrm_dav_xml_child(root, XRM_NS_DAV, "sync-level");
    char *level = lvl ? xrm_dav_xml_text(lvl) : xrm_strdup("1");
    bool level_ok = strcmp(level, "1") == 0 || strcmp(level, "infinite") == 0;
    free(level);
    if (!level_ok) {
        xrm_dav_ms_release(&d->ms);
        fail_status(d, 400, "sync-level must be 1");
        return;
    }
    char *old = xrm_dav_xml_text(xrm_dav_xml_child(root, XRM_NS_DAV, "sync-token"));
    enum xrm_rc rc =
        xrm_dav_sync_changes(d->ctx, coll->kind, coll->coll, old, &changed, &removed, token, &err);
    free(old);
    if (rc) {
        xrm_dav_ms_release(&d->ms);
        if (rc == XRM_E_PRECONDITION)
            xrm_dav_error(d->resp, 403, XRM_NS_DAV, "valid-sync-token", err.message);
        else
            fail_rc(d, rc, &err, NULL, NULL);
        return;
    }
    bool data = wants_data(coll, props);
    size_t i;
    json_t *m;
    json_array_foreach(changed, i, m)
    {
        struct target t = {.t = T_RES, .kind = coll->kind};
        xrm_strlcpy(t.coll, coll->coll, sizeof(t.coll));
        xrm_strlcpy(t.name, jstr(m, "name"), sizeof(t.name));
        xrm_strlcpy(t.etag, jstr(m, "etag"), sizeof(t.etag));
        report_member(d, &t, props, data, NULL, NULL, true);
    }
    json_array_foreach(removed, i, m)
    {
        struct target t = {.t = T_RES, .kind = coll->kind};
        xrm_strlcpy(t.coll, coll->coll, sizeof(t.coll));
        xrm_strlcpy(t.name, (json_string_value(m) ? json_string_value(m) : ""), sizeof(t.name));
        char *href = href_of(d, &t);
        respond_status(d, href, 404);
        free(href);
    }
    xrm_dav_ms_add(&d->ms, d->ms.root, XRM_NS_DAV, "sync-token", token);
    json_decref(changed);
    json_decref(removed);
    xrm_dav_ms_send(&d->ms, d->resp, 207);
}

static void dav_report(struct dav *d, struct target *t)
{
    xmlDocPtr doc = NULL;
    if (!read_body(d, false, &doc))
        return;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr props = requested_props(root);
    bool cards = t->kind && is_cards(t->kind);
    const char *mns = cards ? XRM_NS_CARD : XRM_NS_CAL;
    bool multiget = xrm_dav_xml_is(root, mns, cards ? "addressbook-multiget" : "calendar-multiget");
    bool query = xrm_dav_xml_is(root, mns, cards ? "addressbook-query" : "calendar-query");
    bool sync = xrm_dav_xml_is(root, XRM_NS_DAV, "sync-collection");
    if (t->t != T_COLL || !(multiget || query || sync)) {
        xrm_dav_error(d->resp, 403, XRM_NS_DAV, "supported-report",
                      xrm_msg("this report is not supported here"));
        goto out;
    }
    d->accept = data_accept(props);
    xrm_dav_ms_init(&d->ms);
    if (multiget) {
        report_multiget(d, t, root, props);
        xrm_dav_ms_send(&d->ms, d->resp, 207);
    } else if (query) {
        report_query(d, t, root, props);
    } else {
        report_sync(d, t, root, props);
    }
    xrm_dav_ms_release(&d->ms);
out:
    xmlFreeDoc(doc);
}

/* ---- GET, PUT, DELETE ---- */

static void dav_get(struct dav *d, struct target *t)
{
    if (t->t != T_RES) {
        d->resp->status = 200;
        d->resp->content_type = "text/plain; charset=utf-8";
        const char *text = xrm_msg("xrm CardDAV and CalDAV: add this address to your address "
                                   "book or calendar app\n");
        d->resp->raw = xrm_strdup(text);
        d->resp->raw_len = strlen(text);
        return;
    }
    struct xrm_err err = XRM_ERR_INIT;
    struct xrm_buf body;
    const char *media = NULL;
    xrm_buf_init(&body, 4096);
    d->accept = xrm_req_header(d->req, "Accept");
    enum xrm_rc rc = resource_get(d, t, &body, &media, &err);
    if (rc) {
        xrm_buf_release(&body);
        fail_rc(d, rc, &err, NULL, NULL);
        return;
    }
    d->resp->status = 200;
    d->resp->content_type = media ? media : media_of(t->kind);
    d->resp->raw = xrm_buf_detach(&body, &d->resp->raw_len);
    snprintf(d->resp->etag, sizeof(d->resp->etag), "\"%s\"", t->etag);
    d->resp->cache = "private, no-cache";
}

/*
 * An ETag from If-Match into out (quotes and W/ taken off): false when the
 * header is absent; "*" stays "*".
 */
static bool if_match(struct dav *d, char out[XRM_DAV_ETAG_LEN])
{
    const char *h = xrm_req_header(d->req, "If-Match");
    if (!h)
        return false;
    while (*h == ' ')
        h++;
    if (h[0] == 'W' && h[1] == '/')
        h += 2;
    if (*h == '"')
        h++;
    size_t n = strcspn(h, "\"");
    if (n >= XRM_DAV_ETAG_LEN)
        n = XRM_DAV_ETAG_LEN - 1;
    memcpy(out, h, n);
    out[n] = '\0';
    return true;
}

/* True when the body's Content-Type fits the kind (or none was given). */
static bool media_ok(const struct target *t, const char *ct)
{
    if (!ct)
        return true;
    while (*ct == ' ')
        ct++;
    size_t n = strcspn(ct, "; ");
    if (is_cards(t->kind))
        return (n == 10 && strncasecmp(ct, "text/vcard", 10) == 0) ||
               (n == 12 && strncasecmp(ct, "text/x-vcard", 12) == 0);
    return n == 13 && strncasecmp(ct, "text/calendar", 13) == 0;
}

static void dav_put(struct dav *d, struct target *t)
{
    struct xrm_err err = XRM_ERR_INIT;
    const char *data_ns = t->kind && is_cards(t->kind) ? XRM_NS_CARD : XRM_NS_CAL;
    const char *valid = t->kind && is_cards(t->kind) ? "valid-address-data" : "valid-calendar-data";
    if (t->t != T_RES) {
        fail_status(d, 405, "only address book and calendar entries can be written");
        snprintf(d->resp->allow, sizeof(d->resp->allow), "OPTIONS, GET, HEAD, PROPFIND, REPORT");
        return;
    }
    const char *ct = xrm_req_header(d->req, "Content-Type");
    if (!media_ok(t, ct)) {
        xrm_dav_error(d->resp, 415, data_ns,
                      is_cards(t->kind) ? "supported-address-data" : "supported-calendar-data",
                      is_cards(t->kind) ? xrm_msg("send a vCard (Content-Type: text/vcard)")
                                        : xrm_msg("send iCalendar (Content-Type: text/calendar)"));
        return;
    }
    if (!d->req->body_len) {
        xrm_dav_error(d->resp, 400, data_ns, valid, xrm_msg("the request body is empty"));
        return;
    }
    char im[XRM_DAV_ETAG_LEN];
    bool has_im = if_match(d, im);
    const char *inm = xrm_req_header(d->req, "If-None-Match");
    struct xrm_dav_put p = {.content_type = ct,
                            .if_match = has_im && strcmp(im, "*") != 0 ? im : NULL,
                            .if_none_match = inm && strcmp(inm, "*") == 0};
    if (has_im && strcmp(im, "*") == 0) { /* must exist */
        struct xrm_buf b;
        xrm_buf_init(&b, 0);
        enum xrm_rc rc = resource_get(d, t, &b, NULL, &err);
        xrm_buf_release(&b);
        if (rc == XRM_E_NOTFOUND) {
            fail_status(d, 412, "the resource does not exist (If-Match: *)");
            return;
        }
        if (rc) {
            fail_rc(d, rc, &err, NULL, NULL);
            return;
        }
        err = (struct xrm_err)XRM_ERR_INIT;
    }
    bool created = false;
    char etag[XRM_DAV_ETAG_LEN] = "";
    enum xrm_rc rc = t->kind->put(d->ctx, t->coll, t->name, d->req->body, d->req->body_len, &p,
                                  &created, etag, &err);
    if (rc) {
        bool data_error = rc == XRM_E_INVALID || rc == XRM_E_MALFORMED;
        fail_rc(d, rc, &err, data_error ? data_ns : NULL, data_error ? valid : NULL);
        return;
    }
    d->resp->status = created ? 201 : 204;
    if (etag[0])
        snprintf(d->resp->etag, sizeof(d->resp->etag), "\"%s\"", etag);
    if (created) {
        char *href = href_of(d, t);
        xrm_strlcpy(d->resp->location, href, sizeof(d->resp->location));
        free(href);
    }
}

static void dav_delete(struct dav *d, struct target *t)
{
    struct xrm_err err = XRM_ERR_INIT;
    if (t->t != T_RES) {
        fail_status(d, 403, "address books, calendars and their homes cannot be deleted");
        return;
    }
    char im[XRM_DAV_ETAG_LEN];
    bool has_im = if_match(d, im);
    enum xrm_rc rc =
        t->kind->del(d->ctx, t->coll, t->name, has_im && strcmp(im, "*") != 0 ? im : NULL, &err);
    if (rc) {
        fail_rc(d, rc, &err, NULL, NULL);
        return;
    }
    d->resp->status = 204;
}

/* ---- entry points ---- */

void api_dav(struct xrm_req *req, struct xrm_resp *resp)
{
    struct dav d = {.req = req, .resp = resp, .ctx = &req->ctx};
    struct target t;
    const char *m = req->method;
    resp->dav = DAV_HEADER;
    if (strcmp(m, "OPTIONS") == 0) {
        xrm_strlcpy(resp->allow, DAV_ALLOW, sizeof(resp->allow));
        resp->status = 200;
        return;
    }
    if (strcmp(m, "MKCOL") == 0 || strcmp(m, "MKCALENDAR") == 0 || strcmp(m, "PROPPATCH") == 0 ||
        strcmp(m, "MOVE") == 0 || strcmp(m, "COPY") == 0) {
        fail_status(&d, 403,
                    "address books and calendars are made by xrm: creating collections, "
                    "changing their properties, moving and copying are not supported");
        return;
    }
    if (strcmp(req->path, "/dav") == 0) {
        xrm_strlcpy(resp->location, "/dav/", sizeof(resp->location));
        fail_status(&d, 301, "moved to /dav/");
        return;
    }
    int st = parse_path(&d, req->path, &t);
    if (st == 403) {
        fail_status(&d, 403, "this belongs to another user");
        return;
    }
    if (st) {
        fail_status(&d, 404, "no such address book, calendar or entry");
        return;
    }
    if (t.t == T_COLL) {
        st = coll_info(&d, &t);
        if (st == 404)
            fail_status(&d, 404, "no such address book, calendar or entry");
        if (st)
            goto out;
    }
    if (strcmp(m, "PROPFIND") == 0)
        dav_propfind(&d, &t);
    else if (strcmp(m, "REPORT") == 0)
        dav_report(&d, &t);
    else if (strcmp(m, "GET") == 0)
        dav_get(&d, &t);
    else if (strcmp(m, "PUT") == 0)
        dav_put(&d, &t);
    else if (strcmp(m, "DELETE") == 0)
        dav_delete(&d, &t);
    else {
        xrm_strlcpy(resp->allow, DAV_ALLOW, sizeof(resp->allow));
        fail_status(&d, 405, "method not allowed on this resource");
    }
out:
    target_release(&t);
}

void api_dav_well_known(struct xrm_req *req, struct xrm_resp *resp)
{
    (void)req;
    xrm_strlcpy(resp->location, "/dav/", sizeof(resp->location));
    resp->status = 301;
}
