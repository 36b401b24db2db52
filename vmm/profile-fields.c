/* vmm/profile-fields.c: typed, range-checked reads of single profile keys.
 *
 * Each helper takes one `key = value` entry, checks its type and content,
 * and either stores the result or fills the error with the entry's line. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "profile-fields.h"
#include "thatte-suggest.h"

int pf_fail(pf_ctx *c, unsigned line, const char *fmt, ...)
{
        va_list ap;

        c->err->line = line;
        va_start(ap, fmt);
        vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
        va_end(ap);
        return -EINVAL;
}

/* The keys of each table, for "did you mean" (see thatte-vm.toml(5)). */
static const struct {
        const char *section;
        const char *const *keys;
} known_keys[] = {
        { "vm", (const char *const[]){ "name", "memory", "cpus", "machine", "accel", "acpi", NULL } },
        { "boot", (const char *const[]){ "firmware", "esp", "kernel", "initrd", "cmdline", NULL } },
        { "disk", (const char *const[]){ "path", "format", "readonly", "snapshot", "overlay", NULL } },
        { "display", (const char *const[]){ "gpu", "ui", "width", "height", "input", NULL } },
        { "net", (const char *const[]){ "mode", "forwards", NULL } },
        { "serial", (const char *const[]){ "enabled", NULL } },
        { "agent", (const char *const[]){ "enabled", NULL } },
        { "stop", (const char *const[]){ "timeout", NULL } },
        { "share", (const char *const[]){ "path", "tag", "readonly", NULL } },
        { "channel", (const char *const[]){ "name", "size", NULL } },
};

int pf_unknown(pf_ctx *c, const char *section, const thatte_toml_entry *e)
{
        const char *hint = NULL;

        for (size_t i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
                if (strcmp(known_keys[i].section, section) == 0)
                        hint = thatte_suggest(e->key, known_keys[i].keys);
        if (hint)
                return pf_fail(c, e->value->line, "unknown key '%s' in [%s]; did you mean '%s'?", e->key, section,
                               hint);
        return pf_fail(c, e->value->line, "unknown key '%s' in [%s]", e->key, section);
}

static const char *article(thatte_toml_type t)
{
        return t == THATTE_TOML_INTEGER || t == THATTE_TOML_ARRAY ? "an" : "a";
}

int pf_type(pf_ctx *c, const char *section, const thatte_toml_entry *e, thatte_toml_type t)
{
        if (e->value->type == t)
                return 0;
        return pf_fail(c, e->value->line, "[%s] %s: expected %s %s, got %s %s", section, e->key,
                       article(t), thatte_toml_type_name(t),
                       article(e->value->type), thatte_toml_type_name(e->value->type));
}

int pf_uint(pf_ctx *c, const char *section, const thatte_toml_entry *e,
            unsigned min, unsigned max, unsigned *out)
{
        int r = pf_type(c, section, e, THATTE_TOML_INTEGER);

        if (r < 0)
                return r;
        if (e->value->integer < min || e->value->integer > max)
                return pf_fail(c, e->value->line, "[%s] %s: %lld is out of range (%u to %u)",
                               section, e->key, (long long)e->value->integer, min, max);
        *out = (unsigned)e->value->integer;
        return 0;
}

int pf_bool(pf_ctx *c, const char *section, const thatte_toml_entry *e, bool *out)
{
        int r = pf_type(c, section, e, THATTE_TOML_BOOLEAN);

        if (r == 0)
                *out = e->value->boolean;
        return r;
}

/* Control characters are refused everywhere: `cmdline` prints one argument
 * per line and a newline inside a value would forge another argument. */
int pf_text_ok(pf_ctx *c, const char *section, const char *key, const char *s,
               unsigned line, size_t max)
{
        size_t n = 0;

        for (const unsigned char *q = (const unsigned char *)s; *q; q++, n++)
                if (*q < 0x20 || *q == 0x7f)
                        return pf_fail(c, line, "[%s] %s: control character in value", section, key);
        if (n > max)
                return pf_fail(c, line, "[%s] %s: longer than %zu bytes", section, key, max);
        return 0;
}

int pf_text(pf_ctx *c, const char *section, const thatte_toml_entry *e, size_t max, char **out)
{
        int r = pf_type(c, section, e, THATTE_TOML_STRING);
        char *s;

        if (r == 0)
                r = pf_text_ok(c, section, e->key, e->value->string, e->value->line, max);
        if (r < 0)
                return r;
        s = strdup(e->value->string);
        if (!s)
                return -ENOMEM;
        free(*out);
        *out = s;
        return 0;
}

int pf_choice(pf_ctx *c, const char *section, const thatte_toml_entry *e,
              const char *const *names, int *out)
{
        int r = pf_type(c, section, e, THATTE_TOML_STRING);
        char allowed[160] = "";

        if (r < 0)
                return r;
        for (int i = 0; names[i]; i++) {
                if (strcmp(names[i], e->value->string) == 0) {
                        *out = i;
                        return 0;
                }
                snprintf(allowed + strlen(allowed), sizeof(allowed) - strlen(allowed), "%s%s",
                         i ? ", " : "", names[i]);
        }
        return pf_fail(c, e->value->line, "[%s] %s: '%s' is not one of: %s", section, e->key,
                       e->value->string, allowed);
}

/* Resolves a path against the profile's folder and requires an existing
 * file of one of the PF_* kinds, then canonicalizes it
 * so argv never carries '..' or a relative path QEMU could read as a
 * protocol prefix such as "nbd:". */
int pf_path(pf_ctx *c, const char *section, const thatte_toml_entry *e, unsigned kinds,
            char **out)
{
        char joined[PATH_MAX], *real;
        const char *s;
        struct stat st;
        int r;

        r = pf_type(c, section, e, THATTE_TOML_STRING);
        if (r == 0)
                r = pf_text_ok(c, section, e->key, e->value->string, e->value->line, PATH_MAX - 1);
        if (r < 0)
                return r;
        s = e->value->string;
        if (!*s)
                return pf_fail(c, e->value->line, "[%s] %s: empty path", section, e->key);
        if (snprintf(joined, sizeof(joined), "%s%s%s", s[0] == '/' ? "" : c->dir,
                     s[0] == '/' ? "" : "/", s) >= (int)sizeof(joined))
                return pf_fail(c, e->value->line, "[%s] %s: path too long", section, e->key);
        if (stat(joined, &st) < 0)
                return pf_fail(c, e->value->line, "[%s] %s: %s: %s", section, e->key, joined,
                               strerror(errno));
        if (!((kinds & PF_FILE) && S_ISREG(st.st_mode)) && !((kinds & PF_BLOCKDEV) && S_ISBLK(st.st_mode)) &&
            !((kinds & PF_FOLDER) && S_ISDIR(st.st_mode)))
                return pf_fail(c, e->value->line, "[%s] %s: %s: not a %s", section, e->key, joined,
                               kinds & PF_FOLDER ? "folder" : "regular file");
        real = realpath(joined, NULL);
        if (!real)
                return errno == ENOMEM ? -ENOMEM :
                        pf_fail(c, e->value->line, "[%s] %s: %s: %s", section, e->key, joined,
                                strerror(errno));
        r = pf_text_ok(c, section, e->key, real, e->value->line, PATH_MAX - 1);
        if (r < 0) {
                free(real);
                return r;
        }
        free(*out);
        *out = real;
        return 0;
}
