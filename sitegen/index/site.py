"""All posts together: selection, ordering, indexes, and site-wide checks.

Nothing is rendered here; the indexes hold posts, and page paths come from
:mod:`sitegen.index.urls`.  Collisions and series problems are found before anything
is written.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from functools import cached_property

from sitegen.errors import Problem
from sitegen.index import urls
from sitegen.index.outlets import Outlet, OutletLayout, layout_of, outlets_from
from sitegen.index.outlets import outlets_of as _outlets
from sitegen.model import Place, Post, digest
from sitegen.read.config import SiteConfig
from sitegen.read.imagefiles import ImageFile
from sitegen.read.layers import LayerData
from sitegen.read.places import SAME_PLACE_M, apart, how_far
from sitegen.read.slugs import slugify

_SEPARATORS = re.compile(r"[\s_-]+")


@dataclass(frozen=True)
class Term:
    name: str
    slug: str
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Taxonomy:
    name: str
    title: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Series:
    name: str
    slug: str
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class PlaceEntry:
    place: Place
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    posts: tuple[Post, ...]
    series: tuple[Series, ...]
    taxonomies: tuple[Taxonomy, ...]
    places: tuple[PlaceEntry, ...]
    problems: tuple[Problem, ...]
    public: frozenset[str] = frozenset()  # paths of posts neither draft nor future: feed material
    layers: Mapping[str, LayerData] = dataclass_field(default_factory=dict)  # by path
    pages: tuple[Post, ...] = ()  # the pages of pages/, in navigation order
    images: Mapping[str, ImageFile] = dataclass_field(default_factory=dict)  # by path
    cited: tuple[Outlet, ...] | None = None  # the outlets, when made with the indexes

    @cached_property
    def outlets(self) -> tuple[Outlet, ...]:
        """Every cited source by outlet, in the order of sortable names (see ``index.outlets``).

        Made with the indexes and kept with them in the cache: at 10,000 posts
        grouping some 35,000 sources is about a sixth of a one-post rebuild, and
        the sources pages need them to know which pages there are.
        """
        return self.cited if self.cited is not None else _outlets(self.posts)


def newest_first(posts: list[Post] | tuple[Post, ...]) -> tuple[Post, ...]:
    # By instant: the order of the aware datetimes (every post date has a zone),
    # without two offset lookups in each of the sort's comparisons.
    return tuple(sorted(posts, key=lambda p: (p.instant, p.slug), reverse=True))


def select(
    posts: list[Post] | tuple[Post, ...], now: datetime, drafts: bool, future: bool
) -> list[Post]:
    moment = now.timestamp()
    return [p for p in posts if (drafts or not p.draft) and (future or p.instant <= moment)]


def arrange(
    posts: list[Post], now: datetime, drafts: bool, future: bool
) -> tuple[tuple[Post, ...], frozenset[str]]:
    """The posts to show, newest first, and the paths of those that are feed material.

    ``--drafts`` and ``--future`` add pages, never feed items: a preview build must
    not announce a draft to subscribers.
    """
    ordered = newest_first(select(posts, now, drafts, future))
    return ordered, frozenset(p.path for p in select(ordered, now, drafts=False, future=False))


def index(config: SiteConfig, ordered: tuple[Post, ...], public: frozenset[str]) -> Site:
    """Index posts already arranged (see :func:`arrange`).

    ``problems`` holds collisions (errors) and series gaps (warnings).
    """
    problems: list[Problem] = []
    problems += _collisions(ordered)
    series = _series(ordered, problems)
    places = _places(ordered, config, problems)
    taxonomies = tuple(
        Taxonomy(name, name.replace("-", " ").title(), _terms(ordered, name, problems))
        for name in config.all_taxonomies
    )
    return Site(
        config=config,
        posts=ordered,
        series=series,
        taxonomies=taxonomies,
        places=places,
        problems=tuple(sorted(problems)),
        public=public,
        cited=_outlets(ordered),
    )


@dataclass(frozen=True)
class Layout:
    """A site's indexes with posts as positions in ``Site.posts``: what the cache keeps.

    The indexes are a function of what :func:`index_key` covers; rebuilding them
    from positions costs a few tuple copies instead of grouping every post again.
    """

    series: tuple[tuple[str, str, tuple[int, ...]], ...]
    taxonomies: tuple[tuple[str, str, tuple[tuple[str, str, tuple[int, ...]], ...]], ...]
    places: tuple[tuple[Place, tuple[int, ...]], ...]
    problems: tuple[Problem, ...]
    outlets: tuple[OutletLayout, ...] = ()

    @classmethod
    def of(cls, site: Site) -> Layout:
        at = {id(post): position for position, post in enumerate(site.posts)}

        def positions(posts: tuple[Post, ...]) -> tuple[int, ...]:
            return tuple(at[id(p)] for p in posts)

        return cls(
            series=tuple((s.name, s.slug, positions(s.posts)) for s in site.series),
            taxonomies=tuple(
                (t.name, t.title, tuple((m.name, m.slug, positions(m.posts)) for m in t.terms))
                for t in site.taxonomies
            ),
            places=tuple((e.place, positions(e.posts)) for e in site.places),
            problems=site.problems,
            outlets=layout_of(site.outlets, at),
        )

    def site(self, config: SiteConfig, ordered: tuple[Post, ...], public: frozenset[str]) -> Site:
        def posts(positions: tuple[int, ...]) -> tuple[Post, ...]:
            return tuple(map(ordered.__getitem__, positions))

        return Site(
            config=config,
            posts=ordered,
            series=tuple(Series(name, slug, posts(p)) for name, slug, p in self.series),
            taxonomies=tuple(
                Taxonomy(name, title, tuple(Term(n, slug, posts(p)) for n, slug, p in terms))
                for name, title, terms in self.taxonomies
            ),
            places=tuple(PlaceEntry(place, posts(p)) for place, p in self.places),
            problems=self.problems,
            public=public,
            cited=outlets_from(self.outlets, ordered),
        )


def index_key(ordered: tuple[Post, ...], public: frozenset[str]) -> str:
    """What the indexes are made from besides the config: each post's ``index`` digest."""
    return digest(
        "\n".join(f"{p.path}\0{p.index}\0{p.path in public:d}" for p in ordered).encode(
            "utf-8", "surrogatepass"
        )
    )


