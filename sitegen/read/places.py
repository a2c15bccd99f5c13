"""Reading places (site registry and front matter) and the script of their local names.

A place's page is ``/locations/<key>/``, the key being the slug of its registry
id or of its name: so ``Aleppo`` and ``aleppo`` are one place.  Two definitions
of one place must agree on where it is, to within :data:`SAME_PLACE_M`; further
apart they are an error (the site's map would show one where the other is meant).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping

from sitegen.errors import Problems
from sitegen.model import Place
from sitegen.read.fields import Fields, describe
from sitegen.read.slugs import slugify
from sitegen.read.yamlio import YamlMap

# Two definitions of one place may differ by this much (a rounded coordinate, another map).
SAME_PLACE_M = 100
PLACE_FIELDS = ("name", "local_name", "local_lang", "lat", "lon")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

# A script's usual language, used when the editor gives no ``local_lang``;
# right-to-left scripts also set ``dir="rtl"``.
_SCRIPTS = {
    "ARABIC": ("ar", "rtl"),
    "HEBREW": ("he", "rtl"),
    "SYRIAC": ("syr", "rtl"),
    "THAANA": ("dv", "rtl"),
    "CYRILLIC": ("ru", "ltr"),
    "GREEK": ("el", "ltr"),
    "ARMENIAN": ("hy", "ltr"),
    "GEORGIAN": ("ka", "ltr"),
    "HANGUL": ("ko", "ltr"),
    "HIRAGANA": ("ja", "ltr"),
    "KATAKANA": ("ja", "ltr"),
    "CJK": ("zh", "ltr"),
    "DEVANAGARI": ("hi", "ltr"),
    "THAI": ("th", "ltr"),
}
_RTL_LANGS = {"ar", "he", "fa", "ur", "ps", "ku", "syr", "dv", "yi", "ckb"}


def script_of(text: str) -> tuple[str | None, str | None]:
    """The (language, direction) suggested by the first letter of a known script."""
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for script, found in _SCRIPTS.items():
            if name.startswith(script):
                return found
    return None, None


def read_place(
    data: YamlMap, problems: Problems, prefix: str, key: str | None = None
) -> Place | None:
    fields = Fields(data, problems, prefix)
    fields.check_keys(PLACE_FIELDS)
    name = fields.text("name", required=True)
    local_name = fields.text("local_name")
    local_lang = fields.text("local_lang")
    lat = fields.number("lat", low=-90, high=90, required=True)
    lon = fields.number("lon", low=-180, high=180, required=True)
    if local_lang and not _LANG.match(local_lang):
        fields.error(
            "local_lang", f"{describe(local_lang)} is not a language tag like 'ar' or 'uk'"
        )
        local_lang = None
    if name is None or lat is None or lon is None:
        return None
    local_dir = None
    if local_name:
        guessed_lang, local_dir = script_of(local_name)
        if local_lang:
            local_dir = "rtl" if local_lang.split("-")[0].lower() in _RTL_LANGS else "ltr"
        local_lang = local_lang or guessed_lang
    return Place(
        key=key or slugify(name),
        name=name,
        lat=lat,
        lon=lon,
        local_name=local_name,
        local_lang=local_lang if local_name else None,
        local_dir=local_dir,
    )


def read_registry_place(data: YamlMap, problems: Problems, where: str, key: str) -> Place | None:
    return read_place(data, problems, where, key=slugify(key))


def distance_m(a: Place, b: Place) -> float:
    """Great-circle distance in metres (haversine), enough to tell one village from its namesake."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000.0 * math.asin(math.sqrt(min(1.0, h)))


def apart(a: Place, b: Place) -> float | None:
    """How far apart two definitions of one place are, if beyond SAME_PLACE_M; else None."""
    if a.lat == b.lat and a.lon == b.lon:  # the usual case, without the trigonometry
        return None
    metres = distance_m(a, b)
    return metres if metres > SAME_PLACE_M else None


def how_far(metres: float) -> str:
    return f"{metres:,.0f} m" if metres < 1000 else f"{metres / 1000:,.1f} km"


def registry_problems(
    places: Mapping[str, Place], data: YamlMap, problems: Problems, prefix: str
) -> None:
    """Registry ids that make one place (``Aleppo``, ``aleppo``) but put it in two spots."""
    first: dict[str, str] = {}
    for ident, place in places.items():
        other = first.setdefault(place.key, ident)
        if other != ident and (metres := apart(places[other], place)) is not None:
            problems.error(
                data.line_of(ident),
                f"{prefix}.{ident}",
                f"is the place /locations/{place.key}/, as {other!r} is (line "
                f"{data.line_of(other)}), but {how_far(metres)} away from it (more than "
                f"{SAME_PLACE_M} m); give one an id of its own (e.g. '{place.key}-district')",
            )
