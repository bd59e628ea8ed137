/*
 * Slowing down password guessing: failed logins are counted, in memory, per
 * user name and client address together, and per client address. After
 * XRM_LOGIN_FREE_USER failures for a name from one address
 * (XRM_LOGIN_FREE_ADDR for an address, whatever the names) within
 * XRM_LOGIN_WINDOW seconds of each other, that pair (address) is locked
 * for a time that doubles with every further failure, from
 * XRM_LOGIN_LOCK_MIN up to XRM_LOGIN_LOCK_MAX seconds. While locked, logins
 * are refused before the password is even checked, so guessing gets no
 * answers. A name is never locked for everyone: a stranger who fails for
 * "admin" from one address locks out only that address, and the real admin
 * logging in from another address gets in. A successful login clears its
 * pair's count (not its address's: a botnet behind one proxy should not be
 * reset by one real user).
 *
 * The client address is the peer's, or the one a trusted reverse proxy
 * forwarded (http/server.c). The counts live in this process: with several
 * xrm nodes behind a load balancer the limit is per node. Unknown names are
 * counted like real ones, so the answers do not tell which names exist. The
 * table has a fixed size; when full, the entry idle longest is reused.
 */
#ifndef XRM_DOMAIN_RATELIMIT_H
#define XRM_DOMAIN_RATELIMIT_H

#include <stdint.h>

#define XRM_LOGIN_FREE_USER 5
#define XRM_LOGIN_FREE_ADDR 20
#define XRM_LOGIN_WINDOW (15 * 60)
#define XRM_LOGIN_LOCK_MIN 30
#define XRM_LOGIN_LOCK_MAX (15 * 60)

/* Seconds until a login for user from addr may be tried (0: now). now: seconds since epoch. */
int64_t xrm_login_wait(const char *user, const char *addr, int64_t now);
/* Records a failed login. */
void xrm_login_failed(const char *user, const char *addr, int64_t now);
/* Records a successful login: clears the failures of user from addr. */
void xrm_login_succeeded(const char *user, const char *addr, int64_t now);
/* Forgets everything (tests). */
void xrm_login_limit_reset(void);

#endif
