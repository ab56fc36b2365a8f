#!/usr/bin/env bash
# bench-run.sh: `portal-disable run` over 10,000 and 100,000 Contacts against the local
# simulator (release build, chunks of 200), with --results rewritten after every chunk and
# without: requests made, wall time, CPU time and peak RSS of portal-disable (GNU time:
# apt-get install -y time). The simulator runs in the test process on the same 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 2; }
for count in ${BENCH_COUNTS:-10000 100000}; do
  for results in 1 0; do
    OFFBOARD_BENCH_RESULTS=$results OFFBOARD_BENCH_CONTACTS=$count cargo test --release --quiet --manifest-path "$root/Cargo.toml" \
        --test it offboard_bench -- --ignored --nocapture 2>&1 | grep -E '^run of|panicked|error'
  done
done
