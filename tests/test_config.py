"""site.yaml: typed settings, every problem with its line, and running outside a site."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.errors import ContentError, UsageError
from sitegen.read.config import load_config


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def messages(exc: pytest.ExceptionInfo[ContentError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_defaults_and_types(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\nbase_url: https://example.org/blog\n"))
    assert config.title == "T"
    assert config.base_url == "https://example.org/blog/"
    assert config.base_path == "/blog/"
    assert config.posts_per_page == 10
    assert config.feed_length == 20
    assert config.output == "_site"
    assert str(config.timezone) == "UTC"
    assert config.all_taxonomies == ("tags",)


def test_every_problem_reported_with_its_line(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "title: T\n"
        "base_url: ftp://example.org\n"
        "posts_per_page: many\n"
        "timezone: Mars/Olympus\n"
        "titel: typo\n"
        "feed_length: 0\n",
    )
    with pytest.raises(ContentError) as exc:
        load_config(root)
    assert messages(exc) == [
        "site.yaml:2: base_url: expected an http:// or https:// URL, got 'ftp://example.org'",
        "site.yaml:3: posts_per_page: expected a whole number, got 'many'",
        "site.yaml:4: timezone: unknown time zone 'Mars/Olympus' (expected e.g. 'Europe/London')",
        "site.yaml:5: titel: unknown field (did you mean 'title'?)",
        "site.yaml:6: feed_length: expected a whole number from 1 to 10000, got 0",
    ]


def test_missing_required(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as exc:
        load_config(write(tmp_path, "description: no title\n"))
    assert messages(exc) == [
        "site.yaml:1: base_url: required field is missing (text)",
        "site.yaml:1: title: required field is missing (text)",
    ]


def test_reserved_taxonomy_names(tmp_path: Path) -> None:
    root = write(tmp_path, "title: T\nbase_url: https://e.org/\ntaxonomies: [actors, posts]\n")
    with pytest.raises(ContentError) as exc:
        load_config(root)
    assert len(exc.value.problems) == 1
    assert str(exc.value.problems[0]).startswith(
        "site.yaml:3: taxonomies[1]: 'posts' cannot be a taxonomy name"
    )


def test_base_url_override(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "title: T\nbase_url: https://e.org/\n"), "http://127.0.0.1:8000"
    )
    assert config.base_url == "http://127.0.0.1:8000/"
    with pytest.raises(UsageError):
        load_config(tmp_path, "not a url")


def test_outside_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-s", str(tmp_path), "build"]) == 2
    err = capsys.readouterr().err
    assert "not a sitegen site (no site.yaml here)" in err
    assert "sitegen init DIR" in err


def test_map_section(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, "title: T\nbase_url: https://e.org/\nmap:\n  max_zoom: 12\n")
    )
    assert config.map.max_zoom == 12
    assert config.map.tiles == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    root = write(
        tmp_path,
        "title: T\nbase_url: https://e.org/\nmap:\n  tiles: https://t.org/a.png\n  zom: 3\n"
        "  max_zoom: 23\n",
    )
    with pytest.raises(ContentError) as exc:
        load_config(root)
    assert messages(exc) == [
        "site.yaml:4: map.tiles: expected a tile URL with {z}, {x} and {y}",
        "site.yaml:5: map.zom: unknown field",
        "site.yaml:6: map.max_zoom: expected a whole number from 1 to 22, got 23",
    ]


def test_base_url_override_skips_the_files(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: T\nbase_url: nope\n"), "https://e.org/a")
    assert config.base_url == "https://e.org/a/"


def test_a_tile_url_needs_every_placeholder(tmp_path: Path) -> None:
    root = write(
        tmp_path, "title: T\nbase_url: https://e.org/\nmap:\n  tiles: https://t.org/{z}/{x}.png\n"
    )
    with pytest.raises(ContentError) as exc:
        load_config(root)
    assert messages(exc) == ["site.yaml:4: map.tiles: expected a tile URL with {z}, {x} and {y}"]
