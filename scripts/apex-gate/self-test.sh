#!/usr/bin/env bash
# self-test.sh: proves the gate's checks can fail. Runs apex-ls-check.sh, lint-apex.cjs (with
# the gate's rules, rules.sh) and verify-standard-fields.py over the samples in self-test/ (see
# its README) and compares what they report with self-test/*/expected.txt.
# Exit: 0 every check reported exactly what it must, 1 otherwise, 2 a tool could not run.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
samples=$here/self-test
# shellcheck source-path=SCRIPTDIR source=rules.sh
. "$here/rules.sh"
failed=0
check() { # name, expected exit, expected file or "", actual exit, actual output
    local name=$1 want_rc=$2 expected=$3 rc=$4 out=$5
    if [ "$rc" -ge 2 ]; then
        echo "self-test: $name: the tool did not run (exit $rc):"
        printf '%s\n' "$out" | head -n 20
        exit 2
    fi
    if [ "$rc" -ne "$want_rc" ]; then
        echo "FAIL  $name: exit $rc, expected $want_rc"
        printf '%s\n' "$out" | sed 's/^/      /'
        failed=1
    elif [ -n "$expected" ] && ! diff -u --label expected --label reported "$expected" <(printf '%s\n' "$out") >"$samples/.diff"; then
        echo "FAIL  $name: reported something else than $(basename "$(dirname "$expected")")/expected.txt:"
        sed 's/^/      /' "$samples/.diff"
        failed=1
    else
        echo "ok    $name"
    fi
    rm -f "$samples/.diff"
}

# apex-ls: the Map narrowing of issue 10 item 1 fails, the cast version passes. Paths are shown
# relative to the project folder so the expectation does not depend on where the repo is.
out=$(cd "$samples/map-narrowing" && bash "$here/apex-ls-check.sh" . 2>&1)
rc=$?
check "apex-ls reports the Map<Id, SObject> narrowing" 1 "$samples/map-narrowing/expected.txt" "$rc" "$out"
out=$(bash "$here/apex-ls-check.sh" "$samples/map-narrowing-cast" 2>&1)
check "apex-ls accepts the explicit cast" 0 "" "$?" "$out"

# PMD and the suppression checks: FILE:LINE: RULE for every finding.
out=$(cd "$samples/pmd" && node "$here/lint-apex.cjs" --rules "$APEX_GATE_RULES" \
    ${APEX_GATE_NOT_IN_TESTS:+--not-in-tests "$APEX_GATE_NOT_IN_TESTS"} . 2>"$samples/.pmd.err")
rc=$?
[ $rc -lt 2 ] || out+=$'\n'$(cat "$samples/.pmd.err")
rm -f "$samples/.pmd.err"
findings=$(sed -n 's|^\([^:]*\):\([0-9]*\):[0-9?]*: \([A-Za-z]*\) .*|\1:\2: \3|p' <<<"$out")
[ $rc -ge 2 ] && findings=$out
check "PMD rules and suppression checks find every planted problem, and only those" 1 \
    "$samples/pmd/expected.txt" "$rc" "$findings"

# The vendored standard-field list's cross-check refuses made-up fields, wrong relationship
# targets and unknown objects.
out=$(cd "$samples/standard-fields" && python3 "$here/verify-standard-fields.py" bad.txt 2>&1)
rc=$?
check "the standard-field cross-check refuses what apex-ls's SObject types lack" 1 \
    "$samples/standard-fields/expected.txt" "$rc" "$(grep -v '^verify-standard-fields:' <<<"$out")"

if [ $failed -ne 0 ]; then
    echo "self-test: the gate did not report what it must: a check is broken (or a sample changed)"
    exit 1
fi
echo "self-test: every check of the gate fails on its planted problem"
