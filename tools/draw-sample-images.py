#!/usr/bin/env python3
"""Draw the sample site's illustrations from the sample posts' own data.

Every picture on the sample site is a sketch map drawn by this script from the
coordinates in the posts it illustrates: the ``locations:`` of the post (and
the ``places:`` registry in site.yaml that the post names) and the GeoJSON
files of its ``layers:``.  Nothing is copied from elsewhere.  The projection
is a simple equirectangular one, centred on each map, which is accurate
enough over a few kilometres.

Run it from anywhere (paths are relative to the repository root):

    python3 tools/draw-sample-images.py            # (re)write every image
    python3 tools/draw-sample-images.py --check    # write nothing; exit 1 if
                                                   # any image is out of date
    python3 tools/draw-sample-images.py --list     # list the images it makes

Needs Pillow >= 10.1 (for the built-in scalable font,
``ImageFont.load_default(size=...)``) and PyYAML, both already dependencies
of sitegen.  The output is deterministic: the same inputs give the same bytes
on every run with the same Pillow (and FreeType) version.

What it writes, into the page bundles of the posts they belong to:

    posts/waterloo/waterloo-sitrep-4/positions-1100.jpg
        2400 px wide JPEG.  Carries EXIF (Make, Model, DateTimeOriginal, a GPS
        IFD with the battlefield's latitude and longitude), an XMP packet and
        a JPEG comment, so that sitegen's metadata stripping can be seen at
        work: the published copies must carry none of them.
    posts/gettysburg/gettysburg-sitrep-2/assault-3-july.jpg
        JPEG whose pixels are stored rotated 90 degrees anticlockwise, with
        EXIF Orientation 6 ("rotate 90 degrees clockwise to display").  It
        appears upright only if the orientation is applied when publishing.
    posts/gettysburg/gettysburg-sitrep-1/fishhook.svg
        SVG written by hand from the coordinates: no scripts, no event
        handlers, no external references, no url(), no DTD.
    posts/sevastopol/sevastopol-sitrep-2/balaklava-valleys.png
    posts/sevastopol/sevastopol-sitrep-4/south-side-8-september.png
        Palette PNGs.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent

# Drawing is done at SS times the final size and scaled down, for smooth lines.
SS = 2

PAPER = (250, 248, 242)
INK = (34, 34, 34)
MUTED = (95, 95, 95)
GRID = (214, 210, 198)
ROAD = (150, 112, 70)
WHITE = (255, 255, 255)
NEUTRAL = (120, 120, 120)

JPEG_QUALITY = 85
EARTH_KM_PER_DEG = 6371.0088 * math.pi / 180.0

CREDIT = (
    "Sketch by the Field Notes desk from the coordinates in this report; "
    "equirectangular projection. Positions are approximate."
)


# --------------------------------------------------------------------------
# Data: the posts' front matter, their places and their GeoJSON layers
# --------------------------------------------------------------------------


def read_front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise SystemExit(f"{path}: no front matter")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]) or {}


def hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


@dataclass
class Layer:
    file: str
    title: str
    kind: str
    side: str | None
    color: tuple[int, int, int]
    features: list[dict]

    def feature(self, word: str) -> dict:
        """The first feature whose name contains ``word``."""
        for feat in self.features:
            if word in feat["properties"].get("name", ""):
                return feat
        raise KeyError(f"{self.file}: no feature named like {word!r}")

    def coords(self, word: str) -> list[tuple[float, float]]:
        geom = self.feature(word)["geometry"]
        if geom["type"] == "Polygon":
            return [tuple(p) for p in geom["coordinates"][0]]
        return [tuple(p) for p in geom["coordinates"]]


@dataclass
class Post:
    bundle: Path
    fm: dict
    places: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (lon, lat)
    layers: dict[str, Layer] = field(default_factory=dict)  # file stem -> layer

    def place(self, name: str) -> tuple[float, float]:
        return self.places[name]


def load_site() -> dict:
    return yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))


def load_post(bundle: str, site: dict) -> Post:
    path = ROOT / bundle
    fm = read_front_matter(path / "index.md")
    post = Post(path, fm)
    registry = site.get("places", {})
    for loc in fm.get("locations", []):
        if isinstance(loc, str):
            loc = registry[loc]
        post.places[loc["name"]] = (float(loc["lon"]), float(loc["lat"]))
    sides = site.get("sides", {})
    for spec in fm.get("layers", []):
        data = json.loads((path / spec["file"]).read_text(encoding="utf-8"))
        side = spec.get("side")
        color = hex_rgb(sides[side]["color"]) if side else NEUTRAL
        post.layers[Path(spec["file"]).stem] = Layer(
            spec["file"], spec["title"], spec["kind"], side, color, data["features"]
        )
    return post


def registry_place(site: dict, key: str) -> tuple[float, float]:
    p = site["places"][key]
    return (float(p["lon"]), float(p["lat"]))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# --------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------


class Projection:
    """Equirectangular projection of a lon/lat box onto a w x h pixel panel.

    The box is centred and fitted inside the panel; the horizontal scale is
    the vertical one times cos(latitude of the centre)."""

    def __init__(
        self, west: float, south: float, east: float, north: float, width: float, height: float
    ):
        self.clon = (west + east) / 2
        self.clat = (south + north) / 2
        self.kx = math.cos(math.radians(self.clat))
        self.k = min(width / ((east - west) * self.kx), height / (north - south))
        self.width, self.height = width, height

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            self.width / 2 + (lon - self.clon) * self.kx * self.k,
            self.height / 2 - (lat - self.clat) * self.k,
        )

    def lonlat(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.clon + (x - self.width / 2) / (self.kx * self.k),
            self.clat - (y - self.height / 2) / self.k,
        )

    def px_per_km(self) -> float:
        return self.k / EARTH_KM_PER_DEG

    def many(self, coords) -> list[tuple[float, float]]:
        return [self.xy(lon, lat) for lon, lat in coords]


# --------------------------------------------------------------------------
# Raster drawing
# --------------------------------------------------------------------------

_FONTS: dict[int, ImageFont.FreeTypeFont] = {}


def font(px: float) -> ImageFont.FreeTypeFont:
    size = max(6, round(px))
    if size not in _FONTS:
        _FONTS[size] = ImageFont.load_default(size=size)
    return _FONTS[size]


def rgba(color, alpha: int = 255) -> tuple[int, int, int, int]:
    return (color[0], color[1], color[2], alpha)


class Canvas:
    """An RGB drawing surface on which colours with alpha blend; coordinates and sizes
    are given in final pixels and multiplied by SS internally."""

    def __init__(self, width: int, height: int, background=PAPER):
        self.width, self.height = width, height
        self.img = Image.new("RGB", (width * SS, height * SS), tuple(background))
        self.draw = ImageDraw.Draw(self.img, "RGBA")  # "RGBA" on an RGB image: blend

    @staticmethod
    def _s(points):
        return [(x * SS, y * SS) for x, y in points]

    # lines ---------------------------------------------------------------
    def line(
        self, points, color, width: float, dash: tuple[float, float] | None = None, alpha: int = 255
    ):
        pts = self._s(points)
        w = max(1, round(width * SS))
        fill = rgba(color, alpha)
        if not dash:
            self.draw.line(pts, fill=fill, width=w, joint="curve")
            return
        on, off = dash[0] * SS, dash[1] * SS
        drawing, left = True, on
        for (x0, y0), (x1, y1) in itertools.pairwise(pts):
            seg = math.hypot(x1 - x0, y1 - y0)
            t = 0.0
            while t < seg:
                step = min(left, seg - t)
                if drawing:
                    a, b = t / seg, (t + step) / seg
                    self.draw.line(
                        [
                            (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                            (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b),
                        ],
                        fill=fill,
                        width=w,
                    )
                t += step
                left -= step
                if left <= 1e-9:
                    drawing = not drawing
                    left = on if drawing else off

    def arrow(
        self, points, color, width: float, head: float | None = None, dash=None, alpha: int = 255
    ):
        head = head or width * 3.2
        (x0, y0), (x1, y1) = points[-2], points[-1]
        ang = math.atan2(y1 - y0, x1 - x0)
        # stop the shaft inside the head so its square end does not show
        back = (x1 - math.cos(ang) * head * 0.8, y1 - math.sin(ang) * head * 0.8)
        self.line([*points[:-1], back], color, width, dash=dash, alpha=alpha)
        left = (x1 - math.cos(ang - 0.45) * head, y1 - math.sin(ang - 0.45) * head)
        right = (x1 - math.cos(ang + 0.45) * head, y1 - math.sin(ang + 0.45) * head)
        self.draw.polygon(self._s([(x1, y1), left, right]), fill=rgba(color, alpha))

    def polygon(
        self,
        points,
        fill=None,
        outline=None,
        width: float = 2,
        fill_alpha: int = 70,
        hatch: float | None = None,
    ):
        pts = self._s(points)
        if fill is not None:
            self.draw.polygon(pts, fill=rgba(fill, fill_alpha))
        if hatch and fill is not None:
            self._hatch(pts, fill, hatch)
        if outline is not None:
            self.draw.line(
                [*pts, pts[0]], fill=rgba(outline), width=max(1, round(width * SS)), joint="curve"
            )

    def _hatch(self, pts, color, spacing):
        """Diagonal hatching clipped to the polygon, through a mask."""
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, y0, x1, y1 = int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in pts], fill=255)
        tile = Image.new("RGBA", mask.size, rgba(color, 0))
        td = ImageDraw.Draw(tile)
        step = spacing * SS
        span = tile.width + tile.height
        k = -tile.height
        while k < span:
            td.line(
                [(k, tile.height), (k + tile.height, 0)], fill=rgba(color, 150), width=max(1, SS)
            )
            k += step
        empty = Image.new("RGBA", mask.size, rgba(color, 0))
        clipped = Image.composite(tile, empty, mask)
        self.img.paste(clipped, (x0, y0), clipped)

    # points and text -----------------------------------------------------
    def dot(self, xy, color=INK, r: float = 6, ring=WHITE):
        x, y = xy[0] * SS, xy[1] * SS
        R = r * SS
        self.draw.ellipse(
            [x - R - 2 * SS, y - R - 2 * SS, x + R + 2 * SS, y + R + 2 * SS], fill=rgba(ring)
        )
        self.draw.ellipse([x - R, y - R, x + R, y + R], fill=rgba(color))

    def square(self, xy, color=INK, r: float = 6):
        x, y = xy[0] * SS, xy[1] * SS
        R = r * SS
        self.draw.rectangle(
            [x - R - 2 * SS, y - R - 2 * SS, x + R + 2 * SS, y + R + 2 * SS], fill=rgba(WHITE)
        )
        self.draw.rectangle([x - R, y - R, x + R, y + R], fill=rgba(color))

    def text(
        self,
        xy,
        s: str,
        size: float,
        color=INK,
        anchor: str = "la",
        halo: float = 3,
        bold: bool = False,
        halo_color=PAPER,
        spacing: float = 1.2,
    ):
        """Text with a halo; several lines are stacked (anchor applies to the block)."""
        f = font(size * SS)
        lines = glyph_safe(s).split("\n")
        lh = size * SS * spacing
        x, y = xy[0] * SS, xy[1] * SS
        vert = anchor[1]
        block = lh * (len(lines) - 1)
        if vert == "m":
            y -= block / 2
        elif vert in "sd":
            y -= block
        for i, ln in enumerate(lines):
            pos = (x, y + i * lh)
            if halo:
                self._line_of_text(pos, ln, f, halo_color, anchor, round(halo * SS))
            self._line_of_text(pos, ln, f, color, anchor, SS // 2 if bold else 0)

    def _line_of_text(self, pos, ln: str, f, color, anchor: str, stroke: int):
        """One line; a u with diaeresis, which the built-in font lacks, is drawn as a u
        with two dots over it."""
        plain = ln.replace("\u00fc", "u")
        self.draw.text(
            pos,
            plain,
            font=f,
            fill=rgba(color),
            anchor=anchor,
            stroke_width=stroke,
            stroke_fill=rgba(color),
        )
        if plain == ln:
            return
        length = f.getlength(plain)
        left = pos[0] - {"l": 0, "m": length / 2, "r": length}[anchor[0]]
        top = self.draw.textbbox(pos, "u", font=f, anchor="l" + anchor[1])[1]
        uw = f.getlength("u")
        r = f.size * 0.055 + stroke
        cy = top - f.size * 0.13
        for i, ch in enumerate(ln):
            if ch == "\u00fc":
                x0 = left + f.getlength(plain[:i])
                for fx in (0.3, 0.72):
                    cx = x0 + uw * fx
                    self.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=rgba(color))

    def text_along(self, xy, s: str, size: float, angle_deg: float, color=INK, halo: float = 3):
        """Text centred on xy and rotated anticlockwise by angle_deg."""
        s = glyph_safe(s, composed="")
        f = font(size * SS)
        bbox = f.getbbox(s, anchor="mm", stroke_width=int(halo * SS))
        w, h = bbox[2] - bbox[0] + 8 * SS, bbox[3] - bbox[1] + 8 * SS
        tile = Image.new("RGBA", (int(w), int(h)), rgba(PAPER if halo else color, 0))
        td = ImageDraw.Draw(tile)
        c = (w / 2, h / 2)
        if halo:
            td.text(
                c,
                s,
                font=f,
                fill=rgba(PAPER, 235),
                anchor="mm",
                stroke_width=round(halo * SS),
                stroke_fill=rgba(PAPER, 235),
            )
        td.text(c, s, font=f, fill=rgba(color), anchor="mm")
        rot = tile.rotate(angle_deg, resample=Image.Resampling.BICUBIC, expand=True)
        x, y = xy[0] * SS - rot.width / 2, xy[1] * SS - rot.height / 2
        self.img.paste(rot, (round(x), round(y)), rot)

    def box(self, rect, fill=WHITE, alpha=225, outline=GRID, width: float = 1):
        x0, y0, x1, y1 = (v * SS for v in rect)
        self.draw.rectangle(
            [x0, y0, x1, y1],
            fill=rgba(fill, alpha),
            outline=rgba(outline),
            width=max(1, int(width * SS)),
        )

    def paste(self, other: Canvas, xy):
        self.img.paste(other.img, (int(xy[0] * SS), int(xy[1] * SS)))

    def final(self) -> Image.Image:
        return self.img.resize((self.width, self.height), Image.Resampling.LANCZOS)


# The built-in font covers ASCII and a few other characters only.
_FONT_EXTRA = "\u00a9\u00ab\u00b0\u00b1\u00b4\u00b7\u00bb\u2018\u2019\u201c\u201d\u2026"
_SUBSTITUTES = {"\u2013": "-", "\u2014": "-", "\u2032": "'", "\u00a0": " "}


def glyph_safe(s: str, composed: str = "\u00fc") -> str:
    """s with dashes and primes the font lacks replaced; anything else it lacks is an error."""
    s = "".join(_SUBSTITUTES.get(ch, ch) for ch in s)
    for ch in s:
        if ord(ch) > 126 and ch not in _FONT_EXTRA and ch not in composed:
            raise ValueError(f"the built-in font has no glyph for {ch!r} (in {s!r})")
    return s


def text_width(s: str, size: float) -> float:
    f = font(size * SS)
    return max(f.getlength(line) for line in glyph_safe(s).replace("\u00fc", "u").split("\n")) / SS


def along(points, frac: float):
    """Point and direction (degrees, screen, anticlockwise) at a fraction of a polyline's length."""
    segs = list(itertools.pairwise(points))
    lengths = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in segs]
    target = sum(lengths) * frac
    for (a, b), L in zip(segs, lengths, strict=False):
        if target <= L or (a, b) == segs[-1]:
            t = target / L if L else 0
            ang = -math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t), ang
        target -= L
    raise AssertionError


