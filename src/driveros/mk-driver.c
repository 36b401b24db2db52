/* mk-driver.c: finding a driver for --driver (see mk-driver.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "driveros/mk-driver.h"
#include "driveros/mk-fs.h"
#include "thatte-suggest.h"

#define MAX_SYMBOLS 256         /* a driver with its dependencies */
#define MAX_MATCHES 16          /* modules a PCI id names */
#define MAX_SUGGESTIONS 8

bool mk_driver_is_pci_id(const char *q)
{
        for (int i = 0; i < 9; i++)
                if (i == 4 ? q[i] != ':' : !isxdigit((unsigned char)q[i]))
                        return false;
        return q[9] == '\0';
}

/* Whether s is among the first n of v (which may end sooner, at NULL). */
static bool has(char *const *v, size_t n, const char *s)
{
        for (size_t i = 0; i < n && v[i]; i++)
                if (!strcmp(v[i], s))
                        return true;
        return false;
}

/* Adds SYM and, breadth first, what it depends on that a user can set. */
static int closure(const struct mk_ktree *t, const char *sym, char ***syms, size_t *n)
{
        size_t at = *n;

        if (!has(*syms, *n, sym) && *n < MAX_SYMBOLS && !((*syms)[(*n)++] = strdup(sym)))
                return -ENOMEM;
        for (; at < *n; at++) {
                const struct mk_ksym *k = mk_ktree_symbol(t, (*syms)[at]);

                for (size_t i = 0; k && k->deps[i]; i++) {
                        const struct mk_ksym *d = mk_ktree_symbol(t, k->deps[i]);

                        if (!d || !d->prompt || !d->boolean || has(*syms, *n, d->name))
                                continue;
                        if (*n == MAX_SYMBOLS)
                                return -E2BIG;
                        if (!((*syms)[(*n)++] = strdup(d->name)))
                                return -ENOMEM;
                }
        }
        return 0;
}

static int choosable(const struct mk_ktree *t, const char *sym, FILE *err)
{
        const struct mk_ksym *k = mk_ktree_symbol(t, sym);

        if (k && k->prompt && k->boolean)
                return 0;
        fprintf(err, "thatte-driveros-make: --driver: CONFIG_%s %s\n", sym,
                !k ? "is not in the tree's Kconfig for x86" :
                !k->boolean ? "is not a bool or tristate option" :
                "has no prompt: it is only selected by other options");
        return -EINVAL;
}

/* The virtio device type of a virtio PCI device id, or 0 (the virtio
 * specification, "PCI Device Discovery": transitional ids 0x1000-0x103f
 * name their type by a table, modern ones are 0x1040 + type). */
static unsigned virtio_type(unsigned dev)
{
        static const unsigned legacy[][2] = {
                { 0x1000, 1 }, { 0x1001, 2 }, { 0x1002, 5 }, { 0x1003, 3 },
                { 0x1004, 8 }, { 0x1005, 4 }, { 0x1009, 9 },
        };

        for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
                if (legacy[i][0] == dev)
                        return legacy[i][1];
        return dev >= 0x1040 && dev <= 0x107f ? dev - 0x1040 : 0;
}

/* Whether the 8-digit field at p ("0000100E" or "*") admits v. */
static bool field_admits(const char *p, unsigned v)
{
        char want[9];

        if (*p == '*')
                return true;
        snprintf(want, sizeof want, "%08X", v);
        return !strncasecmp(p, want, 8);
}

/* Whether the rest of a pci: alias pattern names a class ("bc02" ...). */
static bool by_class(const char *p)
{
        const char *bc = strstr(p, "bc");

        return bc && bc < p + strcspn(p, " \n") && bc[2] != '*';
}

/* The modules of ALIASES lines "alias PREFIX... MODULE" whose pattern
 * admits (a, b): pci:vAAAAAAAAdBBBBBBBB..., virtio:dAAAAAAAAvBBBBBBBB. */
static size_t alias_modules(const char *aliases, const char *prefix, unsigned a, char second,
                            unsigned b, char **out, size_t n)
{
        size_t plen = strlen(prefix);

        for (const char *l = aliases; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
                const char *p = l + 6, *eol = l + strcspn(l, "\n"), *name;
                char *m;

                if (strncmp(l, "alias ", 6) || strncmp(p, prefix, plen) || !field_admits(p + plen, a))
                        continue;
                p += plen + (p[plen] == '*' ? 1 : 8);
                /* A match by device class (bc...), which an id does not say. */
                if (*p != second || !field_admits(p + 1, b) || by_class(p))
                        continue;
                name = memrchr(l, ' ', (size_t)(eol - l)) + 1;
                m = strndup(name, (size_t)(eol - name));
                if (m && !has(out, n, m) && n < MAX_MATCHES)
                        out[n++] = m;
                else
                        free(m);
        }
        return n;
}

