/* tests/kernel/vmm-mmio.c: what an MMIO exit runs through in thatte-kvmm:
 * the instruction fetched through the guest's page tables (4 KiB, 2 MiB
 * and 1 GiB pages, crossing pages, not present, tables outside RAM, non-
 * canonical addresses, 5-level paging refused), decoded (the MOV forms
 * Linux's readl/writel compile to, with REX, SIB, displacements,
 * immediates, MOVZX and the legacy high-byte registers; every truncation
 * of a good instruction and a sweep of random bytes), the xAPIC page of
 * the local APIC model (ID, LDR, DFR, the ICR in halves, EOI, hostile
 * widths and offsets, the page closed in x2APIC mode), MSI messages, and
 * the I/O APIC glue: garbage redirection entries programmed through the
 * decoded path and level interrupts the guest never EOIs. */
#include <stdlib.h>
#include <string.h>

#include "tests/tap.h"
#include "ioapic.h"
#include "mmio.h"

static int
decode(const char *hex_bytes, unsigned n, struct vmm_mmio_insn *m)
{
        return vmm_mmio_decode((const uint8_t *)hex_bytes, n, m);
}

static void
test_decode(void)
{
        struct vmm_mmio_insn m;

        /* mov %eax,(%rdx): writel */
        is_int(decode("\x89\x02", 2, &m), 0, "89 02 decodes");
        ok(m.write && m.size == 4 && m.reg == 0 && m.len == 2, "writel: 4-byte store of eax, 2 bytes");
        /* mov 0x10(%rdx),%eax: readl with disp8 */
        is_int(decode("\x8b\x42\x10", 3, &m), 0, "8b 42 10 decodes");
        ok(!m.write && m.size == 4 && m.reg == 0 && m.len == 3, "readl: 4-byte load into eax");
        /* mov %r9d,0x300(%rax,%rbx,1): REX.R, SIB, disp32 */
        is_int(decode("\x44\x89\x8c\x18\x00\x03\x00\x00", 8, &m), 0, "REX SIB disp32 decodes");
        ok(m.write && m.reg == 9 && m.len == 8, "r9d, 8 bytes");
        /* mov %rax,(%rcx) with REX.W */
        is_int(decode("\x48\x89\x01", 3, &m), 0, "REX.W store");
        is_int(m.size, 8, "REX.W: 8 bytes");
        /* movw $0x1234,(%rax): 66 C7 /0 imm16 */
        is_int(decode("\x66\xc7\x00\x34\x12", 5, &m), 0, "66 c7 imm16");
        ok(m.write && m.reg == -1 && m.size == 2 && m.imm == 0x1234 && m.len == 5, "imm16 store");
        /* movq $-1,(%rip+0): C7 with REX.W sign-extends imm32 */
        is_int(decode("\x48\xc7\x05\x00\x00\x00\x00\xff\xff\xff\xff", 11, &m), 0, "rip-relative imm32");
        ok(m.imm == ~0ull && m.len == 11, "imm32 sign-extended to 64 bits");
        /* movzbl (%rsi),%ecx */
        is_int(decode("\x0f\xb6\x0e", 3, &m), 0, "movzx decodes");
        ok(!m.write && m.size == 1 && m.dst_size == 4 && m.reg == 1, "movzx: byte into ecx");
        /* mov (%rax),%ah: legacy high byte */
        is_int(decode("\x8a\x20", 2, &m), 0, "8a 20 decodes");
        ok(m.high8 && m.reg == 0, "ah is rax's second byte");
        /* mov (%rax),%spl needs REX: no high byte then */
        is_int(decode("\x40\x8a\x20", 3, &m), 0, "REX 8a 20 decodes");
        ok(!m.high8 && m.reg == 4, "with REX it is spl");
        /* refused forms */
        is_int(decode("\xf0\x89\x02", 3, &m), -VMM_ENOTSUP, "LOCK prefix refused");
        is_int(decode("\xf3\xa5", 2, &m), -VMM_ENOTSUP, "REP MOVS refused");
        is_int(decode("\x89\xc0", 2, &m), -VMM_ENOTSUP, "register-to-register refused");
        is_int(decode("\xc7\x08\x00\x00\x00\x00", 6, &m), -VMM_ENOTSUP, "C7 /1 refused");
        is_int(decode("\x87\x02", 2, &m), -VMM_ENOTSUP, "XCHG refused");
        is_int(decode("\x0f\xb6", 2, &m), -VMM_EINVAL, "movzx without ModRM: too short");
        is_int(decode("", 0, &m), -VMM_EINVAL, "no bytes");
}

