"""Front matter and YAML pitfalls: splitting, encodings, NO/yes/on, duplicates, aliases."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sitegen.errors import Problem, Problems
from sitegen.read.frontmatter import Split, decode, join, split
from sitegen.read.yamlio import YamlList, YamlMap, _Loader, _plain, load


def parse(text: str, offset: int = 0) -> tuple[Any, list[str]]:
    problems = Problems("f.md")
    value = load(text, problems, offset)
    return value, [str(p) for p in problems.items]


def test_norway_problem_and_friends_stay_strings() -> None:
    value, problems = parse("tags: [NO, yes, on, off, y, n, True]\nnum: 1:20\nd: 2016-12-03\n")
    assert problems == []
    assert value["tags"] == ["NO", "yes", "on", "off", "y", "n", "True"]
    assert value["num"] == "1:20"
    assert value["d"] == "2016-12-03"


def test_line_numbers_are_file_lines() -> None:
    value, _ = parse("a: 1\nb:\n  - x\n  - y\n", offset=1)
    assert value.line_of("a") == 2
    assert value.line_of("b") == 3
    assert value["b"].line_of(1) == 5


def test_duplicate_key() -> None:
    _, problems = parse("title: A\ndate: 2016-01-01\ntitle: B\n", offset=1)
    assert problems == ["f.md:4: title: duplicate key (first given on line 2)"]


def _with_lines(value: Any) -> Any:
    """A loaded value with the lines it carries, to compare two loads exactly."""
    if isinstance(value, YamlMap):
        items = [(k, _with_lines(v), value.lines[k]) for k, v in value.items()]
        return ("map", value.line, items)
    if isinstance(value, YamlList):
        return ("list", value.line, [_with_lines(v) for v in value], list(value.lines))
    return (type(value).__name__, value)


_YAML_VALUES = st.recursive(
    st.none() | st.text(max_size=6) | st.sampled_from(["NO", "1:20", "~", "null", "=", "<<"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(value=_YAML_VALUES, flow=st.sampled_from([None, True, False]), offset=st.integers(0, 3))
def test_direct_construction_equals_the_constructors(
    value: Any, flow: bool | None, offset: int
) -> None:
    text = yaml.safe_dump({"root": value}, default_flow_style=flow, allow_unicode=True)
    loader = _Loader(text)
    loader.line_offset = offset
    node = loader.get_single_node()
    assert _with_lines(_plain(node, offset)) == _with_lines(loader.construct_document(node))


def test_nesting_is_limited_on_either_path() -> None:
    deep = "[" * 64 + "]" * 64
    cases = {  # plain; through PyYAML (a merge key); through an alias
        f"a: {deep}\n": 1,
        f"<<: {{b: c}}\na: {deep}\n": 1,  # the mapping that holds too much
        f"a: &x {deep}\nb: *x\n": 1,
    }
    for text, line in cases.items():
        assert parse(text) == (
            None,
            [f"f.md:{line}: invalid YAML: nested more than 64 levels deep"],
        )
    assert parse("a: " + "[" * 63 + "]" * 63 + "\n")[1] == []


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    value, problems = parse("\n".join(lines) + "\n")
    assert value is None
    assert problems == ["f.md:5: invalid YAML: YAML aliases expand to more than 50000 values"]


def test_recursive_alias() -> None:
    _, problems = parse("a: &x [*x]\n")
    assert problems == ["f.md:1: invalid YAML: a YAML alias refers to itself"]


def test_small_aliases_are_fine() -> None:
    value, problems = parse("a: &x [1, 2]\nb: *x\n")
    assert problems == []
    assert value["b"] == ["1", "2"]


def test_syntax_error_line() -> None:
    _, problems = parse("a: 1\nb: [unclosed\n", offset=1)
    assert len(problems) == 1
    assert problems[0].startswith("f.md:")
    assert "invalid YAML" in problems[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xef\xbb\xbf---\ntitle: x\n---\nbody", "---\ntitle: x\n---\nbody"),
        (b"---\r\ntitle: x\r\n---\r\nbody\r\n", "---\ntitle: x\n---\nbody\n"),
    ],
    ids=["bom", "crlf"],
)
def test_decode_bom_and_crlf(raw: bytes, expected: str) -> None:
    assert decode(raw, "p.md") == expected


def test_decode_rejects_other_encodings() -> None:
    result = decode("---\ntitle: café\n".encode("latin-1"), "posts/x.md")
    assert result == Problem(
        "posts/x.md", 2, "", "not UTF-8 text (byte 0xe9); save the file as UTF-8"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file; a post starts with '---', its front matter, then '---'"),
        (
            "Just a body\n",
            "no front matter: a post must start with a '---' line (then title, date, ...)",
        ),
        ("---\ntitle: x\n", "front matter is not closed: add a '---' line after it"),
    ],
    ids=["empty", "no-front-matter", "unclosed"],
)
def test_split_errors(text: str, message: str) -> None:
    assert split(text, "p.md") == Problem("p.md", 1, "", message)


def test_split_lines() -> None:
    parts = split("---\na: 1\nb: 2\n---\nbody line\n", "p.md")
    assert parts == Split(yaml="a: 1\nb: 2\n", yaml_line=1, body="body line\n", body_line=5)


@given(
    st.text(alphabet=st.characters(blacklist_characters="\r\x00"), max_size=200).filter(
        lambda s: "\n---" not in s and "\n..." not in s and not s.startswith(("---", "..."))
    ),
    st.text(alphabet=st.characters(blacklist_characters="\r\x00"), max_size=200),
)
def test_split_round_trips(front: str, body: str) -> None:
    yaml_text = front + "\n" if front else ""
    parts = split(join(yaml_text, body), "p.md")
    assert isinstance(parts, Split)
    assert parts.yaml == (yaml_text or "\n")
    assert parts.body == body


@given(st.text(max_size=300))
def test_any_text_loads_or_reports(text: str) -> None:
    problems = Problems("f.md")
    load(text, problems)  # never raises
    assert all(isinstance(p, Problem) for p in problems.items)
