/* init-main.c: thatte-init, the PID 1 of the DriverOS initramfs.
 *
 * Setup once (mounts, modules, hostname, lo), then one poll loop over a
 * signalfd, the compositor's output pipe and the power button. The
 * compositor's output is relayed to the console; its first line beginning
 * with "thatte-compositor:" (printed once its first frame is shown) makes
 * init print "thatte-init: ready". PID 1 must never exit: every path ends
 * in reboot(2) or waits forever. */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driveros/init-agent.h"
#include "driveros/init-child.h"
#include "driveros/init-cmdline.h"
#include "driveros/init.h"

#define STOP_TIMEOUT_MS 5000
#define BUTTON_RETRY_MS 1000
#define BUTTON_TRIES 10
#define MARKER "thatte-compositor:"

enum action { RUNNING, POWER_OFF, REBOOT };

struct init_state {
        struct init_options opts;
        struct init_child children[3];
        size_t n_children;
        int sigfd, button_fd, button_tries;
        bool ready;
        char line[128];          /* start of the current compositor line */
        size_t line_len;
        enum action action;
};

static int read_cmdline(struct init_options *ret)
{
        char buf[4096] = "";
        FILE *f = fopen("/proc/cmdline", "re");

        if (f) {
                if (!fgets(buf, sizeof buf, f))
                        buf[0] = '\0';
                fclose(f);
        }
        return init_cmdline_parse(buf, ret);
}

static void setup_system(struct init_state *s)
{
        char ifname[IF_NAMESIZE];
        int r;

        (void)init_mount_all();
        r = read_cmdline(&s->opts);
        if (r < 0) {
                init_log("kernel command line: %s; using defaults", strerror(-r));
                if (init_cmdline_parse("", &s->opts) < 0)
                        s->opts.no_compositor = true;
        }
        r = init_load_modules(INIT_MODULE_LIST);
        if (r == -ENOENT)
                init_log("no module list at %s", INIT_MODULE_LIST);
        else if (r < 0)
                init_log("reading %s failed: %s", INIT_MODULE_LIST, strerror(-r));
        if (s->opts.root) {
                r = init_switch_root(s->opts.root, "ext4");
                init_log("switching to the root file system %s failed: %s; staying in the initramfs",
                         s->opts.root, strerror(-r));
        }
        r = init_mount_shares();
        if (r < 0)
                init_log("looking for shares failed: %s", strerror(-r));
        init_channel_doorbells();
        if (init_set_hostname(s->opts.hostname) < 0)
                init_log("setting the hostname failed: %m");
        r = init_loopback_up();
        if (r < 0)
                init_log("bringing up lo failed: %s", strerror(-r));
        r = init_network_up(ifname, sizeof ifname);
        if (r == 0)
                init_log("network %s up: 10.0.2.15/24 via 10.0.2.2", ifname);
        else if (r != -ENOENT)
                init_log("bringing up the network failed: %s", strerror(-r));
        /* Ctrl-Alt-Del then sends SIGINT to init instead of rebooting hard. */
        (void)reboot(RB_DISABLE_CAD);
}

static void add_children(struct init_state *s)
{
        static char *shell_argv[] = { "/bin/busybox", "sh", NULL };
        static char *agent_argv[] = { "/proc/self/exe", "--agent", NULL };
        struct stat st;

        if (!s->opts.no_compositor) {
                if (stat(s->opts.compositor_argv[0], &st) == 0)
                        s->children[s->n_children++] = (struct init_child){
                                .name = "compositor", .argv = s->opts.compositor_argv,
                                .capture = true, .out_fd = -1, .restart_at_ms = 1 };
                else
                        init_log("no compositor at %s", s->opts.compositor_argv[0]);
        }
        if (s->opts.shell) {
                if (stat(shell_argv[0], &st) == 0)
                        s->children[s->n_children++] = (struct init_child){
                                .name = "rescue shell", .argv = shell_argv,
                                .on_console = true, .out_fd = -1, .restart_at_ms = 1 };
                else
                        init_log("thatte.shell=1 but the image has no %s", shell_argv[0]);
        }
        /* After the others: children[0] decides when init is ready. */
        s->children[s->n_children++] = (struct init_child){
                .name = "guest agent", .argv = agent_argv, .out_fd = -1, .restart_at_ms = 1 };
        /* Without a compositor there is nothing to wait for. */
        if (!s->children[0].capture) {
                init_log("ready");
                s->ready = true;
        }
}

