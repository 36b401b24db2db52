/* mk-ktree.c: the Kconfig symbols and module Makefile lines of a Linux
 * source tree (see mk-ktree.h). A reader of what --driver needs, not of
 * the whole Kconfig language: it keeps each symbol's type, prompt and the
 * plain symbols its `depends on` lines and enclosing `if`, `menu` and
 * `choice` blocks name; the kernel's configurator stays the judge, and
 * thatte-driveros-make checks its result line by line. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-ktree.h"

#define MAX_DEPTH 64            /* nested if/menu/choice blocks */
#define MAX_SOURCE_DEPTH 32     /* nested `source` lines */

struct strv {
        char **v;
        size_t n;
};

struct walk {
        const char *src;
        struct strv frames[MAX_DEPTH];  /* deps of each open block */
        size_t depth;
        struct mk_ksym *syms;
        size_t n_syms, cap_syms;
        struct strv *target;            /* where `depends on` goes, NULL: nowhere */
        struct strv sym_deps;           /* the current symbol's own */
        int sym;                        /* index of the current symbol, -1: none */
        int help_indent;                /* inside help text indented this much, or: */
#define NO_HELP (-1)
#define HELP_FIRST INT_MAX              /* the first line of help text sets it */
};

static int strv_add(struct strv *s, const char *text, size_t len)
{
        char **v = realloc(s->v, (s->n + 2) * sizeof *v);

        if (!v)
                return -ENOMEM;
        s->v = v;
        v[s->n] = strndup(text, len);
        if (!v[s->n])
                return -ENOMEM;
        v[++s->n] = NULL;
        return 0;
}

static void strv_free(struct strv *s)
{
        for (size_t i = 0; i < s->n; i++)
                free(s->v[i]);
        free(s->v);
        *s = (struct strv){ 0 };
}

static bool is_ident(const char *s, size_t len)
{
        if (!len || isdigit((unsigned char)s[0]))
                return false;
        for (size_t i = 0; i < len; i++)
                if (!isalnum((unsigned char)s[i]) && s[i] != '_')
                        return false;
        /* y, m, n are values; MODULES cannot hold in a kernel without modules. */
        return !(len == 1 && strchr("ymn", s[0])) && !(len == 7 && !memcmp(s, "MODULES", 7));
}

/* The end of the top-level operator OP ("&&" or "||") in [s, end), or end. */
static const char *split_at(const char *s, const char *end, const char *op)
{
        int depth = 0;

        for (const char *p = s; p + 1 < end; p++) {
                depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
                if (!depth && p[0] == op[0] && p[1] == op[1])
                        return p;
        }
        return end;
}

static void trim(const char **s, const char **end)
{
        while (*s < *end && isspace((unsigned char)**s))
                (*s)++;
        while (*end > *s && isspace((unsigned char)(*end)[-1]))
                (*end)--;
}

/* Whether an alternative of A || B || ... is a negation (!X, X=n): then
 * the chain holds with nothing enabled, as in `AGP || AGP=n`. */
static bool optional(const char *s, const char *end)
{
        while (s < end) {
                const char *alt = split_at(s, end, "||"), *a = s, *e = alt;

                trim(&a, &e);
                if ((a < e && *a == '!') || (e - a > 2 && e[-2] == '=' && e[-1] == 'n'))
                        return true;
                s = alt == end ? end : alt + 2;
        }
        return false;
}

/* One term of an && chain: a symbol, SYM=y, SYM!=n, (TERM), or A || B,
 * of which A is taken (unless another is a negation); a negation needs
 * nothing. */
static int add_term(struct strv *deps, const char *s, const char *end)
{
        const char *eq, *alt;

        trim(&s, &end);
        if (s < end && *s == '(' && end[-1] == ')' && split_at(s, end, "&&") == end)
                return add_term(deps, s + 1, end - 1);
        alt = split_at(s, end, "||");
        if (alt != end)
                return optional(s, end) ? 0 : add_term(deps, s, alt);
        if (s == end || *s == '!' || *s == '(')
                return 0;
        eq = memchr(s, '=', (size_t)(end - s));
        if (eq) {
                const char *v = eq + 1, *name_end = eq > s && eq[-1] == '!' ? eq - 1 : eq;
                bool wants_y = eq > s && eq[-1] == '!' ? (trim(&v, &end), *v == 'n') :
                                                         (trim(&v, &end), *v == 'y');

                if (!wants_y)
                        return 0;
                end = name_end;
                trim(&s, &end);
        }
        return is_ident(s, (size_t)(end - s)) ? strv_add(deps, s, (size_t)(end - s)) : 0;
}

static int add_expr(struct strv *deps, const char *s)
{
        const char *end = s + strlen(s);
        int r = 0;

        while (r == 0 && s < end) {
                const char *and = split_at(s, end, "&&");

                r = add_term(deps, s, and);
                s = and == end ? end : and + 2;
        }
        return r;
}

