/*
 * Previews of documents (preview.h): gdk-pixbuf for images, poppler-glib
 * and Cairo for PDF.
 */
#include "io/preview.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <poppler.h>
#include <string.h>

#include "core/banned.h"

static const char *const image_types[] = {"image/png", "image/jpeg", "image/gif", "image/webp",
                                          NULL};

bool xrm_preview_supported(const char *type)
{
    if (!type)
        return false;
    if (strcmp(type, "application/pdf") == 0)
        return true;
    for (size_t i = 0; image_types[i]; i++)
        if (strcmp(type, image_types[i]) == 0)
            return true;
    return false;
}

static enum xrm_rc no_preview(struct xrm_err *err)
{
    return xrm_errf(err, XRM_E_NOTFOUND, "no preview");
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
    xrm_buf_add(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

struct fit {
    bool too_big;
};

/* Before the pixels are decoded: refuse a huge image, scale a wide one down. */
static void on_size(GdkPixbufLoader *loader, gint w, gint h, gpointer arg)
{
    struct fit *f = arg;
    if (w <= 0 || h <= 0 || (double)w * (double)h > XRM_PREVIEW_MAX_PIXELS) {
        f->too_big = true;
        gdk_pixbuf_loader_set_size(loader, 1, 1); /* decode as little as possible */
        return;
    }
    if (w > XRM_PREVIEW_WIDTH) {
        int nh = (int)((double)h * XRM_PREVIEW_WIDTH / w);
        gdk_pixbuf_loader_set_size(loader, XRM_PREVIEW_WIDTH, nh > 0 ? nh : 1);
    }
}

static gboolean save_cb(const gchar *buf, gsize count, GError **error, gpointer data)
{
    (void)error;
    xrm_buf_add(data, buf, count);
    return TRUE;
}

static enum xrm_rc image_png(const char *type, const void *data, size_t len, struct xrm_buf *out,
                             struct xrm_err *err)
{
    GError *ge = NULL;
    struct fit f = {false};
    enum xrm_rc rc = XRM_OK;
    GdkPixbufLoader *l = gdk_pixbuf_loader_new_with_mime_type(type, &ge);
    if (!l) {
        g_clear_error(&ge);
        return no_preview(err);
    }
    g_signal_connect(l, "size-prepared", G_CALLBACK(on_size), &f);
    bool ok = gdk_pixbuf_loader_write(l, data, len, &ge);
    ok = gdk_pixbuf_loader_close(l, ok ? &ge : NULL) && ok;
    g_clear_error(&ge);
    GdkPixbuf *pb = ok && !f.too_big ? gdk_pixbuf_loader_get_pixbuf(l) : NULL;
    if (!pb)
        rc = no_preview(err);
    else if (!gdk_pixbuf_save_to_callback(pb, save_cb, out, "png", &ge, NULL))
        rc = xrm_errf(err, XRM_E_INTERNAL, "cannot write the preview");
    g_clear_error(&ge);
    g_object_unref(l);
    return rc;
}

static enum xrm_rc pdf_png(const void *data, size_t len, struct xrm_buf *out, struct xrm_err *err)
{
    GError *ge = NULL;
    enum xrm_rc rc = XRM_OK;
    PopplerPage *page = NULL;
    cairo_surface_t *s = NULL;
    cairo_t *cr = NULL;
    GBytes *bytes = g_bytes_new(data, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &ge);
    g_clear_error(&ge);
    if (!doc || poppler_document_get_n_pages(doc) < 1 ||
        !(page = poppler_document_get_page(doc, 0))) {
        rc = no_preview(err);
        goto out;
    }
    double w = 0, h = 0;
    poppler_page_get_size(page, &w, &h);
    /* points; A0 is 2384 x 3370 */
    if (!(w > 1 && h > 1 && w < 14400 && h < 14400)) {
        rc = no_preview(err);
        goto out;
    }
    double scale = XRM_PREVIEW_WIDTH / w;
    int pw = XRM_PREVIEW_WIDTH, ph = (int)(h * scale + 0.5);
    if (ph < 1 || (double)pw * ph > XRM_PREVIEW_MAX_PIXELS) {
        rc = no_preview(err);
        goto out;
    }
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_surface_flush(s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_write_to_png_stream(s, write_buf, out) != CAIRO_STATUS_SUCCESS)
        rc = xrm_errf(err, XRM_E_INTERNAL, "cannot write the preview");
out:
    if (cr)
        cairo_destroy(cr);
    if (s)
        cairo_surface_destroy(s);
    if (page)
        g_object_unref(page);
    if (doc)
        g_object_unref(doc);
    g_bytes_unref(bytes);
    return rc;
}

enum xrm_rc xrm_preview_png(const char *type, const void *data, size_t len, struct xrm_buf *out,
                            struct xrm_err *err)
{
    if (!xrm_preview_supported(type))
        return no_preview(err);
    if (strcmp(type, "application/pdf") == 0)
        return pdf_png(data, len, out, err);
    return image_png(type, data, len, out, err);
}
