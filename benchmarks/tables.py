"""The benchmark's Markdown tables, from the figures of a run or of a --json file.

Two tables: sitegen's steps (each sitegen variant a row under each step: search
off, the baseline), with Pelican's matching steps beside them; and the generators
side by side (clean build, no-op, one-post edit, peak memory), as the issue
comparing sitegen with Hugo, Hugo + Pagefind and Pelican tabulates them.
"""

from __future__ import annotations

import itertools
import json
import statistics
from pathlib import Path

from measure import Run, Series, fmt, ratio

STEPS = ("clean", "noop", "edit", "template", "clean_pss")  # clean_pss: untimed, for PSS
# Each sitegen variant's keys in the results start with its prefix; rows in this order.
VARIANTS = ("", "nosearch_", "baseline_", "baseline_nosearch_")


def search_variants(info: dict[str, str]) -> dict[str, str]:
    """The prefixes of the current sitegen's variants by search setting: "on" and/or "off"."""
    search = info.get("search", "on")
    if search.startswith("both"):
        return {"on": "", "off": "nosearch_"}
    return {"off": ""} if search.startswith("off") else {"on": ""}


def label(prefix: str, info: dict[str, str]) -> str:
    """The row of a variant other than the first, under each step."""
    both = info.get("search", "").startswith("both")
    search = ", search off" if prefix.endswith("nosearch_") else ", search on" if both else ""
    if prefix.startswith("baseline_"):
        return f"↳ baseline {info.get('baseline', '')}{search}"
    return f"↳ current{search}"


def present(results: dict[str, Series]) -> list[str]:
    """The variants with figures; the first always."""
    return [p for p in VARIANTS if p == "" or any(results.get(p + s, Series()).runs for s in STEPS)]


def _cell(series: Series) -> str:
    """Wall time, CPU time and, for sitegen, the work its summary line reports."""
    if not series.runs:
        return "—"
    text = f"{fmt(series.values('wall'))}<br>CPU {fmt(series.values('cpu'))}"
    if series.values("system"):
        text += f" (system {fmt(series.values('system'))})"
    conv = sorted({x.converted for x in series.runs if x.converted is not None})
    if conv:
        changed = [x.changed for x in series.runs if x.changed is not None]
        files = sorted({x.files for x in series.runs if x.files is not None})
        text += (
            f"<br>{'/'.join(map(str, conv))} converted, "
            f"{statistics.median(changed):.0f} of {'/'.join(map(str, files))} files changed"
        )
    return text


def _wall_ratio(slow: Series, fast: Series, digits: int = 1) -> str:
    if not slow.runs or not fast.runs:
        return "—"
    return (
        f"{ratio(slow.values('wall'), fast.values('wall'), digits)}"
        f"<br>CPU {ratio(slow.values('cpu'), fast.values('cpu'), digits)}"
    )


def _header(posts: int, runs: int, jobs: int | None, info: dict[str, str]) -> list[str]:
    search = info.get("search", "on (Pagefind)")
    if search.startswith("both"):
        search = "on (Pagefind), and off in the rows so marked (site.yaml search: false)"
    current = f" ({info['current']})" if info.get("current") else ""
    tools = "".join(
        f", {name} {info[key]}"
        for name, key in (("Pelican", "pelican"), ("Hugo", "hugo"), ("Pagefind", "pagefind"))
        if info.get(key)
    )
    return [
        f"## {posts} posts, {runs} run{'s' if runs != 1 else ''}, "
        f"sitegen --jobs {jobs or 'default (one per core)'}, search index {search}",
        "",
        f"Machine: {info['cores']} cores, {info['cpu']}, {info['memory']}, "
        f"Python {info['python']}, {info['os']}; sitegen {info['sitegen']}{current}, "
        f"Markdown {info['markdown']}{tools}.",
    ]


