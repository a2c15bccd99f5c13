"""python-markdown's inline pass in linear time: the same output, without its quadratic costs.

Part of :mod:`sitegen.markup.speedups` (installed only where
:func:`sitegen.markup.upstream.status` finds the python-markdown they were
written for).  python-markdown is quadratic in the length of a paragraph in
three ways (upstream issue #798, "someday-maybe"), so a post of a few MB with
one odd paragraph (``[`` repeated 50,000 times) took minutes:

- every ``[`` (and ``![``) makes the link patterns scan for its ``]`` to the
  end of the text, and every ``(`` after one for its ``)``: here each is looked
  up in a table of matching brackets, built once per text;
- some regexes fail only after scanning to the end of the text (a footnote
  reference ``[^`` with no ``]``, a shortcode ``{{<`` with no ``>}}``): here
  they are found with ``str.find`` from the previous find;
- each match is replaced in the text at once, copying the whole text: here a
  pattern's matches are collected and the text is put together once
  (:meth:`Deferred.apply`), for the patterns that read nothing before their
  match (a table of them below).
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterator
from types import MethodType
from typing import Any

import markdown.inlinepatterns as stock
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.inlinepatterns import InlineProcessor, LinkInlineProcessor, Pattern
from markdown.util import AtomicString

Finder = Callable[[re.Pattern[str], str, int], Iterator[re.Match[str]]]


class _Pairs:
    """Where each opening bracket of a text is closed, and where its quotes are.

    For the latest text asked about (a pattern asks once per match, about the
    same text): built in one pass, kept as one tuple so that a thread sees a
    whole answer.
    """

    def __init__(self, opening: str, closing: str) -> None:
        self.opening, self.closing = opening, closing
        self.latest: tuple[str, dict[int, int], list[int]] = ("", {}, [])

    def of(self, text: str) -> tuple[dict[int, int], list[int]]:
        latest = self.latest
        if latest[0] is not text:
            close: dict[int, int] = {}
            open_at: list[int] = []
            for found in re.finditer(re.escape(self.opening) + "|" + re.escape(self.closing), text):
                if found.group() == self.opening:
                    open_at.append(found.start())
                elif open_at:
                    close[open_at.pop()] = found.start()
            quotes = [m.start() for m in re.finditer("['\"]", text)] if self.opening == "(" else []
            latest = self.latest = (text, close, quotes)
        return latest[1], latest[2]


def _quote_between(quotes: list[int], start: int, end: int) -> bool:
    at = bisect.bisect_left(quotes, start)
    return at < len(quotes) and quotes[at] < end


_BRACKETS = _Pairs("[", "]")
_PARENS = _Pairs("(", ")")
_stock_get_text = LinkInlineProcessor.getText
_stock_get_link = LinkInlineProcessor.getLink


def get_text(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, int, bool]:
    """``getText``: the text of ``[...]`` (nested brackets allowed) from the bracket table.

    The stock loop counts brackets from ``index`` to the one that closes, or to the
    end of the text.  Unclosed, callers use nothing of the answer but ``False``.
    """
    if index < 1 or data[index - 1] != "[":
        return _stock_get_text(self, data, index)
    close = _BRACKETS.of(data)[0].get(index - 1)
    if close is None:
        return "", len(data), False
    return data[index:close], close + 1, True


def get_link(self: LinkInlineProcessor, data: str, index: int) -> tuple[str, str | None, int, bool]:
    """``getLink``: the ``(...)`` after a link's text, from the parenthesis table.

    Only where no quote can start a title (the stock scan then only counts
    parentheses): anything else is left to the stock scan.
    """
    m = self.RE_LINK.match(data, pos=index)
    if m is None or m.group(1):
        return _stock_get_link(self, data, index)
    closes, quotes = _PARENS.of(data)
    close = closes.get(index)
    end = len(data) if close is None else close
    if _quote_between(quotes, m.end(), end):
        return _stock_get_link(self, data, index)
    if close is None:
        return self.unescape("").strip(), None, len(data), False
    return self.unescape(data[m.end() : close]).strip(), None, close + 1, True


class _Runs:
    """The runs of backticks of the latest text asked about, for finding code spans."""

    def __init__(self) -> None:
        self.latest: tuple[str, _RunTable] = ("", _RunTable(""))

    def of(self, text: str) -> _RunTable:
        latest = self.latest
        if latest[0] is not text:
            latest = self.latest = (text, _RunTable(text))
        return latest[1]


class _RunTable:
    def __init__(self, text: str) -> None:
        runs = [(m.start(), m.end() - m.start()) for m in re.finditer("`+", text)]
        self.begins = [begin for begin, _ in runs]
        self.by_length: dict[int, list[int]] = {}
        for index, (_, length) in enumerate(runs):
            self.by_length.setdefault(length, []).append(index)
        # The longest run from each one on, and the first such run: (length, its end).
        self.longest: list[tuple[int, int]] = [(0, 0)] * (len(runs) + 1)
        for index in range(len(runs) - 1, -1, -1):
            begin, length = runs[index]
            after = self.longest[index + 1]
            self.longest[index] = (length, begin + length) if length >= after[0] else after


_RUNS = _Runs()
_stock_code_spans = stock.BacktickInlineProcessor.find_code_spans


def find_code_spans(
    self: stock.BacktickInlineProcessor, start: int, text: str
) -> tuple[int, int | None]:
    """``find_code_spans``: the closing run of as many backticks, from the table of runs.

    The stock scan walks the rest of the text for each opening that is never
    closed.  The same answers: the first later run of the opening's length; else
    the first longest later run, if shorter than the opening.
    """
    end = start
    while end < len(text) and text[end] == "`":
        end += 1
    ticks = end - start
    table = _RUNS.of(text)
    first = bisect.bisect_left(table.begins, end)  # the first run after the opening
    same = table.by_length.get(ticks, [])
    exact = bisect.bisect_left(same, first)
    if exact < len(same):
        return end, table.begins[same[exact]]
    longest, after = table.longest[first]
    if 0 < longest < ticks:
        return end - (ticks - longest), after - longest
    return end + ticks, None


class _Next:
    """Where a string next occurs in the latest text asked about, from a position on.

    A search is reused while it still answers: the occurrence found is after the
    position asked about, or there was none from an earlier position on.
    """

    def __init__(self) -> None:
        self.latest: tuple[str, dict[str, tuple[int, int]]] = ("", {})

    def __call__(self, text: str, needle: str, start: int) -> int:
        latest = self.latest
        if latest[0] is not text:
            latest = self.latest = (text, {})
        found = latest[1].get(needle)
        if found is not None and found[0] <= start and (found[1] >= start or found[1] < 0):
            return found[1]
        at = text.find(needle, start)
        latest[1][needle] = (start, at)
        return at


_NEXT = _Next()


def _footnotes(regex: re.Pattern[str], data: str, start: int) -> Iterator[re.Match[str]]:
    """``\\[\\^([^\\]]*)\\]``: each ``[^`` matches to the first ``]`` after it, if any."""
    while (at := data.find("[^", start)) >= 0 and _NEXT(data, "]", at + 2) >= 0:
        match = regex.match(data, at)
        if match is None:  # not the regex it was written for
            yield from regex.finditer(data, at)
            return
        yield match
        start = match.end()


_OPENER = re.compile(r"\{\{[<%]")
_CLOSED = {"<": re.compile(r"\{\{<(.*?)>\}\}", re.S), "%": re.compile(r"\{\{%(.*?)%\}\}", re.S)}
_LINE = re.compile(r"\{\{[<%][^\n]*")


def _shortcodes(regex: re.Pattern[str], data: str, start: int) -> Iterator[re.Match[str]]:
    """sitegen's any-shortcode regex: closed at the first closer after it, else to the line's end.

    Matches of the same spans (its one user reads only the span); the closer after
    an opening is looked for from where the last search for it stopped.
    """
    while (found := _OPENER.search(data, start)) is not None:
        at, kind = found.start(), found.group()[-1]
        closed = _NEXT(data, ">}}" if kind == "<" else "%}}", at + 3) >= 0
        match = (_CLOSED[kind] if closed else _LINE).match(data, at)
        if match is None:  # cannot be: an opening always matches to the end of its line
            return
        yield match
        start = match.end()


# The regexes found by a function of their own (by exact pattern: any other is searched).
FINDERS: dict[str, Finder] = {
    r"\[\^([^\]]*)\]": _footnotes,
    r"\{\{<(.*?)>\}\}|\{\{%(.*?)%\}\}|\{\{[<%][^\n]*": _shortcodes,
}

# Patterns whose matches may be put into the text all at once: their regex looks back at
# most at the one character before a match, and only for the characters given here (what
# the stock pass would see there is the end of the placeholder before, which is none of
# them); their ``handleMatch`` reads the text only from the match on.  By exact class;
# sitegen's own patterns say it with a class attribute ``lookbehind``.
DEFERRED: dict[type, str] = {
    FootnoteInlineProcessor: "",
    stock.BacktickInlineProcessor: "\\",
    stock.EscapeInlineProcessor: "",
    stock.LinkInlineProcessor: "!",
    stock.ImageInlineProcessor: "",
    stock.ReferenceInlineProcessor: "!",
    stock.ShortReferenceInlineProcessor: "!",
    stock.ImageReferenceInlineProcessor: "",
    stock.ShortImageReferenceInlineProcessor: "",
    stock.AutolinkInlineProcessor: "",
    stock.AutomailInlineProcessor: "",
    stock.SubstituteTagInlineProcessor: "",
    stock.HtmlInlineProcessor: "",
}


def lookbehind(pattern: Pattern) -> str | None:
    """What the pattern's regex must not see before a match; None: not deferred."""
    kind = type(pattern)
    return DEFERRED[kind] if kind in DEFERRED else getattr(kind, "lookbehind", None)


