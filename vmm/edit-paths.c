/* vmm/edit-paths.c: see edit-paths.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit-paths.h"
#include "thatte-toml.h"

#define MAX_PATHS 32

typedef struct rel_path {
        unsigned line;
        const char *value;
} rel_path;

static void add(const thatte_toml_value *v, rel_path *out, size_t *n)
{
        if (v && v->type == THATTE_TOML_STRING && v->string[0] && v->string[0] != '/' && *n < MAX_PATHS)
                out[(*n)++] = (rel_path){ v->line, v->string };
}

/* The relative paths of the profile's path keys, with their lines. */
static size_t find_relative(const thatte_toml_value *root, rel_path *out)
{
        static const char *const boot_keys[] = { "esp", "kernel", "initrd" };
        static const char *const tables[] = { "disk", "share" };
        const thatte_toml_value *boot = thatte_toml_get(root, "boot");
        size_t n = 0;

        for (size_t i = 0; boot && boot->type == THATTE_TOML_TABLE && i < 3; i++)
                add(thatte_toml_get(boot, boot_keys[i]), out, &n);
        for (size_t t = 0; t < 2; t++) {
                const thatte_toml_value *a = thatte_toml_get(root, tables[t]);

                for (size_t i = 0; a && a->type == THATTE_TOML_ARRAY && i < a->array.n; i++)
                        if (a->array.items[i]->type == THATTE_TOML_TABLE)
                                add(thatte_toml_get(a->array.items[i], "path"), out, &n);
        }
        return n;
}

/* Writes one line (len bytes), its relative path (if any) made absolute:
 * the first quoted copy of the value after '=' becomes "dir/value". */
static void put_line(FILE *f, const char *line, size_t len, const rel_path *p, const char *dir)
{
        const char *eq = memchr(line, '=', len);
        size_t vlen = p ? strlen(p->value) : 0;

        for (const char *q = eq; p && q && q + vlen + 2 <= line + len; q++) {
                if ((*q != '"' && *q != '\'') || memcmp(q + 1, p->value, vlen) != 0 || q[vlen + 1] != *q)
                        continue;
                if (strpbrk(p->value, "\"\\") || strpbrk(dir, "\"\\"))
                        break;
                fwrite(line, 1, (size_t)(q - line), f);
                fprintf(f, "\"%s/%s\"", dir, p->value);
                fwrite(q + vlen + 2, 1, (size_t)(line + len - (q + vlen + 2)), f);
                return;
        }
        fwrite(line, 1, len, f);
}

int vmm_absolute_paths(const char *data, size_t size, const char *dir, char **ret, size_t *ret_size)
{
        thatte_toml_value *root = NULL;
        thatte_toml_error err;
        rel_path paths[MAX_PATHS];
        size_t n = 0, off = 0;
        unsigned line = 1;
        FILE *f = open_memstream(ret, ret_size);

        if (!f)
                return -ENOMEM;
        if (thatte_toml_parse(data, size, &root, &err) == 0)
                n = find_relative(root, paths);
        while (off < size) {
                const char *nl = memchr(data + off, '\n', size - off);
                size_t len = nl ? (size_t)(nl - (data + off)) + 1 : size - off;
                const rel_path *p = NULL;

                for (size_t i = 0; i < n && !p; i++)
                        p = paths[i].line == line ? &paths[i] : NULL;
                put_line(f, data + off, len, p, dir);
                off += len;
                line++;
        }
        thatte_toml_free(root);
        return fclose(f) == 0 ? 0 : -ENOMEM;
}
