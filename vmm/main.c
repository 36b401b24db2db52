/* vmm/main.c: thatte-vmm's command line: options, then one verb from the
 * table below; each verb lives in its own verb-*.c file. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "display.h"
#include "thatte-suggest.h"
#include "vmm.h"

/* What a verb's arguments are, for "VERB needs ..." errors. */
#define PROFILE_OR_NAME "a profile or VM name"
#define STATE_FILE "a state file"
#define SYSTEM_FILE "a system file"

static const vmm_verb verbs[] = {
        { "run",        vmm_verb_run,        VMM_OPT_ACCEL | VMM_OPT_DISPLAY,              PROFILE_OR_NAME, NULL,       "PROFILE   boot in the foreground, serial on the terminal" },
        { "start",      vmm_verb_start,      VMM_OPT_ACCEL | VMM_OPT_JSON | VMM_OPT_DISPLAY, PROFILE_OR_NAME, NULL,       "PROFILE   boot in the background" },
        { "stop",       vmm_verb_stop,       VMM_OPT_TIMEOUT | VMM_OPT_FORCE | VMM_OPT_JSON, PROFILE_OR_NAME, NULL,       "NAME      ACPI power-down, then quit, then SIGKILL" },
        { "kill",       vmm_verb_kill,       0,                              PROFILE_OR_NAME, NULL,       "NAME      end QEMU at once" },
        { "status",     vmm_verb_status,     VMM_OPT_JSON,                   PROFILE_OR_NAME, NULL,       "NAME      running, paused, stopped or crashed" },
        { "list",       vmm_verb_list,       VMM_OPT_JSON | VMM_OPT_ALL,     NULL,            NULL,       "          VMs with runtime state (--all: every profile and state folder too)" },
        { "console",    vmm_verb_console,    0,                              PROFILE_OR_NAME, NULL,       "NAME      attach to the serial port (Ctrl-] detaches)" },
        { "screenshot", vmm_verb_screenshot, VMM_OPT_OUTPUT,                 PROFILE_OR_NAME, NULL,       "NAME -o FILE  save the display as PNG or PPM" },
        { "send-key",   vmm_verb_send_key,   VMM_OPT_COMMAND | VMM_OPT_HOLD, PROFILE_OR_NAME, NULL,       "NAME KEY...  press each KEY (a chord: ctrl-alt-delete) in turn" },
        { "pointer",    vmm_verb_pointer,    VMM_OPT_COMMAND | VMM_OPT_HOLD, PROFILE_OR_NAME, NULL,       "NAME ACTION...  move:DX,DY at:X,Y click[:BUTTON] press release" },
        { "events",     vmm_verb_events,     VMM_OPT_FOLLOW,                 PROFILE_OR_NAME, NULL,       "NAME      print QMP events as JSON lines until the VM ends" },
        { "save",       vmm_verb_save,       VMM_OPT_JSON,                   PROFILE_OR_NAME, STATE_FILE, "NAME FILE save the running VM's whole state to FILE and stop it" },
        { "restore",    vmm_verb_restore,    VMM_OPT_JSON,                   STATE_FILE,      NULL,       "FILE      bring a saved VM back where it was" },
        { "exec",       vmm_verb_exec,       VMM_OPT_COMMAND | VMM_OPT_TIMEOUT, PROFILE_OR_NAME, NULL,   "NAME -- CMD [ARG]...  run CMD in the guest (its agent)" },
        { "copy",       vmm_verb_copy,       VMM_OPT_TIMEOUT,                "a source (FILE or NAME:/PATH)", "a destination", "SRC DST   copy a file to or from the guest (NAME:/PATH)" },
        { "log",        vmm_verb_log,        VMM_OPT_FOLLOW,                 PROFILE_OR_NAME, NULL,       "NAME      the serial log of the last run (--follow: as it grows)" },
        { "delete",     vmm_verb_delete,     0,                              PROFILE_OR_NAME, NULL,       "NAME      remove a stopped VM's state (disks, firmware variables, log)" },
        { "reset",      vmm_verb_reset,      0,                              PROFILE_OR_NAME, NULL,       "NAME      a stopped VM's disk overlays back to their base images" },
        { "snapshot",   vmm_verb_snapshot,   VMM_OPT_COMMAND,                PROFILE_OR_NAME, NULL,       "NAME save|load|delete TAG, NAME list  named disk snapshots" },
        { "edit",       vmm_verb_edit,       0,                              PROFILE_OR_NAME, NULL,       "NAME      edit the profile ($VISUAL, $EDITOR), kept only if it checks out" },
        { "up",         vmm_verb_up,         VMM_OPT_ACCEL | VMM_OPT_JSON,   SYSTEM_FILE,     NULL,       "SYSTEM    start a system's VMs in order (file or name)" },
        { "down",       vmm_verb_down,       VMM_OPT_TIMEOUT | VMM_OPT_FORCE | VMM_OPT_JSON, SYSTEM_FILE,     NULL,       "SYSTEM    stop a system's VMs in reverse order" },
        { "doctor",     vmm_verb_doctor,     VMM_OPT_JSON | VMM_OPT_REFRESH,                  NULL,            NULL,       "          check QEMU, OVMF, the runtime folder and KVM" },
        { "check",      vmm_verb_check,      VMM_OPT_JSON,                   PROFILE_OR_NAME, NULL,       "PROFILE   validate a profile" },
        { "cmdline",    vmm_verb_cmdline,    VMM_OPT_ACCEL | VMM_OPT_DISPLAY,              PROFILE_OR_NAME, NULL,       "PROFILE   print the QEMU argv, one argument per line" },
};

