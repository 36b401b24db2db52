/* vmm/input.c: send-key's chords and pointer's actions into QMP input
 * events (input.h). Every name is looked up in a table of QEMU's own
 * names and every number range-checked here, so QEMU sees only what this
 * file built, as json-c objects. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "thatte-suggest.h"

/* QEMU 7.2's QKeyCode values (qapi/ui.json), without "unmapped". */
static const char *const key_names[] = {
        "shift", "shift_r", "alt", "alt_r", "ctrl", "ctrl_r", "menu", "esc",
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "minus", "equal", "backspace", "tab",
        "q", "w", "e", "r", "t", "y", "u", "i", "o", "p", "bracket_left", "bracket_right", "ret",
        "a", "s", "d", "f", "g", "h", "j", "k", "l", "semicolon", "apostrophe", "grave_accent",
        "backslash", "z", "x", "c", "v", "b", "n", "m", "comma", "dot", "slash", "asterisk", "spc",
        "caps_lock", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "num_lock",
        "scroll_lock", "kp_divide", "kp_multiply", "kp_subtract", "kp_add", "kp_enter", "kp_decimal",
        "sysrq", "kp_0", "kp_1", "kp_2", "kp_3", "kp_4", "kp_5", "kp_6", "kp_7", "kp_8", "kp_9",
        "less", "f11", "f12", "print", "home", "pgup", "pgdn", "end", "left", "up", "down", "right",
        "insert", "delete", "stop", "again", "props", "undo", "front", "copy", "open", "paste",
        "find", "cut", "lf", "help", "meta_l", "meta_r", "compose", "pause", "ro", "hiragana",
        "henkan", "yen", "muhenkan", "katakanahiragana", "kp_comma", "kp_equals", "power", "sleep",
        "wake", "audionext", "audioprev", "audiostop", "audioplay", "audiomute", "volumeup",
        "volumedown", "mediaselect", "mail", "calculator", "computer", "ac_home", "ac_back",
        "ac_forward", "ac_refresh", "ac_bookmarks", "lang1", "lang2", NULL
};

/* Names people type for keys whose qcode differs (HMP and virsh users). */
static const struct { const char *alias, *qcode; } key_aliases[] = {
        { "del", "delete" }, { "enter", "ret" }, { "space", "spc" }, { "escape", "esc" },
};

/* QEMU 7.2's InputButton values. */
static const char *const button_names[] = {
        "left", "middle", "right", "wheel-up", "wheel-down", "side", "extra", "wheel-left",
        "wheel-right", NULL
};

/* The pause after each pointer step: the PS/2 mouse queues at most four
 * packets, and a move the guest has not read yet would merge into the
 * next button's packet, which Linux reports button first. */
#define POINTER_PAUSE_MS 20

const char *const *vmm_input_key_names(void)
{
        return key_names;
}

static const char *lookup(const char *name, size_t len, const char *const *names)
{
        for (size_t i = 0; names[i]; i++)
                if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
                        return names[i];
        return NULL;
}

static const char *key_qcode(const char *name, size_t len)
{
        const char *q = lookup(name, len, key_names);

        for (size_t i = 0; !q && i < sizeof(key_aliases) / sizeof(key_aliases[0]); i++)
                if (strlen(key_aliases[i].alias) == len && memcmp(key_aliases[i].alias, name, len) == 0)
                        q = key_aliases[i].qcode;
        return q;
}

/* "'NAME' is not a WHAT" with a suggestion; NAME shown only if printable
 * and short, since it came from the command line. */
static int refuse(char *why, size_t size, const char *name, size_t len, const char *what,
                  const char *const *names)
{
        char shown[40];
        const char *hint = NULL;
        bool plain = len > 0 && len < sizeof(shown);

        for (size_t i = 0; plain && i < len; i++)
                plain = name[i] > ' ' && name[i] < 0x7f;
        if (plain) {
                memcpy(shown, name, len);
                shown[len] = '\0';
                hint = thatte_suggest(shown, names);
                snprintf(why, size, "'%s' is not a %s%s%s%s", shown, what, hint ? "; did you mean '" : "",
                         hint ? hint : "", hint ? "'?" : "");
        } else {
                snprintf(why, size, "%s is not a %s", len ? "that name" : "an empty name", what);
        }
        return -EINVAL;
}

