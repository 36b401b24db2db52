/* kernel/kvmm/hostile/phases.c: what each phase throws at the VMM. The
 * guest runs with interrupts off throughout (nothing it provokes is ever
 * taken) and counts the faults it gets back: refusals must be
 * architectural (#GP, #UD) or an end of the guest, never the VMM's. */
#include "hostile.h"

#define EFER 0xc0000080u
#define EFER_LME (1ull << 8)
#define EFER_NXE (1ull << 11)
#define EFER_SVME (1ull << 12)

/* Garbage, but never the two byte writes that reset a PC (the `reset`
 * phase asks for that on purpose), nor SLP_EN into the ACPI sleep control
 * register at 0x600 (S5 is a clean power-off, which the VMM honours). */
static uint32_t garbage(uint32_t port, unsigned size)
{
        uint32_t v = (uint32_t)hg_random();

        if (port <= 0x600 && 0x600 - port < size)
                v &= ~(0x20u << 8 * (0x600 - port));

        if (size == 1 && port == 0x64 && (v & 0xff) == 0xfe)
                v ^= 1;
        if (size == 1 && port == 0xcf9)
                v &= ~4u;
        return v;
}

/* Every port, each width: garbage written, then read back. */
static void ports(void)
{
        uint64_t ones = 0;

        for (uint32_t p = 0; p < 0x10000; p++)
                for (unsigned size = 1; size <= 4; size *= 2) {
                        hg_out((uint16_t)p, size, garbage(p, size));
                        ones += hg_in((uint16_t)p, size) == (size == 4 ? 0xffffffffu :
                                                              (1u << (size * 8)) - 1);
                }
        hg_uart_reset();
        hg_say("ports: 65536 ports x 3 widths written and read, %lu reads all ones", ones);
}

/* MSRs [first, last): read, garbage, all ones, zero. */
static void msr_range(uint32_t first, uint32_t last)
{
        uint64_t rd_ok = 0, wr_ok = 0, v;

        for (uint32_t m = first; m != last; m++) {
                if (m == EFER)                  /* its own phase: clearing LME ends the guest */
                        continue;
                rd_ok += hg_rdmsr(m, &v) == 0;
                wr_ok += hg_wrmsr(m, hg_random()) == 0;
                wr_ok += hg_wrmsr(m, ~0ull) == 0;
                wr_ok += hg_wrmsr(m, 0) == 0;
        }
        hg_say("msrs 0x%x..0x%x: %lu reads and %lu of %lu writes taken", first, last - 1, rd_ok,
               wr_ok, (uint64_t)(last - first) * 3);
}

static void msrs(void)
{
        msr_range(0, 0x2000);
        msr_range(0xc0000000u, 0xc0002000u);
        msr_range(0xc0010000u, 0xc0012000u);
}

/* The x2APIC: garbage and reserved bits everywhere, then the IPIs a lone
 * CPU has nobody to send to, EOI with nothing in service, write-only reads. */
static void x2apic(void)
{
        static const uint64_t icr[] = {
                0x40 | 1u << 18,                /* fixed self-IPI, shorthand self */
                0x40 | 3u << 18,                /* all but self */
                0x500 | 1u << 18 | 1u << 14,    /* INIT to self */
                0x500 | 2u << 18,               /* INIT to all */
                0x600 | 0x10 | 3u << 18,        /* SIPI */
                0x400 | 1u << 18,               /* NMI to self */
                0x03,                           /* illegal vector */
                0xffffffffffffffffull,          /* every reserved bit */
                0x41 | 5ull << 32,              /* to an APIC that does not exist */
        };
        uint64_t v, taken = 0;

        msr_range(0x800, 0x900);
        for (unsigned i = 0; i < sizeof(icr) / sizeof(icr[0]); i++)
                taken += hg_wrmsr(0x830, icr[i]) == 0;
        taken += hg_wrmsr(0x80b, 0) == 0;       /* EOI, nothing in service */
        taken += hg_wrmsr(0x80b, 0) == 0;
        taken += hg_wrmsr(0x80b, 1) == 0;       /* EOI with a nonzero value */
        taken += hg_wrmsr(0x83f, 5) == 0;       /* SELF_IPI, illegal vector */
        taken += hg_wrmsr(0x83f, 0x41) == 0;
        taken += hg_rdmsr(0x80b, &v) == 0;      /* write-only */
        taken += hg_rdmsr(0x83f, &v) == 0;
        hg_say("x2apic: %lu of 16 IPI/EOI accesses taken", taken);
}

