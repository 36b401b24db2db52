/* vmm/input.h: what send-key and pointer send, checked before any of it
 * reaches QMP: key names from QEMU's QKeyCode list, buttons from its
 * InputButton list, numbers in range. The results are json-c objects, so
 * no argument is ever pasted into JSON text. */
#ifndef VMM_INPUT_H
#define VMM_INPUT_H

#include <json-c/json.h>
#include <stdbool.h>

#define VMM_INPUT_MAX_ARGS 256          /* chords or pointer actions per call */
#define VMM_INPUT_MAX_CHORD 16          /* keys pressed together (virsh's limit) */
#define VMM_INPUT_MAX_MOVE 10000        /* counts per axis in one move */
#define VMM_INPUT_ABS_MAX 32767         /* QMP's absolute axis range is 0..this */
#define VMM_INPUT_HOLD_DEFAULT 100      /* ms, as QMP's send-key */
#define VMM_INPUT_HOLD_MAX 10000

/* vmm_input_chord: the QMP "keys" array for a chord such as "ctrl-alt-delete"
 * (QEMU qcode names joined by '-'; a few aliases: del, enter, space, escape).
 * Returns 0 with *ret (put it), or -EINVAL after writing why into why. */
int vmm_input_chord(const char *chord, json_object **ret, char *why, size_t why_size);

/* One step of a pointer action: a list of QMP input events to send in one
 * input-send-event, and how long to wait after it. */
typedef struct vmm_input_step {
        json_object *events;    /* an array */
        int pause_ms;
} vmm_input_step;

enum { VMM_INPUT_NEEDS_REL = 1, VMM_INPUT_NEEDS_ABS = 2 };

/* vmm_input_pointer: the steps for one action: move:DX,DY (relative counts,
 * cut into steps of at most VMM_INPUT_STEP counts an axis), at:X,Y (percent
 * of the screen, up to two decimals), click[:BUTTON], press[:BUTTON],
 * release[:BUTTON]. Appends to steps (*n of cap used); *needs gets
 * VMM_INPUT_NEEDS_REL or _ABS for a move (buttons go to any pointer). Returns 0, -ENOSPC when cap is too small,
 * or -EINVAL after writing why into why. */
#define VMM_INPUT_STEP 100
#define VMM_INPUT_MAX_STEPS (VMM_INPUT_MAX_MOVE / VMM_INPUT_STEP + 2)  /* per action */
int vmm_input_pointer(const char *action, int hold_ms, vmm_input_step *steps, int cap, int *n,
                      unsigned *needs, char *why, size_t why_size);

/* vmm_input_key_names: the NULL-terminated list of qcode names. */
const char *const *vmm_input_key_names(void);

#endif
