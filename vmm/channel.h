/* vmm/channel.h: display channels' backing files on the host.
 *
 * Channel NAME is the file $XDG_RUNTIME_DIR/thatte-vmm/channels/NAME
 * (folder 0700, file 0600). Who uses it is not counted but recorded: each
 * VM's runtime folder has a file "channels" listing its channels, and a
 * record counts only while that VM's lock is held, so a VM killed with
 * its supervisor leaves nothing wrong behind. All changes happen under
 * channels/.lock. */
#ifndef VMM_CHANNEL_H
#define VMM_CHANNEL_H

#include <stddef.h>
#include <stdio.h>

#include "profile.h"

/* vmm_fopen_private: creates or truncates path (mode 0600, no symlink)
 * for writing; NULL with errno set on failure. */
FILE *vmm_fopen_private(const char *path);

/* vmm_channel_dir: the channels folder into buf. Returns 0, -ENXIO when
 * there is no runtime folder, -ENAMETOOLONG. */
int vmm_channel_dir(char *buf, size_t size);

/* vmm_channels_acquire: for each channel of p, creates its file with the
 * channel's size, or checks that the file a running VM uses has that
 * size (a file no running VM uses stays if its size is right, e.g. made
 * by a host-side client, else is made anew); then records them in
 * rundir/channels. The caller holds the VM's lock. Returns 0, or -errno
 * with why filled (-EEXIST: another size in use). */
int vmm_channels_acquire(const vmm_profile *p, const char *rundir, char *why, size_t why_size);

/* vmm_channels_release: removes rundir/channels and the files of the
 * channels it listed that no other running VM records. Call when the VM
 * no longer runs (its lock free or held by the caller). Returns 0 or
 * -errno; a missing record is not an error. */
int vmm_channels_release(const char *rundir);

#endif
