/*
 * UBL 2.1 writer and reader (EN 16931, NLCIUS, Peppol BIS 3).
 *
 * Writer choices that keep the EN 16931 business rules satisfied:
 * - a line discount is a line allowance (BG-27, reason code 95) of
 *   round(quantity x price) - net, so that the line net is exactly the
 *   billing line's net; the price stays the unit price;
 * - VAT categories: 21 and 9 -> S, 0 -> Z, exempt -> E (with an exemption
 *   reason), reverse_charge -> AE (code VATEX-EU-AE, "Btw verlegd"); texts
 *   in Dutch for a Dutch buyer, else in English;
 * - street and house number share StreetName (EN 16931 has no house number);
 * - the due date is cbc:DueDate on an invoice and a payment terms note on
 *   both kinds (BR-CO-25 wants one of them when an amount is due);
 * - KvK as legal registration (schemeID 0106) and endpoint; BTW-id as
 *   PartyTaxScheme VAT.
 */
#include "io/ubl.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "core/banned.h"

#define NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDIT "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
#define NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

static int fail(char *errmsg, size_t errlen, const char *fmt, const char *arg)
{
    if (errmsg && errlen)
        snprintf(errmsg, errlen, fmt, arg ? arg : "");
    return -1;
}

/* ---- units ---------------------------------------------------------- */

static const struct {
    const char *name;
    const char *code;
} units[] = {
    {"uur", "HUR"},  {"uren", "HUR"},  {"hour", "HUR"},    {"hours", "HUR"}, {"hr", "HUR"},
    {"u", "HUR"},    {"stuk", "H87"},  {"stuks", "H87"},   {"piece", "H87"}, {"pieces", "H87"},
    {"pcs", "H87"},  {"st", "H87"},    {"dag", "DAY"},     {"dagen", "DAY"}, {"day", "DAY"},
    {"days", "DAY"}, {"maand", "MON"}, {"maanden", "MON"}, {"month", "MON"}, {"months", "MON"},
    {"km", "KMT"},   {"kg", "KGM"},    {"m", "MTR"},       {"meter", "MTR"}, {"m2", "MTK"},
    {"m²", "MTK"},
};

const char *xrm_ubl_unit_code(const char *unit)
{
    if (!unit)
        return "C62";
    while (*unit == ' ')
        unit++;
    size_t n = strlen(unit);
    while (n && unit[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == n && strncasecmp(units[i].name, unit, n) == 0)
            return units[i].code;
    return "C62";
}

/* ---- writer --------------------------------------------------------- */

struct w {
    xmlTextWriterPtr x;
    const char *cur; /* currency */
    bool nl;         /* Dutch texts */
};

/* s without the control characters XML 1.0 forbids; the caller frees. */
static char *clean(const char *s)
{
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    size_t j = 0;
    if (!r)
        abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            continue;
        r[j++] = (char)c;
    }
    r[j] = '\0';
    return r;
}

static void start(struct w *w, const char *name)
{
    xmlTextWriterStartElement(w->x, BAD_CAST name);
}

static void end(struct w *w)
{
    xmlTextWriterEndElement(w->x);
}

static void text_el(struct w *w, const char *name, const char *value)
{
    char *c = clean(value);
    xmlTextWriterStartElement(w->x, BAD_CAST name);
    xmlTextWriterWriteString(w->x, BAD_CAST c);
    xmlTextWriterEndElement(w->x);
    free(c);
}

/* An element with one attribute. */
static void attr_el(struct w *w, const char *name, const char *attr, const char *aval,
                    const char *value)
{
    char *c = clean(value);
    xmlTextWriterStartElement(w->x, BAD_CAST name);
    xmlTextWriterWriteAttribute(w->x, BAD_CAST attr, BAD_CAST aval);
    xmlTextWriterWriteString(w->x, BAD_CAST c);
    xmlTextWriterEndElement(w->x);
    free(c);
}

static void fmt_cents(char *out, size_t n, long long cents)
{
    unsigned long long a = cents < 0 ? 0ULL - (unsigned long long)cents : (unsigned long long)cents;
    snprintf(out, n, "%s%llu.%02llu", cents < 0 ? "-" : "", a / 100, a % 100);
}

