#!/bin/sh
# tests/kernel/closed.sh: the freestanding kernel archive must be closed:
# every symbol any member leaves undefined is defined by some member. The
# members are also linked relocatably into one object (ld -r), which must
# have no undefined symbol either. The kernel keeps no FPU or SSE state,
# so no member may use an SSE register.
nm=${NM:-nm}
objdump=${OBJDUMP:-objdump}
ld=${LD_FOR_CHECK:-ld}
dir=$(cd "${top_builddir:-.}" && pwd) || exit 1
ar=$dir/kernel/libthatte-mk.a

echo "1..5"
if test -f "$ar"; then echo "ok 1 - $ar exists"; else echo "not ok 1 - $ar missing"; exit 1; fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

$nm -P -g --defined-only "$ar" 2>/dev/null | awk 'NF >= 2 && $1 !~ /:$/ {print $1}' | sort -u > "$tmp/def"
$nm -P -u "$ar" 2>/dev/null | awk 'NF >= 2 && $1 !~ /:$/ {print $1}' | sort -u > "$tmp/undef"
missing=$(comm -23 "$tmp/undef" "$tmp/def")
if test -z "$missing"; then
        echo "ok 2 - every undefined symbol is defined inside the archive"
else
        echo "not ok 2 - symbols from outside the archive:"
        echo "$missing" | sed 's/^/#   /'
fi

if grep -qx 'mk_syscall' "$tmp/def" && grep -qx 'memcpy' "$tmp/def"; then
        echo "ok 3 - archive defines mk_syscall and its own memcpy"
else
        echo "not ok 3 - mk_syscall or memcpy not defined"
fi

(cd "$tmp" && ar x "$ar") && $ld -r -o "$tmp/all.o" "$tmp"/*.o 2>"$tmp/ld.err"
u=$($nm -u "$tmp/all.o" 2>/dev/null)
if test -s "$tmp/all.o" && test -z "$u"; then
        echo "ok 4 - ld -r of all members leaves nothing undefined"
else
        echo "not ok 4 - ld -r result has undefined symbols or failed:"
        { echo "$u"; cat "$tmp/ld.err"; } | sed 's/^/#   /'
fi

if ! $objdump -d "$ar" > "$tmp/dis" 2>/dev/null; then
        echo "not ok 5 - $objdump cannot disassemble the archive"
elif ! grep -qE '%[xyz]mm[0-9]' "$tmp/dis"; then
        echo "ok 5 - no SSE register in the archive"
else
        echo "not ok 5 - SSE instructions in the kernel archive:"
        grep -E '%[xyz]mm[0-9]' "$tmp/dis" | head -5 | sed 's/^/#   /'
fi
