/* vmm/display.c: see display.h. Debian ships QEMU's gtk and sdl front
 * ends as loadable modules in qemu-system-gui, so whether a window is
 * possible is asked of QEMU itself (`-display help` lists what loads). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "kvm-probe.h"

int vmm_display_parse(const char *s)
{
        for (int i = 0; vmm_ui_names[i]; i++)
                if (strcmp(s, vmm_ui_names[i]) == 0)
                        return i;
        return -1;
}

const char *vmm_display_name(vmm_ui ui)
{
        return vmm_ui_names[ui];
}

static int have_window_system(void)
{
        const char *x = getenv("DISPLAY"), *w = getenv("WAYLAND_DISPLAY");

        return (x && *x) || (w && *w);
}

/* What `qemu -display help` prints into out ("" when QEMU cannot run). */
static void qemu_displays(const char *qemu, char *out, size_t size)
{
        char *argv[] = { (char *)qemu, "-display", "help", NULL };

        if (vmm_capture(argv, NULL, 10000, out, size, NULL) < 0)
                *out = '\0';
}

/* Whether that output lists `name` on a line of its own. */
static int listed(const char *out, const char *name)
{
        size_t n = strlen(name);

        for (const char *l = out; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
                if (strncmp(l, name, n) == 0 && (l[n] == '\n' || l[n] == '\0'))
                        return 1;
        return 0;
}

static int resolve_window(vmm_ui want, const char *qemu, vmm_ui *ret, char *why, size_t size)
{
        char out[4096];

        if (!have_window_system()) {
                snprintf(why, size, "display %s needs a window system, but neither DISPLAY nor "
                         "WAYLAND_DISPLAY is set (try --display=vnc)", vmm_ui_names[want]);
                return -ENXIO;
        }
        qemu_displays(qemu, out, sizeof(out));
        if (!listed(out, vmm_ui_names[want])) {
                snprintf(why, size, "this QEMU has no %s display (Debian package qemu-system-gui)",
                         vmm_ui_names[want]);
                return -ENOENT;
        }
        *ret = want;
        return 0;
}

int vmm_display_resolve(vmm_ui want, const char *qemu, vmm_ui *ret, char *why, size_t size)
{
        char out[4096];

        *why = '\0';
        if (want == VMM_UI_GTK || want == VMM_UI_SDL)
                return resolve_window(want, qemu, ret, why, size);
        if (want != VMM_UI_AUTO) {
                *ret = want;
                return 0;
        }
        *ret = VMM_UI_NONE;
        if (!have_window_system())
                return 0;
        qemu_displays(qemu, out, sizeof(out));
        if (listed(out, "gtk"))
                *ret = VMM_UI_GTK;
        else if (listed(out, "sdl"))
                *ret = VMM_UI_SDL;
        else
                snprintf(why, size, "no window: this QEMU has neither the gtk nor the sdl display "
                         "(Debian package qemu-system-gui)");
        return 0;
}
