#!/usr/bin/env python3
"""Ledger sync benchmark (issue 3): measures `migledger ledger sync` against a plain-git
baseline on the generated repository and checks that both compute the same ledger.

Usually run through run.sh, which builds the binary and passes it here:

  bench.py --migledger BIN --cache DIR [--runs N] [--incremental-runs N] [--layouts a,b] [--write FILE]

Two pack layouts of the same history are measured, because reading old trees costs very
different amounts in each:

  imported  the pack `git fast-import` wrote: each version of a folder's tree is a delta of the
            version before it, as in a repository that grew by pushes and was never repacked
            from scratch;
  repacked  after `git repack -a -d -f` (what `git gc --aggressive` and a fresh pack-objects
            do): the newest version whole, older ones as deltas of newer ones.

Prints a markdown section with every figure; --write also puts it into BENCHMARKS.md in place
of an earlier "## Ledger sync (issue 3)" section.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import baseline  # noqa: E402

SECTION = "## Ledger sync (issue 3)"
TARGET_INCREMENTAL_MS = 50
TARGET_RSS_MB = 200
TARGET_RATIO = 10
GENERATOR_ARGS = ["--commits", "50500", "--migrations", "5050", "--staging", "600", "--production", "400",
                  "--seed", "3"]
LAYOUTS = {
    "imported": "as written by `git fast-import` (each tree version a delta of the previous one, like a repository grown by pushes)",
    "repacked": "after `git repack -a -d -f` (newest versions whole, older ones deltas of newer ones, like `git gc --aggressive`)",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


class Failed(Exception):
    pass


def measured(command, stdout=subprocess.DEVNULL):
    """Runs `command`; returns (wall seconds, CPU seconds, max RSS in MiB). Raises Failed."""
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=err)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        err.seek(0)
        raise Failed(f"`{' '.join(os.path.basename(c) if i == 0 else c for i, c in enumerate(command))}` "
                     f"exited {process.returncode}: {err.read().decode(errors='replace').strip()[:300]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, stdout=subprocess.PIPE).stdout.decode()


def summary(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def load_average():
    return os.getloadavg()[0]


# ---- the repositories -----------------------------------------------------------------------

def ensure_repositories(cache):
    """The generated repository in both layouts, regenerated when generate.py or its arguments
    changed. Returns ({layout: path}, seconds spent generating or None when cached)."""
    imported = os.path.join(cache, "repo.git")
    repacked = os.path.join(cache, "repo-repacked.git")
    with open(os.path.join(HERE, "generate.py"), "rb") as handle:
        key = hashlib.sha256(handle.read() + " ".join(GENERATOR_ARGS).encode()).hexdigest()
    stamp = os.path.join(cache, "repo.key")
    cached = os.path.exists(stamp) and open(stamp).read().strip() == key
    spent = {}
    if not (cached and os.path.isdir(imported)):
        log("generating the repository with git fast-import ...")
        os.makedirs(cache, exist_ok=True)
        if os.path.exists(stamp):
            os.remove(stamp)
        started = time.perf_counter()
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), imported, *GENERATOR_ARGS], check=True)
        spent["generate"] = time.perf_counter() - started
        shutil.rmtree(repacked, ignore_errors=True)
    if not os.path.isdir(repacked) or not cached:
        log("repacking a copy with git repack -a -d -f ...")
        started = time.perf_counter()
        shutil.rmtree(repacked, ignore_errors=True)
        subprocess.run(["cp", "-a", imported, repacked + ".tmp"], check=True)
        subprocess.run(["git", "-C", repacked + ".tmp", "repack", "-a", "-d", "-f", "-q"], check=True)
        os.rename(repacked + ".tmp", repacked)
        spent["repack"] = time.perf_counter() - started
    with open(stamp, "w") as handle:
        handle.write(key + "\n")
    return {"imported": imported, "repacked": repacked}, spent


def objects_mib(repo):
    return sum(os.path.getsize(os.path.join(root, name))
               for root, _, names in os.walk(os.path.join(repo, "objects")) for name in names) / 2**20


def repository_shape(repo):
    manifest = json.load(open(os.path.join(repo, "benchmark-manifest.json")))
    markers = baseline.markers(repo)
    head_files = git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()
    return {
        "commits": int(git(repo, "rev-list", "--count", "--all").strip()),
        "merges": int(git(repo, "rev-list", "--count", "--merges", "--all").strip()),
        "migrations_at_head": len(baseline.migrations_at(repo, "HEAD")),
        "files_at_head": len(head_files),
        "markers": {env: len(m) for env, m in markers.items()},
        "annotated": {env: sum(x["annotated"] for x in m) for env, m in markers.items()},
        "first_date": min(x["date"] for m in markers.values() for x in m),
        "last_date": max(x["date"] for m in markers.values() for x in m),
        "manifest": manifest,
    }


def fresh_copy(repo, work, name):
    target = os.path.join(work, name)
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["cp", "-a", repo, target], check=True)
    return target


# ---- measurements ---------------------------------------------------------------------------

def full_sync(binary, repo, work, runs):
    """Full syncs (each on a fresh copy, no refs/migledger/*) interleaved with baseline runs,
    after one untimed warm-up of each. Returns the figures and the last synced copy."""
    result = {"sync": [], "sync_cpu": [], "rss": [], "baseline": [], "baseline_cpu": [], "errors": []}
    baseline_json = os.path.join(work, "baseline.json")
    last_copy = None
    for run in range(runs + 1):
        copy = fresh_copy(repo, work, f"full-{run}")
        label = "warm-up" if run == 0 else f"run {run}/{runs}"
        with open(os.path.join(work, "sync.txt"), "w") as out:
            try:
                seconds, cpu, rss = measured([binary, "ledger", "sync", "-C", copy], stdout=out)
            except Failed as failure:
                result["errors"].append(str(failure))
                log(f"  {label}: migledger FAILED: {failure}")
                seconds = None
        base_seconds, base_cpu, _ = measured([sys.executable, os.path.join(HERE, "baseline.py"), repo,
                                              "--output", baseline_json])
        if seconds is not None:
            log(f"  {label}: migledger {seconds * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU, {rss:.0f} MiB); "
                f"baseline {base_seconds:.2f} s (load {load_average():.1f})")
        if run > 0:
            if seconds is not None:
                result["sync"].append(seconds)
                result["sync_cpu"].append(cpu)
                result["rss"].append(rss)
            result["baseline"].append(base_seconds)
            result["baseline_cpu"].append(base_cpu)
        if last_copy:
            shutil.rmtree(last_copy)
        last_copy = copy
    result["output"] = open(os.path.join(work, "sync.txt")).read()
    result["oracle"] = json.load(open(baseline_json))
    for key in ("sync", "sync_cpu", "rss", "baseline", "baseline_cpu"):
        result[key] = summary(result[key])
    return result, last_copy


def add_deploy(repo, number, when, annotated):
    """One new commit on main adding a migration, and a new staging marker on it (not timed)."""
    head = git(repo, "rev-parse", "refs/heads/main").strip()
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(when - 600))
    path = f"db/migrate/{stamp}_add_benchmark_flag_{number}_to_users.rb"
    body = (f"# frozen_string_literal: true\n\nclass AddBenchmarkFlag{number}ToUsers < ActiveRecord::Migration[7.1]\n"
            f"  def change\n    add_column :users, :benchmark_flag_{number}, :boolean, default: false, null: false\n"
            f"  end\nend\n").encode()
    message = f"Add benchmark flag {number}\n".encode()
    stream = (b"blob\nmark :1\ndata %d\n%s\n" % (len(body), body)
              + b"commit refs/heads/main\nmark :2\nauthor Bench <bench@acme.example> %d +0000\n"
                b"committer Bench <bench@acme.example> %d +0000\ndata %d\n%s\nfrom %s\nM 100644 :1 %s\n\n"
              % (when, when, len(message), message, head.encode(), path.encode()))
    tag = f"deploy/staging/{number}"
    if annotated:
        note = f"Deploy to staging (pipeline #{number})\n".encode()
        stream += b"tag %s\nfrom :2\ntagger Deploy Bot <deploy-bot@acme.example> %d +0000\ndata %d\n%s\n" % (
            tag.encode(), when + 60, len(note), note)
    else:
        stream += b"reset refs/tags/%s\nfrom :2\n\n" % tag.encode()
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=stream, check=True)
    return path


def incremental(binary, repo, runs, first_number, start_date, extra_args=()):
    """`ledger sync` after one new marker (new commit + migration + tag), then with nothing new."""
    result = {"sync": [], "sync_cpu": [], "rss": [], "noop": [], "noop_cpu": [], "added": []}
    for run in range(runs + 1):
        number = first_number + run
        path = add_deploy(repo, number, start_date + 86400 * (run + 1), annotated=run % 2 == 1)
        seconds, cpu, rss = measured([binary, "ledger", "sync", "-C", repo, *extra_args])
        noop, noop_cpu, _ = measured([binary, "ledger", "sync", "-C", repo, *extra_args])
        label = "warm-up" if run == 0 else f"run {run}/{runs}"
        log(f"  {label}: one new marker {seconds * 1000:.1f} ms ({cpu * 1000:.0f} ms CPU, {rss:.0f} MiB); "
            f"nothing new {noop * 1000:.1f} ms")
        result["added"].append(path)
        if run == 0:
            result["first"], result["first_cpu"] = summary([seconds]), summary([cpu])
        else:
            for key, value in (("sync", seconds), ("sync_cpu", cpu), ("rss", rss), ("noop", noop),
                               ("noop_cpu", noop_cpu)):
                result[key].append(value)
    for key in ("sync", "sync_cpu", "rss", "noop", "noop_cpu"):
        result[key] = summary(result[key])
    return result


def show(binary, repo):
    output = subprocess.run([binary, "ledger", "show", "-C", repo, "--format", "json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if output.returncode != 0:
        raise Failed(f"`migledger ledger show --format json` exited {output.returncode}: "
                     f"{output.stderr.decode(errors='replace').strip()[:300]}")
    return json.loads(output.stdout)


def compare(document, oracle):
    """Per environment: entry agreement and event paths, ledger (migledger) vs baseline."""
    rows = {}
    for environment in document["environments"]:
        name = environment["name"]
        ours = {e["path"]: e["blob"] for e in environment["entries"]}
        theirs = oracle[name]["entries"]
        differing = sorted(p for p in set(ours) & set(theirs) if ours[p] != theirs[p])
        rows[name] = {
            "ledger_entries": len(ours),
            "baseline_entries": len(theirs),
            "only_ledger": sorted(set(ours) - set(theirs)),
            "only_baseline": sorted(set(theirs) - set(ours)),
            "different_blob": differing,
            "agree": not differing and set(ours) == set(theirs),
            "drift_paths": sorted({e["path"] for e in environment["drift"]}),
            "baseline_drift_paths": oracle[name]["drift_paths"],
            "drift_events": len(environment["drift"]),
            "deleted_paths": sorted({e["path"] for e in environment["deletions"]}),
            "rollback_paths": sorted({e["path"] for e in environment["rollbacks"]}),
            "deletion_events": len(environment["deletions"]),
            "rollback_events": len(environment["rollbacks"]),
            "baseline_missing_paths": oracle[name]["missing_paths"],
        }
    return rows


def broken_links(repo):
    fsck = subprocess.run(["git", "-C", repo, "fsck", "--connectivity-only", "--no-dangling"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    text = fsck.stdout.decode(errors="replace")
    return [" ".join(line.split()) for line in text.splitlines()
            if "broken link" in line or line.strip().startswith("to ") or "invalid sha1 pointer" in line]


def measure_layout(binary, layout, repo, work, shape, args):
    log(f"[{layout}] full sync vs baseline, {args.runs} runs after a warm-up ...")
    subprocess.run(f"cat {repo}/objects/pack/* > /dev/null", shell=True, check=True)
    figures = {"layout": layout, "objects_mib": objects_mib(repo), "problems": [], "load": [load_average()]}
    full, synced = full_sync(binary, repo, work, args.runs)
    figures.update({k: full[k] for k in ("sync", "sync_cpu", "rss", "baseline", "baseline_cpu")})
    figures["sync_output"] = full["output"]
    figures["problems"] += [f"full sync failed: {e}" for e in full["errors"]]
    figures["ledger_objects_mib"] = objects_mib(synced) - figures["objects_mib"]
    links = broken_links(synced)
    if links:
        figures["problems"].append("`git fsck --connectivity-only` after the full sync: " + "; ".join(links[:4]))
    try:
        figures["compare"] = compare(show(binary, synced), full["oracle"])
    except Failed as failure:
        figures["compare"] = None
        figures["problems"].append(f"correctness check impossible: {failure}")
    verify = subprocess.run([binary, "ledger", "verify", "-C", synced], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    figures["verify"] = (verify.returncode, verify.stdout.decode(errors="replace").strip().splitlines()[:1])

    log(f"[{layout}] incremental sync, {args.incremental_runs} runs after a warm-up ...")
    first_number = shape["markers"]["staging"] + 1
    figures["incremental_scope"] = "both environments"
    try:
        inc = incremental(binary, synced, args.incremental_runs, first_number, shape["last_date"])
    except Failed as failure:
        figures["problems"].append(f"incremental `ledger sync` failed: {failure}; measured `ledger sync --env staging` instead")
        figures["incremental_scope"] = "`--env staging` only: the full sync left production unreadable"
        first_number += args.incremental_runs + 2
        try:
            inc = incremental(binary, synced, args.incremental_runs, first_number, shape["last_date"] + 86400 * 30,
                              extra_args=("--env", "staging"))
        except Failed as failure:
            figures["problems"].append(f"incremental `ledger sync --env staging` failed too: {failure}")
            figures["incremental_scope"] = "failed, see below"
            inc = None
    figures["incremental"] = inc
    if inc is not None and figures["incremental_scope"] == "both environments":
        try:
            grown = compare(show(binary, synced), baseline.ledger(synced))
            staging = {e["path"] for e in show(binary, synced)["environments"][0]["entries"]}
            figures["incremental_agree"] = (all(c["agree"] for c in grown.values())
                                            and all(p in staging for p in inc["added"]))
        except Failed as failure:
            figures["incremental_agree"] = None
            figures["problems"].append(f"checking the grown ledger failed: {failure}")
    figures["load"].append(load_average())
    shutil.rmtree(synced, ignore_errors=True)
    return figures


# ---- report ---------------------------------------------------------------------------------

def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = "unknown"
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"

    def version(command):
        try:
            return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                  check=True).stdout.decode().splitlines()[0].strip()
        except (OSError, subprocess.CalledProcessError, IndexError):
            return "unknown"
    return {"nproc": os.cpu_count(), "cpu": model, "memory": mem, "kernel": platform.release(),
            "git": version(["git", "--version"]), "libgit2": version(["pkg-config", "--modversion", "libgit2"]),
            "swift": version(["swift", "--version"]), "python": platform.python_version()}


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def mib(value):
    return f"{value:.0f} MiB"


def row(label, stats, fmt, cpu=None):
    if stats is None:
        return f"| {label} | n/a | | | 0 | |"
    return (f"| {label} | {fmt(stats['median'])} | {fmt(stats['min'])} | {fmt(stats['max'])} | {stats['runs']} | "
            f"{fmt(cpu['median']) if cpu else ''} |")


def layout_section(f):
    yes = lambda ok: "**met**" if ok else "**missed**"
    inc = f["incremental"]
    lines = [f"### Layout `{f['layout']}`: {LAYOUTS[f['layout']]}", "",
             f"Objects: {f['objects_mib']:.0f} MiB before the sync; the full sync added "
             f"{f['ledger_objects_mib']:.0f} MiB. Load average (1 min) {f['load'][0]:.1f} at the start, "
             f"{f['load'][1]:.1f} at the end.", "",
             "| measurement | median | min | max | runs | CPU time (median) |",
             "|---|---|---|---|---|---|",
             row("migledger `ledger sync`, full, both environments", f["sync"], ms, f["sync_cpu"]),
             row("baseline: `git ls-tree -r <marker> -- db/migrate` per marker (Python)", f["baseline"], ms,
                 f["baseline_cpu"]),
             row("migledger full sync, max RSS", f["rss"], mib),
             row(f"migledger `ledger sync` after one new marker ({f['incremental_scope']})",
                 inc and inc["sync"], ms, inc and inc["sync_cpu"]),
             row("migledger `ledger sync` after one new marker, the first after the full sync (the warm-up, not in "
                 "the median above; its marker also brings the migrations merged since the last staging deploy)",
                 inc and inc["first"], ms, inc and inc["first_cpu"]),
             row("migledger incremental sync, max RSS", inc and inc["rss"], mib),
             row("migledger `ledger sync` with nothing new", inc and inc["noop"], ms, inc and inc["noop_cpu"]),
             ""]
    ratio = f["baseline"]["median"] / f["sync"]["median"] if f["sync"] else None
    lines += ["| target | figure | result |", "|---|---|---|"]
    if ratio is not None:
        lines.append(f"| full sync ≥ {TARGET_RATIO}× faster than the baseline | {ratio:.1f}× "
                     f"({ms(f['baseline']['median'])} / {ms(f['sync']['median'])}) | {yes(ratio >= TARGET_RATIO)} |")
        lines.append(f"| full sync peak memory < {TARGET_RSS_MB} MB | {f['rss']['max'] * 1.048576:.0f} MB max | "
                     f"{yes(f['rss']['max'] * 1.048576 < TARGET_RSS_MB)} |")
    else:
        lines.append(f"| full sync ≥ {TARGET_RATIO}× faster than the baseline | sync failed | **missed** |")
    if inc:
        lines.append(f"| incremental sync < {TARGET_INCREMENTAL_MS} ms | {ms(inc['sync']['median'])} median | "
                     f"{yes(inc['sync']['median'] * 1000 < TARGET_INCREMENTAL_MS)} |")
    lines.append("")
    c = f["compare"]
    if c:
        lines += ["Correctness, `migledger ledger show --format json` against the baseline's path → blob maps:", "",
                  "| environment | ledger entries | baseline entries | same paths and blobs | drift paths (ledger / baseline) | deleted or rolled-back paths (ledger) / paths a later marker lacked (baseline) | events: drift, deletion, rollback |",
                  "|---|---|---|---|---|---|---|"]
        for env, e in c.items():
            same = "yes, all" if e["agree"] else (f"**no**: {len(e['only_ledger'])} only in the ledger, "
                                                  f"{len(e['only_baseline'])} only in the baseline, "
                                                  f"{len(e['different_blob'])} other blobs")
            lines.append(f"| {env} | {e['ledger_entries']:,} | {e['baseline_entries']:,} | {same} | "
                         f"{len(e['drift_paths'])} / {len(e['baseline_drift_paths'])} | "
                         f"{len(set(e['deleted_paths']) | set(e['rollback_paths']))} / {len(e['baseline_missing_paths'])} | "
                         f"{e['drift_events']}, {e['deletion_events']}, {e['rollback_events']} |")
        lines.append("")
    if "incremental_agree" in f:
        lines.append("After the incremental syncs the grown ledger "
                     + ("agrees exactly with a from-scratch baseline of the grown repository, new migrations included."
                        if f["incremental_agree"] else "**disagrees** with a from-scratch baseline of the grown repository."))
    code, text = f["verify"]
    lines.append(f"`ledger verify` after the full sync: exit {code}, \"{text[0] if text else ''}\".")
    for problem in f["problems"]:
        lines.append(f"- **Problem:** {problem}")
    lines.append("")
    return lines


def report(info):
    m, shape = info["machine"], info["shape"]
    title = info.get("section", SECTION)
    irregular = shape["manifest"]["irregularities"]
    date = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d")
    lines = [
        title, "",
        f"Measured {info['date']} with `bash Benchmarks/ledger/run.sh` (migledger {info['revision']}); "
        f"the whole run took {info['elapsed']:.0f} s.", "",
        f"- Machine: {m['nproc']} cores ({m['cpu']}), {m['memory']} RAM, Linux {m['kernel']}; "
        f"{m['git']}, libgit2 {m['libgit2']}, {m['swift']}, Python {m['python']}. The machine is shared: "
        "the load average is given per layout, and CPU time (user + system) next to wall time.",
        f"- Repository, generated by `Benchmarks/ledger/generate.py` through one `git fast-import` stream "
        f"({info['generation']}): {shape['commits']:,} commits (`git rev-list --count --all`; "
        f"{shape['merges']:,} merge commits of feature branches), {shape['migrations_at_head']:,} Rails migrations "
        f"in `db/migrate` at HEAD, {shape['files_at_head']:,} files at HEAD, deploys from {date(shape['first_date'])} "
        f"to {date(shape['last_date'])}, refs packed.",
        f"- Markers: staging {shape['markers']['staging']} (`deploy/staging/<n>`, {shape['annotated']['staging']} "
        f"annotated, the rest lightweight), production {shape['markers']['production']} "
        f"(`v<major>.<minor>.<patch>`, {shape['annotated']['production']} annotated).",
        f"- Irregularities: drift (`{os.path.basename(irregular['drift']['path'])}` edited on main after both "
        f"environments ran it); an edit after staging ran a migration but before production did "
        f"(`{os.path.basename(irregular['staged_edit']['path'])}`, drift for staging only); a deletion "
        f"(`{os.path.basename(irregular['deletion']['path'])}`); a production hotfix `{irregular['rollback']['tag']}` "
        f"on `{irregular['rollback']['branch'].replace('refs/heads/', '')}`, branched off `{irregular['rollback']['branched_from']}` "
        f"and deployed after newer releases (a rollback deploy), with its own migration cherry-picked onto main; "
        f"and a staging redeploy of one commit under two tags with the same date (`deploy/staging/99`, "
        f"`deploy/staging/100`: natural order decides).",
        "- Method: every full-sync run starts from a fresh `cp -a` of the repository (no `refs/migledger/*`); "
        "times are whole-process wall time; memory is the process's max RSS (`wait4`); one untimed warm-up of "
        "each precedes the measured runs, which interleave migledger and the baseline. The baseline lists the "
        "markers with one `git for-each-ref`, orders them like migledger (tag date, else commit date; natural "
        "name order on ties) and keeps each environment's first-deployed blob per path from one "
        "`git ls-tree -r <commit> -- db/migrate` per marker. The incremental runs each add one commit with a "
        "new migration and one new staging tag (lightweight and annotated alternately), then time `ledger sync`.",
        "",
    ]
    for figures in info["layouts"]:
        lines += layout_section(figures)
    lines += [f"- {note}" for note in info["notes"]]
    lines += ["", "Reproduce: `bash Benchmarks/ledger/run.sh` (`--write` updates this section; the repositories "
              "are cached in `Benchmarks/.cache/ledger/`, or in `$MIGLEDGER_BENCH_CACHE`; `MIGLEDGER_BIN=path` "
              "measures another binary).", ""]
    return "\n".join(lines)


def write_section(path, text, title=SECTION):
    existing = open(path).read() if os.path.exists(path) else "# Benchmarks\n\n"
    heading = title + "\n"
    if existing.startswith(heading) or "\n" + heading in existing:
        start = 0 if existing.startswith(heading) else existing.index("\n" + heading) + 1
        following = existing.find("\n## ", start + len(title))
        end = len(existing) if following < 0 else following + 1
        updated = existing[:start] + text + existing[end:]
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    with open(path, "w") as handle:
        handle.write(updated)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--migledger", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--incremental-runs", type=int, default=7)
    parser.add_argument("--layouts", default="imported,repacked")
    parser.add_argument("--write", metavar="BENCHMARKS_MD")
    parser.add_argument("--revision", default="unknown")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--section", default=SECTION,
                        help="markdown heading of the section to print and (with --write) replace")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: a 5,000-commit repository (cached separately), 2 runs each")
    args = parser.parse_args()
    if args.quick:
        global GENERATOR_ARGS
        GENERATOR_ARGS = ["--commits", "5000", "--migrations", "500", "--staging", "60", "--production", "40",
                          "--seed", "3"]
        args.cache = os.path.join(args.cache, "quick")
        os.makedirs(args.cache, exist_ok=True)
        args.runs, args.incremental_runs = 2, 2
    binary = os.path.abspath(args.migledger)
    cache = os.path.abspath(args.cache)
    started = time.perf_counter()

    repos, spent = ensure_repositories(cache)
    shape = repository_shape(repos["imported"])
    log(f"repository: {shape['commits']:,} commits (git rev-list --count --all), "
        f"{shape['migrations_at_head']:,} migrations at HEAD, markers: "
        + ", ".join(f"{env} {n} ({shape['annotated'][env]} annotated)" for env, n in shape["markers"].items()))
    generation = (", ".join(f"{name} {seconds:.0f} s" for name, seconds in spent.items()) + " this run"
                  if spent else f"generation took {shape['manifest']['generator_seconds']:.0f} s; cached")

    work = tempfile.mkdtemp(prefix="work-", dir=cache)
    layouts = []
    try:
        for layout in args.layouts.split(","):
            layouts.append(measure_layout(binary, layout, repos[layout], work, shape, args))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    notes = []
    first = next((f for f in layouts if f["compare"]), None)
    if first:
        for env, c in first["compare"].items():
            if set(c["drift_paths"]) != set(c["baseline_drift_paths"]):
                notes.append(f"{env}: drift paths differ: ledger {c['drift_paths']}, baseline {c['baseline_drift_paths']}")
        notes.append("Event counts differ from path counts by design: the ledger records an event on every deploy "
                     "whose folder diff shows it (a path can have several), the baseline lists each path once and "
                     "cannot tell a deletion from a rollback deploy (that needs ancestry).")
    lines = [l.strip() for l in layouts[0]["sync_output"].strip().splitlines() if l.strip().endswith("ledger")]
    if lines:
        notes.append("`ledger sync` summary of the last full run: " + "; ".join(lines))
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": args.revision, "machine": machine(), "shape": shape, "generation": generation,
        "layouts": layouts, "notes": notes, "elapsed": time.perf_counter() - started, "section": args.section,
    }
    text = report(info)
    print(text)
    log(f"benchmark took {info['elapsed']:.0f} s")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(info, handle, indent=2, default=str)
    if args.write:
        write_section(args.write, text, args.section)
        log(f"updated {args.write}")


if __name__ == "__main__":
    main()