static void
test_truncations(void)
{
        static const char *good[] = {
                "\x44\x89\x8c\x18\x00\x03\x00\x00", "\x48\xc7\x05\x00\x00\x00\x00\xff\xff\xff\xff",
                "\x66\xc7\x00\x34\x12", "\x8b\x42\x10", "\x0f\xb7\x04\x25\x00\x00\xc0\xfe",
        };
        static const unsigned len[] = { 8, 11, 5, 3, 8 };
        unsigned bad = 0;
        struct vmm_mmio_insn m;

        for (unsigned g = 0; g < 5; g++) {
                if (decode(good[g], len[g], &m) != 0 || m.len != len[g])
                        bad++;
                for (unsigned n = 0; n < len[g]; n++)
                        if (decode(good[g], n, &m) != -VMM_EINVAL)
                                bad++;
        }
        is_int(bad, 0, "each good form decodes to its length; every truncation is refused");

        uint8_t b[MMIO_INSN_MAX];
        unsigned long seed = 1, over = 0, decoded = 0;
        for (unsigned i = 0; i < 200000; i++) {
                for (unsigned k = 0; k < sizeof(b); k++) {
                        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
                        b[k] = (uint8_t)(seed >> 56);
                }
                unsigned n = (unsigned)(seed >> 20) % (sizeof(b) + 1);
                if (vmm_mmio_decode(b, n, &m) == 0) {
                        decoded++;
                        if (m.len > n || m.len == 0 || (m.size != 1 && m.size != 2 && m.size != 4 &&
                                                        m.size != 8) || m.reg > 15)
                                over++;
                }
        }
        is_int(over, 0, "random bytes: a decoded length never passes the bytes given");
        tap_diag("%lu of 200000 random byte strings decoded", decoded);
}

static void
test_values(void)
{
        struct vmm_mmio_insn m;
        uint64_t gpr[16] = { 0 };

        gpr[0] = 0x1122334455667788ull;
        decode("\x8a\x20", 2, &m);              /* mov (%rax),%ah */
        is_int(vmm_mmio_store_value(&m, gpr), 0x77, "ah's value");
        vmm_mmio_load_value(&m, gpr, 0xab);
        is_int(gpr[0], 0x112233445566ab88ull, "a load into ah merges");
        decode("\x8b\x02", 2, &m);              /* mov (%rdx),%eax */
        vmm_mmio_load_value(&m, gpr, 0xffffffffcafef00dull);
        is_int(gpr[0], 0xcafef00dull, "a 32-bit load zero-extends");
        decode("\x66\x8b\x0a", 3, &m);          /* mov (%rdx),%cx */
        gpr[1] = ~0ull;
        vmm_mmio_load_value(&m, gpr, 0x12345);
        is_int(gpr[1], 0xffffffffffff2345ull, "a 16-bit load merges");
        decode("\x48\x0f\xb7\x0a", 4, &m);      /* movzwq (%rdx),%rcx */
        vmm_mmio_load_value(&m, gpr, 0xfffff00d);
        is_int(gpr[1], 0xf00dull, "movzx to 64 bits clears the rest");
}

#define RAM (8u << 20)

