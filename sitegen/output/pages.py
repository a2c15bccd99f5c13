"""Every HTML page of the site (and robots.txt), declared as outputs with their inputs.

Views are built here from the site's indexes; a page's bytes are made only if
the plan decides they must be (``Output.produce``), so a list page declares its
posts apart (``Inputs.listed``) and builds their cards only when it is made.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from sitegen.index import urls
from sitegen.index.site import Series, Site, Taxonomy
from sitegen.index.urls import Links
from sitegen.model import Post
from sitegen.output import search, situation
from sitegen.output.dates import iso
from sitegen.output.outputs import Inputs, Output, Owner
from sitegen.output.render import Renderer
from sitegen.output.sources import SourcePages


class Pages:
    """The pages of one site, in the order they are listed in the sitemap."""

    def __init__(self, renderer: Renderer, site: Site, links: Links) -> None:
        self.renderer = renderer
        self.views = renderer.views
        self.site = site
        self.links = links

    def page(
        self,
        template: str,
        page: dict[str, Any],
        in_sitemap: bool = True,
        posts: tuple[Post, ...] | None = None,
        rest: Callable[[], dict[str, Any]] | None = None,
        large: bool = False,
        owner: Owner | None = None,
    ) -> Output:
        """A page made from ``page``, its view, and (for a list page) ``posts``.

        A list page's posts enter by what lists show of them, and the parts of
        the view made from them (by default their cards as ``page.posts``; else
        what ``rest()`` returns) are built only if the page is made.  A
        ``large`` page (one that lists the whole archive) is encoded as it is
        rendered (see ``Renderer.produce``).
        """
        view = json.dumps(page, ensure_ascii=False, default=str, separators=(",", ":"))
        produce = self.renderer.produce

        def make() -> bytes:
            if posts is None:
                return produce(template, page, large)
            extra = rest() if rest is not None else {"posts": self.cards(posts)}
            return produce(template, {**page, **extra}, large)

        return Output(
            urls.output_file(page["path"]),
            Inputs(template, view, listed=posts or ()),
            make,
            owner=owner,
            sitemap=(page["canonical"], page.get("lastmod")) if in_sitemap else None,
        )

    def all(self) -> Iterator[Output]:
        """Every page, one at a time (posts are many: their views are never all held)."""
        yield from self.home_pages()
        yield from map(self.post_page, self.site.posts)
        yield from map(self.post_page, self.site.pages)
        yield from self.series_pages()
        for taxonomy in self.site.taxonomies:
            yield from self.taxonomy_pages(taxonomy)
        yield from self.place_pages()
        yield from self.sources_pages()
        yield self.archive_page()
        if self.renderer.common["search"]:
            yield self.search_page()
        yield from self.alias_pages()
        yield self.page("404.html", self.views.page("404.html", "Page not found"), False)

    def cards(self, posts: tuple[Post, ...] | list[Post]) -> list[dict[str, Any]]:
        return [self.views.card(p) for p in posts]

    def home_pages(self) -> list[Output]:
        size = self.site.config.posts_per_page
        count = max(1, math.ceil(len(self.site.posts) / size))
        files = []
        for number in range(1, count + 1):
            path = urls.home(number)
            pager = {
                "number": number,
                "count": count,
                "previous": self.links.href(urls.home(number - 1)) if number > 1 else None,
                "next": self.links.href(urls.home(number + 1)) if number < count else None,
            }
            title = self.site.config.title if number == 1 else f"Page {number}"
            chunk = self.site.posts[(number - 1) * size : number * size]
            page = self.views.page(path, title, kind="home", pager=pager)
            files.append(self.page("index.html", page, posts=chunk))
        return files

    def post_page(self, post: Post) -> Output:
        """A post's page, declared without building its view.

        Posts are most of the pages; the view (with the whole body) is built
        only when the page must really be rendered.  The inputs: the post's
        bytes and its place in its series (its neighbours' titles and links).
        """
        path = post.url_path
        layers = tuple(self.site.layers[layer.file].digest for layer in post.layers)
        drawn = layers + self.views.figures.inputs(post)
        template = "page.html" if post.page else "post.html"
        lastmod = post.updated if post.page else post.last_modified
        return Output(
            urls.output_file(path),
            Inputs(template, self.views.series_inputs(post), posts=(post,), files=drawn),
            lambda: self.renderer.produce(template, self.views.post(post)),
            owner=Owner(post.path, post.line_of("slug"), "slug"),
            sitemap=(self.links.absolute(path), iso(lastmod) if lastmod else None),
        )

    def series_pages(self) -> list[Output]:
        index = self.views.page(
            urls.section("series"),
            "Series",
            kind="series_index",
            series=[
                {
                    "name": s.name,
                    "url": self.links.href(urls.section("series", s.slug)),
                    "count": len(s.posts),
                    "latest": self.views.card(max(s.posts, key=lambda p: p.date)),
                }
                for s in self.site.series
            ],
        )
        files = [self.page("series_index.html", index)]
        for series in self.site.series:
            path = urls.section("series", series.slug)
            page = self.views.page(
                path,
                series.name,
                f"Every post of the series {series.name}, in order.",
                kind="series",
                name=series.name,
                feed=self.links.href(path + "feed.xml"),
                situation=self.links.href(situation.page_path(series))
                if self.views.mapped(series)
                else None,
            )
            files.append(self.page("series.html", page, posts=series.posts))
            if self.views.mapped(series):
                files.append(self.situation_page(series))
        return files

    def situation_page(self, series: Series) -> Output:
        """The series on one map, step by step; made from its posts' front matter and layers."""
        path = situation.page_path(series)
        maps, links = self.views.maps, self.links
        steps = situation.steps(series, maps, links)
        page = self.views.page(
            path,
            f"{series.name}: the situation",
            f"The situation of {series.name}, SITREP by SITREP, on one map.",
            kind="situation",
            name=series.name,
            series_url=links.href(urls.section("series", series.slug)),
            steps=steps,
            map_data=situation.page_map(series, steps, maps, links),
            geojson=links.href(urls.section("series", series.slug) + "situation.geojson"),
            kml=links.href(urls.section("series", series.slug) + "situation.kml"),
            csv=links.href("events.csv"),
        )
        return self.page("situation.html", page)

    def taxonomy_pages(self, taxonomy: Taxonomy) -> list[Output]:
        index = self.views.page(
            urls.section(taxonomy.name),
            taxonomy.title,
            kind="taxonomy",
            taxonomy=taxonomy.title,
            terms=[
                {
                    "name": t.name,
                    "url": self.links.href(urls.section(taxonomy.name, t.slug)),
                    "count": len(t.posts),
                }
                for t in sorted(taxonomy.terms, key=lambda t: (-len(t.posts), t.slug))
            ],
        )
        files = [self.page("taxonomy.html", index)]
        for term in taxonomy.terms:
            path = urls.section(taxonomy.name, term.slug)
            page = self.views.page(
                path,
                term.name,
                f"Posts filed under {term.name} ({taxonomy.title}).",
                kind="term",
                taxonomy={
                    "title": taxonomy.title,
                    "url": self.links.href(urls.section(taxonomy.name)),
                },
                name=term.name,
                feed=self.links.href(path + "feed.xml"),
            )
            files.append(self.page("term.html", page, posts=term.posts))
        return files

    def place_pages(self) -> list[Output]:
        places = [{**self.views.place(e.place), "count": len(e.posts)} for e in self.site.places]
        index = self.views.page(
            urls.section("locations"),
            "Places",
            "Every place named in our reports, on one map.",
            kind="locations",
            places=places,
            map_data=self.views.map_data([e.place for e in self.site.places]) if places else None,
        )
        files = [self.page("locations.html", index)]
        for entry, view in zip(self.site.places, places, strict=True):
            page = self.views.page(
                urls.section("locations", entry.place.key),
                entry.place.name,
                f"Reports that name {entry.place.name}.",
                kind="location",
                place=view,
                map_data=self.views.map_data([entry.place]),
            )
            files.append(self.page("location.html", page, posts=entry.posts))
        return files

    def sources_pages(self) -> list[Output]:
        """/sources/, a page per initial and per grade: see ``sitegen.output.sources``."""
        return SourcePages(self).outputs()

    def archive_page(self) -> Output:
        def years() -> dict[str, Any]:
            by_year: dict[int, dict[tuple[int, str], list[Post]]] = defaultdict(
                lambda: defaultdict(list)
            )
            for post in self.site.posts:
                by_year[post.date.year][(post.date.month, f"{post.date:%B}")].append(post)
            return {
                "years": [
                    {
                        "year": year,
                        "months": [
                            {"name": name, "posts": self.cards(posts)}
                            for (_, name), posts in sorted(months.items(), reverse=True)
                        ],
                    }
                    for year, months in sorted(by_year.items(), reverse=True)
                ]
            }

        page = self.views.page(urls.section("archive"), "Archive", kind="archive")
        return self.page("archive.html", page, posts=self.site.posts, rest=years, large=True)

    def search_page(self) -> Output:
        bundles = [  # newest first: the first one also serves Pagefind's UI
            self.links.href(f"{search.BUNDLE}/{name}/")
            for name in search.shards(self.site.posts, self.site.pages)
        ]
        page = self.views.page(
            "search/", "Search", "Search every report.", kind="search", bundles=bundles
        )
        return self.page("search.html", page)

    def alias_pages(self) -> list[Output]:
        files = []
        for post in (*self.site.posts, *self.site.pages):
            target = self.links.absolute(post.url_path)
            for index, alias in enumerate(post.aliases):
                page = self.views.page(
                    urls.alias_path(alias), post.title, kind="redirect", target=target
                )
                field = f"aliases[{index}]"
                owner = Owner(post.path, post.lines.get(field, post.line_of("aliases")), field)
                files.append(self.page("redirect.html", page, False, owner=owner))
        return files

    def sitemap(self, entries: list[tuple[str, str | None]]) -> Output:
        """``sitemap.xml``: every page that declared a sitemap entry, in the order declared."""
        return self.page("sitemap.xml", {"path": "sitemap.xml", "urls": entries}, False)

    def robots(self) -> Output:
        page = {"path": "robots.txt", "sitemap": self.links.absolute("sitemap.xml")}
        return self.page("robots.txt", page, False)
