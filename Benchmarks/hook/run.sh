#!/usr/bin/env bash
# Pre-receive hook benchmark (issue 4). Not run by CI; takes a couple of minutes on 2 cores.
#
#   bash Benchmarks/hook/run.sh [--runs N]
#
# Uses the repository of the ledger benchmark (Benchmarks/ledger/generate.py; generated and
# cached on first use), syncs its ledger, then times the whole `migledger hook pre-receive`
# process for a push of 1 commit adding 1 migration and for a push of 10,000 commits, next to
# the floor `git rev-list --count <new> --not --all` for the same pushes.
#   MIGLEDGER_BIN=path      use this binary instead of building one into .build-bench
#   MIGLEDGER_BENCH_CACHE   where the generated repository is cached (default Benchmarks/.cache/ledger)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${MIGLEDGER_BENCH_CACHE:-$root/Benchmarks/.cache/ledger}

if [[ -n ${MIGLEDGER_BIN:-} ]]; then
    bin=$MIGLEDGER_BIN
else
    echo "building migledger (release) into .build-bench ..." >&2
    (cd "$root" && swift build -c release --static-swift-stdlib --product migledger --scratch-path .build-bench >&2)
    bin=$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/migledger
fi
if [[ ! -d $cache/repo.git ]]; then
    echo "generating the benchmark repository into $cache/repo.git ..." >&2
    mkdir -p "$cache"
    python3 "$root/Benchmarks/ledger/generate.py" "$cache/repo.git" >&2
fi
exec python3 "$root/Benchmarks/hook/bench.py" --migledger "$bin" --repository "$cache/repo.git" "$@"
