/* vmm/vmstate.h: what the runtime folder says about a VM, checked rather
 * than trusted: the lock tells whether anything runs, /proc confirms the
 * pid belongs to this VM's QEMU. */
#ifndef VMM_VMSTATE_H
#define VMM_VMSTATE_H

#include <stdbool.h>
#include <sys/types.h>

typedef enum {
        VMM_STATE_STOPPED,      /* no runtime folder */
        VMM_STATE_RUNNING,      /* lock held */
        VMM_STATE_PAUSED,       /* lock held and QMP says paused (set by callers that ask QMP) */
        VMM_STATE_CRASHED,      /* runtime folder left behind, lock free; or QEMU
                                 * stopped on an internal error or guest panic */
} vmm_state;

typedef struct vmm_vm {
        char name[80];
        char rundir[4096];
        vmm_state state;
        pid_t pid;              /* QEMU's pid, 0 when unknown or not verified */
} vmm_vm;

/* vmm_vm_inspect: fills *vm for the VM `name`. Returns 0 or -errno
 * (-ENXIO when there is no runtime folder root to look in). */
int vmm_vm_inspect(const char *name, vmm_vm *vm);

/* vmm_vm_path: "rundir/file" into buf (sized 4096 or more). */
void vmm_vm_path(const vmm_vm *vm, const char *file, char *buf, size_t size);

/* vmm_vm_log_path: the VM's serial log, in its state folder (where QEMU
 * writes it and it stays after the VM stops; RUNDIR/serial.log is a
 * symbolic link to it while the VM runs), into buf. */
void vmm_vm_log_path(const vmm_vm *vm, char *buf, size_t size);

/* vmm_vm_clear: releases the VM's channels (channel.h) and removes the
 * runtime files (but the lock with keep_lock, for its holder about to start
 * the VM again). Same rules and returns as vmm_vm_cleanup. */
int vmm_vm_clear(const char *rundir, bool keep_lock);

/* vmm_vm_cleanup: releases the VM's channels (channel.h), removes the
 * runtime files and folder. Call only while
 * nothing runs (the lock is free or held by the caller). Returns 0 or the
 * first -errno other than -ENOENT. */
int vmm_vm_cleanup(const char *rundir);

/* vmm_pid_is_vm: 1 if pid is a live process whose argv names this runtime
 * folder's QMP socket, else 0. */
int vmm_pid_is_vm(pid_t pid, const char *rundir);

/* vmm_vm_system: the system file that started the VM (RUNDIR/system,
 * written by `up`) into buf. Returns 0, or -ENOENT when it has none. */
int vmm_vm_system(const vmm_vm *vm, char *buf, size_t size);

/* vmm_system_name: a system's name, its file name without ".toml", from
 * the file's path into buf. */
void vmm_system_name(const char *path, char *buf, size_t size);

/* vmm_state_name: "running", "paused", "stopped", "crashed". */
const char *vmm_state_name(vmm_state s);

#endif
