/* vmm/profile.c: maps a parsed TOML tree onto a vmm_profile, one table at a
 * time, with every default documented in thatte-vm.toml(5). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "profile.h"
#include "profile-fields.h"

static const char *const accel_names[] = { "auto", "kvm", "tcg", NULL };
static const char *const firmware_names[] = { "ovmf", "bios", "none", NULL };
static const char *const format_names[] = { "raw", "qcow2", NULL };
static const char *const gpu_names[] = { "std", "virtio", "virtio-vga", "none", "ramfb", NULL };
static const char *const arch_names[] = { "x86_64", "aarch64", NULL };
static const char *const net_names[] = { "none", "user", NULL };
const char *const vmm_ui_names[] = { "auto", "gtk", "sdl", "vnc", "spice", "none", NULL };

int vmm_name_valid(const char *s)
{
        size_t n = strlen(s);

        if (n == 0 || n > VMM_NAME_MAX || s[0] == '.')
                return 0;
        return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* A machine type is a bare identifier; anything else could add -machine
 * properties after a comma. */
static int machine_valid(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= 64 && s[0] != '-' && s[0] != '.' &&
               strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

/* A CPU model with optional properties ("cortex-a72", "max,pauth-impdef=on"):
 * -cpu takes only CPU properties, so commas and '=' cannot reach another
 * option. */
static int cpu_valid(const char *s)
{
        size_t n = strlen(s);

        return n > 0 && n <= 128 && s[0] != '-' && s[0] != ',' &&
               strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-,=") == n;
}

static int vm_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        int r = 0, v;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "name") == 0) {
                        r = pf_text(c, "vm", e, VMM_NAME_MAX * 4, &p->name);
                        if (r == 0 && !vmm_name_valid(p->name))
                                r = pf_fail(c, e->value->line, "[vm] name: '%s' is not a valid name "
                                            "(1 to %d letters, digits, '.', '_', '-'; not starting with '.')",
                                            p->name, VMM_NAME_MAX);
                else if (r == 0 && strcmp(p->name, "channels") == 0)
                        /* The runtime folder's channels/ holds the channel files. */
                        r = pf_fail(c, e->value->line, "[vm] name: 'channels' is reserved");
                } else if (strcmp(e->key, "memory") == 0 && e->value->type == THATTE_TOML_STRING) {
                        r = pf_fail(c, e->value->line, "[vm] memory: a number of MiB, as in memory = 512 "
                                    "(not \"%s\")", e->value->string);
                } else if (strcmp(e->key, "memory") == 0) {
                        r = pf_uint(c, "vm", e, 16, 1024 * 1024, &p->memory_mib);
                } else if (strcmp(e->key, "cpus") == 0) {
                        r = pf_uint(c, "vm", e, 1, 256, &p->cpus);
                } else if (strcmp(e->key, "machine") == 0) {
                        r = pf_text(c, "vm", e, 64 * 4, &p->machine);
                        if (r == 0 && !machine_valid(p->machine))
                                r = pf_fail(c, e->value->line, "[vm] machine: '%s' is not a machine type",
                                            p->machine);
                } else if (strcmp(e->key, "cpu") == 0) {
                        r = pf_text(c, "vm", e, 128 * 4, &p->cpu);
                        if (r == 0 && !cpu_valid(p->cpu))
                                r = pf_fail(c, e->value->line, "[vm] cpu: '%s' is not a CPU model", p->cpu);
                } else if (strcmp(e->key, "accel") == 0) {
                        r = pf_choice(c, "vm", e, accel_names, &v);
                        p->accel = (vmm_accel)v;
                } else if (strcmp(e->key, "arch") == 0) {
                        r = pf_choice(c, "vm", e, arch_names, &v);
                        p->arch = (vmm_arch)v;
                } else {
                        r = pf_unknown(c, "vm", e);
                }
        }
        if (r == 0 && !p->name)
                r = pf_fail(c, t->line, "[vm] name is missing");
        return r;
}

static int boot_check(pf_ctx *c, vmm_profile *p, unsigned line_initrd, unsigned line_cmdline,
                      unsigned line_esp, unsigned line_fw)
{
        if (p->initrd && !p->kernel)
                return pf_fail(c, line_initrd, "[boot] initrd needs a kernel");
        if (p->cmdline && !p->kernel)
                return pf_fail(c, line_cmdline, "[boot] cmdline needs a kernel");
        if (p->esp && p->firmware != VMM_FW_OVMF)
                return pf_fail(c, line_esp, "[boot] esp needs firmware = \"ovmf\"");
        if (p->firmware == VMM_FW_NONE && !p->kernel)
                return pf_fail(c, line_fw, "[boot] firmware = \"none\" needs a kernel");
        return 0;
}

