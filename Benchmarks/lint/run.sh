#!/usr/bin/env bash
# Lint benchmark (issue 5): `migledger lint --format json` side by side with squawk on the same
# PostgreSQL migrations, for throughput and for which files each rule flags. Not run by CI.
#
#   bash Benchmarks/lint/run.sh [--statements N] [--runs R]
#
#   --statements N   size of the generated corpus (default 20000, in files of 50 statements)
#   --runs R         timed runs of each tool; the median is reported (default 15)
#
# squawk comes from PyPI (`squawk-cli`, pinned below) into a virtualenv under
# Benchmarks/.cache/lint; it is a benchmark tool only, not a dependency of migledger. The
# migledger binary is the release build, linked as shipped (`--static-swift-stdlib`). Figures go
# to stdout; BENCHMARKS.md keeps the last ones.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/Benchmarks/lint
cache=$root/Benchmarks/.cache/lint
statements=20000
runs=15
squawk_version=2.70.0
while [[ $# -gt 0 ]]; do
    case $1 in
        --statements) statements=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

mkdir -p "$cache"
if [[ ! -x $cache/venv/bin/squawk ]]; then
    echo "installing squawk-cli $squawk_version into $cache/venv ..." >&2
    python3 -m venv "$cache/venv" >&2
    "$cache/venv/bin/pip" install -q "squawk-cli==$squawk_version" >&2
fi
squawk=$cache/venv/bin/squawk

echo "building migledger (release, --static-swift-stdlib, as shipped) ..." >&2
(cd "$root" && swift build -c release --static-swift-stdlib --product migledger --scratch-path .build-bench >&2)
migledger=$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-bench --show-bin-path)/migledger

corpus=$cache/corpus-$statements
if [[ ! -d $corpus ]]; then
    python3 "$root/Benchmarks/sql/generate.py" "$cache/corpus-$statements.sql" --statements "$statements"
    python3 "$here/split.py" "$cache/corpus-$statements.sql" "$corpus"
fi
examples=$cache/examples
rm -rf "$examples"
python3 "$here/examples.py" "$migledger" "$examples"

revision=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 "$here/compare.py" --migledger "$migledger" --squawk "$squawk" --corpus "$corpus" \
    --examples "$examples" --statements "$statements" --runs "$runs" --revision "$revision"
