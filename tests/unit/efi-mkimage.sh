#!/bin/bash
# tests/unit/efi-mkimage.sh: thatte-mkimage's command line and its
# failures, with a stand-in grub-mkimage put first in PATH (the real boots
# are tests/boot/mkimage-boot.sh): usage errors exit 2; a missing or
# failing grub-mkimage exits 1, shows why, and leaves the output folder as
# it was; SIGINT while grub-mkimage runs stops everything and leaves
# nothing behind, no file and no process.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"

mkimage="$top_builddir/efi/thatte-mkimage"
inputs=(--loader "$top_builddir/efi/thatte-boot.efi" --kernel "$top_builddir/tests/boot/thatte-test-kernel.elf"
        --root "$top_builddir/tests/boot/thatte-test-root.elf")

work=$(mktemp -d "${TMPDIR:-/tmp}/thatte-mkimage-test.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out" "$work/bin" "$work/empty"
printf old >"$work/out/old.img"

n=0
failed=0
check() {
        local desc=$1
        shift
        n=$((n + 1))
        if "$@"; then
                echo "ok $n - $desc"
        else
                echo "not ok $n - $desc"
                failed=1
        fi
}
untouched() {
        test "$(ls -A "$work/out" | tr '\n' ' ')" = "old.img " && test "$(cat "$work/out/old.img")" = old
}
status_is() {
        "$mkimage" -o "$work/out/old.img" "${inputs[@]}" "${@:2}" 2>"$work/err"
        test $? -eq "$1"
}

echo "1..14"
"$mkimage" "${inputs[@]}" 2>/dev/null
check "no output: exit 2" test $? -eq 2
check "--sign without --cert: exit 2" status_is 2 --sign "$work/err"
check "a quote in --cmdline: exit 2" status_is 2 --cmdline "a'b"
check "a newline in --cmdline: exit 2" status_is 2 --cmdline "a
b"
check "--esp-size 0: exit 2" status_is 2 --esp-size 0
check "usage errors: output untouched" untouched

PATH=$work/empty check "no grub-mkimage: exit 1" status_is 1
check "no grub-mkimage: names the package" grep -q "grub-common" "$work/err"
check "no grub-mkimage: output untouched, no temporary file" untouched

printf '#!/bin/sh\necho "grub-mkimage: boom" >&2\nexit 3\n' >"$work/bin/grub-mkimage"
chmod +x "$work/bin/grub-mkimage"
PATH=$work/bin:$PATH check "failing grub-mkimage: exit 1" status_is 1
check "failing grub-mkimage: its message shown" grep -q "boom" "$work/err"
check "failing grub-mkimage: output untouched, no temporary file" untouched

# A grub-mkimage that says it started, then waits to be interrupted.
printf '#!/bin/sh\n: >"%s/started"\nexec sleep 60\n' "$work" >"$work/bin/grub-mkimage"
PATH=$work/bin:$PATH setsid "$mkimage" -o "$work/out/old.img" "${inputs[@]}" 2>"$work/err" &
pid=$!
for ((i = 0; i < 100; i++)); do
        [ -e "$work/started" ] && break
        sleep 0.1
done
kill -INT -- "-$pid"
wait "$pid"
check "SIGINT: the build stops" test $? -ne 0
sleep 0.2
left=$(ps -eo sid=,stat= | awk -v s="$pid" '$1 == s && $2 !~ /^Z/' | wc -l)
check "SIGINT: output untouched, no temporary file, no process left" \
        sh -c 'test "$1" = 0' sh "$left" && untouched
exit $failed
