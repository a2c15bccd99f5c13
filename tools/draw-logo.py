"""Draw the default theme's raster logo, ``static/logo.png``, from the design of ``favicon.svg``.

Search engines want the publisher's logo in JSON-LD as a raster image, and
``/favicon.ico`` is made from it when the favicon is an SVG.  Run from the
repository root: ``python3 tools/draw-logo.py`` (the output is the same bytes
on every run).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 512
SCALE = 4  # drawn larger and scaled down: smooth edges
BLUE = (29, 74, 114, 255)
WHITE = (255, 255, 255, 255)


def draw() -> Image.Image:
    unit = SIZE * SCALE / 32  # the SVG's viewBox is 32 units wide
    image = Image.new("RGBA", (SIZE * SCALE, SIZE * SCALE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, 32 * unit - 1, 32 * unit - 1), radius=6 * unit, fill=BLUE)
    width = round(2.5 * unit)
    pen.ellipse((7 * unit, 7 * unit, 25 * unit, 25 * unit), outline=WHITE, width=width)
    for x0, y0, x1, y1 in ((16, 3, 16, 10), (16, 22, 16, 29), (3, 16, 10, 16), (22, 16, 29, 16)):
        pen.line((x0 * unit, y0 * unit, x1 * unit, y1 * unit), fill=WHITE, width=width)
        for x, y in ((x0, y0), (x1, y1)):  # round caps
            r = width / 2
            pen.ellipse((x * unit - r, y * unit - r, x * unit + r, y * unit + r), fill=WHITE)
    pen.ellipse((13.5 * unit, 13.5 * unit, 18.5 * unit, 18.5 * unit), fill=WHITE)
    return image.resize((SIZE, SIZE), Image.LANCZOS)


if __name__ == "__main__":
    target = Path("static/logo.png")
    draw().save(target, "PNG", optimize=True)
    print(f"wrote {target}")
