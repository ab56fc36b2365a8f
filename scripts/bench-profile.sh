#!/usr/bin/env bash
# bench-profile.sh [NAME...]: the release-profile candidates behind Cargo.toml's
# [profile.release], each built from scratch (an empty target folder, the crate cache warm)
# from a fresh clone of HEAD, with its build time, binary size and the time `package` takes
# on 4,999 generated classes (the compression-heavy command; hyperfine median of 5 runs).
#
# The candidates override the committed profile with `--config`, so the committed one is
# measured as "chosen". Wall time depends on what else the machine runs (the load average is
# printed with each line); the CPU time of the build (user + system) much less, so compare
# candidates by it.
# Needs hyperfine and GNU time (apt-get install -y hyperfine time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null 2>&1 || {
    echo "hyperfine is missing: apt-get install -y hyperfine" >&2
    exit 2
}
declare -A candidates=(
    [default]='opt-level=3 lto=false codegen-units=16 strip="none" panic="unwind"'
    [strip]='opt-level=3 lto=false codegen-units=16 strip="symbols" panic="unwind"'
    [strip-abort]='opt-level=3 lto=false codegen-units=16 strip="symbols" panic="abort"'
    [thin]='opt-level=3 lto="thin" codegen-units=16 strip="symbols" panic="unwind"'
    [fat-cgu1]='opt-level=3 lto="fat" codegen-units=1 strip="symbols" panic="unwind"'
    [fat-cgu1-abort]='opt-level=3 lto="fat" codegen-units=1 strip="symbols" panic="abort"'
    [cgu1]='opt-level=3 lto=false codegen-units=1 strip="symbols" panic="unwind"'
    [size]='opt-level="s" lto=false codegen-units=16 strip="symbols" panic="unwind"'
    [chosen]=''
)
order=(default strip strip-abort thin cgu1 fat-cgu1 fat-cgu1-abort size chosen)
if (($# > 0)); then order=("$@"); fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local "$root" "$work/clone"
cd "$work/clone"
cargo fetch --quiet

# The package benchmark's folder: 4,999 copies of the generated class, as bench-package.sh.
cargo build --release --quiet
bin=target/release/portal-disable
"$bin" generate --output-dir "$work/template" --entry-points >/dev/null
class=$(cat "$work/template/classes/PortalUserDisabler.cls")
meta=$(cat "$work/template/classes/PortalUserDisabler.cls-meta.xml")
src="$work/bench/force-app/main/default/classes"
mkdir -p "$src"
for ((i = 0; i < 4999; i++)); do
    name=$(printf 'Bench%05d' "$i")
    printf '%s\n' "${class//PortalUserDisabler/$name}" >"$src/$name.cls"
    printf '%s\n' "$meta" >"$src/$name.cls-meta.xml"
done

printf '%-15s %7s %6s %11s %11s  %s\n' candidate wall_s cpu_s binary_B package_ms "load average before / after"
for name in "${order[@]}"; do
    flags=()
    for setting in ${candidates[$name]}; do
        flags+=(--config "profile.release.$setting")
    done
    target="$work/target-$name"
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    CARGO_TARGET_DIR="$target" /usr/bin/time -f '%e %U %S' -o "$work/time-$name" \
        cargo build --release --quiet "${flags[@]}"
    read -r wall user sys <"$work/time-$name"
    load_after=$(cut -d' ' -f1 /proc/loadavg)
    candidate_bin="$target/release/portal-disable"
    (cd "$work/bench" && hyperfine --warmup 1 --runs 5 --shell=none --style none \
        --prepare "rm -f $work/out.zip" --export-json "$work/$name.json" \
        "$candidate_bin package --source-dir force-app --output $work/out.zip" >/dev/null)
    median=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$work/$name.json")
    printf '%-15s %7.1f %6.1f %11d %11d  %s / %s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" \
        "$(stat -c %s "$candidate_bin")" "$median" "$load_before" "$load_after"
    rm -rf "$target"
done