def upright(angle: float) -> float:
    while angle > 90:
        angle -= 180
    while angle < -90:
        angle += 180
    return angle


# --------------------------------------------------------------------------
# Map furniture
# --------------------------------------------------------------------------


def graticule(
    c: Canvas, proj: Projection, step_min: float, u: float, lines: bool = True, labels: bool = True
):
    """Thin lines every step_min minutes of arc, labelled at the panel's top and left edges
    (the labels are drawn last, over the map)."""
    step = step_min / 60.0
    west, north = proj.lonlat(0, 0)
    east, south = proj.lonlat(proj.width, proj.height)

    def fmt(v: float, pos: str, neg: str) -> str:
        hemi = pos if v >= 0 else neg
        v = abs(v)
        d = int(v + 1e-9)
        m = (v - d) * 60
        if abs(m - round(m)) < 1e-6:
            return f"{d}°{round(m):02d}'{hemi}"
        return f"{d}°{m:04.1f}'{hemi}"

    lon = math.ceil(west / step - 1e-9) * step
    while lon <= east:
        x, _ = proj.xy(lon, 0)
        if lines:
            c.line([(x, 0), (x, proj.height)], GRID, 1.2 * u)
        if labels:
            c.text((x + 4 * u, 6 * u), fmt(lon, "E", "W"), 11 * u, MUTED, "la", halo=2.5 * u)
        lon += step
    lat = math.ceil(south / step - 1e-9) * step
    while lat <= north:
        _, y = proj.xy(0, lat)
        if lines:
            c.line([(0, y), (proj.width, y)], GRID, 1.2 * u)
        if labels:
            c.text((6 * u, y - 4 * u), fmt(lat, "N", "S"), 11 * u, MUTED, "ld", halo=2.5 * u)
        lat += step


