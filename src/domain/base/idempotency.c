/*
 * Idempotency keys (idempotency.h): the request hash, the check that a
 * replayed key stands for the same request, and storing a first answer.
 */
#include "domain/base/idempotency.h"
#include "domain/base/idempotency-db.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/util.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/banned.h"

void xrm_idempotency_hash(const char *method, const char *path, const char *body, size_t body_len,
                          char out[XRM_IDEMPOTENCY_HASH_LEN])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    uint64_t n;
    crypto_hash_sha256_init(&st);
    const char *parts[3] = {method, path, body ? body : ""};
    size_t lens[3] = {strlen(method), strlen(path), body ? body_len : 0};
    for (int i = 0; i < 3; i++) {
        n = lens[i];
        crypto_hash_sha256_update(&st, (const unsigned char *)&n, sizeof(n));
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], lens[i]);
    }
    crypto_hash_sha256_final(&st, h);
    xrm_hex(h, sizeof(h), out);
}

enum xrm_rc xrm_idempotency_find(struct xrm_db *db, int64_t user, const char *key,
                                 const char *method, const char *path, const char *hash,
                                 struct xrm_idempotency_answer *out, bool *found,
                                 struct xrm_err *err)
{
    struct xrm_idem_row row = {0};
    enum xrm_rc rc = xrm_idem_db_load(db, user, key, &row, found, err);
    if (rc || !*found)
        goto out;
    if (strcmp(row.method ? row.method : "", method) != 0 ||
        strcmp(row.path ? row.path : "", path) != 0 ||
        (row.request_hash && strcmp(row.request_hash, hash) != 0)) {
        rc = xrm_err_field(err, XRM_E_INVALID, "Idempotency-Key",
                           "this key was already used for another request (another method, "
                           "path or body); use a new key for a new request");
        xrm_err_code(err, "idempotency_key_reused");
        goto out;
    }
    out->status = row.status;
    out->body = xrm_json_load_stored(row.body, false);
    xrm_strlcpy(out->location, row.location ? row.location : "", sizeof(out->location));
out:
    xrm_idem_db_row_release(&row);
    return rc;
}

struct save_arg {
    const struct xrm_idem_row *row;
};

static enum xrm_rc save_tx(struct xrm_db *db, void *arg, struct xrm_err *err)
{
    struct save_arg *a = arg;
    char now[XRM_TIME_LEN];
    xrm_now(now);
    return xrm_idem_db_insert(db, a->row, now, err);
}

enum xrm_rc xrm_idempotency_save(struct xrm_store *st, int64_t user, const char *key,
                                 const char *method, const char *path, const char *hash,
                                 const struct xrm_idempotency_answer *answer, struct xrm_err *err)
{
    char *body = answer->body ? xrm_json_dump(answer->body) : xrm_strdup("{}");
    struct xrm_idem_row row = {
        .user = user,
        .key = key,
        .method = method,
        .path = path,
        .request_hash = hash,
        .status = answer->status,
        .body = body,
        .location = answer->location[0] ? answer->location : NULL,
    };
    struct save_arg a = {&row};
    enum xrm_rc rc = xrm_store_write(st, save_tx, &a, err);
    free(body);
    return rc;
}
