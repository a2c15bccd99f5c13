"""How a source's outlet or author name sorts on /sources/, and under which initial.

"The Times" sorts as "Times"; "Alexander William Kinglake" as "Kinglake,
Alexander William"; "Duke of Wellington" as "Wellington, Duke of".  A name that
only looks like a person's to these rules is an organisation's ("Financial
Times", "UK Ministry of Defence", "UN OCHA"): 2 to 4 capitalised words, no
digits, none of ``ORGANISATION_WORDS``.  An editor's ``sort_as`` always wins.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A leading article: dropped for sorting ("The Economist" under E).
ARTICLES = frozenset({"the", "a", "an", "al", "el", "le", "la", "les", "der", "die", "das"})

# Words that make a name an organisation's, compared case-insensitively.
ORGANISATION_WORDS = _words(
    """
    institute institution department ministry times news gazette press presse agency agence
    army navy office review journal university council committee service post company
    corporation group international watch rights foundation centre center society association
    bureau command staff forces force government commission network channel radio television
    daily weekly herald tribune telegraph chronicle observer guardian independent monitor
    reporter record courier mail express magazine quarterly bulletin report reports media
    broadcasting party union league federation assembly parliament congress senate court police
    guard brigade battalion regiment division corps headquarters project initiative programme
    program organization organisation bank fund trust museum library archive archives records
    state states republic kingdom nations ltd inc llc gmbh ag sa pravda zeitung gazeta
    радио газета новости агентство министерство служба канал телеканал
    of and for on in at & the
    """
)

# Titles before a name: kept in the heading, left out of the sort key.
HONORIFICS = _words(
    """
    general sir dame lord lady captain capt ensign lieutenant lt colonel col major maj admiral
    marshal sergeant sgt corporal private commander president prime minister dr mr mrs ms
    miss professor prof reverend rev father brother sister saint st king queen prince princess
    emperor empress tsar czar sheikh
    """
)

# "Duke of Wellington" sorts as "Wellington, Duke of".
PEERAGE = _words("duke duchess earl marquess marquis baron count viscount")

# Lower-case particles inside a person's name ("August Neidhardt von Gneisenau").
PARTICLES = _words(
    "von van der den de da di du del della des la le ten ter zu y bin ibn al el dos das"
)

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "junior", "senior"})
_ASCII_NON_WORD = re.compile(r"[^a-z0-9]+")
_ROMAN = re.compile(r"^[IVXLC]+$")
_INITIALS = re.compile(r"^(?:\w\.)+$")
_ARABIC_ARTICLE = re.compile(r"^(?:al|el)-(?=\w)", re.IGNORECASE)  # "al-Assad", "al-Monitor"
_PARENTHESES = re.compile(r"\s*\([^()]*\)\s*$")  # "John Gurwood (ed.)"
OTHER = "#"  # the initial of names starting with a digit, a sign, or an ideograph


@dataclass(frozen=True)
class SortName:
    """``key`` orders names (folded: no case, accents or punctuation); ``heading`` shows it.

    ``heading`` is the name as written, or inverted for a person ("Kinglake,
    Alexander William"); ``letter`` is the initial it is filed under.
    """

    key: str
    heading: str
    letter: str


def _word(word: str) -> str:
    return word.strip(".,;:'\"’").casefold()


def _capitalised(word: str) -> bool:
    """``Kinglake``, ``McDonald``, ``O'Brien``, ``Jean-Paul``, ``J.``, ``J.R.R.``, ``Лев``."""
    if _INITIALS.match(word):
        return word[0].isupper()
    return word[0].isupper() and any(ch.islower() for ch in word)


def _unprefixed(surname: str) -> str:
    """``al-Assad`` -> ``Assad``: the Arabic article is not filed under."""
    return surname[3:] if _ARABIC_ARTICLE.match(surname) else surname


def _person(words: list[str]) -> tuple[list[str], list[str], str, str] | None:
    """(honorifics, given names, surname, suffix) of a person's name, or None."""
    titles = []
    while len(words) > 1 and _word(words[0]) in HONORIFICS:
        titles.append(words.pop(0))
    suffix = ""
    if len(words) > 2 and _word(words[-1]) in SUFFIXES:
        suffix = words.pop()
    if not (2 if not titles else 1) <= len(words) <= 4 or _ROMAN.match(words[-1]):
        return None  # "Napoleon I" and "Henry VIII" sort as written
    for position, word in enumerate(words):
        if any(ch.isdigit() for ch in word) or _word(word) in ORGANISATION_WORDS:
            return None
        last = position == len(words) - 1
        if _capitalised(_unprefixed(word) if last else word):
            continue
        if not (position > 0 and not last and _word(word) in PARTICLES):
            return None
    return titles, words[:-1], words[-1], suffix


def _peer(words: list[str]) -> tuple[str, str] | None:
    """("Wellington", "Duke of") for "Duke of Wellington"."""
    peer = len(words) == 3 and _word(words[0]) in PEERAGE and words[1] == "of"
    return (words[2], f"{words[0]} of") if peer and _capitalised(words[2]) else None


def _invert(name: str) -> tuple[str, str] | None:
    """(sort form, heading) of a person's or peer's name; None for an organisation's."""
    head, _, rest = name.partition(",")
    stripped = _PARENTHESES.sub("", head).strip()
    remark = head[len(stripped) :].strip()  # "(ed.)", "(Todleben)"
    words = stripped.split()
    if not words or words[0].casefold() in ARTICLES:
        return None
    if peer := _peer(words):
        surname, title = peer
        return f"{surname}, {title}", f"{surname}, {title}{' ' + remark if remark else ''}"
    found = _person(list(words))
    if found is None:
        return None
    titles, given, surname, suffix = found
    tail = "".join(f", {part}" for part in (suffix, rest.strip()) if part)
    sort = ", ".join(part for part in (_unprefixed(surname), " ".join(given)) if part) + tail
    shown = " ".join([*titles, *given])
    heading = ", ".join(part for part in (surname, shown) if part) + tail
    return sort, f"{heading} {remark}" if remark else heading


def fold(text: str) -> str:
    """Case, accents and punctuation left out: ``Pélissier, Aimable`` -> ``pelissier aimable``.

    Cyrillic keeps its marks: ``й``, ``ё`` and ``ї`` are letters of their own.
    """
    if text.isascii():  # the common case, the same result by one regex
        return " ".join(_ASCII_NON_WORD.sub(" ", text.replace("'", "").casefold()).split())
    kept, base = [], ""
    for ch in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(ch)
        if category == "Mn":
            if "\u0400" <= base <= "\u04ff":
                kept.append(ch)
        elif ch not in "'’":
            base = ch
            kept.append(ch if category[0] in "LN" else " ")
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).casefold().split())


