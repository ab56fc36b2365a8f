#!/usr/bin/env bash
# scratch-org-check.sh: proves the generated Apex in a fresh scratch org of your own Dev Hub:
# creates the org from config/project-scratch-def.json (Experience Cloud on, see the README's
# "Checking the generated Apex in a scratch org"), validates the generated sources with
# `portal-disable deploy --check-only` (compile, tests, coverage), deploys them into the
# throwaway org, runs the generated test class with debug logs on, and prints what every test
# did: PASSED, SKIPPED with the reason it logged ("Portal user test skipped: ..."), or FAILED
# with its message. The org is deleted at the end unless --keep or --use-org.
#
# Usage: scratch-org-check.sh [options]      (run in the SFDX project with the generated sources)
#   --target-dev-hub HUB    Dev Hub alias or username (default: the sf CLI's default Dev Hub)
#   --definition-file FILE  scratch org definition (default: config/project-scratch-def.json of
#                           the project, else the one beside this script in portal-disable's repository)
#   --alias ALIAS           alias of the new scratch org (default: portal-disable-check)
#   --use-org ALIAS         use this existing org instead of creating (and deleting) one
#   --test-class NAME       the generated test class (default: found in the generated sources)
#   --no-skips              a skipped portal test fails the check (the org should run them all)
#   --keep                  keep the scratch org afterwards
#
# Needs: sf (Salesforce CLI), jq, and portal-disable on PATH (or SF_BIN / PORTAL_DISABLE_BIN).
# Credentials for portal-disable come from `sf org auth show-sfdx-auth-url --json`, written to
# an owner-only temporary file passed as --auth-url-file; when the org has no auth URL (a Dev Hub
# authorized with JWT) from `sf org display --json` as SF_ACCESS_TOKEN and SF_ORG_INSTANCE_URL in
# portal-disable's environment only. Neither is ever printed; the temporary files are removed.
#
# Exit: 0 every test passed (or skipped, without --no-skips), 1 a step or a test failed,
# 2 bad usage or a missing tool.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sf_bin=${SF_BIN:-sf}
pd_bin=${PORTAL_DISABLE_BIN:-portal-disable}
hub='' definition='' alias=portal-disable-check use_org='' test_class='' no_skips=false keep=false

usage() { echo "scratch-org-check: $*" >&2; echo "usage: $(basename "$0") [--target-dev-hub HUB] [--definition-file FILE] [--alias ALIAS] [--use-org ALIAS] [--test-class NAME] [--no-skips] [--keep]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case $1 in
        --target-dev-hub | --definition-file | --alias | --use-org | --test-class)
            [ $# -ge 2 ] && [ -n "$2" ] || usage "$1 needs a value"
            case $1 in
                --target-dev-hub) hub=$2 ;;
                --definition-file) definition=$2 ;;
                --alias) alias=$2 ;;
                --use-org) use_org=$2 ;;
                --test-class) test_class=$2 ;;
            esac
            shift 2 ;;
        --no-skips) no_skips=true; shift ;;
        --keep) keep=true; shift ;;
        -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
        *) usage "unknown argument: $1" ;;
    esac
done
for tool in "$sf_bin" jq "$pd_bin"; do
    command -v "$tool" >/dev/null 2>&1 || usage "$tool is not on PATH"
done
if [ -z "$definition" ]; then
    definition=config/project-scratch-def.json
    [ -f "$definition" ] || definition=$(cd "$here/.." && pwd)/config/project-scratch-def.json
fi
[ -n "$use_org" ] || [ -f "$definition" ] || usage "no scratch org definition at $definition (use --definition-file)"

# The check must reach the scratch org only, never an org the caller's environment points
# portal-disable at.
unset SF_ACCESS_TOKEN SF_ORG_INSTANCE_URL SF_AUTH_URL SF_CLIENT_ID SF_CLIENT_SECRET SF_USERNAME \
    SF_JWT_KEY_FILE SF_LOGIN_URL

