"""Bodies of any shape convert or get a clear error: deep nesting, pathological inline text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import post_text

from sitegen.errors import Problems
from sitegen.markup import nesting
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer
from sitegen.model import Source
from sitegen.read.config import load_config
from sitegen.read.posts import read_post

_OURS = MarkdownRenderer()
_THEIRS = MarkdownRenderer(speedups=False)  # python-markdown as it comes
_RENDERERS = pytest.mark.parametrize("renderer", [_OURS, _THEIRS], ids=["speedups", "stock"])
_SOURCES = {"a": Source(id="a", name="A")}
_TOO_DEEP = (
    f"blocks nested deeper than {nesting.LIMIT} levels (blockquotes, list items, footnotes, "
    f'HTML with markdown="1" inside one another): sitegen converts at most {nesting.LIMIT}; '
    "write it flatter"
)


def _render(renderer: MarkdownRenderer, text: str) -> tuple[str, list[str]]:
    context = BodyContext(Problems("p.md"), 1, _SOURCES, {})
    html = renderer.render(text, context).html
    return html, [str(problem) for problem in context.problems.items]


def _quotes(levels: int) -> str:
    return "Intro.\n\n" + "> " * levels + "deep\n"


def _quote_lines(levels: int) -> str:
    return "Intro.\n\n" + "".join(">" * (level + 1) + " q\n" for level in range(levels))


def _items(levels: int) -> str:
    return "Intro.\n\n" + "".join("    " * level + "- item\n" for level in range(levels))


def _mixed(levels: int) -> str:  # a quote holding a list item holding a quote...
    return "Intro.\n\n" + ("> - " * levels)[: 2 * levels] + "deep\n"


@_RENDERERS
@pytest.mark.parametrize("shape", [_quotes, _quote_lines, _items, _mixed])
def test_nesting_up_to_the_limit_converts(renderer: MarkdownRenderer, shape: Callable) -> None:
    html, problems = _render(renderer, shape(nesting.LIMIT))
    assert problems == []
    assert html.count("<blockquote>") + html.count("<li>") == nesting.LIMIT


@_RENDERERS
@pytest.mark.parametrize("levels", [nesting.LIMIT + 1, 200, 1000])
@pytest.mark.parametrize(
    ("shape", "line"),
    [
        (_quotes, 3),  # all on one line
        (_quote_lines, 3 + nesting.LIMIT),  # the line with one ">" too many
        (_items, 3 + nesting.LIMIT),
        (_mixed, 3),
    ],
)
def test_deeper_nesting_is_an_error_at_the_line_that_goes_too_deep(
    renderer: MarkdownRenderer, shape: Callable, line: int, levels: int
) -> None:
    if shape is not _quotes:
        levels = min(levels, 300)  # a line per level: the same failure, a smaller file
    html, problems = _render(renderer, shape(levels))
    assert problems == [f"p.md:{line}: {_TOO_DEEP}"]
    assert html == ""


def test_a_deep_post_is_reported_with_its_file_line(make_site: Callable[..., Path]) -> None:
    config = load_config(make_site(theme=False))
    body = "Before.\n\n```\n" + "> " * 300 + "code is not nested\n```\n\n" + _items(200)
    result = read_post("posts/p.md", post_text(body=body).encode(), config, MarkdownRenderer())
    assert result.post is None
    # The body starts on line 5; its list's first level is on line 13, one level a line.
    line = 13 + nesting.LIMIT
    assert [str(p) for p in result.problems] == [f"posts/p.md:{line}: {_TOO_DEEP}"]


# Bodies of a few hundred kB that python-markdown alone converts in quadratic time (minutes):
# sitegen's speedups convert them in linear time (benchmarks/pathological.py has the figures).
_MANY = 50_000
_CITE = '<sup class="cite">[<a href="#source-a" title="A">1</a>]</sup>'


@pytest.mark.parametrize(
    ("body", "html"),
    [
        ("[@" * _MANY, "<p>" + "[@" * _MANY + "</p>"),
        ("[" * _MANY, "<p>" + "[" * _MANY + "</p>"),
        ("[@a" * _MANY, "<p>" + "[@a" * _MANY + "</p>"),
        ("[" * _MANY + "x" + "]" * _MANY, "<p>" + "[" * _MANY + "x" + "]" * _MANY + "</p>"),
        ("![" * _MANY, "<p>" + "![" * _MANY + "</p>"),
        ("[^" * _MANY, "<p>" + "[^" * _MANY + "</p>"),
        ("[x](" * _MANY, "<p>" + "[x](" * _MANY + "</p>"),
        ("[x](<" * _MANY, "<p>" + "[x](&lt;" * _MANY + "</p>"),
        ("[a][" * _MANY, "<p>" + "[a][" * _MANY + "</p>"),
        ("<" * _MANY, "<p>" + "&lt;" * _MANY + "</p>"),
        ("``a`" * _MANY, "<p>``a" + "```a" * (_MANY - 2) + "`<code>`a</code></p>"),
        ("[x](y) " * _MANY, "<p>" + '<a href="y">x</a> ' * _MANY + "</p>"),
        ("a  \n" * _MANY, "<p>" + "a<br>\n" * (_MANY - 1) + "a  </p>"),
        ("[@a] " * _MANY, "<p>" + (_CITE + "\u00a0") * (_MANY - 1) + _CITE + " </p>"),
    ],
    ids=lambda value: repr(value[:12]),
)
def test_pathological_bodies_convert_as_python_markdown_would(body: str, html: str) -> None:
    """Each shape converts to what python-markdown makes of it (checked small below)."""
    assert _render(_OURS, body) == (html, [])


@pytest.mark.parametrize(
    "piece",
    [
        *("[@", "[", "[@a", "![", "[^", "[x](", "[x](<", "[a][", "<", "``a`", "{{<", "{{< x\n"),
        *("[x](y) ", "a  \n", "[@a] ", "[x](y 'z' ", "\\``", "[[a](b)](c) ", "{{< quote x >}} "),
    ],
)
def test_pathological_bodies_convert_alike_with_and_without_the_speedups(piece: str) -> None:
    for times in (1, 2, 3, 7, 40):
        assert _render(_OURS, piece * times) == _render(_THEIRS, piece * times), times


def test_unclosed_shortcodes_on_many_lines_are_each_reported_at_their_line() -> None:
    _, problems = _render(_OURS, "{{< quote x\n" * 5_000)
    assert len(problems) == 5_000
    assert problems[-1] == (
        "p.md:5000: '{{< quote x' opens a shortcode that is not closed with >}}"
    )
