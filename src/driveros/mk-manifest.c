/* mk-manifest.c: what an image folder holds and how it was made. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-manifest.h"
#include "driveros/mk-sha256.h"

static bool one_line(const char *s)
{
        return s && !strpbrk(s, "\r\n");
}

static int by_string(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int write_digest(FILE *out, const char *dir, const char *name)
{
        uint8_t d[MK_SHA256_SIZE];
        char hex[2 * MK_SHA256_SIZE + 1];
        char *path;
        int r;

        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        r = mk_sha256_file(path, d);
        free(path);
        if (r < 0)
                return r;
        mk_sha256_hex(d, hex);
        fprintf(out, "%s  %s\n", hex, name);
        return 0;
}

int mk_manifest_write(FILE *out, const struct mk_manifest_field *fields, size_t n_fields,
                      const char *dir, const char *const *files)
{
        const char **sorted;
        size_t n = 0;
        int r = 0;

        for (size_t i = 0; i < n_fields; i++)
                if (!one_line(fields[i].key) || !one_line(fields[i].value) ||
                    strchr(fields[i].key, ':'))
                        return -EINVAL;
        while (files[n])
                if (!one_line(files[n]) || strchr(files[n], '/') || !files[n++][0])
                        return -EINVAL;
        sorted = malloc((n + 1) * sizeof *sorted);
        if (!sorted)
                return -ENOMEM;
        memcpy(sorted, files, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, by_string);
        for (size_t i = 0; i < n_fields; i++)
                fprintf(out, "# %s: %s\n", fields[i].key, fields[i].value);
        for (size_t i = 0; i < n && r == 0; i++)
                r = write_digest(out, dir, sorted[i]);
        free(sorted);
        if (r == 0 && (fflush(out) != 0 || ferror(out)))
                r = -EIO;
        return r;
}
