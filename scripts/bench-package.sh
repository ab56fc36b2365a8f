#!/usr/bin/env bash
# bench-package.sh [CLASSES]: `portal-disable package` against `zip -qr -9` of the same folder,
# side by side in one hyperfine run per case, plus the peak RSS of ours. Two cases:
#
# - large: CLASSES copies of the generated PortalUserDisabler class (about 3.9 KB each) and
#   its meta file, 39 MB of sources;
# - small: CLASSES classes of about 100 bytes of Apex and their 174-byte meta files, where
#   the per-file cost (opening, reading, setting up the compressor) is everything.
#
# Default 4,999 classes: 9,998 files plus package.xml, the most a deploy takes (the server
# counts every zip entry against 10,000; 5,000 classes would be 10,001 and are refused).
# PORTAL_DISABLE_BIN=path measures that binary instead of building this checkout;
# BASELINE_BIN=path adds a second portal-disable (an older build) to each run.
# Needs hyperfine, zip and GNU time (apt-get install -y hyperfine zip time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
classes=${1:-4999}
for tool in hyperfine zip /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$tool is missing: apt-get install -y hyperfine zip time" >&2
        exit 2
    }
done
if [[ -n ${PORTAL_DISABLE_BIN:-} ]]; then
    bin=$PORTAL_DISABLE_BIN
else
    cargo build --release --quiet --manifest-path "$root/Cargo.toml"
    bin="${CARGO_TARGET_DIR:-$root/target}/release/portal-disable"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "$(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# One generated class and its meta file, the large case's template.
"$bin" generate --output-dir template --entry-points >/dev/null
large_class=$(cat template/classes/PortalUserDisabler.cls)
meta=$(cat template/classes/PortalUserDisabler.cls-meta.xml)

for case in large small; do
    src=$case/force-app/main/default/classes
    mkdir -p "$src"
    for ((i = 0; i < classes; i++)); do
        name=$(printf 'Bench%05d' "$i")
        if [[ $case == large ]]; then
            printf '%s\n' "${large_class//PortalUserDisabler/$name}" >"$src/$name.cls"
        else
            printf 'public with sharing class %s {\n    public static Integer value() {\n        return %d;\n    }\n}\n' \
                "$name" "$i" >"$src/$name.cls"
        fi
        printf '%s\n' "$meta" >"$src/$name.cls-meta.xml"
    done
    echo
    echo "== $case: $classes classes, $(find "$case/force-app" -type f | wc -l) files, $(du -sb "$case/force-app" | cut -f1) bytes in force-app/"
    cd "$case"
    baseline=()
    if [[ -n ${BASELINE_BIN:-} ]]; then
        baseline=(-n "baseline package" "$BASELINE_BIN package --source-dir force-app --output $work/base.zip")
    fi
    hyperfine --warmup 3 --runs 15 --shell=none --style basic \
        --prepare "rm -f $work/ours.zip $work/zip9.zip $work/base.zip" \
        --export-json "$work/$case.json" \
        -n "portal-disable package" "$bin package --source-dir force-app --output $work/ours.zip" \
        -n "zip -qr -9" "zip -qr -9 $work/zip9.zip force-app" \
        "${baseline[@]}" >"$work/$case.hyperfine.txt"
    rm -f "$work/zip9.zip"
    zip -qr -9 "$work/zip9.zip" force-app
    /usr/bin/time -v "$bin" package --source-dir force-app --output "$work/ours.zip" 2>"$work/time.txt" >/dev/null
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    python3 - "$work/$case.json" "$rss" "$(stat -c %s "$work/ours.zip")" "$(stat -c %s "$work/zip9.zip")" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ours, zip9 = results[0], results[1]
rss_kib, ours_size, zip_size = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for r in results:
    print(f"{r['command']}: median {r['median'] * 1000:.0f} ms (user {r['user'] * 1000:.0f} ms, system {r['system'] * 1000:.0f} ms)")
print(f"ratio (ours / zip -9, medians): {ours['median'] / zip9['median']:.2f}")
for r in results[2:]:
    print(f"ratio (ours / {r['command']}, medians): {ours['median'] / r['median']:.2f}")
print(f"peak RSS of portal-disable package: {rss_kib / 1024:.1f} MiB")
print(f"zip sizes: ours {ours_size:,} bytes, zip -9 {zip_size:,} bytes")
PY
    cd "$work"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
