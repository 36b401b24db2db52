/* thatte-test-qmp: send QMP commands to a QEMU monitor socket from a test.
 *
 *   thatte-test-qmp [--wait SECONDS] [--timeout SECONDS] SOCKET JSON-COMMAND...
 *
 * Connects (retrying until the socket accepts), reads the greeting, leaves
 * capabilities negotiation, then sends each command in turn and prints its
 * reply line on stdout. Events arriving in between are skipped. Exit 0 when
 * every command returned, 1 on an error reply or a lost/stuck connection
 * (the QMP error's desc on stderr), 2 on usage errors. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmp-conn.h"
#include "qmp-json.h"

#define PROGRAM "thatte-test-qmp"

struct options {
        double wait_s;          /* how long to retry connecting */
        double timeout_s;       /* how long to wait for each reply */
        const char *socket;
        char **commands;
        int n_commands;
};

static void usage(FILE *f)
{
        fprintf(f,
                "Usage: " PROGRAM " [OPTION]... SOCKET [JSON-COMMAND]...\n"
                "Send QMP commands to a QEMU monitor socket and print each reply line.\n"
                "\n"
                "  -w, --wait SECONDS     retry connecting this long (default 30)\n"
                "  -t, --timeout SECONDS  wait this long for each reply (default 60)\n"
                "  -h, --help             show this help and exit\n"
                "  -V, --version          show the version and exit\n"
                "\n"
                "Exit status: 0 when every command returned, 1 on an error reply or a\n"
                "lost connection, 2 on usage errors.\n");
}