static void usage(FILE *f)
{
        fprintf(f, "Usage: %s VERB [PROFILE|NAME] [OPTIONS]\n"
                   "       %s --cfg PROFILE VERB [OPTIONS]\n\nVerbs:\n", VMM_PROG, VMM_PROG);
        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
                fprintf(f, "  %-11s %s\n", verbs[i].name, verbs[i].usage);
        fputs("\nOptions:\n"
              "  -c, --cfg=PROFILE   the profile (or VM name) to act on\n"
              "      --json          machine-readable output (status, list, start, stop,\n"
              "                      save, restore, up, down, doctor, check)\n"
              "  -t, --timeout=S     seconds stop waits for a graceful power-down; exec and\n"
              "                      copy wait for the guest agent (default 60)\n"
              "  -f, --force         stop: skip the ACPI power-down\n"
              "  -o, --output=FILE   screenshot: output file (.png or .ppm)\n"
              "      --hold-time=MS  send-key, pointer: how long keys and clicks are held,\n"
              "                      1 to 10000 ms (default 100)\n"
              "      --accel=MODE    override the profile: auto, kvm or tcg\n"
              "      --display=UI    run, start, cmdline: auto, gtk, sdl, vnc, spice or none\n"
              "      --follow        events: wait for a VM that has not started yet;\n"
              "                      log: go on printing while the VM runs\n"
              "      --refresh       doctor: probe KVM again instead of using the cached answer\n"
              "  -a, --all           list: defined profiles and VMs with state too\n"
              "  -q, --quiet         no confirmation line (start, stop, kill, restore, delete,\n"
              "                      reset, snapshot, edit)\n"
              "  -h, --help          show this help\n"
              "  -V, --version       show the version\n"
              "\nSee thatte-vmm(1), thatte-vm.toml(5) and thatte-system.toml(5).\n", f);
}

static const vmm_verb *find_verb(const char *name)
{
        const char *names[sizeof(verbs) / sizeof(verbs[0]) + 1] = { NULL }, *hint;

        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
                if (strcmp(verbs[i].name, name) == 0)
                        return &verbs[i];
                names[i] = verbs[i].name;
        }
        hint = thatte_suggest(name, names);
        if (hint)
                vmm_err("unknown verb '%s'; did you mean '%s'?", name, hint);
        else
                vmm_err("unknown verb '%s'; try '%s --help'", name, VMM_PROG);
        return NULL;
}

/* The name of the first option in `used` that the verb does not take. */
static const char *refused_option(unsigned used, unsigned accepted)
{
        static const struct { unsigned bit; const char *name; } names[] = {
                { VMM_OPT_JSON, "--json" }, { VMM_OPT_TIMEOUT, "--timeout" }, { VMM_OPT_FORCE, "--force" },
                { VMM_OPT_OUTPUT, "--output" }, { VMM_OPT_ACCEL, "--accel" }, { VMM_OPT_FOLLOW, "--follow" },
                { VMM_OPT_REFRESH, "--refresh" }, { VMM_OPT_DISPLAY, "--display" }, { VMM_OPT_ALL, "--all" },
                { VMM_OPT_HOLD, "--hold-time" },
        };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (used & ~accepted & names[i].bit)
                        return names[i].name;
        return "an option";
}

static int parse_accel(const char *s)
{
        static const char *const names[] = { "auto", "kvm", "tcg" };

        for (int i = 0; i < 3; i++)
                if (strcmp(s, names[i]) == 0)
                        return i;
        return -1;
}

static int parse_timeout(const char *s)
{
        char *end;
        long v = strtol(s, &end, 10);

        return *s && !*end && v >= 1 && v <= 3600 ? (int)v : -1;
}

static int parse_hold_time(const char *s)
{
        char *end;
        long v = strtol(s, &end, 10);

        return *s >= '0' && *s <= '9' && !*end && v >= 1 && v <= 10000 ? (int)v : -1;
}

