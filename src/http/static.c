/*
 * Static files of the web app, served from a directory (the repository's
 * web/ folder by default). Paths are checked before any file is opened: no
 * "..", no hidden files, no backslashes; paths without a file extension
 * fall back to index.html so the single-page app can own its URLs.
 */
#include "http/static.h"
#include "core/buf.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"

#define STATIC_MAX_FILE (8 * 1024 * 1024)
#define STATIC_MAX_PATH 512

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

static bool safe_path(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > STATIC_MAX_PATH || p[0] != '/')
        return false;
    for (const char *c = p; *c; c++) {
        if (*c == '\\' || (unsigned char)*c < 0x20)
            return false;
        if (*c == '/' && c[1] == '.')
            return false; /* "..", hidden files */
    }
    return true;
}

static bool read_file(const char *path, char **data, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0)
        return false;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > STATIC_MAX_FILE) {
        close(fd);
        return false;
    }
    char *buf = xrm_malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got != (size_t)sb.st_size) {
        free(buf);
        return false;
    }
    *data = buf;
    *len = got;
    return true;
}

bool xrm_static_serve(const char *root, const char *url, struct xrm_resp *resp)
{
    char path[STATIC_MAX_PATH + 256];
    const char *file = url;

    if (!root || !safe_path(url))
        return false;
    if (strcmp(url, "/") == 0)
        file = "/index.html";
    const char *type = type_for(file);
    if (!type) {
        const char *slash = strrchr(url, '/');
        if (strchr(slash, '.'))
            return false;     /* an unknown kind of file */
        file = "/index.html"; /* an app route */
        type = type_for(file);
    }
    snprintf(path, sizeof(path), "%s%s", root, file);
    char *data;
    size_t len;
    if (!read_file(path, &data, &len))
        return false;
    resp->status = 200;
    resp->raw = data;
    resp->raw_len = len;
    resp->content_type = type;
    /* the shell and the service worker are checked each time, so a release shows at once */
    bool fresh = strcmp(file, "/index.html") == 0 || strcmp(file, "/sw.js") == 0 ||
                 strcmp(file, "/offline.html") == 0 || strcmp(file, "/manifest.webmanifest") == 0;
    resp->cache = fresh ? "no-cache" : "public, max-age=300";
    return true;
}
