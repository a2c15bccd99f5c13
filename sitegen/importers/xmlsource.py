"""Reading an export file safely and telling which kind of export it is.

Exports come from elsewhere, so the XML parser resolves no entities and fetches
nothing (no XXE, no billion laughs); big WordPress exports need ``huge_tree``.
Every failure is a :class:`~sitegen.errors.ContentError` naming the file and line.

A file that declares no encoding is UTF-8 by the XML rules, but old feeds saved
from Russian or Hebrew blogs are often KOI8-R or windows-1255 with no word of it;
read as UTF-8 they fail, and read leniently they turn into mojibake.  Such a
file's encoding is detected with charset-normalizer and its text re-encoded as
UTF-8 before any parser sees it, and the report says so.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer
from lxml import etree

from sitegen.errors import ContentError, Problem, UsageError

ATOM = "http://www.w3.org/2005/Atom"
BLOGGER_2018 = "http://schemas.google.com/blogger/2018"
BLOGGER_KIND = "http://schemas.google.com/blogger/2008/kind#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# Characters XML 1.0 forbids; old WordPress exports are known to contain them.
_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# An XML declaration that names an encoding; the file then says what it is.
_DECLARED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml\b[^>]*?\sencoding\s*=")
# The starts of a file in UTF-16 or UTF-32, with a byte-order mark or, as the XML rules
# allow, without one (then it starts '<?'): NUL bytes are part of every character there.
_WIDE = (
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_BE,
    b"\x00<\x00?",
    b"<\x00?\x00",
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
)


def read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if not path.is_file():
        raise UsageError(f"{path}: not a file (give the export file itself)")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None


def error(path: Path, message: str, line: int = 0) -> ContentError:
    """One ``path:line: message`` problem; parser messages may quote whole lines of input."""
    message = " ".join(message.split())
    if len(message) > 300:
        message = message[:297] + "..."
    return ContentError([Problem(str(path), line, "", message)])


def strip_illegal(raw: bytes) -> tuple[bytes, int]:
    """The bytes without XML-illegal control characters, and how many there were."""
    if raw.startswith(_WIDE):
        return raw, 0
    cleaned, count = _ILLEGAL.subn(b"", raw)
    return cleaned, count


def prepare(raw: bytes) -> tuple[bytes, tuple[str, ...]]:
    """The bytes the parsers are given, and what was changed on the way, for the report."""
    raw, illegal = strip_illegal(raw)
    raw, encoding = undeclared_to_utf8(raw)
    notes = []
    if illegal:
        notes.append(f"removed {illegal} control character(s) that XML does not allow")
    if encoding:
        notes.append(
            f"the file declares no encoding and is not UTF-8; its text was read as {encoding} "
            "(detected from the text), so check that the imported text reads right"
        )
    return raw, tuple(notes)


def undeclared_to_utf8(raw: bytes) -> tuple[bytes, str | None]:
    """UTF-8 bytes of a file that declares no encoding and is not UTF-8, and the encoding
    detected; a file that declares one (or has a byte-order mark), or is UTF-8, as it is."""
    if raw.startswith((codecs.BOM_UTF8, *_WIDE)) or _DECLARED.match(raw) or b"\x00" in raw:
        return raw, None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return raw, None
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    if sum(ch > "\x7f" for ch in text) - broken > broken:
        # UTF-8 with a few broken bytes (the parser reports them, with their line): a
        # detector would take it for a Latin encoding and garble every other character.
        return raw, None
    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        return raw, None  # no text encoding fits: the parser reports the bytes where it breaks
    return str(best).encode("utf-8"), _shown(best.encoding)


def _shown(codec: str) -> str:
    """The name people know an encoding by: ``KOI8-R``, ``windows-1255``."""
    name = codecs.lookup(codec).name.replace("_", "-")
    windows = re.match(r"cp(125\d)$", name)
    return f"windows-{windows.group(1)}" if windows else name.upper()


def parse(raw: bytes, path: Path) -> etree._Element:
    """The document's root element, or an error with the line where the XML breaks."""
    if not raw.strip():
        raise error(path, "the file is empty; expected a WordPress, Blogger or RSS/Atom export")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        message = " ".join((exc.msg or "not well-formed").split())
        message = message if len(message) <= 160 else message[:157] + "..."
        if re.match(rb"\s*(<!doctype html|<html)", raw[:200], re.I):
            message = "this is an HTML page, not an export or feed"
        elif re.search(rb"<(rss|feed|rdf:RDF)\b", raw[:4096]):
            message += " (if this is a feed, --from feed reads it leniently)"
        raise error(path, f"not well-formed XML: {message}", line) from None
    if root is None:
        raise error(path, "no XML document found")
    return root


def local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return etree.QName(tag).namespace or "" if isinstance(tag, str) else ""


def is_wordpress_ns(uri: str | None) -> bool:
    return (
        bool(uri) and re.match(r"^https?://wordpress\.org/export/\d+\.\d+/$", uri or "") is not None
    )


def detect(root: etree._Element, path: Path) -> str:
    """``wordpress``, ``blogger`` or ``feed`` from the document itself (never the file name)."""
    tag = local(root.tag)
    if tag == "rss":
        channel = root.find("channel")
        scopes = [root] if channel is None else [root, channel]
        uris = {uri for el in scopes for uri in (el.nsmap or {}).values()}
        return "wordpress" if any(is_wordpress_ns(uri) for uri in uris) else "feed"
    if tag == "feed" and namespace(root.tag) == ATOM:
        generator = root.findtext(f"{{{ATOM}}}generator") or ""
        feed_id = root.findtext(f"{{{ATOM}}}id") or ""
        kinds = root.xpath(
            "a:entry/a:category[starts-with(@term, $kind)]",
            namespaces={"a": ATOM},
            kind=BLOGGER_KIND,
        )
        typed = root.find(f"{{{ATOM}}}entry/{{{BLOGGER_2018}}}type")
        if kinds or typed is not None or (generator == "Blogger" and "blogger.com" in feed_id):
            return "blogger"
        return "feed"
    if tag == "RDF" and namespace(root.tag) == RDF:
        return "feed"
    raise error(
        path,
        f"not a WordPress, Blogger or RSS/Atom export (the document is <{tag}>)",
    )