static void amount_el(struct w *w, const char *name, long long cents)
{
    char s[40];
    fmt_cents(s, sizeof s, cents);
    attr_el(w, name, "currencyID", w->cur, s);
}

/* A string member, or NULL when absent or empty. */
static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

static long long cents(const json_t *o, const char *key, bool *ok)
{
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v))
        return (long long)json_integer_value(v);
    if (json_is_real(v))
        return llround(json_real_value(v));
    if (ok)
        *ok = false;
    return 0;
}

/* A decimal number in thousandths (quantity) or hundredths (discount). */
static long long scaled(const json_t *v, int scale)
{
    if (json_is_integer(v))
        return (long long)json_integer_value(v) * scale;
    if (json_is_real(v))
        return llround(json_real_value(v) * scale);
    if (json_is_string(v))
        return llround(strtod(json_string_value(v), NULL) * scale);
    return 0;
}

static long long div_round(__int128 num, long long den)
{
    bool neg = num < 0;
    if (neg)
        num = -num;
    __int128 q = (num + den / 2) / den;
    return (long long)(neg ? -q : q);
}

static void fmt_scaled(char *out, size_t n, long long v, int decimals)
{
    long long div = decimals == 3 ? 1000 : 100;
    unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int len = snprintf(out, n, "%s%llu.%0*llu", v < 0 ? "-" : "", a / (unsigned long long)div,
                       decimals, a % (unsigned long long)div);
    /* drop trailing zeros and a bare point */
    while (len > 0 && out[len - 1] == '0')
        out[--len] = '\0';
    if (len > 0 && out[len - 1] == '.')
        out[--len] = '\0';
}

struct cat {
    const char *id;
    const char *percent;
};

static int category(const char *vat, struct cat *c)
{
    if (!vat)
        return -1;
    if (strcmp(vat, "21") == 0 || strcmp(vat, "9") == 0) {
        c->id = "S";
        c->percent = vat;
    } else if (strcmp(vat, "0") == 0) {
        c->id = "Z";
        c->percent = "0";
    } else if (strcmp(vat, "exempt") == 0) {
        c->id = "E";
        c->percent = "0";
    } else if (strcmp(vat, "reverse_charge") == 0) {
        c->id = "AE";
        c->percent = "0";
    } else {
        return -1;
    }
    return 0;
}

static void tax_scheme(struct w *w)
{
    start(w, "cac:TaxScheme");
    text_el(w, "cbc:ID", "VAT");
    end(w);
}

static void tax_category(struct w *w, const char *elname, const struct cat *c, bool reason)
{
    start(w, elname);
    text_el(w, "cbc:ID", c->id);
    text_el(w, "cbc:Percent", c->percent);
    if (reason && strcmp(c->id, "E") == 0) {
        text_el(w, "cbc:TaxExemptionReason", w->nl ? "Vrijgesteld van btw" : "Exempt from VAT");
    } else if (reason && strcmp(c->id, "AE") == 0) {
        text_el(w, "cbc:TaxExemptionReasonCode", "VATEX-EU-AE");
        text_el(w, "cbc:TaxExemptionReason", w->nl ? "Btw verlegd" : "Reverse charge");
    }
    tax_scheme(w);
    end(w);
}

/* Only digits and letters: IBAN, KvK, VAT ids are written without spaces or dots. */
static char *compact(const char *s)
{
    size_t n = strlen(s), j = 0;
    char *r = malloc(n + 1);
    if (!r)
        abort();
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]))
            r[j++] = (char)toupper((unsigned char)s[i]);
    r[j] = '\0';
    return r;
}

static void address(struct w *w, const json_t *p)
{
    const char *street = str(p, "street"), *house = str(p, "house_number");
    const char *country = str(p, "country");
    start(w, "cac:PostalAddress");
    if (street || house) {
        char line[1200];
        snprintf(line, sizeof line, "%s%s%s", street ? street : "", street && house ? " " : "",
                 house ? house : "");
        text_el(w, "cbc:StreetName", line);
    }
    if (str(p, "city"))
        text_el(w, "cbc:CityName", str(p, "city"));
    if (str(p, "postcode"))
        text_el(w, "cbc:PostalZone", str(p, "postcode"));
    start(w, "cac:Country");
    text_el(w, "cbc:IdentificationCode", country ? country : "NL");
    end(w);
    end(w);
}

