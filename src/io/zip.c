/*
 * ZIP archives in memory with libzip (see zip.h): the archive is built in
 * a buffer source kept past zip_close, then copied out of it.
 */
#include "io/zip.h"

#include <stdio.h>
#include <zip.h>

#include "core/banned.h"

enum xrm_rc xrm_zip_write(const struct xrm_zip_entry *e, size_t n, struct xrm_buf *out,
                          struct xrm_err *err)
{
    zip_error_t ze;
    zip_t *za = NULL;
    enum xrm_rc rc = XRM_E_INTERNAL;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        goto out;
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za)
        goto out;
    for (size_t i = 0; i < n; i++) {
        zip_source_t *fs = zip_source_buffer(za, e[i].data, e[i].len, 0);
        if (!fs)
            goto out;
        if (zip_file_add(za, e[i].name, fs, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            zip_source_free(fs);
            goto out;
        }
    }
    int closed = zip_close(za);
    za = NULL;
    if (closed < 0 || zip_source_open(src) < 0)
        goto out;
    if (zip_source_seek(src, 0, SEEK_END) == 0) {
        zip_int64_t size = zip_source_tell(src);
        if (size >= 0 && zip_source_seek(src, 0, SEEK_SET) == 0) {
            xrm_buf_grow(out, (size_t)size);
            char chunk[8192];
            zip_int64_t got, total = 0;
            while ((got = zip_source_read(src, chunk, sizeof(chunk))) > 0) {
                xrm_buf_add(out, chunk, (size_t)got);
                total += got;
            }
            if (got == 0 && total == size)
                rc = XRM_OK;
        }
    }
    zip_source_close(src);
out:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    if (rc)
        return xrm_errf(err, rc, "cannot write the ZIP archive");
    return XRM_OK;
}
