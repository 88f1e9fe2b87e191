#!/usr/bin/env bash
# Ledger sync benchmark (issue 3). Not run by CI; takes a few minutes on 2 cores.
#
#   bash Benchmarks/ledger/run.sh [--write] [--runs N] [--incremental-runs N]
#
#   --write                 put the results into BENCHMARKS.md ("## Ledger sync (issue 3)")
#   MIGLEDGER_BIN=path      use this binary instead of building one into .build-bench
#   MIGLEDGER_BENCH_CACHE   where the generated repository is cached (default Benchmarks/.cache/ledger)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${MIGLEDGER_BENCH_CACHE:-$root/Benchmarks/.cache/ledger}

args=()
for arg in "$@"; do
    if [[ $arg == --write ]]; then args+=(--write "$root/BENCHMARKS.md"); else args+=("$arg"); fi
done

if [[ -n ${MIGLEDGER_BIN:-} ]]; then
    bin=$MIGLEDGER_BIN
else
    echo "building migledger (release) into .build-bench ..." >&2
    (cd "$root" && swift build -c release --static-swift-stdlib --product migledger --scratch-path .build-bench >&2)
    bin=$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/migledger
fi
[[ -x $bin ]] || { echo "no migledger binary at $bin" >&2; exit 2; }

revision=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$root" status --porcelain -- Sources Package.swift 2>/dev/null) ]]; then
    revision="$revision with uncommitted changes in Sources/"
fi

exec python3 "$root/Benchmarks/ledger/bench.py" --migledger "$bin" --cache "$cache" \
    --revision "$revision" ${args[@]+"${args[@]}"}
