#!/usr/bin/env bash
# name-length-sweep.sh OUTDIR: prettier-checks the generated Apex for every length of class
# name a user can choose. The templates are laid out for the default names and
# src/apex/layout.rs re-fits lines whose length depends on the names; this proves the two
# together match prettier-plugin-apex for prefixes of 1 to 26 characters (26 + the longest
# suffix, "ContactTrigger", is the 40-character limit) and core class names of 27 to 40,
# in both modes, with every entry point.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: name-length-sweep.sh OUTDIR}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/portal-disable"
all=invocable,queueable,rest,batch,trigger
letters=PortalUserDisablerAbcdefghijklmnop
for mode in disable deactivate; do
  for n in $(seq 1 26); do
    dir="$out/prefix-$n-$mode"
    mkdir -p "$dir"
    (cd "$dir" && "$bin" generate --mode "$mode" --entry-points "$all" --prefix "${letters:0:$n}" >/dev/null)
  done
  for n in $(seq 27 40); do
    dir="$out/core-$n-$mode"
    mkdir -p "$dir"
    printf '[classes]\ncore = "%s"\n' "$(printf 'C%.0s' $(seq 1 "$n"))" >"$dir/portal-disable.toml"
    (cd "$dir" && "$bin" generate --mode "$mode" --entry-points "$all" >/dev/null)
  done
done
files=$(find "$out" -name '*.cls' -o -name '*.trigger' | wc -l)
plugin="$here/node_modules/prettier-plugin-apex/dist/src/index.js"
if "$here/node_modules/.bin/prettier" --plugin="$plugin" --config "$root/.prettierrc.json" \
  --ignore-path /dev/null --no-editorconfig --check "$out/**/*.{cls,trigger}" >"$out/prettier.log" 2>&1; then
  echo "name-length sweep: $files files prettier-clean"
else
  grep -v '^Checking' "$out/prettier.log" | head -40
  echo "name-length sweep: some of $files files are not prettier-clean (see above)"
  exit 1
fi
