# Shortcuts for the CI stages; `.ci/run` is the source of truth and CI does not need `just`.
# `just` runs every gate; `just apex-gate` one stage; `just stages fmt clippy` several.

# Every gate, in order (CI_BENCH=1 adds the benchmarks).
ci:
    bash .ci/run

# Any stages of .ci/run, in the order given.
stages +names:
    bash .ci/run {{names}}

install:
    bash .ci/run install

fmt:
    bash .ci/run fmt

clippy:
    bash .ci/run clippy

test:
    bash .ci/run test

audit:
    bash .ci/run audit

apex-gate:
    bash .ci/run apex-gate

roundtrip:
    bash .ci/run roundtrip

bench:
    bash .ci/run bench
