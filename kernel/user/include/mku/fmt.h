/* mku/fmt.h: a small printf for freestanding programs (user programs and
 * the kernel's log): %s %c %d %u %x %p with the l and ll length modifiers,
 * a zero or space padded width and %%.
 * Nothing else (no floats, no precision): what log lines need. */
#ifndef MKU_FMT_H
#define MKU_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* mku_vformat: format into buf (size bytes, always NUL-terminated when
 * size > 0). Returns the length the full output would have, like
 * vsnprintf, so a result >= size means it was cut. */
int mku_vformat(char *buf, size_t size, const char *fmt, va_list ap);

int mku_format(char *buf, size_t size, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* mku_print: format one piece of output (at most 255 bytes) and write it
 * with mku_debug_put. */
void mku_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mku_vline: one line, prefix (at most 128 bytes of it) then the
 * formatted text, cut to fit 256 bytes with its newline, in one write. */
void mku_vline(const char *prefix, const char *fmt, va_list ap);

#endif
