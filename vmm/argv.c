/* vmm/argv.c: builds QEMU's argv from a validated profile.
 *
 * Every value that lands inside a "key=value,..." option string goes
 * through vmm_opt_escape(), so a comma in a path cannot add options; every
 * other value was restricted by the profile validator to characters QEMU
 * does not interpret. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "argv.h"
#include "thatte-agent.h"

/* Pushes "prefix" + escaped(value) + "suffix". */
static int push_escaped(vmm_strv *s, const char *prefix, const char *value, const char *suffix)
{
        char *e = vmm_opt_escape(value);
        int r;

        if (!e)
                return -ENOMEM;
        r = vmm_strv_pushf(s, "%s%s%s", prefix, e, suffix);
        free(e);
        return r;
}

bool vmm_disk_overlaid(const vmm_disk *d)
{
        return d->overlay && !d->readonly && !d->snapshot;
}

static int base_args(const vmm_profile *p, const vmm_launch *l, vmm_strv *s)
{
        const char *cpu = p->cpu ?: vmm_arch_cpu(p->arch, l->accel);
        int r = 0;

        r = r ?: vmm_strv_pushf(s, "%s", l->qemu);
        r = r ?: vmm_strv_pushf(s, "-name");
        r = r ?: vmm_strv_pushf(s, "%s", p->name);
        r = r ?: vmm_strv_pushf(s, "-nodefaults");
        r = r ?: vmm_strv_pushf(s, "-no-user-config");
        r = r ?: vmm_strv_pushf(s, "-machine");
        r = r ?: vmm_strv_pushf(s, "%s%s", p->machine, p->acpi_off ? ",acpi=off" : "");
        r = r ?: vmm_strv_pushf(s, "-accel");
        if (l->accel == VMM_ACCEL_KVM && l->kvm_options && *l->kvm_options)
                r = r ?: vmm_strv_pushf(s, "kvm,%s", l->kvm_options);
        else
                r = r ?: vmm_strv_pushf(s, "%s", l->accel == VMM_ACCEL_KVM ? "kvm" : "tcg");
        r = r ?: vmm_strv_pushf(s, "-m");
        r = r ?: vmm_strv_pushf(s, "%u", p->memory_mib);
        r = r ?: vmm_strv_pushf(s, "-smp");
        r = r ?: vmm_strv_pushf(s, "%u", p->cpus);
        if (cpu) {
                r = r ?: vmm_strv_pushf(s, "-cpu");
                r = r ?: vmm_strv_pushf(s, "%s", cpu);
        }
        return r;
}

/* The screen: a window, or a viewer's Unix socket in the runtime folder
 * (mode 0600 through QEMU's umask), never a TCP port others could reach. */
static int display_args(const vmm_launch *l, vmm_strv *s)
{
        int r = 0;

        r = r ?: vmm_strv_pushf(s, "-display");
        r = r ?: vmm_strv_pushf(s, "%s", l->ui == VMM_UI_GTK ? "gtk" : l->ui == VMM_UI_SDL ? "sdl" : "none");
        if (l->ui == VMM_UI_VNC) {
                r = r ?: vmm_strv_pushf(s, "-vnc");
                r = r ?: push_escaped(s, "unix:", l->rundir, "/vnc.sock");
        } else if (l->ui == VMM_UI_SPICE) {
                r = r ?: vmm_strv_pushf(s, "-spice");
                r = r ?: push_escaped(s, "unix=on,disable-ticketing=on,addr=", l->rundir, "/spice.sock");
        }
        return r;
}