static void start_due_children(struct init_state *s)
{
        uint64_t now = init_now_ms();

        for (size_t i = 0; i < s->n_children; i++) {
                struct init_child *c = &s->children[i];
                int r;

                if (c->pid || !c->restart_at_ms || c->restart_at_ms > now)
                        continue;
                r = init_child_start(c);
                if (r < 0) {
                        init_log("starting %s failed: %s", c->name, strerror(-r));
                        c->failures++;
                        c->restart_at_ms = now + init_child_backoff_ms(c->failures);
                }
        }
}

static void reap(struct init_state *s)
{
        int status;
        pid_t pid;

        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                for (size_t i = 0; i < s->n_children; i++)
                        if (s->children[i].pid == pid && s->action == RUNNING)
                                init_child_exited(&s->children[i], status);
}

static void scan_output(struct init_state *s, const char *buf, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                        if (!s->ready && s->line_len >= strlen(MARKER) &&
                            !memcmp(s->line, MARKER, strlen(MARKER))) {
                                init_log("ready");
                                s->ready = true;
                                if (s->opts.crash)
                                        init_log("the crash test failed: %s",
                                                 strerror(-init_crash_kernel()));
                        }
                        s->line_len = 0;
                } else if (s->line_len < sizeof s->line) {
                        s->line[s->line_len++] = buf[i];
                }
        }
}

static void relay_output(struct init_state *s, struct init_child *c)
{
        char buf[4096];
        ssize_t n;

        while ((n = read(c->out_fd, buf, sizeof buf)) > 0) {
                (void)!write(STDERR_FILENO, buf, (size_t)n);
                scan_output(s, buf, (size_t)n);
        }
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
                close(c->out_fd);
                c->out_fd = -1;
                s->line_len = 0;
        }
}

