"""Slugs every file system takes, and numbers read as YAML 1.2 writes them (issue 19)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, post_text

from sitegen.commands.build import BuildOptions, check
from sitegen.errors import ContentError
from sitegen.read.slugs import MAX_BYTES, explicit_slug_problem, slugify

Make = Callable[..., Path]

CJK_B = "\U00020000"  # a letter of four bytes in UTF-8 (CJK Extension B)
ARABIC = "\u062d"  # ح: two bytes


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        check(root, BuildOptions(now=NOW, cache=False))
    return [str(p) for p in caught.value.problems]


# -- length in bytes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "size"),
    [(ARABIC * 200, 400), (ARABIC * 101, 202), (CJK_B * 51, 204), ("a" * 201, 201)],
    ids=["200-arabic", "101-arabic", "4-byte", "ascii"],
)
def test_an_explicit_slug_longer_than_a_file_name_allows_is_an_error(
    make_site: Make, slug: str, size: int
) -> None:
    root = make_site({"posts/a.md": post_text("A", slug=slug)})
    shown = repr(slug if len(slug) <= 60 else slug[:57] + "...")  # as messages shorten it
    assert problems_of(root) == [
        f"posts/a.md:4: slug: {shown} is {size} bytes long in UTF-8; "
        "a slug may be at most 200 bytes (a file name holds 255)"
    ]


def test_an_explicit_slug_of_200_bytes_is_fine() -> None:
    assert explicit_slug_problem(ARABIC * 100) is None
    assert explicit_slug_problem(CJK_B * 50) is None


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (CJK_B * 100, CJK_B * 50),  # 400 bytes: cut to 200, four bytes a letter
        ("ab" + CJK_B * 100, "ab" + CJK_B * 49),  # never inside a letter's bytes
        (ARABIC * 200, ARABIC * 80),  # 80 letters, 160 bytes
        (" ".join([ARABIC * 9] * 20), " ".join([ARABIC * 9] * 8).replace(" ", "-")),
    ],
    ids=["4-byte", "boundary", "arabic", "words"],
)
def test_a_derived_slug_is_cut_to_fit(title: str, expected: str) -> None:
    slug = slugify(title)
    assert slug == expected
    assert len(slug.encode()) <= MAX_BYTES


def test_a_derived_slug_keeps_a_letter_with_its_marks() -> None:
    """Cut at 80 characters, a letter would lose its vowel sign: the letter goes too."""
    cluster = "\u0628\u064e\u0651"  # ب with fatha and shadda: three characters, one letter
    slug = slugify(cluster * 40)
    assert slug == cluster * 26  # 78 characters, not 80 ending in a bare ب and fatha
    assert unicodedata.normalize("NFC", slug) == slug


def test_a_long_four_byte_title_makes_paths_a_file_system_takes(make_site: Make) -> None:
    root = make_site({"posts/a.md": post_text(CJK_B * 100, tags=f"[{CJK_B * 90}]")})
    _, plan = check(root, BuildOptions(now=NOW, cache=False)).held
    paths = {item.path for item in plan.outputs}
    assert f"posts/{CJK_B * 50}/index.html" in paths
    assert f"tags/{CJK_B * 50}/index.html" in paths
    assert max(len(part.encode()) for path in paths for part in path.split("/")) == 200


# -- names Windows reserves -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("com¹", "'com¹' is a reserved file name on Windows"),
        ("LPT³.html", "'LPT³.html' is a reserved file name on Windows"),
        ("com0", "'com0' is a reserved file name on Windows"),
        ("Lpt9", "'Lpt9' is a reserved file name on Windows"),
        ("abc.", "'abc.' must not end with '.' (Windows drops it from file names)"),
    ],
    ids=["com-superscript", "lpt-superscript", "com0", "lpt9", "trailing-dot"],
)
def test_a_reserved_explicit_slug_is_an_error(make_site: Make, slug: str, message: str) -> None:
    root = make_site({"posts/a.md": post_text("A", slug=slug)})
    assert problems_of(root) == [f"posts/a.md:4: slug: {message}"]


@pytest.mark.parametrize(
    ("title", "slug"),
    [("COM¹", "com1-1"), ("lpt0", "lpt0-1"), ("Aux", "aux-1"), ("nul.", "nul-1"), ("abc.", "abc")],
)
def test_a_reserved_derived_slug_is_altered(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert explicit_slug_problem(slug) is None


def test_an_alias_with_a_reserved_or_dotted_part_is_an_error(make_site: Make) -> None:
    root = make_site({"posts/a.md": post_text("A", aliases="['/com²/x/', '/old./']")})
    assert problems_of(root) == [
        "posts/a.md:4: aliases[0]: '/com²/x/' has an unsafe part 'com²': "
        "is a reserved file name on Windows",
        "posts/a.md:4: aliases[1]: '/old./' has an unsafe part 'old.': "
        "must not end with '.' (Windows drops it from file names)",
    ]


# -- numbers --------------------------------------------------------------------------------


def place_site(make_site: Make, lat: str) -> Path:
    place = f"\n  - name: Aleppo\n    lat: {lat}\n    lon: 37.13"
    return make_site({"posts/a.md": post_text("A", locations=place)})


@pytest.mark.parametrize("lat", ["1_0", "1:30", "0x1A", "0o12", "0b1", ".inf", "١٠", "1e", "nan"])
def test_what_yaml_1_1_or_python_read_as_a_number_is_not_one(make_site: Make, lat: str) -> None:
    assert problems_of(place_site(make_site, lat)) == [
        f"posts/a.md:6: locations[0].lat: expected a number, got {lat!r}"
    ]


@pytest.mark.parametrize(
    ("lat", "value"), [("010", 10.0), ("-1.5", -1.5), ("+.5", 0.5), ("1e1", 10.0), ("3.", 3.0)]
)
def test_yaml_1_2_decimal_numbers_are_numbers(make_site: Make, lat: str, value: float) -> None:
    result = check(place_site(make_site, lat), BuildOptions(now=NOW, cache=False))
    content, _ = result.held
    assert [entry.place.lat for entry in content.site.places] == [value]


@pytest.mark.parametrize("given", ["1_0", "0x10", "٣"])
def test_whole_numbers_are_decimal_digits(make_site: Make, given: str) -> None:
    root = make_site(
        {"site.yaml": f"title: T\nbase_url: https://e.org/\nposts_per_page: {given}\n"}
    )
    assert problems_of(root) == [
        f"site.yaml:3: posts_per_page: expected a whole number, got {given!r}"
    ]