int vmm_input_chord(const char *chord, json_object **ret, char *why, size_t why_size)
{
        json_object *keys = json_object_new_array();
        const char *p = chord;
        int n = 0;

        if (!keys) {
                snprintf(why, why_size, "out of memory");
                return -ENOMEM;
        }
        for (;;) {
                size_t len = strcspn(p, "-");
                const char *q = key_qcode(p, len);
                json_object *k;

                if (!q) {
                        json_object_put(keys);
                        return refuse(why, why_size, p, len, "key (QEMU's qcode names, e.g. ctrl, a, ret, f1)",
                                      key_names);
                }
                if (++n > VMM_INPUT_MAX_CHORD) {
                        json_object_put(keys);
                        snprintf(why, why_size, "more than %d keys in one chord", VMM_INPUT_MAX_CHORD);
                        return -EINVAL;
                }
                k = json_object_new_object();
                json_object_object_add(k, "type", json_object_new_string("qcode"));
                json_object_object_add(k, "data", json_object_new_string(q));
                json_object_array_add(keys, k);
                if (!p[len])
                        break;
                p += len + 1;
        }
        *ret = keys;
        return 0;
}

/* A whole number in [lo, hi] from s..end; false for anything else. */
static bool whole(const char *s, const char *end, long lo, long hi, long *v)
{
        char buf[16], *e;
        size_t len = (size_t)(end - s);

        if (len == 0 || len >= sizeof(buf) || strspn(s, "+-0123456789") < len)
                return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        errno = 0;
        *v = strtol(buf, &e, 10);
        return !errno && *e == '\0' && e != buf && *v >= lo && *v <= hi;
}

/* Percent with at most two decimals, 0 to 100, as hundredths. */
static bool percent(const char *s, const char *end, long *hundredths)
{
        const char *dot = memchr(s, '.', (size_t)(end - s));
        long whole_part, frac = 0;
        size_t decimals;

        if (!whole(s, dot ? dot : end, 0, 100, &whole_part) || (s[0] == '+' || s[0] == '-'))
                return false;
        if (dot) {
                decimals = (size_t)(end - dot - 1);
                if (decimals < 1 || decimals > 2 || strspn(dot + 1, "0123456789") < decimals)
                        return false;
                frac = (dot[1] - '0') * 10 + (decimals == 2 ? dot[2] - '0' : 0);
        }
        *hundredths = whole_part * 100 + frac;
        return *hundredths <= 10000;
}

/* Two numbers "A,B" after the action's colon. */
static bool pair(const char *arg, bool abs, long *a, long *b)
{
        const char *comma = arg ? strchr(arg, ',') : NULL, *end;

        if (!comma)
                return false;
        end = comma + strlen(comma);
        if (abs)
                return percent(arg, comma, a) && percent(comma + 1, end, b);
        return whole(arg, comma, -VMM_INPUT_MAX_MOVE, VMM_INPUT_MAX_MOVE, a) &&
               whole(comma + 1, end, -VMM_INPUT_MAX_MOVE, VMM_INPUT_MAX_MOVE, b);
}

static json_object *axis_event(const char *type, const char *axis, long value)
{
        json_object *e = json_object_new_object(), *d = json_object_new_object();

        json_object_object_add(d, "axis", json_object_new_string(axis));
        json_object_object_add(d, "value", json_object_new_int64(value));
        json_object_object_add(e, "type", json_object_new_string(type));
        json_object_object_add(e, "data", d);
        return e;
}

