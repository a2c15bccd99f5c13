"""The pipeline, in order: config -> posts -> site -> pages and feeds -> writer.

Every stage takes plain values and returns plain values; only reading the
sources and writing the output touch the disk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sitegen.config import SiteConfig, load_config
from sitegen.errors import ContentError, Problem
from sitegen.feeds import Feeds
from sitegen.geojson import geojson
from sitegen.markup import MarkdownRenderer
from sitegen.model import OutputFile, Post
from sitegen.posts import read_post
from sitegen.render import Renderer, environment
from sitegen.site import Site, assemble, select
from sitegen.urls import Links
from sitegen.writer import write_site


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None
    drafts: bool = False
    future: bool = False
    base_url: str | None = None
    now: datetime | None = None


@dataclass(frozen=True)
class BuildResult:
    output: Path | None
    posts: int
    files: int
    seconds: float
    warnings: tuple[Problem, ...] = field(default_factory=tuple)


def discover(root: Path) -> tuple[list[Path], list[Problem]]:
    """Every ``*.md`` under posts/, sorted; symlinks leading out of the site are refused."""
    problems = []
    found = []
    posts_dir = root / "posts"
    if not posts_dir.is_dir():
        return [], []
    site = root.resolve()
    for path in sorted(posts_dir.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if not path.resolve().is_relative_to(site):
            problems.append(Problem(rel, 0, "", "is a symbolic link to a file outside the site"))
        elif path.is_file():
            found.append(path)
    problems += static_problems(root)
    return found, problems


def static_problems(root: Path) -> list[Problem]:
    static = root / "static"
    site = root.resolve()
    return (
        [
            Problem(path.relative_to(root).as_posix(), 0, "", "is a symbolic link outside the site")
            for path in sorted(static.rglob("*"))
            if path.is_symlink() and not path.resolve().is_relative_to(site)
        ]
        if static.is_dir()
        else []
    )


def read_posts(
    root: Path, config: SiteConfig, paths: list[Path]
) -> tuple[list[Post], list[Problem]]:
    renderer = MarkdownRenderer()
    posts, problems = [], []
    for path in paths:
        result = read_post(path.relative_to(root).as_posix(), path.read_bytes(), config, renderer)
        problems += result.problems
        if result.post is not None:
            posts.append(result.post)
    return posts, problems


def load_site(root: Path, options: BuildOptions) -> tuple[Site, list[Problem]]:
    """Everything up to the indexes, with every problem found on the way."""
    config = load_config(root, options.base_url)
    paths, problems = discover(root)
    posts, post_problems = read_posts(root, config, paths)
    problems += post_problems
    now = options.now or datetime.now(UTC)
    site = assemble(config, select(posts, now, options.drafts, options.future))
    problems += site.problems
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    return site, problems


def render_site(site: Site) -> list[OutputFile]:
    config = site.config
    links = Links(config.base_url, config.base_path)
    renderer = Renderer(environment([config.root / "templates"]), site, links)
    files = renderer.pages()
    files += Feeds(site, links).all()
    files.append(geojson(site, links))
    return files


def output_dir(root: Path, config: SiteConfig, options: BuildOptions) -> Path:
    return options.output if options.output is not None else root / config.output


def build(root: Path, options: BuildOptions) -> BuildResult:
    start = time.perf_counter()
    site, problems = load_site(root, options)
    files = render_site(site)
    output = output_dir(root, site.config, options)
    count = write_site(files, root / "static", output, root)
    return BuildResult(
        output=output,
        posts=len(site.posts),
        files=count,
        seconds=time.perf_counter() - start,
        warnings=tuple(p for p in problems if p.warning),
    )


def check(root: Path, options: BuildOptions) -> BuildResult:
    """Validate and render everything, write nothing."""
    start = time.perf_counter()
    site, problems = load_site(root, options)
    files = render_site(site)
    return BuildResult(
        output=None,
        posts=len(site.posts),
        files=len(files),
        seconds=time.perf_counter() - start,
        warnings=tuple(p for p in problems if p.warning),
    )