/* EFER: SVME, a reserved bit, LME cleared under paging, NXE toggled. */
static void efer(void)
{
        uint64_t e = 0, after = 0;
        long svme, rsvd, lme, nxe;

        hg_rdmsr(EFER, &e);
        svme = hg_wrmsr(EFER, e | EFER_SVME);
        rsvd = hg_wrmsr(EFER, e | 1ull << 20);
        lme = hg_wrmsr(EFER, e & ~EFER_LME);
        nxe = hg_wrmsr(EFER, e ^ EFER_NXE);
        hg_wrmsr(EFER, e);
        hg_rdmsr(EFER, &after);
        hg_say("efer 0x%lx: SVME %s, reserved bit %s, LME cleared %s, NXE toggled %s; now 0x%lx", e,
               svme ? "refused" : "TAKEN", rsvd ? "refused" : "TAKEN", lme ? "refused" : "TAKEN",
               nxe ? "refused" : "taken", after);
}

/* String and REP port I/O: OUTS/INS, with and without REP. */
static void strio(void)
{
        static const char junk[] = "thatte-root: ready\nthatte-mk: panic: spoofed\n";
        static uint16_t in[8];
        long a = hg_outsb(0x80, junk, sizeof(junk) - 1);
        long b = hg_outsb(0x3f8, junk, sizeof(junk) - 1);
        long c = hg_outsb1(0x3f8, junk);
        long d = hg_insw(0x60, in, 8);
        long e = hg_insw(0x3f8, in, 0xffffffffffffull);

        for (const char *p = junk; *p; p++)     /* through COM1 byte by byte: behind driveros: */
                hg_out(0x3f8, 1, (uint8_t)*p);
        hg_say("strio: rep outsb %s, rep outsb to COM1 %s, outsb %s, rep insw %s, rep insw huge %s",
               a ? "faulted" : "done", b ? "faulted" : "done", c ? "faulted" : "done",
               d ? "faulted" : "done", e ? "faulted" : "done");
}

/* XSETBV (no XSAVE in its CPUID), VMMCALL and the SVM instructions (no
 * SVM in its EFER): #UD each; INVD: nothing to flush. */
static void svm(void)
{
        long r[7] = { hg_xsetbv(0, 7), hg_xsetbv(1, 1), hg_vmmcall(), hg_vmrun(), hg_stgi(),
                      hg_clgi(), hg_invd() };
        unsigned faulted = 0;

        for (unsigned i = 0; i < 7; i++)
                faulted += r[i] != 0;
        hg_say("svm: %u of 7 faulted (last vector %lu); invd %s", faulted, hg_last_vector,
               r[6] ? "faulted" : "done");
}

/* Control and debug registers: thatte-mk intercepts none of them, the CPU
 * checks them. crdr: writes a CPU takes (CR8, DR0, DR7 with L0), put back.
 * crbad: reserved bits and forbidden combinations, which a CPU refuses
 * with #GP; QEMU's TCG takes some of them, and the next VMRUN then refuses
 * the state: the guest stops (main.c counts crbad as fatal). */
static void crdr(void)
{
        unsigned faulted = 0;

        faulted += hg_cr8(15) != 0;
        faulted += hg_cr8(0) != 0;
        faulted += hg_dr0(0xfffffffffffff000ull) != 0;
        faulted += hg_dr7(0x401) != 0;                                  /* L0 on DR0 */
        faulted += hg_dr7(0x400) != 0;
        hg_say("crdr: %u of 5 writes faulted", faulted);
}

