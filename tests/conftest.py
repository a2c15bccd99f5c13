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

from sitegen.commands.build import BuildOptions, BuildResult, build  # noqa: E402

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
        (root / "posts").mkdir(parents=True, exist_ok=True)  # a site's posts folder, even empty
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


# ------------------------------------------------------------ the sample site
# Shared by test_sample_site.py, test_feeds.py and test_browser.py: the
# repository's own site (site.yaml, posts/, pages/, templates/, static/) copied into a
# temporary directory and built once per session, plus what its sources say
# (read here with plain PyYAML, independently of sitegen's readers).

import dataclasses  # noqa: E402
import math  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import quote, unquote, urlsplit  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import yaml  # noqa: E402

from sitegen.read.slugs import slugify  # noqa: E402

SAMPLE_PARTS = ("site.yaml", "posts", "pages", "templates", "static")


def copy_sample(target: Path, source_root: Path = REPO) -> Path:
    """A site's sources (no output, no cache) copied into ``target``; default the repo's."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE_PARTS:
        source = source_root / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def _moment(value: str, tz: ZoneInfo) -> datetime:
    """A front-matter date or date-time; naive values are in the site time zone."""
    text = value.strip()
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


@dataclasses.dataclass(frozen=True)
class SamplePost:
    """One post of the sample site as its front matter says (values as strings)."""

    path: str
    front: dict[str, Any]
    slug: str
    date: datetime
    last_modified: datetime
    authors: tuple[str, ...]
    places: tuple[dict[str, Any], ...]  # name, local_name, lat, lon, key

    @property
    def draft(self) -> bool:
        return str(self.front.get("draft", "false")).lower() == "true"

    @property
    def tags(self) -> list[str]:
        return list(self.front.get("tags") or [])

    def terms(self, taxonomy: str) -> list[str]:
        return list(self.front.get(taxonomy) or [])


@dataclasses.dataclass(frozen=True)
class SampleSite:
    root: Path
    out: Path
    config: dict[str, Any]
    posts: tuple[SamplePost, ...]  # every post file, drafts included

    @property
    def base_url(self) -> str:
        return self.config["base_url"].rstrip("/") + "/"

    @property
    def taxonomies(self) -> list[str]:
        return ["tags", *(self.config.get("taxonomies") or [])]

    @property
    def published(self) -> list[SamplePost]:
        return [p for p in self.posts if not p.draft and p.date <= NOW]

    def post_by_slug(self, slug: str) -> SamplePost:
        return next(p for p in self.posts if p.slug == slug)

    def url(self, path: str) -> str:
        """The absolute URL of a site-relative path (percent-encoded)."""
        return self.base_url + quote(path, safe="/~.-_")

    def file_of_url(self, url: str) -> Path:
        """The built file an absolute or root-relative URL of this site maps to."""
        parts = urlsplit(url)
        if parts.scheme:
            assert url.startswith(self.base_url), f"{url} is not under {self.base_url}"
        path = unquote(parts.path)
        if path.endswith("/"):
            path += "index.html"
        return self.out / path.lstrip("/")


def read_front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert text.startswith("---\n"), path
    end = text.index("\n---\n", 3)
    return yaml.load(text[4 : end + 1], Loader=yaml.BaseLoader) or {}


def read_sample(root: Path, out: Path) -> SampleSite:
    config = yaml.load((root / "site.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    tz = ZoneInfo(config.get("timezone") or "UTC")
    registry = config.get("places") or {}
    posts = []
    for file in sorted((root / "posts").rglob("*.md")):
        front = read_front_matter(file)
        when = _moment(front["date"], tz)
        moments = [when]
        if front.get("updated"):
            moments.append(_moment(front["updated"], tz))
        moments += [_moment(c["date"], tz) for c in front.get("corrections") or []]
        if front.get("authors"):
            authors = tuple(front["authors"])
        elif front.get("author"):
            authors = (front["author"],)
        else:
            authors = (config["author"],)
        places = []
        for item in front.get("locations") or []:
            if isinstance(item, str):
                places.append({**registry[item], "key": slugify(item)})
            else:
                places.append({**item, "key": slugify(item["name"])})
        places = [
            {**p, "lat": float(p["lat"]), "lon": float(p["lon"]), "local_name": p.get("local_name")}
            for p in places
        ]
        posts.append(
            SamplePost(
                path=file.relative_to(root).as_posix(),
                front=front,
                slug=front.get("slug") or slugify(front["title"]),
                date=when,
                last_modified=max(moments),
                authors=authors,
                places=tuple(places),
            )
        )
    return SampleSite(root=root, out=out, config=config, posts=tuple(posts))


def expected_pages(sample: SampleSite, posts: list[SamplePost] | None = None) -> set[str]:
    """Every output path SPEC §4 promises for these posts (default: the published ones)."""
    posts = sample.published if posts is None else posts
    per_page = int(sample.config.get("posts_per_page", 10))
    pages = {"index.html", "404.html", "sitemap.xml", "robots.txt", "locations.geojson"}
    pages |= {"events.csv"}
    pages |= {"feed.xml", "atom.xml", "series/index.html", "locations/index.html"}
    pages |= {"sources/index.html", "archive/index.html"}
    pages |= {f"page/{n}/index.html" for n in range(2, math.ceil(len(posts) / per_page) + 1)}
    pages |= {f"{taxonomy}/index.html" for taxonomy in sample.taxonomies}
    for post in posts:
        pages.add(f"posts/{post.slug}/index.html")
        if post.front.get("series"):
            series = slugify(post.front["series"])
            pages |= {f"series/{series}/index.html", f"series/{series}/feed.xml"}
            mapped = [p for p in posts if p.front.get("series") == post.front["series"]]
            if any(p.front.get("layers") or p.front.get("events") for p in mapped):
                pages |= {f"series/{series}/situation/index.html"}
                pages |= {f"series/{series}/situation.{kind}" for kind in ("geojson", "kml")}
        if post.path.endswith("/index.md"):  # a page bundle: its files beside the page
            folder = sample.root / post.path.rsplit("/", 1)[0]
            pages |= {
                f"posts/{post.slug}/{f.relative_to(folder).as_posix()}"
                for f in folder.rglob("*")
                if f.is_file() and f.name != "index.md" and not f.name.startswith(".")
            }
        for taxonomy in sample.taxonomies:
            for term in post.terms(taxonomy):
                pages |= {f"{taxonomy}/{slugify(term)}/index.html"}
                pages |= {f"{taxonomy}/{slugify(term)}/feed.xml"}
        pages |= {f"locations/{place['key']}/index.html" for place in post.places}
    for page in sorted((sample.root / "pages").glob("*.md")):  # About, Methodology...
        front = read_front_matter(page)
        pages.add(f"{front.get('slug') or slugify(front['title'])}/index.html")
        pages |= {f"{alias.strip('/')}/index.html" for alias in front.get("aliases") or []}
    return pages


def build_tree(root: Path, out: Path, **options: Any) -> Path:
    build(root, BuildOptions(output=out, now=NOW, **options))
    return out


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path (for byte-for-byte comparisons)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> SampleSite:
    """The repository's sample site, built once at NOW into <copy>/_site."""
    root = copy_sample(tmp_path_factory.mktemp("sample") / "site")
    out = build_tree(root, root / "_site")
    return read_sample(root, out)


@pytest.fixture(scope="session")
def sample_site_rebuilt(
    tmp_path_factory: pytest.TempPathFactory, sample_site: SampleSite
) -> SampleSite:
    """A second, independent build of the same sources (fresh copy, no cache).

    Copied from the first copy, not from the repository, so that edits made to the
    repository while the tests run cannot make the two builds differ.
    """
    root = copy_sample(tmp_path_factory.mktemp("sample-again") / "site", sample_site.root)
    out = build_tree(root, root / "_site")
    return read_sample(root, out)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template of every page rendered in this process while the test runs, in order."""
    from sitegen.output.render import Renderer

    made: list[str] = []
    original = Renderer.produce

    def spy(self: Renderer, template: str, page: dict, large: bool = False) -> bytes:  # type: ignore[type-arg]
        made.append(template)
        return original(self, template, page, large)

    monkeypatch.setattr(Renderer, "produce", spy)
    return made
