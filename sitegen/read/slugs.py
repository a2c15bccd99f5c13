"""Slugs: Unicode-preserving, path-safe, stable.

sitegen keeps letters of every script in URLs (``/tags/حلب/``,
``/locations/севастополь/``) rather than transliterating: transliteration of
Arabic or Cyrillic is lossy and ambiguous, and browsers show Unicode paths as
text.  Files on disk use the NFC form; links are percent-encoded UTF-8.

A slug is a folder name of the output (``posts/<slug>/index.html``), so it must
be a name every file system takes: at most :data:`MAX_BYTES` bytes of UTF-8
(file systems count a name's bytes, 255 at most: 200 Arabic letters are 400),
and no name Windows reserves (``CON``, ``com1.txt``, ``LPT¹``, a final ``.``).
An editor's slug that breaks a rule is an error; a slug made from a title or a
name is shortened or altered until it keeps them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

MAX_LENGTH = 80  # characters of a slug made from a title or a name: a readable URL
# Bytes of UTF-8 in any slug: a file name holds 255, and the rest leaves room for
# what is added to a slug (an importer's ``-2``, ``.md``).
MAX_BYTES = 200

# Windows refuses these as file names, with any extension and in any case
# (Microsoft's "Naming Files, Paths, and Namespaces" lists the superscript digits too).
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789¹²³"]
)


_ASCII_NON_WORD = re.compile("[^a-z0-9]+")


def _is_word(ch: str) -> bool:
    """Letters, digits and combining marks of any script (marks matter for Arabic, Hindi)."""
    return unicodedata.category(ch)[0] in "LNM"


def is_reserved(name: str) -> bool:
    """A name Windows will not create: a device name (before any extension)."""
    return name.split(".")[0].casefold() in _WINDOWS_RESERVED


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A path segment made from any text; never empty, never unsafe (cached: names repeat).

    Two texts may give one slug (``C++`` and ``C``, two long titles that start
    alike, ``CON`` and ``con-1``): the indexes decide what that means.
    """
    if text.isascii():  # the common case, the same result by one regex
        slug = _ASCII_NON_WORD.sub("-", text.casefold()).strip("-")
    else:
        norm = unicodedata.normalize("NFKC", text).casefold()
        slug = "".join(ch if _is_word(ch) else "-" for ch in norm)
        slug = unicodedata.normalize("NFC", re.sub("-{2,}", "-", slug).strip("-"))
    slug = _shortened(slug)
    if not slug:
        slug = "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    if is_reserved(slug):
        slug += "-1"
    return slug


def _shortened(slug: str) -> str:
    """At most MAX_LENGTH characters and MAX_BYTES bytes, cut before a word where it can.

    The cut falls between characters, never inside one's UTF-8 bytes, and never
    between a letter and its combining marks (an Arabic vowel sign, a Hindi matra).
    """
    if len(slug) <= MAX_LENGTH and (slug.isascii() or len(slug.encode()) <= MAX_BYTES):
        return slug
    end = size = 0
    for ch in slug[:MAX_LENGTH]:
        size += len(ch.encode())
        if size > MAX_BYTES:
            break
        end += 1
    while 0 < end < len(slug) and unicodedata.category(slug[end])[0] == "M":
        end -= 1
    cut = slug[:end]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


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
    if is_reserved(slug):
        return "is a reserved file name on Windows"
    if slug.endswith("."):
        return "must not end with '.' (Windows drops it from file names)"
    if (size := len(slug.encode())) > MAX_BYTES:
        return (
            f"is {size} bytes long in UTF-8; a slug may be at most {MAX_BYTES} bytes "
            "(a file name holds 255)"
        )
    return None
