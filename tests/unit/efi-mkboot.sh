#!/bin/sh
# tests/unit/efi-mkboot.sh: the built thatte-mkboot with the built loader
# and the test kernel (tests/boot/): a good image gets the three payload
# sections; bad payloads (not ELF, wrong machine, overlapping segments,
# truncated, misplaced) and a loader that was packed before are refused
# with exit 1, a message naming the file, and nothing written at or next to
# the output path (an existing output stays as it was); usage errors exit 2.
# --sign without sbsign or with an unreadable key fails the same way
# (tests/boot/uefi-secureboot.sh signs for real). DriverOS's guest images:
# a good set becomes the .gkernel/.ginitrd/.gcmdln sections; guest kernels
# that are no bzImage (text, no 0xAA55, no HdrS, protocol 2.11, no 64-bit
# entry, code past the end, a folder) and an empty initrd are refused the
# same way, in the UEFI file and with --direct; misused guest and
# --direct options are usage errors.

mkboot="$top_builddir/efi/thatte-mkboot"
loader="$top_builddir/efi/thatte-boot.efi"
kernel="$top_builddir/tests/boot/thatte-test-kernel.elf"
root="$top_builddir/tests/boot/thatte-test-root.elf"

work=$(mktemp -d "${TMPDIR:-/tmp}/thatte-mkboot-test.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT

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

# The output folder holds only what we put there.
only_entries() {
        test "$(ls -A "$work/out" | tr '\n' ' ')" = "$1"
}

# patch FILE OFFSET OCTAL-ESCAPES: overwrite bytes in place.
patch() {
        printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# copy_bytes FILE FROM TO COUNT: copy COUNT bytes inside FILE.
copy_bytes() {
        dd if="$1" bs=1 skip="$2" count="$4" 2>/dev/null >"$work/chunk" &&
                dd if="$work/chunk" of="$1" bs=1 seek="$3" conv=notrunc 2>/dev/null
}

# refused NAME ARGS...: thatte-mkboot must exit 1, say something naming the
# bad file, and leave out/ as it was (only old.efi, with its old content).
refused() {
        name=$1 file=$2
        shift 2
        "$mkboot" -o "$work/out/old.efi" "$@" 2>"$work/err"
        status=$?
        check "$name: exit 1" test $status -eq 1
        check "$name: message names the file" grep -qF "thatte-mkboot: $file: " "$work/err"
        check "$name: old output untouched, no temporary file" \
                sh -c 'test "$(cat "$1/out/old.efi")" = old' sh "$work" && only_entries "old.efi "
        sed -e 's/^/# /' "$work/err"
}

echo "1..80"
mkdir "$work/out"

"$mkboot" -o "$work/out/good.efi" --loader "$loader" --kernel "$kernel" --root "$root" \
        --cmdline "thatte.test=panic" 2>"$work/err"
check "good image: exit 0" test $? -eq 0
check "good image: quiet" test ! -s "$work/err"
check "good image: no temporary file left" only_entries "good.efi "
if command -v objdump >/dev/null 2>&1; then
        objdump -h "$work/out/good.efi" >"$work/sections" 2>&1
        check "good image: objdump sees .kernel, .root and .cmdline" \
                sh -c 'grep -q " \.kernel " "$1" && grep -q " \.root " "$1" && grep -q " \.cmdline " "$1"' \
                sh "$work/sections"
        objdump -s -j .cmdline "$work/out/good.efi" >"$work/cmdline" 2>&1
        check "good image: .cmdline holds the text" grep -q "thatte.test=pan" "$work/cmdline"
else
        echo "ok 4 # SKIP objdump not found"
        echo "ok 5 # SKIP objdump not found"
        n=5
fi
rm -f "$work/out/good.efi"
printf old >"$work/out/old.efi"

printf 'just text, not an ELF file at all, long enough to have a header\n' >"$work/text.elf"
refused "not ELF" "$work/text.elf" --loader "$loader" --kernel "$work/text.elf" --root "$root"

cp "$kernel" "$work/i386.elf" && patch "$work/i386.elf" 18 '\003\000'
refused "wrong machine" "$work/i386.elf" --loader "$loader" --kernel "$work/i386.elf" --root "$root"

phoff=$(od -An -t u8 -j 32 -N 8 "$kernel" | tr -d ' ')
cp "$kernel" "$work/overlap.elf" && copy_bytes "$work/overlap.elf" $((phoff + 8)) $((phoff + 56 + 8)) 24
refused "overlapping segments" "$work/overlap.elf" --loader "$loader" --kernel "$work/overlap.elf" --root "$root"
check "overlapping segments: said so" grep -q "overlaps" "$work/err"

head -c 5000 "$kernel" >"$work/short.elf"
refused "truncated kernel" "$work/short.elf" --loader "$loader" --kernel "$work/short.elf" --root "$root"

refused "root task given as kernel" "$root" --loader "$loader" --kernel "$root" --root "$root"

"$mkboot" -o "$work/packed.efi" --loader "$loader" --kernel "$kernel" --root "$root"
refused "packed image as loader" "$work/packed.efi" --loader "$work/packed.efi" --kernel "$kernel" --root "$root"

"$mkboot" --loader "$loader" --kernel "$kernel" --root "$root" 2>/dev/null
check "no output: exit 2" test $? -eq 2
"$mkboot" -o "$work/out/x.efi" extra 2>/dev/null
check "extra argument: exit 2" test $? -eq 2
"$mkboot" --help >"$work/help"
check "--help: exit 0 and usage" grep -q "^Usage: thatte-mkboot" "$work/help"
check "--version: exit 0" "$mkboot" --version

# Signing: the options go together; a key that cannot be read, or no
# sbsign in PATH, fail before anything appears at the output path.
"$mkboot" -o "$work/out/s.efi" --sign "$work/text.elf" 2>/dev/null
check "--sign without --cert: exit 2" test $? -eq 2
"$mkboot" -o "$work/out/s.efi" --cert "$work/text.elf" 2>/dev/null
check "--cert without --sign: exit 2" test $? -eq 2
"$mkboot" -o "$work/out/s.efi" --loader "$loader" --kernel "$kernel" --root "$root" \
        --sign "$work/no-such.key" --cert "$work/text.elf" 2>"$work/err"
check "unreadable key: exit 1" test $? -eq 1
check "unreadable key: message names it" grep -qF "$work/no-such.key" "$work/err"
PATH=/nonexistent "$mkboot" -o "$work/out/s.efi" --loader "$loader" --kernel "$kernel" --root "$root" \
        --sign "$work/text.elf" --cert "$work/text.elf" 2>"$work/err"
check "no sbsign: exit 1" test $? -eq 1
check "no sbsign: says which package" grep -q "sbsigntool" "$work/err"
check "failed signing: old output untouched, no temporary file" only_entries "old.efi "

# DriverOS's guest images.
bz="$work/bzImage"
sh "$(dirname -- "$0")/../boot/dummy-bzimage.sh" "$bz"
printf 'initramfs' >"$work/initrd"
"$mkboot" -o "$work/out/guest.efi" --loader "$loader" --kernel "$kernel" --root "$root" \
        --guest-kernel "$bz" --guest-initrd "$work/initrd" --guest-cmdline "console=ttyS0" 2>"$work/err"
check "guest images: exit 0" test $? -eq 0
if command -v objdump >/dev/null 2>&1; then
        objdump -h "$work/out/guest.efi" >"$work/sections" 2>&1
        check "guest images: objdump sees .gkernel, .ginitrd and .gcmdln" \
                sh -c 'grep -q " \.gkernel " "$1" && grep -q " \.ginitrd " "$1" && grep -q " \.gcmdln " "$1"' \
                sh "$work/sections"
        objdump -s -j .gcmdln "$work/out/guest.efi" >"$work/cmdline" 2>&1
        check "guest images: .gcmdln holds the text" grep -q "console=ttyS0" "$work/cmdline"
else
        n=$((n + 2))
        echo "ok $((n - 1)) # SKIP objdump not found"
        echo "ok $n # SKIP objdump not found"
fi
rm -f "$work/out/guest.efi"

# bad_bz NAME OFFSET BYTES: a copy of the good stand-in with BYTES at OFFSET.
bad_bz() {
        cp "$bz" "$work/$1" && patch "$work/$1" "$2" "$3"
}
bad_bz no-aa55 $((0x1fe)) '\000\000'
bad_bz no-hdrs $((0x202)) 'HdrX'
bad_bz old-proto $((0x206)) '\013\002'
bad_bz no-64 $((0x236)) '\000'
bad_bz past-end $((0x1f4)) '\377'
for f in text.elf no-aa55 no-hdrs old-proto no-64 past-end; do
        case $f in
        text.elf) why="too short" ;; no-aa55) why="0xAA55" ;; no-hdrs) why="HdrS" ;;
        old-proto) why="2.12" ;; no-64) why="64-bit" ;; past-end) why="past the end" ;;
        esac
        refused "guest kernel $f" "$work/$f" --loader "$loader" --kernel "$kernel" --root "$root" \
                --guest-kernel "$work/$f"
        check "guest kernel $f: says why ($why)" grep -qF "$why" "$work/err"
