/* tests/vmm/test-record.c: the state file header (vmm/record.c): written,
 * finished in place and read back; what a damaged file turns into. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "tests/tap.h"

static char path[] = "/tmp/thatte-test-record-XXXXXX";
static const char stream[] = "not really QEMU's stream, but bytes all the same";
static const char profile[] = "[vm]\nname = \"vm1\"\n";

/* Writes a complete state file the way save does; returns its fd. */
static int write_state(void)
{
        vmm_record r = { .running = true, .n_disks = 1, .accel = VMM_ACCEL_TCG,
                         .profile = (char *)profile, .profile_len = strlen(profile) };
        int fd = mkstemp(path);

        if (fd < 0)
                exit(99);
        snprintf(r.name, sizeof(r.name), "vm1");
        snprintf(r.file, sizeof(r.file), "vm1.toml");
        snprintf(r.dir, sizeof(r.dir), "/srv/vms");
        r.disks[0] = (vmm_record_disk){ 2, 0, 0 };
        ok(vmm_record_write_header(fd, &r) == 0, "header written");
        ok(vmm_write_all(fd, stream, sizeof(stream)) == 0, "stream written");
        r.disks[0] = (vmm_record_disk){ 2, 196928, 1700000000123456789LL };
        r.stream_len = sizeof(stream);
        r.checksum = vmm_fnv(VMM_FNV_INIT, stream, sizeof(stream));
        ok(vmm_record_finish_header(fd, &r) == 0, "header finished in place");
        return fd;
}

static void test_round_trip(int fd)
{
        vmm_record r = { 0 };
        char why[256] = "";
        uint64_t h = 0;

        is_int(vmm_record_read_state(fd, &r, why, sizeof(why)), 0, "read back");
        ok(!strcmp(r.name, "vm1") && r.running && r.accel == VMM_ACCEL_TCG, "name, run state, accel");
        ok(!strcmp(r.file, "vm1.toml") && !strcmp(r.dir, "/srv/vms"), "profile origin");
        ok(r.profile && r.profile_len == strlen(profile) && !memcmp(r.profile, profile, r.profile_len),
           "profile text");
        ok(r.n_disks == 1 && r.disks[0].index == 2 && r.disks[0].size == 196928 &&
           r.disks[0].mtime_ns == 1700000000123456789LL, "overlay identity");
        ok(r.stream_len == sizeof(stream), "stream length");
        ok(lseek(fd, r.stream_offset, SEEK_SET) == r.stream_offset &&
           vmm_record_checksum(fd, r.stream_len, &h) == 0 && h == r.checksum, "checksum of the stream");
        vmm_record_done(&r);
}

static void test_damage(int fd)
{
        vmm_record r = { 0 };
        char why[256] = "";
        off_t size = lseek(fd, 0, SEEK_END);

        ok(ftruncate(fd, size - 1) == 0, "truncate by one byte");
        is_int(vmm_record_read_state(fd, &r, why, sizeof(why)), -EPIPE, "truncated: refused");
        ok(strstr(why, "truncated") != NULL, "says truncated: %s", why);
        ok(ftruncate(fd, size + 1) == 0, "one byte too many");
        is_int(vmm_record_read_state(fd, &r, why, sizeof(why)), -EPIPE, "extra bytes: refused");
        ok(pwrite(fd, "X", 1, 0) == 1, "magic damaged");
        is_int(vmm_record_read_state(fd, &r, why, sizeof(why)), -EBADMSG, "not a state file");
        ok(strstr(why, "not a thatte-vmm state file") != NULL, "says so: %s", why);
        ok(ftruncate(fd, 40) == 0 && pwrite(fd, VMM_STATE_MAGIC, strlen(VMM_STATE_MAGIC), 0) > 0,
           "header cut short");
        is_int(vmm_record_read_state(fd, &r, why, sizeof(why)), -EBADMSG, "short header: refused");
        vmm_record_done(&r);
}

int main(void)
{
        int fd = write_state();

        test_round_trip(fd);
        test_damage(fd);
        close(fd);
        unlink(path);
        return tap_done();
}
