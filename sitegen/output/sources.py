"""The sources pages: /sources/ and the pages it leads to, declared as outputs.

``/sources/``                  the index: the initials (A-Z) and the reliability grades,
                               with how many sources each holds, the first names filed under
                               each initial, and how we grade sources (``#grades``)
``/sources/<initial>/[N/]``    the sources filed under one initial, by outlet
``/sources/grade/<g>/[N/]``    the sources of one reliability grade (``a``-``f``, ``ungraded``)

The limit: no page lists more than ``ENTRIES_PER_PAGE`` sources, and a source
lists only the ``CITED_IN_SHOWN`` newest reports citing it, so that no page
grows with the archive.  A page declares the reports it shows (``listed``) and,
in its view, which sources it lists (see ``_ids``): an edit re-renders the few
pages that show what changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from sitegen.index import urls
from sitegen.index.names import OTHER
from sitegen.index.outlets import CitedSource, Outlet
from sitegen.model import RELIABILITY, Post
from sitegen.output.outputs import Output
from sitegen.read.slugs import slugify

if TYPE_CHECKING:
    from sitegen.output.pages import Pages

# The limit of a sources page: at most this many source entries (with the cap
# below, under 512 KB of HTML however often a source is cited).
ENTRIES_PER_PAGE = 200
CITED_IN_SHOWN = 10  # a source names its newest reports, then "and N earlier reports"
NAMES_PER_INITIAL = 12  # the index names this many outlets under each initial
UNGRADED = "ungraded"
GRADES = (*RELIABILITY, UNGRADED)  # the reliability grades A-F, and none given


class Row(NamedTuple):
    """One source as a sources page lists it: under its outlet (a tuple: there are many).

    ``ident`` says which source it is and how often it is cited (see ``_ids``).
    """

    outlet: Outlet
    cited: CitedSource
    grade: str  # its reliability grade, or UNGRADED
    ident: str


def _row(outlet: Outlet, cited: CitedSource) -> Row:
    source = cited.source
    ident = f"{cited.posts[0].slug}#{source.id}:{len(cited.posts)}"
    return Row(outlet, cited, source.reliability or UNGRADED, ident)


@dataclass(frozen=True)
class Run:
    """Rows listed over consecutive pages: the sources of one initial or of one grade."""

    name: str  # the initial, or the grade
    base: str  # the first page's path
    rows: tuple[Row, ...]

    @property
    def count(self) -> int:
        return max(1, math.ceil(len(self.rows) / ENTRIES_PER_PAGE))

    def path(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}{number}/"

    def chunk(self, number: int) -> tuple[Row, ...]:
        return self.rows[(number - 1) * ENTRIES_PER_PAGE : number * ENTRIES_PER_PAGE]

    def continues(self, number: int) -> bool:
        """Whether page ``number`` starts with an outlet the page before it ends with."""
        start = (number - 1) * ENTRIES_PER_PAGE
        return 0 < start < len(self.rows) and self.rows[start - 1].outlet is self.rows[start].outlet


def initial_slug(letter: str) -> str:
    return "other" if letter == OTHER else slugify(letter)


def grade_slug(grade: str) -> str:
    return grade.lower()


def grade_meaning(grade: str) -> str:
    return RELIABILITY.get(grade, "no reliability grade given")


def _ids(rows: tuple[Row, ...]) -> dict[str, list[str]]:
    """Which sources a page lists, how often each is cited, and under which headings.

    With the reports it shows (its ``listed`` posts, whose listings hold their
    sources), that is all a page's entries are made from: a source is the one
    its newest citing report lists under that id; an outlet's heading and
    initial may come from a source on another page (its ``sort_as``).
    """
    firsts = [next(group).outlet for _, group in groupby(rows, key=lambda row: id(row.outlet))]
    outlets = [f"{outlet.letter} {outlet.heading}" for outlet in firsts]
    return {"sources": [row.ident for row in rows], "outlets": outlets}


def _listed(rows: tuple[Row, ...]) -> tuple[Post, ...]:
    return tuple(post for row in rows for post in row.cited.posts[:CITED_IN_SHOWN])


class SourcePages:
    """The sources pages of one site (see the module's docstring)."""

    def __init__(self, pages: Pages) -> None:
        self.pages, self.views, self.links = pages, pages.views, pages.links
        rows = [_row(outlet, cited) for outlet in pages.site.outlets for cited in outlet.entries]
        self.initials = [
            Run(letter, urls.section("sources", initial_slug(letter)), tuple(group))
            for letter, group in groupby(rows, key=lambda row: row.outlet.letter)
        ]
        graded: dict[str, list[Row]] = {grade: [] for grade in GRADES}
        for row in rows:
            graded[row.grade].append(row)
        self.grades = {
            grade: Run(grade, f"sources/grade/{grade_slug(grade)}/", tuple(graded[grade]))
            for grade in GRADES
            if graded[grade]
        }
        self.present = {  # the grades found under each initial, for the script's filter
            run.name: " ".join(grade_slug(g) for g in GRADES if g in found)
            for run in self.initials
            if (found := {row.grade for row in run.rows})
        }
        self.starts = {grade: self.grade_initials(run) for grade, run in self.grades.items()}
        self.total = len(rows)

    def outputs(self) -> list[Output]:
        files = [self.index()]
        for run in self.initials:
            files += [self.initial_page(run, number) for number in range(1, run.count + 1)]
        for run in self.grades.values():
            files += [self.grade_page(run, number) for number in range(1, run.count + 1)]
        return files

    # -- navigation ---------------------------------------------------------------

    def initial_nav(self, current: str | None = None, counts: bool = False) -> list[dict]:
        """Every initial, linking to its first page (``counts``: with its number of sources)."""
        return [
            {
                "label": run.name,
                "other": run.name == OTHER,
                "url": self.links.href(run.path(1)),
                "current": run.name == current,
                "grades": self.present[run.name],
                "count": len(run.rows) if counts else None,
            }
            for run in self.initials
        ]

    def grade_nav(self, current: str | None = None, counts: bool = False) -> list[dict]:
        """Every reliability grade, linking to its pages if any source has it."""
        return [
            {
                "grade": grade,
                "slug": grade_slug(grade),
                "label": "Ungraded" if grade == UNGRADED else grade,
                "meaning": grade_meaning(grade),
                "url": self.links.href(run.path(1)) if (run := self.grades.get(grade)) else None,
                "current": grade == current,
                "count": (len(run.rows) if run else 0) if counts else None,
            }
            for grade in GRADES
        ]

    def pager(self, run: Run, number: int, noun: str) -> dict[str, Any]:
        """Previous, next and the page numbers around this one (all of them up to 9 pages)."""
        shown = [
            n
            for n in range(1, run.count + 1)
            if run.count <= 9 or n in (1, run.count) or abs(n - number) <= 2
        ]
        numbers: list[dict[str, Any]] = []
        for n in shown:
            if numbers and n - numbers[-1]["number"] > 1:
                numbers.append({"number": 0})  # a gap: "…"
            numbers.append({"number": n, "url": self.links.href(run.path(n))})
        return {
            "number": number,
            "count": run.count,
            "label": f"Pages of {noun}",
            "previous": self.links.href(run.path(number - 1)) if number > 1 else None,
            "next": self.links.href(run.path(number + 1)) if number < run.count else None,
            "numbers": numbers,
            "first": (number - 1) * ENTRIES_PER_PAGE + 1,
            "last": min(number * ENTRIES_PER_PAGE, len(run.rows)),
            "total": len(run.rows),
        }

    # -- pages --------------------------------------------------------------------

    def index(self) -> Output:
        """/sources/: made from its view alone (names and counts), not from reports."""
        page = self.views.page(
            urls.section("sources"),
            "Sources",
            "Every source we cite, with its Admiralty grades and the reports citing it.",
            kind="sources",
            initials=self.initial_nav(counts=True),
            grades=self.grade_nav(counts=True),
            directory=[self.directory(run) for run in self.initials],
            totals={
                "sources": self.total,
                "outlets": len(self.pages.site.outlets),
                "reports": sum(1 for post in self.pages.site.posts if post.sources),
            },
        )
        return self.pages.page("sources.html", page)

    def directory(self, run: Run) -> dict[str, Any]:
        """One initial on the index: its first outlets, each linked where its sources are."""
        names: list[dict[str, str]] = []
        seen = 0
        for position, row in enumerate(run.rows):
            if row.cited is not row.outlet.entries[0]:
                continue
            seen += 1
            if len(names) < NAMES_PER_INITIAL:
                page = run.path(position // ENTRIES_PER_PAGE + 1)
                url = f"{self.links.href(page)}#outlet-{row.outlet.slug}"
                names.append({"heading": row.outlet.heading, "url": url})
        return {
            "label": run.name,
            "other": run.name == OTHER,
            "url": self.links.href(run.path(1)),
            "names": names,
            "more": seen - len(names),
        }

    def initial_page(self, run: Run, number: int) -> Output:
        rows = run.chunk(number)
        name = "other initials" if run.name == OTHER else run.name
        paged = f", page {number} of {run.count}" if run.count > 1 else ""
        at = next(i for i, r in enumerate(self.initials) if r is run)
        before = self.initials[at - 1] if at > 0 else None
        after = self.initials[at + 1] if at + 1 < len(self.initials) else None
        page = self.views.page(
            run.path(number),
            f"Sources: {name}{paged}",
            f"Sources filed under {name}, with their Admiralty grades and the reports citing them.",
            kind="sources",
            initial={"label": run.name, "name": name, "other": run.name == OTHER},
            grade=None,
            index=self.links.href(urls.section("sources")),
            initials=self.initial_nav(run.name),
            grades=self.grade_nav(),
            pager=self.pager(run, number, name),
            before=self.neighbour(before),
            after=self.neighbour(after),
            ids=_ids(rows),
            continues=run.continues(number),
        )
        return self.list_page(page, rows, False, run.continues(number))

    def list_page(
        self, page: dict[str, Any], rows: tuple[Row, ...], by_initial: bool, continues: bool
    ) -> Output:
        """A page of ``sources_list.html``: its entries' views are made only if it is made."""
        return self.pages.page(
            "sources_list.html",
            page,
            posts=_listed(rows),
            rest=lambda: self.rest(rows, by_initial, continues),
            large=True,
        )

    def neighbour(self, run: Run | None) -> dict[str, Any] | None:
        if run is None:
            return None
        return {"label": run.name, "other": run.name == OTHER, "url": self.links.href(run.path(1))}

    def grade_page(self, run: Run, number: int) -> Output:
        rows = run.chunk(number)
        label = "Ungraded" if run.name == UNGRADED else run.name
        title = (
            "Sources with no reliability grade"
            if run.name == UNGRADED
            else (f"Sources graded {run.name}: {grade_meaning(run.name)}")
        )
        paged = f", page {number} of {run.count}" if run.count > 1 else ""
        page = self.views.page(
            run.path(number),
            f"{title}{paged}",
            f"{title}, with the reports citing them.",
            kind="sources",
            grade={"grade": run.name, "label": label, "heading": title},
            initial=None,
            index=self.links.href(urls.section("sources")),
            initials=self.starts[run.name],
            grades=self.grade_nav(run.name),
            pager=self.pager(run, number, f"sources graded {label}"),
            ids=_ids(rows),
            continues=run.continues(number),
        )
        return self.list_page(page, rows, True, run.continues(number))

    def grade_initials(self, run: Run) -> list[dict[str, Any]]:
        """The initials of one grade's sources, each linking to where it starts in its pages."""
        found: list[dict[str, Any]] = []
        for position, row in enumerate(run.rows):
            if found and found[-1]["label"] == row.outlet.letter:
                continue
            page = self.links.href(run.path(position // ENTRIES_PER_PAGE + 1))
            found.append(
                {
                    "label": row.outlet.letter,
                    "other": row.outlet.letter == OTHER,
                    "url": f"{page}#initial-{initial_slug(row.outlet.letter)}",
                    "current": False,
                    "grades": "",
                    "count": None,
                }
            )
        return found

    # -- entries (made only when a page is rendered) -------------------------------

    def rest(self, rows: tuple[Row, ...], by_initial: bool, continues: bool) -> dict[str, Any]:
        """The page's sources by initial, then outlet; and how many of each grade it lists.

        ``continues``: the first outlet's sources began on the page before.
        """
        groups = []
        for letter, in_letter in groupby(rows, key=lambda row: row.outlet.letter):
            outlets = []
            for _, in_outlet in groupby(in_letter, key=lambda row: id(row.outlet)):
                listed = list(in_outlet)
                outlet, entries = listed[0].outlet, [row.cited for row in listed]
                outlets.append(
                    {
                        "heading": outlet.heading,
                        "anchor": f"outlet-{outlet.slug}",
                        "continued": continues and not groups and not outlets,
                        "entries": [self.entry(outlet, cited) for cited in entries],
                    }
                )
            groups.append(
                {
                    "label": letter,
                    "other": letter == OTHER,
                    "anchor": f"initial-{initial_slug(letter)}",
                    "outlets": outlets,
                }
            )
        counts = {grade: 0 for grade in GRADES}
        for row in rows:
            counts[row.grade] += 1
        return {
            "groups": groups,
            "by_initial": by_initial,
            "filter": [{**g, "count": counts[g["grade"]]} for g in self.grade_nav()],
            "listed": len(rows),
        }

    def entry(self, outlet: Outlet, cited: CitedSource) -> dict[str, Any]:
        source, posts = cited.source, cited.posts
        host = urlsplit(source.url).hostname or "" if source.url and not source.title else ""
        return {
            "name": source.name if source.name != outlet.name else None,
            "title": source.title,
            "url": source.url,
            "host": host.removeprefix("www."),
            "archive_url": source.archive_url,
            "published": {"iso": source.published.iso, "human": source.published.human}
            if source.published
            else None,
            "grade": source.grade,
            "reliability": grade_slug(source.reliability or UNGRADED),
            "meaning": source.grade_meaning,
            "cited": [
                {"title": p.title, "url": self.links.href(urls.post(p.slug))}
                for p in posts[:CITED_IN_SHOWN]
            ],
            "earlier": max(0, len(posts) - CITED_IN_SHOWN),
        }
