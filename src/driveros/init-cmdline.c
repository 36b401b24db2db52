/* init-cmdline.c: the kernel command line's thatte.* words for thatte-init.
 *
 * Kept free of system calls so the host unit test can run it directly. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driveros/init-cmdline.h"

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copies the next word of *p (quotes removed) into a new string, advancing
 * *p. Returns 1 with *ret_word set, 0 at the end, -ENOMEM. */
static int next_word(const char **p, char **ret_word)
{
        const char *s = *p;
        bool quoted = false;
        char *w, *o;

        while (*s && is_blank(*s))
                s++;
        if (!*s)
                return 0;
        w = o = malloc(strlen(s) + 1);
        if (!w)
                return -ENOMEM;
        for (; *s && (quoted || !is_blank(*s)); s++) {
                if (*s == '"')
                        quoted = !quoted;
                else
                        *o++ = *s;
        }
        *o = '\0';
        *p = s;
        *ret_word = w;
        return 1;
}

static void strv_free(char **v)
{
        if (!v)
                return;
        for (char **i = v; *i; i++)
                free(*i);
        free(v);
}

/* Splits ARGS on blanks (quotes group) behind argv0. */
static int split_args(const char *argv0, const char *args, char ***ret)
{
        size_t n = 1, cap = 4;
        char **v = calloc(cap, sizeof(char *));
        const char *p = args;
        int r;

        if (!v)
                return -ENOMEM;
        v[0] = strdup(argv0);
        if (!v[0]) {
                free(v);
                return -ENOMEM;
        }
        for (;;) {
                char *w = NULL;

                if (n + 2 > cap) {
                        char **nv = realloc(v, 2 * cap * sizeof(char *));
                        if (!nv) {
                                strv_free(v);
                                return -ENOMEM;
                        }
                        v = nv;
                        cap *= 2;
                }
                v[n] = NULL;
                r = next_word(&p, &w);
                if (r < 0) {
                        strv_free(v);
                        return r;
                }
                if (r == 0)
                        break;
                v[n++] = w;
        }
        *ret = v;
        return 0;
}

static int parse_bool(const char *v, bool *ret)
{
        if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true"))
                *ret = true;
        else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false"))
                *ret = false;
        else
                return -EINVAL;
        return 0;
}

static int replace(char **slot, const char *value)
{
        char *c = strdup(value);

        if (!c)
                return -ENOMEM;
        free(*slot);
        *slot = c;
        return 0;
}

static bool hostname_valid(const char *h)
{
        size_t n = strlen(h);

        if (n == 0 || n > 64)
                return false;
        for (; *h; h++)
                if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
                      (*h >= '0' && *h <= '9') || *h == '-' || *h == '.'))
                        return false;
        return true;
}

/* Applies one word; args collects thatte.compositor= until the path is
 * known, *restarted notes thatte.restart=N. */
static int apply_word(struct init_options *o, const char *w, char **args, bool *restarted)
{
        const char *eq = strchr(w, '=');
        const char *v = eq ? eq + 1 : "1";
        size_t klen = eq ? (size_t)(eq - w) : strlen(w);

        if (klen == strlen("thatte.shell") && !strncmp(w, "thatte.shell", klen))
                return parse_bool(v, &o->shell);
        if (klen == strlen("thatte.compositor") && !strncmp(w, "thatte.compositor", klen)) {
                if (!eq)
                        return -EINVAL;
                o->no_compositor = !strcmp(v, "none");
                return replace(args, o->no_compositor ? "" : v);
        }
        if (klen == strlen("thatte.compositor_path") && !strncmp(w, "thatte.compositor_path", klen)) {
                if (!eq || v[0] != '/')
                        return -EINVAL;
                return replace(&o->compositor_path, v);
        }
        if (klen == strlen("thatte.root") && !strncmp(w, "thatte.root", klen)) {
                if (!eq || strncmp(v, "/dev/", 5) || !v[5])
                        return -EINVAL;
                return replace(&o->root, v);
        }
        if (klen == strlen("thatte.hostname") && !strncmp(w, "thatte.hostname", klen)) {
                if (!eq || !hostname_valid(v))
                        return -EINVAL;
                return replace(&o->hostname, v);
        }
        if (klen == strlen("thatte.test") && !strncmp(w, "thatte.test", klen) &&
            !strcmp(v, "driveros-crash"))
                o->crash = true;
        if (klen == strlen("thatte.restart") && !strncmp(w, "thatte.restart", klen)) {
                if (!eq || !*v || strspn(v, "0123456789") != strlen(v))
                        return -EINVAL;
                *restarted = true;
        }
        return 0;
}

int init_cmdline_parse(const char *cmdline, struct init_options *ret)
{
        struct init_options o = { 0 };
        const char *p = cmdline ? cmdline : "";
        char *args = NULL;
        bool restarted = false;
        int r;

        for (;;) {
                char *w = NULL;

                r = next_word(&p, &w);
                if (r <= 0)
                        break;
                if (!strncmp(w, "thatte.", 7))
                        r = apply_word(&o, w, &args, &restarted);
                free(w);
                if (r < 0)
                        break;
        }
        o.crash = o.crash && !restarted;
        if (r == 0 && !o.compositor_path)
                r = replace(&o.compositor_path, INIT_DEFAULT_COMPOSITOR);
        if (r == 0 && !o.hostname)
                r = replace(&o.hostname, INIT_DEFAULT_HOSTNAME);
        if (r == 0)
                r = split_args(o.compositor_path, args ? args : "", &o.compositor_argv);
        free(args);
        if (r < 0) {
                init_options_done(&o);
                return r;
        }
        *ret = o;
        return 0;
}

void init_options_done(struct init_options *o)
{
        if (!o)
                return;
        free(o->compositor_path);
        free(o->hostname);
        free(o->root);
        strv_free(o->compositor_argv);
        *o = (struct init_options){ 0 };
}
