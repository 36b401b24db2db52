#!/bin/bash
# menuconfig.sh: `thatte-driveros-make --kernel=thatte --menuconfig`. Without
# a terminal it is a usage error (exit 2) that leaves nothing; on a terminal
# (script(1) gives it one) the kernel's menuconfig comes up on the THATTE
# configuration, Esc Esc leaves it unchanged, the kept fragment in
# $XDG_CONFIG_HOME/thatte/driveros holds no option, the build goes on with
# the cached kernel and the MANIFEST says the fragment was read; no work
# folder is left in the cache.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
here=$(dirname -- "$0")
. "$here/../integration/lib.sh"
. "$here/lib-driveros.sh"

require_driveros
require_kernel_build
require_tool script mkfifo
[ -e /usr/include/ncurses.h ] || skip_all "no ncurses headers (menuconfig needs libncurses-dev)"
plan 8

make_args=(--cache "$drv_cache" --compositor "$drv_compositor" --init "$drv_init" --kernel=thatte --menuconfig)

"$drv_make" "${make_args[@]}" -o "$scratch/noterm" </dev/null >"$scratch/noterm.log" 2>&1
check "--menuconfig without a terminal exits 2" test $? = 2
check "... saying it needs one, leaving nothing" grep -q 'needs a terminal' "$scratch/noterm.log" &&
        test -z "$(ls -A "$scratch" | grep noterm | grep -v noterm.log)"

mkfifo "$scratch/keys" || bail_out "no fifo"
printf -v cmd '%q ' "$drv_make" "${make_args[@]}" -o "$scratch/img"
TERM=xterm script -qfec "$cmd" "$scratch/typescript" <"$scratch/keys" >/dev/null 2>&1 &
script_pid=$!
exec 3>"$scratch/keys"
wait_for_line "$scratch/typescript" 'Linux/x86(_64)? [0-9.]+ Kernel Configuration' 900
check "menuconfig comes up on a terminal" test $? = 0
printf '\033\033' >&3
for ((i = 0; i < 3000; i++)); do kill -0 "$script_pid" 2>/dev/null || break; sleep 0.1; done
exec 3>&-
wait "$script_pid"
check "the build ends well after menuconfig" test $? = 0 || diag_file "$scratch/typescript"
kept=$XDG_CONFIG_HOME/thatte/driveros/kernel.config
check "the kept fragment exists and holds no option" test -f "$kept" -a -z "$(grep -v '^#' "$kept")"
check "the output says so" grep -aq "kept 0 changed options in $kept" "$scratch/typescript"
check "the MANIFEST says the kept fragment was read" grep -q '^# kernel-user-fragment: yes' "$scratch/img/MANIFEST"
check "no menuconfig work folder left in the cache" test ! -e "$drv_cache/kernel/menuconfig.tmp"
finish