/* The quoted string at s (after blanks), allocated, or NULL. */
static char *quoted(const char *s)
{
        const char *close;

        while (isspace((unsigned char)*s))
                s++;
        if (*s != '"' && *s != '\'')
                return NULL;
        close = strchr(s + 1, *s);
        return close ? strndup(s + 1, (size_t)(close - s - 1)) : NULL;
}

/* Ends the current symbol: its own deps and every open block's. */
static int end_symbol(struct walk *w)
{
        struct mk_ksym *k;
        struct strv all = w->sym_deps;
        int r = 0;

        w->sym_deps = (struct strv){ 0 };
        if (w->sym < 0) {
                strv_free(&all);
                return 0;
        }
        for (size_t f = 0; r == 0 && f < w->depth; f++)
                for (size_t i = 0; r == 0 && i < w->frames[f].n; i++)
                        r = strv_add(&all, w->frames[f].v[i], strlen(w->frames[f].v[i]));
        k = &w->syms[w->sym];
        k->deps = all.v ? all.v : calloc(1, sizeof(char *));
        w->sym = -1;
        return r == 0 && k->deps ? 0 : -ENOMEM;
}

/* Room for one more symbol: the array grows by half (the tree has tens
 * of thousands). */
static int grow(struct walk *w)
{
        struct mk_ksym *s;
        size_t cap = w->cap_syms + w->cap_syms / 2 + 64;

        if (w->n_syms < w->cap_syms)
                return 0;
        s = realloc(w->syms, cap * sizeof *s);
        if (!s)
                return -ENOMEM;
        w->syms = s;
        w->cap_syms = cap;
        return 0;
}

static int begin_symbol(struct walk *w, const char *name)
{
        size_t len = strcspn(name, " \t#");
        int r = end_symbol(w);

        if (r == 0)
                r = grow(w);
        if (r < 0 || !is_ident(name, len))
                return r;
        w->syms[w->n_syms] = (struct mk_ksym){ .name = strndup(name, len) };
        w->sym = (int)w->n_syms++;
        w->target = &w->sym_deps;
        return w->syms[w->sym].name ? 0 : -ENOMEM;
}

static int push(struct walk *w, const char *expr)
{
        int r = end_symbol(w);

        if (r < 0 || w->depth == MAX_DEPTH)
                return r < 0 ? r : -E2BIG;
        w->target = &w->frames[w->depth++];
        return expr ? add_expr(w->target, expr) : 0;
}

static int pop(struct walk *w)
{
        int r = end_symbol(w);

        if (w->depth)
                strv_free(&w->frames[--w->depth]);
        w->target = NULL;
        return r;
}

/* A type line of the current symbol: bool/tristate (maybe with a prompt),
 * def_bool/def_tristate, prompt, or another type. */
static void take_type(struct walk *w, const char *word, const char *rest)
{
        struct mk_ksym *k = w->sym >= 0 ? &w->syms[w->sym] : NULL;
        bool boolean = !strcmp(word, "bool") || !strcmp(word, "tristate") ||
                       !strcmp(word, "def_bool") || !strcmp(word, "def_tristate");
        bool typed = boolean || !strcmp(word, "int") || !strcmp(word, "hex") || !strcmp(word, "string");

        if (!k || (!typed && strcmp(word, "prompt")))
                return;
        if (typed)
                k->boolean = boolean;
        if (strncmp(word, "def_", 4) && !k->prompt)
                k->prompt = quoted(rest);
}

static int walk_file(struct walk *w, const char *rel, unsigned nest);

/* `source "PATH"` (from the top of the tree; rsource: from this file's
 * folder); $(SRCARCH) is x86, other variables are not followed. */
static int take_source(struct walk *w, const char *word, const char *rest, const char *rel,
                       unsigned nest)
{
        char *path = quoted(rest), *full = NULL, *var;
        int r = 0;

        if (!path)
                return 0;
        while ((var = strstr(path, "$(SRCARCH)"))) {
                char *fixed = mk_path("%.*sx86%s", (int)(var - path), path, var + 10);
                free(path);
                path = fixed;
        }
        if (!strchr(path, '$')) {
                const char *slash = strrchr(rel, '/');
                full = word[0] == 'r' || !strncmp(word, "or", 2) ?
                               mk_path("%.*s%s", slash ? (int)(slash - rel + 1) : 0, rel, path) :
                               strdup(path);
                r = full ? walk_file(w, full, nest + 1) : -ENOMEM;
        }
        free(path);
        free(full);
        return r;
}

static int indent_of(const char *line)
{
        int n = 0;

        for (; *line == ' ' || *line == '\t'; line++)
                n = *line == '\t' ? (n / 8 + 1) * 8 : n + 1;
        return n;
}