static char *found_module(const struct mk_kmod *m)
{
        return mk_path("%s (%s)", m->module, m->dir);
}

/* A PCI id: the modules that claim it; for a virtio device also the
 * driver of its virtio type. */
static int resolve_pci(const struct mk_ktree *t, const char *aliases, const char *q, FILE *err,
                       char ***syms, size_t *n, char **found)
{
        unsigned ven = (unsigned)strtoul(q, NULL, 16), dev = (unsigned)strtoul(q + 5, NULL, 16);
        char *mods[MAX_MATCHES] = { 0 };
        size_t nm = 0;
        int r = 0;

        if (!aliases) {
                fprintf(err, "thatte-driveros-make: --driver %s: PCI ids need the modules.alias of "
                             "Debian's kernel, which could not be read\n", q);
                return -EINVAL;
        }
        nm = alias_modules(aliases, "pci:v", ven, 'd', dev, mods, 0);
        if (ven == 0x1af4 && virtio_type(dev))
                nm = alias_modules(aliases, "virtio:d", virtio_type(dev), 'v', 0, mods, nm);
        for (size_t i = 0; r == 0 && i < nm; i++) {
                const struct mk_kmod *m = mk_ktree_module(t, mods[i]);
                char *more;

                if (!m || choosable(t, m->symbol, err) < 0)
                        continue;
                r = closure(t, m->symbol, syms, n);
                more = mk_path("%s%s%s", *found ? *found : "", *found ? ", " : "", m->module);
                free(*found);
                *found = more;
        }
        for (size_t i = 0; i < nm; i++)
                free(mods[i]);
        if (r == 0 && !*n) {
                fprintf(err, "thatte-driveros-make: --driver %s: no driver in the tree claims "
                             "this PCI id\n", q);
                r = -ENOENT;
        }
        return r;
}

/* Module and symbol names: case ignored, '-' as '_'. */
static bool same_name(char a, char b)
{
        return tolower((unsigned char)(a == '-' ? '_' : a)) == tolower((unsigned char)(b == '-' ? '_' : b));
}

/* Edit distance of a name and the query, capped at 9. */
static unsigned distance(const char *a, const char *b)
{
        size_t d = thatte_suggest_distance(a, b, same_name);

        return d < 9 ? (unsigned)d : 9;
}

struct suggestion {
        const char *name;
        unsigned d;
};

static void consider(struct suggestion *s, size_t *n, const char *name, const char *q)
{
        unsigned d = distance(name, q);
        size_t at = *n;

        if (d > 2 + (strlen(q) > 8))
                return;
        for (size_t i = 0; i < *n; i++)         /* e1000 and E1000: once */
                if (!strcasecmp(s[i].name, name))
                        return;
        if (*n == MAX_SUGGESTIONS) {
                if (s[*n - 1].d <= d)
                        return;
                at = --*n;
        }
        while (at && s[at - 1].d > d) {         /* keep the list sorted by distance */
                s[at] = s[at - 1];
                at--;
        }
        s[at] = (struct suggestion){ name, d };
        ++*n;
}

static int unknown(const struct mk_ktree *t, const char *q, FILE *err)
{
        struct suggestion s[MAX_SUGGESTIONS];
        size_t n = 0;

        for (size_t i = 0; i < t->n_mods; i++)
                consider(s, &n, t->mods[i].module, q);
        for (size_t i = 0; i < t->n_syms; i++)
                if (t->syms[i].prompt && t->syms[i].boolean)
                        consider(s, &n, t->syms[i].name, q + (strncmp(q, "CONFIG_", 7) ? 0 : 7));
        fprintf(err, "thatte-driveros-make: --driver: unknown driver '%s': not a module, Kconfig "
                     "symbol or PCI id (VVVV:DDDD) of the tree\n", q);
        if (n) {
                fprintf(err, "thatte-driveros-make: close matches:");
                for (size_t i = 0; i < n; i++)
                        fprintf(err, " %s", s[i].name);
                fputc('\n', err);
        }
        fprintf(err, "thatte-driveros-make: '--driver help' lists the tree's drivers\n");
        return -ENOENT;
}

static void free_syms(char **syms, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(syms[i]);
        free(syms);
}

int mk_driver_resolve(const struct mk_ktree *t, const char *aliases, const char *q, FILE *err,
                      struct mk_driver *ret)
{
        char **syms = calloc(MAX_SYMBOLS + 1, sizeof *syms), *found = NULL;
        const struct mk_kmod *m = mk_ktree_module(t, q);
        const struct mk_ksym *k = mk_ktree_symbol(t, q);
        size_t n = 0;
        int r = syms ? 0 : -ENOMEM;

