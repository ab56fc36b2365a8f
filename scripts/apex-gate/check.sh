#!/usr/bin/env bash
# check.sh DIR...: offline real-parser gate for generated Salesforce source.
#
# For every *.cls and *.trigger under the given folders:
#   jorje     syntax check with Salesforce's own parser (jorje-check.sh, FILE:LINE:COL messages)
#   prettier  `prettier --check`-equivalent (--list-different) with the repository's .prettierrc.json
#   pmd       PMD Apex rules through Code Analyzer core (lint-apex.cjs), rules $APEX_GATE_RULES
#             ($APEX_GATE_NOT_IN_TESTS only outside test classes), and the gate's own check that
#             every @SuppressWarnings('PMD.X') is explained by a // comment right above it
#   meta      a sibling FILE-meta.xml exists
# For every *-meta.xml, package.xml and destructiveChanges*.xml:
#   xsd       xmllint against an XSD cut from the Metadata API WSDL (wsdl2xsd.py)
#   version   <apiVersion> / package <version> is of the form NN.0
#
# Environment:
#   APEX_GATE_WSDL   Metadata API WSDL (default: the vendored
#                    tests/fixtures/metadata-api/metadata-v66.0.wsdl, provenance in its README)
#   APEX_GATE_RULES  comma-separated PMD rule selectors (default and reasons: rules.sh)
#   APEX_GATE_NOT_IN_TESTS  rules of APEX_GATE_RULES not applied to test classes (rules.sh)
#
# Needs: `npm ci` in this folder, node, java >= 11 (PMD), jq, xmllint (libxml2-utils), python3.
# Exit: 0 every file passed, 1 some file failed, 2 the gate could not run (missing tool, no files).
set -uo pipefail
exec 2>&1 # one ordered log: tool errors appear next to the file results

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
wsdl=${APEX_GATE_WSDL:-$root/tests/fixtures/metadata-api/metadata-v66.0.wsdl}
# shellcheck source-path=SCRIPTDIR source=rules.sh
. "$here/rules.sh"
rules=$APEX_GATE_RULES
not_in_tests=$APEX_GATE_NOT_IN_TESTS
prettier_config=$root/.prettierrc.json
prettier_bin=$here/node_modules/prettier/bin/prettier.cjs
# Prettier 3 resolves plugin names from the config file's folder (the repository root, which has
# no node_modules), so the plugin is passed by absolute path instead of listed in the config.
prettier_plugin=$here/node_modules/prettier-plugin-apex/dist/src/index.js

die() { echo "apex-gate: $*" >&2; exit 2; }
now() { echo "${EPOCHREALTIME:-$(date +%s.%N)}"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

[ $# -gt 0 ] || die "usage: $(basename "$0") DIR..."

# ---- preflight -------------------------------------------------------------------------------
missing=()
for tool in node java jq xmllint python3; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (see .ci/run for how they are installed)"
[ -f "$prettier_bin" ] && [ -f "$prettier_plugin" ] && [ -d "$here/node_modules/@salesforce/code-analyzer-pmd-engine" ] ||
    die "node_modules missing in $here: run npm ci --prefix scripts/apex-gate"
[ -f "$prettier_config" ] || die "no prettier config at $prettier_config"
[ -f "$wsdl" ] || die "Metadata API WSDL not found at $wsdl (set APEX_GATE_WSDL)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/apex-gate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/wsdl2xsd.py" "$wsdl" "$tmp/metadata.xsd" || die "could not cut an XSD out of $wsdl"

# ---- collect files -----------------------------------------------------------------------------
apex=()  # paths as found (shown to the user)
xml=()
declare -A abs # shown path -> absolute path
for dir in "$@"; do
    [ -d "$dir" ] || die "not a folder: $dir"
    while IFS= read -r -d '' f; do
        case $f in
            *.cls | *.trigger) apex+=("$f") ;;
            *) xml+=("$f") ;;
        esac
        abs[$f]=$(realpath "$f")
    done < <(find "$dir" \( -name node_modules -o -name .git \) -prune -o -type f \
        \( -name '*.cls' -o -name '*.trigger' -o -name '*-meta.xml' -o -name package.xml \
        -o -name 'destructiveChanges*.xml' \) -print0 | sort -z)
