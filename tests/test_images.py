"""Images as evidence: published safe (no metadata), sized for every screen, cited and previewed.

Inline sites whose pictures are drawn here with Pillow, some carrying every kind
of metadata a camera or an editor leaves (EXIF with a GPS position, XMP, IPTC,
an ICC profile, PNG text chunks, comments).  What a build writes is read back
with Pillow, lxml and feedparser; builds run in this process (``jobs=1``) so
that :data:`sitegen.output.imaging.ENCODED` sees every encode.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import lxml.etree
import lxml.html
import pytest
from conftest import NOW, SITE_YAML, tree_bytes
from PIL import Image, ImageCms, PngImagePlugin, TiffImagePlugin

from sitegen.cli import main
from sitegen.commands.build import BuildOptions, build
from sitegen.output import imaging

BASE = "https://example.org/"
SIZES = "(min-width: 50em) 46em, 100vw"
RASTER = (".jpg", ".jpeg", ".png", ".webp", ".gif")
BLUE, RED = (20, 20, 200), (200, 30, 30)

# ------------------------------------------------------------------ pictures with secrets

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    b'-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>'
    b"XmpCreatorName</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)
# 50° 40' 45.17" N, 4° 23' 9.31" E: as the GPS IFD stores them (Pillow writes big-endian).
GPS_LATITUDE = struct.pack(">6I", 50, 1, 40, 1, 4517, 100)
GPS_LONGITUDE = struct.pack(">6I", 4, 1, 23, 1, 931, 100)
SECRETS = (
    b"SecretCamMake",
    b"SecretArtist",
    b"XmpCreatorName",
    b"SecretComment",
    b"IptcBylineName",
    b"SecretPngAuthor",
    GPS_LATITUDE,
    GPS_LONGITUDE,
)
# What Pillow reports in ``info`` for metadata it found (lower-cased keys compared).
METADATA_KEYS = {
    "exif",
    "xmp",
    "xml:com.adobe.xmp",
    "icc_profile",
    "comment",
    "author",
    "photoshop",
    "iptc",
    "adobe",
}


def drawing(size: tuple[int, int]) -> Image.Image:
    """Left half blue, right half red: where the halves end up shows the orientation."""
    image = Image.new("RGB", size, RED)
    image.paste(BLUE, (0, 0, size[0] // 2, size[1]))
    return image


def exif(orientation: int | None = None) -> bytes:
    data = Image.Exif()
    data[0x010F] = "SecretCamMake"  # Make
    data[0x013B] = "SecretArtist"  # Artist
    if orientation is not None:
        data[0x0112] = orientation
    rational = TiffImagePlugin.IFDRational
    data[0x8825] = {  # the GPS IFD
        1: "N",
        2: (rational(50, 1), rational(40, 1), rational(4517, 100)),
        3: "E",
        4: (rational(4, 1), rational(23, 1), rational(931, 100)),
    }
    return data.tobytes()


def with_iptc(jpeg: bytes) -> bytes:
    """A JPEG with an APP13 (Photoshop IRB) segment holding an IPTC by-line."""
    value = b"IptcBylineName"
    record = b"\x1c\x02\x50" + len(value).to_bytes(2, "big") + value
    block = b"8BIM\x04\x04\x00\x00" + len(record).to_bytes(4, "big") + record
    payload = b"Photoshop 3.0\x00" + block
    return jpeg[:2] + b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]


def secret_image(fmt: str, size: tuple[int, int], orientation: int | None = None) -> bytes:
    """A picture that would expose its source: camera, author, GPS, XMP, ICC, IPTC, text."""
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    if fmt == "GIF":
        drawing(size).convert("P").save(out, "GIF", comment=b"SecretComment")
        return out.getvalue()
    options: dict[str, object] = {"exif": exif(orientation), "icc_profile": icc}
    if fmt in ("JPEG", "WEBP"):
        options["xmp"] = XMP
    if fmt == "JPEG":
        options["comment"] = b"SecretComment"
    if fmt == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "SecretPngAuthor")
        info.add_text("Comment", "SecretComment", zip=True)
        info.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options["pnginfo"] = info
    drawing(size).save(out, fmt, **options)
    data = out.getvalue()
    return with_iptc(data) if fmt == "JPEG" else data


def plain(fmt: str, size: tuple[int, int], color: tuple[int, int, int] = RED) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of scan."""
    assert data[:2] == b"\xff\xd8"
    markers, pos = [], 2
    while data[pos + 1] != 0xDA:
        assert data[pos] == 0xFF
        markers.append(data[pos + 1])
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
    return markers


def png_chunks(data: bytes) -> list[str]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunks.append(data[pos + 4 : pos + 8].decode("ascii"))
        pos += 12 + length
    return chunks


def webp_chunks(data: bytes) -> list[str]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, pos = [], 12
    while pos < len(data):
        length = int.from_bytes(data[pos + 4 : pos + 8], "little")
        chunks.append(data[pos : pos + 4].decode("ascii"))
        pos += 8 + length + (length & 1)
    return chunks


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


# ------------------------------------------------------------------ sites and pages


def post(title: str, front: str = "", body: str = "Text.", date: str = "2026-01-10") -> str:
    return f"---\ntitle: {title}\ndate: {date}T10:00:00Z\n{front}---\n{body}\n"


def add_files(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def page(out: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / path).read_bytes())


def file_of(out: Path, url: str) -> Path:
    """The output file a root-relative or absolute URL of the site names."""
    if urlsplit(url).scheme:
        assert url.startswith(BASE), url
    return out / unquote(urlsplit(url).path).lstrip("/")


