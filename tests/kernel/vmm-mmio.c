/* tests/kernel/vmm-mmio.c: kernel/vmm's MMIO instruction decoder and
 * guest page walk (mmio.h) on the forms Linux's readl/writel and a
 * user-space register store compile to, each checked byte for byte
 * against its length, size, direction and register; then hostile bytes:
 * every truncation, register operands, AH..BH, other opcodes, C7 /1,
 * random bytes (never a length past what was given); page walks through
 * absent entries, tables outside RAM, 2 MiB and 1 GiB pages, and an
 * instruction that ends just before an unmapped page. */
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "mmio.h"

struct form {
        const char *name;
        uint8_t b[15];
        unsigned n, len, size;
        bool write;
        int reg;
        uint64_t imm;
};

static const struct form forms[] = {
        { "mov %eax,(%rdx)", { 0x89, 0x02 }, 2, 2, 4, true, 0, 0 },
        { "mov (%rdx),%eax", { 0x8b, 0x02 }, 2, 2, 4, false, 0, 0 },
        { "mov %r9d,0xc(%rax)", { 0x44, 0x89, 0x48, 0x0c }, 4, 4, 4, true, 9, 0 },
        { "mov %rcx,(%rax,%rbx,8)", { 0x48, 0x89, 0x0c, 0xd8 }, 4, 4, 8, true, 1, 0 },
        { "mov 0x12345678(%rip),%esi", { 0x8b, 0x35, 0x78, 0x56, 0x34, 0x12 }, 6, 6, 4, false, 6, 0 },
        { "movw %ax,(%rdi)", { 0x66, 0x89, 0x07 }, 3, 3, 2, true, 0, 0 },
        { "movb %cl,0x10(%rdi)", { 0x88, 0x4f, 0x10 }, 3, 3, 1, true, 1, 0 },
        { "movb %sil,(%rdi)", { 0x40, 0x88, 0x37 }, 3, 3, 1, true, 6, 0 },
        { "movl $1,0xc(%rax)", { 0xc7, 0x40, 0x0c, 1, 0, 0, 0 }, 7, 7, 4, true, -1, 1 },
        { "movq $-1,(%rax)", { 0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0xff }, 7, 7, 8, true, -1, ~0ull },
        { "movw $0x8001,(%rax)", { 0x66, 0xc7, 0x00, 0x01, 0x80 }, 5, 5, 2, true, -1, 0x8001 },
        { "movb $0x80,(%rax)", { 0xc6, 0x00, 0x80 }, 3, 3, 1, true, -1, 0x80 },
        { "movzbl (%rax),%edx", { 0x0f, 0xb6, 0x10 }, 3, 3, 1, false, 2, 0 },
        { "movzwl 0x4(%rax),%r12d", { 0x44, 0x0f, 0xb7, 0x60, 0x04 }, 5, 5, 2, false, 12, 0 },
        { "mov 0x0(,%rax,4),%eax", { 0x8b, 0x04, 0x85, 0, 0, 0, 0 }, 7, 7, 4, false, 0, 0 },
        { "mov (%r13),%eax + trailing", { 0x41, 0x8b, 0x45, 0x00, 0x90, 0x90 }, 6, 4, 4, false, 0, 0 },
};

static void
test_forms(void)
{
        for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
                const struct form *f = &forms[i];
                struct vmm_mmio m;
                int r = vmm_mmio_decode(f->b, f->n, &m);

                ok(r == 0 && m.len == f->len && m.size == f->size && m.write == f->write &&
                   m.reg == f->reg && m.imm == f->imm, "%s: len %u size %u %s reg %d imm 0x%llx",
                   f->name, m.len, m.size, m.write ? "store" : "load", m.reg,
                   (unsigned long long)m.imm);
                unsigned cut = 0;

                while (cut < f->len && vmm_mmio_decode(f->b, cut, &m) == -VMM_EINVAL)
                        cut++;
                ok(cut == f->len, "%s: every truncation is -EINVAL (first not: %u bytes)", f->name, cut);
        }
}

static void
test_results(void)
{
        struct vmm_mmio m;

        (void)vmm_mmio_decode((const uint8_t[]){ 0x8b, 0x02 }, 2, &m);
        ok(vmm_mmio_load(&m, 0xffffffff00000000ull, 0x1234) == 0x1234,
           "a 32-bit load clears the upper half");
        (void)vmm_mmio_decode((const uint8_t[]){ 0x66, 0x8b, 0x02 }, 3, &m);
        ok(vmm_mmio_load(&m, 0x1111111111111111ull, 0xabcdef) == 0x111111111111cdefull,
           "a 16-bit load keeps the rest of the register");
        (void)vmm_mmio_decode((const uint8_t[]){ 0x0f, 0xb6, 0x02 }, 3, &m);
        ok(vmm_mmio_load(&m, ~0ull, 0x1ff) == 0xff, "movzx zero-extends and cuts to its size");
        (void)vmm_mmio_decode((const uint8_t[]){ 0x89, 0x02 }, 2, &m);
        ok(vmm_mmio_store(&m, 0xdeadbeefcafef00dull) == 0xcafef00dull, "a 32-bit store sends 32 bits");
        (void)vmm_mmio_decode((const uint8_t[]){ 0xc7, 0x00, 1, 2, 3, 4 }, 6, &m);
        ok(vmm_mmio_store(&m, ~0ull) == 0x04030201u, "an immediate store ignores the register");
}