/* Parses options into c and *used; returns -1 after printing a usage error. */
static int parse_options(int argc, char **argv, vmm_cmd *c, unsigned *used)
{
        enum { OPT_JSON = 0x100, OPT_ACCEL, OPT_FOLLOW, OPT_DISPLAY, OPT_REFRESH, OPT_HOLD };
        static const struct option longopts[] = {
                { "cfg", required_argument, NULL, 'c' },
                { "json", no_argument, NULL, OPT_JSON },
                { "timeout", required_argument, NULL, 't' },
                { "force", no_argument, NULL, 'f' },
                { "output", required_argument, NULL, 'o' },
                { "accel", required_argument, NULL, OPT_ACCEL },
                { "follow", no_argument, NULL, OPT_FOLLOW },
                { "display", required_argument, NULL, OPT_DISPLAY },
                { "all", no_argument, NULL, 'a' },
                { "refresh", no_argument, NULL, OPT_REFRESH },
                { "hold-time", required_argument, NULL, OPT_HOLD },
                { "quiet", no_argument, NULL, 'q' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                {}
        };
        int opt;

        while ((opt = getopt_long(argc, argv, "c:t:fo:aqhV", longopts, NULL)) != -1) {
                switch (opt) {
                case 'c': c->target = optarg; break;
                case 'q': c->quiet = true; break;
                case OPT_JSON: c->json = true; *used |= VMM_OPT_JSON; break;
                case 'f': c->force = true; *used |= VMM_OPT_FORCE; break;
                case OPT_FOLLOW: c->follow = true; *used |= VMM_OPT_FOLLOW; break;
                case 'a': c->all = true; *used |= VMM_OPT_ALL; break;
                case OPT_REFRESH: c->refresh = true; *used |= VMM_OPT_REFRESH; break;
                case 'o': c->output = optarg; *used |= VMM_OPT_OUTPUT; break;
                case 't':
                        c->timeout = parse_timeout(optarg);
                        *used |= VMM_OPT_TIMEOUT;
                        if (c->timeout < 0) {
                                vmm_err("--timeout: '%s' is not a number of seconds from 1 to 3600", optarg);
                                return -1;
                        }
                        break;
                case OPT_HOLD:
                        c->hold_time = parse_hold_time(optarg);
                        *used |= VMM_OPT_HOLD;
                        if (c->hold_time < 0) {
                                vmm_err("--hold-time: '%s' is not a number of milliseconds from 1 to 10000", optarg);
                                return -1;
                        }
                        break;
                case OPT_ACCEL:
                        c->accel = parse_accel(optarg);
                        *used |= VMM_OPT_ACCEL;
                        if (c->accel < 0) {
                                vmm_err("--accel: '%s' is not one of auto, kvm, tcg", optarg);
                                return -1;
                        }
                        break;
                case OPT_DISPLAY:
                        c->display = vmm_display_parse(optarg);
                        *used |= VMM_OPT_DISPLAY;
                        if (c->display < 0) {
                                vmm_err("--display: '%s' is not one of auto, gtk, sdl, vnc, spice, none", optarg);
                                return -1;
                        }
                        break;
                case 'h': usage(stdout); exit(VMM_EXIT_OK);
                case 'V': printf("%s %s\n", VMM_PROG, PACKAGE_VERSION); exit(VMM_EXIT_OK);
                default:
                        fprintf(stderr, "Try '%s --help'.\n", VMM_PROG);
                        return -1;
                }
        }
        return 0;
}

int main(int argc, char **argv)
{
        vmm_cmd c = { .timeout = -1, .accel = -1, .display = -1, .hold_time = -1 };
        const vmm_verb *verb;
        unsigned used = 0;
        int rest;

        if (parse_options(argc, argv, &c, &used) < 0)
                return VMM_EXIT_USAGE;
        rest = argc - optind;
        if (rest < 1) {
                usage(stderr);
                return VMM_EXIT_USAGE;
        }
        verb = find_verb(argv[optind]);
        if (!verb)
                return VMM_EXIT_USAGE;
        for (int i = optind + 1; i < argc; i++) {
                if ((verb->options & VMM_OPT_COMMAND) && c.target) {
                        c.argv = argv + i;
                        c.argc = argc - i;
                        break;
                }
                if (verb->target && !c.target)
                        c.target = argv[i];
                else if (verb->arg && !c.arg)
                        c.arg = argv[i];
                else {
                        vmm_err("%s: too many arguments", verb->name);
                        return VMM_EXIT_USAGE;
                }
        }
        if (verb->target && !c.target) {
                vmm_err("%s needs %s", verb->name, verb->target);
                return VMM_EXIT_USAGE;
        }
        if (verb->arg && !c.arg) {
                vmm_err("%s needs %s after the VM name", verb->name, verb->arg);
                return VMM_EXIT_USAGE;
        }
        if (used & ~verb->options & ~VMM_OPT_COMMAND) {
                vmm_err("%s does not take %s; see '%s --help'", verb->name, refused_option(used, verb->options),
                        VMM_PROG);
                return VMM_EXIT_USAGE;
        }
        return verb->run(&c);
}