static int parse_seconds(const char *arg, double *ret)
{
        char *end;
        double v;

        errno = 0;
        v = strtod(arg, &end);
        if (errno != 0 || end == arg || *end != '\0' || !isfinite(v) ||
            v < 0 || v > 86400)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* A command must be one JSON object naming what to execute. */
static int check_command(const char *cmd)
{
        const char *v;
        size_t n;

        return qmp_json_member(cmd, strlen(cmd), "execute", &v, &n);
}

static int parse_args(int argc, char **argv, struct options *o)
{
        static const struct option longopts[] = {
                { "wait", required_argument, NULL, 'w' },
                { "timeout", required_argument, NULL, 't' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                {}
        };
        int c;

        *o = (struct options){ .wait_s = 30, .timeout_s = 60 };
        while ((c = getopt_long(argc, argv, "w:t:hV", longopts, NULL)) != -1) {
                switch (c) {
                case 'w':
                case 't':
                        if (parse_seconds(optarg, c == 'w' ? &o->wait_s : &o->timeout_s) < 0) {
                                fprintf(stderr, PROGRAM ": invalid number of seconds: %s\n", optarg);
                                return 2;
                        }
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                case 'V':
                        printf(PROGRAM " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, PROGRAM ": missing SOCKET\n");
                usage(stderr);
                return 2;
        }
        o->socket = argv[optind];
        o->commands = argv + optind + 1;
        o->n_commands = argc - optind - 1;
        for (int i = 0; i < o->n_commands; i++) {
                if (check_command(o->commands[i]) < 0) {
                        fprintf(stderr, PROGRAM ": not a JSON object with \"execute\": %s\n",
                                o->commands[i]);
                        return 2;
                }
        }
        return -1;
}

static void report_io_error(const char *what, int r)
{
        if (r == -EPIPE)
                fprintf(stderr, PROGRAM ": %s: connection lost\n", what);
        else if (r == -ETIMEDOUT)
                fprintf(stderr, PROGRAM ": %s: timed out\n", what);
        else if (r == -EMSGSIZE)
                fprintf(stderr, PROGRAM ": %s: line longer than %u bytes\n", what,
                        QMP_CONN_MAX_LINE);
        else
                fprintf(stderr, PROGRAM ": %s: %s\n", what, strerror(-r));
}

/* Reads lines until one that is not an event; returns its kind. */
static int next_reply(struct qmp_conn *c, double timeout_s, const char *what,
                      const char **ret_line, size_t *ret_len, enum qmp_kind *ret_kind)
{
        int64_t deadline = qmp_now_ms() + (int64_t)(timeout_s * 1000);

        for (;;) {
                enum qmp_kind kind;
                const char *line;
                size_t len;
                int r;

                r = qmp_conn_read_line(c, deadline, &line, &len);
                if (r < 0) {
                        report_io_error(what, r);
                        return r;
                }
                if (qmp_json_classify(line, len, &kind) < 0) {
                        fprintf(stderr, PROGRAM ": %s: malformed JSON from QEMU: %.200s\n",
                                what, line);
                        return -EBADMSG;
                }
                if (kind == QMP_KIND_EVENT)
                        continue;
                *ret_line = line;
                *ret_len = len;
                *ret_kind = kind;
                return 0;
        }
}

static int run_command(struct qmp_conn *c, const struct options *o, const char *cmd,
                       bool print)
{
        const char *line;
        size_t len;
        enum qmp_kind kind;
        char desc[1024];
        int r;

        r = qmp_conn_send(c, cmd, strlen(cmd), qmp_now_ms() + (int64_t)(o->timeout_s * 1000));
        /* A peer that closed may still have left its reply to read. */
        if (r < 0 && r != -EPIPE) {
                report_io_error("sending command", r);
                return r;
        }
        r = next_reply(c, o->timeout_s, "waiting for reply", &line, &len, &kind);
        if (r < 0)
                return r;
        if (print && (fwrite(line, 1, len, stdout) != len || putchar('\n') == EOF ||
                      fflush(stdout) != 0)) {
                fprintf(stderr, PROGRAM ": writing reply: %s\n", strerror(errno));
                return -EIO;
        }
        if (kind == QMP_KIND_RETURN)
                return 0;
        if (kind == QMP_KIND_ERROR && qmp_json_error_desc(line, len, desc, sizeof desc) == 0)
                fprintf(stderr, PROGRAM ": %s: %s\n", cmd, desc);
        else
                fprintf(stderr, PROGRAM ": %s: unexpected reply: %.200s\n", cmd, line);
        return -EPROTO;
}

static int greet(struct qmp_conn *c, const struct options *o)
{
        const char *line;
        size_t len;
        enum qmp_kind kind;
        int r;

        r = next_reply(c, o->timeout_s, "waiting for greeting", &line, &len, &kind);
        if (r < 0)
                return r;
        if (kind != QMP_KIND_GREETING) {
                fprintf(stderr, PROGRAM ": expected a QMP greeting, got: %.200s\n", line);
                return -EPROTO;
        }
        return run_command(c, o, "{\"execute\":\"qmp_capabilities\"}", false);
}

static int open_socket(const struct options *o, struct qmp_conn *ret)
{
        int64_t deadline = qmp_now_ms() + (int64_t)(o->wait_s * 1000);
        int last = 0, r;

        r = qmp_conn_open(o->socket, deadline, ret, &last);
        if (r == -ETIMEDOUT)
                fprintf(stderr, PROGRAM ": connecting to %s: %s (gave up after %g s)\n",
                        o->socket, strerror(last), o->wait_s);
        else if (r < 0)
                fprintf(stderr, PROGRAM ": connecting to %s: %s\n", o->socket, strerror(-r));
        return r;
}

int main(int argc, char **argv)
{
        struct options o;
        struct qmp_conn conn = { .fd = -1 };
        int r;

        r = parse_args(argc, argv, &o);
        if (r >= 0)
                return r;
        r = open_socket(&o, &conn);
        if (r >= 0)
                r = greet(&conn, &o);
        for (int i = 0; r >= 0 && i < o.n_commands; i++)
                r = run_command(&conn, &o, o.commands[i], true);
        qmp_conn_close(&conn);
        if (r == -ENAMETOOLONG)
                return 2;  /* the SOCKET argument itself is unusable */
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
