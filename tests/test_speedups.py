"""The speedups go in only over the python-markdown code they were written against."""

from __future__ import annotations

from collections.abc import Iterator

import markdown
import pytest
from markdown.treeprocessors import InlineProcessor

from sitegen.errors import Problems
from sitegen.markup import speedups, upstream
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer

_TEXT = "## Head\n\nSome *text* with `code`, a [link](/a/) and <b>HTML</b>.\n\n[TOC]\n"


@pytest.fixture
def check_again() -> Iterator[None]:
    """The check runs once per process: again here, and again after the test."""
    upstream.status.cache_clear()
    yield
    upstream.status.cache_clear()


def _html(renderer: MarkdownRenderer) -> str:
    return renderer.render(_TEXT, BodyContext(Problems("p.md"), 1, {}, {})).html


def test_the_speedups_are_on_with_the_supported_python_markdown(check_again: None) -> None:
    assert markdown.__version_info__[:2] == upstream.SUPPORTED  # what pyproject.toml allows
    assert speedups.status() is None and upstream.status() is None
    assert MarkdownRenderer().speedups is not None


def test_every_recorded_digest_is_of_the_installed_code() -> None:
    """The table is what ``python3 -m sitegen.markup.upstream`` prints for this version."""
    files: dict[str, list[bytes]] = {}
    for path, recorded in upstream.DIGESTS.items():
        assert upstream.digest(upstream._resolve(path), files) == recorded, path


def test_a_changed_upstream_method_leaves_python_markdown_as_it_comes(
    monkeypatch: pytest.MonkeyPatch, check_again: None
) -> None:
    def handle_inline(self: InlineProcessor, data: str, patternIndex: int = 0) -> str:
        return data  # a "new release" of the method a speedup re-implements

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__handleInline", handle_inline)
    note = speedups.status()
    assert note == (
        f"python-markdown {markdown.__version__}: speedups off "
        "(treeprocessors.InlineProcessor.__handleInline changed); "
        "output is stock python-markdown's"
    )
    renderer = MarkdownRenderer()
    assert renderer.speedups is None
    assert type(renderer.md.treeprocessors["inline"]) is InlineProcessor
    monkeypatch.undo()  # the real method again: the output is python-markdown's
    assert _html(renderer) == _html(MarkdownRenderer(speedups=False))
    assert speedups.status() == note  # once per process


def test_a_changed_digest_or_a_missing_name_turns_them_off(
    monkeypatch: pytest.MonkeyPatch, check_again: None
) -> None:
    digests = dict(upstream.DIGESTS)
    digests["blockparser:BlockParser.parseBlocks"] = "0" * 16
    digests["serializers:_gone"] = ""
    monkeypatch.setattr(upstream, "DIGESTS", digests)
    note = upstream.status()
    assert note is not None
    assert "(blockparser.BlockParser.parseBlocks changed, serializers._gone missing)" in note
    assert MarkdownRenderer().speedups is None


def test_another_python_markdown_version_turns_them_off(
    monkeypatch: pytest.MonkeyPatch, check_again: None
) -> None:
    monkeypatch.setattr(markdown, "__version_info__", (3, 12, 0, "final", 0))
    monkeypatch.setattr(markdown, "__version__", "3.12.0")
    assert upstream.status() == (
        "python-markdown 3.12.0: speedups off (written for 3.11); output is stock python-markdown's"
    )
    assert MarkdownRenderer().speedups is None