def table(
    posts: int,
    runs: int,
    jobs: int | None,
    results: dict[str, Series],
    identical: dict[str, list[bool]],
    info: dict[str, str],
) -> str:
    """sitegen's steps; with more than one variant a row for each under each step, and with a
    baseline a column of current / baseline medians."""
    r = results
    baseline = info.get("baseline")
    variants = present(r)
    lines = _header(posts, runs, jobs, info)
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

    def verdict(prefix: str) -> str:
        checks = identical.get(prefix, [])
        if not checks:
            return "<br>output vs clean build: not checked"
        return (
            f"<br>output vs clean build: {'OK' if all(checks) else 'MISMATCH'} "
            f"({sum(checks)}/{len(checks)})"
        )

    def rows(what: str, key: str, pelican: str, show: str) -> list[str]:
        """The first variant's row and one for each other variant; ``show``: "time"/an attr."""
        out = []
        for prefix in variants:
            mine = r.get(prefix + key, Series())
            if show == "time":
                pel = r.get(pelican, Series()) if pelican else Series()
                cells = [
                    _cell(mine) + (verdict(prefix) if key == "edit" else ""),
                    _cell(pel) if prefix == "" else "—",
                    _wall_ratio(pel, mine),
                ]
            else:
                pel = r.get(pelican, Series()) if pelican and prefix == "" else Series()
                cells = [fmt(mine.values(show), "MB", 0), fmt(pel.values(show), "MB", 0), "—"]
            row = f"| {what if prefix == '' else label(prefix, info)} | {' | '.join(cells)} |"
            if baseline:
                other = prefix.replace("baseline_", "", 1)
                theirs = r.get(other + key, Series())
                if not prefix.startswith("baseline_"):
                    row += " |"
                elif show == "time":
                    row += f" {_wall_ratio(theirs, mine, 2)} |"
                else:
                    row += f" {ratio(theirs.values(show), mine.values(show), 2)} |"
            out.append(row)
        return out

    lines += [
        *rows("clean build (empty cache, no output)", "clean", "pelican_clean", "time"),
        *rows("no-op rebuild", "noop", "", "time"),
        *rows("rebuild after editing one post's body", "edit", "pelican_edit", "time"),
        *rows("rebuild after editing templates/base.html", "template", "", "time"),
        *rows("peak memory, clean build (largest process)", "clean", "pelican_clean", "maxrss_mb"),
    ]
    if r["clean"].values("tree_mb"):
        what = "peak memory, clean build (sum over the process tree)"
        lines += rows(what, "clean", "pelican_clean", "tree_mb")
    if r.get("clean_pss", Series()).values("tree_mb"):
        what = (
            "peak memory, clean build (process tree, shared pages counted once: PSS; "
            "an untimed clean build per run)"
        )
        lines += rows(what, "clean_pss", "", "tree_mb")
    if r.get("pelican_prime", Series()).runs:
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
        f"{min(loads, default=0):.1f}–{max(loads, default=0):.1f}.",
    ]
    return "\n".join(lines)