def nice_km(max_km: float) -> float:
    for v in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        if v > max_km:
            break
        best = v
    return best


def scale_bar(c: Canvas, proj: Projection, xy, u: float, max_px: float):
    """A km scale bar with its left end at xy, no longer than max_px."""
    km = nice_km(max_px / proj.px_per_km())
    length = km * proj.px_per_km()
    x, y = xy
    parts = 4 if km in (1, 2, 10, 20, 100) else 5 if km in (0.5, 5, 50) else 2
    c.box((x - 14 * u, y - 30 * u, x + length + 34 * u, y + 24 * u), WHITE, 215)
    seg = length / parts
    for i in range(parts):
        col = INK if i % 2 == 0 else WHITE
        c.draw.rectangle(
            [(x + i * seg) * SS, (y - 4 * u) * SS, (x + (i + 1) * seg) * SS, (y + 4 * u) * SS],
            fill=rgba(col),
            outline=rgba(INK),
            width=max(1, int(u * SS)),
        )
    c.text((x, y - 9 * u), "0", 12 * u, INK, "ms", halo=0)
    c.text((x + length, y - 9 * u), f"{km:g} km", 12 * u, INK, "ms", halo=0)
    c.text((x, y + 10 * u), "Scale (equirectangular)", 10 * u, MUTED, "lt", halo=0)


def north_arrow(c: Canvas, xy, u: float):
    x, y = xy
    h = 46 * u
    c.box((x - 22 * u, y - 34 * u, x + 22 * u, y + h - 14 * u), WHITE, 215)
    top, bottom = (x, y - 12 * u), (x, y + h - 22 * u)
    mid = (x, y + h * 0.45 - 12 * u)
    c.draw.polygon(Canvas._s([top, (x - 10 * u, bottom[1]), mid]), fill=rgba(INK))
    c.draw.polygon(
        Canvas._s([top, (x + 10 * u, bottom[1]), mid]),
        fill=rgba(WHITE),
        outline=rgba(INK),
        width=max(1, int(u * SS)),
    )
    c.text((x, y - 14 * u), "N", 14 * u, INK, "ms", halo=0, bold=True)


def edge_pointer(
    c: Canvas,
    proj: Projection,
    target,
    label: str,
    u: float,
    color=INK,
    inset: float = 60,
    origin=None,
    above: bool = False,
):
    """An arrow at the panel edge pointing towards an off-map place (from origin, a
    lon/lat on the map, or from the map's centre)."""
    cx, cy = proj.xy(*origin) if origin else (proj.width / 2, proj.height / 2)
    tx, ty = proj.xy(*target)
    dx, dy = tx - cx, ty - cy
    ts = []
    for bound, d, o in ((proj.width - inset * u, dx, cx), (inset * u, dx, cx)):
        if d:
            ts.append((bound - o) / d)
    for bound, d, o in ((proj.height - inset * u, dy, cy), (inset * u, dy, cy)):
        if d:
            ts.append((bound - o) / d)
    t = min(v for v in ts if v > 0)
    ex, ey = cx + dx * t, cy + dy * t
    n = math.hypot(dx, dy)
    sx, sy = ex - dx / n * 40 * u, ey - dy / n * 40 * u
    c.arrow([(sx, sy), (ex, ey)], color, 3 * u, head=13 * u)
    if above:  # the label over the arrow, flush with its head
        c.text(
            (ex, min(ey, sy) - 10 * u),
            label,
            13 * u,
            color,
            ("r" if dx > 0 else "l") + "d",
            halo=3 * u,
        )
        return
    anchor = ("r" if dx > 0 else "l") + "m"
    c.text((sx - dx / n * 8 * u, sy - dy / n * 8 * u), label, 13 * u, color, anchor, halo=3 * u)


@dataclass
class LegendItem:
    kind: str  # line | arrow | dashed-arrow | dashed | fill | hatch | dot | road | square
    color: tuple
    label: str


def draw_legend(c: Canvas, items: list[LegendItem], rect, u: float, title="Key"):
    x0, y0, x1, _ = rect
    c.text((x0, y0), title, 17 * u, INK, "la", halo=0, bold=True)
    y = y0 + 36 * u
    sw = 46 * u
    wrap_w = x1 - x0 - sw - 14 * u
    for it in items:
        lines = wrap(it.label, 13 * u, wrap_w)
        h = max(24 * u, len(lines) * 13 * u * 1.25)
        cy = y + 9 * u
        a, b = (x0, cy), (x0 + sw, cy)
        if it.kind == "line":
            c.line([a, b], it.color, 6 * u)
        elif it.kind == "dashed":
            c.line([a, b], it.color, 5 * u, dash=(9 * u, 6 * u))
        elif it.kind == "arrow":
            c.arrow([a, b], it.color, 4 * u, head=14 * u)
        elif it.kind == "dashed-arrow":
            c.arrow([a, b], it.color, 4 * u, head=14 * u, dash=(8 * u, 5 * u))
        elif it.kind in ("fill", "hatch"):
            pts = [
                (x0 + 4 * u, cy - 9 * u),
                (x0 + sw - 4 * u, cy - 9 * u),
                (x0 + sw - 4 * u, cy + 9 * u),
                (x0 + 4 * u, cy + 9 * u),
            ]
            if it.kind == "hatch":
                c.polygon(pts, it.color, it.color, 2 * u, fill_alpha=35, hatch=9 * u)
            else:
                c.polygon(pts, it.color, it.color, 2 * u, fill_alpha=90)
        elif it.kind == "dot":
            c.dot((x0 + sw / 2, cy), it.color, 6 * u)
        elif it.kind == "square":
            c.square((x0 + sw / 2, cy), it.color, 6 * u)
        elif it.kind == "road":
            c.line([a, b], ROAD, 7 * u)
            c.line([a, b], (244, 232, 205), 3.5 * u)
        c.text((x0 + sw + 14 * u, y), "\n".join(lines), 13 * u, INK, "la", halo=0, spacing=1.25)
        y += h + 12 * u
    return y


def wrap(s: str, size: float, width: float) -> list[str]:
    out: list[str] = []
    for para in s.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}".strip()
            if line and text_width(trial, size) > width:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
    return out


def road(c: Canvas, pts, u: float):
    c.line(pts, ROAD, 8 * u)
    c.line(pts, (244, 232, 205), 4 * u)


def front_line(c: Canvas, pts, color, u: float, dash=None):
    c.line(pts, WHITE, 10 * u)
    c.line(pts, color, 6.5 * u, dash=dash)


@dataclass
class Sheet:
    """A finished figure: title band, map panel, legend panel, credit."""

    width: int
    height: int
    title: str
    subtitle: str
    legend: list[LegendItem]
    legend_pos: str = "right"  # right | bottom
    legend_size: int = 440  # width (right) or height (bottom), final pixels at u=1
    notes: str = ""

    def layout(self, u: float):
        band = round(96 * u)
        if self.legend_pos == "right":
            lw = round(self.legend_size * u)
            panel = (0, band, self.width - lw, self.height)
            legend = (
                self.width - lw + 28 * u,
                band + 26 * u,
                self.width - 36 * u,
                self.height - 26 * u,
            )
        else:
            lh = round(self.legend_size * u)
            panel = (0, band, self.width, self.height - lh)
            legend = (30 * u, self.height - lh + 24 * u, self.width - 30 * u, self.height - 20 * u)
        return band, panel, legend


