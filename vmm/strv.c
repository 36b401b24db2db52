/* vmm/strv.c: string vectors and QEMU option escaping. */
#define _GNU_SOURCE 1     /* vasprintf */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

int vmm_strv_pushf(vmm_strv *s, const char *fmt, ...)
{
        char *str, **v;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&str, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        v = realloc(s->v, (s->n + 2) * sizeof(char *));
        if (!v) {
                free(str);
                return -ENOMEM;
        }
        v[s->n++] = str;
        v[s->n] = NULL;
        s->v = v;
        return 0;
}

void vmm_strv_free(vmm_strv *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->v[i]);
        free(s->v);
        s->v = NULL;
        s->n = 0;
}

char *vmm_opt_escape(const char *s)
{
        size_t n = strlen(s), commas = 0;
        char *out, *o;

        for (size_t i = 0; i < n; i++)
                commas += s[i] == ',';
        out = malloc(n + commas + 1);
        if (!out)
                return NULL;
        o = out;
        for (size_t i = 0; i < n; i++) {
                *o++ = s[i];
                if (s[i] == ',')
                        *o++ = ',';
        }
        *o = 0;
        return out;
}