/* One party: seller (name in legal_name) or buyer (name in name). */
static void party(struct w *w, const json_t *p, bool seller)
{
    const char *name = str(p, seller ? "legal_name" : "name");
    const char *kvk = str(p, "kvk"), *vat = str(p, "vat");
    const char *email = str(p, "email"), *phone = str(p, "phone");
    bool person = !seller && str(p, "kind") && strcmp(str(p, "kind"), "person") == 0;
    char *ckvk = kvk ? compact(kvk) : NULL, *cvat = vat ? compact(vat) : NULL;

    start(w, "cac:Party");
    if (ckvk && *ckvk && !person)
        attr_el(w, "cbc:EndpointID", "schemeID", "0106", ckvk);
    else if (email)
        attr_el(w, "cbc:EndpointID", "schemeID", "EM", email);
    if (!seller && str(p, "debtor_number")) {
        start(w, "cac:PartyIdentification");
        text_el(w, "cbc:ID", str(p, "debtor_number"));
        end(w);
    }
    if (name) {
        start(w, "cac:PartyName");
        text_el(w, "cbc:Name", name);
        end(w);
    }
    address(w, p);
    if (cvat && *cvat) {
        start(w, "cac:PartyTaxScheme");
        text_el(w, "cbc:CompanyID", cvat);
        tax_scheme(w);
        end(w);
    }
    start(w, "cac:PartyLegalEntity");
    text_el(w, "cbc:RegistrationName", name ? name : "");
    if (ckvk && *ckvk && !person)
        attr_el(w, "cbc:CompanyID", "schemeID", "0106", ckvk);
    end(w);
    if (email || phone) {
        start(w, "cac:Contact");
        if (phone)
            text_el(w, "cbc:Telephone", phone);
        if (email)
            text_el(w, "cbc:ElectronicMail", email);
        end(w);
    }
    end(w);
    free(ckvk);
    free(cvat);
}