def srcset(value: str) -> list[tuple[str, int]]:
    return [(url, int(w.removesuffix("w"))) for url, w in (c.split() for c in value.split(", "))]


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def encoded(root: Path) -> list[str]:
    """What the builds since the last clear encoded, site-relative."""
    return [entry.replace(f"{root}/", "") for entry in imaging.ENCODED]


@pytest.fixture(autouse=True)
def _fresh_counter() -> None:
    imaging.ENCODED.clear()


# ------------------------------------------------------------------ 1. safe for sources


def test_no_published_image_keeps_metadata(make_site: Callable[..., Path], build_site) -> None:
    front = (
        "images:\n"
        "  - {id: photo, file: photo.jpg, alt: A photo}\n"
        "  - {id: map, file: map.png, alt: A map}\n"
        "  - {id: still, file: still.webp, alt: A still}\n"
        "  - {id: anim, file: anim.gif, alt: A drawing}\n"
    )
    body = "{{< image photo >}}\n\n{{< image map >}}\n\n{{< image still >}}\n\n{{< image anim >}}"
    sources = {
        "posts/one/photo.jpg": secret_image("JPEG", (1200, 800)),
        "posts/one/map.png": secret_image("PNG", (1000, 600)),
        "posts/one/still.webp": secret_image("WEBP", (400, 300)),
        "posts/one/anim.gif": secret_image("GIF", (300, 200)),
        "posts/one/unused.jpg": secret_image("JPEG", (100, 100)),  # published, not shown
        "static/img/site.png": secret_image("PNG", (300, 200)),
    }
    root = add_files(make_site({"posts/one/index.md": post("One", front, body)}), sources)
    everything = b"".join(sources.values())
    assert all(secret in everything for secret in SECRETS)  # the sources do hold them
    assert Image.open(root / "posts/one/photo.jpg").getexif().get_ifd(0x8825)

    out, _ = build_site(root, jobs=1)

    checked = set()
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        rel = path.relative_to(out).as_posix()
        leaked = [secret for secret in SECRETS if secret in data]
        assert leaked == [], rel
        if path.suffix.lower() not in RASTER:
            continue
        checked.add(rel)
        image = opened(path)
        assert not image.getexif(), rel
        assert METADATA_KEYS.isdisjoint(key.lower() for key in image.info), (rel, image.info)
        if image.format == "JPEG":
            # APP0 (JFIF) only: no APP1 (EXIF, XMP), APP2 (ICC), APP13 (IPTC) or COM.
            headers = {m for m in jpeg_segments(data) if 0xE0 <= m <= 0xEF or m == 0xFE}
            assert headers == {0xE0}, rel
        elif image.format == "PNG":
            assert set(png_chunks(data)) <= {"IHDR", "PLTE", "tRNS", "IDAT", "IEND"}, rel
            assert image.text == {}, rel
        elif image.format == "WEBP":
            assert set(webp_chunks(data)) <= {"VP8 ", "VP8L", "VP8X", "ALPH"}, rel
    assert {
        "posts/one/photo.jpg",
        "posts/one/photo-480w.jpg",
        "posts/one/photo-480w.webp",
        "posts/one/photo-960w.jpg",
        "posts/one/photo-960w.webp",
        "posts/one/photo-1200w.webp",
        "posts/one/map.png",
        "posts/one/map-480w.png",
        "posts/one/map-960w.webp",
        "posts/one/map-1000w.webp",
        "posts/one/still.webp",
        "posts/one/anim.gif",
        "posts/one/anim-300w.webp",
        "posts/one/unused.jpg",
        "static/img/site.png",
        "static/logo.png",
    } <= checked


# ------------------------------------------------------------------ 2. widths and srcset


@pytest.fixture
def sized_site(make_site: Callable[..., Path]) -> Path:
    front = (
        "images:\n"
        "  - {id: big, file: big.jpg, alt: A large map}\n"
        '  - {id: small, file: small.jpg, alt: ""}\n'
    )
    body = "Text.\n\n{{< image big >}}\n\n{{< image small >}}\n\n![The map again](big.jpg)"
    root = make_site({"posts/one/index.md": post("One", front, body)})
    return add_files(
        root,
        {
            "posts/one/big.jpg": plain("JPEG", (2000, 1000)),
            "posts/one/small.jpg": plain("JPEG", (300, 200)),
        },
    )


def test_widths_up_to_the_original_and_no_wider(sized_site: Path, build_site) -> None:
    out, _ = build_site(sized_site, jobs=1)
    assert names(out / "posts/one") == {
        "index.html",
        "big.jpg",
        "big-480w.jpg",
        "big-480w.webp",
        "big-960w.jpg",
        "big-960w.webp",
        "big-1600w.jpg",
        "big-1600w.webp",
        "small.jpg",
        "small-300w.webp",  # the WebP at its own width; nothing wider than 300 px
    }
    for name, size in {
        "big.jpg": (2000, 1000),
        "big-480w.jpg": (480, 240),
        "big-480w.webp": (480, 240),
        "big-960w.webp": (960, 480),
        "big-1600w.jpg": (1600, 800),
        "small.jpg": (300, 200),
        "small-300w.webp": (300, 200),
    }.items():
        assert opened(out / "posts/one" / name).size == size, name


