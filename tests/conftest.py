# Make the helpers in tests/tools.py importable as `from tools import ...`,
# whatever pytest's import mode. Shared fixtures go below.
import sys
from pathlib import Path

_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

import shutil  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

import pytest  # noqa: E402

from sitegen.build import BuildOptions, BuildResult, build  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
# Builds in tests happen "now" = this moment, so future-dated fixtures stay future.
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

SITE_YAML = """\
title: Test Desk
description: A test site
base_url: https://example.org/
author: Test Editor
language: en
timezone: Europe/London
posts_per_page: 3
feed_length: 10
"""


def post_text(
    title: str = "A post", date: str = "2026-01-10T10:00:00Z", body: str = "Body.", **fields: str
) -> str:
    """Front matter from keyword fields (values are YAML text), then the body."""
    lines = [f"title: {title}", f"date: {date}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a site into tmp_path: the repository's theme plus the given files.

    ``files`` maps site-relative paths to text; ``site.yaml`` defaults to a small
    config unless given.
    """

    def make(files: dict[str, str] | None = None, *, theme: bool = True) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if theme:
            shutil.copytree(REPO / "templates", root / "templates", dirs_exist_ok=True)
            shutil.copytree(REPO / "static", root / "static", dirs_exist_ok=True)
        all_files = {"site.yaml": SITE_YAML, **(files or {})}
        for rel, text in all_files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def build_site() -> Callable[..., tuple[Path, BuildResult]]:
    """Build a site at NOW into <root>/_site and return (output, result)."""

    def run(root: Path, **options: object) -> tuple[Path, BuildResult]:
        output = root / "_site"
        result = build(root, BuildOptions(output=output, now=NOW, **options))  # type: ignore[arg-type]
        return output, result

    return run
