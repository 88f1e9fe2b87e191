#!/usr/bin/env bash
# One command: install what is missing, build without warnings, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
swift build --build-tests 2>&1 | tee "$build_log"
if grep -q "warning:" "$build_log"; then
  echo "error: the build printed warnings (see above); migledger builds warning-free" >&2
  exit 1
fi
swift test --disable-xctest --skip-build
