"""Images made safe: every published variant opened with Pillow carries no EXIF, GPS, XMP or ICC."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, TiffImagePlugin

from sitegen.output.imaging import ImageProblem, variants
from sitegen.read.imagefiles import check_svg

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    b'-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
    b"Source Name</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def photo(fmt: str = "JPEG", size: tuple[int, int] = (2000, 1000), orientation: int = 1) -> bytes:
    """A picture whose metadata would expose a source: GPS, camera, author, XMP, an ICC profile."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 200), (0, 0, size[0] // 2, size[1]))  # left half blue: orientation
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x013B] = "A. Source"  # Artist
    exif[0x0112] = orientation
    gps = {
        1: "N",
        2: (TiffImagePlugin.IFDRational(50), TiffImagePlugin.IFDRational(40), 0),
        3: "E",
        4: (TiffImagePlugin.IFDRational(4), TiffImagePlugin.IFDRational(23), 0),
    }
    exif[0x8825] = gps
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    options = {"exif": exif.tobytes(), "icc_profile": icc}
    if fmt in ("JPEG", "WEBP"):
        options["xmp"] = XMP
    if fmt == "PNG":
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "A. Source")
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options["pnginfo"] = info
    image.save(out, fmt, **options)
    return out.getvalue()


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_no_metadata_survives(fmt: str) -> None:
    source = opened(photo(fmt))
    assert source.getexif() and source.info.get("icc_profile")  # the test image has them
    made = variants(photo(fmt), f"photo.{fmt.lower()}")
    assert made
    for size, data in made.items():
        image = opened(data)
        assert image.format == size.format.upper()
        assert (image.width, image.height) == (size.width, size.height)
        assert not image.getexif(), size.format
        assert not any(
            key in image.info for key in ("exif", "xmp", "icc_profile", "XML:com.adobe.xmp")
        )
        assert "Author" not in image.info
        assert b"A. Source" not in data and b"CameraMaker" not in data
        assert b"Source Name" not in data


def test_widths_up_to_the_original_in_webp_and_the_own_format() -> None:
    made = variants(photo("JPEG", (2000, 1000)), "maps/photo.jpg")
    assert [(s.width, s.height, s.format, s.path("maps/photo.jpg")) for s in made] == [
        (2000, 1000, "jpeg", "maps/photo.jpg"),  # the file itself, clean, at full size
        (480, 240, "webp", "maps/photo-480w.webp"),
        (480, 240, "jpeg", "maps/photo-480w.jpg"),
        (960, 480, "webp", "maps/photo-960w.webp"),
        (960, 480, "jpeg", "maps/photo-960w.jpg"),
        (1600, 800, "webp", "maps/photo-1600w.webp"),
        (1600, 800, "jpeg", "maps/photo-1600w.jpg"),
    ]
    small = variants(photo("PNG", (700, 300)), "small.png")
    assert [(s.width, s.format, s.path("small.png")) for s in small] == [
        (700, "png", "small.png"),
        (480, "webp", "small-480w.webp"),
        (480, "png", "small-480w.png"),
        (700, "webp", "small-700w.webp"),  # never enlarged; the PNG at 700 is the file itself
    ]
    webp = variants(photo("WEBP", (700, 300)), "small.webp")
    assert [(s.width, s.path("small.webp")) for s in webp] == [
        (700, "small.webp"),
        (480, "small-480w.webp"),
    ]


def test_orientation_is_applied_before_the_tag_is_dropped() -> None:
    made = variants(photo("JPEG", (1000, 500), orientation=6))  # rotate 90° clockwise to view
    largest = opened(next(iter(made.values())))
    assert (largest.width, largest.height) == (500, 1000)
    top = largest.convert("RGB").getpixel((250, 10))
    assert top[2] > 150  # the left (blue) half of the stored picture is now on top


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image", "is not an image Pillow can read"),
        (photo("JPEG")[:300], "is damaged"),
    ],
    ids=["garbage", "truncated"],
)
def test_unreadable_images_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ImageProblem, match=message):
        variants(data)


SAFE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 viewBox="0 0 10 10"><defs><path id="p" d="M0 0L10 10"/></defs><use xlink:href="#p"/>
<style>.a { fill: url(#g) }</style></svg>"""


def test_a_plain_svg_passes() -> None:
    assert check_svg(SAFE_SVG) == []


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "has a <script> element",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "has an event handler attribute onload= on <svg>",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg">'
            b'<a href="javascript:alert(1)"><text>x</text></a></svg>',
            "has <a> linking to 'javascript:alert(1)'",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="https://tracker.example/p.png"/></svg>',
            "has <image> linking to 'https://tracker.example/p.png'",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css);</style></svg>',
            "has a <style> that loads from elsewhere",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://x.example/f)"/></svg>',
            "has <rect> with a style that loads from elsewhere",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
            "has a <foreignObject> element",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "declares a DTD or entities",
        ),
        (b"<html><body/></html>", "is not an SVG document (its root is not <svg>)"),
        (b"<svg", "is not well-formed XML"),
    ],
    ids=[
        "script",
        "onload",
        "javascript-link",
        "external-image",
        "css-import",
        "css-url",
        "foreign",
        "entity",
        "html",
        "broken",
    ],
)
def test_unsafe_svg_is_refused(svg: bytes, problem: str) -> None:
    problems = check_svg(svg)
    assert any(p.startswith(problem) for p in problems), problems