def _group(
    posts: tuple[Post, ...], names_of, field: str, problems: list[Problem]
) -> list[tuple[str, str, tuple[Post, ...]]]:
    """(display name, slug, posts) per slug, sorted by slug; ``field`` names the section.

    Names that differ only in case, Unicode form or the spaces, ``-`` and ``_``
    between words are one term, shown as first spelt (``Aleppo``, ``ALEPPO``);
    two other names that make one slug (``C++`` and ``C``, ``CON`` and
    ``con-1``) are an error, not one page silently holding both.  ``posts`` are
    newest first (as in ``Site.posts``) and so is each group.
    """
    groups: dict[str, dict[str, Post]] = defaultdict(dict)
    firsts: dict[str, tuple[str, str, Post]] = {}  # slug -> the first name, its spelling, its post
    known: dict[str, tuple[str, str]] = {}  # the same few names come back on thousands of posts
    clashes: set[tuple[str, str]] = set()
    for post in reversed(posts):  # oldest first: the oldest spelling of a name wins
        for name in names_of(post):
            slug, spelling = known.get(name) or known.setdefault(name, (slugify(name), _same(name)))
            first = firsts.get(slug)
            if first is None:
                firsts[slug] = (name, spelling, post)
            elif spelling != first[1] and (slug, spelling) not in clashes:
                clashes.add((slug, spelling))
                where = "in this post" if first[2] is post else f"of {first[2].path}"
                problems.append(
                    Problem(
                        post.path,
                        post.line_of(field),
                        field,
                        f"{name!r} and {first[0]!r} ({where}) would share one page, "
                        f"/{urls.section(field, slug)}: rename one",
                    )
                )
            groups[slug].setdefault(post.path, post)
    return [
        (firsts[slug][0], slug, tuple(reversed(groups[slug].values()))) for slug in sorted(groups)
    ]


def _same(name: str) -> str:
    """A name as spelt apart from case, Unicode form and word separators: one term's names."""
    return " ".join(_SEPARATORS.split(unicodedata.normalize("NFKC", name).casefold())).strip()


def _terms(posts: tuple[Post, ...], taxonomy: str, problems: list[Problem]) -> tuple[Term, ...]:
    groups = _group(posts, lambda p: p.terms(taxonomy), taxonomy, problems)
    return tuple(Term(*group) for group in groups)


