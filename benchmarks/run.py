"""Whole-process benchmark of sitegen, side by side with Pelican on the same Markdown bodies.

    python3 benchmarks/run.py --posts N [--runs 3] [--jobs J] [--no-pelican]
                              [--baseline OTHER_VENV/bin/python]

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

With ``--baseline PYTHON`` every sitegen step is also run by the sitegen that
interpreter imports (an older checkout, say), on its own copy of the corpus, the
two taking turns step by step so that drift in the machine's speed hits both alike.

Only the standard library is used; Pelican is needed unless --no-pelican
(``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import itertools
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
from collections.abc import Iterator
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

# What ``python -m sitegen`` imports, run by the interpreter under test from the directory the
# builds run in (``python -c`` and ``-m`` both put the working directory first on sys.path).
PROBE = """
import json, os, platform, sitegen
from importlib.metadata import version
print(json.dumps({"path": os.path.dirname(os.path.abspath(sitegen.__file__)),
    "version": getattr(sitegen, "__version__", ""), "python": platform.python_version(),
    "markdown": version("markdown")}))
"""

# Both wordings: today's, and the one before pages were counted (for --baseline).
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
    notes: list[str] = field(default_factory=list)

    def values(self, attr: str) -> list[float]:
        return [getattr(r, attr) for r in self.runs if getattr(r, attr) is not None]


class Failed(Exception):
    pass


@dataclass
class Sitegen:
    """One sitegen under test, with a site directory of its own so caches and outputs never mix."""

    name: str  # "sitegen" or "baseline sitegen", for progress and mismatch lines
    prefix: str  # of its keys in the results: "" or "baseline_"
    python: str
    site: Path
    identical: list[bool] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def command(self, jobs: int | None) -> list[str]:
        return [self.python, "-m", "sitegen", "-s", str(self.site), "build"] + (
            ["-j", str(jobs)] if jobs else []
        )


def git_commit(package: Path) -> str:
    """The short commit of the git checkout holding ``package``, "+dirty" if the package has
    local changes; "" if there is none (e.g. installed from a wheel) or no git."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-C", str(package), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )

    try:
        # Tracked there: not a site-packages copy that merely sits inside some repository.
        if git("ls-files", "--error-unmatch", "__init__.py").returncode != 0:
            return ""
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", ".").stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    if head.returncode != 0:
        return ""
    return head.stdout.strip() + ("+dirty" if dirty else "")


def describe(python: str, cwd: Path) -> dict[str, str]:
    """Which sitegen ``python -m sitegen`` runs in ``cwd``, to label it in the table.

    ``label`` is its git commit where cheaply known, else its package directory.
    """
    done = subprocess.run(
        [python, "-c", PROBE], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise Failed(f"{python} cannot import sitegen: {done.stderr.strip()[-1000:]}")
    info: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    info["commit"] = git_commit(Path(info["path"]))
    info["label"] = info["commit"] or info["path"]
    info["interpreter"] = python
    return info


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


def ratio(slow: list[float], fast: list[float], digits: int = 1) -> str:
    if not slow or not fast or statistics.median(fast) == 0:
        return "—"
    return f"{statistics.median(slow) / statistics.median(fast):.{digits}f}×"


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
        "--baseline",
        metavar="PYTHON",
        help="also run every sitegen step with the sitegen this interpreter imports "
        "(e.g. another venv's bin/python), in turn with the current one",
    )
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
    if args.baseline is not None:
        found = shutil.which(args.baseline)
        if found is None:
            parser.error(f"--baseline {args.baseline}: no such executable")
        # Absolute but not resolved: a venv's bin/python is a symbolic link, and following it
        # would leave the venv (and its sitegen) behind.
        args.baseline = os.path.abspath(found)
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


STEPS = ("clean", "noop", "edit", "template", "clean_pss")  # clean_pss: untimed, for PSS
PELICAN_STEPS = ("pelican_clean", "pelican_prime", "pelican_edit")
EDIT = "\nBench edit {n}: the desk appended this sentence after publication.\n"


