#!/usr/bin/env python3
"""The ledger computed with plain git, as the benchmark's baseline and correctness oracle.

For each environment of the benchmark policy: list the deploy markers (one `git for-each-ref`),
order them as DESIGN §3 says (annotated tag date, else commit date; ties by natural ref-name
order), then run `git ls-tree -r <commit> -- db/migrate` per marker and keep the first-deployed
blob of every Rails migration path. Also notes, per environment, every path a later marker
carried with other bytes (drift) or lacked (deletion or rollback deploy; telling them apart
needs ancestry, which this baseline does not compute).

Usage: baseline.py REPO [--output FILE]   (prints a one-line summary; FILE gets the JSON)
"""

import argparse
import functools
import json
import re
import subprocess
import sys

FOLDER = "db/migrate"
# The benchmark policy (generate.py writes the same into migledger.yml).
ENVIRONMENTS = {
    "staging": ["refs/tags/deploy/staging/*"],
    "production": ["refs/tags/v*"],
}
RAILS_NAME = re.compile(rb"([0-9]+)_(.+)\.rb")
RAILS_TITLE = re.compile(rb"[_a-z0-9]*")


def glob_regex(glob):
    """migledger's ref globs: `*` stays within one path component, `**` crosses them."""
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out))


def natural_precedes(lhs, rhs):
    """Port of MigLedger's NaturalOrder.precedes (runs of digits compare as numbers)."""
    left, right = lhs.encode(), rhs.encode()
    i = j = 0
    while i < len(left) and j < len(right):
        if chr(left[i]).isdigit() and chr(right[j]).isdigit():
            ie, je = i, j
            while ie < len(left) and 0x30 <= left[ie] <= 0x39:
                ie += 1
            while je < len(right) and 0x30 <= right[je] <= 0x39:
                je += 1
            ld, rd = left[i:ie], right[j:je]
            lv, rv = ld.lstrip(b"0"), rd.lstrip(b"0")
            if len(lv) != len(rv):
                return len(lv) < len(rv)
            if lv != rv:
                return lv < rv
            if len(ld) != len(rd):
                return len(ld) < len(rd)
            i, j = ie, je
        else:
            if left[i] != right[j]:
                return left[i] < right[j]
            i += 1
            j += 1
    return i >= len(left) and j < len(right)


def deploy_order(a, b):
    if a["date"] != b["date"]:
        return -1 if a["date"] < b["date"] else 1
    if natural_precedes(a["name"], b["name"]):
        return -1
    if natural_precedes(b["name"], a["name"]):
        return 1
    return 0


def is_rails_migration(path):
    name = path.rsplit(b"/", 1)[-1]
    match = RAILS_NAME.fullmatch(name)
    if not match:
        return False
    parts = match.group(2).split(b".")
    return len(parts) <= 2 and all(RAILS_TITLE.fullmatch(part) for part in parts)


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, stdout=subprocess.PIPE).stdout


def markers(repo):
    """Every tag with its peeled commit and deploy date, per environment, in deploy order."""
    fmt = "%(refname)%00%(objecttype)%00%(*objecttype)%00%(*objectname)%00%(taggerdate:unix)%00%(*committerdate:unix)%00%(committerdate:unix)%00%(objectname)"
    refs = []
    for line in git(repo, "for-each-ref", f"--format={fmt}", "refs/").decode().splitlines():
        name, kind, peeled_kind, peeled, tagger_date, peeled_date, commit_date, target = line.split("\0")
        if kind == "tag":
            if peeled_kind != "commit":
                continue  # a tag of a tree or blob (or of a tag): not a deploy
            date = int(tagger_date) if tagger_date else int(peeled_date)
            refs.append({"name": name, "commit": peeled, "date": date, "annotated": True})
        elif kind == "commit":
            refs.append({"name": name, "commit": target, "date": int(commit_date), "annotated": False})
    result = {}
    for env, globs in ENVIRONMENTS.items():
        patterns = [glob_regex(g) for g in globs]
        chosen = [r for r in refs if any(p.fullmatch(r["name"]) for p in patterns)]
        result[env] = sorted(chosen, key=functools.cmp_to_key(deploy_order))
    return result


def migrations_at(repo, commit):
    """path -> blob of the Rails migrations under FOLDER in `commit` (plain files only)."""
    out = git(repo, "ls-tree", "-r", "-z", commit, "--", FOLDER)
    files = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, blob = meta.split(b" ")
        if kind != b"blob" or mode == b"120000" or not is_rails_migration(path):
            continue
        files[path.decode()] = blob.decode()
    return files


def ledger(repo):
    result = {}
    for env, ordered in markers(repo).items():
        entries, drift, missing = {}, set(), set()
        for marker in ordered:
            files = migrations_at(repo, marker["commit"])
            for path, blob in files.items():
                deployed = entries.get(path)
                if deployed is None:
                    entries[path] = blob
                elif deployed != blob:
                    drift.add(path)
            missing.update(path for path in entries if path not in files)
        result[env] = {"markers": len(ordered), "annotated": sum(m["annotated"] for m in ordered),
                       "order": [m["name"] for m in ordered], "entries": entries,
                       "drift_paths": sorted(drift), "missing_paths": sorted(missing)}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo")
    parser.add_argument("--output")
    args = parser.parse_args()
    result = ledger(args.repo)
    if args.output:
        with open(args.output, "w") as handle:
            json.dump(result, handle)
    print(", ".join(f"{env}: {len(v['entries'])} entries from {v['markers']} markers" for env, v in result.items()))


if __name__ == "__main__":
    sys.exit(main())
