"""RSS 2.0 and Atom 1.0 feeds with feedgen: the whole site, each series, each term.

Every timestamp in a feed comes from the posts (never the clock), so two builds
of the same content are byte-identical; item GUIDs come from the post (``id`` or
a derived tag: URI) and never change between builds.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from html import escape, unescape
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from sitegen.index import urls
from sitegen.index.site import Site, newest_first
from sitegen.index.urls import Links
from sitegen.model import Post, Source
from sitegen.output.dates import exact, iso
from sitegen.output.figures import Figures
from sitegen.output.outputs import Inputs, Output
from sitegen.output.views import moment

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|cite|poster)=)(["'])(.*?)\2""", re.S)


def absolutize(html: str, base: str) -> str:
    """The post HTML with every link and image URL made absolute against ``base``.

    Feed readers show items away from the site, so relative URLs would break.
    The HTML is python-markdown's (attributes always quoted), so one pass over
    its URL attributes suffices; ``urljoin`` does the resolving.
    """

    # A fragment (every citation's link) replaces only the base's own: one join serves all.
    here = urljoin(base, "#x")[:-2]

    def join(match: re.Match[str]) -> str:
        attribute, quote_char, value = match.groups()
        value = unescape(value)
        url = here + value if value.startswith("#") and value != "#" else urljoin(base, value)
        return f"{attribute}{quote_char}{escape(url)}{quote_char}"

    return _URL_ATTRIBUTE.sub(join, html)


def evidence(post: Post) -> tuple[str, str]:
    """The post's corrections (shown before its text) and numbered sources with their grades
    (after it): a subscriber weighs the report in the feed reader as on the page."""
    corrections = "".join(
        f'<li><time datetime="{iso(c.date)}">{moment(c.date)["human"]}</time>: '
        f"{escape(c.text)}</li>"
        for c in post.corrections
    )
    sources = "".join(f'<li id="source-{escape(s.id)}">{_source(s)}</li>' for s in post.sources)
    return (
        f"<aside><h2>Corrections</h2><ul>{corrections}</ul></aside>" if corrections else "",
        f"<h2>Sources</h2><ol>{sources}</ol>" if sources else "",
    )


def _source(source: Source) -> str:
    """One source as a sentence: grade, outlet, title (linked), date, archived copy, meaning."""
    text = ""
    if source.grade:
        meaning = escape(source.grade_meaning)
        text += f'<abbr title="{meaning}">{escape(source.grade)}</abbr> '
    text += escape(source.name)
    if source.title:
        title = f"<cite>{escape(source.title)}</cite>"
        text += f', <a href="{escape(source.url)}">{title}</a>' if source.url else f", {title}"
    elif source.url:
        text += f' (<a href="{escape(source.url)}">link</a>)'
    if source.published:
        date = source.published
        text += f', <time datetime="{date.iso}">{date.human}</time>'
    if source.archive_url:
        text += f' (<a href="{escape(source.archive_url)}">archived copy</a>)'
    text += "."
    if source.grade_meaning:
        text += f" {escape(source.grade_meaning.capitalize())}."
    return text


def guid(post: Post, base_url: str) -> str:
    """The post's ``id``, or a tag: URI from the site's host, the post's date and its slug."""
    if post.guid is not None:
        return post.guid
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},{post.date.date().isoformat()}:{post.slug}"


class Feeds:
    """Every feed of a site as an ``Output``."""

    def __init__(self, site: Site, links: Links, figures: Figures | None = None) -> None:
        self.site = site
        self.links = links
        self._content: dict[str, str] = {}
        self.figures = figures or Figures(site, links)  # the pages' own, where there are pages

    def content(self, post: Post) -> str:
        """Absolute-URL HTML for a post, computed once however many feeds list it."""
        if post.path not in self._content:
            html = self.figures.body(post, post.body_html, absolute=True)
            corrections, sources = evidence(post)
            html = absolutize(corrections + html + sources, self.links.absolute(post.url_path))
            self._content[post.path] = html
        return self._content[post.path]

    def all(self) -> list[Output]:
        """Site RSS and Atom, then one RSS per series and per term; each the newest N posts."""
        site = self.site
        length = site.config.feed_length

        def public(posts: tuple[Post, ...]) -> tuple[Post, ...]:
            """The newest ``length`` public posts (all lists but a series' are newest first)."""
            return tuple(itertools.islice((p for p in posts if p.path in site.public), length))

        files = [
            self.feed("rss", "feed.xml", site.config.title, "", public(site.posts)),
            self.feed("atom", "atom.xml", site.config.title, "", public(site.posts)),
        ]
        for series in site.series:
            path = urls.section("series", series.slug)
            title = f"{site.config.title}: {series.name}"
            latest = public(newest_first(series.posts))
            files.append(self.feed("rss", path + "feed.xml", title, path, latest))
        for taxonomy in site.taxonomies:
            for term in taxonomy.terms:
                path = urls.section(taxonomy.name, term.slug)
                title = f"{site.config.title}: {term.name}"
                files.append(self.feed("rss", path + "feed.xml", title, path, public(term.posts)))
        return files

    def feed(self, kind: str, path: str, title: str, page: str, posts: tuple[Post, ...]) -> Output:
        """A feed: made from its posts' bytes and its title (no template: not the theme)."""

        def produce() -> bytes:
            fg = self.generator(path, title, page, list(posts))
            return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)

        view = "\0".join([path, title, page])
        drawn = tuple(i for post in posts for i in self.figures.inputs(post))
        return Output(path, Inputs(kind, view, posts=posts, files=drawn, theme=False), produce)

    def generator(self, path: str, title: str, page: str, posts: list[Post]) -> FeedGenerator:
        from feedgen.feed import FeedGenerator  # loaded when a feed is made, not on every build

        config = self.site.config
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)
        fg.load_extension("geo", atom=True, rss=True)
        fg.id(self.links.absolute(path))
        fg.title(title)
        fg.description(config.description or title)
        fg.subtitle(config.description or title)
        # feedgen takes the RSS <link> from the last link given: the page, not the feed.
        fg.link(href=self.links.absolute(path), rel="self")
        fg.link(href=self.links.absolute(page), rel="alternate")
        fg.language(config.language)
        fg.generator("sitegen")
        if config.author:
            fg.author({"name": config.author})
        # Never the clock: an empty feed gets the epoch, so rebuilds stay identical.
        fg.lastBuildDate(exact(max((p.last_modified for p in posts), default=EPOCH)))
        for post in posts:
            self.entry(fg, post)
        return fg

    def entry(self, fg: FeedGenerator, post: Post) -> None:
        fe = fg.add_entry(order="append")
        link = self.links.absolute(urls.post(post.slug))
        fe.id(guid(post, self.site.config.base_url))
        fe.title(post.title)
        fe.link(href=link)
        # feedgen writes the offset as it is: one with seconds (local mean time) is
        # invalid in RSS and Atom, so such a moment is handed over in UTC.
        fe.published(exact(post.date))
        fe.updated(exact(post.last_modified))
        fe.summary(post.summary or post.title)
        fe.content(self.content(post), type="html")
        for name in post.authors:
            fe.author({"name": name})
        if post.authors:
            fe.dc.dc_creator(list(post.authors))
        for tag in post.tags:
            fe.category(term=tag, label=tag)
        if post.places:
            first = post.places[0]
            fe.geo.point(f"{first.lat} {first.lon}")
