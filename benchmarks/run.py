"""Whole-process benchmark of sitegen, side by side with Pelican on the same Markdown bodies.

    python3 benchmarks/run.py --posts N [--runs 3] [--jobs J] [--no-pelican]

Generates the corpus (benchmarks/corpus.py) in a temporary directory, then times
whole ``sitegen`` and ``pelican`` processes and prints a Markdown table.  Every
command is run through a small wrapper process (``python3 -c WRAPPER``) that
starts it, times it with ``time.perf_counter`` and, after waiting for it, reads
``resource.getrusage(RUSAGE_CHILDREN)``: the wrapper's only child is the command,
so the CPU times and ``ru_maxrss`` are that command's alone, including its worker
processes (a process's RUSAGE_CHILDREN covers every descendant that was waited
for).  ``ru_maxrss`` is the peak of the largest single process; the wrapper also
samples the RSS of the whole process tree from /proc (where there is one) and
reports the peak of that sum, which counts pages shared by forked workers once
per process and so is an upper bound.

Only the standard library is used; Pelican is needed unless --no-pelican
(``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/corpus.py)

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

SUMMARY = re.compile(r"Built (\d+) posts? \((\d+) converted\), (\d+) files \((\d+) changed\)")


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
    notes: list[str] = field(default_factory=list)

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
        raise Failed(
            f"{' '.join(cmd)} exited {data['returncode']}:\n{data['stdout']}\n{data['stderr']}"
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


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def tree_digest(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def compare_trees(a: Path, b: Path) -> list[str]:
    """Differences between two output trees (empty: byte for byte identical)."""
    left, right = tree_digest(a), tree_digest(b)
    problems = [f"only in incremental: {k}" for k in sorted(left.keys() - right.keys())]
    problems += [f"only in clean: {k}" for k in sorted(right.keys() - left.keys())]
    problems += [f"differs: {k}" for k in sorted(left.keys() & right.keys()) if left[k] != right[k]]
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


def ratio(slow: list[float], fast: list[float]) -> str:
    if not slow or not fast or statistics.median(fast) == 0:
        return "—"
    return f"{statistics.median(slow) / statistics.median(fast):.1f}×"


def machine() -> dict[str, str]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        import pelican  # type: ignore[import-not-found]

        pelican_version = getattr(pelican, "__version__", "")
        if not pelican_version:
            from importlib.metadata import version

            pelican_version = version("pelican")
    except ImportError:
        pelican_version = "not installed"
    from importlib.metadata import version

    return {
        "cores": str(os.cpu_count()),
        "cpu": model or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "markdown": version("markdown"),
        "sitegen": version("sitegen"),
        "pelican": pelican_version,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark sitegen against Pelican.")
    parser.add_argument("--posts", type=int, help="number of posts in the corpus")
    parser.add_argument(
        "--runs", type=int, default=3, help="measured runs of each step (default 3)"
    )
    parser.add_argument(
        "--jobs", type=int, help="sitegen --jobs (default: sitegen's, one per core)"
    )
    parser.add_argument("--no-pelican", action="store_true", help="measure sitegen only")
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="build without the search index (site.yaml: search: false)",
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a new temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument(
        "--sample", type=float, default=0.05, help="process-tree RSS sampling interval, s (0: off)"
    )
    parser.add_argument(
        "--report", type=Path, metavar="JSON", help="print the table of a --json file"
    )
    args = parser.parse_args(argv)
    if args.report:
        return report(args.report)
    if args.posts is None:
        parser.error("--posts is required")
    if args.posts < 1 or args.runs < 1:
        parser.error("--posts and --runs must be 1 or more")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    pelican = not args.no_pelican
    if pelican and shutil.which("pelican") is None:
        try:
            import pelican as _pelican  # noqa: F401
        except ImportError:
            parser.error("Pelican is not installed: pip install -e '.[bench]', or use --no-pelican")

    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
        if any(work.iterdir()):
            parser.error(f"{args.workdir} is not empty")
    else:
        work = Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    try:
        return _bench(args, work, pelican)
    except Failed as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            progress(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args: argparse.Namespace, work: Path, pelican: bool) -> int:
    site = work / "site"
    start = time.perf_counter()
    progress(f"generating {args.posts} posts (seed {args.seed})")
    rels = corpus.generate(args.posts, site, seed=args.seed, pelican=pelican)
    progress(f"corpus written in {time.perf_counter() - start:.1f}s")
    pel = corpus.pelican_dir(site)
    if args.no_search:
        append(site / "site.yaml", "search: false\n")

    sitegen = [sys.executable, "-m", "sitegen", "-s", str(site), "build"]
    if args.jobs:
        sitegen += ["-j", str(args.jobs)]
    output = site / "_site"
    cache = site / ".sitegen-cache"
    reference = work / "reference"
    edited = site / rels[len(rels) // 2]  # a post in the middle of the archive
    base_html = site / "templates" / "base.html"
    original_post, original_base = edited.read_bytes(), base_html.read_bytes()
    pelican_cmd = [sys.executable, "-m", "pelican", "content", "-o", "out", "-s", "pelicanconf.py"]
    no_cache = ["-e", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"]
    with_cache = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]

    results: dict[str, Series] = {
        k: Series()
        for k in (
            "clean",
            "noop",
            "edit",
            "template",
            "pelican_clean",
            "pelican_prime",
            "pelican_edit",
            "clean_pss",  # untimed clean builds, for their memory (PSS)
        )
    }
    identical: list[bool] = []
    mismatches: list[str] = []

    for n in range(1, args.runs + 1):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        progress(f"run {n}/{args.runs}: sitegen clean build")
        results["clean"].runs.append(measure(sitegen, cwd=work, sample=args.sample))
        progress(f"run {n}/{args.runs}: sitegen no-op rebuild")
        results["noop"].runs.append(measure(sitegen, cwd=work, sample=args.sample))
        append(edited, f"\nBench edit {n}: the desk appended this sentence after publication.\n")
        progress(f"run {n}/{args.runs}: sitegen rebuild after editing {edited.relative_to(site)}")
        results["edit"].runs.append(measure(sitegen, cwd=work, sample=args.sample))
        progress(f"run {n}/{args.runs}: clean reference build of the edited corpus (not timed)")
        shutil.rmtree(reference, ignore_errors=True)
        measure([*sitegen, "--no-cache", "-o", str(reference)], cwd=work, sample=0)
        diff = compare_trees(output, reference)
        identical.append(not diff)
        mismatches += [f"run {n}: {d}" for d in diff[:10]]
        append(base_html, f"\n<!-- bench template edit {n} -->\n")
        progress(f"run {n}/{args.runs}: sitegen rebuild after editing templates/base.html")
        results["template"].runs.append(measure(sitegen, cwd=work, sample=args.sample))
        edited.write_bytes(original_post)
        base_html.write_bytes(original_base)
        progress(f"run {n}/{args.runs}: sitegen clean build for its memory (PSS; not timed)")
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        # Untimed, so the costly PSS reads (see WRAPPER) can sample it.
        results["clean_pss"].runs.append(measure(sitegen, cwd=work, sample=0.2, memory="pss"))
        if pelican:
            shutil.rmtree(pel / "out", ignore_errors=True)
            shutil.rmtree(pel / "cache", ignore_errors=True)
            progress(f"run {n}/{args.runs}: Pelican clean build (cache off)")
            results["pelican_clean"].runs.append(
                measure([*pelican_cmd, *no_cache], cwd=pel, sample=args.sample)
            )
    shutil.rmtree(reference, ignore_errors=True)

    if pelican:
        shutil.rmtree(pel / "out", ignore_errors=True)
        shutil.rmtree(pel / "cache", ignore_errors=True)
        progress("Pelican clean build with its content cache on (fills the cache)")
        results["pelican_prime"].runs.append(
            measure([*pelican_cmd, *with_cache], cwd=pel, sample=args.sample)
        )
        pel_post = pel / "content" / edited.name
        for n in range(1, args.runs + 1):
            append(
                pel_post, f"\nBench edit {n}: the desk appended this sentence after publication.\n"
            )
            progress(f"run {n}/{args.runs}: Pelican rebuild after editing one post (cache on)")
            results["pelican_edit"].runs.append(
                measure([*pelican_cmd, *with_cache], cwd=pel, sample=args.sample)
            )

    info = machine()
    info["search"] = "off (--no-search)" if args.no_search else "on (Pagefind)"
    problems = sanity(results)
    print(table(args.posts, args.runs, args.jobs, results, identical, info))
    for problem in problems:
        print(f"\nWARNING: {problem}")
    if mismatches:
        print("\nIncremental output differs from a clean build:", file=sys.stderr)
        for line in mismatches[:30]:
            print(f"  {line}", file=sys.stderr)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "posts": args.posts,
                    "runs": args.runs,
                    "jobs": args.jobs,
                    "seed": args.seed,
                    "machine": info,
                    "identical": identical,
                    "mismatches": mismatches,
                    "results": {
                        k: [
                            {
                                kk: vv
                                for kk, vv in r.__dict__.items()
                                if kk not in ("stdout", "stderr")
                            }
                            | {
                                "summary": r.stdout.strip().splitlines()[-1]
                                if r.stdout.strip()
                                else ""
                            }
                            for r in s.runs
                        ]
                        for k, s in results.items()
                    },
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(identical) and not problems else 1


def sanity(results: dict[str, Series]) -> list[str]:
    """Runs whose summary line shows the wrong amount of work (e.g. sitegen changed mid-run)."""
    expected = {"clean": None, "noop": 0, "edit": 1, "template": 0}
    problems = []
    for key, want in expected.items():
        for n, run in enumerate(results[key].runs, 1):
            if run.converted is None:
                problems.append(f"{key} run {n}: no summary line in sitegen's output")
            elif want is not None and run.converted != want:
                problems.append(
                    f"{key} run {n} converted {run.converted} posts, expected {want} "
                    "(did sitegen's code change during the run? it invalidates the cache)"
                )
    return problems


def table(
    posts: int,
    runs: int,
    jobs: int | None,
    results: dict[str, Series],
    identical: list[bool],
    info: dict[str, str],
) -> str:
    r = results
    lines = [
        f"## {posts} posts, {runs} run{'s' if runs != 1 else ''}, "
        f"sitegen --jobs {jobs or 'default (one per core)'}, "
        f"search index {info.get('search', 'on (Pagefind)')}",
        "",
        f"Machine: {info['cores']} cores, {info['cpu']}, {info['memory']}, "
        f"Python {info['python']}, "
        f"{info['os']}; sitegen {info['sitegen']}, Markdown {info['markdown']}, "
        f"Pelican {info['pelican']}.",
        "",
        "| what | sitegen median (min–max) | Pelican median (min–max) | ratio |",
        "|---|---|---|---|",
    ]

    def cell(key: str) -> str:
        """Wall time, CPU time and, for sitegen, the work its summary line reports."""
        if not r[key].runs:
            return "—"
        text = f"{fmt(r[key].values('wall'))}<br>CPU {fmt(r[key].values('cpu'))}"
        if r[key].values("system"):
            text += f" (system {fmt(r[key].values('system'))})"
        conv = sorted({x.converted for x in r[key].runs if x.converted is not None})
        if conv:
            changed = [x.changed for x in r[key].runs if x.changed is not None]
            files = sorted({x.files for x in r[key].runs if x.files is not None})
            text += (
                f"<br>{'/'.join(map(str, conv))} converted, "
                f"{statistics.median(changed):.0f} of {'/'.join(map(str, files))} files changed"
            )
        return text

    def wall_ratio(pelican: str, sitegen: str) -> str:
        if not r[pelican].runs:
            return "—"
        return (
            f"{ratio(r[pelican].values('wall'), r[sitegen].values('wall'))}"
            f"<br>CPU {ratio(r[pelican].values('cpu'), r[sitegen].values('cpu'))}"
        )

    def memory(key: str, attr: str) -> str:
        return fmt(r[key].values(attr), "MB", 0) if r[key].runs else "—"

    verdict = "OK" if identical and all(identical) else "MISMATCH"
    pel_clean = cell("pelican_clean") + (" (cache off)" if r["pelican_clean"].runs else "")
    pel_edit = cell("pelican_edit") + (" (content cache on)" if r["pelican_edit"].runs else "")
    lines += [
        f"| clean build (empty cache, no output) | {cell('clean')} | {pel_clean} "
        f"| {wall_ratio('pelican_clean', 'clean')} |",
        f"| no-op rebuild | {cell('noop')} | — | — |",
        f"| rebuild after editing one post's body | {cell('edit')}<br>output vs clean build: "
        f"{verdict} ({sum(identical)}/{len(identical)}) | {pel_edit} "
        f"| {wall_ratio('pelican_edit', 'edit')} |",
        f"| rebuild after editing templates/base.html | {cell('template')} | — | — |",
        f"| peak memory, clean build (largest process) | {memory('clean', 'maxrss_mb')} "
        f"| {memory('pelican_clean', 'maxrss_mb')} | — |",
    ]
    if r["clean"].values("tree_mb"):
        lines.append(
            f"| peak memory, clean build (sum over the process tree) "
            f"| {memory('clean', 'tree_mb')} | {memory('pelican_clean', 'tree_mb')} | — |"
        )
    if "clean_pss" in r and r["clean_pss"].values("tree_mb"):  # (older --json files lack it)
        lines.append(
            "| peak memory, clean build (process tree, shared pages counted once: PSS; "
            f"an untimed clean build per run) | {memory('clean_pss', 'tree_mb')} | — | — |"
        )
    if r["pelican_prime"].runs:
        lines += [
            "",
            "Pelican clean build with its content cache on (filling the cache before the "
            f"edit runs): {fmt(r['pelican_prime'].values('wall'))}, CPU "
            f"{fmt(r['pelican_prime'].values('cpu'))}, "
            f"peak {fmt(r['pelican_prime'].values('maxrss_mb'), 'MB', 0)}.",
        ]
    loads = [x.load for s in r.values() for x in s.runs]
    lines += [
        "",
        "Times are wall seconds of the whole process; CPU is user+sys of the process and its "
        "workers (system: the kernel's part). Ratios are Pelican's median over sitegen's. "
        "1-minute load average when the timed commands started: "
        f"{min(loads):.1f}–{max(loads):.1f}.",
    ]
    return "\n".join(lines)


def report(path: Path) -> int:
    """Print the table again from a --json file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    fields = Run.__dataclass_fields__
    results = {
        key: Series(
            [
                Run(
                    **{k: v for k, v in run.items() if k in fields},
                    stdout=run.get("summary", ""),
                    stderr="",
                )
                for run in runs
            ]
        )
        for key, runs in data["results"].items()
    }
    print(
        table(
            data["posts"], data["runs"], data["jobs"], results, data["identical"], data["machine"]
        )
    )
    for problem in sanity(results):
        print(f"\nWARNING: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