static uint8_t *
ram_with_tables(void)
{
        uint8_t *ram = calloc(1, RAM);
        uint64_t *pml4 = (uint64_t *)(ram + 0x1000), *pdpt = (uint64_t *)(ram + 0x2000),
                 *pd = (uint64_t *)(ram + 0x3000), *pt = (uint64_t *)(ram + 0x4000);

        pml4[0] = 0x2000 | 1;
        pml4[511] = 0x2000 | 1;                 /* the top: the same tables */
        pdpt[0] = 0x3000 | 1;
        pdpt[1] = 0x0 | 1 | 0x80;               /* 1 GiB page at 0x40000000 -> 0 */
        pdpt[510] = 0x3000 | 1;
        pd[0] = 0x4000 | 1;
        pd[1] = 0x200000 | 1 | 0x80;            /* 2 MiB page */
        pt[5] = 0x7000 | 1;                     /* 0x5000 -> 0x7000 */
        pt[6] = 0x9000 | 1;                     /* 0x6000 -> 0x9000 */
        pt[9] = (uint64_t)RAM | 1;              /* past the end of RAM */
        ram[0x7ffe] = 0xaa;
        ram[0x7fff] = 0xbb;
        ram[0x9000] = 0xcc;
        ram[0x200123] = 0xdd;
        ram[0x123] = 0xee;
        return ram;
}

static void
test_walk(void)
{
        uint8_t *ram = ram_with_tables(), out[4];
        const uint64_t pg = 1ull << 31, cr3 = 0x1000;

        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0x5ffe, out, 3), 3, "a fetch across two pages");
        ok(out[0] == 0xaa && out[1] == 0xbb && out[2] == 0xcc, "bytes from both frames");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0x200123, out, 1), 1, "2 MiB page");
        is_int(out[0], 0xdd, "its byte");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0x40000123, out, 1), 1, "1 GiB page");
        is_int(out[0], 0xee, "its byte");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0xffffff8000005ffeull, out, 4), 4,
               "the top of the address space through the same tables");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0x6ffe, out, 4), 2,
               "stops before a page that is not present");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0x9000, out, 1), -VMM_EFAULT,
               "a frame past the end of RAM");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 0, 0x0000800000000000ull, out, 1), -VMM_EFAULT,
               "a non-canonical address");
        is_int(vmm_guest_fetch(ram, RAM, pg, RAM - 4, 0, 0x5000, out, 1), -VMM_EFAULT,
               "a table outside RAM");
        is_int(vmm_guest_fetch(ram, RAM, pg, ~0ull, 0, 0x5000, out, 1), -VMM_EFAULT,
               "CR3 all ones");
        is_int(vmm_guest_fetch(ram, RAM, pg, cr3, 1u << 12, 0x5000, out, 1), -VMM_ENOTSUP,
               "5-level paging refused");
        is_int(vmm_guest_fetch(ram, RAM, 0, 0, 0, 0x9000, out, 1), 1, "paging off: physical");
        is_int(out[0], 0xcc, "its byte");
        is_int(vmm_guest_fetch(ram, RAM, 0, 0, 0, RAM, out, 1), -VMM_EFAULT, "physical past RAM");
        free(ram);
}

static void
xapic_setup(struct vmm_apic *a)
{
        vmm_apic_init(a, 0, true);
        vmm_apic_wrmsr(a, MSR_APIC_BASE, APIC_BASE_DEFAULT | APIC_BASE_BSP);   /* off */
        vmm_apic_wrmsr(a, MSR_APIC_BASE, APIC_BASE_DEFAULT | APIC_BASE_BSP | APIC_BASE_EN);
        vmm_apic_mmio_write(a, 0xf0, 4, 0x1ff);
}

