/* tests/vmm/test-input.c: send-key's chords and pointer's actions
 * (vmm/input.c) as the exact QMP JSON they become, and hostile ones:
 * unknown names, injection into the JSON, numbers out of range, too many
 * keys, malformed pairs. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "tests/tap.h"

static const char *json(json_object *o)
{
        return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

static void chord_is(const char *chord, const char *want)
{
        json_object *keys = NULL;
        char why[160] = "";
        int r = vmm_input_chord(chord, &keys, why, sizeof(why));

        ok(r == 0 && strcmp(json(keys), want) == 0, "chord '%s' -> %s", chord, r == 0 ? json(keys) : why);
        json_object_put(keys);
}

static void chord_refused(const char *chord, const char *why_has)
{
        json_object *keys = NULL;
        char why[160] = "";
        int r = vmm_input_chord(chord, &keys, why, sizeof(why));

        ok(r == -EINVAL && !keys && strstr(why, why_has), "chord refused: %s", why);
}

/* The steps of one action as one string: each step's events, then "/pause". */
static int steps_of(const char *action, char *out, size_t size, unsigned *needs)
{
        vmm_input_step steps[VMM_INPUT_MAX_STEPS];
        char why[200] = "";
        int n = 0, r = vmm_input_pointer(action, 250, steps, VMM_INPUT_MAX_STEPS, &n, needs, why, sizeof(why));

        out[0] = '\0';
        if (r < 0)
                snprintf(out, size, "%s", why);
        for (int i = 0; i < n; i++) {
                snprintf(out + strlen(out), size - strlen(out), "%s%s/%d", i ? " " : "", json(steps[i].events),
                         steps[i].pause_ms);
                json_object_put(steps[i].events);
        }
        return r;
}

static void action_is(const char *action, const char *want, unsigned want_needs)
{
        char got[4096];
        unsigned needs = 0;
        int r = steps_of(action, got, sizeof(got), &needs);

        ok(r == 0 && strcmp(got, want) == 0 && needs == want_needs, "action '%s' -> %s", action, got);
}

static void action_refused(const char *action, const char *why_has)
{
        char got[4096];
        unsigned needs = 0;
        int r = steps_of(action, got, sizeof(got), &needs);

        ok(r == -EINVAL && strstr(got, why_has) && needs == 0, "action refused: %s", got);
}

#define Q(k) "{\"type\":\"qcode\",\"data\":\"" k "\"}"
#define REL(x, y) "[{\"type\":\"rel\",\"data\":{\"axis\":\"x\",\"value\":" #x "}}," \
                  "{\"type\":\"rel\",\"data\":{\"axis\":\"y\",\"value\":" #y "}}]/20"
#define BTN(b, d) "[{\"type\":\"btn\",\"data\":{\"down\":" #d ",\"button\":\"" b "\"}}]"

static void long_move_sums(void)
{
        static vmm_input_step steps[VMM_INPUT_MAX_STEPS];
        char action[64], why[200];
        long sum[2] = { 0, 0 }, most = 0;
        unsigned needs = 0;
        int n = 0, r;

        snprintf(action, sizeof(action), "move:-%d,%d", VMM_INPUT_MAX_MOVE, VMM_INPUT_MAX_MOVE / 3);
        r = vmm_input_pointer(action, 100, steps, VMM_INPUT_MAX_STEPS, &n, &needs, why, sizeof(why));
        for (int i = 0; i < n; i++) {
                for (size_t e = 0; e < 2; e++) {
                        json_object *ev = json_object_array_get_idx(steps[i].events, e), *d, *v;
                        long value;

                        json_object_object_get_ex(ev, "data", &d);
                        json_object_object_get_ex(d, "value", &v);
                        value = (long)json_object_get_int64(v);
                        sum[e] += value;
                        most = labs(value) > most ? labs(value) : most;
                }
                json_object_put(steps[i].events);
        }
        ok(r == 0 && n == VMM_INPUT_MAX_MOVE / VMM_INPUT_STEP, "%s: %d steps", action, n);
        ok(sum[0] == -VMM_INPUT_MAX_MOVE && sum[1] == VMM_INPUT_MAX_MOVE / 3 && most <= VMM_INPUT_STEP,
           "  ... summing to %ld,%ld, at most %ld counts a step", sum[0], sum[1], most);
        n = 0;
        ok(vmm_input_pointer(action, 100, steps, 3, &n, &needs, why, sizeof(why)) == -ENOSPC && n == 3,
           "  ... and too few steps left is -ENOSPC");
        for (int i = 0; i < n; i++)
                json_object_put(steps[i].events);
}