def test_srcset_sizes_width_height_loading(sized_site: Path, build_site) -> None:
    out, _ = build_site(sized_site, jobs=1)
    doc = page(out, "posts/one/index.html")
    pictures = doc.cssselect(".post-body picture")
    assert len(pictures) == 3
    webp = [
        (p.cssselect("source")[0].get("type"), p.cssselect("source")[0].get("srcset"))
        for p in pictures
    ]
    assert webp == [
        (
            "image/webp",
            "/posts/one/big-480w.webp 480w, /posts/one/big-960w.webp 960w, "
            "/posts/one/big-1600w.webp 1600w",
        ),
        ("image/webp", "/posts/one/small-300w.webp 300w"),
        (
            "image/webp",
            "/posts/one/big-480w.webp 480w, /posts/one/big-960w.webp 960w, "
            "/posts/one/big-1600w.webp 1600w",
        ),
    ]
    assert [p.cssselect("source")[0].get("sizes") for p in pictures] == [SIZES] * 3
    imgs = doc.cssselect(".post-body img")
    attrs = [
        {k: img.get(k) for k in ("src", "srcset", "sizes", "width", "height", "alt", "loading")}
        for img in imgs
    ]
    big = {
        "src": "/posts/one/big-1600w.jpg",
        "srcset": "/posts/one/big-480w.jpg 480w, /posts/one/big-960w.jpg 960w, "
        "/posts/one/big-1600w.jpg 1600w",
        "sizes": SIZES,
        "width": "1600",
        "height": "800",
    }
    assert attrs == [
        {**big, "alt": "A large map", "loading": None},  # the first image: not lazy
        {
            "src": "/posts/one/small.jpg",
            "srcset": "/posts/one/small.jpg 300w",
            "sizes": SIZES,
            "width": "300",
            "height": "200",
            "alt": "",
            "loading": "lazy",
        },
        {**big, "alt": "The map again", "loading": "lazy"},
    ]
    assert [img.get("decoding") for img in imgs] == ["async"] * 3
    for img in imgs:  # width and height are those of the file in src
        size = opened(file_of(out, img.get("src"))).size
        assert size == (int(img.get("width")), int(img.get("height")))
    candidates = [i.get("srcset") for i in imgs] + [s for _, s in webp]
    for url, width in (c for value in candidates for c in srcset(value)):
        assert opened(file_of(out, url)).width == width, url  # as wide as it says


# ------------------------------------------------------------------ 3. orientation


def test_a_turned_photo_is_published_upright(make_site: Callable[..., Path], build_site) -> None:
    turned = io.BytesIO()
    stored = Image.Exif()
    stored[0x0112] = 6  # to be shown, turn 90° clockwise
    drawing((1000, 600)).save(turned, "JPEG", exif=stored.tobytes(), quality=95)
    root = make_site({"posts/one/index.md": post("One", body="![A turned photo](turned.jpg)")})
    add_files(root, {"posts/one/turned.jpg": turned.getvalue()})
    out, _ = build_site(root, jobs=1)
    published = opened(out / "posts/one/turned.jpg")
    assert published.size == (600, 1000)
    assert not published.getexif()  # the orientation tag is gone: applied, not kept
    rgb = published.convert("RGB")
    top, bottom = rgb.getpixel((300, 100)), rgb.getpixel((300, 900))
    assert top[2] > 150 and top[0] < 60  # the stored left (blue) half is now on top
    assert bottom[0] > 150 and bottom[2] < 60
    assert opened(out / "posts/one/turned-480w.jpg").size == (480, 800)
    (img,) = page(out, "posts/one/index.html").cssselect(".post-body img")
    assert (img.get("src"), img.get("width"), img.get("height")) == (
        "/posts/one/turned.jpg",
        "600",
        "1000",
    )


# ------------------------------------------------------------------ 4. errors

SCRIPT_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>'
)
ONLOAD_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>'
EXTERNAL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'viewBox="0 0 10 10"><image xlink:href="https://tracker.example/p.png"/></svg>'
)
BAD_FRONT = """\
sources:
  - {id: sib, name: William Siborne}
locations:
  - {name: Hougoumont, lat: 50.6704, lon: 4.3923}
images:
  - id: noalt
    file: ok.jpg
  - {id: badsrc, file: ok.jpg, alt: x, source: nobody}
  - {id: badplace, file: ok.jpg, alt: x, place: Paris}
  - {id: outside, file: ../x.jpg, alt: x}
  - {id: baddate, file: ok.jpg, alt: x, taken: 1815-13}
  - {id: good, file: ok.jpg, alt: x}
"""
BAD_BODY = "Intro.\n\n{{< image good >}}\n\n{{< image nope >}}\n\n{{< image good >}}\n\n![](ok.jpg)"
BAD_FILES = """\
images:
  - {id: missing, file: gone.jpg, alt: x}
  - {id: script, file: script.svg, alt: x}
  - {id: onload, file: onload.svg, alt: x}
  - {id: external, file: external.svg, alt: x}
  - {id: fake, file: fake.jpg, alt: x}
"""
ALT_REQUIRED = 'required: say what the image shows (alt: "" only for an image that is decoration)'
ERRORS = [
    f"posts/one/index.md:9: images[0].alt: {ALT_REQUIRED}",
    "posts/one/index.md:11: images[1].source: unknown source 'nobody' (not in this post's sources)",
    "posts/one/index.md:12: images[2].place: unknown place 'Paris' "
    "(this post's places: Hougoumont)",
    "posts/one/index.md:13: images[3].file: '../x.jpg': an image file must be beside the post "
    "in its page bundle or under static/",
    "posts/one/index.md:14: images[4].taken: expected a date like 1844, 1844-06 or 1844-06-18, "
    "got '1815-13'",
    "posts/one/index.md:21: unknown image 'nope' (known: good)",
    "posts/one/index.md:23: the image 'good' is embedded twice",
    "posts/one/index.md:25: the image ok.jpg has no alt text: write ![what it shows](ok.jpg), "
    'or declare it in images: with alt: "" if it is only decoration',
    "posts/two/index.md:5: images[0].file: posts/two/gone.jpg does not exist",
    "posts/two/index.md:6: images[1].file: posts/two/script.svg cannot be published: "
    "it has a <script> element",
    "posts/two/index.md:7: images[2].file: posts/two/onload.svg cannot be published: "
    "it has an event handler attribute onload= on <svg>",
    "posts/two/index.md:8: images[3].file: posts/two/external.svg cannot be published: "
    "it has <image> linking to 'https://tracker.example/p.png'",
    "posts/two/index.md:9: images[4].file: posts/two/fake.jpg is not an image Pillow can read "
    "(JPEG, PNG, WebP or GIF)",
]


