"""One post file in, one validated and rendered ``Post`` (or its problems) out.

:func:`read_post` is a pure function of the file's bytes, the config and the
Markdown renderer, so posts can be cached and converted in parallel.
"""

from __future__ import annotations

import html as html_module
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import lxml.html

from sitegen.errors import Problem, Problems
from sitegen.markup.links import internal_links
from sitegen.markup.sitrep import BodyContext, MarkdownRenderer, is_superscript, text_without
from sitegen.model import (
    Body,
    Correction,
    Named,
    Place,
    Post,
    Quote,
    Source,
    digest,
)
from sitegen.read.config import SiteConfig
from sitegen.read.fields import Fields, describe
from sitegen.read.frontmatter import Split, decode, split
from sitegen.read.images import with_body_images
from sitegen.read.pages import is_page, page_head
from sitegen.read.places import apart, how_far, read_place
from sitegen.read.situation import read_situation
from sitegen.read.slugs import explicit_slug_problem, slugify
from sitegen.read.sources import id_problem, read_source
from sitegen.read.yamlio import YamlList, YamlMap, load

POST_FIELDS = (
    "title",
    "subtitle",
    "date",
    "updated",
    "slug",
    "author",
    "authors",
    "draft",
    "series",
    "series_index",
    "tags",
    "summary",
    "sources",
    "quotes",
    "locations",
    "corrections",
    "layers",
    "events",
    "images",
    "image",
    "id",
    "aliases",
    "extra",
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_TAG = re.compile(r"<[^>]*>")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_EXTRA_HINT = "; free-form data for templates goes under 'extra:'"


@dataclass(frozen=True)
class PostResult:
    post: Post | None
    problems: tuple[Problem, ...]
    named: Named | None = None  # a post with errors: the files it names, checked all the same


def read_post(path: str, raw: bytes, config: SiteConfig, renderer: MarkdownRenderer) -> PostResult:
    problems = Problems(path)
    text = decode(raw, path)
    parts = text if isinstance(text, Problem) else split(text, path)
    if isinstance(parts, Problem):
        return PostResult(None, (parts,))
    post = _read(path, parts, config, renderer, problems, digest(raw))
    if isinstance(post, Named) or problems.errors:
        return PostResult(None, tuple(problems.items), post if isinstance(post, Named) else None)
    return PostResult(post, tuple(problems.items))


def _read(
    path: str,
    parts: Split,
    config: SiteConfig,
    renderer: MarkdownRenderer,
    problems: Problems,
    file_digest: str,
) -> Post | Named | None:
    data = _front_matter(parts, problems)
    if data is None:
        return None
    fields = Fields(data, problems)
    if is_page(path):
        head = page_head(fields, config, _slug)
    else:
        fields.check_keys((*POST_FIELDS, *config.taxonomies), _EXTRA_HINT)
        head = _head(fields, config)
    broken: set[str] = set()
    sources = _sources(fields, config, broken)
    quotes = _quotes(fields, sources, config)
    item_lines: dict[str, int] = {}
    places = _places(fields, config, item_lines)
    corrections, aliases = _corrections(fields, config), _aliases(fields, item_lines)
    situation = read_situation(path, fields, config, head["date"], (set(sources), places), broken)
    summary = fields.text("summary")
    known = {**config.sources, **sources}
    context = BodyContext(problems, parts.body_line, known, quotes, broken, parts.body)
    context.bundle, context.image_ids = situation["bundle"], situation.pop("image_ids")
    rendered = renderer.render(parts.body, context)
    situation["images"] = with_body_images(situation["images"], context)
    if problems.errors or None in (head["title"], head["date"], head["slug"]):
        return _named(path, situation, data.lines)
    cited = [known[i] for i in rendered.cited]
    shown = [*quotes.values(), *situation["images"]]  # their sources are listed too
    attributed = [known[s.source] for s in shown if s.source and s.source in known]
    ordered = list(dict.fromkeys([*cited, *sources.values(), *attributed]))
    first_paragraph = _tidy(
        rendered.lead if rendered.lead is not None else first_paragraph_of(rendered.html)
    )
    return Post(
        path=path,
        instant=head["date"].timestamp(),
        body=Body(rendered.html),
        summary=summary if summary is not None else first_paragraph,
        summary_given=summary is not None,
        sources=tuple(ordered),
        cited=len(cited),
        quotes=tuple(quotes.values()),
        places=places,
        corrections=corrections,
        **situation,
        aliases=aliases,
        digest=file_digest,
        toc_html=rendered.toc_html,
        headings=rendered.headings,
        words=word_count(rendered.html),
        links=internal_links(rendered.html, parts.body, parts.body_line),
        lines={**{str(key): line for key, line in data.lines.items()}, **item_lines},
        **head,
    )


def _named(path: str, situation: dict[str, Any], lines: dict[Any, int]) -> Named:
    line_of = {str(key): line for key, line in lines.items()}
    return Named(path, situation["layers"], situation["images"], situation["image"], line_of)


def _front_matter(parts: Split, problems: Problems) -> YamlMap | None:
    """The front matter as a mapping, or None (with the problem said)."""
    data = load(parts.yaml, problems, line_offset=parts.yaml_line)
    if data is None and not problems.items:
        problems.error(1, "", "front matter is empty: a post needs at least a title and a date")
        return None
    if not isinstance(data, YamlMap):
        if data is not None:
            problems.error(parts.yaml_line + 1, "", "front matter must be a mapping (key: value)")
        return None
    data.line = 1
    return data


def _head(fields: Fields, config: SiteConfig) -> dict[str, Any]:
    """The post's single-valued fields and term lists, by ``Post`` field name."""
    tz = config.timezone
    title = fields.text("title", required=True)
    date = fields.moment("date", tz, required=True)
    series = fields.text("series")
    series_index = fields.integer("series_index", low=0, high=1_000_000)
    if series_index is not None and series is None:
        fields.error("series_index", "given without 'series'")
    guid = fields.text("id")
    if guid is not None and not _URI.match(guid):
        fields.error(
            "id", f"expected a URI such as 'tag:example.org,2016:sitrep-9', got {describe(guid)}"
        )
    return {
        "title": title,
        "date": date,
        "updated": fields.moment("updated", tz),
        "slug": _slug(fields, title),
        "authors": _authors(fields, config),
        "subtitle": fields.text("subtitle"),
        "draft": fields.boolean("draft"),
        "series": series,
        "series_index": series_index,
        "guid": guid,
        "tags": fields.texts("tags"),
        "taxonomies": tuple((name, fields.texts(name)) for name in config.taxonomies),
        "extra": fields.mapping("extra") or {},
    }


def _slug(fields: Fields, title: str | None) -> str | None:
    slug = fields.text("slug")
    if slug is None:
        return slugify(title) if title else None
    slug = unicodedata.normalize("NFC", slug)
    if problem := explicit_slug_problem(slug):
        fields.error("slug", f"{describe(slug)} {problem}")
        return None
    return slug


def _authors(fields: Fields, config: SiteConfig) -> tuple[str, ...]:
    if "author" in fields.data and "authors" in fields.data:
        fields.error("authors", "give 'author' or 'authors', not both")
    if "author" in fields.data:
        author = fields.text("author")
        return (author,) if author else ()
    authors = fields.texts("authors")
    return authors or ((config.author,) if config.author else ())


def _entries(fields: Fields, key: str) -> list[tuple[str, int, object]]:
    """(field name, line, value) for each item of a front-matter list."""
    values = fields.items(key)
    if values is None:
        return []
    return [(f"{key}[{i}]", values.line_of(i), item) for i, item in enumerate(values)]


def _sources(fields: Fields, config: SiteConfig, broken: set[str]) -> dict[str, Source]:
    """The post's sources by id; ids whose entry was wrong go to ``broken`` (reported once)."""
    found: dict[str, Source] = {}
    for where, line, item in _entries(fields, "sources"):
        source: Source | None = None
        if isinstance(item, YamlMap):
            source = read_source(item, fields.problems, where, registry=config.sources)
        elif isinstance(item, str) and item in config.sources:
            source = config.sources[item]
        elif isinstance(item, str):
            fields.problems.error(
                line, where, f"unknown source {item!r} (not in site.yaml sources)"
            )
        else:
            fields.problems.error(
                line, where, f"expected a registry id or a mapping, got {describe(item)}"
            )
        if source is None:
            if isinstance(item, str):
                broken.add(item)
            elif isinstance(item, YamlMap) and isinstance(item.get("id"), str):
                broken.add(item["id"])
            continue
        if source.id in found:
            fields.problems.error(line, where, f"duplicate source id {source.id!r}")
            continue
        found[source.id] = source
    return found


def _quotes(fields: Fields, sources: dict[str, Source], config: SiteConfig) -> dict[str, Quote]:
    found: dict[str, Quote] = {}
    for where, line, item in _entries(fields, "quotes"):
        if not isinstance(item, YamlMap):
            fields.problems.error(
                line, where, f"expected a mapping (id, text, ...), got {describe(item)}"
            )
            continue
        quote_fields = Fields(item, fields.problems, where)
        quote_fields.check_keys(("id", "text", "speaker", "source"))
        quote_id = quote_fields.text("id", required=True)
        text = quote_fields.text("text", required=True)
        source = quote_fields.text("source")
        if quote_id and (problem := id_problem(quote_id)):
            quote_fields.error("id", problem)
            quote_id = None
        if quote_id in found:
            quote_fields.error("id", f"duplicate quote id {quote_id!r}")
            continue
        if source is not None and source not in sources and source not in config.sources:
            quote_fields.error(
                "source", f"unknown source {source!r} (not in this post's sources or site.yaml)"
            )
        if quote_id and text:
            found[quote_id] = Quote(quote_id, text, quote_fields.text("speaker"), source)
    return found


def _places(fields: Fields, config: SiteConfig, lines: dict[str, int]) -> tuple[Place, ...]:
    """The post's places, once each; ``lines`` gets ``locations[i]`` for site-level errors."""
    found: dict[str, Place] = {}
    for where, line, item in _entries(fields, "locations"):
        place: Place | None = None
        if isinstance(item, YamlMap):
            place = read_place(item, fields.problems, where)
        elif isinstance(item, str) and item in config.places:
            place = config.places[item]
        elif isinstance(item, str):
            fields.problems.error(line, where, f"unknown place {item!r} (not in site.yaml places)")
        else:
            fields.problems.error(
                line, where, f"expected a registry id or a mapping, got {describe(item)}"
            )
        if place is not None and place.key not in found:
            lines[f"locations[{len(found)}]"] = line
            found[place.key] = place
        elif place is not None and (metres := apart(found[place.key], place)) is not None:
            fields.problems.error(
                line,
                where,
                f"is {how_far(metres)} from {found[place.key].name!r} above, "
                f"and both would be /locations/{place.key}/: give one a distinct name",
            )
    return tuple(found.values())


def _corrections(fields: Fields, config: SiteConfig) -> tuple[Correction, ...]:
    found: list[Correction] = []
    for where, line, item in _entries(fields, "corrections"):
        if not isinstance(item, YamlMap):
            fields.problems.error(
                line, where, f"expected a mapping (date, text), got {describe(item)}"
            )
            continue
        correction = Fields(item, fields.problems, where)
        correction.check_keys(("date", "text"))
        when = correction.moment("date", config.timezone, required=True)
        text = correction.text("text", required=True)
        if when and text:
            found.append(Correction(when, text))
    return tuple(sorted(found, key=lambda c: c.date))


def _aliases(fields: Fields, lines: dict[str, int]) -> tuple[str, ...]:
    """The old URLs; ``lines`` gets ``aliases[i]``, where the indexes report collisions."""
    found: list[str] = []
    values = fields.items("aliases") or YamlList(fields.line("aliases"))
    given = [None if isinstance(item, (dict, list)) else str(item).strip() for item in values]
    for alias in fields.texts("aliases"):
        index = given.index(alias)  # the editor's numbering (an alias given twice is read once)
        line = values.line_of(index)
        if problem := alias_problem(alias):
            fields.problems.error(line, f"aliases[{index}]", f"{describe(alias)} {problem}")
        else:
            lines[f"aliases[{len(found)}]"] = line
            found.append(unicodedata.normalize("NFC", alias))
    return tuple(found)


def alias_problem(alias: str) -> str | None:
    """Why an old URL path cannot get a redirect page inside the output, or None."""
    if not alias.startswith("/") or alias.startswith("//"):
        return "must be a path starting with '/', like /2016/12/03/old-post/"
    if "?" in alias or "#" in alias:
        return "must be a path without '?' or '#'"
    segments = [s for s in alias.strip("/").split("/")]
    if segments == [""]:
        return "must not be the home page"
    for segment in segments:
        if problem := explicit_slug_problem(segment):
            return f"has an unsafe part {segment!r}: {problem}"
    return None


def word_count(html: str) -> int:
    """Words of the text a reader sees (tags dropped, entities decoded)."""
    return len(html_module.unescape(_TAG.sub("", html)).split())


def first_paragraph_of(html: str) -> str:
    """The first top-level paragraph's text, superscripts (citations, notes) dropped."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for child in root:
        if child.tag == "p":
            return text_without(child, is_superscript)
    return ""


def _tidy(text: str) -> str:
    """Whitespace collapsed, and none left before punctuation (where a citation was)."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))