static int control_args(const vmm_profile *p, const vmm_launch *l, vmm_strv *s)
{
        char *dir = vmm_opt_escape(l->rundir), *state = vmm_opt_escape(l->statedir);
        int r = 0;

        if (!dir || !state) {
                free(dir);
                free(state);
                return -ENOMEM;
        }
        r = r ?: vmm_strv_pushf(s, "-chardev");
        r = r ?: vmm_strv_pushf(s, "socket,id=qmp,path=%s/qmp.sock,server=on,wait=off", dir);
        r = r ?: vmm_strv_pushf(s, "-mon");
        r = r ?: vmm_strv_pushf(s, "chardev=qmp,mode=control");
        /* A second monitor only for `thatte-vmm events`, so a listener never
         * holds the one the other verbs use. */
        r = r ?: vmm_strv_pushf(s, "-chardev");
        r = r ?: vmm_strv_pushf(s, "socket,id=events,path=%s/events.sock,server=on,wait=off", dir);
        r = r ?: vmm_strv_pushf(s, "-mon");
        r = r ?: vmm_strv_pushf(s, "chardev=events,mode=control");
        /* `run` holds a third for as long as it runs, so qmp.sock stays free
         * for status, screenshot, save, stop from other terminals. */
        if (l->owner_monitor) {
                r = r ?: vmm_strv_pushf(s, "-chardev");
                r = r ?: vmm_strv_pushf(s, "socket,id=owner,path=%s/run.sock,server=on,wait=off", dir);
                r = r ?: vmm_strv_pushf(s, "-mon");
                r = r ?: vmm_strv_pushf(s, "chardev=owner,mode=control");
        }
        if (p->serial) {
                /* The log outlives the run in the state folder; a restored
                 * VM goes on writing the saved run's. */
                r = r ?: vmm_strv_pushf(s, "-chardev");
                r = r ?: vmm_strv_pushf(s, "socket,id=serial0,path=%s/serial.sock,server=on,wait=off,"
                                        "logfile=%s/serial.log%s", dir, state,
                                        l->incoming ? ",logappend=on" : "");
                r = r ?: vmm_strv_pushf(s, "-serial");
                r = r ?: vmm_strv_pushf(s, "chardev:serial0");
        }
        if (p->agent) {
                /* The guest agent's port (docs/guest-agent.md). */
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtio-serial-pci,id=agent0");
                r = r ?: vmm_strv_pushf(s, "-chardev");
                r = r ?: vmm_strv_pushf(s, "socket,id=agent,path=%s/agent.sock,server=on,wait=off", dir);
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtserialport,bus=agent0.0,chardev=agent,name=%s", THATTE_AGENT_PORT);
        }
        if (l->paused)
                r = r ?: vmm_strv_pushf(s, "-S");
        if (l->incoming) {
                r = r ?: vmm_strv_pushf(s, "-incoming");
                r = r ?: vmm_strv_pushf(s, "defer");
        }
        free(dir);
        free(state);
        return r;
}

static int boot_args(const vmm_profile *p, const vmm_launch *l, vmm_strv *s)
{
        int r = 0;

        if (p->firmware == VMM_FW_OVMF) {
                char vars[32];

                snprintf(vars, sizeof(vars), "/%s", vmm_arch_vars_file(p->arch));
                r = r ?: vmm_strv_pushf(s, "-drive");
                r = r ?: push_escaped(s, "if=pflash,format=raw,unit=0,readonly=on,file=", l->ovmf_code, "");
                r = r ?: vmm_strv_pushf(s, "-drive");
                r = r ?: push_escaped(s, "if=pflash,format=raw,unit=1,file=", l->statedir, vars);
        }
        if (p->esp) {
                r = r ?: vmm_strv_pushf(s, "-drive");
                r = r ?: push_escaped(s, "if=none,id=esp,format=raw,snapshot=on,file=", p->esp, "");
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtio-blk-pci,drive=esp");
        }
        if (p->kernel) {
                r = r ?: vmm_strv_pushf(s, "-kernel");
                r = r ?: vmm_strv_pushf(s, "%s", p->kernel);
        }
        if (p->initrd) {
                r = r ?: vmm_strv_pushf(s, "-initrd");
                r = r ?: vmm_strv_pushf(s, "%s", p->initrd);
        }
        if (p->cmdline) {
                r = r ?: vmm_strv_pushf(s, "-append");
                r = r ?: vmm_strv_pushf(s, "%s", p->cmdline);
        }
        return r;
}

static int disk_args(const vmm_profile *p, const vmm_launch *l, vmm_strv *s)
{
        static const char *const formats[] = { "raw", "qcow2" };
        int r = 0;

        for (size_t i = 0; i < p->n_disks && r == 0; i++) {
                const vmm_disk *d = &p->disks[i];
                char prefix[96], suffix[32];

                r = vmm_strv_pushf(s, "-drive");
                snprintf(prefix, sizeof(prefix), "if=none,id=disk%zu,format=%s%s%s,file=", i,
                         vmm_disk_overlaid(d) ? "qcow2" : formats[d->format],
                         d->readonly ? ",readonly=on" : "", d->snapshot ? ",snapshot=on" : "");
                snprintf(suffix, sizeof(suffix), "/disk%zu.qcow2", i);
                if (vmm_disk_overlaid(d))
                        r = r ?: push_escaped(s, prefix, l->statedir, suffix);
                else
                        r = r ?: push_escaped(s, prefix, d->path, "");
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtio-blk-pci,drive=disk%zu", i);
        }
        return r;
}