static void
test_xapic(void)
{
        struct vmm_apic a;
        uint64_t v;

        vmm_apic_init(&a, 0, true);
        vmm_apic_mmio_read(&a, 0x20, 4, &v);
        ok(v == 0 && a.bad_mmio == 1, "in x2APIC mode the page does not decode");
        xapic_setup(&a);
        vmm_apic_mmio_read(&a, 0x20, 4, &v);
        is_int(v, 0, "ID 0 in bits 31:24");
        vmm_apic_mmio_write(&a, 0xe0, 4, 0xffffffff);
        vmm_apic_mmio_write(&a, 0xd0, 4, 0x01ffffff);
        vmm_apic_mmio_read(&a, 0xd0, 4, &v);
        is_int(v, 0x01000000, "LDR: bits 31:24 only");
        vmm_apic_mmio_read(&a, 0xe0, 4, &v);
        is_int(v, 0xffffffff, "DFR: flat");
        vmm_apic_mmio_write(&a, 0x310, 4, 0);
        vmm_apic_mmio_write(&a, 0x300, 4, 0x4041);          /* fixed, vector 0x41, to ID 0 */
        is_int(vmm_apic_pending(&a), 0x41, "an ICR self IPI through the two halves");
        vmm_apic_accept(&a, 0x41);
        vmm_apic_mmio_write(&a, 0xb0, 4, 0);
        is_int(a.isr[2], 0, "EOI through the page");
        vmm_apic_mmio_write(&a, 0x310, 4, 0x05000000);
        vmm_apic_mmio_write(&a, 0x300, 4, 0x4042);
        ok(vmm_apic_pending(&a) < 0 && a.refused_ipis == 1, "an IPI to ID 5: refused");
        vmm_apic_mmio_write(&a, 0x310, 4, 0x01000000);
        vmm_apic_mmio_write(&a, 0x300, 4, 0x4843);         /* logical, flat bit 0 (our LDR) */
        is_int(vmm_apic_pending(&a), 0x43, "a logical IPI naming our LDR bit: delivered");
        vmm_apic_accept(&a, 0x43);
        vmm_apic_mmio_write(&a, 0xb0, 4, 0);
        vmm_apic_mmio_write(&a, 0x310, 4, 0x02000000);
        vmm_apic_mmio_write(&a, 0x300, 4, 0x4844);         /* logical, bit 1: another CPU */
        ok(vmm_apic_pending(&a) < 0 && a.refused_ipis == 2, "a logical IPI to bit 1: refused");
        uint64_t before = a.bad_mmio;
        vmm_apic_mmio_write(&a, 0x82, 4, 0xff);            /* TPR, misaligned */
        vmm_apic_mmio_write(&a, 0x80, 2, 0xff);            /* TPR, 2 bytes */
        vmm_apic_mmio_write(&a, 0x80, 8, 0xff);
        vmm_apic_mmio_write(&a, 0x3f0, 4, 0x30);           /* SELF_IPI: x2APIC only */
        vmm_apic_mmio_write(&a, 0x320, 4, 0xffffffff);     /* LVT timer: reserved bits */
        vmm_apic_mmio_write(&a, 0x7f0, 4, 1);              /* nothing there */
        vmm_apic_mmio_read(&a, 0x80, 1, &v);
        is_int(v, 0, "a byte read of TPR reads 0");
        is_int(a.bad_mmio - before, 7, "seven hostile accesses counted");
        vmm_apic_mmio_read(&a, 0x80, 4, &v);
        is_int(v, 0, "TPR unchanged by them");
        vmm_apic_mmio_read(&a, 0x320, 4, &v);
        is_int(v, 0x10000, "LVT timer unchanged (masked)");
        is_int(vmm_apic_mmio_read(&a, 0x1000, 4, &v), -VMM_ENOENT, "0x1000 is past the page");
        unsigned long seed = 7;
        for (unsigned i = 0; i < 100000; i++) {
                seed = seed * 6364136223846793005ul + 1442695040888963407ul;
                unsigned off = (unsigned)(seed >> 40) & 0xfff, size = 1u << ((seed >> 30) & 3);
                if ((seed >> 20) & 1)
                        vmm_apic_mmio_write(&a, off, size, seed);
                else
                        vmm_apic_mmio_read(&a, off, size, &v);
        }
        ok(a.base & APIC_BASE_EN, "100000 random accesses: the APIC is still there");
}

static void
test_msi(void)
{
        struct vmm_apic a;

        vmm_apic_init(&a, 0, true);
        vmm_apic_wrmsr(&a, 0x80f, 0x1ff);
        is_int(vmm_apic_msi(&a, 0xfee00000, 0x51), 0, "fixed edge to ID 0");
        is_int(vmm_apic_pending(&a), 0x51, "raised");
        is_int(vmm_apic_msi(&a, 0xfee0100c, 0x52), 0, "logical, flat bit 0");
        is_int(vmm_apic_msi(&a, 0x1fee00000ull, 0x53), -VMM_EINVAL, "above 4 GiB: a DMA write");
        is_int(vmm_apic_msi(&a, 0xfed00000, 0x53), -VMM_EINVAL, "another window");
        is_int(vmm_apic_msi(&a, 0xfee00000, 0x453), -VMM_EINVAL, "NMI delivery refused");
        is_int(vmm_apic_msi(&a, 0xfee00000, 0x8053), -VMM_EINVAL, "level trigger refused");
        is_int(vmm_apic_msi(&a, 0xfee00000, 0x0f), -VMM_EINVAL, "vector 15 refused");
        is_int(vmm_apic_msi(&a, 0xfee05000, 0x53), -VMM_EINVAL, "physical ID 5: not this CPU");
        is_int(vmm_apic_msi(&a, 0xfeeff000, 0x54), 0, "broadcast");
}

