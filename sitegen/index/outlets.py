"""Every source cited across the site, grouped by outlet and filed by its sortable name.

The sources pages (``sitegen.output.sources``) list these in order; what a name
sorts as and the initial it is filed under come from :mod:`sitegen.index.names`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypeAlias

from sitegen.index.names import OTHER, letter_order, sortable
from sitegen.model import Post, Source
from sitegen.read.slugs import slugify


@dataclass(frozen=True)
class CitedSource:
    source: Source
    posts: tuple[Post, ...]  # newest first


@dataclass(frozen=True)
class Outlet:
    """Sources grouped by outlet or author name, as /sources/ files them.

    ``key`` is the sortable name (folded), ``heading`` the name as shown over its
    entries (a person's inverted: "Kinglake, Alexander William"), ``letter`` the
    initial it is filed under.
    """

    name: str
    slug: str
    entries: tuple[CitedSource, ...]
    key: str = ""
    heading: str = ""
    letter: str = OTHER


# An outlet with its posts as positions in Site.posts: (name, slug, key, heading, letter,
# entries as (position of a citing post, index of the source in its sources, citing positions)).
OutletLayout: TypeAlias = tuple[
    str, str, str, str, str, tuple[tuple[int, int, tuple[int, ...]], ...]
]


def outlets_of(posts: tuple[Post, ...]) -> tuple[Outlet, ...]:
    """Every source cited by ``posts``, grouped by outlet name, in the order of sortable names.

    ``posts`` are newest first, and so are the posts of each source.  An outlet
    sorts as the first ``sort_as`` among its sources (in title order), if any.
    """
    outlets: dict[str, list[CitedSource]] = defaultdict(list)
    names: dict[str, str] = {}
    for source, order in _citing(posts).items():
        slug = slugify(source.name)
        names.setdefault(slug, source.name)
        outlets[slug].append(CitedSource(source, tuple(posts[i] for i in order)))
    made = []
    for slug, cited in outlets.items():
        entries = tuple(sorted(cited, key=_entry_order))
        sort_as = next((c.source.sort_as for c in entries if c.source.sort_as), None)
        named = sortable(names[slug], sort_as)
        made.append(Outlet(names[slug], slug, entries, named.key, named.heading, named.letter))
    made.sort(key=lambda o: (letter_order(o.letter), o.key, o.name.casefold(), o.slug))
    return tuple(made)


def _entry_order(cited: CitedSource) -> tuple[str, str, str]:
    title = cited.source.title or ""
    return title.casefold(), title, cited.source.id


def _citing(posts: tuple[Post, ...]) -> dict[Source, list[int]]:
    """Each distinct source and the positions (in ``posts``) of the posts citing it, in order.

    By object first (hashing a source is not free, and posts read together share
    equal sources), then by value, so that equal sources held apart still meet.
    """
    by_object: dict[int, tuple[Source, list[int]]] = {}
    for position, post in enumerate(posts):
        for source in post.sources:
            if (found := by_object.get(id(source))) is not None:
                found[1].append(position)
            else:
                by_object[id(source)] = (source, [position])
    citing: dict[Source, list[int]] = {}
    merged: set[Source] = set()
    for source, positions in by_object.values():
        if source in citing:
            citing[source] += positions
            merged.add(source)
        else:
            citing[source] = positions
    for source in merged:
        citing[source] = sorted(set(citing[source]))
    return citing


def layout_of(outlets: tuple[Outlet, ...], at: dict[int, int]) -> tuple[OutletLayout, ...]:
    """The outlets with posts as positions (``at``: a post's id to its position): for the cache."""

    def located(entry: CitedSource) -> tuple[int, int, tuple[int, ...]]:
        first = entry.posts[0]
        index = next((i for i, s in enumerate(first.sources) if s is entry.source), None)
        if index is None:  # an equal source held apart
            index = first.sources.index(entry.source)
        return at[id(first)], index, tuple(at[id(p)] for p in entry.posts)

    return tuple(
        (o.name, o.slug, o.key, o.heading, o.letter, tuple(map(located, o.entries)))
        for o in outlets
    )


def outlets_from(layout: tuple[OutletLayout, ...], posts: tuple[Post, ...]) -> tuple[Outlet, ...]:
    """The outlets again from :func:`layout_of` and the same posts in the same order."""
    return tuple(
        Outlet(
            name,
            slug,
            tuple(
                CitedSource(posts[first].sources[index], tuple(map(posts.__getitem__, citing)))
                for first, index, citing in entries
            ),
            key,
            heading,
            letter,
        )
        for name, slug, key, heading, letter, entries in layout
    )
