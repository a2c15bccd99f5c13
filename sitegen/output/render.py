"""The Jinja2 theme: templates applied to views, template errors as content problems.

Which pages exist and what each is made from is :mod:`sitegen.output.pages`;
this module only turns a template and a view into bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen.errors import ContentError, Problem
from sitegen.index.site import Site
from sitegen.index.urls import Links
from sitegen.output.views import Views


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
    """Renders templates for one site; ``shared`` is what every page depends on besides its view.

    That is the theme's files and the view all pages share (site title, nav):
    a change to either re-renders every page.
    """

    def __init__(self, template_dirs: list[Path], site: Site, links: Links) -> None:
        self.env = environment(template_dirs)
        self.views = Views(site, links)
        self.common = self.views.common()
        self._cards: dict[tuple[str, int], Markup] = {}
        self._sources: dict[tuple[Any, ...], Markup] = {}
        self.env.globals["card"] = self.card
        self.env.globals["source_entry"] = self.source_entry
        common = json.dumps(self.common, sort_keys=True, default=str)
        self.shared = f"{theme_fingerprint(template_dirs)}\n{common}"

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