/* The I/O APIC reached as Linux reaches it: each register access a
 * decoded `mov` on its page. */
static void
io_wr(struct vmm_ioapic *io, struct vmm_apic *a, uint32_t reg, uint32_t val)
{
        struct vmm_mmio_insn m;
        uint64_t gpr[16] = { reg };

        vmm_mmio_decode((const uint8_t *)"\x89\x02", 2, &m);
        vmm_ioapic_write(io, 0, m.size, vmm_mmio_store_value(&m, gpr), a);
        gpr[0] = val;
        vmm_ioapic_write(io, 0x10, m.size, vmm_mmio_store_value(&m, gpr), a);
}

static void
test_ioapic_glue(void)
{
        struct vmm_ioapic io;
        struct vmm_apic a;
        unsigned long seed = 3;

        xapic_setup(&a);
        vmm_ioapic_init(&io, 1);
        for (unsigned i = 0; i < 20000; i++) {          /* garbage into every entry */
                seed = seed * 6364136223846793005ul + 1442695040888963407ul;
                io_wr(&io, &a, 0x10 + (unsigned)(seed >> 59) * 2 + ((seed >> 58) & 1), (uint32_t)seed);
                vmm_ioapic_set_irq(&io, (unsigned)(seed >> 32) % 40, (seed >> 20) & 1, &a);
        }
        is_int(a.irr[0] & 0xffff, 0, "no vector below 16 reached the IRR");
        tap_diag("delivered %lu, refused %lu", (unsigned long)io.delivered, (unsigned long)io.refused);
        ok(io.refused > 0, "garbage delivery modes, vectors and destinations were refused");

        /* A level interrupt the guest takes and never EOIs: one delivery. */
        xapic_setup(&a);
        vmm_ioapic_init(&io, 1);
        io_wr(&io, &a, 0x11 + 2 * 9, 0x01000000);       /* logical dest bit 0 (flat LDR) */
        io_wr(&io, &a, 0x10 + 2 * 9, 0x8000 | 0x800 | 0x61);   /* level, logical, 0x61 */
        vmm_apic_mmio_write(&a, 0xd0, 4, 0x01000000);
        uint64_t before = io.delivered;
        vmm_ioapic_set_irq(&io, 9, true, &a);
        is_int(vmm_apic_pending(&a), 0x61, "level pin delivered");
        vmm_apic_accept(&a, 0x61);
        for (unsigned i = 0; i < 1000; i++) {
                vmm_ioapic_set_irq(&io, 9, false, &a);
                vmm_ioapic_set_irq(&io, 9, true, &a);
        }
        is_int(io.delivered - before, 1, "never EOI'd: Remote IRR holds it to one delivery");
        ok(vmm_apic_pending(&a) < 0, "nothing more pending");
        vmm_apic_mmio_write(&a, 0xb0, 4, 0);            /* the EOI, through the xAPIC page */
        int lv = vmm_apic_take_eoi(&a);
        is_int(lv, 0x61, "the local APIC reports the level EOI");
        vmm_ioapic_eoi(&io, (uint8_t)lv, &a);
        is_int(vmm_apic_pending(&a), 0x61, "the line still high fires again after the EOI");
        is_int(vmm_apic_take_eoi(&a), -1, "one EOI reported once");
}

int
main(void)
{
        test_decode();
        test_truncations();
        test_values();
        test_walk();
        test_xapic();
        test_msi();
        test_ioapic_glue();
        return tap_done();
}