static int take_line(struct walk *w, const char *line, const char *rel, unsigned nest)
{
        char word[32];
        const char *s = line + strspn(line, " \t"), *rest;
        size_t len = strcspn(s, " \t");

        if (w->help_indent == HELP_FIRST && *s && indent_of(line) > 0)
                w->help_indent = indent_of(line);
        if (w->help_indent != NO_HELP && (!*s || indent_of(line) >= w->help_indent))
                return 0;
        w->help_indent = NO_HELP;
        if (!*s || *s == '#' || len >= sizeof word)
                return 0;
        memcpy(word, s, len);
        word[len] = '\0';
        rest = s + len + strspn(s + len, " \t");
        if (!strcmp(word, "config") || !strcmp(word, "menuconfig"))
                return begin_symbol(w, rest);
        if (!strcmp(word, "if") || !strcmp(word, "menu") || !strcmp(word, "choice"))
                return push(w, word[0] == 'i' ? rest : NULL);
        if (!strcmp(word, "endif") || !strcmp(word, "endmenu") || !strcmp(word, "endchoice"))
                return pop(w);
        if (!strcmp(word, "comment"))
                return end_symbol(w) < 0 ? -ENOMEM : (w->target = NULL, 0);
        if (!strcmp(word, "help") || !strcmp(word, "---help---"))
                w->help_indent = HELP_FIRST;
        else if (!strcmp(word, "depends") && !strncmp(rest, "on", 2) && w->target)
                return add_expr(w->target, rest + 2);
        else if (strstr(word, "source"))
                return end_symbol(w) < 0 ? -ENOMEM : take_source(w, word, rest, rel, nest);
        else
                take_type(w, word, rest);
        return 0;
}

char *mk_ktree_next_line(char **at)
{
        char *line = *at, *next;

        if (!line || !*line)
                return NULL;
        next = strchr(line, '\n');
        while (next && next > line && next[-1] == '\\') {
                next[-1] = next[0] = ' ';
                next = strchr(next, '\n');
        }
        if (next)
                *next++ = '\0';
        *at = next;
        return line;
}

/* Calls take_line for each line of the file REL. */
static int walk_file(struct walk *w, const char *rel, unsigned nest)
{
        char *path = mk_path("%s/%s", w->src, rel), *text = NULL, *line;
        int r = nest > MAX_SOURCE_DEPTH ? -ELOOP : mk_read_file(path, &text);

        free(path);
        if (r < 0)
                return nest ? 0 : r;    /* a missing sourced file: skipped */
        for (char *at = text; r == 0 && (line = mk_ktree_next_line(&at));)
                r = take_line(w, line, rel, nest);
        free(text);
        return r;
}

static int by_sym(const void *a, const void *b)
{
        return strcmp(((const struct mk_ksym *)a)->name, ((const struct mk_ksym *)b)->name);
}

void mk_ktree_sym_free(struct mk_ksym *k)
{
        for (size_t i = 0; k->deps && k->deps[i]; i++)
                free(k->deps[i]);
        free(k->deps);
        free(k->name);
        free(k->prompt);
}

/* Sorts the symbols and folds the definitions of one name (several
 * Kconfig files may define it) into the first: any prompt, any type. */
static void fold_symbols(struct walk *w)
{
        size_t n = 0;

        if (w->n_syms)
                qsort(w->syms, w->n_syms, sizeof *w->syms, by_sym);
        for (size_t i = 0; i < w->n_syms; i++) {
                struct mk_ksym *k = &w->syms[i];

                if (n && !strcmp(w->syms[n - 1].name, k->name)) {
                        struct mk_ksym *into = &w->syms[n - 1];
                        into->boolean |= k->boolean;
                        if (!into->prompt && k->prompt) {
                                into->prompt = k->prompt;
                                k->prompt = NULL;
                        }
                        mk_ktree_sym_free(k);
                        continue;
                }
                w->syms[n++] = *k;
        }
        w->n_syms = n;
}

/* mk_ktree_read_kconfig: the symbols of SRC/Kconfig into t (mk-kmods.c
 * reads the rest). */
int mk_ktree_read_kconfig(const char *src, struct mk_ktree *t)
{
        struct walk w = { .src = src, .sym = -1, .help_indent = NO_HELP };
        int r = walk_file(&w, "Kconfig", 0);

        if (r == 0)
                r = end_symbol(&w);
        while (w.depth)
                strv_free(&w.frames[--w.depth]);
        strv_free(&w.sym_deps);
        fold_symbols(&w);
        t->syms = w.syms;
        t->n_syms = w.n_syms;
        return r;
}

const struct mk_ksym *mk_ktree_symbol(const struct mk_ktree *t, const char *name)
{
        struct mk_ksym key = { .name = (char *)name + (strncmp(name, "CONFIG_", 7) ? 0 : 7) };

        return bsearch(&key, t->syms, t->n_syms, sizeof key, by_sym);
}