static int write_doc(struct w *w, const json_t *inv, char *errmsg, size_t errlen)
{
    const char *kind = str(inv, "kind");
    bool credit = kind && strcmp(kind, "credit_note") == 0;
    const char *number = str(inv, "number"), *date = str(inv, "date"), *due = str(inv, "due");
    const json_t *seller = json_object_get(inv, "seller"), *buyer = json_object_get(inv, "buyer");
    const json_t *lines = json_object_get(inv, "lines"), *totals = json_object_get(inv, "totals");
    const json_t *vats = json_object_get(totals, "vat");
    bool ok = true;

    if (kind && !credit && strcmp(kind, "invoice") != 0)
        return fail(errmsg, errlen, "unknown kind '%s'", kind);
    if (!number)
        return fail(errmsg, errlen, "the invoice has no number (not issued)%s", NULL);
    if (!date)
        return fail(errmsg, errlen, "the invoice has no date (not issued)%s", NULL);
    if (!json_is_object(seller) || !str(seller, "legal_name"))
        return fail(errmsg, errlen, "the invoice has no seller (company name missing)%s", NULL);
    if (!json_is_object(buyer) || !str(buyer, "name"))
        return fail(errmsg, errlen, "the invoice has no buyer%s", NULL);
    if (!json_is_array(lines) || json_array_size(lines) == 0)
        return fail(errmsg, errlen, "the invoice has no lines%s", NULL);
    if (!json_is_object(totals) || !json_is_array(vats))
        return fail(errmsg, errlen, "the invoice has no totals%s", NULL);

    long long net = cents(totals, "net", &ok), gross = cents(totals, "gross", &ok);
    if (!ok)
        return fail(errmsg, errlen, "the invoice's totals lack net or gross%s", NULL);

    /* categories of the totals, checked before anything is written */
    size_t i;
    const json_t *v;
    json_array_foreach(vats, i, v)
    {
        struct cat c;
        if (category(str(v, "rate"), &c) != 0)
            return fail(errmsg, errlen, "unknown VAT rate '%s'", str(v, "rate"));
        if (strcmp(c.id, "AE") == 0 && !str(buyer, "vat"))
            return fail(errmsg, errlen, "reverse charge needs the buyer's VAT id (BTW-nummer)%s",
                        NULL);
    }
    json_array_foreach(lines, i, v)
    {
        struct cat c;
        if (category(str(v, "vat"), &c) != 0)
            return fail(errmsg, errlen, "unknown VAT rate '%s' on a line", str(v, "vat"));
        if (!str(v, "description"))
            return fail(errmsg, errlen, "a line has no description%s", NULL);
    }

    const char *country = str(buyer, "country");
    w->nl = !country || strcmp(country, "NL") == 0;
    w->cur = str(inv, "currency") ? str(inv, "currency") : "EUR";

    xmlTextWriterSetIndent(w->x, 1);
    xmlTextWriterSetIndentString(w->x, BAD_CAST "  ");
    xmlTextWriterStartDocument(w->x, NULL, "UTF-8", NULL);
    start(w, credit ? "CreditNote" : "Invoice");
    xmlTextWriterWriteAttribute(w->x, BAD_CAST "xmlns", BAD_CAST(credit ? NS_CREDIT : NS_INVOICE));
    xmlTextWriterWriteAttribute(w->x, BAD_CAST "xmlns:cac", BAD_CAST NS_CAC);
    xmlTextWriterWriteAttribute(w->x, BAD_CAST "xmlns:cbc", BAD_CAST NS_CBC);
    text_el(w, "cbc:CustomizationID", XRM_UBL_CUSTOMIZATION);
    text_el(w, "cbc:ProfileID", XRM_UBL_PROFILE);
    text_el(w, "cbc:ID", number);
    text_el(w, "cbc:IssueDate", date);
    if (!credit && due)
        text_el(w, "cbc:DueDate", due);
    text_el(w, credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", credit ? "381" : "380");
    if (str(inv, "note"))
        text_el(w, "cbc:Note", str(inv, "note"));
    text_el(w, "cbc:DocumentCurrencyCode", w->cur);
    text_el(w, "cbc:BuyerReference",
            str(buyer, "debtor_number") ? str(buyer, "debtor_number") : number);
    if (credit && str(inv, "credit_of_number")) {
        start(w, "cac:BillingReference");
        start(w, "cac:InvoiceDocumentReference");
        text_el(w, "cbc:ID", str(inv, "credit_of_number"));
        end(w);
        end(w);
    }
    start(w, "cac:AccountingSupplierParty");
    party(w, seller, true);
    end(w);
    start(w, "cac:AccountingCustomerParty");
    party(w, buyer, false);
    end(w);

    const char *iban = str(seller, "iban");
    if (!credit && iban) {
        char *ciban = compact(iban);
        start(w, "cac:PaymentMeans");
        attr_el(w, "cbc:PaymentMeansCode", "name", "SEPA credit transfer", "58");
        text_el(w, "cbc:PaymentID", number);
        start(w, "cac:PayeeFinancialAccount");
        text_el(w, "cbc:ID", ciban);
        text_el(w, "cbc:Name", str(seller, "legal_name"));
        if (str(seller, "bic")) {
            char *cbic = compact(str(seller, "bic"));
            start(w, "cac:FinancialInstitutionBranch");
            text_el(w, "cbc:ID", cbic);
            end(w);
            free(cbic);
        }
        end(w);
        end(w);
        free(ciban);
    }
    {
        char note[300];
        const char *of = str(inv, "credit_of_number");
        if (credit)
            snprintf(note, sizeof note, w->nl ? "Creditnota%s%s" : "Credit note%s%s",
                     of ? (w->nl ? " bij factuur " : " for invoice ") : "", of ? of : "");
        else if (due)
            snprintf(note, sizeof note,
                     w->nl ? "Te betalen vóór %s onder vermelding van %s"
                           : "Payable by %s quoting %s",
                     due, number);
        else
            snprintf(note, sizeof note,
                     w->nl ? "Te betalen onder vermelding van %s%s" : "Payable quoting %s%s",
                     number, "");
        start(w, "cac:PaymentTerms");
        text_el(w, "cbc:Note", note);
        end(w);
    }

    /* VAT breakdown, copied from the totals */
    long long tax = 0;
    json_array_foreach(vats, i, v)
    {
        tax += cents(v, "amount", NULL);
    }
    start(w, "cac:TaxTotal");
    amount_el(w, "cbc:TaxAmount", tax);
    json_array_foreach(vats, i, v)
    {
        struct cat c;
        category(str(v, "rate"), &c);
        start(w, "cac:TaxSubtotal");
        amount_el(w, "cbc:TaxableAmount", cents(v, "base", NULL));
        amount_el(w, "cbc:TaxAmount", cents(v, "amount", NULL));
        tax_category(w, "cac:TaxCategory", &c, true);
        end(w);
    }
    end(w);

    start(w, "cac:LegalMonetaryTotal");
    amount_el(w, "cbc:LineExtensionAmount", net);
    amount_el(w, "cbc:TaxExclusiveAmount", net);
    amount_el(w, "cbc:TaxInclusiveAmount", gross);
    amount_el(w, "cbc:PayableAmount", gross);
    end(w);

    json_array_foreach(lines, i, v)
    {
        struct cat c;
        char idbuf[24], qty[48], base[40];
        long long q = scaled(json_object_get(v, "quantity"), 1000);
        long long d = scaled(json_object_get(v, "discount_pct"), 100);
        long long price = cents(v, "unit_price", NULL);
        long long full = div_round((__int128)q * price, 1000);
        bool has_net = true;
        long long lnet = cents(v, "net", &has_net);
        if (!has_net)
            lnet = div_round((__int128)q * price * (10000 - d), 1000LL * 10000);
        category(str(v, "vat"), &c);
        snprintf(idbuf, sizeof idbuf, "%zu", i + 1);
        fmt_scaled(qty, sizeof qty, q, 3);

        start(w, credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
        text_el(w, "cbc:ID", idbuf);
        attr_el(w, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", "unitCode",
                xrm_ubl_unit_code(str(v, "unit")), qty);
        amount_el(w, "cbc:LineExtensionAmount", lnet);
        if (full != lnet) {
            /* the discount: what the line would cost without it, minus its net */
            char pct[24];
            start(w, "cac:AllowanceCharge");
            text_el(w, "cbc:ChargeIndicator", full > lnet ? "false" : "true");
            text_el(w, "cbc:AllowanceChargeReasonCode", full > lnet ? "95" : "ZZZ");
            text_el(w, "cbc:AllowanceChargeReason", w->nl ? "Korting" : "Discount");
            if (d > 0 && full > lnet) {
                fmt_scaled(pct, sizeof pct, d, 2);
                text_el(w, "cbc:MultiplierFactorNumeric", pct);
            }
            amount_el(w, "cbc:Amount", full > lnet ? full - lnet : lnet - full);
            if (d > 0 && full > lnet)
                amount_el(w, "cbc:BaseAmount", full);
            end(w);
        }
        start(w, "cac:Item");
        {
            /* the name: the description's first line; the whole as description when longer */
            const char *desc = str(v, "description");
            const char *nl = strchr(desc, '\n');
            if (nl) {
                text_el(w, "cbc:Description", desc);
                char *name = strndup(desc, (size_t)(nl - desc));
                if (!name)
                    abort();
                text_el(w, "cbc:Name", *name ? name : desc);
                free(name);
            } else {
                text_el(w, "cbc:Name", desc);
            }
        }
        tax_category(w, "cac:ClassifiedTaxCategory", &c, false);
        end(w);
        start(w, "cac:Price");
        fmt_cents(base, sizeof base, price);
        attr_el(w, "cbc:PriceAmount", "currencyID", w->cur, base);
        end(w);
        end(w);
    }

    end(w); /* root */
    xmlTextWriterEndDocument(w->x);
    return 0;
}

int xrm_ubl_write(const json_t *invoice, struct xrm_buf *out, char *errmsg, size_t errlen)
{
    int rc = -1;
    xmlBufferPtr xb = xmlBufferCreate();
    xmlTextWriterPtr x = NULL;
    if (!xb)
        abort();
    if (!json_is_object(invoice)) {
        rc = fail(errmsg, errlen, "the invoice is not an object%s", NULL);
        goto out;
    }
    x = xmlNewTextWriterMemory(xb, 0);
    if (!x)
        abort();
    struct w w = {.x = x};
    rc = write_doc(&w, invoice, errmsg, errlen);
    xmlFreeTextWriter(x); /* flushes into xb */
    x = NULL;
    if (rc == 0)
        xrm_buf_add(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
out:
    if (x)
        xmlFreeTextWriter(x);
    xmlBufferFree(xb);
    return rc;
}

/* ---- reader --------------------------------------------------------- */

struct r {
    xmlXPathContextPtr ctx;
    char *err;
    size_t errlen;
    bool bad;
};

/* The trimmed text of the first node of expr under node, or NULL; the caller frees. */
static char *xtext(struct r *r, xmlNodePtr node, const char *expr)
{
    char *res = NULL;
    r->ctx->node = node;
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, r->ctx);
    if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
        xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
        if (c) {
            const char *s = (const char *)c;
            while (*s && isspace((unsigned char)*s))
                s++;
            size_t n = strlen(s);
            while (n && isspace((unsigned char)s[n - 1]))
                n--;
            if (n) {
                res = strndup(s, n);
                if (!res)
                    abort();
            }
            xmlFree(c);
        }
    }
    xmlXPathFreeObject(o);
    return res;
}

static xmlXPathObjectPtr xnodes(struct r *r, xmlNodePtr node, const char *expr)
{
    r->ctx->node = node;
    return xmlXPathEvalExpression(BAD_CAST expr, r->ctx);
}

/* Sets key to the text of expr (nothing when absent). */
static void set_text(struct r *r, json_t *o, const char *key, xmlNodePtr node, const char *expr)
{
    char *s = xtext(r, node, expr);
    if (s)
        json_object_set_new(o, key, json_string(s));
    free(s);
}

/* A decimal amount ("-12.345") in cents, rounded half away from zero. */
static bool parse_cents(const char *s, long long *out)
{
    bool neg = false;
    long long whole = 0, frac = 0;
    int fd = 0, extra = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (!isdigit((unsigned char)*s) && !(*s == '.' && isdigit((unsigned char)s[1])))
        return false;
    for (; isdigit((unsigned char)*s); s++) {
        if (whole > 100000000000000LL)
            return false;
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.') {
        s++;
        for (; isdigit((unsigned char)*s); s++) {
            if (fd < 2) {
                frac = frac * 10 + (*s - '0');
                fd++;
            } else if (fd == 2) {
                extra = *s - '0';
                fd++;
            }
        }
    }
    if (*s)
        return false;
    while (fd < 2) {
        frac *= 10;
        fd++;
    }
    long long c = whole * 100 + frac + (extra >= 5 ? 1 : 0);
    *out = neg ? -c : c;
    return true;
}

static void set_cents(struct r *r, json_t *o, const char *key, xmlNodePtr node, const char *expr,
                      bool required)
{
    char *s = xtext(r, node, expr);
    long long c = 0;
    if (!s) {
        if (required && !r->bad) {
            snprintf(r->err, r->errlen, "the invoice lacks the amount '%s'", expr);
            r->bad = true;
        }
        return;
    }
    if (!parse_cents(s, &c)) {
        if (!r->bad)
            snprintf(r->err, r->errlen, "'%.40s' is not an amount", s);
        r->bad = true;
    } else {
        json_object_set_new(o, key, json_integer(c));
    }
    free(s);
}

/* The contract's rate name of a VAT category: S 21 -> "21", Z -> "0", E -> "exempt", ... */
static json_t *rate_of(struct r *r, xmlNodePtr cat)
{
    char *id = xtext(r, cat, "cbc:ID"), *pct = xtext(r, cat, "cbc:Percent");
    json_t *res;
    if (id && strcmp(id, "Z") == 0)
        res = json_string("0");
    else if (id && strcmp(id, "E") == 0)
        res = json_string("exempt");
    else if (id && strcmp(id, "AE") == 0)
        res = json_string("reverse_charge");
    else if (pct) {
        /* "21.00" -> "21" */
        char *dot = strchr(pct, '.');
        if (dot && strspn(dot + 1, "0") == strlen(dot + 1))
            *dot = '\0';
        res = json_string(pct);
    } else {
        res = json_string(id ? id : "");
    }
    free(id);
    free(pct);
    return res;
}

static json_t *party_of(struct r *r, xmlNodePtr root, const char *role)
{
    char expr[200];
    json_t *p = json_object();
    snprintf(expr, sizeof expr, "cac:%s/cac:Party", role);
    xmlXPathObjectPtr o = xnodes(r, root, expr);
    if (!o || !o->nodesetval || o->nodesetval->nodeNr == 0) {
        xmlXPathFreeObject(o);
        return p;
    }
    xmlNodePtr n = o->nodesetval->nodeTab[0];
    xmlXPathFreeObject(o);
    set_text(r, p, "name", n, "cac:PartyLegalEntity/cbc:RegistrationName");
    if (!json_object_get(p, "name"))
        set_text(r, p, "name", n, "cac:PartyName/cbc:Name");
    set_text(r, p, "vat", n, "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID");
    set_text(r, p, "kvk", n,
             "cac:PartyLegalEntity/cbc:CompanyID[@schemeID='0106' or not(@schemeID)]");
    if (!json_object_get(p, "kvk"))
        set_text(r, p, "kvk", n, "cbc:EndpointID[@schemeID='0106']");
    set_text(r, p, "street", n, "cac:PostalAddress/cbc:StreetName");
    set_text(r, p, "postcode", n, "cac:PostalAddress/cbc:PostalZone");
    set_text(r, p, "city", n, "cac:PostalAddress/cbc:CityName");
    set_text(r, p, "country", n, "cac:PostalAddress/cac:Country/cbc:IdentificationCode");
    return p;
}

static int read_doc(struct r *r, xmlDocPtr doc, json_t **out)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    bool credit;
    json_t *res = NULL;
    char *number = NULL;
    int rc = -1;

    if (!root || !root->ns)
        goto notubl;
    if (strcmp((const char *)root->name, "Invoice") == 0 &&
        strcmp((const char *)root->ns->href, NS_INVOICE) == 0)
        credit = false;
    else if (strcmp((const char *)root->name, "CreditNote") == 0 &&
             strcmp((const char *)root->ns->href, NS_CREDIT) == 0)
        credit = true;
    else
        goto notubl;

    number = xtext(r, root, "cbc:ID");
    if (!number) {
        snprintf(r->err, r->errlen, "the invoice has no number (cbc:ID)");
        goto out;
    }
    res = json_object();
    json_object_set_new(res, "kind", json_string(credit ? "credit_note" : "invoice"));
    json_object_set_new(res, "number", json_string(number));
    set_text(r, res, "date", root, "cbc:IssueDate");
    if (!json_object_get(res, "date")) {
        snprintf(r->err, r->errlen, "the invoice has no issue date (cbc:IssueDate)");
        goto out;
    }
    set_text(r, res, "due", root, "cbc:DueDate");
    if (!json_object_get(res, "due"))
        set_text(r, res, "due", root, "cac:PaymentMeans/cbc:PaymentDueDate");
    if (!json_object_get(res, "due"))
        json_object_set_new(res, "due", json_null());
    set_text(r, res, "currency", root, "cbc:DocumentCurrencyCode");
    if (!json_object_get(res, "currency"))
        json_object_set_new(res, "currency", json_string("EUR"));
    if (credit)
        set_text(r, res, "credit_of_number", root,
                 "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID");
    json_object_set_new(res, "supplier", party_of(r, root, "AccountingSupplierParty"));
    json_object_set_new(res, "buyer", party_of(r, root, "AccountingCustomerParty"));

    json_t *lines = json_array();
    json_object_set_new(res, "lines", lines);
    xmlXPathObjectPtr o = xnodes(r, root, credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
    for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr && !r->bad; i++) {
        xmlNodePtr n = o->nodesetval->nodeTab[i];
        json_t *l = json_object();
        json_array_append_new(lines, l);
        set_text(r, l, "description", n, "cac:Item/cbc:Name");
        if (!json_object_get(l, "description"))
            set_text(r, l, "description", n, "cac:Item/cbc:Description");
        char *q = xtext(r, n, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity");
        char *end = NULL;
        double qv = q ? strtod(q, &end) : 0;
        if (!q || *end || !isfinite(qv)) {
            snprintf(r->err, r->errlen, "line %d has no quantity", i + 1);
            r->bad = true;
        } else {
            json_object_set_new(l, "quantity", json_real(round(qv * 1000) / 1000));
        }
        free(q);
        set_text(r, l, "unit", n,
                 credit ? "cbc:CreditedQuantity/@unitCode" : "cbc:InvoicedQuantity/@unitCode");
        set_cents(r, l, "unit_price", n, "cac:Price/cbc:PriceAmount", true);
        set_cents(r, l, "net", n, "cbc:LineExtensionAmount", true);
        xmlXPathObjectPtr c = xnodes(r, n, "cac:Item/cac:ClassifiedTaxCategory");
        if (c && c->nodesetval && c->nodesetval->nodeNr > 0)
            json_object_set_new(l, "vat", rate_of(r, c->nodesetval->nodeTab[0]));
        else
            json_object_set_new(l, "vat", json_null());
        xmlXPathFreeObject(c);
    }
    xmlXPathFreeObject(o);
    if (r->bad)
        goto out;
    if (json_array_size(lines) == 0) {
        snprintf(r->err, r->errlen, "the invoice has no lines");
        goto out;
    }

    json_t *totals = json_object(), *vat = json_array();
    json_object_set_new(res, "totals", totals);
    set_cents(r, totals, "net", root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount", true);
    json_object_set_new(totals, "vat", vat);
    set_cents(r, totals, "gross", root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", true);
    o = xnodes(r, root, "cac:TaxTotal[cac:TaxSubtotal]/cac:TaxSubtotal");
    for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr && !r->bad; i++) {
        xmlNodePtr n = o->nodesetval->nodeTab[i];
        json_t *e = json_object();
        json_array_append_new(vat, e);
        xmlXPathObjectPtr c = xnodes(r, n, "cac:TaxCategory");
        if (c && c->nodesetval && c->nodesetval->nodeNr > 0)
            json_object_set_new(e, "rate", rate_of(r, c->nodesetval->nodeTab[0]));
        xmlXPathFreeObject(c);
        set_cents(r, e, "base", n, "cbc:TaxableAmount", true);
        set_cents(r, e, "amount", n, "cbc:TaxAmount", true);
    }
    xmlXPathFreeObject(o);
    if (r->bad)
        goto out;
    *out = res;
    res = NULL;
    rc = 0;
    goto out;
notubl:
    snprintf(r->err, r->errlen, "not a UBL Invoice or CreditNote");
out:
    json_decref(res);
    free(number);
    return rc;
}

/* A DOCTYPE or an entity declaration anywhere: refused before parsing. */
static bool has_dtd(const char *xml, size_t len)
{
    return memmem(xml, len, "<!DOCTYPE", 9) || memmem(xml, len, "<!ENTITY", 8) ||
           memmem(xml, len, "<!doctype", 9);
}

int xrm_ubl_read(const char *xml, size_t len, json_t **out, char *errmsg, size_t errlen)
{
    char dummy[8];
    struct r r = {.err = errmsg && errlen ? errmsg : dummy,
                  .errlen = errmsg && errlen ? errlen : sizeof dummy};
    xmlDocPtr doc = NULL;
    int rc = -1;

    *out = NULL;
    r.err[0] = '\0';
    if (!xml || len == 0) {
        snprintf(r.err, r.errlen, "the file is empty");
        goto out;
    }
    if (len > XRM_UBL_MAX_BYTES || len > INT32_MAX) {
        snprintf(r.err, r.errlen, "the file is larger than 5 MB");
        goto out;
    }
    if (has_dtd(xml, len)) {
        snprintf(r.err, r.errlen, "the XML has a DOCTYPE or entity declarations (refused)");
        goto out;
    }
    /* no XML_PARSE_NOENT, no DTD loading, no network, libxml2's own depth limit (no HUGE) */
    doc = xmlReadMemory(xml, (int)len, "invoice.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();
        snprintf(r.err, r.errlen, "the file is not well-formed XML%s%.120s", e ? ": " : "",
                 e && e->message ? e->message : "");
        size_t n = strlen(r.err);
        while (n && (r.err[n - 1] == '\n' || r.err[n - 1] == ' '))
            r.err[--n] = '\0';
        goto out;
    }
    if (doc->intSubset || doc->extSubset) {
        snprintf(r.err, r.errlen, "the XML has a DOCTYPE or entity declarations (refused)");
        goto out;
    }
    r.ctx = xmlXPathNewContext(doc);
    if (!r.ctx)
        abort();
    xmlXPathRegisterNs(r.ctx, BAD_CAST "cac", BAD_CAST NS_CAC);
    xmlXPathRegisterNs(r.ctx, BAD_CAST "cbc", BAD_CAST NS_CBC);
    rc = read_doc(&r, doc, out);
out:
    if (r.ctx)
        xmlXPathFreeContext(r.ctx);
    xmlFreeDoc(doc);
    return rc;
}
