/* kernel/vmm/acpi-aml.c: the AML emitter (see acpi-aml.h). */
#include "acpi-aml.h"

#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_BUFFER_OP 0x11
#define AML_STRING_PREFIX 0x0d
#define AML_EXT_PREFIX 0x5b

void
aml_bytes(struct aml *a, const void *b, size_t n)
{
        if (a->overflow || n > a->cap - a->len) {
                a->overflow = true;
                return;
        }
        __builtin_memcpy(a->p + a->len, b, n);
        a->len += n;
}

void
aml_byte(struct aml *a, uint8_t b)
{
        aml_bytes(a, &b, 1);
}

size_t
aml_open(struct aml *a, bool ext, uint8_t op)
{
        static const uint8_t room[3];

        if (ext)
                aml_byte(a, AML_EXT_PREFIX);
        aml_byte(a, op);
        aml_bytes(a, room, sizeof(room));
        return a->len - sizeof(room);
}

void
aml_close(struct aml *a, size_t at)
{
        size_t n = a->len - at;

        if (a->overflow)
                return;
        /* Lead byte: bits 7:6 = 2 following bytes, bits 3:0 the low nibble. */
        a->p[at] = (uint8_t)(0x80 | (n & 0xf));
        a->p[at + 1] = (uint8_t)(n >> 4);
        a->p[at + 2] = (uint8_t)(n >> 12);
}

static void
aml_int(struct aml *a, uint64_t v)
{
        uint8_t b[9];
        size_t n;

        if (v <= 1) {
                aml_byte(a, (uint8_t)v);        /* ZeroOp, OneOp */
                return;
        }
        b[0] = v <= 0xff ? AML_BYTE_PREFIX : v <= 0xffff ? AML_WORD_PREFIX :
               v <= 0xffffffffu ? AML_DWORD_PREFIX : AML_QWORD_PREFIX;
        n = b[0] == AML_BYTE_PREFIX ? 1 : b[0] == AML_WORD_PREFIX ? 2 : b[0] == AML_DWORD_PREFIX ? 4 : 8;
        for (size_t i = 0; i < n; i++)
                b[1 + i] = (uint8_t)(v >> (8 * i));
        aml_bytes(a, b, 1 + n);
}

void
aml_name_int(struct aml *a, const char name[4], uint64_t v)
{
        aml_byte(a, AML_NAME_OP);
        aml_bytes(a, name, 4);
        aml_int(a, v);
}

static uint32_t
hex_digit(char c)
{
        return (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10) & 0xf;
}

/* EISA ID: three letters of 5 bits ('A' = 1) and four hex digits, stored
 * most significant byte first. */
void
aml_name_eisaid(struct aml *a, const char name[4], const char id[7])
{
        uint32_t v = (uint32_t)(id[0] - 0x40) << 26 | (uint32_t)(id[1] - 0x40) << 21 |
                     (uint32_t)(id[2] - 0x40) << 16;

        for (int i = 3; i < 7; i++)
                v |= hex_digit(id[i]) << (4 * (6 - i));
        aml_name_int(a, name, __builtin_bswap32(v));
}

void
aml_name_buffer(struct aml *a, const char name[4], const uint8_t *b, size_t n)
{
        size_t at;

        aml_byte(a, AML_NAME_OP);
        aml_bytes(a, name, 4);
        at = aml_open(a, false, AML_BUFFER_OP);
        aml_int(a, n);                          /* BufferSize */
        aml_bytes(a, b, n);
        aml_close(a, at);
}

void
aml_name_string(struct aml *a, const char name[4], const char *s)
{
        size_t n = 0;

        while (s[n])
                n++;
        aml_byte(a, AML_NAME_OP);
        aml_bytes(a, name, 4);
        aml_byte(a, AML_STRING_PREFIX);
        aml_bytes(a, s, n + 1);
}
