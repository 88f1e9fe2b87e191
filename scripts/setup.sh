#!/usr/bin/env bash
# Installs what migledger needs to build and test on Debian/Ubuntu, skipping what is present.
set -euo pipefail

packages=(libgit2-dev libcurl4-openssl-dev libssl-dev libpg-query-dev libpq-dev postgresql git pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

# The tests validate SARIF output against the official schema with Python's jsonschema; a pip or
# pyenv install is invisible to dpkg, so ask Python itself.
python3 -c 'import jsonschema' 2>/dev/null || missing+=(python3-jsonschema)

if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "error: the Swift 6 toolchain is not on PATH" >&2; exit 3; }
