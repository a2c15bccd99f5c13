"""What templates see: plain dicts computed from the model, links already made.

Templates only lay these out; every URL, grouping, number and label is decided
here so that themes stay simple and the model stays free of presentation.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from markupsafe import Markup

from sitegen import __version__
from sitegen.index import urls
from sitegen.index.site import Series, Site
from sitegen.index.urls import Links
from sitegen.model import IMAGE_TYPES, Place, Post, Source
from sitegen.output.dates import iso
from sitegen.output.figures import Figures
from sitegen.output.maps import MapViews, place_anchor
from sitegen.output.situation import has_situation, page_path
from sitegen.read.slugs import slugify


def moment(value: datetime | date) -> dict[str, str]:
    """A date for ``<time datetime=...>`` and its human forms.

    ``human`` is for a post's own header: the date, and the time with its zone
    as written when there is one; ``day_human`` is for lists, which show the
    date alone so that every line of a list reads alike.  ``iso`` is in UTC where
    the zone's offset then had seconds (local mean time: :mod:`sitegen.output.dates`).
    """
    day_human = f"{value.day} {value:%B %Y}"
    if isinstance(value, datetime):
        human = day_human
        if (value.hour, value.minute) != (0, 0):
            human += f", {value:%H:%M} {value.tzname() or ''}".rstrip()
        day = value.date().isoformat()
        return {"iso": iso(value), "human": human, "day": day, "day_human": day_human}
    day = value.isoformat()
    return {"iso": day, "human": day_human, "day": day, "day_human": day_human}


def split_lead(html: str) -> tuple[str, str]:
    """The body's opening paragraph and the rest: the post's map goes between them."""
    if not html.startswith("<p>"):
        return "", html
    end = html.find("</p>") + len("</p>")
    return html[:end], html[end:]


def json_for_html(value: Any) -> Markup:
    """JSON that is safe inside ``<script>`` and attributes (no '<', '>', '&')."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def coordinate(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.4f}° {positive if value >= 0 else negative}"