static int boot_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        unsigned l_initrd = 0, l_cmdline = 0, l_esp = 0, l_fw = t->line;
        int r = 0, v;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "firmware") == 0) {
                        r = pf_choice(c, "boot", e, firmware_names, &v);
                        p->firmware = (vmm_firmware)v;
                        l_fw = e->value->line;
                } else if (strcmp(e->key, "esp") == 0) {
                        r = pf_path(c, "boot", e, PF_FILE | PF_BLOCKDEV, &p->esp);
                        l_esp = e->value->line;
                } else if (strcmp(e->key, "kernel") == 0) {
                        r = pf_path(c, "boot", e, PF_FILE, &p->kernel);
                } else if (strcmp(e->key, "initrd") == 0) {
                        r = pf_path(c, "boot", e, PF_FILE, &p->initrd);
                        l_initrd = e->value->line;
                } else if (strcmp(e->key, "cmdline") == 0) {
                        r = pf_text(c, "boot", e, 4096, &p->cmdline);
                        l_cmdline = e->value->line;
                } else {
                        r = pf_unknown(c, "boot", e);
                }
        }
        return r < 0 ? r : boot_check(c, p, l_initrd, l_cmdline, l_esp, l_fw);
}

static int disk_table(pf_ctx *c, vmm_disk *d, const thatte_toml_value *t)
{
        int r = 0, v;

        d->overlay = true;
        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "path") == 0) {
                        r = pf_path(c, "disk", e, PF_FILE | PF_BLOCKDEV, &d->path);
                } else if (strcmp(e->key, "format") == 0) {
                        r = pf_choice(c, "disk", e, format_names, &v);
                        d->format = (vmm_format)v;
                } else if (strcmp(e->key, "readonly") == 0) {
                        r = pf_bool(c, "disk", e, &d->readonly);
                } else if (strcmp(e->key, "snapshot") == 0) {
                        r = pf_bool(c, "disk", e, &d->snapshot);
                } else if (strcmp(e->key, "overlay") == 0) {
                        r = pf_bool(c, "disk", e, &d->overlay);
                } else {
                        r = pf_unknown(c, "disk", e);
                }
        }
        if (r == 0 && !d->path)
                r = pf_fail(c, t->line, "[[disk]] path is missing");
        if (r == 0 && d->readonly && d->snapshot)
                r = pf_fail(c, t->line, "[[disk]] readonly and snapshot exclude each other");
        return r;
}

static int disks(pf_ctx *c, vmm_profile *p, const thatte_toml_value *arr)
{
        int r = 0;

        if (arr->array.n > VMM_MAX_DISKS)
                return pf_fail(c, arr->array.items[VMM_MAX_DISKS]->line,
                               "more than %d [[disk]] tables", VMM_MAX_DISKS);
        for (size_t i = 0; i < arr->array.n && r == 0; i++) {
                r = disk_table(c, &p->disks[i], arr->array.items[i]);
                p->n_disks = i + 1;
        }
        return r;
}

static int display_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        int r = 0, v;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "gpu") == 0) {
                        r = pf_choice(c, "display", e, gpu_names, &v);
                        p->gpu = (vmm_gpu)v;
                } else if (strcmp(e->key, "width") == 0) {
                        r = pf_uint(c, "display", e, 320, 7680, &p->width);
                } else if (strcmp(e->key, "height") == 0) {
                        r = pf_uint(c, "display", e, 200, 4320, &p->height);
                } else if (strcmp(e->key, "input") == 0) {
                        r = pf_bool(c, "display", e, &p->input);
                } else if (strcmp(e->key, "ui") == 0) {
                        r = pf_choice(c, "display", e, vmm_ui_names, &v);
                        p->ui = (vmm_ui)v;
                } else {
                        r = pf_unknown(c, "display", e);
                }
        }
        return r;
}

static int forwards(pf_ctx *c, vmm_profile *p, const thatte_toml_entry *e)
{
        const thatte_toml_value *a = e->value;
        int r = pf_type(c, "net", e, THATTE_TOML_ARRAY);

        if (r < 0)
                return r;
        if (a->array.n > VMM_MAX_FORWARDS)
                return pf_fail(c, a->line, "[net] forwards: more than %d entries", VMM_MAX_FORWARDS);
        for (size_t i = 0; i < a->array.n; i++) {
                const thatte_toml_value *s = a->array.items[i];

                if (s->type != THATTE_TOML_STRING || vmm_parse_forward(s->string, &p->forwards[i]) < 0)
                        return pf_fail(c, s->line, "[net] forwards: each entry must be "
                                       "\"tcp:HOSTPORT:GUESTPORT\" or \"udp:HOSTPORT:GUESTPORT\"");
        }
        p->n_forwards = a->array.n;
        return 0;
}

static int net_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        unsigned l_fwd = 0;
        int r = 0, v;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "mode") == 0) {
                        r = pf_choice(c, "net", e, net_names, &v);
                        p->net = (vmm_net)v;
                } else if (strcmp(e->key, "forwards") == 0) {
                        r = forwards(c, p, e);
                        l_fwd = e->value->line;
                } else {
                        r = pf_unknown(c, "net", e);
                }
        }
        if (r == 0 && p->n_forwards > 0 && p->net != VMM_NET_USER)
                r = pf_fail(c, l_fwd, "[net] forwards need mode = \"user\"");
        return r;
}

static int serial_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        int r = 0;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "enabled") == 0)
                        r = pf_bool(c, "serial", e, &p->serial);
                else
                        r = pf_unknown(c, "serial", e);
        }
        return r;
}

