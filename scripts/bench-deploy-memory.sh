#!/usr/bin/env bash
# bench-deploy-memory.sh: peak memory of `portal-disable deploy` of a zip near the 39 MB limit
# (4,999 classes of incompressible text) against the local Metadata API simulator, measured
# with GNU time (apt-get install -y time). Prints the zip size, the peak RSS and their ratio.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install -y time" >&2; exit 2; }
cargo test --release --quiet --manifest-path "$root/Cargo.toml" --test it deploy_memory -- \
    --ignored --nocapture 2>&1 | grep -E '^deploy of|test result|panicked'