done
mkdir "$work/folder"
refused "guest kernel a folder" "$work/folder" --loader "$loader" --kernel "$kernel" --root "$root" \
        --guest-kernel "$work/folder"
: >"$work/empty"
refused "empty guest initrd" "$work/empty" --loader "$loader" --kernel "$kernel" --root "$root" \
        --guest-kernel "$bz" --guest-initrd "$work/empty"
refused "direct: bad root" "$work/text.elf" --direct --root "$work/text.elf"
refused "direct: bad guest kernel" "$work/no-64" --direct --root "$root" --guest-kernel "$work/no-64"

usage() {
        name=$1
        shift
        "$mkboot" -o "$work/out/old.efi" "$@" 2>/dev/null
        check "$name: exit 2" test $? -eq 2
}
usage "guest initrd without guest kernel" --guest-initrd "$work/initrd"
usage "guest command line without guest kernel" --guest-cmdline x
usage "guest command line of 2048 bytes" --guest-kernel "$bz" \
        --guest-cmdline "$(head -c 2048 /dev/zero | tr '\0' x)"
usage "--direct with --kernel" --direct --kernel "$kernel"
usage "--direct with --sign" --direct --sign "$work/text.elf" --cert "$work/text.elf"
check "usage errors: old output untouched, no temporary file" only_entries "old.efi "

exit $failed