def side_by_side(posts: int, results: dict[str, Series], info: dict[str, str]) -> str:
    """The generators side by side; "" when there is nothing to set beside sitegen."""
    r = results
    search = search_variants(info)
    on, off = search.get("on"), search.get("off")
    # Like for like: the generators without search against sitegen with search off, Hugo +
    # Pagefind against sitegen's default (search on); the other one where only one was run.
    plain = off if off is not None else on
    searching = on if on is not None else off
    names = {"on": "sitegen, default (search on)", "off": "sitegen, search off"}
    short = {on: "sitegen default", off: "sitegen search off"}
    # search off first, as in the issue's table
    rows = [
        (names[k], p + "clean", p + "noop", p + "edit", None) for k, p in sorted(search.items())
    ]
    hugo, pagefind = info.get("hugo", ""), info.get("pagefind", "")
    rows += [
        (f"Hugo {hugo} (the CLI rebuilds all)", "hugo_clean", "", "hugo_edit", plain),
        (
            f"Pagefind {pagefind} CLI over Hugo's output",
            "pagefind_clean",
            "",
            "pagefind_edit",
            None,
        ),
        (
            "Hugo + Pagefind CLI over its output (the usual Hugo search set-up)",
            "hugo_pagefind_clean",
            "",
            "hugo_pagefind_edit",
            searching,
        ),
        (
            f"Pelican {info.get('pelican', '')} (no search)",
            "pelican_clean",
            "",
            "pelican_edit",
            plain,
        ),
    ]
    rows = [row for row in rows if r.get(row[1], Series()).runs]
    if len(rows) < 2:
        return ""
    lines = [
        f"## Side by side: {posts} posts",
        "",
        "| | clean build | no-op rebuild | rebuild after one post edit "
        "| peak memory, clean build: process tree | clean build ÷ sitegen's |",
        "|---|---|---|---|---|---|",
    ]

    def timed(key: str) -> str:
        series = r.get(key, Series())
        if not series.runs:
            return "—"
        return f"{fmt(series.values('wall'))}<br>CPU {fmt(series.values('cpu'))}"

    for name, clean, noop, edit, against in rows:
        series = r[clean]
        largest = series.values("maxrss_mb")
        memory = fmt(series.values("tree_mb"), "MB", 0) + (
            f"<br>largest process {statistics.median(largest):.0f} MB" if largest else ""
        )
        versus = "—"
        if against is not None and r.get(against + "clean", Series()).runs:
            walls = ratio(series.values("wall"), r[against + "clean"].values("wall"), 2)
            versus = f"{walls} {short[against]}"
        note = " (content cache on)" if edit == "pelican_edit" and r[edit].runs else ""
        lines.append(
            f"| {name} | {timed(clean)} | {timed(noop) if noop else '—'} | {timed(edit)}{note} "
            f"| {memory} | {versus} |"
        )
    notes = [n for s in r.values() for n in s.notes]
    said = [
        "Medians (min–max) of whole processes; the memory is the peak of the process tree's "
        "resident set, sampled, and the largest process's exact peak."
    ]
    if r.get("hugo_pagefind_clean", Series()).runs:
        said.append(
            "Hugo + Pagefind: Hugo's run and Pagefind's after it added up, run by run; its peak "
            "memory is the larger of the two."
        )
    if r.get("pelican_clean", Series()).runs:
        said.append("Pelican's clean build has its content cache off, its edit rebuild on.")
    said.append(
        "The last column: the clean build's median wall time over sitegen's (below 1: faster "
        "than sitegen)."
    )
    lines += ["", " ".join(said), *[f"\nNOTE: {n}" for n in notes]]
    return "\n".join(lines)


def sanity(results: dict[str, Series]) -> list[str]:
    """Runs whose summary line shows the wrong amount of work (e.g. sitegen changed mid-run)."""
    expected = {"clean": None, "noop": 0, "edit": 1, "template": 0}
    problems = []
    for prefix, (step, want) in itertools.product(VARIANTS, expected.items()):
        for n, run in enumerate(results.get(prefix + step, Series()).runs, 1):
            if run.converted is None:
                problems.append(f"{prefix}{step} run {n}: no summary line in sitegen's output")
            elif want is not None and run.converted != want:
                problems.append(
                    f"{prefix}{step} run {n} converted {run.converted} posts, expected {want} "
                    "(did sitegen's code change during the run? it invalidates the cache)"
                )
    return problems


def run_json(run: Run) -> dict[str, object]:
    """A run's figures for --json, with the summary line instead of the whole output."""
    lines = run.stdout.strip().splitlines()
    figures = {k: v for k, v in run.__dict__.items() if k not in ("stdout", "stderr")}
    return figures | {"summary": lines[-1] if lines else ""}


def report(path: Path) -> int:
    """Print the tables again from a --json file."""
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
            ],
            data.get("notes", {}).get(key, []),
        )
        for key, runs in data["results"].items()
    }
    identical = data.get("identical_by_variant") or {
        "": data["identical"],
        "baseline_": data.get("identical_baseline", []),
    }
    print(table(data["posts"], data["runs"], data["jobs"], results, identical, data["machine"]))
    if both := side_by_side(data["posts"], results, data["machine"]):
        print("\n" + both)
    for problem in sanity(results):
        print(f"\nWARNING: {problem}")
    return 0
