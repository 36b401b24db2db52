/* src/libthatte/thatte-agent.h: the guest agent protocol (docs/guest-agent.md)
 * spoken over a virtio-serial port between thatte-vmm (host) and
 * thatte-init's agent (guest). Pure encoding and checking, no I/O. */
#ifndef THATTE_AGENT_H
#define THATTE_AGENT_H

#include <stddef.h>
#include <stdint.h>

#define THATTE_AGENT_PORT "org.thatte.agent"    /* the virtserialport's name */
#define THATTE_AGENT_VERSION 1
#define THATTE_AGENT_HEADER 8                   /* 'T' 'A' type 0 length(u32 LE) */
#define THATTE_AGENT_MAX_PAYLOAD 65536
#define THATTE_AGENT_MAX_ARGS 256
#define THATTE_AGENT_MAX_PATH 4095
#define THATTE_AGENT_MAX_ERROR 1024
#define THATTE_AGENT_MAX_FILE (1ULL << 30)      /* one copied file, either way */
#define THATTE_AGENT_HELLO_SIZE 12              /* nonce[8] version(u32 LE) */

enum thatte_agent_type {
        THATTE_AGENT_HELLO = 1,         /* both: nonce, version */
        THATTE_AGENT_EXEC = 2,          /* host: argv, NUL-terminated strings */
        THATTE_AGENT_STDOUT = 3,        /* guest: output */
        THATTE_AGENT_STDERR = 4,        /* guest: output */
        THATTE_AGENT_EXIT = 5,          /* guest: status (u32 LE, 0..255) */
        THATTE_AGENT_PUT = 6,           /* host: mode (u32 LE), path NUL */
        THATTE_AGENT_DATA = 7,          /* both: file bytes */
        THATTE_AGENT_END = 8,           /* both: end of the file's bytes */
        THATTE_AGENT_GET = 9,           /* host: path NUL */
        THATTE_AGENT_OK = 10,           /* guest: PUT done */
        THATTE_AGENT_ERROR = 11,        /* guest: message; ends the request */
        THATTE_AGENT_TYPE_MAX = 11,
};

/* thatte_agent_header: writes the header of a frame of `type` with `len`
 * payload bytes (at most THATTE_AGENT_MAX_PAYLOAD) into out. */
void thatte_agent_header(uint8_t out[THATTE_AGENT_HEADER], unsigned type, uint32_t len);

/* thatte_agent_parse_header: checks a received header: magic, reserved
 * byte, a known type, a length within THATTE_AGENT_MAX_PAYLOAD and what
 * the type allows (HELLO exactly THATTE_AGENT_HELLO_SIZE, EXIT 4, END and
 * OK 0, DATA/STDOUT/STDERR at least 1). Returns 0 with *type and *len
 * set, or -EPROTO (a one-line reason in why). */
int thatte_agent_parse_header(const uint8_t in[THATTE_AGENT_HEADER], unsigned *type, uint32_t *len,
                              const char **why);

/* thatte_agent_write_all / read_all: all n bytes to or from fd, retrying
 * after EINTR. Return 0, -EPIPE at EOF (read) or a zero write, or -errno. */
int thatte_agent_write_all(int fd, const void *buf, size_t n);
int thatte_agent_read_all(int fd, void *buf, size_t n);

/* thatte_agent_put_u32 / get_u32: little-endian. */
void thatte_agent_put_u32(uint8_t *p, uint32_t v);
uint32_t thatte_agent_get_u32(const uint8_t *p);

/* thatte_agent_parse_argv: splits an EXEC payload (len bytes) into at
 * most max-1 pointers into it, NULL-terminated, in argv. The payload must
 * be 1 to THATTE_AGENT_MAX_ARGS non-empty strings, each ending in NUL.
 * Returns the count, or -EPROTO (reason in why). */
int thatte_agent_parse_argv(const char *payload, size_t len, char **argv, size_t max, const char **why);

/* thatte_agent_path_ok: 1 if path (len bytes, NUL at the end) is a path
 * the agent takes: absolute, at most THATTE_AGENT_MAX_PATH bytes, no control
 * characters, no "." or ".." component and no empty one; 0 otherwise
 * (reason in why). */
int thatte_agent_path_ok(const char *path, size_t len, const char **why);

/* thatte_agent_text_ok: 1 if an ERROR payload is 1 to THATTE_AGENT_MAX_ERROR
 * printable ASCII bytes (safe to print on a terminal). */
int thatte_agent_text_ok(const uint8_t *p, size_t len);

#endif
