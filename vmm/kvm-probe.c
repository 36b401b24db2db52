/* vmm/kvm-probe.c: see kvm-probe.h. */
#define _GNU_SOURCE 1   /* pipe2 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm-probe.h"
#include "strv.h"
#include "thatte-qmp.h"

static pid_t spawn_piped(char *const argv[], int *ret_fd)
{
        int p[2];
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -errno;
        fflush(NULL);
        pid = fork();
        if (pid < 0) {
                int e = errno;

                close(p[0]);
                close(p[1]);
                return -e;
        }
        if (pid == 0) {
                int null = open("/dev/null", O_RDONLY);

                if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(p[1], STDOUT_FILENO) < 0 ||
                    dup2(p[1], STDERR_FILENO) < 0)
                        _exit(126);
                execv(argv[0], argv);
                _exit(127);
        }
        close(p[1]);
        *ret_fd = p[0];
        return pid;
}

static int seen_any(const char *buf, const char *const *until)
{
        for (; until && *until; until++)
                if (strstr(buf, *until))
                        return 1;
        return 0;
}

int vmm_capture(char *const argv[], const char *const *until, int timeout_ms, char *buf, size_t size,
                int *ret_timed_out)
{
        long long deadline = thatte_now_ms() + timeout_ms;
        size_t len = 0;
        int fd = -1, seen = 0, timed_out = 0;
        pid_t pid = spawn_piped(argv, &fd);

        if (pid < 0)
                return (int)pid;
        buf[0] = 0;
        while (!seen) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                long long left = deadline - thatte_now_ms();
                ssize_t n;

                if (left <= 0 || poll(&p, 1, (int)left) == 0) {
                        timed_out = 1;
                        break;
                }
                n = read(fd, buf + len, size - 1 - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                len += (size_t)n;
                buf[len] = 0;
                seen = seen_any(buf, until);
                if (len + 1 >= size) {
                        /* Keep the second half: what comes last matters most. */
                        memmove(buf, buf + size / 2, len - size / 2 + 1);
                        len -= size / 2;
                }
        }
        close(fd);
        (void)kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        if (ret_timed_out)
                *ret_timed_out = timed_out;
        return seen;
}

/* The first line of text mentioning KVM, or "". */
static void kvm_line(const char *text, char *why, size_t size)
{
        const char *hit = strstr(text, "KVM internal error");

        if (!hit)
                hit = strstr(text, "kvm");
        while (hit && hit > text && hit[-1] != '\n')
                hit--;
        snprintf(why, size, "%.*s", hit ? (int)strcspn(hit, "\r\n") : 0, hit ? hit : "");
}

int vmm_kvm_probe(const char *qemu, const char *ovmf_code, const char *ovmf_vars, int timeout_ms,
                  char *why, size_t size)
{
        char *code = vmm_opt_escape(ovmf_code), *vars = vmm_opt_escape(ovmf_vars), out[8192];
        vmm_strv a = { 0 };
        int r = 0, timed_out = 0;

        if (!code || !vars)
                r = -ENOMEM;
        r = r ?: vmm_strv_pushf(&a, "%s", qemu);
        for (const char *const *s = (const char *const[]){ "-nodefaults", "-no-user-config", "-accel", "kvm",
                                                            "-machine", "q35", "-m", "128", "-display", "none",
                                                            "-serial", "stdio", "-drive", NULL };
             *s && r == 0; s++)
                r = vmm_strv_pushf(&a, "%s", *s);
        r = r ?: vmm_strv_pushf(&a, "if=pflash,format=raw,unit=0,readonly=on,file=%s", code);
        r = r ?: vmm_strv_pushf(&a, "-drive");
        r = r ?: vmm_strv_pushf(&a, "if=pflash,format=raw,unit=1,snapshot=on,file=%s", vars);
        if (r == 0)
                r = vmm_capture(a.v, (const char *const[]){ "BdsDxe", "KVM internal error", NULL },
                                timeout_ms, out, sizeof(out), &timed_out);
        if (r == 1 && !strstr(out, "BdsDxe"))
                r = 0;
        if (r == 0) {
                kvm_line(out, why, size);
                if (!*why)
                        snprintf(why, size, timed_out ? "the probe guest (OVMF) showed no sign of life in %d s" :
                                 "QEMU ended before the probe guest (OVMF) started", timeout_ms / 1000);
        }
        vmm_strv_free(&a);
        free(code);
        free(vars);
        return r;
}

int vmm_kvm_probe_bios(const char *qemu, int timeout_ms, char *why, size_t size)
{
        char *argv[] = { (char *)qemu, "-nodefaults", "-no-user-config", "-accel", "kvm", "-machine", "q35",
                         "-m", "128", "-display", "none", "-chardev", "stdio,id=dbg", "-device",
                         "isa-debugcon,iobase=0x402,chardev=dbg", NULL };
        char out[8192];
        int timed_out = 0,
            r = vmm_capture(argv, (const char *const[]){ "Searching bootorder", "KVM internal error", NULL },
                            timeout_ms, out, sizeof(out), &timed_out);

        if (r == 1 && !strstr(out, "Searching bootorder"))
                r = 0;
        if (r == 0) {
                kvm_line(out, why, size);
                if (!*why)
                        snprintf(why, size, timed_out ? "the probe guest (SeaBIOS) showed no sign of life in %d s" :
                                 "QEMU ended before the probe guest (SeaBIOS) started", timeout_ms / 1000);
        }
        return r;
}
