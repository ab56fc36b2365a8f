#!/usr/bin/env bash
# generate-matrix.sh OUTDIR: renders every option combination of
# tests/fixtures/matrix/combinations.txt into OUTDIR/<name>/ with the release binary, so the
# real-parser gate (scripts/apex-gate/check.sh) can check each one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: generate-matrix.sh OUTDIR}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/portal-disable"
count=0
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  name=${line%%:*}
  flags=${line#*:}
  rm -rf "${out:?}/$name"
  mkdir -p "$out/$name"
  # shellcheck disable=SC2086 # the flags are words on purpose
  (cd "$out/$name" && "$bin" generate $flags >/dev/null)
  count=$((count + 1))
done < "$root/tests/fixtures/matrix/combinations.txt"
echo "rendered $count combinations into $out"