static void crbad(void)
{
        uint64_t cr0, cr4;
        unsigned faulted = 0;

        __asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
        faulted += hg_dr7(1ull << 40) != 0;
        faulted += hg_cr4(cr4 | 1ull << 63) != 0;
        faulted += hg_cr0((cr0 & ~(1ull << 30)) | 1ull << 29) != 0;     /* NW without CD */
        faulted += hg_cr0(cr0 | 1ull << 63) != 0;
        faulted += hg_cr4(cr4 & ~(1ull << 5)) != 0;                     /* PAE off in long mode */
        hg_say("crbad: %u of 5 writes faulted", faulted);
}

/* One read of guest-physical addr (identity-mapped): the VMM stops the
 * guest when nothing is there; if the read comes back, say so. */
static void touch(uint64_t addr)
{
        uint8_t b = 0;

        if (addr >= 4ull << 30)
                hg_map_2m(addr);
        hg_say("touching 0x%lx", addr);
        long r = hg_read8(addr, &b);
        hg_say("read 0x%lx: %s 0x%x", addr, r ? "faulted" : "got", b);
}

/* The emulated register pages (the VMM decodes each access): every
 * 32-bit register of the xAPIC page and the I/O APIC's window written with
 * garbage and read back, nothing the guest needs kept. */
static void mmio_pages(uint64_t base, unsigned regs, unsigned stride)
{
        volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)base;
        uint32_t x = 0;

        for (unsigned r = 0; r < regs; r++) {
                p[r * stride / 4] = (uint32_t)hg_random();
                x ^= p[r * stride / 4];
        }
        hg_say("mmio 0x%lx: %u registers written and read (xor 0x%x)", base, regs, x);
}

/* An access the VMM's decoder does not take: a string move onto the
 * xAPIC page. */
static void mmio_odd(void)
{
        static const uint8_t junk[16];
        void *dst = (void *)(uintptr_t)0xfee00300ull;
        const void *src = junk;
        uint64_t n = sizeof(junk);

        __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
        hg_say("mmio-odd: the string move was taken");
}

static bool is(const char *n, size_t len, const char *w)
{
        size_t k = 0;

        while (w[k])
                k++;
        return k == len && !__builtin_memcmp(n, w, len);
}

int hg_phase(const char *n, size_t len)
{
        if (is(n, len, "ports")) ports();
        else if (is(n, len, "msrs")) msrs();
        else if (is(n, len, "x2apic")) x2apic();
        else if (is(n, len, "efer")) efer();
        else if (is(n, len, "strio")) strio();
        else if (is(n, len, "svm")) svm();
        else if (is(n, len, "crdr")) crdr();
        else if (is(n, len, "crbad")) crbad();
        else if (is(n, len, "touch-above")) touch(hg_ram_top);
        else if (is(n, len, "touch-hole")) touch(0xd0000000ull);
        else if (is(n, len, "touch-hpet")) touch(0xfed00000ull);
        else if (is(n, len, "xapic")) mmio_pages(0xfee00000ull, 64, 16);
        else if (is(n, len, "ioapic")) {
                mmio_pages(0xfec00000ull, 2, 16);      /* IOREGSEL, IOWIN */
                mmio_pages(0xfec00000ull, 256, 4);     /* and every word of the page */
        } else if (is(n, len, "mmio-odd")) mmio_odd();
        else if (is(n, len, "touch-fbedge")) touch((hg_fb_base + hg_fb_size + 0x1fffff) & ~0x1fffffull);
        else if (is(n, len, "touch-high")) touch(1ull << 39);
        else if (is(n, len, "beyond")) touch(1ull << 40);
        else if (is(n, len, "triple")) hg_triple();
        else if (is(n, len, "hltcli")) __asm__ volatile("cli; hlt");
        else if (is(n, len, "reset")) hg_out(0x64, 1, 0xfe);   /* pulse the reset line */
        else if (is(n, len, "spin")) {
                hg_say("spinning with interrupts off");
                for (;;)
                        __asm__ volatile("cli; pause");
        } else
                return 0;
        return 1;
}
