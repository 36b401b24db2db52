#!/bin/sh
# ksyms.sh ELF: the kernel's function symbols as assembly for the .ksyms
# section (panic.c's backtrace names frames with it). Reads `nm -n` of
# the first link; without an ELF it writes the empty table that link uses.
# Text symbols only: the relink that adds this table moves nothing in .text.
set -e
printf '\t.section .ksyms, "a"\n\t.balign 8\n\t.globl arch_ksyms, arch_ksyms_count\n'
if [ -z "$1" ]; then
        printf 'arch_ksyms_count:\n\t.quad 0\narch_ksyms:\n'
        exit 0
fi
${NM:-nm} -n "$1" | awk '
$2 ~ /^[tT]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
        printf "arch_ksyms_count:\n\t.quad %d\narch_ksyms:\n", n
        for (i = 0; i < n; i++)
                printf "\t.quad 0x%s, .Lksym%d\n", addr[i], i
        for (i = 0; i < n; i++)
                printf ".Lksym%d:\t.asciz \"%s\"\n", i, name[i]
}'
