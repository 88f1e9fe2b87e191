#!/usr/bin/env python3
"""Splits a generated corpus (Benchmarks/sql/generate.py) into one migration file per
`-- migration N` header, named like golang-migrate's and plain SQL migrations.

    python3 Benchmarks/lint/split.py CORPUS.sql OUT_DIR
"""
import os
import sys


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    files, current = [], []
    with open(source) as text:
        for line in text:
            if line.startswith("-- migration ") and current:
                files.append(current)
                current = []
            current.append(line)
    if current:
        files.append(current)
    for index, lines in enumerate(files):
        with open(os.path.join(out, f"{20240101000000 + index}_generated_{index}.sql"), "w") as file:
            file.writelines(lines)


if __name__ == "__main__":
    main()
