"""Reading places (site registry and front matter) and the script of their local names."""

from __future__ import annotations

import re
import unicodedata

from sitegen.errors import Problems
from sitegen.model import Place
from sitegen.read.fields import Fields, describe
from sitegen.read.slugs import slugify
from sitegen.read.yamlio import YamlMap

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
