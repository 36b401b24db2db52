#!/bin/sh
# tests/compositor/test-cli.sh: the installed-style binary: statically
# linked, --help/--version, exit codes for usage and runtime errors.
prog="$top_builddir/thatte-compositor"
n=0
failed=0
check() { # check NAME COMMAND...: one TAP point from a command's status
        name=$1; shift
        n=$((n + 1))
        if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; failed=1; fi
}
status_of() { "$@" >/dev/null 2>&1; echo $?; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

if command -v file >/dev/null 2>&1; then
        file -L "$prog" >"$tmp/file"
        check "file says statically linked" grep -q "statically linked" "$tmp/file"
        check "file does not say dynamically linked" sh -c '! grep -q "dynamically linked" "$1"' sh "$tmp/file"
else
        n=$((n + 1)); echo "ok $n # SKIP file(1) is not installed"
fi
"$prog" --version >"$tmp/version"
check "--version prints the package version" grep -qx "thatte-compositor [0-9][0-9.]*" "$tmp/version"
"$prog" --help >"$tmp/help"
check "--help describes --backend" grep -q -- "--backend" "$tmp/help"
check "bad option exits 2" test "$(status_of "$prog" --no-such-option)" = 2
check "bad --mode exits 2" test "$(status_of "$prog" --mode 12)" = 2
"$prog" --backend fbdev --device /dev/null 2>"$tmp/err"
check "fbdev on a non-framebuffer exits 1" test $? = 1
check "and says what failed" grep -q "^thatte-compositor: /dev/null is not a framebuffer" "$tmp/err"
"$prog" --backend drm --device /dev/null 2>"$tmp/err"
check "drm on a non-DRM device exits 1" test $? = 1
check "and says what failed" grep -q "^thatte-compositor: /dev/null cannot do modesetting" "$tmp/err"
"$prog" --backend fbdev --device "$tmp/missing" 2>"$tmp/err"
check "missing device exits 1" test $? = 1
echo "1..$n"
exit $failed
