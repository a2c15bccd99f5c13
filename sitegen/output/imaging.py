"""Images made safe and small: metadata stripped, orientation applied, sizes for every screen.

A photo's EXIF can hold the GPS position it was taken at, the camera's serial
number and the time; XMP and IPTC the author and editing history; an ICC
profile a free-text description.  Publishing the original can expose a
source.  Every published raster image is therefore decoded and encoded anew
with Pillow from its pixels alone (colours converted to sRGB first, the EXIF
orientation applied), in a set of widths up to the original's, as WebP and in
its own format.  An SVG is published as it is, but only once it is checked free
of script and of references to anything outside itself.

(Step one of images, issue 17: the processing.  Reading ``images:`` and the
image shortcode, and the outputs, come next.)
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import lxml.etree
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

WIDTHS = (480, 960, 1600)  # the widths made, those narrower than the original
MAX_PIXELS = 60_000_000  # a larger image is refused (a decompression bomb, or a mistake)
FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp", "GIF": "png"}  # source -> published
QUALITY = {"jpeg": 82, "webp": 80}
_SRGB = ImageCms.createProfile("sRGB")


class ImageProblem(ValueError):
    """Why an image cannot be published (the message names what is wrong)."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str  # "jpeg", "png" or "webp"
    data: bytes


def variants(data: bytes, widths: tuple[int, ...] = WIDTHS) -> list[Variant]:
    """The image at each width below its own (and its own, up to the widest), without metadata.

    Each width comes as WebP and in the image's own format (GIF as PNG), in
    that order, narrowest first.
    """
    image = _open(data)
    own = FORMATS[image.format or ""]
    pixels = _clean(image)
    sizes = [w for w in widths if w < pixels.width] + [min(pixels.width, max(widths))]
    made = []
    for width in sorted(set(sizes)):
        height = max(1, round(pixels.height * width / pixels.width))
        scaled = pixels if width == pixels.width else pixels.resize((width, height), Image.LANCZOS)
        for kind in dict.fromkeys(("webp", own)):
            made.append(Variant(width, height, kind, _encode(scaled, kind)))
    return made


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ImageProblem(
                f"is {image.width}×{image.height} pixels; at most {MAX_PIXELS:,} are allowed"
            )
        image.load()
    except UnidentifiedImageError:
        raise ImageProblem("is not an image Pillow can read (JPEG, PNG, WebP or GIF)") from None
    except Image.DecompressionBombError as exc:
        raise ImageProblem(f"is too large to decode safely: {exc}") from None
    except OSError as exc:
        raise ImageProblem(f"is damaged: {exc}") from None
    if image.format not in FORMATS:
        raise ImageProblem(f"is {image.format}; publish JPEG, PNG, WebP, GIF or SVG")
    return image


def _clean(image: Image.Image) -> Image.Image:
    """The pixels alone: turned upright, in sRGB, with no metadata left to encode."""
    upright = ImageOps.exif_transpose(image) or image
    alpha = "transparency" in image.info or upright.mode in ("RGBA", "LA", "PA")
    if upright.mode == "P":
        upright = upright.convert("RGBA" if alpha else "RGB")
    if profile := image.info.get("icc_profile"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if alpha else "RGB"
            upright = ImageCms.profileToProfile(upright, source, _SRGB, outputMode=mode) or upright
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unreadable profile: the pixels are taken as they are
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if alpha else "RGB")
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    clean.info = {}
    return clean


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    if kind == "jpeg":
        flat = image.convert("RGB") if image.mode != "RGB" else image
        flat.save(out, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True)
    elif kind == "webp":
        image.save(out, "WEBP", quality=QUALITY["webp"], method=4)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


# -- SVG -------------------------------------------------------------------------------

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)([^)'\"]*)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)


def check_svg(data: bytes) -> list[str]:
    """Why an SVG may not be published as it is (empty: it is safe).

    Refused: script and elements that embed other documents, event handler
    attributes, links and references to anything but the file's own
    fragments (``#id``), CSS that loads from elsewhere, DTDs and entities.
    """
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(data, parser)
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
            elif (local == "href" or attribute == _XLINK_HREF) and not value.strip().startswith(
                "#"
            ):
                problems.append(f"<{name}> links to {value.strip()[:60]!r}")
            elif local == "style" and _outside(value):
                problems.append(f"<{name}> has a style that loads from elsewhere")
        if name == "style" and _outside(element.text or ""):
            problems.append("has a <style> that loads from elsewhere")
    return list(dict.fromkeys(problems))


def _outside(css: str) -> bool:
    return bool(_CSS_IMPORT.search(css)) or any(target.strip() for target in _CSS_URL.findall(css))
