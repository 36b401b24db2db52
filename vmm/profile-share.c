/* vmm/profile-share.c: [[share]] tables, host folders the guest mounts over
 * 9p (QEMU's -virtfs) at /mnt/TAG. */
#include "config.h"

#include <string.h>

#include "profile.h"
#include "profile-fields.h"

/* A tag names a folder in the guest (/mnt/TAG) and goes into a QEMU option
 * string: plain characters only. */
static int tag_valid(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= VMM_TAG_MAX && s[0] != '.' && s[0] != '-' &&
               strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

static int share_table(pf_ctx *c, vmm_share *s, const thatte_toml_value *t)
{
        int r = 0;

        s->readonly = true;
        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "path") == 0) {
                        r = pf_path(c, "share", e, PF_FOLDER, &s->path);
                } else if (strcmp(e->key, "tag") == 0) {
                        r = pf_text(c, "share", e, VMM_TAG_MAX * 4, &s->tag);
                        if (r == 0 && !tag_valid(s->tag))
                                r = pf_fail(c, e->value->line, "[[share]] tag: '%s' is not a tag "
                                            "(1 to %d letters, digits, '.', '_', '-'; not starting with '.' or '-')",
                                            s->tag, VMM_TAG_MAX);
                } else if (strcmp(e->key, "readonly") == 0) {
                        r = pf_bool(c, "share", e, &s->readonly);
                } else {
                        r = pf_unknown(c, "share", e);
                }
        }
        if (r == 0 && !s->path)
                r = pf_fail(c, t->line, "[[share]] path is missing");
        if (r == 0 && !s->tag)
                r = pf_fail(c, t->line, "[[share]] tag is missing");
        return r;
}

int pf_shares(pf_ctx *c, vmm_profile *p, const thatte_toml_value *arr)
{
        int r = 0;

        if (arr->array.n > VMM_MAX_SHARES)
                return pf_fail(c, arr->array.items[VMM_MAX_SHARES]->line,
                               "more than %d [[share]] tables", VMM_MAX_SHARES);
        for (size_t i = 0; i < arr->array.n && r == 0; i++) {
                const thatte_toml_value *t = arr->array.items[i];

                r = share_table(c, &p->shares[i], t);
                p->n_shares = i + 1;
                for (size_t j = 0; j < i && r == 0; j++)
                        if (strcmp(p->shares[j].tag, p->shares[i].tag) == 0)
                                r = pf_fail(c, t->line, "[[share]] tag '%s' is used twice", p->shares[i].tag);
        }
        return r;
}
