"""Images made safe and small: metadata stripped, orientation applied, sizes for every screen.

A photo's EXIF can hold the GPS position it was taken at, the camera's serial
number and the time; XMP and IPTC the author and editing history; an ICC
profile a free-text description.  Publishing the original can expose a
source.  Every published raster image is therefore decoded and encoded anew
with Pillow from its pixels alone (colours converted to sRGB first, the EXIF
orientation applied), in a set of widths up to the original's, as WebP and in
its own format.  What is made is kept in the cache by the source's bytes and
these settings (:func:`derived`), so an unchanged image is never encoded again.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from PIL import __version__ as PILLOW

from sitegen.errors import ContentError, Problem
from sitegen.output.writer import cache_folder
from sitegen.read.imagefiles import MAX_PIXELS, upright_size

WIDTHS = (480, 960, 1600)  # the widths made, those narrower than the original
OWN = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".gif": "gif"}
SMALLER = {"jpeg": "jpeg", "png": "png", "webp": "webp", "gif": "png"}  # narrower copies
QUALITY = {"jpeg": 82, "webp": 80}
SETTINGS = f"{WIDTHS}{QUALITY}{MAX_PIXELS} Pillow {PILLOW}"  # in every cache key
_SRGB = ImageCms.createProfile("sRGB")
ENCODED: list[str] = []  # what this process encoded ("<file> <size>"): tests count it


class ImageProblem(ValueError):
    """Why an image cannot be published (the message names what is wrong)."""


@dataclass(frozen=True)
class Size:
    """One file made from a raster image: ``suffix`` is added to its name ("": the file itself)."""

    width: int
    height: int
    format: str  # "jpeg", "png", "webp" or "gif"
    suffix: str

    def path(self, published: str) -> str:
        """Where this size of the image published at ``published`` is written."""
        if not self.suffix:
            return published
        pure = PurePosixPath(published)
        return str(pure.with_name(pure.stem + self.suffix))


def own_format(path: str) -> str:
    return OWN[PurePosixPath(path).suffix.lower()]


def sizes(width: int, height: int, path: str) -> list[Size]:
    """Every file made from the raster image ``path`` of ``width`` × ``height`` (shown upright).

    The image itself, at full size in its own format, then for each width
    below its own (and its own, up to the widest) a WebP and, narrower than
    the original, a copy in its own format (GIF as PNG): narrowest first.
    """
    own = own_format(path)
    suffix = PurePosixPath(path).suffix
    made = [Size(width, height, own, "")]
    for w in sorted({*(w for w in WIDTHS if w < width), min(width, max(WIDTHS))}):
        h = max(1, round(height * w / width))
        if own != "webp" or w != width:
            made.append(Size(w, h, "webp", f"-{w}w.webp"))
        if w != width and own != "webp":
            smaller = SMALLER[own]
            made.append(Size(w, h, smaller, f"-{w}w{suffix if smaller == own else '.png'}"))
    return made


@dataclass(frozen=True)
class ImageCache:
    """Where made sizes are kept (``.sitegen-cache/images``); ``check`` reads, never writes."""

    path: Path
    writes: bool = True


def derived(source: Path, rel: str, size: Size, cache: ImageCache | None) -> bytes:
    """One size of ``source`` (``rel`` in the site), from the cache if made from the same bytes.

    The cache file is named by the source's path, its bytes and the settings;
    making a new one for a path removes that path's older ones.  A file that
    cannot be published is a content error at its path.
    """
    try:
        return _derived(source, size, cache)
    except ImageProblem as exc:
        raise ContentError([Problem(rel, 0, "", str(exc))]) from None
    except OSError as exc:
        raise ContentError([Problem(rel, 0, "", f"cannot be read: {exc.strerror}")]) from None


def _derived(source: Path, size: Size, images: ImageCache | None) -> bytes:
    data = source.read_bytes()
    if images is None:
        return made(data, size, str(source))
    cache = images.path
    where = hashlib.blake2b(str(source).encode(), digest_size=8).hexdigest()
    key = hashlib.blake2b(data + SETTINGS.encode(), digest_size=16).hexdigest()
    name = f"{where}-{key}-{size.width}.{size.format}"
    try:  # each file ends with the hash of its bytes: a damaged one is made again
        stored = (cache / name).read_bytes()
        if hashlib.blake2b(stored[:-16], digest_size=16).digest() == stored[-16:]:
            return stored[:-16]
    except OSError:
        pass
    result = made(data, size, str(source))
    if not images.writes:
        return result
    cache_folder(cache)
    for old in cache.glob(f"{where}-*"):
        if not old.name.startswith(f"{where}-{key}-"):
            old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".new-", dir=cache)
    with os.fdopen(fd, "wb") as handle:
        handle.write(result + hashlib.blake2b(result, digest_size=16).digest())
    os.replace(tmp, cache / name)
    return result


@dataclass(frozen=True)
class Decoded:
    """An image's pixels alone: its frames (one, unless animated) and how long each shows."""

    frames: tuple[Image.Image, ...]
    durations: tuple[int, ...]  # milliseconds per frame
    loop: int  # times an animation plays (0: for ever)


