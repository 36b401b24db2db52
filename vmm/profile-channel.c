/* vmm/profile-channel.c: [[channel]] tables, display channels: shared
 * memory two or more VMs map through an ivshmem-plain PCI device. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "profile-fields.h"

/* The name becomes a file name and part of QEMU ids: plain characters only. */
int vmm_channel_name_valid(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= VMM_CHANNEL_NAME_MAX &&
               strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/* The profile's text gets the table too: it is what `start` records and
 * `save` keeps, so a restored VM has the channel again. */
static int append_source(vmm_profile *p, const char *name, unsigned size_mib)
{
        char table[128];
        int n = snprintf(table, sizeof(table), "\n[[channel]]                     # attached by a system file\n"
                         "name = \"%s\"\nsize = %u\n", name, size_mib);
        char *grown = realloc(p->source, p->source_len + (size_t)n + 1);

        if (!grown)
                return -ENOMEM;
        memcpy(grown + p->source_len, table, (size_t)n + 1);
        p->source = grown;
        p->source_len += (size_t)n;
        return 0;
}

int vmm_profile_add_channel(vmm_profile *p, const char *name, unsigned size_mib)
{
        int r;

        for (size_t i = 0; i < p->n_channels; i++)
                if (strcmp(p->channels[i].name, name) == 0)
                        return 0;
        if (p->n_channels == VMM_MAX_CHANNELS)
                return -E2BIG;
        if (p->source && (r = append_source(p, name, size_mib)) < 0)
                return r;
        snprintf(p->channels[p->n_channels].name, sizeof(p->channels[0].name), "%s", name);
        p->channels[p->n_channels++].size_mib = size_mib;
        return 0;
}

static int channel_name(pf_ctx *c, vmm_channel *ch, const thatte_toml_entry *e)
{
        char *s = NULL;
        int r = pf_text(c, "channel", e, VMM_CHANNEL_NAME_MAX * 4, &s);

        if (r == 0 && !vmm_channel_name_valid(s))
                r = pf_fail(c, e->value->line, "[[channel]] name: '%s' is not a channel name "
                            "(1 to %d letters, digits, '_', '-')", s, VMM_CHANNEL_NAME_MAX);
        if (r == 0)
                snprintf(ch->name, sizeof(ch->name), "%s", s);
        free(s);
        return r;
}

/* ivshmem maps the region as a PCI BAR, whose size is a power of two. */
static int channel_size(pf_ctx *c, vmm_channel *ch, const thatte_toml_entry *e)
{
        int r = pf_uint(c, "channel", e, 1, VMM_CHANNEL_SIZE_MAX, &ch->size_mib);

        if (r == 0 && (ch->size_mib & (ch->size_mib - 1)))
                r = pf_fail(c, e->value->line, "[[channel]] size: %u MiB is not a power of two "
                            "(ivshmem needs one)", ch->size_mib);
        return r;
}

static int channel_table(pf_ctx *c, vmm_channel *ch, const thatte_toml_value *t)
{
        int r = 0;

        ch->size_mib = VMM_CHANNEL_SIZE_DEFAULT;
        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "name") == 0)
                        r = channel_name(c, ch, e);
                else if (strcmp(e->key, "size") == 0)
                        r = channel_size(c, ch, e);
                else
                        r = pf_unknown(c, "channel", e);
        }
        if (r == 0 && !ch->name[0])
                r = pf_fail(c, t->line, "[[channel]] name is missing");
        return r;
}

int pf_channels(pf_ctx *c, vmm_profile *p, const thatte_toml_value *arr)
{
        int r = 0;

        if (arr->array.n > VMM_MAX_CHANNELS)
                return pf_fail(c, arr->array.items[VMM_MAX_CHANNELS]->line,
                               "more than %d [[channel]] tables", VMM_MAX_CHANNELS);
        for (size_t i = 0; i < arr->array.n && r == 0; i++) {
                const thatte_toml_value *t = arr->array.items[i];

                r = channel_table(c, &p->channels[i], t);
                p->n_channels = i + 1;
                for (size_t j = 0; j < i && r == 0; j++)
                        if (strcmp(p->channels[j].name, p->channels[i].name) == 0)
                                r = pf_fail(c, t->line, "[[channel]] '%s' is named twice", p->channels[i].name);
        }
        return r;
}