int main(void)
{

        chord_is("ctrl-alt-delete", "[" Q("ctrl") "," Q("alt") "," Q("delete") "]");
        chord_is("ctrl-alt-del", "[" Q("ctrl") "," Q("alt") "," Q("delete") "]");
        chord_is("a", "[" Q("a") "]");
        chord_is("kp_subtract", "[" Q("kp_subtract") "]");
        chord_is("shift-minus", "[" Q("shift") "," Q("minus") "]");
        chord_is("a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p", "[" Q("a") "," Q("b") "," Q("c") "," Q("d") "," Q("e") ","
                 Q("f") "," Q("g") "," Q("h") "," Q("i") "," Q("j") "," Q("k") "," Q("l") "," Q("m") ","
                 Q("n") "," Q("o") "," Q("p") "]");
        chord_refused("a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q", "more than 16 keys");
        chord_refused("ctrl-alt-delet", "did you mean 'delete'");
        chord_refused("unmapped", "'unmapped' is not a key");
        chord_refused("", "an empty name is not a key");
        chord_refused("ctrl-", "an empty name");
        chord_refused("-a", "an empty name");
        chord_refused("a--b", "an empty name");
        chord_refused("A", "'A' is not a key");
        chord_refused("a\"},{\"type\":\"number\",\"data\":1", "'a\"},{\"type\":\"number\",\"data\":1' is not a key");
        chord_refused("a\\u0000", "'a\\u0000' is not a key");
        chord_refused("ret\n", "that name is not a key");
        chord_refused("ret ", "that name is not a key");

        action_is("move:250,-30", REL(83, -10) " " REL(83, -10) " " REL(84, -10), VMM_INPUT_NEEDS_REL);
        action_is("move:100,100", REL(100, 100), VMM_INPUT_NEEDS_REL);
        action_is("move:0,0", "", VMM_INPUT_NEEDS_REL);
        action_is("move:-1,+1", REL(-1, 1), VMM_INPUT_NEEDS_REL);
        action_is("at:50,50", "[{\"type\":\"abs\",\"data\":{\"axis\":\"x\",\"value\":16384}},"
                  "{\"type\":\"abs\",\"data\":{\"axis\":\"y\",\"value\":16384}}]/20", VMM_INPUT_NEEDS_ABS);
        action_is("at:100,0.01", "[{\"type\":\"abs\",\"data\":{\"axis\":\"x\",\"value\":32767}},"
                  "{\"type\":\"abs\",\"data\":{\"axis\":\"y\",\"value\":3}}]/20", VMM_INPUT_NEEDS_ABS);
        action_is("click", BTN("left", true) "/250 " BTN("left", false) "/20", 0);
        action_is("click:wheel-down", BTN("wheel-down", true) "/250 " BTN("wheel-down", false) "/20", 0);
        action_is("press:right", BTN("right", true) "/20", 0);
        action_is("release:middle", BTN("middle", false) "/20", 0);
        /* The longest move: as many steps as its longer axis needs, summing to it. */
        long_move_sums();
        action_refused("jump", "'jump' is not a pointer action");
        action_refused("clik", "did you mean 'click'");
        action_refused("move", "move needs DX,DY");
        action_refused("move:", "move needs DX,DY");
        action_refused("move:1", "move needs DX,DY");
        action_refused("move:1,2,3", "move needs DX,DY");
        action_refused("move:10001,0", "move needs DX,DY");
        action_refused("move:0,-10001", "move needs DX,DY");
        action_refused("move:99999999999999999999,1", "move needs DX,DY");
        action_refused("move:0x10,1", "move needs DX,DY");
        action_refused("move: 1,2", "move needs DX,DY");
        action_refused("move:1,2\"}]", "move needs DX,DY");
        action_refused("move:--1,2", "move needs DX,DY");
        action_refused("at:101,0", "at needs X,Y");
        action_refused("at:-1,5", "at needs X,Y");
        action_refused("at:+1,5", "at needs X,Y");
        action_refused("at:50.123,1", "at needs X,Y");
        action_refused("at:50.,1", "at needs X,Y");
        action_refused("at:100.01,1", "at needs X,Y");
        action_refused("click:", "an empty name is not a button");
        action_refused("click:Left", "did you mean 'left'");
        action_refused("click:left\",\"down\":false", "'left\",\"down\":false' is not a button");
        action_refused("press:wheel", "is not a button");
        return tap_done();
}
