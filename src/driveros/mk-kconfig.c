/* mk-kconfig.c: reading Kconfig fragments and checking the .config made of
 * them. The kernel's configurator silently drops a symbol it does not know
 * or whose dependencies are not met; this is what catches both. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-kconfig.h"

static size_t name_length(const char *s)
{
        size_t n = 0;

        if (strncmp(s, "CONFIG_", 7))
                return 0;
        n = 7;
        while (isalnum((unsigned char)s[n]) || s[n] == '_')
                n++;
        return n > 7 ? n : 0;
}

static bool is_number(const char *v)
{
        if (*v == '-')
                v++;
        if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X') && v[2])
                return strspn(v + 2, "0123456789abcdefABCDEF") == strlen(v + 2);
        return *v && strspn(v, "0123456789") == strlen(v);
}

/* "text" with \" and \\ escapes inside, nothing after the closing quote. */
static bool is_string(const char *v)
{
        if (*v++ != '"')
                return false;
        for (; *v && *v != '"'; v++)
                if (*v == '\\' && !*++v)
                        return false;
        return *v == '"' && v[1] == '\0';
}

/* Parses one line (without its newline) into *name / *value (value NULL:
 * not set). Returns NULL, or the reason the line is wrong. A comment or a
 * blank line leaves *name NULL. */
static const char *parse_line(char *l, char **name, char **value)
{
        size_t n, len = strlen(l);

        while (len && isspace((unsigned char)l[len - 1]))
                l[--len] = '\0';
        l += strspn(l, " \t");
        *name = *value = NULL;
        if (!strncmp(l, "# CONFIG_", 9)) {
                n = name_length(l + 2);
                if (n && !strcmp(l + 2 + n, " is not set")) {
                        l[2 + n] = '\0';
                        *name = l + 2;
                }
                return NULL;    /* any other comment */
        }
        if (*l == '#' || *l == '\0')
                return NULL;
        n = name_length(l);
        if (!n || l[n] != '=')
                return "expected CONFIG_NAME=VALUE or '# CONFIG_NAME is not set'";
        l[n] = '\0';
        *name = l;
        *value = l + n + 1;
        if (!strcmp(*value, "m"))
                return "=m: the THATTE kernel has no modules (build it in with =y)";
        if (!strcmp(*value, "n"))
                *value = NULL;
        else if (strcmp(*value, "y") && !is_number(*value) && !is_string(*value))
                return "the value must be y, n, a number or a \"quoted string\"";
        return NULL;
}

static int add_entry(struct mk_kconfig *k, const char *name, const char *value, unsigned line)
{
        struct mk_kconfig_entry *e = realloc(k->entries, (k->n + 1) * sizeof *e);

        if (!e)
                return -ENOMEM;
        k->entries = e;
        e = &k->entries[k->n];
        *e = (struct mk_kconfig_entry){ .name = strdup(name), .value = value ? strdup(value) : NULL,
                                        .file = k->files[k->n_files - 1], .line = line };
        if (!e->name || (value && !e->value)) {
                free(e->name);
                free(e->value);
                return -ENOMEM;
        }
        k->n++;
        return 0;
}

static int add_file(struct mk_kconfig *k, const char *path)
{
        char **f = realloc(k->files, (k->n_files + 1) * sizeof *f);

        if (!f)
                return -ENOMEM;
        k->files = f;
        f[k->n_files] = strdup(path);
        if (!f[k->n_files])
                return -ENOMEM;
        k->n_files++;
        return 0;
}

int mk_kconfig_read(struct mk_kconfig *k, const char *path, const char *text, FILE *err)
{
        char *copy = strdup(text), *name, *value;
        const char *why;
        unsigned line = 0;
        int r = copy ? add_file(k, path) : -ENOMEM;

        /* strtok_r would skip empty lines and lose the count: split by hand. */
        for (char *l = copy, *next; r == 0 && l && *l; l = next) {
                next = strchr(l, '\n');
                if (next)
                        *next++ = '\0';
                line++;
                why = parse_line(l, &name, &value);
                if (why) {
                        fprintf(err, "%s:%u: %s\n", path, line, why);
                        r = -EINVAL;
                } else if (name) {
                        r = add_entry(k, name, value, line);
                }
        }
        free(copy);
        return r;
}

