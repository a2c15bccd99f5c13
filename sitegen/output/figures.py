"""What a post's images become: ``<picture>`` and ``<figure>`` HTML, their files, link previews.

A body holds a placeholder for each image (:mod:`sitegen.markup.images`); here
it is replaced, once the files are read (:mod:`sitegen.read.imagefiles`), by a
picture with ``srcset``, ``sizes``, ``width`` and ``height`` (no layout shift),
lazily loaded after the first.  An image with an id is a figure: the picture,
its caption, credit, date, the source with its grade, and a link to the full
size.  Feeds get a plain ``<img>`` with absolute URLs: feed readers show one
picture, not a choice of sizes.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import escape

from sitegen.index.site import Site
from sitegen.index.urls import Links
from sitegen.markup.images import PLACEHOLDER_HTML
from sitegen.model import IMAGE_TYPES, Picture, Post, Source
from sitegen.output.imaging import (
    SMALLER,
    WIDTHS,
    ImageCache,
    Size,
    derived,
    own_format,
    sizes,
)
from sitegen.output.outputs import Inputs, Output, Owner
from sitegen.read.imagefiles import ImageFile

SIZES = "(min-width: 50em) 46em, 100vw"  # the width of a post's column, for ``sizes``
RECIPE = "image"


def image_output(
    source: Path, rel: str, key: str, size: Size, stamp: str, cache: ImageCache | None
) -> Output:
    """One size of a raster image, made (or taken from the cache) in a worker."""
    return Output(
        key,
        inputs=Inputs(RECIPE, view=f"{size}", files=(stamp,), theme=False),
        produce=partial(derived, source, rel, size, cache),
        owner=Owner(rel),
    )


def clean_copy(source: Path, rel: str, key: str, cache: ImageCache | None) -> Output:
    """A raster file of static/ or a bundle, published at ``key`` without its metadata."""
    stat = source.stat()
    size = Size(0, 0, own_format(rel), "")
    return image_output(source, rel, key, size, f"{stat.st_size}:{stat.st_mtime_ns}", cache)


class Figures:
    """The images of one site's posts and pages."""

    def __init__(self, site: Site, links: Links) -> None:
        self.site = site
        self.links = links
        self.files: dict[str, ImageFile] = dict(site.images)
        self._bundles = {p.bundle: p.url_path for p in (*site.posts, *site.pages) if p.bundle}
        self.originals = {  # files published as they are, metadata and all, as asked
            p.file for post in (*site.posts, *site.pages) for p in post.images if p.keep_metadata
        }

    def published(self, file: str) -> str | None:
        """Where a source file is published (None: in the bundle of a post not published)."""
        if file.startswith("static/"):
            return file
        folder = str(PurePosixPath(file).parent)
        while folder not in self._bundles:
            if folder in (".", "", "/"):
                return None
            folder = str(PurePosixPath(folder).parent)
        return self._bundles[folder] + file[len(folder) + 1 :]

    # -- files -------------------------------------------------------------------------

    def outputs(self, cache: ImageCache | None) -> list[Output]:
        """The narrower sizes of each image a post shows, made through the image ``cache``.

        The file itself is published as every file of a bundle or static/ is
        (see :func:`clean_copy`).
        """
        made = []
        posts = (*self.site.posts, *self.site.pages)
        shown = {p.file for post in posts for p in post.images}
        shown |= {post.image for post in posts if post.image} | {self.site.config.image}
        for file, found in sorted(self.files.items()):
            key = self.published(file)
            if found.svg or key is None or file in self.originals or file not in shown:
                continue
            for size in sizes(found.width, found.height, file)[1:]:
                made.append(
                    image_output(found.source, file, size.path(key), size, found.stamp, cache)
                )
        return made

    def inputs(self, post: Post) -> tuple[str, ...]:
        """What the post's pictures are drawn from: each file's size as shown and its stamp."""
        files = [p.file for p in post.images] + ([post.image] if post.image else [])
        return tuple(
            f"{file}\0{f.width}x{f.height}\0{f.stamp}"
            for file in files
            if (f := self.files.get(file))
        )

    # -- HTML --------------------------------------------------------------------------

    def body(self, post: Post, html: str, absolute: bool = False) -> str:
        """The body with each image placeholder replaced: for a page, or (``absolute``) a feed."""
        if not post.images:
            return html
        first = [True]

        def replace(match: Any) -> str:
            index = int(match.group(1))
            if index >= len(post.images):
                return ""
            lazy = not first[0]
            first[0] = False
            picture = post.images[index]
            return self.figure(post, picture, lazy, absolute)

        return PLACEHOLDER_HTML.sub(replace, html)

    def figure(self, post: Post, picture: Picture, lazy: bool, absolute: bool) -> str:
        image = self.img(picture, lazy, absolute)
        if not picture.id:  # a Markdown image: inline, as written
            return image
        parts = []
        if picture.caption:
            parts.append(f'<span class="image-caption">{escape(picture.caption)}</span>')
        details = []
        if picture.credit:
            details.append(f'<span class="image-credit">Credit: {escape(picture.credit)}</span>')
        if picture.taken:
            taken = picture.taken
            details.append(f'Taken <time datetime="{taken.iso}">{taken.human}</time>')
        source = next((s for s in post.sources if s.id == picture.source), None)
        if source is not None:
            details.append(self._source(post, source, absolute))
        found = self.files.get(picture.file)
        key = self.published(picture.file)
        if found and key and not absolute:
            details.append(
                f'<a class="image-full" href="{escape(self.links.href(key))}">Full size'
                f'<span class="visually-hidden"> of the image</span> ({found.width} × '
                f"{found.height})</a>"
            )
        if details:
            parts.append(f'<span class="image-details">{" · ".join(details)}</span>')
        caption = f"<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
        anchor = f' id="image-{escape(picture.id)}"' if picture.shown else ""
        return f'<figure class="image"{anchor}>{image}{caption}</figure>'

    def _source(self, post: Post, source: Source, absolute: bool) -> str:
        number = post.sources.index(source) + 1
        href = f"#source-{escape(source.id)}"
        if absolute:
            href = escape(self.links.absolute(post.url_path)) + href
        grade = (
            f' <abbr class="grade" data-grade="{escape(source.grade)}" '
            f'title="{escape(source.grade_meaning)}">{escape(source.grade)}</abbr>'
            if source.grade
            else ""
        )
        return (
            f'<span class="image-source">Source: <a href="{href}">[{number}] '
            f"{escape(source.name)}</a>{grade}</span>"
        )

    def img(self, picture: Picture, lazy: bool, absolute: bool) -> str:
        """The ``<img>`` (in a ``<picture>`` with a WebP ``<source>`` where there is one)."""
        found = self.files.get(picture.file)
        key = self.published(picture.file)
        url = self.links.absolute if absolute else self.links.href
        attrs = f'alt="{escape(picture.alt)}"'
        if picture.title:
            attrs += f' title="{escape(picture.title)}"'
        if found is None or key is None:  # a Markdown image of no file (the link checker says)
            return f'<img src="{escape(url(key or picture.file))}" {attrs}>'
        if found.svg or picture.file in self.originals:
            src, width, height, srcset = url(key), found.width, found.height, ""
            webp = ""
        else:
            fallback, webps = shown_sizes(found, picture.file)
            widest = fallback[-1]
            src, width, height = url(widest.path(key)), widest.width, widest.height
            srcset = _srcset(fallback, key, url)
            webp = _srcset(webps, key, url) if webps != fallback else ""
        if absolute:  # a feed: one picture, at the widest size made
            return f'<img src="{escape(src)}" width="{width}" height="{height}" {attrs}>'
        loading = ' loading="lazy"' if lazy else ""
        img = (
            f'<img src="{escape(src)}"'
            + (f' srcset="{escape(srcset)}" sizes="{SIZES}"' if srcset else "")
            + f' width="{width}" height="{height}" {attrs}{loading} decoding="async">'
        )
        if not webp:
            return img
        return (
            f'<picture><source type="image/webp" srcset="{escape(webp)}" sizes="{SIZES}">'
            f"{img}</picture>"
        )

    # -- previews and maps -----------------------------------------------------------------

    def preview(self, post: Post | None) -> dict[str, Any] | None:
        """The link-preview picture: ``image:``, else the first raster image, else the site's."""
        candidates: list[tuple[str, str]] = []
        if post is not None:
            chosen = [p for p in post.images if p.id == post.image] if post.image else []
            if post.image and not chosen:
                candidates.append((post.image, ""))
            candidates += [(p.file, p.alt) for p in (*chosen, *post.images)]
        if self.site.config.image:
            candidates.append((self.site.config.image, self.site.config.title))
        for file, alt in candidates:
            found = self.files.get(file)
            key = self.published(file)
            if found is None or found.svg or key is None:
                continue
            if file in self.originals:
                size = Size(found.width, found.height, own_format(file), "")
            else:
                size = shown_sizes(found, file)[0][-1]
            return {
                "url": self.links.absolute(size.path(key)),
                "width": size.width,
                "height": size.height,
                "type": IMAGE_TYPES[PurePosixPath(size.path(key)).suffix.lower()],
                "alt": alt,
            }
        return None

    def pins(self, post: Post) -> list[dict[str, Any]]:
        """Images with a place, for the post's map: where, what, and a link to the figure."""
        pins = []
        for picture in post.images:
            key = self.published(picture.file)
            if not picture.place or key is None or picture.file not in self.files:
                continue
            place = next(p for p in post.places if p.key == picture.place)
            pins.append(
                {
                    "place": place.name,
                    "title": picture.caption or picture.alt,
                    "lat": place.lat,
                    "lon": place.lon,
                    "href": f"#image-{picture.id}" if picture.shown else self.links.href(key),
                }
            )
        return pins


