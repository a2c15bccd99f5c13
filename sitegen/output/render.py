"""Pages: the Jinja2 theme applied to template views, one ``OutputFile`` per page."""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.errors import ContentError, Problem
from sitegen.index import urls
from sitegen.index.site import CitedSource, Outlet, Site, Taxonomy
from sitegen.index.urls import Links
from sitegen.model import OutputFile, Post, listings
from sitegen.output import search
from sitegen.output.views import Lazy, Views


class _Environment(jinja2.Environment):
    """Jinja2 with ``view.key`` looked up as a key first when the view is a dict.

    Template views are dicts; Jinja2 tries ``getattr`` first and reaches the
    key only after an AttributeError, on every ``post.title`` of every card.  No
    view has a key named like a dict method, so templates see the same values.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(template_dirs: list[Path]) -> jinja2.Environment:
    return _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # One environment per build: its templates cannot change under it, and
        # checking their files on every include is a stat per card of a list page.
        auto_reload=False,
    )


# Where a post lists a source, as opposed to the source itself (see Renderer.source_entry).
_LISTED = ("number", "cited", "posts")


def _encoded(pieces: Iterator[str]) -> bytes:
    parts = []
    while batch := list(islice(pieces, 4096)):
        parts.append("".join(batch).encode("utf-8"))
    return b"".join(parts)


class Renderer:
    """Renders every page of a site; template errors become content problems."""

    def __init__(
        self, env: jinja2.Environment, site: Site, links: Links, theme: str, salt: bytes = b""
    ) -> None:
        self.env = env
        self.site = site
        self.links = links
        self.views = Views(site, links)
        self.common = self.views.common()
        self._cards: dict[tuple[str, int], Markup] = {}
        self._sources: dict[tuple[Any, ...], Markup] = {}
        env.globals["card"] = self.card
        env.globals["source_entry"] = self.source_entry
        self.sitemap: list[tuple[str, str | None]] = []
        # Every page depends on the theme, on what all pages share (nav, site title) and
        # on ``salt`` (the config and sitegen's code).
        shared = json.dumps(self.common, sort_keys=True, default=str)
        self.salt = hashlib.blake2b(
            f"{theme}\n{shared}".encode(), key=salt[:64], digest_size=32
        ).digest()

    def render(
        self,
        template: str,
        page: dict[str, Any],
        in_sitemap: bool = True,
        posts: tuple[Post, ...] | None = None,
        rest: Callable[[], dict[str, Any]] | None = None,
        large: bool = False,
    ) -> OutputFile:
        """A page to be rendered on demand; its fingerprint covers the view and the theme.

        A list page passes its ``posts`` apart: they enter the fingerprint by what
        lists show of them (``Post.listing``), and the view's parts made from them
        (by default their cards as ``page.posts``; else what ``rest()`` returns) are
        built only if the page is made.  A ``large`` page (one that lists the whole
        archive) is encoded as it is rendered (see ``produce``).
        """
        if in_sitemap:
            self.sitemap.append((page["canonical"], page.get("lastmod")))
        view = json.dumps(page, ensure_ascii=False, default=str, separators=(",", ":"))
        fingerprint = hashlib.blake2b(digest_size=16, key=self.salt)
        fingerprint.update(template.encode())
        fingerprint.update(view.encode("utf-8", "surrogatepass"))
        if posts is not None:
            fingerprint.update(listings(posts))

        def produce() -> bytes:
            if posts is None:
                return self.produce(template, page, large)
            extra = rest() if rest is not None else {"posts": self.cards(posts)}
            return self.produce(template, {**page, **extra}, large)

        return OutputFile(urls.output_file(page["path"]), fingerprint.hexdigest(), produce)

    def produce(self, template: str, page: dict[str, Any], large: bool = False) -> bytes:
        """The page's UTF-8 bytes; a ``large`` one is joined and encoded piece by piece.

        Jinja2's ``render`` joins every piece of output into one str: for the
        sources page at 10,000 posts, about a million pieces, then a str of tens
        of MB (two bytes a character once one Cyrillic name is in it), then its
        bytes, all held at once by a render worker.  That is the build's peak
        memory; encoding a few thousand pieces at a time costs a little more CPU.
        """
        try:
            chosen = self.env.get_template(template)
            if large:
                return _encoded(chosen.generate(site=self.common, page=page))
            html = chosen.render(site=self.common, page=page)
        except jinja2.TemplateSyntaxError as exc:
            raise ContentError(
                [Problem(f"templates/{exc.name or template}", exc.lineno, "", exc.message or "")]
            ) from None
        except jinja2.TemplateError as exc:
            name, line = _template_line(exc, template)
            raise ContentError([Problem(f"templates/{name}", line, "", str(exc))]) from None
        return html.encode("utf-8")

    def pages(self) -> Iterator[OutputFile]:
        """Every page, one at a time (posts are many: their views are never all held)."""
        yield from self.home_pages()
        for post in self.site.posts:
            yield self.post_page(post)
        yield from self.series_pages()
        for taxonomy in self.site.taxonomies:
            yield from self.taxonomy_pages(taxonomy)
        yield from self.place_pages()
        yield self.sources_page()
        yield self.archive_page()
        if self.common["search"]:
            yield self.render(
                "search.html",
                self.views.page(
                    "search/",
                    "Search",
                    "Search every report.",
                    kind="search",
                    bundles=[  # newest first: the first one also serves Pagefind's UI
                        self.links.href(f"{search.BUNDLE}/{name}/")
                        for name in search.shards(self.site.posts)
                    ],
                ),
            )
        yield from self.alias_pages()
        yield self.render(
            "404.html", self.views.page("404.html", "Page not found"), in_sitemap=False
        )
        sitemap = {"path": "sitemap.xml", "urls": list(self.sitemap)}
        yield self.render("sitemap.xml", sitemap, in_sitemap=False)
        yield self.render(
            "robots.txt",
            {"path": "robots.txt", "sitemap": self.links.absolute("sitemap.xml")},
            in_sitemap=False,
        )

    def card(self, post: dict[str, Any], level: int = 2) -> Markup:
        """``partials/card.html`` for one post's card view, rendered once per heading level.

        Templates call ``card(post, level)`` where they would include the partial:
        a post is listed on a dozen pages (home, archive, series, each tag and
        place), and rendering its card anew each time was most of the cost of a
        list page.  The partial sees ``site``, ``post`` and ``level``.
        """
        key = (post["url"], level)
        html = self._cards.get(key)
        if html is None:
            template = self.env.get_template("partials/card.html")
            html = Markup(template.render(site=self.common, post=post, level=level))
            self._cards[key] = html
        return html

    def source_entry(self, source: dict[str, Any]) -> Markup:
        """``partials/source.html`` for one source, rendered once per build.

        Post pages call ``source_entry(source)`` for each source they list: one
        outlet's report is cited by many posts, and each include of the partial
        cost a template context and a render.  The partial sees ``site`` and the
        source's own fields, not where it is listed (``number``, ``cited``, and
        on the sources page the ``posts`` citing it).
        """
        own = {k: v for k, v in source.items() if k not in _LISTED}
        key = tuple(v["iso"] if type(v) is dict else v for v in own.values())
        html = self._sources.get(key)
        if html is None:
            template = self.env.get_template("partials/source.html")
            html = Markup(template.render(site=self.common, source=own))
            self._sources[key] = html
        return html

    def cards(self, posts: tuple[Post, ...] | list[Post]) -> list[dict[str, Any]]:
        return [self.views.card(p) for p in posts]

    def home_pages(self) -> list[OutputFile]:
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
            files.append(self.render("index.html", page, posts=chunk))
        return files

    def post_page(self, post: Post) -> OutputFile:
        """A post's page, fingerprinted from its inputs without building its view.

        Posts are most of the pages; the view (with the whole body) is built only
        when the page must really be rendered.  The inputs: the post's bytes (its
        digest), its place in its series, and the salt (theme, config, code).
        """
        path = urls.post(post.slug)
        self.sitemap.append((self.links.absolute(path), post.last_modified.isoformat()))
        inputs = f"post\0{post.digest}\0{post.path}\0{self.views.series_inputs(post)}"
        h = hashlib.blake2b(inputs.encode("utf-8", "surrogatepass"), digest_size=16, key=self.salt)
        return OutputFile(
            urls.output_file(path),
            h.hexdigest(),
            lambda: self.produce("post.html", self.views.post(post)),
        )

    def series_pages(self) -> list[OutputFile]:
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
        files = [self.render("series_index.html", index)]
        for series in self.site.series:
            path = urls.section("series", series.slug)
            page = self.views.page(
                path,
                series.name,
                f"Every post of the series {series.name}, in order.",
                kind="series",
                name=series.name,
                feed=self.links.href(path + "feed.xml"),
            )
            files.append(self.render("series.html", page, posts=series.posts))
        return files

    def taxonomy_pages(self, taxonomy: Taxonomy) -> list[OutputFile]:
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
        files = [self.render("taxonomy.html", index)]
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
            files.append(self.render("term.html", page, posts=term.posts))
        return files

    def place_pages(self) -> list[OutputFile]:
        places = [{**self.views.place(e.place), "count": len(e.posts)} for e in self.site.places]
        index = self.views.page(
            urls.section("locations"),
            "Places",
            "Every place named in our reports, on one map.",
            kind="locations",
            places=places,
            map_data=self.views.map_data(places) if places else None,
        )
        files = [self.render("locations.html", index)]
        for entry, view in zip(self.site.places, places, strict=True):
            page = self.views.page(
                urls.section("locations", entry.place.key),
                entry.place.name,
                f"Reports that name {entry.place.name}.",
                kind="location",
                place=view,
                map_data=self.views.map_data([view]),
            )
            files.append(self.render("location.html", page, posts=entry.posts))
        return files

    def sources_page(self) -> OutputFile:
        """Every cited source: made from the posts (and the registry, in the salt)."""

        def entry(entry: CitedSource) -> dict[str, Any]:
            return {
                **self.views.source(0, entry.source, True),
                "posts": [
                    {"title": p.title, "url": self.links.href(urls.post(p.slug))}
                    for p in entry.posts
                ],
            }

        def outlet(outlet: Outlet) -> dict[str, Any]:
            return {
                "name": outlet.name,
                "anchor": f"outlet-{outlet.slug}",
                "entries": Lazy(outlet.entries, entry),
            }

        def outlets() -> dict[str, Any]:
            return {"outlets": Lazy(self.site.outlets, outlet)}

        page = self.views.page(
            urls.section("sources"),
            "Sources",
            "Every source we cite, with its Admiralty grades and the reports citing it.",
            kind="sources",
        )
        return self.render("sources.html", page, posts=self.site.posts, rest=outlets, large=True)

    def archive_page(self) -> OutputFile:
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
        return self.render("archive.html", page, posts=self.site.posts, rest=years, large=True)

    def alias_pages(self) -> list[OutputFile]:
        files = []
        for post in self.site.posts:
            if not post.aliases:
                continue
            target = self.links.absolute(urls.post(post.slug))
            for alias in post.aliases:
                page = self.views.page(
                    urls.alias_path(alias), post.title, kind="redirect", target=target
                )
                files.append(self.render("redirect.html", page, in_sitemap=False))
        return files


def _template_line(exc: Exception, template: str) -> tuple[str, int]:
    """The template and line of a runtime error, from Jinja's rewritten traceback."""
    tb = exc.__traceback__
    name, line = template, 0
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            parts = Path(filename).parts
            name = "/".join(parts[parts.index("templates") + 1 :]) if "templates" in parts else name
            line = tb.tb_lineno
        tb = tb.tb_next
    return name, line


def theme_fingerprint(template_dirs: list[Path]) -> str:
    """A hash of every template file: a theme edit re-renders every page."""
    h = hashlib.blake2b(digest_size=16)
    for directory in template_dirs:
        for path in sorted(directory.rglob("*")) if directory.is_dir() else []:
            if path.is_file():
                h.update(path.relative_to(directory).as_posix().encode() + b"\0")
                h.update(path.read_bytes())
    return h.hexdigest()
