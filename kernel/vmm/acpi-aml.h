/* kernel/vmm/acpi-aml.h: a byte emitter for the few AML constructs the
 * DSDT needs (ACPI 6, chapter 20 "ACPI Machine Language Specification"),
 * internal to acpi.c. Writing past the end sets `overflow` and writes
 * nothing more. */
#ifndef THATTE_KVMM_ACPI_AML_H
#define THATTE_KVMM_ACPI_AML_H

#include "vmm.h"

struct aml {
        uint8_t *p;
        size_t len, cap;
        bool overflow;
};

void aml_bytes(struct aml *a, const void *b, size_t n);
void aml_byte(struct aml *a, uint8_t b);
/* An opcode (ext: with ExtOpPrefix 0x5B) that a PkgLength follows:
 * returns where the PkgLength goes, for aml_close. */
size_t aml_open(struct aml *a, bool ext, uint8_t op);
/* The PkgLength of what was emitted since aml_open, always in its 3-byte
 * encoding (enough for 1 MiB; the spec allows a longer encoding than
 * needed). */
void aml_close(struct aml *a, size_t at);
/* Name(NAME, integer), Name(NAME, EISAID("AAA####")), Name(NAME, Buffer). */
void aml_name_int(struct aml *a, const char name[4], uint64_t v);
void aml_name_eisaid(struct aml *a, const char name[4], const char id[7]);
void aml_name_buffer(struct aml *a, const char name[4], const uint8_t *b, size_t n);
/* Name(NAME, "string"): a NUL-terminated ASCII string. */
void aml_name_string(struct aml *a, const char name[4], const char *s);

#endif