def shown_sizes(found: ImageFile, file: str) -> tuple[list[Size], list[Size]]:
    """The sizes a page offers, narrowest first: in the file's own format (GIF's narrower
    ones as PNG), and in WebP.  Up to the widest of ``WIDTHS``: a larger original is
    published, and linked as the full size, but not offered to every screen."""
    made = sizes(found.width, found.height, file)
    own = {made[0].format, SMALLER[made[0].format]}
    offered = sorted((s for s in made if s.width <= max(WIDTHS)), key=lambda s: s.width)
    return [s for s in offered if s.format in own], [s for s in offered if s.format == "webp"]


def _srcset(chosen: list[Size], key: str, url: Any) -> str:
    return ", ".join(f"{url(s.path(key))} {s.width}w" for s in chosen)


def favicon_ico(site: Site, cache: ImageCache | None) -> list[Output]:
    """``/favicon.ico``, which browsers and feed readers ask for where no page names an icon.

    Made from the favicon when it is a PNG, else from the logo; an ICO favicon
    is published as it is (``static/``) and copied here by the theme's pages.
    """
    config = site.config
    for file in (config.favicon, config.logo):
        found = site.images.get(file)
        if found is not None and not found.svg:
            size = Size(48, 48, "ico", ".ico")
            return [image_output(found.source, file, "favicon.ico", size, found.stamp, cache)]
    return []
