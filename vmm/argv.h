/* vmm/argv.h: the QEMU command line for a profile. */
#ifndef VMM_ARGV_H
#define VMM_ARGV_H

#include <stdbool.h>

#include "profile.h"
#include "strv.h"

typedef struct vmm_launch {
        const char *qemu;               /* absolute path of qemu-system-x86_64 */
        const char *rundir;             /* runtime folder of this VM */
        const char *statedir;           /* persistent state folder of this VM */
        const char *ovmf_code;          /* read-only firmware code image */
        const char *channeldir;         /* where channel files live (channel.h) */
        vmm_accel accel;                /* resolved: VMM_ACCEL_KVM or VMM_ACCEL_TCG */
        vmm_ui ui;                      /* resolved: never VMM_UI_AUTO (AUTO is taken as none) */
        bool paused;                    /* start with the CPUs stopped (-S) */
        bool incoming;                  /* wait for a saved state (-incoming defer) */
        const char *kvm_options;        /* NULL or more -accel kvm properties */
        bool owner_monitor;             /* run: a QMP monitor of its own (run.sock) */
} vmm_launch;

/* Longest folder name that still leaves room for "/serial.sock" in a Unix
 * socket address (sun_path holds 108 bytes with the NUL). */
#define VMM_RUNDIR_MAX (107 - 12)

/* vmm_build_argv: fills *ret (empty on entry) with QEMU's argv for p under
 * l. Disk i with an overlay is attached as statedir/disk<i>.qcow2 and the
 * OVMF variables as statedir/OVMF_VARS.fd, the serial log is
 * statedir/serial.log, channel NAME as
 * channeldir/NAME; the caller creates them.
 * Returns 0, -ENAMETOOLONG when rundir is too long for socket addresses,
 * or -ENOMEM; *ret is left empty on failure. */
int vmm_build_argv(const vmm_profile *p, const vmm_launch *l, vmm_strv *ret);

/* vmm_disk_overlaid: whether disk d is attached through an overlay. */
bool vmm_disk_overlaid(const vmm_disk *d);

#endif
