/* src/libthatte/thatte-agent.c: see thatte-agent.h. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "thatte-agent.h"

/* One loop for both directions: op is read or write. */
static int transfer_all(ssize_t (*op)(int, void *, size_t), int fd, uint8_t *p, size_t n)
{
        while (n > 0) {
                ssize_t r = op(fd, p, n);

                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        return r < 0 ? -errno : -EPIPE;
                p += r;
                n -= (size_t)r;
        }
        return 0;
}

static ssize_t write_op(int fd, void *p, size_t n)
{
        return write(fd, p, n);
}

int thatte_agent_write_all(int fd, const void *buf, size_t n)
{
        return transfer_all(write_op, fd, (uint8_t *)buf, n);
}

int thatte_agent_read_all(int fd, void *buf, size_t n)
{
        return transfer_all(read, fd, buf, n);
}

void thatte_agent_put_u32(uint8_t *p, uint32_t v)
{
        for (int i = 0; i < 4; i++)
                p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t thatte_agent_get_u32(const uint8_t *p)
{
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void thatte_agent_header(uint8_t out[THATTE_AGENT_HEADER], unsigned type, uint32_t len)
{
        out[0] = 'T';
        out[1] = 'A';
        out[2] = (uint8_t)type;
        out[3] = 0;
        thatte_agent_put_u32(out + 4, len);
}

static int fail(const char **why, const char *reason)
{
        *why = reason;
        return -EPROTO;
}

/* Whether len is a payload size the type allows. */
static int size_ok(unsigned type, uint32_t len)
{
        switch (type) {
        case THATTE_AGENT_HELLO: return len == THATTE_AGENT_HELLO_SIZE;
        case THATTE_AGENT_EXIT: return len == 4;
        case THATTE_AGENT_END:
        case THATTE_AGENT_OK: return len == 0;
        case THATTE_AGENT_STDOUT:
        case THATTE_AGENT_STDERR:
        case THATTE_AGENT_DATA:
        case THATTE_AGENT_ERROR: return len >= 1;
        case THATTE_AGENT_PUT: return len >= 6;
        default: return len >= 2;       /* EXEC, GET: a character and a NUL at least */
        }
}

int thatte_agent_parse_header(const uint8_t in[THATTE_AGENT_HEADER], unsigned *type, uint32_t *len,
                              const char **why)
{
        uint32_t n = thatte_agent_get_u32(in + 4);

        if (in[0] != 'T' || in[1] != 'A')
                return fail(why, "bad magic");
        if (in[3] != 0)
                return fail(why, "reserved byte not zero");
        if (in[2] < THATTE_AGENT_HELLO || in[2] > THATTE_AGENT_TYPE_MAX)
                return fail(why, "unknown frame type");
        if (n > THATTE_AGENT_MAX_PAYLOAD)
                return fail(why, "frame longer than 64 KiB");
        if (!size_ok(in[2], n))
                return fail(why, "frame of a wrong size for its type");
        *type = in[2];
        *len = n;
        return 0;
}

int thatte_agent_parse_argv(const char *payload, size_t len, char **argv, size_t max, const char **why)
{
        size_t n = 0, i = 0;

        if (len == 0 || payload[len - 1] != '\0')
                return fail(why, "argv does not end in NUL");
        while (i < len) {
                size_t l = strlen(payload + i);

                if (l == 0)
                        return fail(why, "empty argument");
                if (n + 1 >= max || n >= THATTE_AGENT_MAX_ARGS)
                        return fail(why, "too many arguments");
                argv[n++] = (char *)payload + i;
                i += l + 1;
        }
        argv[n] = NULL;
        return (int)n;
}

int thatte_agent_path_ok(const char *path, size_t len, const char **why)
{
        const char *c;

        if (len < 2 || path[len - 1] != '\0' || strlen(path) != len - 1) {
                *why = "path is not one NUL-terminated string";
                return 0;
        }
        if (path[0] != '/' || len - 1 > THATTE_AGENT_MAX_PATH) {
                *why = "path is not absolute or too long";
                return 0;
        }
        for (c = path; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f) {
                        *why = "control character in path";
                        return 0;
                }
        for (c = path; *c; ) {
                size_t l = strcspn(++c, "/");

                if ((l == 0 && c[l] == '/') || (l == 1 && c[0] == '.') || (l == 2 && !strncmp(c, "..", 2)) ||
                    (l == 0 && c[-1] == '/' && c - 1 != path)) {
                        *why = "empty, '.' or '..' component in path";
                        return 0;
                }
                c += l;
        }
        return 1;
}

int thatte_agent_text_ok(const uint8_t *p, size_t len)
{
        if (len == 0 || len > THATTE_AGENT_MAX_ERROR)
                return 0;
        for (size_t i = 0; i < len; i++)
                if (p[i] < 0x20 || p[i] > 0x7e)
                        return 0;
        return 1;
}
