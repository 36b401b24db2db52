/* vmm/display.h: where a VM's screen goes: a window (gtk, sdl), a remote
 * viewer's socket (vnc, spice) or nowhere. */
#ifndef VMM_DISPLAY_H
#define VMM_DISPLAY_H

#include <stddef.h>

#include "profile.h"

/* vmm_display_parse: the vmm_ui named s ("auto", "gtk", "sdl", "vnc",
 * "spice", "none"), or -1. */
int vmm_display_parse(const char *s);

/* vmm_display_name: the name of ui, as vmm_display_parse takes it. */
const char *vmm_display_name(vmm_ui ui);

/* vmm_display_resolve: turns `want` into what QEMU gets. auto: a window
 * (gtk, else sdl, as the QEMU at `qemu` offers them) when $DISPLAY or
 * $WAYLAND_DISPLAY is set, none otherwise or when QEMU has no window
 * (then a one-line reason in why, else why is ""). gtk and sdl need a
 * display and QEMU's module. Stores the result in *ret (never AUTO).
 * Returns 0, or -ENXIO (no display to open a window on) or -ENOENT (this
 * QEMU lacks the module) for an explicit gtk or sdl, reason in why. */
int vmm_display_resolve(vmm_ui want, const char *qemu, vmm_ui *ret, char *why, size_t size);

#endif
