#!/usr/bin/env bash
# apex-ls-check.sh PROJECT_DIR...: the semantic gate. Runs apex-ls (apex-dev-tools' Apex
# language server, `io.github.apexdevtools.apexls.CheckForIssues`) over each SFDX project
# (a folder with an sfdx-project.json at its root) and prints every issue it reports as
#   FILE:LINE:COL: CATEGORY: message
# apex-ls resolves types, methods, fields and argument types across the project's classes and
# Salesforce's platform types, so it finds what a syntax check cannot: an unknown variable, a
# call no overload accepts (`Map<Id, SObject>` passed where `Map<Id, Contact>` is declared), a
# wrong assignment. It does not check SOQL field names, fields of a standard object the project
# extends, or cross-class visibility: tests/it/apex_checks covers those in `cargo test`.
#
# The jars come with the npm package @salesforce/code-analyzer-pmd-engine (dist/java-lib/,
# pinned in package.json; `npm ci` in this folder) and need Java 17 or later. The apex-ls
# version is read from the jar's manifest and must be $APEX_LS_VERSION (default 6.0.2): an
# engine update that changes it fails here instead of silently changing what is checked.
#
# Every category apex-ls reports with `--detail warnings` fails the gate (Syntax, Error,
# Missing, Warning): the generated Apex has none today, and any new one is worth a look.
# Unused-code findings (`--detail unused`) are not asked for: a library's public API is
# unused within itself by design.
#
# Exit: 0 no issue, 1 issues, 2 the gate could not run (missing tool, jar version, no project).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=${APEX_LS_LIB:-$here/node_modules/@salesforce/code-analyzer-pmd-engine/dist/java-lib}
want_version=${APEX_LS_VERSION:-6.0.2}

die() { echo "apex-ls-check: $*" >&2; exit 2; }

[ $# -gt 0 ] || die "usage: $(basename "$0") PROJECT_DIR... (each with an sfdx-project.json)"
for tool in java jq unzip; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (see .ci/run for how it is installed)"
done
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
[ "${java_major:-0}" -ge 17 ] || die "apex-ls needs Java 17 or later, found: $(java -version 2>&1 | head -n 1)"

jars=("$lib"/apex-ls_2.13-*.jar)
[ -f "${jars[0]}" ] || die "no apex-ls jar under $lib: run npm ci --prefix scripts/apex-gate"
[ ${#jars[@]} -eq 1 ] || die "more than one apex-ls jar under $lib: ${jars[*]}"
version=$(unzip -p "${jars[0]}" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *\([^[:space:]]*\).*/\1/p')
[ "$version" = "$want_version" ] ||
    die "apex-ls in $lib is '${version:-unknown}', expected $want_version (set APEX_LS_VERSION to accept another)"

status=0
for project in "$@"; do
    [ -f "$project/sfdx-project.json" ] || die "$project: no sfdx-project.json at its root (apex-ls needs one)"
    # -n: no cache, so a result never comes from an earlier run of other sources. The JVM
    # lives a few seconds: C1 only and the serial collector halve its CPU time (measured),
    # C2 would never pay off. APEX_LS_JAVA_OPTS replaces these options.
    # shellcheck disable=SC2086 # the options are words on purpose
    json=$(java ${APEX_LS_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -cp "$lib/*" io.github.apexdevtools.apexls.CheckForIssues \
        -n -f json -d warnings -w "$project" 2>&1)
    rc=$?
    # CheckForIssues exits 4 when it reported issues, 0 when none; anything else is a crash.
    if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
        printf 'apex-ls-check: apex-ls failed on %s (exit %s):\n%s\n' "$project" "$rc" "$(head -c 2000 <<<"$json")" >&2
        exit 2
    fi
    base=$(cd "$project" && pwd)
    shown=${project%/}/
    [ "$project" != . ] || shown=
    # Paths relative to the folder the caller named; apex-ls columns are 0-based offsets.
    if ! issues=$(jq -r --arg base "$base/" --arg shown "$shown" '
            .files[]? | (.path | ltrimstr($base) | $shown + .) as $file
            | .messages[]
            | "\($file):\(.start.line):\(.start.offset + 1): \(.category): \(.message)"' <<<"$json" 2>&1); then
        printf 'apex-ls-check: apex-ls output on %s was not the expected JSON (%s):\n%s\n' \
            "$project" "$issues" "$(head -c 500 <<<"$json")" >&2
        exit 2
    fi
    if [ $rc -eq 4 ] && [ -z "$issues" ]; then
        die "apex-ls exited 4 on $project but listed no issue"
    fi
    if [ -n "$issues" ]; then
        printf '%s\n' "$issues"
        status=1
    fi
done
exit $status