static void
test_refused(void)
{
        static const struct { const char *name; uint8_t b[4]; unsigned n; } bad[] = {
                { "register operand mov %eax,%edx", { 0x89, 0xc2 }, 2 },
                { "movb %ah,(%rdi)", { 0x88, 0x27 }, 2 },
                { "C7 /1", { 0xc7, 0x08, 0, 0 }, 4 },
                { "add %eax,(%rdx)", { 0x01, 0x02 }, 2 },
                { "movs", { 0xa5 }, 1 },
                { "0F 0B", { 0x0f, 0x0b }, 2 },
                { "lock-prefixed", { 0xf0, 0x89, 0x02 }, 3 },
        };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct vmm_mmio m;

                ok(vmm_mmio_decode(bad[i].b, bad[i].n, &m) == -VMM_ENOTSUP, "%s refused",
                   bad[i].name);
        }
        ok(vmm_mmio_decode((const uint8_t[]){ 0x66 }, 1, &(struct vmm_mmio){ 0 }) == -VMM_EINVAL,
           "prefixes only: -EINVAL");
}

static void
test_random(void)
{
        unsigned bad = 0;

        srand(18);
        for (unsigned t = 0; t < 200000; t++) {
                uint8_t b[15];
                unsigned n = (unsigned)rand() % 16;
                struct vmm_mmio m;

                for (unsigned i = 0; i < 15; i++)
                        b[i] = (uint8_t)rand();
                if (vmm_mmio_decode(b, n, &m) == 0 &&
                    (m.len > n || m.len == 0 || (m.size != 1 && m.size != 2 && m.size != 4 &&
                                                 m.size != 8) || m.reg > 15))
                        bad++;
        }
        ok(bad == 0, "200000 random byte strings: never a length past the bytes, a size or register out of range (%u)",
           bad);
}

#define RAM (32u << 20)

static uint8_t *ram;

static void
pte(uint64_t at, uint64_t v)
{
        memcpy(ram + at, &v, 8);
}

static void
test_walk(void)
{
        uint8_t out[15];
        uint64_t va = 0xffffffff81000ff8ull;    /* 8 bytes before a page end */

        ram = calloc(1, RAM);
        if (!ram)
                abort();
        /* PML4 at 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000; code page 0x5000 */
        pte(0x1000 + 511 * 8, 0x2000 | 1);
        pte(0x2000 + 510 * 8, 0x3000 | 1);
        pte(0x3000 + 8 * 8, 0x4000 | 1);
        pte(0x4000 + 0 * 8, 0x5000 | 1);
        memcpy(ram + 0x5ff8, "\x8b\x02\x90\x90\x90\x90\x90\x90", 8);
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 15) == 8 && out[0] == 0x8b && out[1] == 0x02,
           "an instruction before an unmapped page: the 8 bytes up to it");
        pte(0x4000 + 1 * 8, 0x6000 | 1);
        ram[0x6000] = 0xab;
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 15) == 15 && out[8] == 0xab,
           "across two mapped pages: all 15 bytes");
        pte(0x3000 + 8 * 8, 0x200000 | 0x81);   /* a 2 MiB page instead */
        ram[0x200ff8] = 0x89;
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 1) == 1 && out[0] == 0x89, "through a 2 MiB page");
        pte(0x2000 + 510 * 8, 0x0 | 0x81);      /* 1 GiB page at 0: va's offset 0x1000ff8 */
        ram[0x1000ff8] = 0xc7;
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 1) == 1 && out[0] == 0xc7, "through a 1 GiB page");
        pte(0x2000 + 510 * 8, 0x40000000 | 0x81);
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 1) == -VMM_ENOENT,
           "a 1 GiB page beyond RAM: nothing read");
        pte(0x2000 + 510 * 8, 0x7fff000 | 1);
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 1) == -VMM_ENOENT,
           "a page table outside RAM: nothing read");
        pte(0x1000 + 511 * 8, 0x2000);
        ok(vmm_guest_read(ram, RAM, 0x1000, va, out, 1) == -VMM_ENOENT, "a PML4 entry not present");
        ok(vmm_guest_read(ram, RAM, ~0ull, va, out, 1) == -VMM_ENOENT, "CR3 beyond RAM");
        free(ram);
}

int
main(void)
{
        test_forms();
        test_results();
        test_refused();
        test_random();
        test_walk();
        return tap_done();
}
