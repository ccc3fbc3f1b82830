/* mie_banned.h — functions that must not be used in mie (as git's banned.h).
 *
 * Included last by mie_buf.h, so every file that builds strings sees it after
 * the system headers.  Use mie_buf (length-carrying) instead. */
#ifndef MIE_BANNED_H
#define MIE_BANNED_H

#define MIE_BANNED(func) sorry_##func##_is_banned_use_mie_buf
#undef strcpy
#define strcpy(x, y) MIE_BANNED(strcpy)
#undef strcat
#define strcat(x, y) MIE_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) MIE_BANNED(strncpy)
#undef sprintf
#define sprintf(...) MIE_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) MIE_BANNED(vsprintf)
#undef gets
#define gets(x) MIE_BANNED(gets)

#endif