_LINKS = (stock.LinkInlineProcessor, stock.ImageInlineProcessor)
_BRACKETED = (
    *_LINKS,
    stock.ReferenceInlineProcessor,
    stock.ShortReferenceInlineProcessor,
    stock.ImageReferenceInlineProcessor,
    stock.ShortImageReferenceInlineProcessor,
)


def install(pattern: Pattern) -> None:
    """The table lookups in place of a link pattern's scans (on this instance only)."""
    kind = type(pattern)
    if kind in _BRACKETED and kind.getText is _stock_get_text:
        pattern.getText = MethodType(get_text, pattern)  # type: ignore[method-assign]
    if kind in _LINKS and kind.getLink is _stock_get_link:
        pattern.getLink = MethodType(get_link, pattern)  # type: ignore[method-assign]
    if kind is stock.BacktickInlineProcessor and kind.find_code_spans is _stock_code_spans:
        pattern.find_code_spans = MethodType(find_code_spans, pattern)  # type: ignore[method-assign]


def finditer(regex: re.Pattern[str]) -> Callable[[str, int], Iterator[re.Match[str]]]:
    """The regex's ``finditer``, or its finder's."""
    finder = FINDERS.get(regex.pattern)
    if finder is None:
        return regex.finditer
    return lambda data, start: finder(regex, data, start)


