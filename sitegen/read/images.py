"""Front matter ``images:`` (pictures as evidence) and ``image:`` (the link-preview picture).

Each image names a file (beside the post in its page bundle, or under
``static/``), says what it shows (``alt``: required, ``""`` for decoration), and
may name a source and a place of the post.  The files themselves are read after
the posts (:mod:`sitegen.read.imagefiles`), so a post stays a function of its
own bytes.
"""

from __future__ import annotations

from dataclasses import replace

from sitegen.markup.elements import BodyContext
from sitegen.markup.images import bundle_file
from sitegen.model import IMAGE_TYPES, Picture, Place
from sitegen.read.fields import Fields, describe
from sitegen.read.sources import id_problem
from sitegen.read.yamlio import YamlMap

IMAGE_FIELDS = (
    "id",
    "file",
    "alt",
    "caption",
    "credit",
    "source",
    "place",
    "taken",
    "keep_metadata",
)
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif")  # what a link preview can show


def image_file(fields: Fields, key: str, bundle: str | None, kinds: tuple[str, ...]) -> str | None:
    """The site-relative file a ``file``-like field names, or None (with the problem said)."""
    file = fields.text(key, required=key == "file")
    if not file:
        return None
    found = bundle_file(bundle, file)
    if found is None:
        where = "beside the post in its page bundle or under static/" if bundle else "under static/"
        hint = "" if bundle else " (or make the post a page bundle: <name>/index.md)"
        fields.error(key, f"{describe(file)}: an image file must be {where}{hint}")
        return None
    suffix = "." + found.rsplit(".", 1)[-1].lower() if "." in found else ""
    if suffix not in kinds:
        allowed = ", ".join(kinds)
        fields.error(key, f"{describe(file)} is not an image sitegen publishes ({allowed})")
        return None
    return found


def read_images(
    fields: Fields,
    bundle: str | None,
    known: tuple[set[str], tuple[Place, ...]],
    broken: set[str],
) -> tuple[Picture, ...]:
    """``images:``, each checked where it is written; ``known``: the post's sources and places.

    The ids of images with problems go into ``broken``: the body's embeds of
    them are not reported again as unknown.
    """
    sources, places = known
    values = fields.items("images")
    found: dict[str, Picture] = {}
    for index, item in enumerate(values or ()):
        where, line = f"images[{index}]", values.line_of(index)  # type: ignore[union-attr]
        if not isinstance(item, YamlMap):
            fields.problems.error(
                line, where, f"expected a mapping (id, file, alt, ...), got {describe(item)}"
            )
            continue
        picture = _image(Fields(item, fields.problems, where), bundle, sources, places)
        picture = replace(picture, entry=index) if picture else None
        if picture is None:
            broken.add(str(item.get("id")))
            continue
        if picture.id in found:
            Fields(item, fields.problems, where).error("id", f"duplicate image id {picture.id!r}")
            continue
        found[picture.id] = picture
    return tuple(found.values())


def _image(
    entry: Fields, bundle: str | None, sources: set[str], places: tuple[Place, ...]
) -> Picture | None:
    before = len(entry.problems.errors)
    entry.check_keys(IMAGE_FIELDS)
    image_id = entry.text("id", required=True)
    if image_id and (problem := id_problem(image_id)):
        entry.error("id", problem)
    file = image_file(entry, "file", bundle, tuple(IMAGE_TYPES))
    if entry.data.get("alt") is None:
        where = entry.line("alt") if "alt" in entry.data else entry.data.line
        entry.problems.error(
            where,
            entry.name("alt"),
            'required: say what the image shows (alt: "" only for an image that is decoration)',
        )
    alt = entry.text("alt") or ""
    source = entry.text("source")
    if source is not None and source not in sources:
        entry.error("source", f"unknown source {source!r} (not in this post's sources)")
    place = entry.text("place")
    key = next((p.key for p in places if place in (p.name, p.key)), None) if place else None
    if place is not None and key is None:
        known = ", ".join(p.name for p in places) or "none in locations"
        entry.error("place", f"unknown place {place!r} (this post's places: {known})")
    picture = Picture(
        id=image_id or "",
        file=file or "",
        alt=" ".join(alt.split()),
        caption=entry.text("caption"),
        credit=entry.text("credit"),
        source=source,
        place=key,
        taken=entry.partial_date("taken"),
        keep_metadata=entry.boolean("keep_metadata"),
        line=entry.data.line,
    )
    return picture if len(entry.problems.errors) == before else None


def read_preview(fields: Fields, bundle: str | None, images: tuple[Picture, ...]) -> str | None:
    """``image:``: an id of ``images`` or a raster file; the picture link previews show."""
    value = fields.text("image")
    if value is None or any(p.id == value for p in images):
        return value
    return image_file(fields, "image", bundle, RASTER)


def with_body_images(images: tuple[Picture, ...], body: BodyContext) -> tuple[Picture, ...]:
    """Front matter's images (those the body embeds marked ``shown``), then the body's own."""
    marked = tuple(replace(p, shown=True) if p.id in body.embedded else p for p in images)
    return marked + tuple(body.pictures)