def _series(posts: tuple[Post, ...], problems: list[Problem]) -> tuple[Series, ...]:
    found = []
    named = _group(posts, lambda p: (p.series,) if p.series else (), "series", problems)
    for name, slug, members in named:
        in_order = tuple(
            sorted(
                members,
                key=lambda p: (p.series_index is None, p.series_index or 0, p.date, p.slug),
            )
        )
        found.append(Series(name, slug, in_order))
        numbered: dict[int, Post] = {}
        for post in in_order:
            if post.series_index is None:
                continue
            if post.series_index in numbered:
                first = numbered[post.series_index]
                problems.append(
                    Problem(
                        post.path,
                        post.line_of("series_index"),
                        "series_index",
                        f"{name!r} number {post.series_index} is also used by {first.path}",
                    )
                )
            numbered.setdefault(post.series_index, post)
        if numbered:
            missing = sorted(set(range(min(numbered), max(numbered) + 1)) - set(numbered))
            if missing:
                last = numbered[max(numbered)]
                problems.append(
                    Problem(
                        last.path,
                        last.line_of("series_index"),
                        "series_index",
                        f"series {name!r} has no post numbered {', '.join(map(str, missing))}",
                        warning=True,
                    )
                )
    return tuple(found)


def _collisions(posts: tuple[Post, ...]) -> list[Problem]:
    """Two posts, or a post and an alias, that would write one page; one feed id twice."""
    owners: dict[str, tuple[Post, str]] = {}
    guids: dict[str, Post] = {}
    problems = []
    in_order = sorted(posts, key=lambda p: p.path)
    targets = [(post, urls.post(post.slug), "slug") for post in in_order]  # pages before aliases
    targets += [
        (post, urls.alias_path(alias), f"aliases[{index}]")
        for post in in_order
        for index, alias in enumerate(post.aliases)
    ]
    for post, path, field in targets:
        key = urls.output_file(path).casefold()
        other, other_field = owners.setdefault(key, (post, field))
        if other is post and other_field == field:
            continue
        if other is not post:
            what = f"is also written by {other.path}"
        elif other_field == "slug":
            what = "is this post's own URL"
        else:
            what = f"is also this post's {other_field}"
        problems.append(Problem(post.path, _line(post, field), field, f"/{path} {what}"))
    for post in in_order:
        if post.guid is not None and (first := guids.setdefault(post.guid, post)) is not post:
            problems.append(
                Problem(
                    post.path,
                    post.line_of("id"),
                    "id",
                    f"{post.guid!r} is also the feed id of {first.path} (line "
                    f"{first.line_of('id')}); feed readers would take the two for one post",
                )
            )
    return problems


def _line(post: Post, field: str) -> int:
    """The line of a field, of the list it is an item of, or else of the title."""
    lines = post.lines
    return lines.get(field) or lines.get(field.split("[")[0]) or post.line_of("title")


def _places(
    posts: tuple[Post, ...], config: SiteConfig, problems: list[Problem]
) -> tuple[PlaceEntry, ...]:
    """One entry per place key; two far-apart places under one name are an error."""
    places: dict[str, Place] = {}
    first: dict[str, Post | None] = {}
    members: dict[str, dict[str, Post]] = defaultdict(dict)
    for place in config.places.values():
        places.setdefault(place.key, place)
        first[place.key] = None
    for post in reversed(posts):  # oldest first: the first to name a place defines it
        for index, place in enumerate(post.places):
            known = places.setdefault(place.key, place)
            first.setdefault(place.key, post)
            if (metres := apart(known, place)) is not None:
                where = first[place.key].path if first[place.key] else "site.yaml places"
                problems.append(
                    Problem(
                        post.path,
                        post.lines.get(f"locations[{index}]", post.line_of("locations")),
                        f"locations[{index}]",
                        f"{place.name!r} at {place.lat:g}, {place.lon:g} is {how_far(metres)} "
                        f"from the {known.name!r} of {where} ({known.lat:g}, {known.lon:g}), "
                        f"and both would be /locations/{place.key}/ (one place may differ by "
                        f"{SAME_PLACE_M} m); give one a distinct name "
                        f"(e.g. '{place.name} (district)') or a registry id",
                    )
                )
            else:
                members[place.key].setdefault(post.path, post)
    places = {key: place for key, place in places.items() if members[key]}
    return tuple(
        PlaceEntry(places[key], tuple(reversed(members[key].values())))
        for key in sorted(places, key=lambda k: (places[k].name.casefold(), k))
    )