static json_object *button_event(const char *button, bool down)
{
        json_object *e = json_object_new_object(), *d = json_object_new_object();

        json_object_object_add(d, "down", json_object_new_boolean(down));
        json_object_object_add(d, "button", json_object_new_string(button));
        json_object_object_add(e, "type", json_object_new_string("btn"));
        json_object_object_add(e, "data", d);
        return e;
}

static int push(vmm_input_step *steps, int cap, int *n, json_object *a, json_object *b, int pause_ms)
{
        json_object *events;

        if (*n >= cap) {
                json_object_put(a);
                json_object_put(b);
                return -ENOSPC;
        }
        events = json_object_new_array();
        json_object_array_add(events, a);
        if (b)
                json_object_array_add(events, b);
        steps[(*n)++] = (vmm_input_step){ events, pause_ms };
        return 0;
}

/* move: as many steps as the longer axis needs, the shorter spread evenly. */
static int move(long dx, long dy, vmm_input_step *steps, int cap, int *n)
{
        long ax = labs(dx), ay = labs(dy), count = ((ax > ay ? ax : ay) + VMM_INPUT_STEP - 1) / VMM_INPUT_STEP;
        long sent_x = 0, sent_y = 0;
        int r = 0;

        for (long i = 1; i <= count && r == 0; i++) {
                long x = dx * i / count, y = dy * i / count;

                r = push(steps, cap, n, axis_event("rel", "x", x - sent_x), axis_event("rel", "y", y - sent_y),
                         POINTER_PAUSE_MS);
                sent_x = x;
                sent_y = y;
        }
        return r;
}

int vmm_input_pointer(const char *action, int hold_ms, vmm_input_step *steps, int cap, int *n,
                      unsigned *needs, char *why, size_t why_size)
{
        static const char *const verbs[] = { "move", "at", "click", "press", "release", NULL };
        const char *colon = strchr(action, ':'), *arg = colon ? colon + 1 : NULL, *button = "left";
        size_t len = colon ? (size_t)(colon - action) : strlen(action);
        const char *verb = lookup(action, len, verbs);
        long a, b;

        if (!verb)
                return refuse(why, why_size, action, len, "pointer action (move, at, click, press, release)", verbs);
        if (strcmp(verb, "move") == 0 || strcmp(verb, "at") == 0) {
                bool abs = verb[0] == 'a';

                if (!pair(arg, abs, &a, &b)) {
                        snprintf(why, why_size, abs ? "at needs X,Y in percent of the screen, 0 to 100 "
                                                      "(up to two decimals), as in at:50,50"
                                                    : "move needs DX,DY, whole counts from -%d to %d, as in move:-40,25",
                                 VMM_INPUT_MAX_MOVE, VMM_INPUT_MAX_MOVE);
                        return -EINVAL;
                }
                *needs |= abs ? VMM_INPUT_NEEDS_ABS : VMM_INPUT_NEEDS_REL;
                if (!abs)
                        return move(a, b, steps, cap, n);
                return push(steps, cap, n, axis_event("abs", "x", (a * VMM_INPUT_ABS_MAX + 5000) / 10000),
                            axis_event("abs", "y", (b * VMM_INPUT_ABS_MAX + 5000) / 10000), POINTER_PAUSE_MS);
        }
        if (arg && !(button = lookup(arg, strlen(arg), button_names)))
                return refuse(why, why_size, arg, strlen(arg), "button (left, middle, right, wheel-up, "
                              "wheel-down, side, extra, wheel-left, wheel-right)", button_names);
        if (strcmp(verb, "release") == 0)
                return push(steps, cap, n, button_event(button, false), NULL, POINTER_PAUSE_MS);
        if (strcmp(verb, "press") == 0)
                return push(steps, cap, n, button_event(button, true), NULL, POINTER_PAUSE_MS);
        return push(steps, cap, n, button_event(button, true), NULL, hold_ms) ?:
               push(steps, cap, n, button_event(button, false), NULL, POINTER_PAUSE_MS);
}
