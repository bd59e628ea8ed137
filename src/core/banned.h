/*
 * Functions we never call: unbounded copies, non-reentrant time and tokens,
 * and conversions without error reporting. Included last by every .c file
 * through core/common.h, so any use is a compile error.
 */
#ifndef XRM_CORE_BANNED_H
#define XRM_CORE_BANNED_H

#define XRM_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) XRM_BANNED(strcpy)
#undef strcat
#define strcat(x, y) XRM_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) XRM_BANNED(strncpy)
#undef sprintf
#define sprintf(...) XRM_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) XRM_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) XRM_BANNED(strtok)
#undef gmtime
#define gmtime(t) XRM_BANNED(gmtime)
#undef localtime
#define localtime(t) XRM_BANNED(localtime)
#undef atoi
#define atoi(x) XRM_BANNED(atoi)

#endif