class Deferred:
    """One pattern applied to one text as the stock pass applies it, putting the text together once.

    ``inline`` is the pass (its stash, its ancestors, its recursion into the
    elements a match makes); ``lookbehind`` the characters the pattern's regex
    may not see before a match.  After a match ending in one of them, the rest
    goes the stock way, with the text put together at once (rare: ``\\\\````), as it does
    after an answer the stock pass would take differently (a match that ends before it starts).
    """

    def __init__(self, inline: Any, pattern: InlineProcessor, index: int, lookbehind: str) -> None:
        self.inline, self.pattern, self.index, self.lookbehind = inline, pattern, index, lookbehind

    def apply(self, data: str, search: Callable[[str, int], Iterator[re.Match[str]]]) -> str:
        pattern = self.pattern
        if any(exclude.lower() in self.inline.ancestors for exclude in pattern.ANCESTOR_EXCLUDES):
            return data
        pieces: list[str] = []
        done = start = 0
        while (found := self._next(data, start, search)) is not None:
            node, begin, end = found
            if not start <= begin <= end:  # (a link's title scan can answer -1)
                return self._stock("".join(pieces), data[done:], start - done)
            start = end
            if node is None:  # consumed, left as it is
                continue
            self._inner(node)
            placeholder = self.inline._InlineProcessor__stashNode(node, pattern.type())
            pieces += (data[done:begin], placeholder)
            done = end
            if data[end - 1] in self.lookbehind:
                return self._stock("".join(pieces), data[done:], 0)
        return "".join([*pieces, data[done:]]) if pieces else data

    def _next(self, data: str, start: int, search: Callable) -> tuple[Any, int, int] | None:
        for match in search(data, start):
            node, begin, end = self.pattern.handleMatch(match, data)
            if begin is not None and end is not None:
                return node, begin, end
        return None

    def _inner(self, node: etree.Element | str) -> None:
        """The text inside a new element, through the later patterns (as the stock pass)."""
        if isinstance(node, str) or isinstance(node.text, AtomicString):
            return
        handle = self.inline._InlineProcessor__handleInline
        for child in [node, *node]:
            if child.text:
                self.inline.ancestors.append(child.tag.lower())
                child.text = handle(child.text, self.index + 1)
                self.inline.ancestors.pop()
            if child.tail:
                child.tail = handle(child.tail, self.index)

    def _stock(self, done: str, rest: str, start: int) -> str:
        """The rest of the pass the stock way, from ``start`` in ``rest`` (after ``done``)."""
        apply = self.inline._InlineProcessor__applyPattern
        data, matched, start = done + rest, True, len(done) + start
        while matched:
            data, matched, start = apply(self.pattern, data, self.index, start)
        return data
