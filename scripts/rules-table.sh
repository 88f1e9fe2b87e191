#!/usr/bin/env bash
# Prints the README's rule table rows for the content rules from `migledger rules`, for pasting
# after adding a rule (RuleExamplesTests checks the table against the registries).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
migledger=${MIGLEDGER:-$root/.build/debug/migledger}
"$migledger" rules | while read -r id severity summary; do
    [[ -n $id && $id != Run ]] || continue
    family=$("$migledger" rules "$id" | sed -n 's/^family: \([^,]*\),.*/\1/p')
    printf '%s\t| `%s` | %s | %s |\n' "$family" "$id" "$severity" "$summary"
done
