/* mk-moddep.c: which module files an initramfs needs, in load order.
 *
 * depmod writes each module's full dependency set on its line; we still
 * walk it depth-first so the order is right whatever order depmod used. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-moddep.h"

#define NAME_MAX_LEN 64

struct module {
        char name[NAME_MAX_LEN];
        char *path;             /* NULL for a built-in module */
        size_t *deps;           /* indices into mk_moddep.m */
        size_t n_deps;
        int state;              /* resolve: 0 new, 1 visiting, 2 done */
};

struct mk_moddep {
        struct module *m;
        size_t n, cap;
};

char *mk_moddep_name(const char *path, char *buf, size_t size)
{
        const char *base = strrchr(path, '/');
        size_t len, i;

        base = base ? base + 1 : path;
        len = strlen(base);
        for (const char *const *sfx = (const char *const[]){ ".ko.xz", ".ko.zst", ".ko.gz", ".ko", NULL };
             *sfx; sfx++) {
                size_t sl = strlen(*sfx);
                if (len > sl && !strcmp(base + len - sl, *sfx)) {
                        len -= sl;
                        break;
                }
        }
        for (i = 0; i < len && i + 1 < size; i++)
                buf[i] = base[i] == '-' ? '_' : base[i];
        if (size)
                buf[i] = '\0';
        return buf;
}

void mk_moddep_free(struct mk_moddep *d)
{
        if (!d)
                return;
        for (size_t i = 0; i < d->n; i++) {
                free(d->m[i].path);
                free(d->m[i].deps);
        }
        free(d->m);
        free(d);
}

static struct module *lookup(const struct mk_moddep *d, const char *name_or_path)
{
        char name[NAME_MAX_LEN];

        mk_moddep_name(name_or_path, name, sizeof name);
        for (size_t i = 0; i < d->n; i++)
                if (!strcmp(d->m[i].name, name))
                        return &d->m[i];
        return NULL;
}

/* Finds or adds the module of PATH; a later real path replaces NULL. */
static int intern(struct mk_moddep *d, const char *path, bool builtin, size_t *ret_index)
{
        struct module *m = lookup(d, path);

        if (!m) {
                if (d->n == d->cap) {
                        size_t cap = d->cap ? 2 * d->cap : 256;
                        struct module *nm = realloc(d->m, cap * sizeof *nm);
                        if (!nm)
                                return -ENOMEM;
                        d->m = nm;
                        d->cap = cap;
                }
                m = &d->m[d->n++];
                *m = (struct module){ 0 };
                mk_moddep_name(path, m->name, sizeof m->name);
        }
        if (!builtin && !m->path) {
                m->path = strdup(path);
                if (!m->path)
                        return -ENOMEM;
        }
        *ret_index = (size_t)(m - d->m);
        return 0;
}

static int add_dep(struct mk_moddep *d, size_t mod, const char *path)
{
        size_t dep, *nd;
        int r = intern(d, path, false, &dep);

        if (r < 0)
                return r;
        nd = realloc(d->m[mod].deps, (d->m[mod].n_deps + 1) * sizeof *nd);
        if (!nd)
                return -ENOMEM;
        nd[d->m[mod].n_deps++] = dep;
        d->m[mod].deps = nd;
        return 0;
}

static int parse_dep_line(struct mk_moddep *d, char *line)
{
        char *colon = strchr(line, ':'), *save = NULL, *tok;
        size_t mod;
        int r;

        if (!colon || colon == line)
                return -EINVAL;
        *colon = '\0';
        r = intern(d, line, false, &mod);
        for (tok = strtok_r(colon + 1, " \t\r\n", &save); tok && r == 0;
             tok = strtok_r(NULL, " \t\r\n", &save))
                r = add_dep(d, mod, tok);
        return r;
}

static int parse_builtin(struct mk_moddep *d, FILE *f)
{
        char line[1024];
        size_t idx;

        while (fgets(line, sizeof line, f)) {
                line[strcspn(line, "\r\n")] = '\0';
                if (line[0] && intern(d, line, true, &idx) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int mk_moddep_parse(FILE *dep, FILE *builtin, struct mk_moddep **ret, unsigned *ret_line)
{
        struct mk_moddep *d = calloc(1, sizeof *d);
        char line[8192];
        unsigned lineno = 0;
        int r = 0;

        if (!d)
                return -ENOMEM;
        while (r == 0 && fgets(line, sizeof line, dep)) {
                lineno++;
                if (line[strspn(line, " \t\r\n")] == '\0' || line[0] == '#')
                        continue;
                r = parse_dep_line(d, line);
        }
        if (r == 0 && builtin)
                r = parse_builtin(d, builtin);
        if (r < 0) {
                if (r == -EINVAL && ret_line)
                        *ret_line = lineno;
                mk_moddep_free(d);
                return r;
        }
        *ret = d;
        return 0;
}

struct order {
        char **paths;
        size_t n;
};

static int visit(struct mk_moddep *d, size_t i, struct order *o)
{
        struct module *m = &d->m[i];
        int r;

        if (m->state == 2)
                return 0;
        if (m->state == 1)
                return -ELOOP;
        m->state = 1;
        for (size_t k = 0; k < m->n_deps; k++) {
                r = visit(d, m->deps[k], o);
                if (r < 0)
                        return r;
        }
        m->state = 2;
        if (m->path) {
                o->paths[o->n] = strdup(m->path);
                if (!o->paths[o->n])
                        return -ENOMEM;
                o->n++;
        }
        return 0;
}

char **mk_moddep_resolve(const struct mk_moddep *cd, const char *const *names,
                         const char **ret_missing)
{
        /* The visit marks live in the modules; reset them on the way out so
         * the table reads as unchanged to the caller. */
        struct mk_moddep *d = (struct mk_moddep *)cd;
        struct order o = { .paths = calloc(d->n + 1, sizeof(char *)) };
        int r = o.paths ? 0 : -ENOMEM;

        for (const char *const *n = names; r == 0 && *n; n++) {
                struct module *m = lookup(d, *n);
                if (!m) {
                        if (ret_missing)
                                *ret_missing = *n;
                        r = -ENOENT;
                } else {
                        r = visit(d, (size_t)(m - d->m), &o);
                }
        }
        for (size_t i = 0; i < d->n; i++)
                d->m[i].state = 0;
        if (r < 0) {
                for (size_t i = 0; o.paths && i < o.n; i++)
                        free(o.paths[i]);
                free(o.paths);
                errno = -r;
                return NULL;
        }
        return o.paths;
}
