/* vmm/strv.h: NULL-terminated string vectors, the shape of an argv. */
#ifndef VMM_STRV_H
#define VMM_STRV_H

#include <stddef.h>

typedef struct vmm_strv {
        char **v;       /* NULL-terminated; NULL while empty */
        size_t n;
} vmm_strv;

/* vmm_strv_pushf: appends a printf-formatted string. 0 or -ENOMEM (the
 * vector is unchanged then). */
int vmm_strv_pushf(vmm_strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* vmm_strv_free: frees every string and the vector; accepts an empty one. */
void vmm_strv_free(vmm_strv *s);

/* vmm_opt_escape: s with each ',' doubled, as QEMU's option parser wants
 * inside "key=value,..." strings. New string, or NULL when out of memory. */
char *vmm_opt_escape(const char *s);

#endif
