"""Every image file the posts name, read once per build: its size as shown, or why it is refused.

Read after the posts, like the layer files (:mod:`sitegen.read.layers`), so a
post stays a function of its own bytes.  Only a raster image's header is read
here (its size, its EXIF orientation); its pixels are decoded when its sizes
are made (:mod:`sitegen.output.imaging`).  An SVG is published as it is, so it
is checked here, whole: free of script and of references to anything outside
itself.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
from PIL import Image, UnidentifiedImageError

from sitegen.errors import Problem
from sitegen.markup import urls
from sitegen.model import Named, Post
from sitegen.read.config import SiteConfig

MAX_PIXELS = 60_000_000  # a larger image is refused (a decompression bomb, or a mistake)
RASTER_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MISSING = "does not exist"


@dataclass(frozen=True)
class ImageFile:
    """One image file as published: ``width`` × ``height`` as shown (orientation applied)."""

    path: str  # site-relative
    source: Path  # the file (a static/ one may be the theme's)
    width: int
    height: int
    svg: bool
    stamp: str  # its size and mtime: what the files made from it are fingerprinted by


Wanted = tuple[str, str, int, str]  # (file, path, line, field): a file and who names it


def wanted_by(posts: Iterable[Post | Named]) -> Iterable[Wanted]:
    """Each image file a post names, with where it names it."""
    for post in posts:
        for picture in post.images:
            field = f"images[{picture.entry}].file" if picture.id else ""
            yield picture.file, post.path, picture.line, field
        if post.image and "/" in post.image:  # a file, not an id of ``images``
            yield post.image, post.path, post.line_of("image"), "image"


def wanted_by_config(config: SiteConfig) -> Iterable[Wanted]:
    """The site's own pictures: the default preview, the logo, the icon (not an ICO)."""
    for key in ("image", "logo", "favicon"):
        file = getattr(config, key)
        if file and not file.lower().endswith(".ico"):
            yield file, "site.yaml", 0, key


def read_image_files(
    root: Path, static: list[Path], wanted: Iterable[Wanted]
) -> tuple[dict[str, ImageFile], list[Problem]]:
    """Each wanted file by site-relative path, and every problem (once per file).

    ``static`` are the static folders, the site's first: a ``static/`` file
    may be the theme's.
    """
    found: dict[str, ImageFile] = {}
    failed: set[str] = set()
    problems: list[Problem] = []
    site = root.resolve()
    for file, path, line, field in wanted:
        if file in found or file in failed:
            continue
        try:
            if file.startswith("static/"):
                rel = file[len("static/") :]
                top = next((d for d in static if (d / rel).exists()), static[0] if static else root)
                found[file] = read_image_file(top.resolve(), rel, file)
            else:
                found[file] = read_image_file(site, file, file)
        except ValueError as exc:
            failed.add(file)
            if field or str(exc) != MISSING:  # a Markdown image's missing file: a broken link
                problems.append(Problem(path, line, field, f"{file} {exc}"))
    return found, problems


def read_image_file(top: Path, rel: str, file: str) -> ImageFile:
    """The image ``file`` at ``rel`` in the folder ``top``; ValueError says why it cannot be
    published."""
    path = top / rel
    try:
        if not path.resolve().is_relative_to(top):
            raise PermissionError
        stat = path.stat()
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}"
        if file.lower().endswith(".svg"):
            data = path.read_bytes()
            if problems := check_svg(data):
                raise ValueError("cannot be published: it " + "; it ".join(problems))
            return ImageFile(file, path, *svg_size(data), svg=True, stamp=stamp)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format not in RASTER_FORMATS:
                    raise ValueError(f"is {image.format}; publish JPEG, PNG, WebP, GIF or SVG")
                if image.width * image.height > MAX_PIXELS:
                    raise ValueError(
                        f"is {image.width}×{image.height} pixels; "
                        f"at most {MAX_PIXELS:,} are allowed"
                    )
                width, height = upright_size(image)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise ValueError(MISSING) from None
    except PermissionError:
        raise ValueError("cannot be read") from None
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValueError("is not an image Pillow can read (JPEG, PNG, WebP or GIF)") from None
    except OSError as exc:
        raise ValueError(f"cannot be read: {exc.strerror or exc}") from None
    return ImageFile(file, path, width, height, svg=False, stamp=stamp)


def upright_size(image: Image.Image) -> tuple[int, int]:
    """The size of an opened image as shown: turned by its EXIF orientation."""
    try:
        turned = image.getexif().get(0x0112) in (5, 6, 7, 8)
    except (OSError, ValueError, SyntaxError):
        turned = False
    return (image.height, image.width) if turned else (image.width, image.height)


_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def svg_size(data: bytes) -> tuple[int, int]:
    """An SVG's intrinsic size: its ``width`` and ``height`` in pixels, else its ``viewBox``."""
    root = lxml.etree.fromstring(data, _parser())
    width, height = (_LENGTH.match(root.get(key, "")) for key in ("width", "height"))
    if width and height:
        return max(1, round(float(width.group(1)))), max(1, round(float(height.group(1))))
    box = root.get("viewBox", "").replace(",", " ").split()
    try:
        w, h = float(box[2]), float(box[3])
    except (IndexError, ValueError):
        w = h = 0
    if w <= 0 or h <= 0:
        raise ValueError("has no width and height in pixels and no viewBox: its size is unknown")
    return max(1, round(w)), max(1, round(h))


def _parser() -> lxml.etree.XMLParser:
    return lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object"}
_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)([^)'\"]*)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)


def check_svg(data: bytes) -> list[str]:
    """Why an SVG may not be published as it is (empty: it is safe).

    Refused: script and elements that embed other documents, event handler
    attributes, links and references to anything but the file's own
    fragments (``#id``), animations that change a link, CSS that loads from
    elsewhere, DTDs and entities.
    """
    try:
        root = lxml.etree.fromstring(data, _parser())
    except lxml.etree.XMLSyntaxError as exc:
        return [f"is not well-formed XML: {exc}"]
    problems = []
    if root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data:
        problems.append("declares a DTD or entities")
    if root.tag != f"{_SVG}svg":
        problems.append("is not an SVG document (its root is not <svg>)")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = lxml.etree.QName(element).localname
        if name in _FORBIDDEN:
            problems.append(f"has a <{name}> element")
        for attribute, value in element.attrib.items():
            local = lxml.etree.QName(attribute).localname
            if local.lower().startswith("on"):
                problems.append(f"has an event handler attribute {local}= on <{name}>")
            elif (local == "href" or attribute == _XLINK_HREF) and not urls.read(value).startswith(
                "#"
            ):  # read as browsers read URLs: only the file's own fragments
                problems.append(f"has <{name}> linking to {value.strip()[:60]!r}")
            elif local == "style" and _outside(value):
                problems.append(f"has <{name}> with a style that loads from elsewhere")
        if name in _ANIMATIONS and "href" in element.get("attributeName", "").lower():
            problems.append(f"has <{name}> changing a link (it could make one to a script)")
        if name == "style" and _outside(element.text or ""):
            problems.append("has a <style> that loads from elsewhere")
    return list(dict.fromkeys(problems))


def _outside(css: str) -> bool:
    return bool(_CSS_IMPORT.search(css)) or any(target.strip() for target in _CSS_URL.findall(css))