done
[ $((${#apex[@]} + ${#xml[@]})) -gt 0 ] || die "no *.cls, *.trigger, *-meta.xml or package.xml under: $*"

declare -A problems # shown path -> newline-separated "check: message" lines
fail() { problems[$1]+="$2"$'\n'; }
# with_prefix PREFIX TEXT: the lines of TEXT that start with PREFIX, PREFIX removed
with_prefix() {
    local line
    while IFS= read -r line; do
        [[ $line == "$1"* ]] && printf '%s\n' "${line#"$1"}"
    done <<<"$2"
}
tool_errors=0
timings=()

# ---- (a) jorje syntax check, one file at a time (native binary, ~10 ms each) ---------------------
t=$(now)
parsed=() # files jorje accepts; only these go on to prettier and PMD
for f in "${apex[@]}"; do
    out=$("$here/jorje-check.sh" "$f" 2>&1)
    case $? in
        0) parsed+=("$f") ;;
        1) while IFS= read -r line; do fail "$f" "jorje: line ${line#"$f":}"; done <<<"$out" ;;
        *) while IFS= read -r line; do fail "$f" "jorje (tool error): $line"; done <<<"$out"; tool_errors=$((tool_errors + 1)) ;;
    esac
    [ -f "$f-meta.xml" ] || fail "$f" "meta: missing $(basename "$f")-meta.xml next to it"
done
timings+=("jorje $(since "$t")")

# ---- (b) prettier, one process for all files --------------------------------------------------
if [ ${#parsed[@]} -gt 0 ]; then
    t=$(now)
    paths=()
    for f in "${parsed[@]}"; do paths+=("${abs[$f]}"); done
    # Run from / so that every listed path is the absolute path minus its leading slash.
    # --ignore-path /dev/null: prettier 3 otherwise skips files matched by ./.gitignore silently.
    out=$(cd / && node "$prettier_bin" --config "$prettier_config" --plugin "$prettier_plugin" \
        --ignore-path /dev/null --no-editorconfig --list-different "${paths[@]}" 2>"$tmp/prettier.err")
    rc=$?
    declare -A unformatted=()
    while IFS= read -r line; do [ -n "$line" ] && unformatted[/$line]=1; done <<<"$out"
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        echo "prettier failed (exit $rc):" >&2
        cat "$tmp/prettier.err" >&2
        tool_errors=$((tool_errors + 1))
    fi
    for f in "${parsed[@]}"; do
        a=${abs[$f]}
        if [ -n "${unformatted[$a]:-}" ]; then
            fail "$f" "prettier: not formatted; the diff to prettier's output (first 30 lines):"
            diff=$(cd / && node "$prettier_bin" --config "$prettier_config" --plugin "$prettier_plugin" \
                --ignore-path /dev/null --no-editorconfig "$a" 2>&1 |
                diff -u --label "$f" --label "prettier" "$a" - | head -n 30)
            while IFS= read -r line; do fail "$f" "    $line"; done <<<"$diff"
        elif grep -qF "${a#/}" "$tmp/prettier.err"; then
            fail "$f" "prettier: $(grep -F "${a#/}" "$tmp/prettier.err" | head -n 1)"
        fi
    done
    timings+=("prettier $(since "$t")")

    # ---- (c) PMD rules, one run for all files ---------------------------------------------------
    t=$(now)
    out=$(node "$here/lint-apex.cjs" --abs --rules "$rules" ${not_in_tests:+--not-in-tests "$not_in_tests"} \
        "${paths[@]}" 2>"$tmp/pmd.err")
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        echo "PMD (lint-apex.cjs) failed (exit $rc):" >&2
        cat "$tmp/pmd.err" >&2
        tool_errors=$((tool_errors + 1))
    fi
    for f in "${parsed[@]}"; do
        a=${abs[$f]}
        while IFS= read -r line; do
            [ -n "$line" ] && fail "$f" "pmd: line $line"
        done < <(with_prefix "$a:" "$out")
    done
    selected=$(grep -o 'selected [0-9]* rule(s)' "$tmp/pmd.err" | head -n 1)
    timings+=("pmd $(since "$t")${selected:+ ($selected)}")
fi

# ---- (d) metadata XML against the schema, one xmllint process for all files ---------------------
ns=http://soap.sforce.com/2006/04/metadata # dropped from xmllint's messages for readability
if [ ${#xml[@]} -gt 0 ]; then
    t=$(now)
    paths=()
    for f in "${xml[@]}"; do paths+=("${abs[$f]}"); done
    out=$(xmllint --noout --schema "$tmp/metadata.xsd" "${paths[@]}" 2>&1)
    for f in "${xml[@]}"; do
        a=${abs[$f]}
        if ! grep -qxF "$a validates" <<<"$out"; then
            details=$(with_prefix "$a:" "$out")
            if [ -z "$details" ]; then
                fail "$f" "xsd: does not validate"
            fi
            while IFS= read -r line; do
                [ -n "$line" ] && fail "$f" "xsd: line ${line//"{$ns}"/}"
            done <<<"$details"
        fi
        # xsd:double accepts 63 or 63.00; the Metadata API expects NN.0
        while IFS= read -r v; do
            [[ $v =~ ^[0-9]+\.0$ ]] || fail "$f" "version: '$v' is not of the form NN.0"
        done < <(sed -n 's|.*<apiVersion>\(.*\)</apiVersion>.*|\1|p; s|^\s*<version>\(.*\)</version>.*|\1|p' "$f")
    done
    timings+=("xmllint $(since "$t")")
fi

# ---- report ------------------------------------------------------------------------------------
passed=0
failed=0
report() { # heading, files...
    local heading=$1 f
    shift
    echo "== $heading ($# files)"
    for f in "$@"; do
        if [ -n "${problems[$f]:-}" ]; then
            failed=$((failed + 1))
            echo "FAIL  $f"
            printf '%s' "${problems[$f]}" | sed 's/^/      /'
        else
            passed=$((passed + 1))
            echo "ok    $f"
        fi
    done
}
[ ${#apex[@]} -eq 0 ] || report "Apex: jorje, prettier, PMD [$rules]" "${apex[@]}"
[ ${#xml[@]} -eq 0 ] || report "Metadata XML: xmllint against $(basename "$wsdl")" "${xml[@]}"
echo "== timings: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')"
if [ $tool_errors -gt 0 ]; then
    echo "apex-gate: $tool_errors tool error(s), see above" >&2
fi
echo "apex-gate: $passed passed, $failed failed"
if [ $tool_errors -gt 0 ]; then exit 2; fi
[ $failed -eq 0 ]
