"""Slugs: Unicode-preserving, path-safe, stable.

sitegen keeps letters of every script in URLs (``/tags/حلب/``,
``/locations/севастополь/``) rather than transliterating: transliteration of
Arabic or Cyrillic is lossy and ambiguous, and browsers show Unicode paths as
text.  Files on disk use the NFC form; links are percent-encoded UTF-8.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

MAX_LENGTH = 80

_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)


_ASCII_NON_WORD = re.compile("[^a-z0-9]+")


def _is_word(ch: str) -> bool:
    """Letters, digits and combining marks of any script (marks matter for Arabic, Hindi)."""
    return unicodedata.category(ch)[0] in "LNM"


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A path segment made from any text; never empty, never unsafe (cached: names repeat)."""
    if text.isascii():  # the common case, the same result by one regex
        slug = _ASCII_NON_WORD.sub("-", text.casefold()).strip("-")
    else:
        norm = unicodedata.normalize("NFKC", text).casefold()
        slug = "".join(ch if _is_word(ch) else "-" for ch in norm)
        slug = re.sub("-{2,}", "-", slug).strip("-")
    if len(slug) > MAX_LENGTH:
        cut = slug[:MAX_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    slug = unicodedata.normalize("NFC", slug)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if slug.split(".")[0] in _WINDOWS_RESERVED:
        slug += "-1"
    return slug


def explicit_slug_problem(slug: str) -> str | None:
    """Why an editor-given slug is unsafe as one path segment, or None if it is fine."""
    if not slug:
        return "must not be empty"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in slug):
        return "must not contain control characters"
    if "/" in slug or "\\" in slug:
        return "must be one path segment (no '/' or '\\')"
    if slug in (".", "..") or ".." in slug:
        return "must not contain '..'"
    if not _is_word(slug[0]) or not all(_is_word(ch) or ch in "-_.~" for ch in slug):
        return (
            "may contain only letters, digits, '-', '_', '.' and '~', "
            "starting with a letter or digit"
        )
    if slug.split(".")[0].lower() in _WINDOWS_RESERVED:
        return "is a reserved file name on Windows"
    if len(slug) > 200:
        return "must be at most 200 characters"
    return None