static void handle_signal(struct init_state *s)
{
        struct signalfd_siginfo si;

        while (read(s->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
                switch (si.ssi_signo) {
                case SIGCHLD:
                        reap(s);
                        break;
                case SIGTERM:
                case SIGUSR2:
                        s->action = POWER_OFF;
                        break;
                case SIGUSR1:
                case SIGINT:
                        s->action = REBOOT;
                        break;
                default:
                        break;
                }
        }
}

static int poll_timeout(struct init_state *s)
{
        uint64_t now = init_now_ms(), next = UINT64_MAX;

        for (size_t i = 0; i < s->n_children; i++)
                if (!s->children[i].pid && s->children[i].restart_at_ms &&
                    s->children[i].restart_at_ms < next)
                        next = s->children[i].restart_at_ms;
        if (s->button_fd < 0 && s->button_tries < BUTTON_TRIES && now + BUTTON_RETRY_MS < next)
                next = now + BUTTON_RETRY_MS;
        if (next == UINT64_MAX)
                return -1;
        return next <= now ? 0 : (int)(next - now);
}

static void try_button(struct init_state *s)
{
        if (s->button_fd >= 0 || s->button_tries >= BUTTON_TRIES)
                return;
        s->button_tries++;
        s->button_fd = init_power_button_open();
        if (s->button_fd < 0 && s->button_tries == BUTTON_TRIES)
                init_log("no ACPI power button found; stop with SIGTERM");
}

static void handle_button(struct init_state *s)
{
        int r = init_power_button_pressed(s->button_fd);

        if (r > 0) {
                s->action = POWER_OFF;
        } else if (r < 0) {
                close(s->button_fd);
                s->button_fd = -1;
        }
}

static void loop_once(struct init_state *s)
{
        struct pollfd p[4];
        struct init_child *relay[4] = { 0 };
        nfds_t n = 0;

        p[n++] = (struct pollfd){ .fd = s->sigfd, .events = POLLIN };
        if (s->button_fd >= 0)
                p[n++] = (struct pollfd){ .fd = s->button_fd, .events = POLLIN };
        for (size_t i = 0; i < s->n_children; i++)
                if (s->children[i].out_fd >= 0) {
                        relay[n] = &s->children[i];
                        p[n++] = (struct pollfd){ .fd = s->children[i].out_fd, .events = POLLIN };
                }
        if (poll(p, n, poll_timeout(s)) < 0)
                return;
        for (nfds_t i = 0; i < n; i++) {
                if (!p[i].revents)
                        continue;
                if (p[i].fd == s->sigfd)
                        handle_signal(s);
                else if (relay[i])
                        relay_output(s, relay[i]);
                else
                        handle_button(s);
        }
        try_button(s);
        start_due_children(s);
}

/* Stops every process: SIGTERM, then SIGKILL after STOP_TIMEOUT_MS. */
static void stop_everything(struct init_state *s)
{
        uint64_t deadline = init_now_ms() + STOP_TIMEOUT_MS;
        bool killed = false;

        (void)kill(-1, SIGTERM);
        for (;;) {
                pid_t pid = waitpid(-1, NULL, WNOHANG);

                if (pid < 0 && errno == ECHILD)
                        break;
                if (pid > 0)
                        continue;
                for (size_t i = 0; i < s->n_children; i++)
                        if (s->children[i].out_fd >= 0)
                                relay_output(s, &s->children[i]);
                if (!killed && init_now_ms() >= deadline) {
                        init_log("processes left after %d ms; killing them", STOP_TIMEOUT_MS);
                        (void)kill(-1, SIGKILL);
                        killed = true;
                }
                usleep(20000);
        }
}

static void __attribute__((noreturn)) shut_down(struct init_state *s)
{
        stop_everything(s);
        sync();
        init_log(s->action == REBOOT ? "rebooting" : "powering off");
        (void)reboot(s->action == REBOOT ? RB_AUTOBOOT : RB_POWER_OFF);
        init_log("reboot(2) failed: %m");
        for (;;)
                pause();
}

static int not_pid1(int argc, char **argv)
{
        if (argc > 1 && !strcmp(argv[1], "--agent"))
                return init_agent_main();
        if (argc > 1 && !strcmp(argv[1], "--version")) {
                printf("thatte-init %s\n", PACKAGE_VERSION);
                return 0;
        }
        if (argc > 1 && !strcmp(argv[1], "--help")) {
                printf("Usage: thatte-init\n"
                       "The PID 1 of a DriverOS initramfs; see thatte-init(8).\n"
                       "Kernel command-line options: thatte.shell=1, thatte.compositor=ARGS|none,\n"
                       "thatte.compositor_path=PATH, thatte.hostname=NAME, thatte.root=DEV.\n"
                       "thatte-init --agent serves thatte-vmm exec and copy (its own child).\n");
                return 0;
        }
        fprintf(stderr, "thatte-init: refusing to run: not process 1 (see --help)\n");
        return 2;
}

int main(int argc, char **argv)
{
        struct init_state s = { .sigfd = -1, .button_fd = -1 };
        sigset_t mask;

        if (getpid() != 1)
                return not_pid1(argc, argv);
        sigemptyset(&mask);
        for (int sig = 1; sig < SIGRTMIN; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        sigaddset(&mask, sig);
        (void)sigprocmask(SIG_BLOCK, &mask, NULL);
        s.sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
        umask(022);
        setup_system(&s);
        add_children(&s);
        try_button(&s);
        start_due_children(&s);
        while (s.action == RUNNING)
                loop_once(&s);
        shut_down(&s);
}
