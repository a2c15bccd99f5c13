"""Reading sources (site registry and front matter) and their Admiralty grades."""

from __future__ import annotations

import dataclasses
import re

from sitegen.errors import Problems
from sitegen.model import CREDIBILITY, RELIABILITY, Source
from sitegen.read.fields import Fields, describe
from sitegen.read.yamlio import YamlMap

SOURCE_FIELDS = (
    "id",
    "name",
    "title",
    "url",
    "archive_url",
    "published",
    "reliability",
    "credibility",
    "sort_as",
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


def id_problem(value: str) -> str | None:
    if _ID.match(value):
        return None
    return f"{describe(value)} is not an id (letters, digits, '-', '_', '.', ':')"


def read_source(
    data: YamlMap,
    problems: Problems,
    prefix: str,
    *,
    source_id: str | None = None,
    registry: dict[str, Source] | None = None,
) -> Source | None:
    """A source from a mapping; an ``id`` naming a registry entry inherits its fields."""
    fields = Fields(data, problems, prefix)
    fields.check_keys(SOURCE_FIELDS if source_id is None else SOURCE_FIELDS[1:])
    if source_id is None:
        source_id = fields.text("id", required=True)
        if source_id and (problem := id_problem(source_id)):
            fields.error("id", problem)
            source_id = None
    base = (registry or {}).get(source_id or "")
    name = fields.text("name", required=base is None)
    reliability = fields.choice(
        "reliability", "".join(RELIABILITY), "an Admiralty reliability grade (A-F)"
    )
    credibility = fields.choice(
        "credibility", "".join(CREDIBILITY), "an Admiralty credibility grade (1-6)"
    )
    values = {
        "name": name,
        "title": fields.text("title"),
        "url": fields.url("url"),
        "archive_url": fields.url("archive_url"),
        "published": fields.partial_date("published"),
        "reliability": reliability,
        "credibility": credibility,
        "sort_as": fields.text("sort_as"),
    }
    if source_id is None or (base is None and name is None):
        return None
    given = {key: value for key, value in values.items() if key in data and value is not None}
    if base is not None:
        return dataclasses.replace(base, **given)
    return Source(id=source_id, **given)  # type: ignore[arg-type]


def read_registry_source(data: YamlMap, problems: Problems, where: str, key: str) -> Source | None:
    if problem := id_problem(key):
        problems.error(data.line, where, problem)
        return None
    return read_source(data, problems, where, source_id=key)
