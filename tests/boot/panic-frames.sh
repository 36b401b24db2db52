#!/bin/bash
# panic-frames.sh: the backtrace checks the panic tests make
# (direct-panic.sh, uefi-panic.sh; aarch64-boot.sh for the aarch64 image).
# Sourced after tests/integration/lib.sh.

# check_panic_frames KERNEL LOG: three test points on the lines
# "thatte-mk:   #N ADDR FUNCTION+0xOFF" in LOG: there are at least three,
# each FUNCTION is a function of KERNEL (nm), and ADDR is its address + OFF.
check_panic_frames() {
        local kernel=$1 log=$2 frames named=0 exact=0 total=0 addr place fn off value
        local re='^thatte-mk:   #[0-9]+ (0x)?[0-9a-fA-F]+ [A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-fA-F]+'

        frames=$(grep -aoE -- "$re" "$log")
        diag "$frames"
        check "at least 3 backtrace frames" test "$(printf '%s\n' "$frames" | grep -c .)" -ge 3
        nm "$kernel" | awk '$2 ~ /^[tTwW]$/ { print $3, $1 }' >"$scratch/symbols"
        while read -r _ _ addr place; do
                [ -n "$place" ] || continue
                fn=${place%+*} off=${place##*+}
                total=$((total + 1))
                value=$(awk -v f="$fn" '$1 == f { print $2; exit }' "$scratch/symbols")
                [ -n "$value" ] || { diag "not a function of ${kernel##*/}: $fn"; continue; }
                named=$((named + 1))
                [ $((16#$value + off)) = $((16#${addr#0x})) ] && exact=$((exact + 1))
        done <<<"$frames"
        check "frames name functions of ${kernel##*/} ($named of $total)" \
                test "$total" -ge 3 -a "$named" = "$total"
        check "frame addresses are function + offset ($exact of $total)" \
                test "$total" -ge 3 -a "$exact" = "$total"
}