@pytest.fixture
def broken_site(make_site: Callable[..., Path]) -> Path:
    root = make_site(
        {
            "posts/one/index.md": post("One", BAD_FRONT, BAD_BODY),
            "posts/two/index.md": post("Two", BAD_FILES, date="2026-01-11"),
            "posts/two/fake.jpg": "not an image at all\n",
        }
    )
    return add_files(
        root,
        {
            "posts/one/ok.jpg": plain("JPEG", (200, 100)),
            "posts/x.jpg": plain("JPEG", (200, 100)),  # exists, but outside the bundle
            "posts/two/script.svg": SCRIPT_SVG,
            "posts/two/onload.svg": ONLOAD_SVG,
            "posts/two/external.svg": EXTERNAL_SVG,
        },
    )


def test_every_image_error_in_one_run(broken_site: Path, capsys: pytest.CaptureFixture) -> None:
    out = broken_site / "_site"
    assert main(["-s", str(broken_site), "build", "-o", str(out), "-j", "1"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [*ERRORS, "13 errors."]
    assert "Traceback" not in captured.err
    assert not out.exists()  # nothing written


def test_a_failed_build_leaves_the_last_output(
    broken_site: Path, build_site, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    broken = shutil.move(broken_site / "posts", tmp_path / "broken-posts")
    add_files(broken_site, {"posts/one/ok.jpg": plain("JPEG", (200, 100))})
    (broken_site / "posts/one/index.md").write_text(post("One", body="![A map](ok.jpg)"))
    out, _ = build_site(broken_site, jobs=1)
    before = tree_bytes(out)
    assert "posts/one/ok.jpg" in before
    shutil.rmtree(broken_site / "posts")
    shutil.move(broken, broken_site / "posts")
    assert main(["-s", str(broken_site), "build", "-o", str(out), "-j", "1"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "13 errors."
    assert tree_bytes(out) == before


def test_check_reports_the_same_errors_and_writes_nothing(
    broken_site: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["-s", str(broken_site), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == [*ERRORS, "13 errors."]
    assert not (broken_site / "_site").exists()
    assert not (broken_site / ".sitegen-cache/images").exists()


def test_file_errors_reported_with_front_matter_errors_of_the_same_post(
    make_site: Callable[..., Path], capsys: pytest.CaptureFixture
) -> None:
    front = "images:\n  - {id: a, file: ok.jpg}\n  - {id: b, file: script.svg, alt: x}\n"
    root = make_site({"posts/one/index.md": post("One", front, "{{< image b >}}")})
    add_files(
        root, {"posts/one/ok.jpg": plain("JPEG", (20, 10)), "posts/one/script.svg": SCRIPT_SVG}
    )
    assert main(["-s", str(root), "build", "-o", str(root / "_site"), "-j", "1"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"posts/one/index.md:5: images[0].alt: {ALT_REQUIRED}",
        "posts/one/index.md:6: images[1].file: posts/one/script.svg cannot be published: "
        "it has a <script> element",
        "2 errors.",
    ]


def test_embedded_twice_names_the_second_embed(
    make_site: Callable[..., Path], capsys: pytest.CaptureFixture
) -> None:
    front = "images:\n  - {id: good, file: ok.jpg, alt: x}\n"
    body = "{{< image good >}}\n\nText.\n\n{{< image good >}}"
    root = make_site({"posts/one/index.md": post("One", front, body)})
    add_files(root, {"posts/one/ok.jpg": plain("JPEG", (20, 10))})
    assert main(["-s", str(root), "build", "-o", str(root / "_site"), "-j", "1"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "posts/one/index.md:11: the image 'good' is embedded twice",
        "1 error.",
    ]


def test_svg_link_error_reads_as_a_sentence(broken_site: Path, capsys) -> None:
    assert main(["-s", str(broken_site), "build", "-o", str(broken_site / "_site")]) == 1
    (line,) = [e for e in capsys.readouterr().err.splitlines() if "external.svg" in e]
    assert line.startswith("posts/two/index.md:8: images[3].file: posts/two/external.svg ")
    assert ": it <" not in line


# ------------------------------------------------------------------ 5, 6. kept as they are


def test_keep_metadata_and_safe_svg_are_published_as_they_are(
    make_site: Callable[..., Path], build_site
) -> None:
    front = (
        "images:\n"
        "  - {id: kept, file: kept.jpg, alt: As taken, keep_metadata: true}\n"
        "  - {id: chart, file: chart.svg, alt: A chart}\n"
    )
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'viewBox="0 0 640 360"><defs><path id="p" d="M0 0L640 360"/></defs>'
        b'<use xlink:href="#p" stroke="red"/></svg>\n'
    )
    body = "{{< image kept >}}\n\n{{< image chart >}}"
    root = make_site({"posts/one/index.md": post("One", front, body)})
    kept = secret_image("JPEG", (1000, 500))
    add_files(root, {"posts/one/kept.jpg": kept, "posts/one/chart.svg": svg})
    out, _ = build_site(root, jobs=1)
    assert (out / "posts/one/kept.jpg").read_bytes() == kept
    assert (out / "posts/one/chart.svg").read_bytes() == svg
    assert names(out / "posts/one") == {"index.html", "kept.jpg", "chart.svg"}  # no sizes
    assert [e for e in encoded(root) if e.startswith("posts/")] == []
    imgs = page(out, "posts/one/index.html").cssselect(".post-body img")
    assert [(i.get("src"), i.get("width"), i.get("height"), i.get("srcset")) for i in imgs] == [
        ("/posts/one/kept.jpg", "1000", "500", None),
        ("/posts/one/chart.svg", "640", "360", None),  # from the viewBox
    ]
    assert page(out, "posts/one/index.html").cssselect(".post-body picture") == []


# ------------------------------------------------------------------ 7. figures and the map

FIGURE_FRONT = """\
sources:
  - {id: gourgaud, name: Gaspard Gourgaud, reliability: D}
  - {id: siborne, name: William Siborne, reliability: B, credibility: 2}
locations:
  - {name: Hougoumont, lat: 50.6704, lon: 4.3923}
  - {name: La Haye Sainte, lat: 50.6769, lon: 4.4137}
images:
  - id: farm
    file: farm.jpg
    alt: The farm
    caption: Hougoumont after the battle
    credit: Sketch by a witness
    source: siborne
    place: Hougoumont
    taken: 1815-06
  - {id: year, file: year.png, alt: "", taken: 1815}
  - {id: day, file: day.jpg, alt: The road, taken: 1815-06-18, place: La Haye Sainte}
  - {id: unshown, file: unshown.jpg, alt: Not embedded, place: La Haye Sainte}
"""
FIGURE_BODY = (
    "Accounts differ [@gourgaud; @siborne].\n\n{{< image farm >}}\n\n{{< image year >}}\n\n"
    "{{< image day >}}"
)


@pytest.fixture
def figure_site(make_site: Callable[..., Path]) -> Path:
    root = make_site({"posts/one/index.md": post("One", FIGURE_FRONT, FIGURE_BODY)})
    return add_files(
        root,
        {
            "posts/one/farm.jpg": plain("JPEG", (1000, 500)),
            "posts/one/year.png": plain("PNG", (300, 200)),
            "posts/one/day.jpg": plain("JPEG", (400, 300)),
            "posts/one/unshown.jpg": plain("JPEG", (200, 100)),
        },
    )


def test_figure_caption_credit_date_and_graded_source(figure_site: Path, build_site) -> None:
    out, _ = build_site(figure_site, jobs=1)
    doc = page(out, "posts/one/index.html")
    figures = doc.cssselect(".post-body figure.image")
    assert [f.get("id") for f in figures] == ["image-farm", "image-year", "image-day"]
    assert [" ".join(f.cssselect("figcaption")[0].text_content().split()) for f in figures] == [
        "Hougoumont after the battle Credit: Sketch by a witness · Taken June 1815 · "
        "Source: [2] William Siborne B2 · Full size of the image (1000 × 500)",
        "Taken 1815 · Full size of the image (300 × 200)",
        "Taken 18 June 1815 · Full size of the image (400 × 300)",
    ]
    assert [t.get("datetime") for t in doc.cssselect(".post-body figure time")] == [
        "1815-06",
        "1815",
        "1815-06-18",
    ]
    (source,) = figures[0].cssselect(".image-source a")
    assert source.get("href") == "#source-siborne"
    (grade,) = figures[0].cssselect("abbr.grade")
    assert (grade.text, grade.get("data-grade")) == ("B2", "B2")
    assert doc.cssselect("#source-siborne")  # the anchor it links to
    full = [a.get("href") for a in doc.cssselect(".post-body a.image-full")]
    assert full == ["/posts/one/farm.jpg", "/posts/one/year.png", "/posts/one/day.jpg"]


def test_images_with_a_place_are_pinned_on_the_map(figure_site: Path, build_site) -> None:
    out, _ = build_site(figure_site, jobs=1)
    (mapped,) = page(out, "posts/one/index.html").cssselect(".post-body .map[data-map]")
    assert json.loads(mapped.get("data-map"))["images"] == [
        {
            "href": "#image-farm",
            "lat": 50.6704,
            "lon": 4.3923,
            "place": "Hougoumont",
            "title": "Hougoumont after the battle",
        },
        {
            "href": "#image-day",
            "lat": 50.6769,
            "lon": 4.4137,
            "place": "La Haye Sainte",
            "title": "The road",
        },
        {  # not in the body: the pin links to the picture itself
            "href": "/posts/one/unshown.jpg",
            "lat": 50.6769,
            "lon": 4.4137,
            "place": "La Haye Sainte",
            "title": "Not embedded",
        },
    ]


# ------------------------------------------------------------------ 8. previews


def meta(doc: lxml.html.HtmlElement) -> dict[str, str]:
    found = {}
    for tag in doc.xpath("//meta[@property or @name]"):
        key = tag.get("property") or tag.get("name")
        if key.startswith(("og:image", "twitter:")):
            found[key] = tag.get("content")
    return found


def jsonld(doc: lxml.html.HtmlElement) -> dict:
    (text,) = doc.xpath('//script[@type="application/ld+json"]/text()')
    return json.loads(text)


@pytest.fixture
def preview_site(make_site: Callable[..., Path]) -> Path:
    config = (
        SITE_YAML
        + "image: static/img/default.png\n"
        + "authors:\n  Test Editor: {url: https://example.org/about/}\n"
    )
    chosen = (
        "image: second\nimages:\n"
        "  - {id: first, file: a.jpg, alt: First}\n"
        "  - {id: second, file: b.jpg, alt: Second}\n"
    )
    root = make_site(
        {
            "site.yaml": config,
            "posts/one/index.md": post(
                "One", chosen, "{{< image first >}}\n\n{{< image second >}}"
            ),
            "posts/two/index.md": post(
                "Two", "image: cover.jpg\n", "No picture here.", "2026-01-11"
            ),
            "posts/three.md": post("Three", body="No picture.", date="2026-01-12"),
            "posts/four/index.md": post("Four", body="![A map](map.png)", date="2026-01-13"),
        }
    )
    return add_files(
        root,
        {
            "static/img/default.png": plain("PNG", (1200, 630)),
            "posts/one/a.jpg": plain("JPEG", (1000, 500)),
            "posts/one/b.jpg": plain("JPEG", (600, 400)),
            "posts/two/cover.jpg": plain("JPEG", (2400, 1200)),
            "posts/four/map.png": plain("PNG", (800, 400)),
        },
    )


def test_previews_are_absolute_and_exist(preview_site: Path, build_site) -> None:
    out, _ = build_site(preview_site, jobs=1)
    expected = {
        # image: names the second image, over the first
        "posts/one/index.html": ("posts/one/b.jpg", "image/jpeg", 600, 400, "Second"),
        # image: a file of the bundle, offered at the widest size made
        "posts/two/index.html": ("posts/two/cover-1600w.jpg", "image/jpeg", 1600, 800, None),
        # no picture: the site's
        "posts/three/index.html": ("static/img/default.png", "image/png", 1200, 630, "Test Desk"),
        # the first (Markdown) image
        "posts/four/index.html": ("posts/four/map.png", "image/png", 800, 400, "A map"),
        "index.html": ("static/img/default.png", "image/png", 1200, 630, "Test Desk"),
    }
    for path, (file, kind, width, height, alt) in expected.items():
        tags = meta(page(out, path))
        assert tags == {
            "og:image": BASE + file,
            "og:image:type": kind,
            "og:image:width": str(width),
            "og:image:height": str(height),
            **({"og:image:alt": alt} if alt else {}),
            "twitter:card": "summary_large_image",
        }, path
        assert opened(file_of(out, tags["og:image"])).size == (width, height), path


def test_jsonld_image_publisher_logo_and_author_url(preview_site: Path, build_site) -> None:
    out, _ = build_site(preview_site, jobs=1)
    data = jsonld(page(out, "posts/one/index.html"))
    assert data["image"] == {
        "@type": "ImageObject",
        "url": BASE + "posts/one/b.jpg",
        "width": 600,
        "height": 400,
    }
    logo = opened(out / "static/logo.png")
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Test Desk",
        "logo": {
            "@type": "ImageObject",
            "url": BASE + "static/logo.png",
            "width": logo.width,
            "height": logo.height,
        },
    }
    assert data["author"] == [
        {"@type": "Person", "name": "Test Editor", "url": "https://example.org/about/"}
    ]
    assert jsonld(page(out, "posts/three/index.html"))["image"]["url"] == (
        BASE + "static/img/default.png"
    )


def test_no_preview_means_a_small_card(make_site: Callable[..., Path], build_site) -> None:
    root = make_site({"posts/plain.md": post("Plain")})  # no site.yaml image, no picture
    out, _ = build_site(root, jobs=1)
    for path in ("posts/plain/index.html", "index.html"):
        doc = page(out, path)
        assert meta(doc) == {"twitter:card": "summary"}, path
    assert "image" not in jsonld(page(out, "posts/plain/index.html"))


def test_favicon(make_site: Callable[..., Path], build_site) -> None:
    out, _ = build_site(make_site({"posts/plain.md": post("Plain")}), jobs=1)
    (icon,) = page(out, "posts/plain/index.html").xpath('//link[@rel="icon"]')
    assert (icon.get("href"), icon.get("type")) == ("/static/favicon.svg", "image/svg+xml")
    assert (out / "static/favicon.svg").is_file()
    ico = opened(out / "favicon.ico")
    assert ico.format == "ICO"
    assert ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}


# ------------------------------------------------------------------ 9. feeds


def test_feeds_carry_the_figure_with_absolute_urls(figure_site: Path, build_site) -> None:
    out, _ = build_site(figure_site, jobs=1)
    for name in ("feed.xml", "atom.xml"):
        raw = (out / name).read_text(encoding="utf-8")
        assert "srcset" not in raw and "<picture" not in raw and "&lt;picture" not in raw
        parsed = feedparser.parse(raw)
        assert not parsed.bozo, name
        (entry,) = parsed.entries
        body = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
        imgs = body.xpath(".//figure//img")
        assert [(i.get("src"), i.get("width"), i.get("height")) for i in imgs] == [
            (BASE + "posts/one/farm.jpg", "1000", "500"),
            (BASE + "posts/one/year.png", "300", "200"),
            (BASE + "posts/one/day.jpg", "400", "300"),
        ], name
        assert all(i.get("srcset") is None and i.get("loading") is None for i in imgs)
        caption = " ".join(body.xpath(".//figure")[0].xpath("string(.//figcaption)").split())
        assert caption == (
            "Hougoumont after the battle Credit: Sketch by a witness · Taken June 1815 · "
            "Source: [2] William Siborne B2"
        )
        (link,) = body.xpath(".//figure//span[@class='image-source']/a")
        assert link.get("href") == BASE + "posts/one/#source-siborne"


# ------------------------------------------------------------------ 10. incremental

INCREMENTAL_FRONT = "images:\n  - {id: a, file: a.jpg, alt: A}\n  - {id: b, file: b.png, alt: B}\n"
INCREMENTAL_BODY = "Text.\n\n{{< image a >}}\n\n{{< image b >}}"


def image_mtimes(out: Path) -> dict[str, int]:
    return {
        p.relative_to(out).as_posix(): p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.suffix.lower() in RASTER
    }


@pytest.fixture
def incremental_site(make_site: Callable[..., Path]) -> Path:
    root = make_site({"posts/one/index.md": post("One", INCREMENTAL_FRONT, INCREMENTAL_BODY)})
    return add_files(
        root,
        {
            "posts/one/a.jpg": plain("JPEG", (1000, 500)),
            "posts/one/b.png": plain("PNG", (700, 350)),
        },
    )


def test_unchanged_images_are_never_encoded_again(incremental_site: Path, build_site) -> None:
    root = incremental_site
    out, _ = build_site(root, jobs=1)
    first = encoded(root)
    assert {e for e in first if e.startswith("posts/")} == {
        "posts/one/a.jpg 0.jpeg",
        "posts/one/a.jpg 480.webp",
        "posts/one/a.jpg 480.jpeg",
        "posts/one/a.jpg 960.webp",
        "posts/one/a.jpg 960.jpeg",
        "posts/one/a.jpg 1000.webp",
        "posts/one/b.png 0.png",
        "posts/one/b.png 480.webp",
        "posts/one/b.png 480.png",
        "posts/one/b.png 700.webp",
    }
    assert len(first) == len(set(first))  # each made once
    made = image_mtimes(out)

    imaging.ENCODED.clear()
    build_site(root, jobs=1)  # nothing changed
    assert imaging.ENCODED == []
    assert image_mtimes(out) == made

    index = root / "posts/one/index.md"
    index.write_text(index.read_text().replace("Text.", "Other text."))
    imaging.ENCODED.clear()
    build_site(root, jobs=1)  # the body changed, not the pictures
    assert imaging.ENCODED == []
    assert image_mtimes(out) == made
    assert "Other text." in (out / "posts/one/index.html").read_text()

    add_files(root, {"posts/one/a.jpg": plain("JPEG", (800, 400), BLUE)})
    imaging.ENCODED.clear()
    build_site(root, jobs=1)  # one picture replaced
    assert encoded(root) == [
        "posts/one/a.jpg 0.jpeg",
        "posts/one/a.jpg 480.webp",
        "posts/one/a.jpg 480.jpeg",
        "posts/one/a.jpg 800.webp",
    ]
    now = image_mtimes(out)
    assert {k: v for k, v in now.items() if k.startswith("posts/one/b")} == {
        k: v for k, v in made.items() if k.startswith("posts/one/b")
    }
    assert names(out / "posts/one") == {
        "index.html",
        "a.jpg",
        "a-480w.jpg",
        "a-480w.webp",
        "a-800w.webp",
        "b.png",
        "b-480w.png",
        "b-480w.webp",
        "b-700w.webp",
    }
    (img,) = [
        i
        for i in page(out, "posts/one/index.html").cssselect(".post-body img")
        if i.get("alt") == "A"
    ]
    assert (img.get("src"), img.get("width"), img.get("height")) == (
        "/posts/one/a.jpg",
        "800",
        "400",
    )
    assert opened(out / "posts/one/a.jpg").convert("RGB").getpixel((10, 10))[2] > 150


def test_the_image_cache_serves_a_new_output_and_remakes_damage(
    incremental_site: Path, build_site, tmp_path: Path
) -> None:
    root = incremental_site
    out, _ = build_site(root, jobs=1)
    made = len(imaging.ENCODED)
    cached = sorted((root / ".sitegen-cache/images").iterdir())
    assert len(cached) == made == 17  # one cache file per encode (the site's and the theme's)
    shutil.rmtree(out)
    imaging.ENCODED.clear()
    build_site(root, jobs=1)
    assert imaging.ENCODED == []  # every picture from the cache

    damaged = cached[len(cached) // 2]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    shutil.rmtree(out)
    imaging.ENCODED.clear()
    build_site(root, jobs=1)
    assert len(imaging.ENCODED) == 1  # that one file made again, the rest from the cache
    assert damaged.read_bytes() != bytes(data)

    clean = tmp_path / "clean"
    for part in ("posts", "templates", "static"):
        shutil.copytree(root / part, clean / part)
    shutil.copy2(root / "site.yaml", clean / "site.yaml")
    clean_out = clean / "_site"
    build(clean, BuildOptions(output=clean_out, now=NOW, jobs=1, cache=False))
    assert tree_bytes(out) == tree_bytes(clean_out)


# ------------------------------------------------------------------ 11, 12. static and bundles


def test_static_images_are_published_stripped_at_their_path(
    make_site: Callable[..., Path], build_site
) -> None:
    root = make_site({"posts/plain.md": post("Plain"), "static/img/notes.txt": "as it is\n"})
    sources = {
        "static/img/map.png": secret_image("PNG", (300, 200)),
        "static/img/photo.jpg": secret_image("JPEG", (400, 300), orientation=6),
    }
    add_files(root, sources)
    out, _ = build_site(root, jobs=1)
    assert names(out / "static/img") == {"map.png", "photo.jpg", "notes.txt"}  # no sizes
    assert (out / "static/img/notes.txt").read_text() == "as it is\n"
    png = opened(out / "static/img/map.png")
    assert (png.format, png.size, png.info, png.text) == ("PNG", (300, 200), {}, {})
    assert png.convert("RGB").tobytes() == drawing((300, 200)).tobytes()  # lossless: the pixels
    jpeg = opened(out / "static/img/photo.jpg")
    assert (jpeg.format, jpeg.size) == ("JPEG", (300, 400))  # upright
    assert not jpeg.getexif() and "icc_profile" not in jpeg.info
    for rel in sources:
        data = (out / rel).read_bytes()
        assert [s for s in SECRETS if s in data] == []


def test_bundle_files_beside_the_page_and_the_link_checker(
    make_site: Callable[..., Path], build_site
) -> None:
    body = "See [the data](data.csv), [the notes](notes/readme.txt) and [a table](missing.csv)."
    about = "---\ntitle: About\n---\n![Our office](office.png)\n\nOur [charter](charter.txt).\n"
    root = make_site(
        {
            "posts/one/index.md": post("One", body=body),
            "posts/one/data.csv": "place,lat\nHougoumont,50.6704\n",
            "posts/one/notes/readme.txt": "notes\n",
            "posts/one/.draft.txt": "never published\n",
            "pages/about/index.md": about,
            "pages/about/charter.txt": "charter\n",
        }
    )
    add_files(root, {"pages/about/office.png": plain("PNG", (500, 250))})
    out, result = build_site(root, jobs=1)
    for rel, published in (
        ("posts/one/data.csv", "posts/one/data.csv"),
        ("posts/one/notes/readme.txt", "posts/one/notes/readme.txt"),
        ("pages/about/charter.txt", "about/charter.txt"),
    ):
        assert (out / published).read_bytes() == (root / rel).read_bytes()
    assert not (out / "posts/one/.draft.txt").exists()
    assert names(out / "about") == {
        "index.html",
        "charter.txt",
        "office.png",
        "office-480w.png",
        "office-480w.webp",
        "office-500w.webp",
    }
    (img,) = page(out, "about/index.html").cssselect("main img")
    assert (img.get("src"), img.get("width"), img.get("height")) == (
        "/about/office.png",
        "500",
        "250",
    )
    assert [str(w) for w in result.warnings] == [
        "posts/one/index.md:5: warning: link 'missing.csv' leads to no page or file of the site"
    ]


def test_a_markdown_image_of_a_missing_file_is_a_broken_link(
    make_site: Callable[..., Path], build_site
) -> None:
    root = make_site({"posts/one/index.md": post("One", body="Text.\n\n![A lost map](lost.png)")})
    out, result = build_site(root, jobs=1)
    (img,) = page(out, "posts/one/index.html").cssselect(".post-body img")
    assert dict(img.attrib) == {"src": "/posts/one/lost.png", "alt": "A lost map"}
    assert [str(w) for w in result.warnings] == [
        "posts/one/index.md:7: warning: link 'lost.png' leads to no page or file of the site"
    ]


# ------------------------------------------------------------------ bugs found


def test_a_wide_webp_source_builds(make_site: Callable[..., Path], build_site) -> None:
    front = "images:\n  - {id: still, file: still.webp, alt: A still}\n"
    root = make_site({"posts/one/index.md": post("One", front, "{{< image still >}}")})
    add_files(root, {"posts/one/still.webp": plain("WEBP", (1200, 800))})
    out, _ = build_site(root, jobs=1)
    assert names(out / "posts/one") == {
        "index.html",
        "still.webp",
        "still-480w.webp",
        "still-960w.webp",
    }


def test_a_16_bit_greyscale_png_keeps_its_tones(make_site: Callable[..., Path], build_site) -> None:
    grey = Image.frombytes("I;16", (600, 100), b"\x00\x80" * 600 * 100)  # 32768: mid-grey
    data = io.BytesIO()
    grey.save(data, "PNG")
    root = make_site({"posts/one/index.md": post("One", body="![A relief map](relief.png)")})
    add_files(root, {"posts/one/relief.png": data.getvalue()})
    out, _ = build_site(root, jobs=1)
    for name in ("relief.png", "relief-480w.png", "relief-480w.webp"):
        value = opened(out / "posts/one" / name).convert("L").getpixel((10, 10))
        assert abs(value - 128) <= 2, (name, value)


def test_an_animated_gif_keeps_its_frames(make_site: Callable[..., Path], build_site) -> None:
    frames = [Image.new("RGB", (120, 80), color).convert("P") for color in (RED, BLUE, RED)]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    root = make_site({"posts/one/index.md": post("One", body="![The advance](advance.gif)")})
    add_files(root, {"posts/one/advance.gif": data.getvalue()})
    out, _ = build_site(root, jobs=1)
    for name in ("advance.gif", "advance-120w.webp"):  # the file itself, and its WebP
        with Image.open(out / "posts/one" / name) as published:
            assert published.n_frames == 3, name
            published.seek(1)
            published.load()
            assert published.info.get("duration") == 200, name
            assert "comment" not in published.info and not published.getexif(), name


def test_check_takes_made_sizes_from_the_cache_and_adds_none(
    incremental_site: Path, build_site
) -> None:
    """``sitegen check`` makes every output in memory, images included, but a build's
    cache spares it the encoding; with no cache it encodes and still writes nothing."""
    from sitegen.commands.build import BuildOptions, check

    imaging.ENCODED.clear()
    check(incremental_site, BuildOptions(jobs=1))
    assert {e.split(" ")[0] for e in encoded(incremental_site) if "posts/" in e} == {
        "posts/one/a.jpg",
        "posts/one/b.png",
    }
    assert not (incremental_site / ".sitegen-cache/images").exists()
    build_site(incremental_site, jobs=1)
    imaging.ENCODED.clear()
    check(incremental_site, BuildOptions(jobs=1))
    assert imaging.ENCODED == []
