/* run-main.c: thatte-driveros-run: boots a DriverOS image folder through
 * thatte-vmm. In the foreground by default (`thatte-vmm run`); with
 * --headless in the background, returning once the guest is up; with
 * --screenshot also saves the screen and stops the VM. "Up" is the first
 * serial line from thatte-init ("thatte-init: ready", initramfs images) or
 * from the compositor's service ("thatte-compositor: drm|fbdev", disk
 * images, where systemd starts it). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driveros/mk-fs.h"
#include "driveros/mk-profile.h"
#include "driveros/mk-spawn.h"

#define PROGRAM "thatte-driveros-run"

struct run_options {
        const char *dir, *screenshot, *accel;
        bool headless;
        unsigned timeout;
};

static const char usage[] =
        "Usage: thatte-driveros-run [DIR] [OPTION]...\n"
        "Boot the DriverOS image folder DIR (default: ./driveros) through thatte-vmm.\n\n"
        "      --headless        start in the background; return once the guest is up\n"
        "      --screenshot=FILE start headless, save the screen (.png or .ppm), stop\n"
        "      --accel=MODE      auto, kvm or tcg (default: the profile's)\n"
        "      --timeout=SECONDS how long to wait for the guest (default: 300)\n"
        "      --help            display this help and exit\n"
        "      --version         output version information and exit\n";

static int parse(int argc, char **argv, struct run_options *o)
{
        static const struct option longopts[] = {
                { "headless", no_argument, NULL, 'H' },
                { "screenshot", required_argument, NULL, 's' },
                { "accel", required_argument, NULL, 'a' },
                { "timeout", required_argument, NULL, 't' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { 0 }
        };
        char *end;
        int c;

        *o = (struct run_options){ .dir = "driveros", .timeout = 300 };
        while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
                switch (c) {
                case 'H': o->headless = true; break;
                case 's': o->screenshot = optarg; o->headless = true; break;
                case 'a': o->accel = optarg; break;
                case 't':
                        o->timeout = (unsigned)strtoul(optarg, &end, 10);
                        if (*end || !o->timeout || o->timeout > 86400) {
                                fprintf(stderr, PROGRAM ": --timeout: '%s' is not 1 to 86400 seconds\n", optarg);
                                return 2;
                        }
                        break;
                case 'h': fputs(usage, stdout); return 0;
                case 'V': printf(PROGRAM " %s\n", PACKAGE_VERSION); return 0;
                default:
                        fputs("Try 'thatte-driveros-run --help' for more information.\n", stderr);
                        return 2;
                }
        }
        if (optind < argc)
                o->dir = argv[optind++];
        if (optind < argc) {
                fprintf(stderr, PROGRAM ": unexpected argument '%s'\n", argv[optind]);
                return 2;
        }
        return -1;
}

/* thatte-vmm next to this program (installed, or the build tree's vmm/),
 * else from PATH. */
static char *find_vmm(void)
{
        char self[4096];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

        if (n > 0) {
                char *slash, *p;

                self[n] = '\0';
                slash = strrchr(self, '/');
                for (const char *const *sub = (const char *const[]){ "", "vmm/", NULL }; slash && *sub; sub++) {
                        p = mk_path("%.*s/%sthatte-vmm", (int)(slash - self), self, *sub);
                        if (access(p, X_OK) == 0)
                                return p;
                        free(p);
                }
        }
        return strdup("thatte-vmm");
}

/* The VM's name: the first `name = "..."` of the image's profile (as
 * thatte-driveros-make writes it, in [vm]), if it is a valid one. */
static bool profile_name(const char *profile, char *buf)
{
        char line[256], *end;
        bool found = false;
        FILE *f = fopen(profile, "re");

        while (f && !found && fgets(line, sizeof line, f)) {
                if (strncmp(line, "name = \"", 8) != 0 || !(end = strchr(line + 8, '"')))
                        continue;
                *end = '\0';
                if (strlen(line + 8) > MK_VM_NAME_MAX)
                        continue;
                memcpy(buf, line + 8, strlen(line + 8) + 1);
                found = mk_profile_name_valid(buf);
        }
        if (f)
                fclose(f);
        return found;
}

static char *serial_log(const char *name)
{
        const char *xdg = getenv("XDG_RUNTIME_DIR");

        if (xdg && *xdg == '/')  /* as thatte-vmm takes it: absolute only */
                return mk_path("%s/thatte-vmm/%s/serial.log", xdg, name);
        return mk_path("/run/thatte-vmm/%s/serial.log", name);
}

/* The VM's serial log in its state folder (thatte-vmm's: XDG_STATE_HOME,
 * /var/lib for root, ~/.local/state), where QEMU writes it and where it
 * stays after the stop; RUNDIR/serial.log links to it while the VM runs. */
