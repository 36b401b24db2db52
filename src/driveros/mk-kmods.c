/* mk-kmods.c: which Kconfig symbol builds which module, from the lines
 * `obj-$(CONFIG_SYM) += name.o ...` of every Makefile and Kbuild file of
 * a Linux source tree (documentation, tools and other architectures left
 * out), and the lookups of mk-ktree.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-ktree.h"

#define MAX_DIR_DEPTH 16

static const char *const skipped_dirs[] = {
        "Documentation", "tools", "scripts", "samples", "usr", "LICENSES", ".git", NULL
};

char *mk_ktree_module_name(const char *name)
{
        char *m = strdup(name);

        for (char *p = m; p && *p; p++)
                if (*p == '-')
                        *p = '_';
        return m;
}

static int add_module(struct mk_ktree *t, const char *name, size_t len, const char *sym,
                      size_t sym_len, const char *dir)
{
        struct mk_kmod *m = t->mods;
        char *raw;

        if ((t->n_mods & (t->n_mods - 1)) == 0 && t->n_mods >= 64) {  /* doubles at powers of two */
                m = realloc(t->mods, 2 * t->n_mods * sizeof *m);
        } else if (!t->mods) {
                m = malloc(64 * sizeof *m);
        }
        raw = m ? strndup(name, len) : NULL;
        if (!m || !raw) {
                free(raw);
                return -ENOMEM;
        }
        t->mods = m;
        m[t->n_mods] = (struct mk_kmod){ .module = mk_ktree_module_name(raw),
                                         .symbol = strndup(sym, sym_len), .dir = strdup(dir) };
        free(raw);
        if (!m[t->n_mods].module || !m[t->n_mods].symbol || !m[t->n_mods].dir) {
                free(m[t->n_mods].module);      /* the record is not counted: free what it got */
                free(m[t->n_mods].symbol);
                free(m[t->n_mods].dir);
                return -ENOMEM;
        }
        t->n_mods++;
        return 0;
}

/* One (joined) line: obj-$(CONFIG_SYM) += a.o b.o, or :=. */
static int take_obj_line(struct mk_ktree *t, const char *line, const char *dir)
{
        const char *s = line + strspn(line, " \t"), *sym, *p;
        size_t sym_len;
        int r = 0;

        if (strncmp(s, "obj-$(CONFIG_", 13))
                return 0;
        sym = s + 13;
        sym_len = strspn(sym, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        p = sym + sym_len;
        if (*p != ')' || !(p = strchr(p, '=')))
                return 0;
        for (p++; r == 0 && *p && *p != '#';) {
                size_t len;

                p += strspn(p, " \t");
                len = strcspn(p, " \t#");
                if (len > 2 && !strncmp(p + len - 2, ".o", 2))
                        r = add_module(t, p, len - 2, sym, sym_len, dir);
                p += len;
        }
        return r;
}

static int read_makefile(struct mk_ktree *t, const char *src, const char *dir, const char *name)
{
        char *path = mk_path("%s/%s/%s", src, dir, name), *text = NULL, *line;
        int r = mk_read_file(path, &text);

        free(path);
        if (r < 0)
                return 0;
        for (char *at = text; r == 0 && (line = mk_ktree_next_line(&at));)
                r = take_obj_line(t, line, dir);
        free(text);
        return r;
}

static bool skipped(const char *dir, const char *name)
{
        for (size_t i = 0; skipped_dirs[i]; i++)
                if (!strcmp(name, skipped_dirs[i]) && !strcmp(dir, "."))
                        return true;
        /* arch/: only x86 */
        return !strcmp(dir, "./arch") && strcmp(name, "x86");
}

static int walk_dir(struct mk_ktree *t, const char *src, const char *dir, unsigned depth)
{
        char *path = mk_path("%s/%s", src, dir);
        DIR *d = depth > MAX_DIR_DEPTH ? NULL : opendir(path);
        struct dirent *de;
        int r = 0;

        free(path);
        if (!d)
                return 0;
        while (r == 0 && (de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (de->d_type == DT_DIR && !skipped(dir, de->d_name)) {
                        char *sub = mk_path("%s/%s", dir, de->d_name);
                        r = walk_dir(t, src, sub, depth + 1);
                        free(sub);
                } else if (de->d_type == DT_REG &&
                           (!strcmp(de->d_name, "Makefile") || !strcmp(de->d_name, "Kbuild"))) {
                        r = read_makefile(t, src, dir, de->d_name);
                }
        }
        closedir(d);
        return r;
}

static int by_module(const void *a, const void *b)
{
        const struct mk_kmod *x = a, *y = b;
        int c = strcmp(x->module, y->module);

        return c ? c : strcmp(x->dir, y->dir);
}

/* "./drivers/net" -> "drivers/net" */
static void strip_dot(char *dir)
{
        if (!strncmp(dir, "./", 2))
                memmove(dir, dir + 2, strlen(dir + 2) + 1);
}

int mk_ktree_read(const char *src, struct mk_ktree *ret)
{
        struct mk_ktree t = { 0 };
        int r = mk_ktree_read_kconfig(src, &t);

        if (r == 0)
                r = walk_dir(&t, src, ".", 0);
        if (r < 0) {
                mk_ktree_done(&t);
                return r;
        }
        for (size_t i = 0; i < t.n_mods; i++)
                strip_dot(t.mods[i].dir);
        if (t.n_mods)
                qsort(t.mods, t.n_mods, sizeof *t.mods, by_module);
        *ret = t;
        return 0;
}

const struct mk_kmod *mk_ktree_module(const struct mk_ktree *t, const char *name)
{
        char *m = mk_ktree_module_name(name);
        struct mk_kmod key = { .module = m, .dir = "" };
        const struct mk_kmod *found = NULL;
        size_t lo = 0, hi = t->n_mods;

        if (!m)
                return NULL;
        while (lo < hi) {               /* the first entry of that name */
                size_t mid = (lo + hi) / 2;

                if (strcmp(t->mods[mid].module, key.module) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo < t->n_mods && !strcmp(t->mods[lo].module, m))
                found = &t->mods[lo];
        free(m);
        return found;
}

void mk_ktree_done(struct mk_ktree *t)
{
        if (!t)
                return;
        for (size_t i = 0; i < t->n_syms; i++)
                mk_ktree_sym_free(&t->syms[i]);
        for (size_t i = 0; i < t->n_mods; i++) {
                free(t->mods[i].module);
                free(t->mods[i].symbol);
                free(t->mods[i].dir);
        }
        free(t->syms);
        free(t->mods);
        *t = (struct mk_ktree){ 0 };
}
