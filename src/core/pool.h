/*
 * A per-thread cache of small freed blocks, for jansson.
 *
 * A party read builds and frees about 500 small JSON values. glibc's own
 * per-thread cache keeps 7 blocks per size, so most of them went through
 * the slower shared bins (a fifth of the instructions of a read). This
 * cache keeps freed blocks of up to XRM_POOL_MAX_SMALL bytes per size
 * class and thread, up to a byte budget per thread; everything else goes
 * to malloc and free. A block may be freed on another thread than the one
 * that allocated it: it then joins the cache of the freeing thread. A
 * thread's cache is released when the thread ends.
 *
 * Blocks carry no header (a freed block's size class is read from glibc
 * with malloc_usable_size), so the cache costs no memory per live block;
 * still, memory from xrm_pool_malloc is freed with xrm_pool_free. A first
 * version with a 16-byte header per block made the automation pass on 1M
 * parties, which holds many JSON values at once, peak 50 MB higher.
 */
#ifndef XRM_CORE_POOL_H
#define XRM_CORE_POOL_H

#include <stddef.h>

#define XRM_POOL_MAX_SMALL 248 /* the usable size of glibc's 256-byte chunk */

void *xrm_pool_malloc(size_t n);
void xrm_pool_free(void *p);

/* Bytes held in the calling thread's cache (for tests). */
size_t xrm_pool_cached_bytes(void);
/*
 * The most bytes a thread's cache holds (2 MiB; 0 under AddressSanitizer,
 * so that its use-after-free checks see every free). For tests; call
 * before other threads use the pool.
 */
void xrm_pool_set_budget(size_t bytes);

/*
 * Makes jansson allocate through the pool. Call before the first jansson
 * call of the process: a value allocated before would be freed wrongly.
 * Text from json_dumps is then freed with xrm_pool_free (xrm_json_text_free).
 */
void xrm_pool_install_json(void);

#endif
