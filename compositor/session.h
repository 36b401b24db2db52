/* compositor/session.h: the compositor once the first frame is shown and
 * it is to stay: finds display channels, shows each live one in a window,
 * feeds the focused one input, and repaints only what changed. Until a
 * client appears the screen keeps the single-screen picture. */
#ifndef THATTE_COMP_SESSION_H
#define THATTE_COMP_SESSION_H

#include "compositor/display.h"
#include "compositor/options.h"

#define COMP_PCI_DEVICES "/sys/bus/pci/devices"
#define COMP_INPUT_DIR "/dev/input"

/* comp_session_run: runs until a signal arrives on sfd (returns 1) or the
 * display fails (returns -errno, already reported). */
int comp_session_run(const struct comp_options *o, struct comp_display *d, int sfd);

#endif
