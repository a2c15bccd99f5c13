"""Old blog HTML to the Markdown sitegen renders, with a list of what could not be kept.

Built on ``markdownify`` (MIT, BeautifulSoup-based, small and actively released):
its converter is a class with one method per tag, so the few places where
sitegen needs a different answer are overrides here rather than a fork.  The
other candidate, ``html2text``, is GPL-3.0 (sitegen is MIT) and offers no per-tag
hooks.

What is special for sitegen:

- Text is escaped for *python-markdown* (which sitegen uses) and for sitegen's own
  syntax, so an old post can never turn into a heading, a list, raw HTML, a
  citation ``[@id]`` or a ``{{< quote >}}`` by accident.
- Video iframes (YouTube, Vimeo) become a link to the video; other iframes,
  forms, plugins and inline ``data:`` images are dropped and *reported*.
- WordPress bodies are editor text, not HTML: blank lines are paragraphs and
  single newlines are line breaks (WordPress's ``wpautop``), and shortcodes such
  as ``[caption]`` or ``[embed]`` are turned into HTML first.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from html.entities import html5
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    NavigableString,
    ParserRejectedMarkup,
    Tag,
    XMLParsedAsHTMLWarning,
)
from markdownify import (
    ATX,
    MarkdownConverter,
    abstract_inline_conversion,
    should_remove_whitespace_inside,
    should_remove_whitespace_outside,
)

from sitegen.importers.shortcodes import video, wordpress_html

if TYPE_CHECKING:
    from sitegen.importers.media import Bundle

# -- URLs ---------------------------------------------------------------------------

_UNSAFE_IN_URL = re.compile(r"[ ()\[\]<>\"{}|\\^`]")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def _url(value: str) -> str:
    """A URL that python-markdown reads back whole (spaces, brackets and parens encoded)."""
    value = value.strip()
    if value.startswith("//"):
        value = "https:" + value
    return _UNSAFE_IN_URL.sub(lambda m: f"%{ord(m.group()):02X}", value)


def _scheme_problem(value: str) -> bool:
    return value.strip().lower().replace("\t", "").replace("\n", "").startswith(_BAD_SCHEMES)


# -- text escaping ------------------------------------------------------------------

_AMPERSAND = re.compile(r"&(#|[A-Za-z][A-Za-z0-9]*;?)")
_LINE_START = re.compile(
    r"(?m)^([ \t]*)(?:(#|>)|([-+])(?=\s|$)|(-+)(?=\s*$)|(\d+)\.(?=\s|$)|(=+)(?=\s*$)|(:)(?=\s|$))"
)


def _line_start(match: re.Match[str]) -> str:
    lead, simple, bullet, rule, number, equals, colon = match.groups()
    if simple or bullet:
        return f"{lead}\\{simple or bullet}"
    if rule:
        return f"{lead}\\{rule}"
    if number:
        return f"{lead}{number}\\."
    if equals:
        return f"{lead}&#61;{equals[1:]}"
    return f"{lead}&#58;" if colon else match.group(0)


def _ampersand(match: re.Match[str]) -> str:
    """``&amp;`` only where a browser would read a character reference (``&copy``, ``&#1``)."""
    rest = match.group(1)
    if rest == "#" or any(rest[:k] in html5 for k in range(len(rest), 0, -1)):
        return "&amp;" + rest
    return match.group(0)


def escape(text: str) -> str:
    """Plain text as Markdown that python-markdown and sitegen read back as the same text."""
    text = text.replace("\\", "\\\\")
    text = _AMPERSAND.sub(_ampersand, text).replace("<", "&lt;")
    for char in "*_`{}[]|":
        text = text.replace(char, "\\" + char)
    return _LINE_START.sub(_line_start, text)


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


class _Converter(MarkdownConverter):
    """markdownify with sitegen's escaping, video links, and a record of what was dropped."""

    def __init__(self, *, paragraphs: bool, shift: int, media: Bundle | None) -> None:
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
        self.shift = shift  # 1 when the body has <h1>: the post title is the page's only h1
        self.media = media  # --media: links and images into the old uploads become local files
        self.dropped: list[str] = []

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
            parts = [escape(p) for p in parts]
        text = "\n\n".join(parts)
        following = el.next_sibling
        if text.endswith("!") and isinstance(following, Tag) and following.name == "a":
            text = text[:-1] + "\\!"  # "!" then "[text](url)" would read as an image
        if should_remove_whitespace_outside(el.previous_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.previous_sibling
        ):
            text = text.lstrip(" \t\r\n")
        if should_remove_whitespace_outside(el.next_sibling) or (
            should_remove_whitespace_inside(el.parent) and not el.next_sibling
        ):
            text = text.rstrip()
        return text

    @staticmethod
    def _block(markdown: str, parent_tags: set[str]) -> str:
        return markdown if "_inline" in parent_tags else f"\n\n{markdown}\n\n"

    def convert_blockquote(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        quoted = super().convert_blockquote(el, text, parent_tags)
        return quoted if "_inline" in parent_tags else "\n" + quoted

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if re.search(r"(?<!\\)(?:\\\\)*#$", text):  # an unescaped closing '#' would vanish
            text = text[:-1] + "\\#"
        return super().convert_hN(min(6, n + self.shift), el, text, parent_tags)

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = el.get("href") or ""
        if href and _scheme_problem(href):
            self.drop(f"a link to {href.split(':', 1)[0]}: (kept its text)")
            href = ""
        if not href.strip() or "_noformat" in parent_tags:
            return text
        stripped = text.strip()
        if not stripped:
            return ""
        title = (el.get("title") or "").replace('"', "'")
        href = _url((self.media.link(href) if self.media else None) or href)
        if stripped.replace("\\_", "_") == href and not title:
            return f"<{href}>"
        lead = " " if text.startswith(" ") else ""
        tail = " " if text.endswith(" ") else ""
        title_part = f' "{title}"' if title else ""
        return f"{lead}[{stripped}]({href}{title_part}){tail}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = (el.get("src") or "").strip()
        if not src or src.startswith("data:"):
            src = (el.get("data-src") or el.get("data-lazy-src") or src).strip()
        alt = re.sub(r"\s+", " ", el.get("alt") or "").strip()
        if not src or _scheme_problem(src):
            what = "an inline data: image" if src.startswith("data:") else "an image without src"
            return self.drop(what)
        if "_inline" in parent_tags and el.parent.name not in ("td", "th"):
            return escape(alt)
        if self.media is not None:
            src, alt = self.media.image(src, alt, list(el.get("class") or []))
        alt = alt.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        title = (el.get("title") or "").replace('"', "'")
        title_part = f' "{title}"' if title else ""
        return f"![{alt}]({_url(src)}{title_part})"

    def convert_iframe(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = el.get("src") or el.get("data-src") or ""
        found = video(src)
        if found is None:
            host = urlsplit(src.strip()).hostname if src.strip() else None
            return self.drop(f"an <iframe> from {host} ({src.strip()})" if host else "an <iframe>")
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
        return str(src).strip()

    def convert_object(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self._media_source(el)
        found = video(src)
        if found is None:
            return self.drop(f"an <{el.name}>" + (f" ({src})" if src else ""))
        return self._block(f"[Video on {found.service}]({found.url})", parent_tags)

    def convert_embed(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "object" in parent_tags:
            return ""
        return self.convert_object(el, text, parent_tags)

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self._media_source(el)
        if not src or _scheme_problem(src):
            return self.drop("a <video> without a source")
        found = video(src)
        if found:
            return self._block(f"[Video on {found.service}]({found.url})", parent_tags)
        return self._block(f"[Video]({_url(src)})", parent_tags)

    def convert_audio(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = self._media_source(el)
        if not src or _scheme_problem(src):
            return self.drop("an <audio> without a source")
        return self._block(f"[Audio]({_url(src)})", parent_tags)

    def convert_code(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" not in parent_tags:
            text = re.sub(r"\s*\n\s*", " ", text)  # a code span is one line of one paragraph
        return super().convert_code(el, text, parent_tags)

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return text  # a <pre> inside a <pre> is part of the outer block
        fenced = super().convert_pre(el, text, parent_tags)
        runs = re.findall(r"^[ \t]*(`{3,}|~{3,})", text, re.M)
        if not runs:
            return fenced
        # The code holds a fence line itself: fence with more backticks than it has.
        fence = "`" * (max(len(run) for run in runs) + 1)
        return re.sub(r"^(\n*)```|```(\n*)$", lambda m: m.group(0).replace("```", fence), fenced)

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        return self._block(text, parent_tags) if text else ""

    def convert_figcaption(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.split())
        return self._block(f"*{text}*", parent_tags) if text else ""

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


# -- entry point ------------------------------------------------------------------------


@dataclass(frozen=True)
class Converted:
    markdown: str
    dropped: tuple[str, ...]  # "an <iframe> from example.com (...)", each once with a count


def to_markdown(markup: str, *, wordpress: bool = False, media: Bundle | None = None) -> Converted:
    """Markdown for a post body; ``wordpress`` applies WordPress's editor conventions;
    ``media`` turns references into the old blog's uploads into files of a page bundle."""
    dropped: list[str] = []
    if wordpress:
        markup = wordpress_html(markup, dropped.append)
    # Block-editor (Gutenberg) content is real HTML; WordPress does not autop it either.
    paragraphs = wordpress and "<!-- wp:" not in markup
    soup = _parse(_WORD_CONDITIONALS.sub("", markup))
    converter = _Converter(paragraphs=paragraphs, shift=1 if soup.find("h1") else 0, media=media)
    text = converter.convert_soup(soup)
    dropped += converter.dropped
    counted = {what: dropped.count(what) for what in dropped}
    return Converted(
        _tidy(text),
        tuple(
            f"dropped {what}" + (f" ({n} times)" if n > 1 else "") for what, n in counted.items()
        ),
    )


# Text pasted from Microsoft Word carries <![if !supportLists]> ... <![endif]> markers.
_WORD_CONDITIONALS = re.compile(r"<!\[(?:if\b[^\]]*|endif)\]>", re.I)


def _parse(markup: str) -> BeautifulSoup:
    """Python's own HTML parser keeps the markup as written; lxml's takes what it refuses."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a body that is a URL
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # a body that starts <?xml
        try:
            return BeautifulSoup(markup, "html.parser")
        except ParserRejectedMarkup:
            return BeautifulSoup(markup, "lxml")


def _tidy(text: str) -> str:
    """No trailing spaces (except line breaks), no runs of blank lines, one final newline."""
    lines = text.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        if fence is not None:
            out.append(line)
            if stripped == fence:
                fence = None
            continue
        if opening := re.match(r"`{3,}", stripped):
            fence = opening.group()
            out.append(line.rstrip())
            continue
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        keep_break = line.endswith("  ") and stripped and following
        line = line.rstrip() + ("  " if keep_break else "")
        if not line.strip(" >") and out and not out[-1].strip(" >") and line == out[-1]:
            continue
        out.append(line)
    result = "\n".join(out).strip("\n")
    return result + "\n" if result else ""
