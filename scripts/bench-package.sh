#!/usr/bin/env bash
# bench-package.sh [CLASSES]: `portal-disable package` of a folder of generated classes against
# `zip -qr -9` of the same folder, in the same hyperfine run, plus the peak RSS of ours.
#
# Default 4,999 classes: 9,998 files plus package.xml, the most a deploy takes (the server
# counts every zip entry against 10,000; 5,000 classes would be 10,001 and are refused).
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
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/portal-disable"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# One generated class and its meta file, copied CLASSES times under other names.
"$bin" generate --output-dir template --entry-points >/dev/null
class=$(cat template/classes/PortalUserDisabler.cls)
meta=$(cat template/classes/PortalUserDisabler.cls-meta.xml)
src=force-app/main/default/classes
mkdir -p "$src"
for ((i = 0; i < classes; i++)); do
    name=$(printf 'Bench%05d' "$i")
    printf '%s\n' "${class//PortalUserDisabler/$name}" >"$src/$name.cls"
    printf '%s\n' "$meta" >"$src/$name.cls-meta.xml"
done
echo "$classes classes, $(find force-app -type f | wc -l) files, $(du -sb force-app | cut -f1) bytes in force-app/"

hyperfine --warmup 3 --runs 15 --shell=none \
    --prepare "rm -f $work/ours.zip $work/zip9.zip" \
    --export-json "$work/bench.json" \
    -n "portal-disable package" "$bin package --source-dir force-app --output $work/ours.zip" \
    -n "zip -qr -9" "zip -qr -9 $work/zip9.zip force-app"

/usr/bin/time -v "$bin" package --source-dir force-app --output "$work/ours.zip" 2>"$work/time.txt" >/dev/null
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
python3 - "$work/bench.json" "$rss" "$(stat -c %s "$work/ours.zip")" "$(stat -c %s "$work/zip9.zip")" <<'PY'
import json, sys
ours, zip9 = json.load(open(sys.argv[1]))["results"]
rss_kib, ours_size, zip_size = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"portal-disable package: median {ours['median'] * 1000:.0f} ms, zip -qr -9: median {zip9['median'] * 1000:.0f} ms")
print(f"ratio (ours / zip -9, medians): {ours['median'] / zip9['median']:.2f}")
print(f"peak RSS of portal-disable package: {rss_kib / 1024:.1f} MiB")
print(f"zip sizes: ours {ours_size:,} bytes, zip -9 {zip_size:,} bytes")
PY
