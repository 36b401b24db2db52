/* vmm/record.h: what a running VM came from, and the state file of
 * `thatte-vmm save`.
 *
 * At start, launch.c writes RUNDIR/profile: the profile's text and where it
 * came from, so `save` stores what the VM really runs even if the profile
 * was edited since. A state file is that record behind a small header,
 * followed by QEMU's migration stream:
 *
 *     THATTE-VMM-STATE 1
 *     name NAME
 *     running 1|0
 *     disk I SIZE MTIME_NS          one per overlaid disk, fixed width
 *     accel kvm|tcg                 from here on: RUNDIR/profile
 *     file PROFILE-PATH
 *     dir FOLDER
 *     profile BYTES
 *     <BYTES of TOML>
 *     stream LENGTH CHECKSUM        fixed width; FNV-1a 64 of the stream
 *     <LENGTH bytes of QEMU migration stream>
 */
#ifndef VMM_RECORD_H
#define VMM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "profile.h"

#define VMM_STATE_MAGIC "THATTE-VMM-STATE 1\n"

typedef struct vmm_record_disk {
        unsigned index;
        long long size;
        long long mtime_ns;
} vmm_record_disk;

typedef struct vmm_record {
        char name[VMM_NAME_MAX + 1];
        bool running;
        vmm_record_disk disks[VMM_MAX_DISKS];
        size_t n_disks;
        vmm_accel accel;
        char file[4096];
        char dir[4096];
        char *profile;          /* NUL-terminated, profile_len bytes */
        size_t profile_len;
        unsigned long long stream_len;
        uint64_t checksum;
        off_t stream_offset;    /* where the stream starts in the file */
} vmm_record;

/* vmm_record_write_launch: writes RUNDIR/profile for p started with accel,
 * atomically. Returns 0 or -errno (-EINVAL for a path with a newline). */
int vmm_record_write_launch(const char *rundir, const vmm_profile *p, vmm_accel accel);

/* vmm_record_read_launch: reads RUNDIR/profile into *ret (name, disks,
 * running and stream left empty). Returns 0, -ENOENT, -EBADMSG when it is
 * malformed, or -errno. Free with vmm_record_done. */
int vmm_record_read_launch(const char *rundir, vmm_record *ret);

/* vmm_record_write_header: writes the state file header for r at the
 * start of fd, with the disk and stream lines as placeholders of fixed
 * width. Returns 0 or -errno; sets r->stream_offset. */
int vmm_record_write_header(int fd, vmm_record *r);

/* vmm_record_finish_header: rewrites the disk and stream lines of a header
 * written by vmm_record_write_header with r's final values. */
int vmm_record_finish_header(int fd, const vmm_record *r);

/* vmm_record_read_state: reads and checks the header of the state file
 * open on fd: magic, syntax, and that the file holds exactly the stream
 * the header announces. Returns 0; -EBADMSG (not a state file, or
 * malformed), -EPIPE (truncated or with extra bytes), or -errno; *why
 * gets a short reason on -EBADMSG and -EPIPE. */
int vmm_record_read_state(int fd, vmm_record *ret, char *why, size_t size);

/* vmm_record_checksum: FNV-1a 64 of the next len bytes of fd, continuing
 * from h (start from VMM_FNV_INIT). Returns 0 and *ret, -EPIPE when the
 * file ends early, or -errno. */
#define VMM_FNV_INIT 0xcbf29ce484222325ULL
uint64_t vmm_fnv(uint64_t h, const void *buf, size_t n);
int vmm_record_checksum(int fd, unsigned long long len, uint64_t *ret);

/* vmm_record_overlay: the identity (size, mtime) of overlay disk<index>
 * in statedir, as a state file records it. Returns 0 or -errno. */
int vmm_record_overlay(const char *statedir, unsigned index, vmm_record_disk *ret);

/* vmm_write_all: writes all n bytes of buf to fd. Returns 0 or -errno. */
int vmm_write_all(int fd, const char *buf, size_t n);

/* vmm_record_done: frees what a read allocated; accepts a zeroed record. */
void vmm_record_done(vmm_record *r);

#endif