def render(sheet: Sheet, bbox, draw_map, u: float, grid_min: float) -> Image.Image:
    _, panel, legend_rect = sheet.layout(u)
    pw, ph = panel[2] - panel[0], panel[3] - panel[1]
    page = Canvas(sheet.width, sheet.height, WHITE)
    mapc = Canvas(pw, ph, PAPER)
    proj = Projection(*bbox, pw, ph)
    graticule(mapc, proj, grid_min, u, labels=False)
    draw_map(mapc, proj, u)
    graticule(mapc, proj, grid_min, u, lines=False)
    page.paste(mapc, (panel[0], panel[1]))
    # frame lines
    page.line([(panel[0], panel[1]), (panel[2], panel[1])], INK, 1.5 * u)
    if sheet.legend_pos == "right":
        page.line([(panel[2], panel[1]), (panel[2], panel[3])], INK, 1.5 * u)
    else:
        page.line([(panel[0], panel[3]), (panel[2], panel[3])], INK, 1.5 * u)
    page.text((28 * u, 20 * u), sheet.title, 30 * u, INK, "la", halo=0, bold=True)
    page.text((28 * u, 62 * u), sheet.subtitle, 16 * u, MUTED, "la", halo=0)
    x0, y0, x1, y1 = legend_rect
    if sheet.legend_pos == "right":
        y = draw_legend(page, sheet.legend, legend_rect, u)
        if sheet.notes:
            y += 8 * u
            notes = wrap(sheet.notes, 13 * u, x1 - x0)
            page.text((x0, y), "\n".join(notes), 13 * u, INK, "la", halo=0, spacing=1.3)
        credit = wrap(CREDIT, 11.5 * u, x1 - x0)
        page.text((x0, y1), "\n".join(credit), 11.5 * u, MUTED, "ld", halo=0, spacing=1.3)
    else:
        # two columns of legend items, then notes and credit across the bottom
        half = (len(sheet.legend) + 1) // 2
        colw = (x1 - x0) / 2
        draw_legend(page, sheet.legend[:half], (x0, y0, x0 + colw - 20 * u, y1), u)
        draw_legend(page, sheet.legend[half:], (x0 + colw, y0, x1, y1), u, title="")
        credit = wrap(CREDIT, 11.5 * u, x1 - x0)
        page.text((x0, y1), "\n".join(credit), 11.5 * u, MUTED, "ld", halo=0, spacing=1.3)
    return page.final()


# --------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------


def label(
    c: Canvas,
    proj: Projection,
    lonlat,
    s: str,
    u: float,
    dx=0.0,
    dy=0.0,
    anchor="lm",
    size=15,
    color=INK,
    bold=False,
):
    x, y = proj.xy(*lonlat)
    c.text((x + dx * u, y + dy * u), s, size * u, color, anchor, halo=3.5 * u, bold=bold)


def label_along(c: Canvas, pts, frac: float, s: str, size: float, color, offset: float):
    """Text set along a polyline at a fraction of its length, offset from it (positive:
    above the upright text's baseline)."""
    p, ang = along(pts, frac)
    a = upright(ang)
    rad = math.radians(a)
    c.text_along((p[0] - math.sin(rad) * offset, p[1] - math.cos(rad) * offset), s, size, a, color)


def inside_from_west(pts, xmin: float):
    """The part of a polyline east of x = xmin, for one that starts on the map and
    leaves it to the west."""
    out = [pts[0]]
    for a, b in itertools.pairwise(pts):
        if b[0] >= xmin:
            out.append(b)
            continue
        t = (a[0] - xmin) / (a[0] - b[0])
        out.append((xmin, a[1] + (b[1] - a[1]) * t))
        break
    return out


def place_dot(c: Canvas, proj: Projection, lonlat, u: float, color=INK):
    c.dot(proj.xy(*lonlat), color, 5.5 * u)


def waterloo_positions(site: dict) -> Image.Image:
    post = load_post("posts/waterloo/waterloo-sitrep-4", site)
    L = post.layers
    allied, french, farms, prussian = (
        L["anglo-allied-line"],
        L["french-line"],
        L["farms"],
        L["prussian-attacks"],
    )
    u = 1.5
    sheet = Sheet(
        2400,
        1600,
        "Waterloo, 18 June 1815: the positions at about 11:00",
        "The two armies on their ridges before the first attack, with the later Prussian "
        "approach from the east. Times are local.",
        [
            LegendItem("line", allied.color, "Anglo-allied main line along the Ohain road ridge"),
            LegendItem(
                "fill",
                allied.color,
                "Anglo-allied forward posts: Hougoumont, La Haye Sainte, Papelotte",
            ),
            LegendItem("line", french.color, "French first line on the La Belle Alliance ridge"),
            LegendItem(
                "dashed",
                french.color,
                "French reserve: Lobau's VI Corps and the Imperial Guard near Rossomme",
            ),
            LegendItem(
                "dashed-arrow",
                prussian.color,
                "Prussian attacks, later in the day (from about 16:30)",
            ),
            LegendItem("road", ROAD, "Brussels-Charleroi road, drawn through the places on it"),
            LegendItem("dot", INK, "Place named in the report"),
        ],
        legend_size=470,
        notes="The allied line is drawn along the crest; much of the army stood behind it, "
        "on the reverse slope. About 68,000 allied troops faced about 72,000 French.",
    )
    bbox = (4.376, 50.6545, 4.503, 50.7045)
    mont, lhs, lba = (
        post.place("Mont-Saint-Jean"),
        post.place("La Haye Sainte"),
        post.place("La Belle Alliance"),
    )
    brussels, genappe = registry_place(site, "brussels"), registry_place(site, "genappe")

    def draw_map(c: Canvas, proj: Projection, u: float):
        # the Brussels road: from Brussels through the three places on it to Genappe
        def toward(a, b, km):
            d = distance_km(a, b)
            return (a[0] + (b[0] - a[0]) * km / d, a[1] + (b[1] - a[1]) * km / d)

        road_pts = [toward(mont, brussels, 4), mont, lhs, lba, toward(lba, genappe, 4)]
        road(c, proj.many(road_pts), u)
        p, ang = along(proj.many([mont, toward(mont, brussels, 4)]), 0.22)
        c.text_along((p[0] + 16 * u, p[1]), "to Brussels", 13 * u, upright(ang), ROAD)
        p, ang = along(proj.many([lba, toward(lba, genappe, 4)]), 0.12)
        c.text_along((p[0] + 18 * u, p[1]), "to Genappe", 13 * u, upright(ang), ROAD)

        # forward posts
        for word in ("Hougoumont", "La Haye Sainte", "Papelotte"):
            c.polygon(
                proj.many(farms.coords(word)), allied.color, allied.color, 2.5 * u, fill_alpha=90
            )
        # lines at 11:00
        front_line(c, proj.many(allied.coords("main line")), allied.color, u)
        front_line(c, proj.many(french.coords("first line")), french.color, u)
        front_line(c, proj.many(french.coords("Reserve")), french.color, u, dash=(14 * u, 8 * u))
        # Prussian attacks, later
        for word in ("Bülow", "Pirch", "Zieten"):
            c.arrow(
                proj.many(prussian.coords(word)),
                prussian.color,
                4.5 * u,
                head=18 * u,
                dash=(12 * u, 7 * u),
                alpha=230,
            )

        # annotations of the lines, from the layers' feature names
        pts = proj.many(allied.coords("main line"))
        c.text(
            (pts[1][0], pts[1][1] - 22 * u),
            "Anglo-allied line (Wellington)",
            17 * u,
            allied.color,
            "ls",
            halo=3.5 * u,
            bold=True,
        )
        french_pts = french.coords("first line")
        label(c, proj, french_pts[1], "Reille (II Corps)", u, 0, 26, "lt", 16, french.color, True)
        label(c, proj, french_pts[5], "d'Erlon (I Corps)", u, 0, 24, "lt", 16, french.color, True)
        res = french.coords("Reserve")
        label(
            c,
            proj,
            res[2],
            "Lobau (VI Corps) and\nthe Imperial Guard, in reserve",
            u,
            16,
            6,
            "lm",
            14,
            french.color,
        )
        bul = prussian.coords("Bülow")
        mid = ((bul[1][0] + bul[2][0]) / 2, (bul[1][1] + bul[2][1]) / 2)
        label(
            c,
            proj,
            mid,
            "Bülow (IV Corps)\nfrom Chapelle-Saint-Lambert,\nabout 16:30",
            u,
            -14,
            -12,
            "rs",
            13,
            prussian.color,
        )
        zie = prussian.coords("Zieten")
        label(
            c,
            proj,
            zie[1],
            "Zieten (I Corps)\nfrom Ohain, about 19:00",
            u,
            -16,
            0,
            "rm",
            13,
            prussian.color,
        )
        pir = prussian.coords("Pirch")
        label(c, proj, pir[2], "Pirch (II Corps), evening", u, 14, 12, "lt", 13, prussian.color)

        # places
        for name, dx, dy, anchor in (
            ("Hougoumont", -16, 0, "rm"),
            ("La Haye Sainte", -16, 16, "rt"),
            ("La Belle Alliance", -14, 12, "rt"),
            ("Mont-Saint-Jean", 14, 0, "lm"),
            ("Papelotte", -12, 18, "rt"),
            ("Plancenoit", -8, 12, "rt"),
        ):
            place_dot(c, proj, post.place(name), u)
            label(c, proj, post.place(name), name, u, dx, dy, anchor, 17, INK, True)

        # the Prussians' starting point, off the map
        wavre = post.place("Wavre")
        edge_pointer(
            c,
            proj,
            wavre,
            f"to Wavre,\n{distance_km(mont, wavre):.0f} km from Mont-Saint-Jean",
            u,
            prussian.color,
            inset=70,
            origin=mont,
            above=True,
        )

        north_arrow(c, (proj.width - 60 * u, 70 * u), u)
        scale_bar(c, proj, (40 * u, proj.height - 50 * u), u, 420 * u)

    return render(sheet, bbox, draw_map, u, grid_min=1)