/* Shares: QEMU's own 9p server; files the guest creates belong to the
 * user running QEMU (security_model=none). */
static int share_args(const vmm_profile *p, vmm_strv *s)
{
        int r = 0;

        for (size_t i = 0; i < p->n_shares && r == 0; i++) {
                const vmm_share *sh = &p->shares[i];
                char suffix[96];

                snprintf(suffix, sizeof(suffix), ",mount_tag=%s,security_model=none,id=share%zu%s",
                         sh->tag, i, sh->readonly ? ",readonly=on" : "");
                r = vmm_strv_pushf(s, "-virtfs");
                r = r ?: push_escaped(s, "local,path=", sh->path, suffix);
        }
        return r;
}

/* Channels: a shared file mapping behind ivshmem-plain (PCI 1af4:1110,
 * the memory is BAR2); the name is restricted to [A-Za-z0-9_-]. */
static int channel_args(const vmm_profile *p, const vmm_launch *l, vmm_strv *s)
{
        int r = 0;

        for (size_t i = 0; i < p->n_channels && r == 0; i++) {
                const vmm_channel *ch = &p->channels[i];
                char prefix[96], suffix[64];

                snprintf(prefix, sizeof(prefix), "memory-backend-file,id=ch-%s,share=on,mem-path=", ch->name);
                snprintf(suffix, sizeof(suffix), "/%s,size=%uM", ch->name, ch->size_mib);
                r = vmm_strv_pushf(s, "-object");
                r = r ?: push_escaped(s, prefix, l->channeldir ? l->channeldir : "", suffix);
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "ivshmem-plain,memdev=ch-%s", ch->name);
        }
        return r;
}

static int device_args(const vmm_profile *p, vmm_strv *s)
{
        static const char *const gpu_devices[] = { "VGA", "virtio-gpu-pci", "virtio-vga" };
        int r = 0;

        if (p->gpu == VMM_GPU_RAMFB) {
                /* ramfb has no size properties: the guest sets the mode. */
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "ramfb,id=gpu0");
        } else if (p->gpu != VMM_GPU_NONE) {
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "%s,id=gpu0,xres=%u,yres=%u", gpu_devices[p->gpu],
                                        p->width, p->height);
        }
        if (p->input) {
                /* A tablet, not a mouse: absolute positions, as QMP's
                 * input-send-event and a host window give them. */
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtio-keyboard-pci");
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtio-tablet-pci");
        }
        if (p->net == VMM_NET_USER) {
                char net[64 + VMM_MAX_FORWARDS * 40] = "user,id=net0";

                for (size_t i = 0; i < p->n_forwards; i++)
                        snprintf(net + strlen(net), sizeof(net) - strlen(net),
                                 ",hostfwd=%s:127.0.0.1:%u-:%u", p->forwards[i].udp ? "udp" : "tcp",
                                 p->forwards[i].host_port, p->forwards[i].guest_port);
                r = r ?: vmm_strv_pushf(s, "-netdev");
                r = r ?: vmm_strv_pushf(s, "%s", net);
                r = r ?: vmm_strv_pushf(s, "-device");
                r = r ?: vmm_strv_pushf(s, "virtio-net-pci,netdev=net0");
        }
        return r;
}

int vmm_build_argv(const vmm_profile *p, const vmm_launch *l, vmm_strv *ret)
{
        vmm_strv s = { 0 };
        int r = 0;

        if (strlen(l->rundir) > VMM_RUNDIR_MAX)
                return -ENAMETOOLONG;
        r = r ?: base_args(p, l, &s);
        r = r ?: display_args(l, &s);
        r = r ?: control_args(p, l, &s);
        r = r ?: boot_args(p, l, &s);
        r = r ?: disk_args(p, l, &s);
        r = r ?: share_args(p, &s);
        r = r ?: channel_args(p, l, &s);
        r = r ?: device_args(p, &s);
        if (r < 0) {
                vmm_strv_free(&s);
                return r;
        }
        *ret = s;
        return 0;
}