step() { echo; echo "== $*"; }
fail() { echo "scratch-org-check: FAILED: $*" >&2; exit 1; }
# Private scratch space for sf's JSON answers (some hold tokens) and the auth URL file.
umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/scratch-org-check.XXXXXX")
org=${use_org:-$alias}
created=false
cleanup() {
    if $created && ! $keep; then
        echo
        echo "== Deleting the scratch org $org"
        "$sf_bin" org delete scratch --target-org "$org" --no-prompt --json >"$work/delete.json" 2>&1 ||
            echo "scratch-org-check: could not delete $org: delete it with: sf org delete scratch --target-org $org" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT
# sf_json NAME ARGS...: runs sf with --json into $work/NAME.json; fails with sf's message.
sf_json() {
    local name=$1
    shift
    if ! "$sf_bin" "$@" --json >"$work/$name.json" 2>"$work/$name.err" ||
        [ "$(jq -r '.status // 1' "$work/$name.json" 2>/dev/null)" != 0 ]; then
        local message
        message=$(jq -r '.message // empty' "$work/$name.json" 2>/dev/null)
        fail "sf $1 $2: ${message:-$(head -c 300 "$work/$name.err")}"
    fi
}

step "Generated sources are current (portal-disable generate --check)"
"$pd_bin" generate --check || fail "the generated sources differ from portal-disable.toml: run portal-disable generate"
if [ -z "$test_class" ]; then
    mapfile -t tests < <(grep -rl --include='*.cls' --exclude-dir=node_modules --exclude-dir=.sf \
        --exclude-dir=.sfdx 'Generated by portal-disable' . 2>/dev/null |
        xargs -r grep -l '^@IsTest' | sed 's|.*/||; s|\.cls$||' | sort -u)
    [ ${#tests[@]} -eq 1 ] || usage "found ${#tests[@]} generated test classes (${tests[*]:-none}): name one with --test-class"
    test_class=${tests[0]}
fi
echo "test class: $test_class"

if [ -z "$use_org" ]; then
    step "Creating the scratch org $alias from $definition"
    sf_json create org create scratch --definition-file "$definition" --alias "$alias" \
        --duration-days 1 --wait 30 ${hub:+--target-dev-hub "$hub"}
    created=true
    echo "created $(jq -r '.result.username' "$work/create.json")"
fi

step "Credentials for portal-disable"
token='' instance=''
if "$sf_bin" org auth show-sfdx-auth-url --target-org "$org" --json >"$work/auth.json" 2>/dev/null &&
    [ -n "$(jq -r '.result.sfdxAuthUrl // empty' "$work/auth.json")" ]; then
    echo "sfdx auth URL (in a private temporary file)"
else
    sf_json display org display --target-org "$org"
    token=$(jq -r '.result.accessToken // empty' "$work/display.json")
    instance=$(jq -r '.result.instanceUrl // empty' "$work/display.json")
    [ -n "$token" ] && [ -n "$instance" ] || fail "sf org display gave no access token for $org"
    echo "no auth URL for $org: its access token (in portal-disable's environment only)"
fi
# portal-disable deploy ARGS... against the scratch org; the token goes through the
# environment of that one process, never its arguments.
pd_deploy() {
    if [ -n "$token" ]; then
        SF_ACCESS_TOKEN=$token SF_ORG_INSTANCE_URL=$instance "$pd_bin" deploy "$@"
    else
        "$pd_bin" deploy "$@" --auth-url-file "$work/auth.json"
    fi
}

step "Validating: portal-disable deploy --check-only (compile, run $test_class, coverage)"
pd_deploy --check-only --tests "$test_class" ||
    fail "the validation did not succeed (report above): the generated Apex does not deploy to this org"

step "Deploying into the scratch org, to run the tests with debug logs"
pd_deploy --test-level NoTestRun || fail "the deploy into the scratch org failed (report above)"

step "Debug logs for the running user (what a skipped test logs)"
sf_json user org display user --target-org "$org"
user_id=$(jq -r '.result.id' "$work/user.json")
in_an_hour=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%S.000Z 2>/dev/null || date -u -v+1H +%Y-%m-%dT%H:%M:%S.000Z)
sf_json level data create record --use-tooling-api --sobject DebugLevel --target-org "$org" \
    --values "DeveloperName=PortalDisableCheck$$ MasterLabel=PortalDisableCheck$$ ApexCode=DEBUG ApexProfiling=NONE Callout=NONE Database=NONE System=NONE Validation=NONE Visualforce=NONE Workflow=NONE"
sf_json trace data create record --use-tooling-api --sobject TraceFlag --target-org "$org" \
    --values "TracedEntityId=$user_id DebugLevelId=$(jq -r '.result.id' "$work/level.json") LogType=USER_DEBUG StartDate=$(date -u +%Y-%m-%dT%H:%M:%S.000Z) ExpirationDate=$in_an_hour"

step "Running $test_class"
# sf exits 100 when a test fails; the results are read from the org below either way.
"$sf_bin" apex run test --class-names "$test_class" --target-org "$org" --wait 30 \
    --json >"$work/run.json" 2>"$work/run.err"
run_id=$(jq -r '.result.summary.testRunId // empty' "$work/run.json" 2>/dev/null)
[ -n "$run_id" ] || fail "sf apex run test gave no test run: $(jq -r '.message // empty' "$work/run.json" 2>/dev/null)"
sf_json results data query --target-org "$org" --query \
    "SELECT MethodName, Outcome, Message, ApexLogId FROM ApexTestResult WHERE AsyncApexJobId = '$run_id' ORDER BY MethodName"

step "What each test did"
passed=0 skipped=0 failed=0
# A tab is whitespace to `read`: empty fields would collapse, so a missing log id is "-".
while IFS=$'\t' read -r method outcome log_id message; do
    [ "$log_id" != - ] || log_id=''
    if [ "$outcome" != Pass ]; then
        printf 'FAILED   %s: %s\n' "$method" "$message"
        failed=$((failed + 1))
        continue
    fi
    reason=''
    if [ -n "$log_id" ]; then
        if "$sf_bin" apex get log --log-id "$log_id" --target-org "$org" --json >"$work/log.json" 2>/dev/null; then
            reason=$(jq -r '.result[0] | if type == "object" then .log else . end // ""' "$work/log.json" |
                sed -n 's/.*Portal user test skipped: //p' | head -n 1)
        else
            reason="(its debug log $log_id could not be read: whether it skipped is unknown)"
        fi
    fi
    if [ -n "$reason" ]; then
        printf 'SKIPPED  %s: %s\n' "$method" "$reason"
        skipped=$((skipped + 1))
    else
        printf 'PASSED   %s\n' "$method"
        [ -n "$log_id" ] || printf '         (no debug log: a skip would not show)\n'
        passed=$((passed + 1))
    fi
done < <(jq -r '.result.records[] | [.MethodName, .Outcome, (.ApexLogId // "-"),
    ((.Message // "") | gsub("[\t\n]"; " "))] | @tsv' "$work/results.json")

echo
echo "$test_class: $passed passed, $skipped skipped, $failed failed"
[ $((passed + skipped + failed)) -gt 0 ] || fail "no test result for run $run_id"
[ $failed -eq 0 ] || fail "$failed test(s) failed"
if $no_skips && [ $skipped -gt 0 ]; then
    fail "$skipped portal test(s) skipped (--no-skips): the org lacks what they need, see their reasons"
fi
echo "scratch-org-check: the generated Apex validates, deploys and its tests pass in $org"