def gettysburg_assault(site: dict) -> Image.Image:
    post = load_post("posts/gettysburg/gettysburg-sitrep-2", site)
    L = post.layers
    union, conf = L["union-line-3-july"], L["confederate-line-3-july"]
    assault, withdrawal = L["assault-3-july"], L["withdrawal-4-july"]
    u = 1.0
    sheet = Sheet(
        1200,
        1800,
        "Gettysburg, 3 July 1863: the lines and the assault",
        "The Union line from Culp's Hill to the Round Tops, the Confederate arc around it, "
        "and the attack of about 15:00.",
        [
            LegendItem("line", union.color, "Union line on 3 July"),
            LegendItem("line", conf.color, "Confederate line on 3 July"),
            LegendItem("arrow", conf.color, "Pickett-Pettigrew-Trimble assault, about 15:00"),
            LegendItem("dashed-arrow", conf.color, "Confederate withdrawal westwards, from 4 July"),
            LegendItem("dot", INK, "Place named in the report"),
            LegendItem("square", INK, "Point named in the layers"),
        ],
        legend_pos="bottom",
        legend_size=215,
    )
    bbox = (-77.273, 39.7835, -77.203, 39.842)

    def draw_map(c: Canvas, proj: Projection, u: float):
        for word in ("Fairfield", "Chambersburg"):
            c.arrow(
                proj.many(withdrawal.coords(word)),
                conf.color,
                4 * u,
                head=16 * u,
                dash=(11 * u, 7 * u),
                alpha=200,
            )
        fair = inside_from_west(proj.many(withdrawal.coords("Fairfield")), 0)
        label_along(
            c, fair, 0.5, "Fairfield road, to Monterey Pass (4-5 July)", 13 * u, conf.color, -16 * u
        )
        cham = inside_from_west(proj.many(withdrawal.coords("Chambersburg")), 0)
        label_along(
            c,
            cham,
            0.5,
            "Chambersburg Pike, to Cashtown: wounded (4 July)",
            13 * u,
            conf.color,
            16 * u,
        )

        front_line(c, proj.many(union.coords("Union line")), union.color, u)
        front_line(c, proj.many(conf.coords("Confederate line")), conf.color, u)
        for word in ("Pickett", "Pettigrew", "Trimble"):
            c.arrow(proj.many(assault.coords(word)), conf.color, 5 * u, head=20 * u)
        pick = assault.coords("Pickett")
        for word, off in (("Trimble", 15), ("Pettigrew", 15), ("Pickett", -17)):
            label_along(c, proj.many(assault.coords(word)), 0.42, word, 15 * u, conf.color, off * u)

        # points named in the layers' feature names, at the ends of the lines
        ucoords = union.coords("Union line")
        ccoords = conf.coords("Confederate line")
        for lonlat, s, dx, dy, anchor in (
            (pick[-1], "the Angle", 12, -8, "ls"),
            (ucoords[0], "Spangler's Spring", 14, 8, "lt"),
            (ucoords[-1], "Round Tops", 14, 0, "lm"),
            (ccoords[13], "Benner's Hill", 12, -12, "ls"),
        ):
            c.square(proj.xy(*lonlat), INK, 4.5 * u)
            label(c, proj, lonlat, s, u, dx, dy, anchor, 14, INK)

        for name, dx, dy, anchor in (
            ("Gettysburg", 14, -14, "ls"),
            ("Seminary Ridge", -14, 0, "rm"),
            ("Cemetery Hill", 0, -36, "ms"),
            ("Culp's Hill", 14, 0, "lm"),
            ("Cemetery Ridge", 16, 10, "lt"),
        ):
            place_dot(c, proj, post.place(name), u)
            label(c, proj, post.place(name), name, u, dx, dy, anchor, 17, INK, True)

        north_arrow(c, (proj.width - 50 * u, 60 * u), u)
        scale_bar(c, proj, (proj.width - 330 * u, proj.height - 50 * u), u, 280 * u)

    return render(sheet, bbox, draw_map, u, grid_min=0.5)


