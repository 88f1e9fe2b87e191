#!/usr/bin/env python3
"""Writes every content rule's documented examples (as `migledger rules <id>` prints them) to
files, so both linters can be compared on cases written to trigger each rule and cases written
not to. Only plain PostgreSQL SQL examples are kept: squawk reads nothing else.

    python3 Benchmarks/lint/examples.py MIGLEDGER OUT_DIR
"""
import os
import re
import subprocess
import sys


def main():
    migledger, out = sys.argv[1], sys.argv[2]
    listing = subprocess.run([migledger, "rules"], capture_output=True, text=True, check=True).stdout
    ids = [line.split()[0] for line in listing.splitlines() if line and not line.startswith(("Run ", " "))]
    count = 0
    for rule in ids:
        text = subprocess.run([migledger, "rules", rule], capture_output=True, text=True, check=True).stdout
        blocks = re.split(r"\n(Triggers|Does not trigger) \((\d+)\):\n", text)
        for kind, number, body in zip(blocks[1::3], blocks[2::3], blocks[3::3]):
            lines = body.splitlines()
            if not lines or "(sql, postgres)" not in lines[0] and "(golang-migrate, postgres)" not in lines[0]:
                continue
            if any(line.strip().startswith("new tables") for line in lines[1:2]):
                continue
            sql = "\n".join(line.split("| ", 1)[1] if "| " in line else "" for line in lines if line.strip().startswith("|")) + "\n"
            folder = os.path.join(out, "triggering" if kind == "Triggers" else "non-triggering")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, f"{rule}-{number}.sql"), "w") as file:
                file.write(sql)
            count += 1
    print(f"{count} example files from {len(ids)} rules", file=sys.stderr)


if __name__ == "__main__":
    main()
