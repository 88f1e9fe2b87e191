#!/usr/bin/env python3
"""Times `migledger lint --format json` against `squawk --reporter json` on the generated corpus,
then runs both on the corpus and on the rule examples and lists, for every rule both tools
have, the files each flags. Prints markdown for BENCHMARKS.md.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import time

# squawk's names where they differ from migledger's (RuleCatalogue.swift says why).
SQUAWK_TO_MIGLEDGER = {"syntax-error": "sql-syntax-error", "prefer-timestamptz": "prefer-timestamp-tz"}


def sql_files(folder):
    found = []
    for parent, _, names in os.walk(folder):
        found += [os.path.join(parent, name) for name in names if name.endswith(".sql")]
    return sorted(found)


def timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def flagged_by_squawk(squawk, files):
    _, _, out = timed([squawk, "--reporter", "json", *files])
    flagged = {}
    for violation in json.loads(out or b"[]"):
        rule = SQUAWK_TO_MIGLEDGER.get(violation["rule_name"], violation["rule_name"])
        flagged.setdefault(rule, set()).add(os.path.abspath(violation["file"]))
    return flagged


def flagged_by_migledger(migledger, files):
    _, _, out = timed([migledger, "lint", "--format", "json", *files])
    flagged = {}
    for finding in json.loads(out)["findings"]:
        flagged.setdefault(finding["rule"], set()).add(os.path.abspath(finding["path"]))
    return flagged


def families(migledger):
    listing = subprocess.run([migledger, "rules"], capture_output=True, text=True, check=True).stdout
    ids = [line.split()[0] for line in listing.splitlines() if line and not line.startswith(("Run ", " "))]
    family = {}
    for rule in ids:
        text = subprocess.run([migledger, "rules", rule], capture_output=True, text=True, check=True).stdout
        for line in text.splitlines():
            if line.startswith("family: "):
                family[rule] = line.split(",")[0].removeprefix("family: ")
    return family


def short(path, roots):
    for name, root in roots.items():
        if path.startswith(root + os.sep):
            return f"{name}/{os.path.relpath(path, root)}"
    return path


def main():
    parser = argparse.ArgumentParser()
    for option in ("--migledger", "--squawk", "--corpus", "--examples", "--revision"):
        parser.add_argument(option, required=True)
    parser.add_argument("--statements", type=int, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    corpus = sql_files(args.corpus)
    version = subprocess.run([args.squawk, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"## Linting side by side with squawk ({args.revision}, {os.cpu_count()} cores, {version})\n")
    print(f"### Throughput: {args.statements:,} generated statements in {len(corpus)} files\n")
    print("| tool | median wall s | median CPU s | statements/s (wall) | statements/s (CPU) |")
    print("|---|---|---|---|---|")
    commands = {"migledger lint --format json": [args.migledger, "lint", "--format", "json", args.corpus],
                "squawk --reporter json": [args.squawk, "--reporter", "json", *corpus]}
    for command in commands.values():
        timed(command)
    # Interleaved, so that a shared machine's slow minute costs both tools alike.
    samples = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            samples[name].append(timed(command)[:2])
    for name, runs in samples.items():
        wall = statistics.median(s[0] for s in runs)
        cpu = statistics.median(s[1] for s in runs)
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {args.statements / wall:,.0f} | {args.statements / cpu:,.0f} |")
    ours, theirs = samples.values()
    ratios = sorted(t[0] / o[0] for o, t in zip(ours, theirs))
    print(f"\nsquawk's wall time over migledger's, run by run (interleaved): median {statistics.median(ratios):.2f}, "
          f"min {ratios[0]:.2f}, max {ratios[-1]:.2f}; migledger was faster in {sum(r > 1 for r in ratios)} of {len(ratios)} runs\n")

    examples = sql_files(args.examples)
    files = corpus + examples
    roots = {"corpus": os.path.abspath(args.corpus), "examples": os.path.abspath(args.examples)}
    squawk = flagged_by_squawk(args.squawk, files)
    ours = flagged_by_migledger(args.migledger, files)
    family = families(args.migledger)
    shared = sorted(rule for rule in family if family[rule] == "content-postgres")
    print(f"\n### Files flagged per rule: {len(corpus)} corpus files and {len(examples)} rule-example files\n")
    print("| rule | squawk | migledger | both | squawk only | migledger only |")
    print("|---|---|---|---|---|---|")
    disagreements = []
    for rule in shared:
        theirs, mine = squawk.get(rule, set()), ours.get(rule, set())
        print(f"| `{rule}` | {len(theirs)} | {len(mine)} | {len(theirs & mine)} | {len(theirs - mine)} | {len(mine - theirs)} |")
        if theirs != mine:
            disagreements.append((rule, sorted(theirs - mine), sorted(mine - theirs)))
    unknown = sorted(set(squawk) - set(shared))
    if unknown:
        print(f"\nsquawk rules migledger does not have: {', '.join(f'`{rule}`' for rule in unknown)}")
    print("\n### Disagreements, every file\n")
    for rule, only_squawk, only_ours in disagreements:
        print(f"- `{rule}`")
        if only_squawk:
            print(f"  - squawk only ({len(only_squawk)}): " + ", ".join(short(p, roots) for p in only_squawk))
        if only_ours:
            print(f"  - migledger only ({len(only_ours)}): " + ", ".join(short(p, roots) for p in only_ours))


if __name__ == "__main__":
    main()