def balaklava_valleys(site: dict) -> Image.Image:
    post = load_post("posts/sevastopol/sevastopol-sitrep-2", site)
    L = post.layers
    allied, attack = L["allied-positions"], L["russian-attack"]
    charges, held = L["cavalry-charges"], L["russian-held"]
    u = 1.0
    sheet = Sheet(
        1600,
        1000,
        "Balaklava, 25 October 1854: the redoubts and the two valleys",
        "Russian attacks of the morning, the cavalry charges, and the ground the Russians "
        "held at nightfall. Times are local.",
        [
            LegendItem(
                "square",
                allied.color,
                "Redoubts 1 to 6 on the Causeway Heights (Ottoman garrisons)",
            ),
            LegendItem("line", allied.color, "93rd Highlanders north of Kadikoi"),
            LegendItem(
                "arrow",
                allied.color,
                "Allied cavalry charges: Heavy Brigade, Light Brigade (11:10), Chasseurs d'Afrique",
            ),
            LegendItem("arrow", attack.color, "Russian attacks, from about 06:00"),
            LegendItem("hatch", held.color, "Held by the Russians at nightfall"),
            LegendItem("dot", INK, "Place named in the report"),
        ],
        legend_size=420,
    )
    bbox = (33.594, 44.4965, 33.712, 44.5565)

    def draw_map(c: Canvas, proj: Projection, u: float):
        for word in ("Eastern Causeway", "Fedioukine"):
            c.polygon(
                proj.many(held.coords(word)),
                held.color,
                held.color,
                2 * u,
                fill_alpha=45,
                hatch=11 * u,
            )
        # the Causeway Heights: the ridge through the six redoubts
        redoubts = []
        for n in range(1, 7):
            ring = allied.coords(f"Redoubt No. {n}")
            redoubts.append((sum(p[0] for p in ring[:-1]) / 4, sum(p[1] for p in ring[:-1]) / 4))
        ridge = proj.many(redoubts)
        c.line(ridge, (196, 184, 160), 16 * u)
        label_along(c, ridge[::-1], 0.7, "Causeway Heights (Woronzov road)", 15 * u, MUTED, -24 * u)

        for word in ("Gribbe", "Main infantry", "Ryzhov", "Cavalry detachment"):
            c.arrow(proj.many(attack.coords(word)), attack.color, 4.5 * u, head=18 * u, alpha=235)
        for word in ("Light Brigade", "Heavy Brigade", "Chasseurs"):
            c.arrow(proj.many(charges.coords(word)), allied.color, 5 * u, head=19 * u)
        front_line(c, proj.many(allied.coords("93rd")), allied.color, u)
        for n, (lon, lat) in enumerate(redoubts, 1):
            x, y = proj.xy(lon, lat)
            c.square((x, y), allied.color, 6 * u)
            c.text((x, y - 14 * u), str(n), 14 * u, INK, "ms", halo=3 * u, bold=True)

        lb = charges.coords("Light Brigade")
        label(c, proj, lb[1], "Light Brigade, 11:10", u, 0, -12, "ms", 14, allied.color, True)
        hb = charges.coords("Heavy Brigade")
        label(c, proj, hb[0], "Heavy Brigade", u, -10, 8, "rt", 14, allied.color, True)
        ch = charges.coords("Chasseurs")
        label(c, proj, ch[0], "Chasseurs d'Afrique", u, -10, 0, "rm", 14, allied.color, True)
        label(
            c,
            proj,
            allied.coords("93rd")[0],
            "93rd Highlanders",
            u,
            -12,
            0,
            "rm",
            14,
            allied.color,
            True,
        )

        gr = attack.coords("Gribbe")
        label(c, proj, gr[0], "Gribbe, by Kamara", u, -8, 14, "rt", 13, attack.color)
        mi = attack.coords("Main infantry")
        label(c, proj, mi[0], "Infantry columns\nfrom Chorgun", u, -8, 12, "rt", 13, attack.color)
        ry = attack.coords("Ryzhov")
        label(c, proj, ry[0], "Ryzhov's cavalry", u, 0, -12, "ms", 13, attack.color)

        fed = held.coords("Fedioukine")
        fx = sum(p[0] for p in fed[:-1]) / 4
        fy = sum(p[1] for p in fed[:-1]) / 4
        label(c, proj, (fx, fy), "Fedioukine Heights", u, 30, 6, "mm", 15, INK, True)

        for name, dx, dy, anchor in (
            ("Balaklava", 12, 0, "lm"),
            ("Kadikoi", 0, 16, "mt"),
            ("Sapoune Heights", 12, -2, "lm"),
            ("Canrobert's Hill", 12, 12, "lt"),
        ):
            if name != "Canrobert's Hill":  # marked by Redoubt No. 1
                place_dot(c, proj, post.place(name), u)
            label(c, proj, post.place(name), name, u, dx, dy, anchor, 15, INK, True)
        # the two valleys are areas, not points: name them, do not mark a dot
        c.text_along(proj.xy(33.6205, 44.5353), "NORTH VALLEY", 16 * u, 3, MUTED)
        c.text_along(proj.xy(33.6255, 44.5215), "SOUTH VALLEY", 16 * u, 3, MUTED)

        sev = post.place("Sevastopol")
        edge_pointer(
            c,
            proj,
            sev,
            f"Sevastopol, {distance_km(post.place('Balaklava'), sev):.0f} km from Balaklava",
            u,
            INK,
            inset=50,
        )
        north_arrow(c, (proj.width - 46 * u, 56 * u), u)
        scale_bar(c, proj, (proj.width - 380 * u, proj.height - 44 * u), u, 320 * u)

    return render(sheet, bbox, draw_map, u, grid_min=1)


def sevastopol_south_side(site: dict) -> Image.Image:
    post = load_post("posts/sevastopol/sevastopol-sitrep-4", site)
    L = post.layers
    line, assaults = L["russian-line"], L["assaults"]
    withdrawal, held = L["russian-withdrawal"], L["allied-held"]
    u = 1.0
    sheet = Sheet(
        1400,
        1000,
        "Sevastopol, 8 September 1855: the assaults on the south side",
        "The Russian defence line, the four allied attacks, and the withdrawal across "
        "the roadstead that night.",
        [
            LegendItem("line", line.color, "Russian defence line, morning of 8 September"),
            LegendItem("arrow", assaults.color, "Allied assaults, from 12:00"),
            LegendItem("fill", held.color, "The Malakhov, held by the French from noon"),
            LegendItem("hatch", held.color, "South side, entered by the allies on 9 September"),
            LegendItem(
                "dashed-arrow",
                line.color,
                "Russian withdrawal to the north side, night of 8-9 September",
            ),
            LegendItem("dot", INK, "Place named in the report"),
        ],
        legend_size=380,
    )
    bbox = (33.492, 44.586, 33.574, 44.6385)

    def draw_map(c: Canvas, proj: Projection, u: float):
        c.polygon(
            proj.many(held.coords("South side")), held.color, None, fill_alpha=22, hatch=12 * u
        )
        c.polygon(
            proj.many(held.coords("Malakhov")), held.color, held.color, 2.5 * u, fill_alpha=120
        )
        front_line(c, proj.many(line.coords("defence line")), line.color, u)
        for word in ("floating bridge", "Karabelnaya"):
            c.arrow(
                proj.many(withdrawal.coords(word)),
                line.color,
                4.5 * u,
                head=18 * u,
                dash=(11 * u, 7 * u),
            )
        for word in ("MacMahon", "Little Redan", "Great Redan", "Central Bastion"):
            c.arrow(proj.many(assaults.coords(word)), assaults.color, 5 * u, head=18 * u)

        mac = assaults.coords("MacMahon")
        label(
            c,
            proj,
            mac[0],
            "MacMahon's division,\n12:00",
            u,
            10,
            10,
            "lt",
            14,
            assaults.color,
            True,
        )
        lr = assaults.coords("Little Redan")
        label(
            c, proj, lr[-1], "Little Redan\n(French, repulsed)", u, 12, -4, "ls", 14, assaults.color
        )
        gr = assaults.coords("Great Redan")
        label(
            c,
            proj,
            gr[0],
            "British Light and 2nd Divisions\n(repulsed)",
            u,
            10,
            12,
            "lt",
            14,
            assaults.color,
        )
        cb = assaults.coords("Central Bastion")
        label(
            c,
            proj,
            cb[0],
            "Central Bastion\n(French, repulsed)",
            u,
            0,
            14,
            "mt",
            14,
            assaults.color,
        )
        fb = withdrawal.coords("floating bridge")
        label(c, proj, fb[-1], "floating bridge to the north side", u, -12, 0, "rm", 14, line.color)
        kb = withdrawal.coords("Karabelnaya")
        label(c, proj, kb[-1], "by boat from the Karabelnaya", u, 12, 0, "lm", 14, line.color)

        for name, dx, dy, anchor in (
            ("Malakhov Kurgan", 16, -14, "ls"),
            ("The Great Redan", -14, -8, "rs"),
            ("Sevastopol", -16, 0, "rm"),
        ):
            place_dot(c, proj, post.place(name), u)
            label(c, proj, post.place(name), name, u, dx, dy, anchor, 16, INK, True)

        c.text_along(proj.xy(33.538, 44.6265), "ROADSTEAD", 16 * u, 0, MUTED)
        north_arrow(c, (proj.width - 46 * u, 56 * u), u)
        scale_bar(c, proj, (36 * u, proj.height - 44 * u), u, 300 * u)

    return render(sheet, bbox, draw_map, u, grid_min=0.5)


# --------------------------------------------------------------------------
# SVG, written by hand
# --------------------------------------------------------------------------


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def hexcolor(c) -> str:
    return "#{:02x}{:02x}{:02x}".format(*c[:3])


def clip_polyline(pts, w: float, h: float):
    """The part of a polyline inside the rectangle 0..w x 0..h (Liang-Barsky per segment;
    the lines drawn here cross the edge at most once each way)."""
    out: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in itertools.pairwise(pts):
        dx, dy = x1 - x0, y1 - y0
        t0, t1 = 0.0, 1.0
        for p, q in ((-dx, x0), (dx, w - x0), (-dy, y0), (dy, h - y0)):
            if p == 0:
                if q < 0:
                    t0, t1 = 1.0, 0.0
                continue
            r = q / p
            if p < 0:
                t0 = max(t0, r)
            else:
                t1 = min(t1, r)
        if t0 > t1:
            continue
        a = (x0 + dx * t0, y0 + dy * t0)
        b = (x0 + dx * t1, y0 + dy * t1)
        if not out or out[-1] != a:
            out.append(a)
        out.append(b)
    return out