/* The value NAME has in CONFIG (a .config's text): a pointer to it inside
 * CONFIG and its length in *len, or NULL when it is not set. */
static const char *config_value(const char *config, const char *name, size_t *len)
{
        size_t n = strlen(name);

        for (const char *l = config; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                if (!strncmp(l, name, n) && l[n] == '=') {
                        *len = strcspn(l + n + 1, "\n");
                        return l + n + 1;
                }
        }
        return NULL;
}

/* Whether a later entry sets the same name (only the last one counts). */
static bool overridden(const struct mk_kconfig *k, size_t i)
{
        for (size_t j = i + 1; j < k->n; j++)
                if (!strcmp(k->entries[j].name, k->entries[i].name))
                        return true;
        return false;
}

int mk_kconfig_check(const struct mk_kconfig *k, const char *config, FILE *err)
{
        for (size_t i = k->n_base; i < k->n; i++) {
                const struct mk_kconfig_entry *e = &k->entries[i];
                size_t len = 0;
                const char *have = config_value(config, e->name, &len);
                bool holds = e->value ? have && len == strlen(e->value) && !strncmp(have, e->value, len)
                                      : !have;

                if (holds || overridden(k, i))
                        continue;
                fprintf(err, "%s:%u: %s%s%s did not hold: ", e->file, e->line, e->name,
                        e->value ? "=" : " ", e->value ? e->value : "is not set");
                if (have)
                        fprintf(err, "the kernel's configuration made it %s=%.*s (a select or "
                                     "a default wins)\n", e->name, (int)len, have);
                else
                        fprintf(err, "unknown symbol, or one whose dependencies are not met\n");
                return -EINVAL;
        }
        return 0;
}

int mk_kconfig_diff(const char *base, const char *edited, FILE *out, FILE *err)
{
        struct mk_kconfig k = { 0 };
        int r = mk_kconfig_read(&k, "the edited configuration", edited, err), n = 0;

        for (size_t i = 0; r == 0 && i < k.n; i++) {
                const struct mk_kconfig_entry *e = &k.entries[i];
                size_t len = 0;
                const char *had = config_value(base, e->name, &len);

                if (e->value ? had && len == strlen(e->value) && !strncmp(had, e->value, len) : !had)
                        continue;
                if (e->value)
                        fprintf(out, "%s=%s\n", e->name, e->value);
                else
                        fprintf(out, "# %s is not set\n", e->name);
                n++;
        }
        mk_kconfig_done(&k);
        if (r == 0 && (fflush(out) != 0 || ferror(out)))
                r = -EIO;
        return r < 0 ? r : n;
}

int mk_kconfig_write(const struct mk_kconfig *k, FILE *out)
{
        for (size_t i = 0; i < k->n; i++) {
                const struct mk_kconfig_entry *e = &k->entries[i];

                if (overridden(k, i))
                        continue;
                if (e->value)
                        fprintf(out, "%s=%s\n", e->name, e->value);
                else
                        fprintf(out, "# %s is not set\n", e->name);
        }
        return fflush(out) == 0 && !ferror(out) ? 0 : -errno;
}

void mk_kconfig_done(struct mk_kconfig *k)
{
        if (!k)
                return;
        for (size_t i = 0; i < k->n; i++) {
                free(k->entries[i].name);
                free(k->entries[i].value);
        }
        for (size_t i = 0; i < k->n_files; i++)
                free(k->files[i]);
        free(k->entries);
        free(k->files);
        *k = (struct mk_kconfig){ 0 };
}
