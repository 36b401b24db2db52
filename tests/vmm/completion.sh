#!/bin/bash
# tests/vmm/completion.sh: the bash completions of every THATTE program,
# run through bash-completion itself as a shell does on TAB: verbs and
# options (read from each program's --help), option values, and for
# thatte-vmm only the profiles that can boot (one naming a missing kernel
# is left out), VMs with a state folder for log, delete and snapshot, a
# stopped VM's snapshot tags, NAME: for copy, nothing after exec's --.
# THATTE_COMPLETIONS (a folder, e.g. the installed
# /usr/share/bash-completion/completions) and PATH test installed programs.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(dirname -- "$0")/../..}/tests/integration/lib.sh"
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || skip_all "bash-completion is not installed"
dir=${THATTE_COMPLETIONS:-$top_srcdir/data/bash-completion}
if [ -z "${THATTE_COMPLETIONS:-}" ]; then
        PATH=$top_builddir:$top_builddir/vmm:$top_builddir/efi:$PATH
fi
export XDG_RUNTIME_DIR=$scratch/run XDG_CONFIG_HOME=$scratch/config XDG_STATE_HOME=$scratch/state
mkdir -p -m 700 "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME/thatte/vms"
printf '[vm]\nname = "bootable"\n[boot]\nfirmware = "bios"\n' >"$XDG_CONFIG_HOME/thatte/vms/bootable.toml"
printf '[vm]\nname = "broken"\n[boot]\nfirmware = "none"\nkernel = "%s/missing"\n' "$scratch" \
        >"$XDG_CONFIG_HOME/thatte/vms/broken.toml"
mkdir -p "$XDG_STATE_HOME/thatte-vmm/kept"        # a VM with state and no profile
plan 29
mkdir "$scratch/cwd" && cd "$scratch/cwd" || bail_out "no scratch folder"    # no files to offer

# Sourcing bash-completion under `set -u` or with our traps would be unfair to it.
. "$bc"
# complete_line LINE: what TAB offers at the end of LINE, one per line, sorted.
complete_line() {
        local line=$1 prog
        read -ra COMP_WORDS <<<"$line"
        [[ $line == *" " ]] && COMP_WORDS+=("")
        prog=${COMP_WORDS[0]}
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line COMP_POINT=${#line}
        COMPREPLY=()
        . "$dir/$prog"
        # compopt complains outside a real completion; what it would set does not matter here.
        "$(complete -p "$prog" | sed 's/.*-F \([^ ]*\) .*/\1/')" "$prog" "${COMP_WORDS[COMP_CWORD]}" \
                "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
        printf '%s\n' "${COMPREPLY[@]}" | sort
}
# offers LINE WORD...: TAB after LINE offers exactly WORDs.
offers() {
        local line=$1 got want
        shift
        got=$(complete_line "$line" | tr '\n' ' ')
        want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
        check "'$line<TAB>' offers $*" test "$got" = "$want" || diag "got: $got"
}
have() { command -v "$1" >/dev/null; }

offers "thatte-vmm st" start status stop
# Every verb --help lists, and no other.
offers "thatte-vmm " $(thatte-vmm --help | sed -n '/^Verbs:/,/^$/s/^  \([a-z-]*\) .*/\1/p') --cfg --quiet --help --version
offers "thatte-vmm strat" 
# Prefixes keep the profiles installed system-wide (autopkgtest) out of the answer.
offers "thatte-vmm start b" bootable
offers "thatte-vmm doctor --r" --refresh
offers "thatte-vmm send-key bootable a --ho" --hold-time
offers "thatte-vmm pointer bootable cl" click click:
offers "thatte-vmm start x --acc" --accel
offers "thatte-vmm run x --display " auto gtk none sdl spice vnc
offers "thatte-vmm list --a" --all
offers "thatte-vmm log --f" --follow
offers "thatte-vmm delete b" bootable
offers "thatte-vmm delete k" kept
offers "thatte-vmm snapshot " kept
offers "thatte-vmm snapshot kept " delete list load save
offers "thatte-vmm snapshot kept save " 
offers "thatte-vmm exec bootable -- " 
offers "thatte-vmm copy boo" bootable:
if have qemu-img && qemu-img create -q -f qcow2 "$XDG_STATE_HOME/thatte-vmm/kept/disk0.qcow2" 1M &&
   qemu-img snapshot -c before-upgrade "$XDG_STATE_HOME/thatte-vmm/kept/disk0.qcow2"; then
        offers "thatte-vmm snapshot kept load " before-upgrade
else
        check "qemu-img makes an overlay with a snapshot" false
fi
for prog in thatte-driveros-run thatte-driveros-make thatte-mkesp thatte-mkboot thatte-mkimage thatte-compositor; do
        have "$prog" || skip_all "$prog is not built (or not on PATH)"
done
offers "thatte-driveros-run --accel " auto kvm tcg
offers "thatte-driveros-run --h" --headless --help
offers "thatte-driveros-make --mo" --mode= --module= --modules=
offers "thatte-driveros-make --mode " disk initramfs
offers "thatte-driveros-make --arch " amd64 arm64
offers "thatte-mkesp --o" --output=
offers "thatte-mkboot --k" --kernel=
offers "thatte-mkimage --i" --iso
offers "thatte-compositor --backend " auto drm fbdev ppm
offers "thatte-display-client --pa" --pattern
finish
