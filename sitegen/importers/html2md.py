"""Old blog HTML to the Markdown sitegen renders, with a list of what could not be kept.

Built on ``markdownify`` (MIT, BeautifulSoup-based, small and actively released):
its converter is a class with one method per tag, so the few places where
sitegen needs a different answer are overrides here rather than a fork.  The
other candidate, ``html2text``, is GPL-3.0 (sitegen is MIT) and offers no per-tag
hooks.

What is special for sitegen:

- The Markdown is python-markdown's (which sitegen renders with), not CommonMark's:
  the tree is first put in a shape Markdown can say (:mod:`htmltree`), blocks are
  written as python-markdown reads them (:mod:`mdblocks`), and text is escaped for
  it and for sitegen's own syntax (:mod:`mdtext`), so an old post can never turn
  into a heading, a list, a code block, raw HTML, a citation ``[@id]`` or a
  ``{{< quote >}}`` by accident.
- Links and images keep only URLs :mod:`sitegen.markup.urls` allows, read as
  browsers read them (the check the raw-HTML warnings share).
- Video iframes (YouTube, Vimeo) become a link to the video; other iframes,
  forms, plugins and inline ``data:`` images are dropped and *reported*.
- WordPress bodies are editor text, not HTML: blank lines are paragraphs and
  single newlines are line breaks (WordPress's ``wpautop``), and shortcodes such
  as ``[caption]`` or ``[embed]`` are turned into HTML first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bs4 import NavigableString, Tag
from markdownify import (
    ATX,
    abstract_inline_conversion,
    chomp,
    should_remove_whitespace_inside,
    should_remove_whitespace_outside,
)

from sitegen.importers import htmltree
from sitegen.importers.mdblocks import BlockConverter, heading_levels
from sitegen.importers.mdtext import escape, target, tidy
from sitegen.importers.shortcodes import video, wordpress_html
from sitegen.markup import urls

if TYPE_CHECKING:
    from sitegen.importers.media import Bundle

# -- the converter --------------------------------------------------------------------

_NO_PARAGRAPHS = {"_inline", "_noformat"}
# fmt: off
_INLINE = frozenset({
    "a", "abbr", "b", "big", "cite", "code", "del", "em", "font", "i", "label", "mark", "q",
    "s", "small", "span", "strike", "strong", "sub", "sup", "u",
})
# fmt: on
_DROPPED_TAGS = ("form", "input", "button", "select", "textarea", "applet", "canvas", "svg", "math")


def _language(el: Tag) -> str | None:
    for node in (el, el.find("code")):
        if isinstance(node, Tag):
            for name in node.get("class") or []:
                if match := re.match(r"^(?:language|lang)-([\w+#-]+)$", name):
                    return match.group(1)
    return None


class _Converter(BlockConverter):
    """markdownify with sitegen's escaping, video links, and a record of what was dropped."""

    def __init__(
        self, *, paragraphs: bool, levels: dict[int, int | None], media: Bundle | None
    ) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            escape_misc=False,
            table_infer_header=True,
            keep_inline_images_in=["td", "th"],
            code_language_callback=_language,
            sup_symbol="<sup>",
            sub_symbol="<sub>",
        )
        self.paragraphs = paragraphs  # WordPress: blank lines are paragraphs
        self.levels = levels  # the body's heading levels in Markdown (see heading_levels)
        self.media = media  # --media: links and images into the old uploads become local files
        self.dropped: list[str] = []
        self._widths = {}

    def drop(self, what: str) -> str:
        self.dropped.append(what)
        return ""

    # Text: whitespace, WordPress paragraphs and escaping are all decided here.
    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        parent_tags = parent_tags or set()
        text = str(el)
        if "pre" in parent_tags:
            return text
        text = text.replace("\xa0", " ")
        if self.paragraphs and not parent_tags & _NO_PARAGRAPHS:
            # Inside inline markup a blank line cannot end a paragraph: it is a line break.
            parts = [text] if parent_tags & _INLINE else re.split(r"[ \t]*\n[ \t]*\n\s*", text)
            parts = [re.sub(r"[ \t]*\n\s*", "  \n", re.sub(r"[ \t]+", " ", p)) for p in parts]
        else:
            parts = [re.sub(r"\s+", " ", text)]
        if "_noformat" not in parent_tags:
            text = "\n\n".join(escape(p) for p in parts)
            previous = str(el.find_previous(string=True))
            if re.match(r"\.(\s|$)", text) and re.search(r"\d$", previous):
                text = "\\" + text  # digits, then "." (written apart) would make a numbered item
            if text.endswith("!"):
                text = text[:-1] + "\\!"  # "!" then "[text](url)" would read as an image
        else:
            text = "\n\n".join(parts)
        if should_remove_whitespace_outside(el.previous_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.previous_sibling
        ):
            text = text.lstrip(" \t\r\n")
        if should_remove_whitespace_outside(el.next_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.next_sibling
        ):
            text = text.rstrip()
        return text

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "")
        if href and (scheme := urls.refused(href)):
            self.drop(f"a link to {scheme}: (kept its text)")
            href = ""
        if not urls.read(href) or "_noformat" in parent_tags:
            return text
        stripped = text.strip()
        if not stripped:
            return ""
        title = " ".join(str(el.get("title") or "").replace('"', "'").split())
        href = target((self.media.link(href) if self.media else None) or href)
        if stripped.replace("\\_", "_") == href and not title:
            return f"<{href}>"
        lead = " " if text.startswith(" ") else ""
        tail = " " if text.endswith(" ") else ""
        title_part = f' "{title}"' if title else ""
        return f"{lead}[{stripped}]({href}{title_part}){tail}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        if not urls.read(src) or urls.scheme(urls.read(src)) == "data":
            src = str(el.get("data-src") or el.get("data-lazy-src") or src)
        alt = re.sub(r"\s+", " ", str(el.get("alt") or "")).strip()
        scheme = urls.refused(src)
        if not urls.read(src) or scheme:
            what = f"an image from a {scheme}: URL" if scheme else "an image without src"
            return self.drop("an inline data: image" if scheme == "data" else what)
        if "_noformat" in parent_tags:
            return alt  # in code: its text
        if "_inline" in parent_tags and el.parent.name not in ("td", "th"):
            return escape(alt)
        if self.media is not None:
            src, alt = self.media.image(src, alt, list(el.get("class") or []))
        alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        title = " ".join(str(el.get("title") or "").replace('"', "'").split())
        title_part = f' "{title}"' if title else ""
        return f"![{alt}]({target(src)}{title_part})"

    def convert_iframe(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = urls.read(str(el.get("src") or el.get("data-src") or ""))
        found = video(src) if urls.allowed(src) else None
        if found is None:
            host = urlsplit(src).hostname if src and urls.allowed(src) else None
            return self.drop(f"an <iframe> from {host} ({src})" if host else "an <iframe>")
        title = (el.get("title") or "").strip()
        name = f"Video: {escape(title)}" if title else f"Video on {found.service}"
        return self._block(f"[{name}]({found.url})", parent_tags)

    def _media_source(self, el: Tag) -> str:
        src = el.get("src") or el.get("data") or ""
        for child in el.find_all(["source", "embed", "param"]):
            if child.name == "param" and (child.get("name") or "").lower() in ("movie", "src"):
                src = src or child.get("value") or ""
            elif child.name != "param":
                src = src or child.get("src") or ""
        return urls.read(str(src))

    def convert_object(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self._media_source(el)
        found = video(src) if urls.allowed(src) else None
        if found is None:
            return self.drop(f"an <{el.name}>" + (f" ({src})" if src else ""))
        return self._block(f"[Video on {found.service}]({found.url})", parent_tags)

    def convert_embed(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "object" in parent_tags:
            return ""
        return self.convert_object(el, text, parent_tags)

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self._media_source(el)
        if not src or not urls.allowed(src):
            return self.drop("a <video> without a source")
        found = video(src)
        if found:
            return self._block(f"[Video on {found.service}]({found.url})", parent_tags)
        return self._block(f"[Video]({target(src)})", parent_tags)

    def convert_audio(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self._media_source(el)
        if not src or not urls.allowed(src):
            return self.drop("an <audio> without a source")
        return self._block(f"[Audio]({target(src)})", parent_tags)

    def _emphasis(self, el: Tag, text: str, parent_tags: set[str], strong: bool) -> str:
        """``*x*`` and ``**x**``; as HTML where the asterisks would touch another
        emphasis's, or sit inside the same emphasis (python-markdown would pair them
        otherwise: ``*a**b*``, ``**a**b** c**``)."""
        prefix, suffix, inner = chomp(text)
        if "_noformat" in parent_tags or not inner:
            return text if "_noformat" in parent_tags else ""
        same = ("b", "strong") if strong else ("i", "em")
        if htmltree.touching(el, _EMPHASIS) or el.find_parent(same) is not None:
            tag = "strong" if strong else "em"
            return f"{prefix}<{tag}>{inner}</{tag}>{suffix}"
        marker = "**" if strong else "*"
        return f"{prefix}{marker}{inner}{marker}{suffix}"

    def convert_b(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._emphasis(el, text, parent_tags, strong=True)

    def convert_i(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return self._emphasis(el, text, parent_tags, strong=False)

    convert_strong = convert_b
    convert_em = convert_i

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        if "pre" not in parent_tags:
            text = re.sub(r"\s*\n\s*", " ", text)  # a code span is one line of one paragraph
        if htmltree.touching(el, _CODE):  # `a``b` would be one span: as HTML, its text escaped
            prefix, suffix, inner = chomp(text)
            name = "code" if el.name == "pre" else el.name
            return f"{prefix}<{name}>{escape(inner)}</{name}>{suffix}" if inner else ""
        return super().convert_code(el, text, parent_tags)

    convert_kbd = convert_code
    convert_samp = convert_code

    convert_figure = BlockConverter.convert_div
    convert_figcaption = BlockConverter.convert_div  # in italics: htmltree puts an <em> in

    def convert_head(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    convert_title = convert_head
    convert_noscript = convert_head  # lazy-loading fallbacks would double every image
    convert_del = abstract_inline_conversion(lambda self: "<del>")  # no ~~ in python-markdown
    convert_s = convert_del
    convert_strike = convert_del

    def get_conv_fn(self, tag_name: str) -> Callable[..., str] | None:
        if tag_name.lower() in _DROPPED_TAGS:
            name = tag_name.lower()
            article = "an" if name[0] in "aeiou" else "a"

            def dropped(el: Tag, text: str, parent_tags: set[str]) -> str:
                return "" if "form" in parent_tags else self.drop(f"{article} <{name}>")

            return dropped
        return super().get_conv_fn(tag_name)


_EMPHASIS = ("b", "strong", "i", "em")
_CODE = ("code", "kbd", "samp", "pre")


# -- entry point ------------------------------------------------------------------------


@dataclass(frozen=True)
class Converted:
    markdown: str
    dropped: tuple[str, ...]  # "an <iframe> from example.com (...)", each once with a count


def to_markdown(
    markup: str,
    *,
    wordpress: bool = False,
    media: Bundle | None = None,
    base: str | None = None,
) -> Converted:
    """Markdown for a post body; ``wordpress`` applies WordPress's editor conventions;
    ``media`` turns references into the old blog's uploads into files of a page bundle;
    ``base`` is the URL the body was published at, which relative links and images are
    resolved against (a link to ``#notes`` alone stays on the page)."""
    dropped: list[str] = []
    if wordpress:
        markup = wordpress_html(markup, dropped.append)
    # Block-editor (Gutenberg) content is real HTML; WordPress does not autop it either.
    paragraphs = wordpress and "<!-- wp:" not in markup
    soup = htmltree.parse(markup)
    htmltree.prepare(soup, base=base, paragraphs=paragraphs)
    levels = heading_levels(soup)
    converter = _Converter(paragraphs=paragraphs, levels=levels, media=media)
    text = converter.convert_soup(soup)
    dropped += converter.dropped
    counted = {what: dropped.count(what) for what in dropped}
    return Converted(
        tidy(text),
        tuple(
            f"dropped {what}" + (f" ({n} times)" if n > 1 else "") for what, n in counted.items()
        ),
    )