def initial(key: str) -> str:
    """The letter a folded key is filed under: ``A``-``Z``, another script's letter, or ``#``.

    Every alphabet files under its own letters (``Т``, ``ع``, ``Ω``); a Hangul syllable
    under its leading consonant; an ideograph (thousands of "letters") under ``#``.
    """
    first = key[:1]
    if not first.isalpha():
        return OTHER
    name = unicodedata.name(first, "")
    if name.startswith("HANGUL SYLLABLE"):
        return unicodedata.normalize("NFD", first)[0]
    if "IDEOGRAPH" in name:
        return OTHER
    upper = first.upper()
    return upper if len(upper) == 1 else first


def letter_order(letter: str) -> tuple[int, str]:
    """Latin A-Z first, other scripts by code point, then ``#``."""
    if letter == OTHER:
        return (2, letter)
    return (0, letter) if "A" <= letter <= "Z" else (1, letter)


@functools.lru_cache(maxsize=65536)
def sortable(name: str, sort_as: str | None = None) -> SortName:
    """How ``name`` sorts (``sort_as``, given by an editor, wins) and the heading it gets."""
    if sort_as:
        key = fold(sort_as)
        return SortName(key, name, initial(key))
    inverted = _invert(name)
    if inverted is not None:
        key = fold(inverted[0])
        return SortName(key, inverted[1], initial(key))
    words = name.split()
    if len(words) > 1 and words[0].casefold() in ARTICLES:
        words = words[1:]
    elif words:
        words[0] = _unprefixed(words[0])
    key = fold(" ".join(words)) or fold(name)
    return SortName(key, name, initial(key))
