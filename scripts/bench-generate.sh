#!/usr/bin/env bash
# bench-generate.sh: `portal-disable generate` as a whole process (start-up, settings,
# rendering, writing eight files), timed by hyperfine in a fresh folder per run.
# Prints hyperfine's summary; the README records the median.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v hyperfine >/dev/null 2>&1 || {
  echo "hyperfine is missing: apt-get install -y hyperfine" >&2
  exit 2
}
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/portal-disable"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
hyperfine --warmup 20 --runs 300 --shell=none \
  --prepare "rm -rf $work/force-app" \
  --export-json "$work/generate.json" \
  "$bin generate"
python3 - "$work/generate.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"median {r['median'] * 1000:.2f} ms, mean {r['mean'] * 1000:.2f} ms, min {r['min'] * 1000:.2f} ms over {len(r['times'])} runs")
PY
