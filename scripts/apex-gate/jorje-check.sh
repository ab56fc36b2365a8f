#!/usr/bin/env bash
# jorje-check.sh FILE...: syntax-check Apex (.cls / .trigger) with jorje, Salesforce's own parser,
# through the native apex-ast-serializer that prettier-plugin-apex installs as an optional
# dependency (no Java needed). Prints FILE:LINE:COL: message for every syntax error.
#
# Exit: 0 all files parse, 1 syntax errors, 2 the parser could not run (missing binary, jq,
# unreadable file, non-JSON output).
#
# The serializer is looked up next to this script (run `npm ci` in this folder first):
#   node_modules/@prettier-apex/apex-ast-serializer-<os>-<cpu>/apex-ast-serializer-<os>-<cpu>
# falling back to the plugin's Java launcher (node_modules/.bin/apex-ast-serializer, ~0.6 s a file)
# when no native image exists for this platform. APEX_SERIALIZER=/path overrides both.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -eq 0 ]; then
    echo "usage: $(basename "$0") FILE.cls|FILE.trigger..." >&2
    exit 2
fi
if ! command -v jq >/dev/null 2>&1; then
    echo "jorje-check: jq is not installed (apt-get install jq)" >&2
    exit 2
fi

ser=${APEX_SERIALIZER:-}
if [ -z "$ser" ]; then
    for candidate in "$here"/node_modules/@prettier-apex/apex-ast-serializer-*/apex-ast-serializer-*; do
        if [ -f "$candidate" ] && [ -x "$candidate" ]; then ser=$candidate; break; fi
    done
fi
if [ -z "$ser" ] && [ -x "$here/node_modules/.bin/apex-ast-serializer" ]; then
    ser=$here/node_modules/.bin/apex-ast-serializer # Java fallback, same CLI and JSON
fi
if [ -z "$ser" ] || [ ! -x "$ser" ]; then
    echo "jorje-check: apex-ast-serializer not found under $here/node_modules (run: npm ci --prefix \"$here\")" >&2
    exit 2
fi

errlog=$(mktemp)
trap 'rm -f "$errlog"' EXIT

status=0
for file in "$@"; do
    if [ ! -r "$file" ]; then
        echo "$file: cannot read file" >&2
        exit 2
    fi
    # The serializer exits 0 even for broken code: the errors are inside its JSON output.
    if ! json=$("$ser" -l "$file" 2>"$errlog"); then
        printf '%s: parser failed:\n%s\n' "$file" "$(head -c 2000 "$errlog")" >&2
        exit 2
    fi
    if ! errors=$(jq -r --arg f "$file" '
            if type == "object" and has("apex.jorje.semantic.compiler.parser.ParserOutput")
            then .["apex.jorje.semantic.compiler.parser.ParserOutput"]
            else error("no ParserOutput in serializer output") end
            | ((.parseErrors // []) + (.internalErrors // []))[]
            | "\($f):\(.error.error.loc.line // "?"):\(.error.error.loc.column // "?"): \(.message // "syntax error")"' \
            <<<"$json" 2>&1); then
        printf '%s: parser output was not the expected JSON (%s):\n%s\n' \
            "$file" "$errors" "$(head -c 500 <<<"$json")" >&2
        exit 2
    fi
    if [ -n "$errors" ]; then
        printf '%s\n' "$errors"
        status=1
    fi
done
exit $status