class Views:
    """Builds template views for one site; holds the link maker and the site."""

    def __init__(self, site: Site, links: Links) -> None:
        self.site = site
        self.links = links
        self.config = site.config
        self._cards: dict[str, dict[str, Any]] = {}  # a post appears on many list pages
        self._mapped: dict[str, bool] = {}
        self.maps = MapViews(self.config, links, dict(site.layers))
        self.figures = Figures(site, links)
        self._positions = {  # post path -> its series and its index there
            post.path: (s, index) for s in site.series for index, post in enumerate(s.posts)
        }

    # -- shared pieces -------------------------------------------------------------

    def common(self) -> dict[str, Any]:
        config, href = self.config, self.links.href
        nav = [{"title": "Series", "url": href(urls.section("series"))}]
        nav += [{"title": t.title, "url": href(urls.section(t.name))} for t in self.site.taxonomies]
        nav += [
            {"title": "Places", "url": href(urls.section("locations"))},
            {"title": "Sources", "url": href(urls.section("sources"))},
            {"title": "Archive", "url": href(urls.section("archive"))},
        ]
        nav += [
            {"title": p.title, "url": href(p.url_path)}
            for p in self.site.pages
            if p.menu is not None
        ]
        newest = self.site.posts[0].date.year if self.site.posts else None
        return {
            "title": config.title,
            "description": config.description,
            "language": config.language,
            "author": config.author,
            "base_url": config.base_url,
            "home": href(""),
            "static": href("static/"),
            "rss": href("feed.xml"),
            "atom": href("atom.xml"),
            "geojson": href("locations.geojson"),
            "nav": nav,
            "map": {
                "tiles": config.map.tiles,
                "attribution": config.map.attribution,
                "max_zoom": config.map.max_zoom,
            },
            "generator": f"sitegen {__version__}",
            "favicon": {
                "url": href(config.favicon),
                "type": IMAGE_TYPES.get(PurePosixPath(config.favicon).suffix, "image/x-icon"),
            },
            "preview": self.figures.preview(None),
            "search": href("search/") if config.search and self.site.posts else None,
            "year": newest,
        }

    def page(self, path: str, title: str, description: str = "", **extra: Any) -> dict[str, Any]:
        return {
            "path": path,
            "url": self.links.href(path),
            "canonical": self.links.absolute(path),
            "title": title,
            "description": description or self.config.description,
            **extra,
        }

    def term_link(self, taxonomy: str, name: str) -> dict[str, str]:
        return {"name": name, "url": self.links.href(urls.section(taxonomy, slugify(name)))}

    def place(self, place: Place) -> dict[str, Any]:
        return {
            "key": place.key,
            "name": place.name,
            "local_name": place.local_name,
            "lang": place.local_lang,
            "dir": place.local_dir,
            "lat": place.lat,
            "lon": place.lon,
            "lat_human": coordinate(place.lat, "N", "S"),
            "lon_human": coordinate(place.lon, "E", "W"),
            "url": self.links.href(urls.section("locations", place.key)),
            "anchor": place_anchor(place),
        }

    def map_data(self, places: list[Place]) -> str:
        """The ``data-map`` JSON of a map of places alone (a place page, the places page)."""
        return self.maps.map_json(places, [], [], place_links=False)

    # -- posts ------------------------------------------------------------------------

    def card(self, post: Post) -> dict[str, Any]:
        """A post on a list page; computed once per post (templates must not mutate it)."""
        if post.path in self._cards:
            return self._cards[post.path]
        series = None
        if post.series:
            series = {
                "name": post.series,
                "index": post.series_index,
                "url": self.links.href(urls.section("series", slugify(post.series))),
            }
        card = self._cards[post.path] = {
            "title": post.title,
            "subtitle": post.subtitle,
            "url": self.links.href(post.url_path),
            "date": moment(post.date),
            "updated": moment(post.updated) if post.updated else None,
            "authors": list(post.authors),
            "summary": post.summary,
            "series": series,
            "tags": [self.term_link("tags", t) for t in post.tags],
            "draft": post.draft,
            "reading_minutes": post.reading_minutes,
        }
        return card

    def source(self, number: int, source: Source, cited: bool) -> dict[str, Any]:
        return {
            "number": number,
            "id": source.id,
            "anchor": f"source-{source.id}",
            "name": source.name,
            "title": source.title,
            "url": source.url,
            "archive_url": source.archive_url,
            "published": {"iso": source.published.iso, "human": source.published.human}
            if source.published
            else None,
            "grade": source.grade,
            "meaning": source.grade_meaning,
            "cited": cited,
        }

    def post(self, post: Post) -> dict[str, Any]:
        path = post.url_path
        card = self.card(post)
        places = [self.place(p) for p in post.places]
        lead, rest = split_lead(self.figures.body(post, post.body_html))
        preview = self.figures.preview(post)
        taxonomies = [
            {
                "title": t.title,
                "terms": [self.term_link(t.name, name) for name in post.terms(t.name)],
            }
            for t in self.site.taxonomies
            if t.name != "tags" and post.terms(t.name)
        ]
        return self.page(
            path,
            post.title,
            post.summary,
            kind="post",
            post={
                **card,
                "lead": Markup(lead),
                "body": Markup(rest),
                "situation": self.maps.post(post, self.figures.pins(post)),
                # Themes copied before the situation map read ``data-places`` from this:
                "map_data": json.dumps(
                    [
                        {k: p[k] for k in ("name", "local_name", "lat", "lon", "url")}
                        for p in places
                    ],
                    ensure_ascii=False,
                    sort_keys=True,
                )
                if places
                else None,
                "standfirst": post.summary if post.summary_given else None,
                "toc": Markup(post.toc_html) if post.headings >= 3 else None,
                "sources": [
                    self.source(i + 1, s, i < post.cited) for i, s in enumerate(post.sources)
                ],
                "places": places,
                "corrections": [{"date": moment(c.date), "text": c.text} for c in post.corrections],
                "taxonomies": taxonomies,
                "series_nav": self.series_nav(post),
                "extra": post.extra,
            },
            jsonld=self.jsonld(post, preview),
            og_type="website" if post.page else "article",
            preview=preview,
        ) | ({"kind": "page"} if post.page else {})

    def _in_series(self, post: Post) -> tuple[Series, int, Post | None, Post | None] | None:
        """The post's series, its index there, and the posts before and after it."""
        found = self._positions.get(post.path)
        if found is None:
            return None
        series, position = found
        members = series.posts
        before = members[position - 1] if position > 0 else None
        after = members[position + 1] if position + 1 < len(members) else None
        return series, position, before, after

    def series_nav(self, post: Post) -> dict[str, Any] | None:
        found = self._in_series(post)
        if found is None:
            return None
        series, position, before, after = found
        return {
            "name": series.name,
            "url": self.links.href(urls.section("series", series.slug)),
            "position": position + 1,
            "count": len(series.posts),
            "situation": self.links.href(page_path(series)) if self.mapped(series) else None,
            **{
                key: {"title": p.title, "url": self.links.href(urls.post(p.slug))} if p else None
                for key, p in (("previous", before), ("next", after))
            },
        }

    def mapped(self, series: Series) -> bool:
        """Whether the series has a situation page (asked once per post: remembered)."""
        if series.slug not in self._mapped:
            self._mapped[series.slug] = has_situation(series)
        return self._mapped[series.slug]

    def series_inputs(self, post: Post) -> str:
        """What :meth:`series_nav` is made from, for a post page's fingerprint.

        Cheaper than the view itself, which costs a tenth of planning a rebuild at
        10,000 posts; the neighbours enter by their listing digests (title and slug
        among them), so a neighbour's edit that lists differently re-renders the page.
        """
        found = self._in_series(post)
        if found is None:
            return ""
        series, position, before, after = found
        shown = (before.listing if before else "", after.listing if after else "")
        mapped = self.mapped(series)
        return f"{series.name}\0{series.slug}\0{position}\0{len(series.posts)}\0{shown}\0{mapped}"

    def publisher(self) -> dict[str, Any]:
        """The site as publisher, with its logo (a raster image, as search engines want)."""
        publisher: dict[str, Any] = {"@type": "Organization", "name": self.config.title}
        logo = self.figures.files.get(self.config.logo)
        if logo is not None and not logo.svg:
            publisher["logo"] = {
                "@type": "ImageObject",
                "url": self.links.absolute(self.config.logo),
                "width": logo.width,
                "height": logo.height,
            }
        return publisher

    def jsonld(self, post: Post, preview: dict[str, Any] | None = None) -> Markup:
        """The post's JSON-LD; ``preview``: its link-preview picture (``Figures.preview``)."""
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "AnalysisNewsArticle",
            "headline": post.title,
            "url": self.links.absolute(post.url_path),
            "datePublished": iso(post.date),
            "dateModified": iso(post.last_modified),
            "description": post.summary,
            "author": [
                {"@type": "Person", "name": a}
                | ({"url": self.config.authors[a]} if a in self.config.authors else {})
                for a in post.authors
            ],
            "publisher": self.publisher(),
            "inLanguage": self.config.language,
        }
        if post.page:  # an undated page of the site, not an article
            data = {key: data[key] for key in ("@context", "url", "description", "inLanguage")}
            data |= {"@type": "WebPage", "name": post.title}
            data |= {"dateModified": iso(post.updated)} if post.updated else {}
        if preview is not None:
            data["image"] = {
                "@type": "ImageObject",
                "url": preview["url"],
                "width": preview["width"],
                "height": preview["height"],
            }
        if post.tags:
            data["keywords"] = list(post.tags)
        if post.sources:
            data["citation"] = [
                {
                    "@type": "CreativeWork",
                    "name": s.title or s.name,
                    "author": s.name,
                    **({"url": s.url} if s.url else {}),
                    **({"datePublished": s.published.iso} if s.published else {}),
                }
                for s in post.sources
            ]
        if post.places:
            data["contentLocation"] = [
                {
                    "@type": "Place",
                    "name": p.name,
                    **({"alternateName": p.local_name} if p.local_name else {}),
                    "geo": {"@type": "GeoCoordinates", "latitude": p.lat, "longitude": p.lon},
                }
                for p in post.places
            ]
        return json_for_html(data)