def gettysburg_fishhook_svg(site: dict) -> bytes:
    post = load_post("posts/gettysburg/gettysburg-sitrep-1", site)
    L = post.layers
    union, conf = L["union-line"], L["confederate-line"]
    gains, axes = L["confederate-gains"], L["confederate-axes-1-july"]
    W, top, map_h, legend_h = 820, 92, 940, 196
    H = top + map_h + legend_h
    proj = Projection(-77.267, 39.7855, -77.203, 39.851, W, map_h)
    ub, cr = hexcolor(union.color), hexcolor(conf.color)
    paper = hexcolor(PAPER)

    def f(v: float) -> str:
        return f"{v:.1f}"

    def pts_attr(points) -> str:
        return " ".join(f"{f(x)},{f(y)}" for x, y in points)

    def arrow(points, color, width, head, dash=""):
        (x0, y0), (x1, y1) = points[-2], points[-1]
        a = math.atan2(y1 - y0, x1 - x0)
        bx, by = x1 - math.cos(a) * head * 0.8, y1 - math.sin(a) * head * 0.8
        lx, ly = x1 - math.cos(a - 0.45) * head, y1 - math.sin(a - 0.45) * head
        rx, ry = x1 - math.cos(a + 0.45) * head, y1 - math.sin(a + 0.45) * head
        d = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<polyline points="{pts_attr([*points[:-1], (bx, by)])}" fill="none" '
            f'stroke="{color}" stroke-width="{width}" stroke-linejoin="round"{d}/>'
            f'<polygon points="{pts_attr([(x1, y1), (lx, ly), (rx, ry)])}" fill="{color}"/>'
        )

    def text(x, y, s, size=14, color="#222222", anchor="start", bold=False, halo=True):
        w = ' font-weight="bold"' if bold else ""
        h = (
            f' stroke="{paper}" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
            if halo
            else ""
        )
        return (
            f'<text x="{f(x)}" y="{f(y)}" font-size="{size}" fill="{color}" '
            f'text-anchor="{anchor}"{w}{h}>{esc(s)}</text>'
        )

    out: list[str] = []
    add = out.append
    add('<?xml version="1.0" encoding="UTF-8"?>')
    add(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" role="img" aria-labelledby="title desc" '
        f'font-family="Helvetica, Arial, sans-serif">'
    )
    add('<title id="title">Gettysburg, evening of 2 July 1863: the Union fishhook</title>')
    add(
        '<desc id="desc">Sketch map. The Union line runs from Culp\'s Hill west to Cemetery '
        "Hill, then south along Cemetery Ridge to Little Round Top, in the shape of a fishhook. "
        "The Confederate line wraps around it from Devil's Den along Seminary Ridge, through "
        "the town and east to Benner's Hill and the lower slopes of Culp's Hill. Dashed arrows "
        "show the Confederate attacks converging on the town on 1 July from the west, the "
        "north-west and the north. Shaded areas mark the town, the ground from the Peach "
        "Orchard to Devil's Den, and lower Culp's Hill, taken by the Confederates on 1 and "
        "2 July.</desc>"
    )
    add(f'<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>')
    add(text(24, 44, "Gettysburg, evening of 2 July 1863: the fishhook", 26, bold=True, halo=False))
    add(
        text(
            24,
            74,
            "The Union line after two days, the Confederate line around it, and the "
            "attacks of 1 July",
            15,
            "#5f5f5f",
            halo=False,
        )
    )

    # the map panel: a nested viewport, which clips what runs off it
    add(f'<svg x="0" y="{top}" width="{W}" height="{map_h}" viewBox="0 0 {W} {map_h}">')
    add(f'<rect x="0" y="0" width="{W}" height="{map_h}" fill="{paper}"/>')
    west, north = proj.lonlat(0, 0)
    east, south = proj.lonlat(W, map_h)
    step = 0.5 / 60
    grid, glabels = [], []
    lon = math.ceil(west / step) * step
    while lon <= east:
        x, _ = proj.xy(lon, 0)
        grid.append(f'<line x1="{f(x)}" y1="0" x2="{f(x)}" y2="{map_h}"/>')
        m = (abs(lon) - int(abs(lon))) * 60
        glabels.append(text(x + 4, 16, f"{int(abs(lon))}°{m:04.1f}′W", 11, "#5f5f5f"))
        lon += step
    lat = math.ceil(south / step) * step
    while lat <= north:
        _, y = proj.xy(0, lat)
        grid.append(f'<line x1="0" y1="{f(y)}" x2="{W}" y2="{f(y)}"/>')
        m = (lat - int(lat)) * 60
        glabels.append(text(6, y - 4, f"{int(lat)}°{m:04.1f}′N", 11, "#5f5f5f"))
        lat += step
    add(f'<g stroke="{hexcolor(GRID)}" stroke-width="1">' + "".join(grid) + "</g>")
    add("<g>" + "".join(glabels) + "</g>")

    # ground taken on 1 and 2 July
    add(f'<g fill="{cr}" fill-opacity="0.2" stroke="{cr}" stroke-width="1.5">')
    for feat in gains.features:
        ring = feat["geometry"]["coordinates"][0]
        add(
            f'<polygon points="{pts_attr(proj.many(ring))}">'
            f"<title>{esc(feat['properties']['name'])}</title></polygon>"
        )
    add("</g>")

    # the attacks of 1 July (arrowheads drawn as polygons: no markers, no url())
    add('<g opacity="0.9">')
    for feat in axes.features:
        add(arrow(proj.many(feat["geometry"]["coordinates"]), cr, 3.5, 15, "9 6"))
    add("</g>")
    for word, s, dx, dy, anchor in (
        ("Heth", "Heth, then Pender", 6, -12, "start"),
        ("Rodes", "Rodes, from Oak Hill", -12, 40, "end"),
        ("Early", "Early, by the Harrisburg road", -12, 40, "end"),
    ):
        # at the point where the arrow comes onto the map
        x, y = clip_polyline(proj.many(axes.coords(word)), W, map_h)[0]
        add(text(x + dx, y + dy, s, 13, cr, anchor))

    # the lines of the evening of 2 July
    for layer, word in ((conf, "Confederate line"), (union, "Union line")):
        p = pts_attr(proj.many(layer.coords(word)))
        add(
            f'<polyline points="{p}" fill="none" stroke="#ffffff" stroke-width="10" '
            f'stroke-linejoin="round" stroke-linecap="round"/>'
        )
        add(
            f'<polyline points="{p}" fill="none" stroke="{hexcolor(layer.color)}" '
            f'stroke-width="6.5" stroke-linejoin="round" stroke-linecap="round">'
            f"<title>{esc(layer.title)}</title></polyline>"
        )

    # points named in the Confederate line's description, at its end and its bend
    cl = conf.coords("Confederate line")
    for lonlat, s, dx, dy, anchor in (
        (cl[0], "Devil's Den", 0, 22, "middle"),
        (cl[12], "Benner's Hill", 0, -14, "middle"),
    ):
        x, y = proj.xy(*lonlat)
        add(
            f'<rect x="{f(x - 4.5)}" y="{f(y - 4.5)}" width="9" height="9" fill="#222222" '
            f'stroke="#ffffff" stroke-width="2"/>'
        )
        add(text(x + dx, y + dy, s, 13, anchor=anchor))

    # places of the post
    dots, labels = [], []
    for name, dx, dy, anchor in (
        ("Gettysburg", 12, -10, "start"),
        ("McPherson Ridge", 0, -14, "middle"),
        ("Seminary Ridge", -12, 5, "end"),
        ("Cemetery Hill", 0, -30, "middle"),
        ("Culp's Hill", 12, 5, "start"),
        ("Cemetery Ridge", 14, 5, "start"),
        ("Little Round Top", 14, 5, "start"),
    ):
        x, y = proj.xy(*post.place(name))
        dots.append(
            f'<circle cx="{f(x)}" cy="{f(y)}" r="7.5" fill="#ffffff"/>'
            f'<circle cx="{f(x)}" cy="{f(y)}" r="5.5" fill="#222222"/>'
        )
        labels.append(text(x + dx, y + dy, name, 16, bold=True, anchor=anchor))
    add("<g>" + "".join(dots) + "</g>")
    add("<g>" + "".join(labels) + "</g>")

    # north arrow and scale bar
    nx, ny = W - 50, 50
    add(
        f'<g><rect x="{nx - 22}" y="{ny - 34}" width="44" height="70" fill="#ffffff" '
        f'fill-opacity="0.85" stroke="{hexcolor(GRID)}"/>'
        f'<polygon points="{nx},{ny - 10} {nx - 10},{ny + 26} {nx},{ny + 14}" fill="#222222"/>'
        f'<polygon points="{nx},{ny - 10} {nx + 10},{ny + 26} {nx},{ny + 14}" fill="#ffffff" '
        f'stroke="#222222"/>'
        f'<text x="{nx}" y="{ny - 14}" font-size="14" font-weight="bold" '
        f'text-anchor="middle">N</text></g>'
    )
    km = nice_km(240 / proj.px_per_km())
    length = km * proj.px_per_km()
    sx, sy = W - 60 - length, map_h - 44
    seg = length / 4
    rects = "".join(
        f'<rect x="{f(sx + i * seg)}" y="{sy - 4}" width="{f(seg)}" height="8" '
        f'fill="{"#222222" if i % 2 == 0 else "#ffffff"}" stroke="#222222"/>'
        for i in range(4)
    )
    add(
        f'<g><rect x="{f(sx - 14)}" y="{sy - 30}" width="{f(length + 48)}" height="54" '
        f'fill="#ffffff" fill-opacity="0.85" stroke="{hexcolor(GRID)}"/>{rects}'
        f'<text x="{f(sx)}" y="{sy - 9}" font-size="12" text-anchor="middle">0</text>'
        f'<text x="{f(sx + length)}" y="{sy - 9}" font-size="12" text-anchor="middle">'
        f"{km:g} km</text>"
        f'<text x="{f(sx)}" y="{sy + 19}" font-size="10" fill="#5f5f5f">'
        f"Scale (equirectangular)</text></g>"
    )
    add("</svg>")

    add(f'<line x1="0" y1="{top}" x2="{W}" y2="{top}" stroke="#222222" stroke-width="1.5"/>')
    add(
        f'<line x1="0" y1="{top + map_h}" x2="{W}" y2="{top + map_h}" stroke="#222222" '
        f'stroke-width="1.5"/>'
    )

    # legend
    ly = top + map_h + 30
    add(text(24, ly + 4, "Key", 17, bold=True, halo=False))
    items = [
        ("line", ub, "Union line, evening of 2 July"),
        ("line", cr, "Confederate line, evening of 2 July"),
        ("fill", cr, "Taken by the Confederates, 1 and 2 July"),
        ("arrow", cr, "Confederate attacks on the town, 1 July"),
        ("dot", "#222222", "Place named in the report"),
        ("square", "#222222", "Point named in the layers"),
    ]
    for i, (kind, color, s) in enumerate(items):
        col, row = i % 2, i // 2
        x, y = 24 + col * 400, ly + 34 + row * 32
        if kind == "line":
            add(
                f'<line x1="{x}" y1="{y}" x2="{x + 46}" y2="{y}" stroke="{color}" '
                f'stroke-width="6"/>'
            )
        elif kind == "fill":
            add(
                f'<rect x="{x + 4}" y="{y - 9}" width="38" height="18" fill="{color}" '
                f'fill-opacity="0.2" stroke="{color}" stroke-width="1.5"/>'
            )
        elif kind == "arrow":
            add(arrow([(x, y), (x + 46, y)], color, 3.5, 14, "9 6"))
        elif kind == "dot":
            add(f'<circle cx="{x + 23}" cy="{y}" r="5.5" fill="{color}"/>')
        elif kind == "square":
            add(f'<rect x="{x + 18.5}" y="{y - 4.5}" width="9" height="9" fill="{color}"/>')
        add(text(x + 60, y + 5, s, 14, halo=False))
    credit = wrap_chars(CREDIT, 120)
    for i, ln in enumerate(credit):
        add(text(24, H - 16 - (len(credit) - 1 - i) * 15, ln, 11.5, "#5f5f5f", halo=False))
    add("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


def wrap_chars(s: str, n: int) -> list[str]:
    lines, line = [], ""
    for word in s.split(" "):
        if line and len(line) + 1 + len(word) > n:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


# --------------------------------------------------------------------------
# Encoding, with and without metadata
# --------------------------------------------------------------------------


def dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 2)
    return (float(d), float(m), s)


