#!/bin/sh
# tests/unit/efi-mkesp.sh: the built thatte-mkesp against real mkfs.fat and
# mtools: a good image holds BOOTX64.EFI with the right size, --add works,
# and each failure (missing input, non-PE input, too small) exits 1 with a
# message and leaves nothing at the output path or next to it.

mkesp="$top_builddir/efi/thatte-mkesp"
efi="$top_builddir/efi/thatte-hello.efi"

missing=
for tool in mdir mcopy mmd; do
        command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
command -v mkfs.fat >/dev/null 2>&1 || test -x /usr/sbin/mkfs.fat || test -x /sbin/mkfs.fat ||
        missing="$missing mkfs.fat"
if test -n "$missing"; then
        if test "${THATTE_REQUIRE_INTEGRATION:-0}" = 1; then
                echo "1..1"
                echo "not ok 1 - tools missing:$missing"
                exit 1
        fi
        echo "1..0 # SKIP tools missing:$missing"
        exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/thatte-mkesp-test.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
export MTOOLS_SKIP_CHECK=1

n=0
failed=0
check() {
        n=$((n + 1))
        desc=$1
        shift
        if "$@"; then
                echo "ok $n - $desc"
        else
                echo "not ok $n - $desc"
                failed=1
        fi
}

# Size of a file in the image, from mdir's listing ("NAME EXT SIZE ...").
image_size() {
        mdir -i "$1" "::$2" 2>/dev/null | awk -v name="$3" -v ext="$4" \
                'toupper($1) == name && toupper($2) == ext { print $3; exit }'
}

# The output folder holds only what we put there.
only_entries() {
        test "$(ls -A "$work/out" | tr '\n' ' ')" = "$1"
}

echo "1..22"
mkdir "$work/out"
printf 'echo hello\n' >"$work/startup.nsh"
dd if=/dev/zero of="$work/big.bin" bs=1024 count=3072 2>/dev/null
printf 'this is not a PE file, just text that is long enough to read.\n' >"$work/text.efi"
efi_size=$(wc -c <"$efi" | tr -d ' ')

"$mkesp" -o "$work/out/esp.img" "$efi" 2>"$work/err"
check "good image: exit 0" test $? -eq 0
check "good image: written" test -s "$work/out/esp.img"
check "good image: BOOTX64.EFI has the input's size" \
        test "$(image_size "$work/out/esp.img" /EFI/BOOT BOOTX64 EFI)" = "$efi_size"
check "good image: quiet" test ! -s "$work/err"
check "good image: no temporary file left" only_entries "esp.img "

"$mkesp" -o "$work/out/esp.img" --add "$work/startup.nsh=/" \
        --add "$work/startup.nsh=/thatte/deep/copy.txt" "$efi"
check "--add: exit 0" test $? -eq 0
mcopy -i "$work/out/esp.img" ::/startup.nsh "$work/got.nsh" 2>/dev/null
check "--add: startup.nsh copied with its content" cmp -s "$work/startup.nsh" "$work/got.nsh"
check "--add: nested folders created" \
        test "$(image_size "$work/out/esp.img" /thatte/deep COPY TXT)" = 11

"$mkesp" -o "$work/out/esp2.img" --size 1 "$efi"
check "--size 1 with a small file: exit 0" test $? -eq 0
check "--size 1: image is 1 MiB" test "$(wc -c <"$work/out/esp2.img" | tr -d ' ')" = 1048576
rm -f "$work/out/esp2.img" "$work/out/esp.img"

"$mkesp" -o "$work/out/fail.img" "$work/nonexistent.efi" 2>"$work/err"
check "missing input: exit 1" test $? -eq 1
check "missing input: message names it" grep -q "^thatte-mkesp: .*nonexistent.efi" "$work/err"

"$mkesp" -o "$work/out/fail.img" "$work/text.efi" 2>"$work/err"
check "non-PE input: exit 1" test $? -eq 1
check "non-PE input: message says so" grep -q "^thatte-mkesp: .*not a PE file" "$work/err"

"$mkesp" -o "$work/out/fail.img" --size 2 --add "$work/big.bin=/big.bin" "$efi" 2>"$work/err"
check "too small: exit 1" test $? -eq 1
check "too small: message says so" grep -q "^thatte-mkesp: image too small" "$work/err"
check "failures leave nothing in the output folder" only_entries ""

"$mkesp" "$efi" 2>/dev/null
check "no -o: usage error 2" test $? -eq 2
"$mkesp" -o "$work/out/x.img" --size 0 "$efi" 2>/dev/null
check "--size 0: usage error 2" test $? -eq 2
"$mkesp" -o "$work/out/x.img" --add "$work/startup.nsh=/EFI/BOOT/bootx64.efi" "$efi" 2>/dev/null
check "--add over the boot file: usage error 2" test $? -eq 2
"$mkesp" --help | grep -q -- "--output"
check "--help describes the options" test $? -eq 0
"$mkesp" --version | grep -q "^thatte-mkesp "
check "--version prints the name" test $? -eq 0

exit $failed
