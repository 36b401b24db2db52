#!/bin/sh
# tests/kernel/vmm-closed.sh: kernel/vmm's freestanding archive links into
# a thatte-mk user task: linked relocatably with libmku (which brings
# memcpy and memset), nothing stays undefined; and, like all ring-3 code
# here, it uses no SSE register.
dir=$(cd "${top_builddir:-.}" && pwd) || exit 1
ar=$dir/kernel/vmm/libthatte-kvmm.a
mku=$dir/kernel/user/libmku.a
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0

# check NAME COMMAND...: one TAP line; on failure COMMAND's output as comments.
check() {
        name=$1; shift
        n=$((n + 1))
        if "$@" > "$tmp/why" 2>&1; then echo "ok $n - $name"
        else echo "not ok $n - $name"; head -5 "$tmp/why" | sed 's/^/#   /'; fi
}
linked_closed() {
        mkdir "$tmp/o" && (cd "$tmp/o" && ar x "$ar") &&
                ${LD_FOR_CHECK:-ld} -r -o "$tmp/all.o" "$tmp"/o/*.o --whole-archive "$mku" &&
                ${NM:-nm} -u "$tmp/all.o" > "$tmp/undef" && cat "$tmp/undef" && ! test -s "$tmp/undef"
}
no_sse() {
        ${OBJDUMP:-objdump} -d "$ar" > "$tmp/dis" && ! grep -E '%[xyz]mm[0-9]' "$tmp/dis"
}

echo "1..3"
check "$ar and libmku exist" test -f "$ar" -a -f "$mku"
check "every member with libmku leaves nothing undefined" linked_closed
check "no SSE register in the archive" no_sse
