#!/usr/bin/env bash
# SQL parse benchmark (issue 5 groundwork): how fast and in how much memory MigSQL reads
# PostgreSQL migrations. Not run by CI; takes a few minutes on 2 cores, most of it building.
#
#   bash Benchmarks/sql/run.sh [--statements N] [--megabytes M]
#
#   --statements N   size of the throughput corpus (default 20000)
#   --megabytes M    size of the large-file corpus (default 50)
#
# Builds only MigCore, MigFormats and MigSQL, in release, as a small package assembled in
# .build-bench-sql (symlinks to Sources/), so the rest of migledger need not build; corpora are
# cached in Benchmarks/.cache/sql. Results go to stdout; see README.md for the last ones.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$root/Benchmarks/sql
cache=$root/Benchmarks/.cache/sql
scratch=$root/.build-bench-sql
statements=20000
megabytes=50
while [[ $# -gt 0 ]]; do
    case $1 in
        --statements) statements=$2; shift 2 ;;
        --megabytes) megabytes=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done

mkdir -p "$cache" "$scratch/package/Sources/Bench"
corpus=$cache/corpus-$statements.sql
large=$cache/corpus-${megabytes}mb.sql
[[ -f $corpus ]] || python3 "$here/generate.py" "$corpus" --statements "$statements"
# The generator's statements average 175 bytes.
[[ -f $large ]] || python3 "$here/generate.py" "$large" --statements $((megabytes * 1000000 / 175)) --seed 2

package=$scratch/package
for module in CPgQuery MigCore MigFormats MigSQL; do ln -sfn "$root/Sources/$module" "$package/Sources/$module"; done
ln -sf "$here/bench.swift" "$package/Sources/Bench/main.swift"
cat > "$package/Package.swift" <<'MANIFEST'
// swift-tools-version:6.0
import PackageDescription

// The settings of migledger's own Package.swift, and testing enabled so the benchmark can time
// the JSON index on its own.
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("InternalImportsByDefault"),
    .unsafeFlags(["-enable-testing"]),
]
let package = Package(name: "sql-bench", platforms: [.macOS(.v13)], targets: [
    .systemLibrary(name: "CPgQuery"),
    .target(name: "MigCore", swiftSettings: settings),
    .target(name: "MigFormats", dependencies: ["MigCore"], swiftSettings: settings),
    .target(name: "MigSQL", dependencies: ["CPgQuery", "MigCore", "MigFormats"], swiftSettings: settings),
    .executableTarget(name: "Bench", dependencies: ["CPgQuery", "MigSQL"], swiftSettings: settings),
])
MANIFEST

echo "building the benchmark (release) in $scratch ..." >&2
(cd "$package" && swift build -c release --scratch-path "$scratch/build" >&2)
bench=$(cd "$package" && swift build -c release --scratch-path "$scratch/build" --show-bin-path)/Bench

revision=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -z $(git -C "$root" status --porcelain -- Sources 2>/dev/null) ]] || revision="$revision with uncommitted changes in Sources/"
echo "## SQL parsing ($revision, $(nproc) cores)"
echo
echo "### Throughput: $statements generated migration statements"
echo
"$bench" "$corpus" throughput
if command -v cc >/dev/null; then
    cc -O2 -o "$scratch/libpg_query" "$here/libpg_query.c" -lpg_query
    echo
    "$scratch/libpg_query" "$corpus"
fi
echo
echo "### A ${megabytes} MB file"
echo
"$bench" "$large" collect
"$bench" "$large" stream
