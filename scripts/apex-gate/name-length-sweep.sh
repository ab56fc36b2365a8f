#!/usr/bin/env bash
# name-length-sweep.sh [--record] OUTDIR: prettier-checks the generated Apex for every length
# of class name a user can choose. The templates are laid out for the default names and
# src/apex/layout.rs re-fits lines whose length depends on the names; this proves the two
# together match prettier-plugin-apex for prefixes of 1 to 26 characters (26 + the longest
# suffix, "ContactTrigger", is the 40-character limit) and core class names of 27 to 40,
# in both modes, with every entry point: 80 sweep points.
#
# It also keeps tests/fixtures/prettier/sweep.tsv, which lets `cargo test` prove the same
# without Node: for every point, its generate flags and the sha256 of prettier's formatting of
# our output (see that folder's README). Without --record the recorded hashes must equal what
# prettier prints now (a stale fixture fails, with the command that re-records it); with
# --record the fixture is rewritten. Either way, every file must be prettier-clean.
#
# Needs: `npm ci` in this folder, cargo, sha256sum. Exit 0 clean and fresh, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
record=false
if [ "${1:-}" = --record ]; then
  record=true
  shift
fi
out=${1:?usage: name-length-sweep.sh [--record] OUTDIR}
fixture=$root/tests/fixtures/prettier/sweep.tsv
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/portal-disable"
all=invocable,queueable,rest,batch,trigger
letters=PortalUserDisablerAbcdefghijklmnop

# The points, one per line: name <TAB> generate flags <TAB> core class name ("-": derived).
points=$out/points.tsv
: >"$points"
for mode in disable deactivate; do
  for n in $(seq 1 26); do
    printf 'prefix-%s-%s\t--mode %s --entry-points %s --prefix %s\t-\n' \
      "$n" "$mode" "$mode" "$all" "${letters:0:$n}" >>"$points"
  done
  for n in $(seq 27 40); do
    printf 'core-%s-%s\t--mode %s --entry-points %s\t%s\n' \
      "$n" "$mode" "$mode" "$all" "$(printf 'C%.0s' $(seq 1 "$n"))" >>"$points"
  done
done

while IFS=$'\t' read -r name flags core; do
  dir="$out/$name"
  mkdir -p "$dir"
  [ "$core" = - ] || printf '[classes]\ncore = "%s"\n' "$core" >"$dir/portal-disable.toml"
  # shellcheck disable=SC2086 # the flags are words on purpose
  (cd "$dir" && "$bin" generate $flags >/dev/null)
done <"$points"

files=$(find "$out" -name '*.cls' -o -name '*.trigger' | wc -l)
plugin="$here/node_modules/prettier-plugin-apex/dist/src/index.js"
prettier() {
  "$here/node_modules/.bin/prettier" --plugin="$plugin" --config "$root/.prettierrc.json" \
    --ignore-path /dev/null --no-editorconfig "$@"
}
# prettier --write on a copy: the copy is what prettier prints, so a file that differs from
# its copy is not prettier-clean (what --check would say, with the diff), and the copy's
# hashes go into the fixture: one per point, over "<path> <sha256 of prettier's output>"
# lines in byte order of the paths (relative to the SFDX source folder), the construction
# tests/it/apex_checks/prettier_sweep.rs makes of our own output.
pretty=$out.prettier
rm -rf "$pretty"
cp -r "$out" "$pretty"
prettier --write "$pretty/**/*.{cls,trigger}" >"$out/prettier.log" 2>&1 ||
  { cat "$out/prettier.log"; echo "name-length sweep: prettier failed"; exit 1; }
status=0
if diff -r --exclude=prettier.log --exclude=prettier.diff "$out" "$pretty" >"$out/prettier.diff"; then
  echo "name-length sweep: $files files prettier-clean"
else
  head -n 40 "$out/prettier.diff"
  echo "name-length sweep: some of $files files are not prettier-clean (their diff to prettier's output above)"
  status=1
fi
recorded=$out/sweep.tsv
{
  echo "# Sweep points of scripts/apex-gate/name-length-sweep.sh and the sha256 of prettier's"
  echo "# formatting of the generated Apex at each (see README.md). Written by --record; do not edit."
  printf '# point\tgenerate flags\tcore class name (- derived)\tsha256\n'
  while IFS=$'\t' read -r name flags core; do
    sum=$(cd "$pretty/$name/force-app/main/default" &&
      find . -type f \( -name '*.cls' -o -name '*.trigger' \) | sed 's|^\./||' | LC_ALL=C sort |
      while IFS= read -r rel; do
        printf '%s %s\n' "$rel" "$(sha256sum <"$rel" | cut -d' ' -f1)"
      done | sha256sum | cut -d' ' -f1)
    printf '%s\t%s\t%s\t%s\n' "$name" "$flags" "$core" "$sum"
  done <"$points"
} >"$recorded"
rm -rf "$pretty"

if $record; then
  cp "$recorded" "$fixture"
  echo "name-length sweep: recorded $(grep -vc '^#' "$recorded") points into ${fixture#"$root"/}"
elif diff -u --label "${fixture#"$root"/} (committed)" --label "prettier now" "$fixture" "$recorded" >"$out/fixture.diff"; then
  echo "name-length sweep: ${fixture#"$root"/} matches prettier's output at every point"
else
  head -n 20 "$out/fixture.diff"
  echo "name-length sweep: ${fixture#"$root"/} is stale: the generated Apex changed since it was"
  echo "recorded. Re-record and commit it: bash scripts/apex-gate/name-length-sweep.sh --record $out"
  status=1
fi
exit $status