        if (r == 0 && mk_driver_is_pci_id(q))
                r = resolve_pci(t, aliases, q, err, &syms, &n, &found);
        else if (r == 0 && (m || k)) {
                const char *sym = m ? m->symbol : k->name;

                found = m ? found_module(m) : mk_path("CONFIG_%s", k->name);
                r = choosable(t, sym, err);
                if (r == 0)
                        r = closure(t, sym, &syms, &n);
        } else if (r == 0)
                r = unknown(t, q, err);
        if (r == -E2BIG)
                fprintf(err, "thatte-driveros-make: --driver %s: more than %d options\n", q, MAX_SYMBOLS);
        if (r < 0) {
                free_syms(syms, n);
                free(found);
                return r == -E2BIG ? -EINVAL : r;
        }
        *ret = (struct mk_driver){ .found = found, .symbols = syms };
        return 0;
}

int mk_driver_fragment(const struct mk_driver *d, const char *const *queries, size_t n, FILE *out)
{
        fprintf(out, "# Written by thatte-driveros-make for --driver.\n");
        for (size_t i = 0; i < n; i++) {
                fprintf(out, "# --driver %s: %s\n", queries[i], d[i].found);
                for (size_t j = 0; d[i].symbols[j]; j++) {
                        bool seen = false;

                        for (size_t p = 0; p < i && !seen; p++)
                                seen = has(d[p].symbols, SIZE_MAX, d[i].symbols[j]);
                        if (!seen)
                                fprintf(out, "CONFIG_%s=y\n", d[i].symbols[j]);
                }
        }
        return fflush(out) == 0 && !ferror(out) ? 0 : -EIO;
}

void mk_driver_done(struct mk_driver *d)
{
        if (!d)
                return;
        for (size_t i = 0; d->symbols && d->symbols[i]; i++)
                free(d->symbols[i]);
        free(d->symbols);
        free(d->found);
        *d = (struct mk_driver){ 0 };
}

/* The class of a module's folder: its first two components. */
static size_t class_len(const char *dir)
{
        const char *slash = strchr(dir, '/');

        return slash ? (size_t)(slash - dir) + 1 + strcspn(slash + 1, "/") : strlen(dir);
}

static bool in_class(const char *dir, const char *class)
{
        size_t n = strlen(class);

        return !strncmp(dir, class, n) && (dir[n] == '/' || dir[n] == '\0');
}

static bool listed(const struct mk_ktree *t, const struct mk_kmod *m)
{
        const struct mk_ksym *k = mk_ktree_symbol(t, m->symbol);

        return k && k->prompt && k->boolean;
}

static int by_string(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t class_count(const struct mk_ktree *t, const char *class)
{
        size_t n = 0;

        for (size_t i = 0; i < t->n_mods; i++)
                n += listed(t, &t->mods[i]) && in_class(t->mods[i].dir, class);
        return n;
}

/* Every class (sorted) with how many modules it offers. */
static size_t help_classes(const struct mk_ktree *t, FILE *out)
{
        char **names = calloc(t->n_mods + 1, sizeof *names);
        size_t n = 0;

        for (size_t i = 0; names && i < t->n_mods; i++) {
                const struct mk_kmod *m = &t->mods[i];
                size_t c = 0, len = class_len(m->dir);

                if (!listed(t, m))
                        continue;
                while (c < n && (strlen(names[c]) != len || strncmp(names[c], m->dir, len)))
                        c++;
                if (c == n && !(names[n++] = strndup(m->dir, len)))
                        break;
        }
        if (names && n && names[n - 1])
                qsort(names, n, sizeof *names, by_string);
        for (size_t i = 0; names && i < n && names[i]; i++)
                fprintf(out, "%-28s %zu\n", names[i], class_count(t, names[i]));
        for (size_t i = 0; names && i < n; i++)
                free(names[i]);
        free(names);
        return n;
}

size_t mk_driver_help(const struct mk_ktree *t, const char *class, FILE *out)
{
        size_t lines = 0;

        if (!class)
                return help_classes(t, out);
        for (size_t i = 0; i < t->n_mods; i++) {
                const struct mk_kmod *m = &t->mods[i];

                if (!listed(t, m) || !in_class(m->dir, class))
                        continue;
                fprintf(out, "%-24s CONFIG_%-28s %s\n", m->module, m->symbol,
                        mk_ktree_symbol(t, m->symbol)->prompt);
                lines++;
        }
        return lines;
}
