#!/usr/bin/env bash
# generate-matrix.sh OUTDIR: renders every option combination of
# tests/fixtures/matrix/combinations.txt into OUTDIR/<name>/ with the release binary, so the
# real-parser gate (scripts/apex-gate/check.sh) and the semantic gate
# (scripts/apex-gate/apex-ls-check.sh) can check each one. Each combination becomes an SFDX
# project: apex-ls needs an sfdx-project.json at its root, written after `generate` (which
# would otherwise read its sourceApiVersion) with the API version the files were generated for.
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
  meta=$(find "$out/$name/force-app" -name '*.cls-meta.xml' | sort | head -n 1)
  version=$(sed -n 's:.*<apiVersion>\(.*\)</apiVersion>.*:\1:p' "$meta")
  [ -n "$version" ] || { echo "generate-matrix: $name: no apiVersion in $meta" >&2; exit 1; }
  printf '{\n  "packageDirectories": [{ "path": "force-app", "default": true }],\n  "sourceApiVersion": "%s"\n}\n' \
    "$version" >"$out/$name/sfdx-project.json"
  count=$((count + 1))
done < "$root/tests/fixtures/matrix/combinations.txt"
echo "rendered $count combinations into $out"