static int agent_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        int r = 0;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "enabled") == 0)
                        r = pf_bool(c, "agent", e, &p->agent);
                else
                        r = pf_unknown(c, "agent", e);
        }
        return r;
}

static int stop_table(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t)
{
        int r = 0;

        for (size_t i = 0; i < t->table.n && r == 0; i++) {
                const thatte_toml_entry *e = &t->table.entries[i];

                if (strcmp(e->key, "timeout") == 0)
                        r = pf_uint(c, "stop", e, 1, 3600, &p->stop_timeout);
                else
                        r = pf_unknown(c, "stop", e);
        }
        return r;
}

typedef int (*table_fn)(pf_ctx *c, vmm_profile *p, const thatte_toml_value *t);

static const struct {
        const char *name;
        table_fn fn;
} tables[] = {
        { "vm", vm_table },
        { "boot", boot_table },
        { "display", display_table },
        { "net", net_table },
        { "serial", serial_table },
        { "stop", stop_table },
        { "agent", agent_table },
};

/* The arrays of tables, [[NAME]], and their readers. */
static const struct {
        const char *name;
        table_fn fn;
} arrays[] = {
        { "disk", disks },
        { "share", pf_shares },
        { "channel", pf_channels },
};

static int root_entry(pf_ctx *c, vmm_profile *p, const thatte_toml_entry *e)
{
        for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++) {
                if (strcmp(e->key, arrays[i].name) != 0)
                        continue;
                if (!e->value->array_of_tables)
                        return pf_fail(c, e->value->line, "%ss are written as [[%s]] tables", e->key, e->key);
                return arrays[i].fn(c, p, e->value);
        }
        for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
                if (strcmp(e->key, tables[i].name) != 0)
                        continue;
                if (e->value->type != THATTE_TOML_TABLE || !e->value->explicit_table)
                        return pf_fail(c, e->value->line, "'%s' must be a [%s] table", e->key, e->key);
                return tables[i].fn(c, p, e->value);
        }
        if (e->value->type == THATTE_TOML_TABLE || e->value->array_of_tables)
                return pf_fail(c, e->value->line, "unknown table [%s]", e->key);
        return pf_fail(c, e->value->line, "key '%s' outside a table", e->key);
}

/* The line of key in the root's [table], or 1 when it is absent. */
static unsigned key_line(const thatte_toml_value *root, const char *table, const char *key)
{
        const thatte_toml_value *t = thatte_toml_get(root, table);
        const thatte_toml_value *v = t && t->type == THATTE_TOML_TABLE ? thatte_toml_get(t, key) : NULL;

        return v ? v->line : 1;
}

/* What the chosen arch cannot do, known only once every table is read. */
static int arch_check(pf_ctx *c, const vmm_profile *p, const thatte_toml_value *root)
{
        if (p->arch == VMM_ARCH_AARCH64 && p->firmware == VMM_FW_BIOS)
                return pf_fail(c, key_line(root, "boot", "firmware"), "[boot] firmware = \"bios\" is x86-64 "
                               "only; arch = \"aarch64\" boots with \"ovmf\" (AAVMF) or \"none\"");
        return 0;
}

static void profile_defaults(vmm_profile *p)
{
        p->memory_mib = 512;
        p->cpus = 1;
        p->accel = VMM_ACCEL_AUTO;
        p->firmware = VMM_FW_OVMF;
        p->gpu = VMM_GPU_STD;
        p->width = 1280;
        p->height = 800;
        p->net = VMM_NET_NONE;
        p->ui = VMM_UI_AUTO;
        p->serial = true;
        p->stop_timeout = 30;
}

int vmm_profile_from_toml(const thatte_toml_value *root, const char *dir,
                          vmm_profile **ret, thatte_toml_error *err)
{
        pf_ctx c = { .dir = dir, .err = err };
        vmm_profile *p = calloc(1, sizeof(*p));
        int r = 0;

        if (!p)
                return -ENOMEM;
        profile_defaults(p);
        for (size_t i = 0; i < root->table.n && r == 0; i++)
                r = root_entry(&c, p, &root->table.entries[i]);
        if (r == 0 && !p->name)
                r = pf_fail(&c, 1, "[vm] table with a name is missing");
        if (r == 0)
                r = arch_check(&c, p, root);
        if (r == 0 && !p->machine && !(p->machine = strdup(vmm_arch_machine(p->arch))))
                r = -ENOMEM;
        if (r < 0) {
                vmm_profile_free(p);
                return r;
        }
        *ret = p;
        return 0;
}

void vmm_profile_free(vmm_profile *p)
{
        if (!p)
                return;
        free(p->file);
        free(p->dir);
        free(p->source);
        free(p->name);
        free(p->machine);
        free(p->cpu);
        free(p->esp);
        free(p->kernel);
        free(p->initrd);
        free(p->cmdline);
        for (size_t i = 0; i < p->n_disks; i++)
                free(p->disks[i].path);
        for (size_t i = 0; i < p->n_shares; i++) {
                free(p->shares[i].path);
                free(p->shares[i].tag);
        }
        free(p);
}
