/* vmm/system.c: reading a system file into a vmm_system. */
#define _GNU_SOURCE 1   /* asprintf */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile-fields.h"
#include "system.h"
#include "vmstate.h"

/* A path when it has a '/' or ends in ".toml" (as `thatte-vmm run` reads
 * its argument), resolved against the system file's folder. */
static int vm_profile(pf_ctx *c, vmm_system_vm *v, const thatte_toml_entry *e)
{
        size_t n;
        int r = pf_text(c, "vm", e, 4000, &v->profile);

        if (r < 0)
                return r;
        n = strlen(v->profile);
        if (!strchr(v->profile, '/') && !(n > 5 && strcmp(v->profile + n - 5, ".toml") == 0)) {
                if (!vmm_name_valid(v->profile))
                        return pf_fail(c, e->value->line, "[[vm]] profile: '%s' is neither a path "
                                       "nor a profile name", v->profile);
                return 0;
        }
        if (v->profile[0] == '/')
                v->path = strdup(v->profile);
        else if (asprintf(&v->path, "%s/%s", c->dir, v->profile) < 0)
                v->path = NULL;
        return v->path ? 0 : -ENOMEM;
}

static int vm_ready(pf_ctx *c, vmm_system_vm *v, const thatte_toml_entry *e)
{
        int r = pf_text(c, "vm", e, 1000, &v->ready);

        if (r < 0)
                return r;
        if (regcomp(&v->ready_re, v->ready, REG_EXTENDED | REG_NOSUB) != 0) {
                free(v->ready);
                v->ready = NULL;
                return pf_fail(c, e->value->line, "[[vm]] ready: not a regular expression (POSIX extended)");
        }
        return 0;
}

static int vm_channels(pf_ctx *c, vmm_system_vm *v, const thatte_toml_entry *e)
{
        const thatte_toml_value *a = e->value;
        int r = pf_type(c, "vm", e, THATTE_TOML_ARRAY);

        if (r < 0)
                return r;
        if (a->array.n > VMM_MAX_CHANNELS)
                return pf_fail(c, a->line, "[[vm]] channels: more than %d", VMM_MAX_CHANNELS);
        for (size_t i = 0; i < a->array.n; i++) {
                const thatte_toml_value *s = a->array.items[i];

                if (s->type != THATTE_TOML_STRING || !vmm_channel_name_valid(s->string))
                        return pf_fail(c, s->line, "[[vm]] channels: each entry must be a channel name "
                                       "(1 to %d letters, digits, '_', '-')", VMM_CHANNEL_NAME_MAX);
                snprintf(v->channels[i], sizeof(v->channels[i]), "%s", s->string);
        }
        v->n_channels = a->array.n;
        return 0;
}

static int vm_table(pf_ctx *c, vmm_system_vm *v, const thatte_toml_value *t)
{
        unsigned l_timeout = 0;
        int r = 0;

        v->line = t->line;
        v->timeout = VMM_READY_TIMEOUT_DEFAULT;
        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "profile") == 0) {
                        r = vm_profile(c, v, e);
                } else if (strcmp(e->key, "ready") == 0) {
                        r = vm_ready(c, v, e);
                } else if (strcmp(e->key, "timeout") == 0) {
                        r = pf_uint(c, "vm", e, 1, 3600, &v->timeout);
                        l_timeout = e->value->line;
                } else if (strcmp(e->key, "channels") == 0) {
                        r = vm_channels(c, v, e);
                } else {
                        r = pf_unknown(c, "vm", e);
                }
        }
        if (r == 0 && !v->profile)
                r = pf_fail(c, t->line, "[[vm]] profile is missing");
        if (r == 0 && l_timeout && !v->ready)
                r = pf_fail(c, l_timeout, "[[vm]] timeout needs ready");
        return r;
}

static int from_toml(pf_ctx *c, vmm_system *s, const thatte_toml_value *root)
{
        int r = 0;

        for (size_t i = 0; i < root->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &root->table.entries[i];

                if (strcmp(e->key, "vm") != 0 &&
                    (e->value->type == THATTE_TOML_TABLE || e->value->array_of_tables))
                        return pf_fail(c, e->value->line, "unknown table [%s]", e->key);
                if (strcmp(e->key, "vm") != 0)
                        return pf_fail(c, e->value->line, "key '%s' outside a table", e->key);
                if (!e->value->array_of_tables)
                        return pf_fail(c, e->value->line, "VMs are written as [[vm]] tables");
                if (e->value->array.n > VMM_SYSTEM_MAX_VMS)
                        return pf_fail(c, e->value->array.items[VMM_SYSTEM_MAX_VMS]->line,
                                       "more than %d [[vm]] tables", VMM_SYSTEM_MAX_VMS);
                for (size_t j = 0; j < e->value->array.n && r == 0; j++) {
                        s->n_vms = j + 1;
                        r = vm_table(c, &s->vms[j], e->value->array.items[j]);
                }
        }
        if (r == 0 && s->n_vms == 0)
                r = pf_fail(c, 1, "no [[vm]] table: a system starts at least one VM");
        return r;
}

int vmm_system_load(const char *path, vmm_system **ret, thatte_toml_error *err)
{
        thatte_toml_value *root = NULL;
        char *data = NULL, *real = NULL, name[256];
        vmm_system *s = calloc(1, sizeof(*s));
        size_t size;
        int r;

        if (!s)
                return -ENOMEM;
        r = vmm_read_toml_file(path, "system file", &data, &size, err);
        if (r == 0) {
                r = thatte_toml_parse(data, size, &root, err);
                r = r == -EFBIG ? -EINVAL : r;
        }
        if (r == 0 && !(real = realpath(path, NULL))) {
                err->line = 0;
                snprintf(err->message, sizeof(err->message), "cannot resolve its path: %s", strerror(errno));
                r = -EINVAL;
        }
        if (r == 0) {
                vmm_system_name(real, name, sizeof(name));
                s->file = strdup(real);
                s->name = strdup(name);
                r = s->file && s->name ? 0 : -ENOMEM;
        }
        if (r == 0) {
                pf_ctx c = { .dir = dirname(real), .err = err };

                r = from_toml(&c, s, root);
        }
        thatte_toml_free(root);
        free(real);
        free(data);
        if (r < 0) {
                vmm_system_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

void vmm_system_free(vmm_system *s)
{
        if (!s)
                return;
        for (size_t i = 0; i < s->n_vms; i++) {
                free(s->vms[i].profile);
                free(s->vms[i].path);
                if (s->vms[i].ready)
                        regfree(&s->vms[i].ready_re);
                free(s->vms[i].ready);
        }
        free(s->file);
        free(s->name);
        free(s);
}