def xmp_packet(lat: float, lon: float, when: str) -> bytes:
    def xmp_coord(v: float, pos: str, neg: str) -> str:
        d = int(abs(v))
        return f"{d},{(abs(v) - d) * 60:.4f}{pos if v >= 0 else neg}"

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:exif="http://ns.adobe.com/exif/1.0/">\n'
        "   <dc:creator><rdf:Seq><rdf:li>sitegen sample (tools/draw-sample-images.py)"
        "</rdf:li></rdf:Seq></dc:creator>\n"
        '   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Sample metadata that '
        "sitegen must strip on publishing</rdf:li></rdf:Alt></dc:description>\n"
        f"   <xmp:CreateDate>{when}</xmp:CreateDate>\n"
        "   <xmp:CreatorTool>tools/draw-sample-images.py</xmp:CreatorTool>\n"
        f"   <exif:GPSLatitude>{xmp_coord(lat, 'N', 'S')}</exif:GPSLatitude>\n"
        f"   <exif:GPSLongitude>{xmp_coord(lon, 'E', 'W')}</exif:GPSLongitude>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def jpeg_with_gps(img: Image.Image, lat: float, lon: float) -> bytes:
    """A JPEG carrying EXIF (with a GPS IFD), XMP and a comment: all to be stripped."""
    exif = Image.Exif()
    exif[0x010E] = "Sketch map (sample): metadata that sitegen must strip"  # ImageDescription
    exif[0x010F] = "sitegen sample"  # Make
    exif[0x0110] = "draw-sample-images.py"  # Model
    exif[0x0131] = "tools/draw-sample-images.py"  # Software
    exif[0x0132] = "2026:10:27 07:30:00"  # DateTime
    exif[0x013B] = "Field Notes desk (sample)"  # Artist
    sub = exif.get_ifd(0x8769)  # Exif IFD
    sub[0x9003] = "2026:10:27 07:30:00"  # DateTimeOriginal
    sub[0x9004] = "2026:10:27 07:30:00"  # DateTimeDigitized
    gps = exif.get_ifd(0x8825)  # GPS IFD
    gps[0x0000] = b"\x02\x03\x00\x00"  # GPSVersionID
    gps[0x0001] = "N" if lat >= 0 else "S"
    gps[0x0002] = dms(lat)
    gps[0x0003] = "E" if lon >= 0 else "W"
    gps[0x0004] = dms(lon)
    gps[0x0012] = "WGS-84"  # GPSMapDatum
    buf = io.BytesIO()
    img.save(
        buf,
        "JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        exif=exif.tobytes(),
        xmp=xmp_packet(lat, lon, "2026-10-27T07:30:00Z"),
        comment=b"sitegen sample: this comment, the EXIF and the XMP must not be published",
    )
    return buf.getvalue()


def jpeg_rotated(img: Image.Image) -> bytes:
    """Pixels stored turned 90 degrees anticlockwise, tagged Orientation 6, which tells a
    viewer to turn them 90 degrees clockwise: shown upright only if the tag is honoured."""
    stored = img.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=exif.tobytes())
    return buf.getvalue()


def png(img: Image.Image) -> bytes:
    pal = img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    pal.save(buf, "PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------


def figures():
    """(path, function of site.yaml returning the file's bytes)."""
    return [
        (
            "posts/waterloo/waterloo-sitrep-4/positions-1100.jpg",
            lambda site: jpeg_with_gps(waterloo_positions(site), 50.6780, 4.4080),
        ),
        (
            "posts/gettysburg/gettysburg-sitrep-2/assault-3-july.jpg",
            lambda site: jpeg_rotated(gettysburg_assault(site)),
        ),
        ("posts/gettysburg/gettysburg-sitrep-1/fishhook.svg", gettysburg_fishhook_svg),
        (
            "posts/sevastopol/sevastopol-sitrep-2/balaklava-valleys.png",
            lambda site: png(balaklava_valleys(site)),
        ),
        (
            "posts/sevastopol/sevastopol-sitrep-4/south-side-8-september.png",
            lambda site: png(sevastopol_south_side(site)),
        ),
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any image differs from what would be drawn",
    )
    ap.add_argument("--list", action="store_true", help="list the images and exit")
    args = ap.parse_args(argv)
    if args.list:
        for rel, _ in figures():
            print(rel)
        return 0
    site = load_site()
    stale = 0
    for rel, make in figures():
        data = make(site)
        path = ROOT / rel
        old = path.read_bytes() if path.exists() else None
        if args.check:
            if old != data:
                print(f"out of date: {rel}")
                stale += 1
            continue
        if old != data:
            path.write_bytes(data)
            print(f"wrote {rel} ({len(data) // 1024} KiB)")
        else:
            print(f"unchanged {rel}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
