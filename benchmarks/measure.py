"""Timing one whole process: a wrapper process that runs it, and the figures it reports.

Every command of the benchmark runs under ``python3 -c WRAPPER``: the wrapper
starts it, times it with ``time.perf_counter`` and, after waiting for it, reads
``resource.getrusage(RUSAGE_CHILDREN)``.  The wrapper's only child is the command,
so the CPU times and ``ru_maxrss`` are that command's alone, including its worker
processes (a process's RUSAGE_CHILDREN covers every descendant that was waited
for).  ``ru_maxrss`` is the peak of the largest single process; the wrapper also
samples the RSS of the whole process tree from /proc (where there is one) and
reports the peak of that sum, which counts pages shared by forked workers once
per process and so is an upper bound.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# The wrapper: argv[1] is the command as JSON, argv[2] the working directory,
# argv[3] the memory sampling interval in seconds (0: no sampling), argv[4] what
# to sample: "rss" (cheap: /proc/PID/statm) or "pss" (shared pages split among the
# processes sharing them: /proc/PID/smaps_rollup, milliseconds per read).  It
# prints one JSON line: wall, user, sys, maxrss_kb, tree_peak_kb, returncode,
# stdout, stderr.
WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time
cmd = json.loads(sys.argv[1]); cwd = sys.argv[2] or None; interval = float(sys.argv[3])
pss = sys.argv[4] == "pss"
page = os.sysconf("SC_PAGE_SIZE") // 1024
peak = [0]
done = threading.Event()

def rss_kb(pid):
    try:
        if pss:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                return next((int(l.split()[1]) for l in f if l.startswith("Pss:")), 0)
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * page
    except (OSError, ValueError, IndexError):
        return 0

def descendants(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found.add(child); todo.append(child)
    return found

def sample(pid):
    known, tick = set(), 0
    while not done.wait(interval):
        if tick % 10 == 0:  # rescan for new processes every 10 samples (cheap samples between)
            known |= descendants(pid)
        tick += 1
        peak[0] = max(peak[0], rss_kb(pid) + sum(rss_kb(p) for p in known))

start = time.perf_counter()
proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
thread = None
if interval > 0 and os.path.isdir("/proc/self"):
    thread = threading.Thread(target=sample, args=(proc.pid,), daemon=True); thread.start()
out, err = proc.communicate()
wall = time.perf_counter() - start
done.set()
if thread: thread.join()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
    "maxrss_kb": ru.ru_maxrss, "tree_peak_kb": peak[0] or None, "returncode": proc.returncode,
    "stdout": out.decode("utf-8", "replace")[-4000:],
    "stderr": err.decode("utf-8", "replace")[-4000:]}))
"""


# What every edit step appends to the same post (sitegen's, Pelican's and Hugo's copy).
EDIT = "\nBench edit {n}: the desk appended this sentence after publication.\n"

# sitegen's summary line.  Both wordings: today's, and the one before pages were counted
# (for --baseline).
SUMMARY = re.compile(
    r"Built (\d+) posts? (?:and \d+ pages? )?\((\d+)(?: of \d+ Markdown files?)? converted\), "
    r"(\d+) files? \((\d+) changed\)"
)


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_mb: float
    tree_mb: float | None
    load: float
    stdout: str
    stderr: str
    converted: int | None = None
    files: int | None = None
    changed: int | None = None
    system: float | None = None  # the kernel's part of ``cpu`` (file creation, page faults)


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. why a competitor's step has no runs

    def values(self, attr: str) -> list[float]:
        return [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]


class Failed(Exception):
    pass


def measure(
    cmd: list[str], cwd: Path | None = None, sample: float = 0.05, memory: str = "rss"
) -> Run:
    """Run ``cmd`` under the wrapper and return its figures; a non-zero exit is fatal."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    wrapped = [sys.executable, "-c", WRAPPER, json.dumps(cmd), str(cwd or ""), str(sample), memory]
    done = subprocess.run(wrapped, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise Failed(f"wrapper failed for {cmd}: {done.stderr[-2000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    if data["returncode"] != 0:
        killed = " (killed: out of memory?)" if data["returncode"] == -9 else ""
        raise Failed(
            f"{' '.join(cmd)} exited {data['returncode']}{killed}:\n"
            f"{data['stdout']}\n{data['stderr']}"
        )
    run = Run(
        wall=data["wall"],
        cpu=data["user"] + data["sys"],
        maxrss_mb=data["maxrss_kb"] / 1024,
        tree_mb=data["tree_peak_kb"] / 1024 if data["tree_peak_kb"] else None,
        load=load,
        stdout=data["stdout"],
        stderr=data["stderr"],
        system=data["sys"],
    )
    if found := SUMMARY.search(data["stdout"]):
        _posts, run.converted, run.files, run.changed = map(int, found.groups())
    return run


def one_after_another(first: Run, second: Run) -> Run:
    """Two commands run one after the other as one step (Hugo, then Pagefind over its output):
    times add up, the peak memory is the larger peak."""

    def most(a: float | None, b: float | None) -> float | None:
        return max(x for x in (a, b) if x is not None) if a is not None or b is not None else None

    return Run(
        wall=first.wall + second.wall,
        cpu=first.cpu + second.cpu,
        maxrss_mb=max(first.maxrss_mb, second.maxrss_mb),
        tree_mb=most(first.tree_mb, second.tree_mb),
        load=first.load,
        stdout="",
        stderr="",
        system=(first.system or 0) + (second.system or 0),
    )


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def compare_trees(a: Path, b: Path) -> list[str]:
    """Differences between two output trees (empty: byte for byte identical).

    File by file, never holding more than two files' bytes: a 100,000-post output is
    gigabytes.
    """
    filecmp.clear_cache()  # its results are keyed by size and mtime, which a rebuild may keep
    left, right = _files(a), _files(b)
    problems = [f"only in incremental: {k}" for k in sorted(left - right)]
    problems += [f"only in clean: {k}" for k in sorted(right - left)]
    problems += [
        f"differs: {k}"
        for k in sorted(left & right)
        if not filecmp.cmp(a / k, b / k, shallow=False)
    ]
    return problems


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def fmt(values: list[float], unit: str = "s", digits: int = 2) -> str:
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return f"{med:.{digits}f} {unit}"
    return f"{med:.{digits}f} {unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def ratio(slow: list[float], fast: list[float], digits: int = 1) -> str:
    if not slow or not fast or statistics.median(fast) == 0:
        return "—"
    return f"{statistics.median(slow) / statistics.median(fast):.{digits}f}×"