static char *kept_log(const char *name)
{
        const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

        if (xdg && *xdg == '/')
                return mk_path("%s/thatte-vmm/%s/serial.log", xdg, name);
        if (geteuid() == 0)
                return mk_path("/var/lib/thatte-vmm/%s/serial.log", name);
        return home && *home == '/' ? mk_path("%s/.local/state/thatte-vmm/%s/serial.log", home, name) : NULL;
}

/* Says where the serial log of a VM that missed its marker is kept. */
static void report_missed(const char *name, const char *accel)
{
        char *kept = kept_log(name);

        if (kept)
                fprintf(stderr, PROGRAM ": its serial log is kept in %s (thatte-vmm log %s)\n", kept, name);
        if (!accel || strcmp(accel, "tcg") != 0)
                fprintf(stderr, PROGRAM ": if KVM cannot run guests on this host, try --accel=tcg "
                        "(thatte-vmm doctor --refresh probes KVM again)\n");
        free(kept);
}

static bool log_says_up(const char *path)
{
        char line[1024];
        bool up = false;
        FILE *f = fopen(path, "re");

        if (!f)
                return false;
        while (!up && fgets(line, sizeof line, f))
                up = strstr(line, "thatte-init: ready") || strstr(line, "thatte-compositor: drm ") ||
                     strstr(line, "thatte-compositor: fbdev ");
        fclose(f);
        return up;
}

/* Waits for the marker; returns seconds waited, or -ETIMEDOUT / -EINTR. */
static double wait_up(const char *log, unsigned timeout)
{
        struct timespec t0, t;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (;;) {
                double s;

                clock_gettime(CLOCK_MONOTONIC, &t);
                s = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
                if (log_says_up(log))
                        return s;
                if (mk_interrupted)
                        return -EINTR;
                if (s > timeout)
                        return -ETIMEDOUT;
                usleep(100000);
        }
}

static int vmm(const char *bin, char *verb, char *arg, char *opt1, char *opt2)
{
        char *argv[] = { (char *)bin, verb, arg, opt1, opt2, NULL };
        int r = mk_spawn_run(argv, NULL, true, NULL);

        if (r == -ENOENT)
                fprintf(stderr, PROGRAM ": %s not found (package thatte-vmm)\n", bin);
        else if (r < 0 && r != -EINTR)
                fprintf(stderr, PROGRAM ": thatte-vmm %s failed\n", verb);
        return r;
}

static int run_headless(const struct run_options *o, const char *bin, char *profile)
{
        char name[MK_VM_NAME_MAX + 1], *accel, *log;
        double up;
        int r;

        if (!profile_name(profile, name)) {
                fprintf(stderr, PROGRAM ": %s names no VM (name = \"...\" in [vm])\n", profile);
                return 1;
        }
        accel = o->accel ? mk_path("--accel=%s", o->accel) : NULL;
        log = serial_log(name);
        mk_spawn_trap_signals();
        r = vmm(bin, "start", profile, accel, NULL);
        free(accel);
        if (r < 0) {
                free(log);
                return 1;
        }
        up = wait_up(log, o->timeout);
        if (up == -EINTR)
                fprintf(stderr, PROGRAM ": interrupted; stopping the VM\n");
        if (up == -ETIMEDOUT) {
                fprintf(stderr, PROGRAM ": no ready marker on the serial port in %u s; stopping the VM\n",
                        o->timeout);
                report_missed(name, o->accel);
        }
        if (up >= 0)
                printf(PROGRAM ": %s is up after %.1f s\n", o->dir, up);
        if (up >= 0 && o->screenshot) {
                r = vmm(bin, "screenshot", name, "-o", (char *)o->screenshot);
                if (r == 0)
                        printf(PROGRAM ": screen saved to %s\n", o->screenshot);
        }
        if (up < 0 || o->screenshot) {
                mk_interrupted = 0;     /* the stop must run to its end */
                if (vmm(bin, "stop", name, NULL, NULL) < 0)
                        r = r ? r : -EIO;
        } else {
                printf("stop it with: thatte-vmm stop %s\n", name);
        }
        free(log);
        return up < 0 || r < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
        struct run_options o;
        char *profile, *bin;
        int r = parse(argc, argv, &o);

        if (r >= 0)
                return r;
        profile = mk_path("%s/driveros.toml", o.dir);
        if (access(profile, R_OK) < 0) {
                fprintf(stderr, PROGRAM ": %s: %m (build an image with thatte-driveros-make)\n", profile);
                free(profile);
                return 1;
        }
        bin = find_vmm();
        if (!o.headless) {
                char *accel = o.accel ? mk_path("--accel=%s", o.accel) : NULL;
                char *args[] = { bin, "run", profile, accel, NULL };

                execvp(bin, args);
                fprintf(stderr, PROGRAM ": running %s failed: %m\n", bin);
                return 1;
        }
        r = run_headless(&o, bin, profile);
        free(bin);
        free(profile);
        return r;
}
