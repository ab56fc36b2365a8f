#!/usr/bin/env bash
# bench-build.sh [REV] [--test]: how long a new user waits, from a fresh clone of REV (default
# HEAD) with the crate cache warm and an empty target folder.
#
# Times `cargo run --release -- generate` (the first command of the README) with
# `--timings`, and with --test also `cargo test` (build and run) in a second empty target
# folder; prints the crates compiled, the release binary's size and its stripped size, and
# copies the timing reports to target/bench-build/. The downloads are done first, untimed
# (`cargo fetch`): only compiling counts. Other builds running at the same time slow the wall
# time down (the load average is printed before and after); the CPU time (user + system) of
# the build is printed beside it, and moves much less.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rev=HEAD
with_test=false
for arg in "$@"; do
    case "$arg" in
    --test) with_test=true ;;
    *) rev=$arg ;;
    esac
done
out="$root/target/bench-build"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local "$root" "$work/clone"
git -C "$work/clone" checkout --quiet "$(git -C "$root" rev-parse "$rev")"
cd "$work/clone"
cargo fetch --quiet
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

export CARGO_TARGET_DIR="$work/target-release"
/usr/bin/time -f '%e %U %S' -o "$work/run.time" \
    cargo run --release --timings -- generate >"$work/run.log" 2>&1 || {
    cat "$work/run.log" >&2
    exit 1
}
read -r wall user sys <"$work/run.time"
crates=$(grep -c '^ *Compiling ' "$work/run.log")
bin="$CARGO_TARGET_DIR/release/portal-disable"
strip -o "$work/stripped" "$bin"
cp "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing.html "$out/release-$(git rev-parse --short HEAD).html"
printf 'cargo run --release -- generate: %.1f s (CPU %.1f s), %d crates compiled\n' "$wall" "$(echo "$user + $sys" | bc)" "$crates"
printf 'release binary: %s bytes (%s bytes stripped)\n' "$(stat -c %s "$bin")" "$(stat -c %s "$work/stripped")"

if $with_test; then
    export CARGO_TARGET_DIR="$work/target-test"
    rm -rf force-app
    /usr/bin/time -f '%e %U %S' -o "$work/test.time" cargo test --timings >"$work/test.log" 2>&1 || {
        tail -50 "$work/test.log" >&2
        exit 1
    }
    read -r wall user sys <"$work/test.time"
    crates=$(grep -c '^ *Compiling ' "$work/test.log")
    cp "$CARGO_TARGET_DIR"/cargo-timings/cargo-timing.html "$out/test-$(git rev-parse --short HEAD).html"
    printf 'cargo test (build and run): %.1f s (CPU %.1f s), %d crates compiled\n' "$wall" "$(echo "$user + $sys" | bc)" "$crates"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); timing reports in $out"
