#!/bin/sh
# tests/boot/dummy-bzimage.sh FILE: writes a 1040-byte file that
# thatte-mkboot's bzImage check accepts (setup_sects 1, syssize 1, the boot
# flag 0xAA55, "HdrS", protocol 2.12, a 64-bit entry in xloadflags) and
# nothing can boot: the stand-in for DriverOS's kernel where a test checks
# only how the images travel. Tests patch it to make hostile ones.
set -e
f=$1
head -c 1040 /dev/zero >"$f"
put() { printf "$2" | dd of="$f" bs=1 seek=$(($1)) conv=notrunc 2>/dev/null; }
put 0x1f1 '\001'
put 0x1f4 '\001'
put 0x1fe '\125\252'
put 0x202 'HdrS'
put 0x206 '\014\002'
put 0x236 '\001'