_decoded: dict[str, Decoded] = {}  # the last image decoded in this process, by its hash
ANIMATED = ("gif", "webp", "png")  # formats whose sizes keep every frame (PNG as APNG)


def made(data: bytes, size: Size, name: str = "") -> bytes:
    """Encode one size of the image ``data`` (its pixels alone: no metadata)."""
    key = hashlib.blake2b(data, digest_size=16).hexdigest()
    decoded = _decoded.get(key)
    if decoded is None:
        decoded = _decode(_open(data))
        _decoded.clear()
        _decoded[key] = decoded
    frames = decoded.frames if size.format in ANIMATED else decoded.frames[:1]
    if size.format == "ico":  # an icon: square, transparent around a picture that is not
        box = (size.width, size.height)
        frames = (ImageOps.pad(frames[0].convert("RGBA"), box, color=(0, 0, 0, 0)),)
    elif size.suffix and frames[0].width != size.width:  # narrower ("": the image itself)
        frames = tuple(f.resize((size.width, size.height), Image.LANCZOS) for f in frames)
    ENCODED.append(f"{name} {size.width}.{size.format}")
    return _encode(frames, size.format, decoded)


def _decode(image: Image.Image) -> Decoded:
    """Every frame cleaned (see ``_clean``), with the animation's timing and nothing else."""
    count = getattr(image, "n_frames", 1)
    if count <= 1:
        return Decoded((_clean(image),), (0,), 0)
    frames, durations = [], []
    for index in range(count):
        image.seek(index)
        frames.append(_clean(image.convert("RGBA")))
        durations.append(int(image.info.get("duration", 100)))
    return Decoded(tuple(frames), tuple(durations), int(image.info.get("loop", 0)))


def variants(data: bytes, path: str = "image.jpg") -> dict[Size, bytes]:
    """Every size of an image, made at once (for tests and tools)."""
    image = _open(data)
    width, height = upright_size(image)
    return {size: made(data, size) for size in sizes(width, height, path)}


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
    if image.format not in ("JPEG", "PNG", "WEBP", "GIF"):
        raise ImageProblem(f"is {image.format}; publish JPEG, PNG, WebP, GIF or SVG")
    return image


def _clean(image: Image.Image) -> Image.Image:
    """The pixels alone: turned upright, in sRGB, with no metadata left to encode."""
    upright = ImageOps.exif_transpose(image) or image
    if upright.mode in ("I;16", "I;16L", "I;16B", "I"):  # 16-bit grey: scaled, not clipped
        upright = upright.convert("I").point(lambda value: value / 256).convert("L")
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


def _encode(frames: tuple[Image.Image, ...], kind: str, decoded: Decoded) -> bytes:
    out = io.BytesIO()
    image = frames[0]
    more: dict = {}
    if len(frames) > 1:  # an animation: every frame, its timing and looping
        more = {"save_all": True, "append_images": list(frames[1:])}
        more |= {"duration": list(decoded.durations), "loop": decoded.loop}
    if kind == "jpeg":
        flat = image.convert("RGB") if image.mode != "RGB" else image
        flat.save(out, "JPEG", quality=QUALITY["jpeg"], optimize=True, progressive=True)
    elif kind == "webp":
        image.save(out, "WEBP", quality=QUALITY["webp"], method=4, **more)
    elif kind == "gif":
        image.save(out, "GIF", optimize=True, **more)
    elif kind == "ico":
        image.save(out, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    else:
        image.save(out, "PNG", optimize=True, **more)
    return out.getvalue()
