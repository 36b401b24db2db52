#!/bin/bash
# direct-hostile.sh: the hostile-children test of thatte-mk. The direct
# boot with thatte.test=hostile makes the root task run
# kernel/root/hostile*.c: child threads in address spaces and CSpaces of
# their own execute privileged and stray instructions, enter every
# syscall with every register at all-ones, pass kernel and non-canonical
# addresses, out-of-range sizes, depths and guards, map page tables twice,
# revoke mapped memory, delete their own TCB and revoke their own VSpace
# and CSpace, lose their IPC buffer mid-call and print lines that look
# like kernel and root markers, and run with DF set into the kernel. The
# kernel's CR4 (boot line `cpu:`) must have SMEP and SMAP. The root prints one line per case,
# "thatte-root: hostile CASE ok|FAIL why", then a verdict; this test wants
# every case ok, the verdict, ready after it (the system still works; a
# child's fake `ready` before it is not taken),
# one boot only (no reset), no kernel panic, and none of the spoofed lines
# at the start of a line of the console.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$(dirname -- "$0")/../integration/lib.sh"
. "$(dirname -- "$0")/direct-lib.sh"
. "$(dirname -- "$0")/hostile-lib.sh"

marker_timeout=900
require_direct

plan $hostile_nchecks

# 1 GiB: one case retypes 256 MiB (several timeslices of zeroing). -cpu max:
# SMEP and SMAP (TCG has both), so a kernel access to a user page faults.
direct_start -machine pc -m 1024 -cpu max -icount shift=0 -append thatte.test=hostile
hostile_checks "$marker_timeout"
finish
