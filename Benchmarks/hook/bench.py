#!/usr/bin/env python3
"""Times `migledger hook pre-receive` as git runs it, on a copy of the ledger benchmark's
repository whose ledger is synced: whole-process wall time, process start and policy load
included, for a push of 1 commit adding 1 migration and a push of 10,000 commits, next to
`git rev-list --count <new> --not --all` for the same push (the floor of any hook that finds
the pushed commits)."""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

ENV = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
           GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")

def git(repo, *args, stdin=None):
    return subprocess.run(["git", "--git-dir", repo, *args], input=stdin, env=ENV, check=True,
                          capture_output=True).stdout

def timed(command, stdin, env):
    start = time.perf_counter()
    result = subprocess.run(command, input=stdin, env=env, capture_output=True)
    return time.perf_counter() - start, result

def push_commits(repo, count, every):
    """Writes `count` commits on top of main with git fast-import (one in `every` adds a migration
    dated after every deployed one, the others edit application code), leaves them unreferenced
    as a push's objects are before its refs move, and returns (old, new)."""
    old = git(repo, "rev-parse", "refs/heads/main").decode().strip()
    lines = []
    for index in range(count):
        stamp = 1_900_000_000 + index * 60
        lines.append(f"commit refs/bench/push\nmark :{index + 1}\ncommitter Bench <bench@example.com> {stamp} +0000\n")
        message = f"pushed change {index}"
        lines.append(f"data {len(message)}\n{message}\n")
        lines.append(f"from {old}\n" if index == 0 else f"from :{index}\n")
        if index % every == every - 1:
            version = time.strftime("%Y%m%d%H%M%S", time.gmtime(stamp + 2_000_000_000))
            name = f"add_bench_column_{index}_to_orders"
            body = (f"class AddBenchColumn{index}ToOrders < ActiveRecord::Migration[7.1]\n  def change\n"
                    f"    add_column :orders, :bench_{index}, :string\n  end\nend\n")
            path = f"db/migrate/{version}_{name}.rb"
        else:
            body = f"# change {index}\nclass PushedThing{index % 97}; end\n"
            path = f"app/models/pushed_thing_{index % 97}.rb"
        lines.append(f"M 100644 inline {path}\ndata {len(body.encode())}\n{body}\n")
    subprocess.run(["git", "--git-dir", repo, "fast-import", "--quiet"], input="".join(lines).encode(), env=ENV, check=True)
    new = git(repo, "rev-parse", "refs/bench/push").decode().strip()
    git(repo, "update-ref", "-d", "refs/bench/push")
    return old, new

def measure(repo, binary, old, new, runs):
    stdin = f"{old} {new} refs/heads/main\n".encode()
    hook_env = dict(ENV, GIT_DIR=repo)
    hook, floor, outcome = [], [], None
    for _ in range(runs):
        seconds, result = timed([binary, "hook", "pre-receive"], stdin, hook_env)
        hook.append(seconds)
        outcome = result
        seconds, _ = timed(["git", "--git-dir", repo, "rev-list", "--count", new, "--not", "--all"], None, ENV)
        floor.append(seconds)
    pushed = git(repo, "rev-list", "--count", new, "--not", "--all").decode().strip()
    return hook, floor, outcome, pushed

def row(name, values):
    ms = [v * 1000 for v in values]
    return f"| {name} | {statistics.median(ms):,.1f} ms | {min(ms):,.1f} ms | {max(ms):,.1f} ms | {len(ms)} |"

def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--migledger", required=True)
    parser.add_argument("--repository", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="migledger-hook-bench-")
    try:
        repo = os.path.join(work, "server.git")
        shutil.copytree(args.repository, repo, symlinks=True)
        subprocess.run([args.migledger, "ledger", "sync"], env=dict(ENV, GIT_DIR=repo), check=True, capture_output=True)
        commits = git(repo, "rev-list", "--count", "--all").decode().strip()
        print(f"repository: {commits} commits, ledger synced; {args.runs} runs per figure, median/min/max")
        print("| measurement | median | min | max | runs |\n|---|---|---|---|---|")
        results = {}
        packs = lambda: len([name for name in os.listdir(os.path.join(repo, "objects", "pack")) if name.endswith(".pack")])
        # Right after the first full sync the ledger sits in the packs that sync wrote; servers'
        # housekeeping (git gc, GitLab's and GitHub's maintenance) repacks them: both are shown.
        scenarios = [("1 commit adding 1 migration", 1, 1, False), ("1 commit adding 1 migration", 1, 1, True),
                     ("10,000 commits (1 in 10 adds a migration)", 10_000, 10, True)]
        for label, count, every, repacked in scenarios:
            if repacked and "repacked" not in results:
                subprocess.run(["git", "--git-dir", repo, "repack", "-a", "-d", "-q"], env=ENV, check=True)
                results["repacked"] = None
            state = f"after `git repack -a -d`, {packs()} pack(s)" if repacked else f"right after the first full sync, {packs()} packs"
            old, new = push_commits(repo, count, every)
            runs = args.runs if count == 1 else max(5, args.runs // 3)
            hook, floor, outcome, pushed = measure(repo, args.migledger, old, new, runs)
            results[f"{label}, {state}"] = (hook, floor, outcome, pushed)
            print(row(f"`migledger hook pre-receive`, push of {label} ({state})", hook))
            print(row(f"floor: `git rev-list --count <new> --not --all` ({pushed} commits)", floor))
        results.pop("repacked")
        for label, (hook, floor, outcome, pushed) in results.items():
            print(f"- {label}: hook exit {outcome.returncode}, {pushed} new commits judged; stderr: {outcome.stderr.decode().strip()[:200] or '(empty)'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