def _bench(args: argparse.Namespace, work: Path, pelican: bool) -> int:
    site = work / "site"
    info = machine()
    current = describe(sys.executable, work)
    info["current"] = current["label"]
    baseline_info = describe(args.baseline, work) if args.baseline else None
    if baseline_info:
        info["baseline"] = baseline_info["label"]
        info["baseline_detail"] = (
            f"sitegen {baseline_info['version']} in {baseline_info['path']}, "
            f"Python {baseline_info['python']}, Markdown {baseline_info['markdown']}"
        )
        if baseline_info["path"] == current["path"]:
            progress(f"warning: the baseline runs the same sitegen ({current['path']})")
    start = time.perf_counter()
    progress(f"generating {args.posts} posts (seed {args.seed})")
    rels = corpus.generate(args.posts, site, seed=args.seed, pelican=pelican)
    progress(f"corpus written in {time.perf_counter() - start:.1f}s")
    pel = corpus.pelican_dir(site)
    if args.no_search:
        append(site / "site.yaml", "search: false\n")
    sitegens = [Sitegen("sitegen", "", sys.executable, site)]
    if args.baseline:
        copy = work / "site-baseline"
        shutil.copytree(site, copy)  # before any build: no cache, no output yet
        sitegens.append(Sitegen("baseline sitegen", "baseline_", args.baseline, copy))
    edited = rels[len(rels) // 2]  # a post in the middle of the archive

    pelican_cmd = [sys.executable, "-m", "pelican", "content", "-o", "out", "-s", "pelicanconf.py"]
    no_cache = ["-e", "CACHE_CONTENT=false", "LOAD_CONTENT_CACHE=false"]
    with_cache = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"]
    results = {g.prefix + k: Series() for g in sitegens for k in STEPS}
    results |= {k: Series() for k in PELICAN_STEPS}

    for n in range(1, args.runs + 1):
        # Step by step in turn, the first one alternating: a slower or faster spell of the
        # machine, or an advantage of going first, falls on both alike.
        order = sitegens if n % 2 else sitegens[::-1]
        turns = [sitegen_round(g, n, args, edited, results) for g in order]
        for _ in itertools.zip_longest(*turns):
            pass
        if pelican:
            shutil.rmtree(pel / "out", ignore_errors=True)
            shutil.rmtree(pel / "cache", ignore_errors=True)
            progress(f"run {n}/{args.runs}: Pelican clean build (cache off)")
            results["pelican_clean"].runs.append(
                measure([*pelican_cmd, *no_cache], cwd=pel, sample=args.sample)
            )

    if pelican:
        shutil.rmtree(pel / "out", ignore_errors=True)
        shutil.rmtree(pel / "cache", ignore_errors=True)
        progress("Pelican clean build with its content cache on (fills the cache)")
        results["pelican_prime"].runs.append(
            measure([*pelican_cmd, *with_cache], cwd=pel, sample=args.sample)
        )
        pel_post = pel / "content" / Path(edited).name
        for n in range(1, args.runs + 1):
            append(pel_post, EDIT.format(n=n))
            progress(f"run {n}/{args.runs}: Pelican rebuild after editing one post (cache on)")
            results["pelican_edit"].runs.append(
                measure([*pelican_cmd, *with_cache], cwd=pel, sample=args.sample)
            )

    info["search"] = "off (--no-search)" if args.no_search else "on (Pagefind)"
    identical = {g.prefix: g.identical for g in sitegens}
    problems = sanity(results)
    print(table(args.posts, args.runs, args.jobs, results, identical, info))
    for problem in problems:
        print(f"\nWARNING: {problem}")
    for g in sitegens:
        if g.mismatches:
            print(f"\nIncremental output of {g.name} differs from a clean build:", file=sys.stderr)
            for line in g.mismatches[:30]:
                print(f"  {line}", file=sys.stderr)
    if args.json:
        data = {
            "posts": args.posts,
            "runs": args.runs,
            "jobs": args.jobs,
            "seed": args.seed,
            "machine": info,
            "identical": sitegens[0].identical,
            "mismatches": sitegens[0].mismatches,
            "results": {k: [run_json(r) for r in s.runs] for k, s in results.items()},
        }
        if baseline_info:
            data |= {
                "baseline": baseline_info,
                "identical_baseline": sitegens[1].identical,
                "mismatches_baseline": sitegens[1].mismatches,
            }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0 if all(all(g.identical) for g in sitegens) and not problems else 1


def run_json(run: Run) -> dict[str, object]:
    """A run's figures for --json, with the summary line instead of the whole output."""
    lines = run.stdout.strip().splitlines()
    figures = {k: v for k, v in run.__dict__.items() if k not in ("stdout", "stderr")}
    return figures | {"summary": lines[-1] if lines else ""}


def sitegen_round(
    g: Sitegen, n: int, args: argparse.Namespace, edited: str, results: dict[str, Series]
) -> Iterator[None]:
    """One round of sitegen steps on ``g``'s site, pausing after each so two can take turns.

    Ends with the post and the template restored and a last (untimed) clean build.
    """
    cmd, work = g.command(args.jobs), g.site.parent
    output, cache = g.site / "_site", g.site / ".sitegen-cache"
    reference = work / f"{g.site.name}-reference"
    post, base_html = g.site / edited, g.site / "templates" / "base.html"
    original_post, original_base = post.read_bytes(), base_html.read_bytes()

    def timed(step: str, what: str) -> None:
        progress(f"run {n}/{args.runs}: {g.name} {what}")
        results[g.prefix + step].runs.append(measure(cmd, cwd=work, sample=args.sample))

    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    timed("clean", "clean build")
    yield
    timed("noop", "no-op rebuild")
    yield
    append(post, EDIT.format(n=n))
    timed("edit", f"rebuild after editing {edited}")
    yield
    progress(f"run {n}/{args.runs}: {g.name} reference build of the edited corpus (not timed)")
    shutil.rmtree(reference, ignore_errors=True)
    measure([*cmd, "--no-cache", "-o", str(reference)], cwd=work, sample=0)
    diff = compare_trees(output, reference)
    shutil.rmtree(reference, ignore_errors=True)
    g.identical.append(not diff)
    g.mismatches += [f"run {n}: {d}" for d in diff[:10]]
    yield
    append(base_html, f"\n<!-- bench template edit {n} -->\n")
    timed("template", "rebuild after editing templates/base.html")
    post.write_bytes(original_post)
    base_html.write_bytes(original_base)
    yield
    progress(f"run {n}/{args.runs}: {g.name} clean build for its memory (PSS; not timed)")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    # Untimed, so the costly PSS reads (see WRAPPER) can sample it.
    results[g.prefix + "clean_pss"].runs.append(measure(cmd, cwd=work, sample=0.2, memory="pss"))


def sanity(results: dict[str, Series]) -> list[str]:
    """Runs whose summary line shows the wrong amount of work (e.g. sitegen changed mid-run)."""
    expected = {"clean": None, "noop": 0, "edit": 1, "template": 0}
    problems = []
    for prefix, (step, want) in itertools.product(("", "baseline_"), expected.items()):
        for n, run in enumerate(results.get(prefix + step, Series()).runs, 1):
            if run.converted is None:
                problems.append(f"{prefix}{step} run {n}: no summary line in sitegen's output")
            elif want is not None and run.converted != want:
                problems.append(
                    f"{prefix}{step} run {n} converted {run.converted} posts, expected {want} "
                    "(did sitegen's code change during the run? it invalidates the cache)"
                )
    return problems


def table(
    posts: int,
    runs: int,
    jobs: int | None,
    results: dict[str, Series],
    identical: dict[str, list[bool]],
    info: dict[str, str],
) -> str:
    """The Markdown table; with a baseline, a row for it under each step and a column of
    current / baseline medians."""
    r = results
    baseline = info.get("baseline")
    current = f" ({info['current']})" if info.get("current") else ""
    lines = [
        f"## {posts} posts, {runs} run{'s' if runs != 1 else ''}, "
        f"sitegen --jobs {jobs or 'default (one per core)'}, "
        f"search index {info.get('search', 'on (Pagefind)')}",
        "",
        f"Machine: {info['cores']} cores, {info['cpu']}, {info['memory']}, "
        f"Python {info['python']}, "
        f"{info['os']}; sitegen {info['sitegen']}{current}, Markdown {info['markdown']}, "
        f"Pelican {info['pelican']}.",
    ]
    if baseline:
        lines += [
            "",
            f"Baseline: {baseline} ({info.get('baseline_detail', '')}), on its own copy of the "
            "corpus, each step in turn with the current sitegen (the first alternating per run).",
        ]
    lines += [
        "",
        "| what | sitegen median (min–max) | Pelican median (min–max) | ratio |"
        + (" current / baseline |" if baseline else ""),
        "|---|---|---|---|" + ("---|" if baseline else ""),
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

    def wall_ratio(slow: str, fast: str, digits: int = 1) -> str:
        if not r[slow].runs or not r[fast].runs:
            return "—"
        return (
            f"{ratio(r[slow].values('wall'), r[fast].values('wall'), digits)}"
            f"<br>CPU {ratio(r[slow].values('cpu'), r[fast].values('cpu'), digits)}"
        )

    def memory(key: str, attr: str) -> str:
        return fmt(r[key].values(attr), "MB", 0) if key in r and r[key].runs else "—"

    def verdict(prefix: str) -> str:
        checks = identical.get(prefix, [])
        return (
            f"<br>output vs clean build: {'OK' if checks and all(checks) else 'MISMATCH'} "
            f"({sum(checks)}/{len(checks)})"
        )

    def step(what: str, key: str, pelican: str = "", note: str = "") -> list[str]:
        """The current sitegen's row of a timed step and, with a baseline, the baseline's."""
        pel = cell(pelican) + note if pelican and r[pelican].runs else "—"
        ratios = (lambda fast: wall_ratio(pelican, fast)) if pelican else (lambda fast: "—")
        extra = verdict("") if key == "edit" else ""
        rows = [f"| {what} | {cell(key)}{extra} | {pel} | {ratios(key)} |"]
        if baseline:
            rows[0] += " |"
            other = "baseline_" + key
            extra = verdict("baseline_") if key == "edit" else ""
            rows.append(
                f"| ↳ baseline {baseline} | {cell(other)}{extra} | — | {ratios(other)} "
                f"| {wall_ratio(key, other, 2)} |"
            )
        return rows

    def peak(what: str, key: str, attr: str, pelican: str = "") -> list[str]:
        """A row of peak memory and, with a baseline, the baseline's."""
        pel = memory(pelican, attr) if pelican else "—"
        rows = [f"| {what} | {memory(key, attr)} | {pel} | — |"]
        if baseline:
            rows[0] += " |"
            other = "baseline_" + key
            rows.append(
                f"| ↳ baseline {baseline} | {memory(other, attr)} | — | — "
                f"| {ratio(r[key].values(attr), r[other].values(attr), 2)} |"
            )
        return rows

    lines += [
        *step("clean build (empty cache, no output)", "clean", "pelican_clean", " (cache off)"),
        *step("no-op rebuild", "noop"),
        *step(
            "rebuild after editing one post's body", "edit", "pelican_edit", " (content cache on)"
        ),
        *step("rebuild after editing templates/base.html", "template"),
        *peak("peak memory, clean build (largest process)", "clean", "maxrss_mb", "pelican_clean"),
    ]
    if r["clean"].values("tree_mb"):
        lines += peak(
            "peak memory, clean build (sum over the process tree)",
            "clean",
            "tree_mb",
            "pelican_clean",
        )
    if "clean_pss" in r and r["clean_pss"].values("tree_mb"):  # (older --json files lack it)
        lines += peak(
            "peak memory, clean build (process tree, shared pages counted once: PSS; "
            "an untimed clean build per run)",
            "clean_pss",
            "tree_mb",
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
        "workers (system: the kernel's part). Ratios are Pelican's median over sitegen's"
        + (
            "; current / baseline is the current sitegen's median over the baseline's "
            "(below 1: the current is faster or smaller)"
            if baseline
            else ""
        )
        + ". 1-minute load average when the timed commands started: "
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
    identical = {"": data["identical"], "baseline_": data.get("identical_baseline", [])}
    print(table(data["posts"], data["runs"], data["jobs"], results, identical, data["machine"]))
    for problem in sanity(results):
        print(f"\nWARNING: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
