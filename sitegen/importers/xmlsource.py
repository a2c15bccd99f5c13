"""Reading an export file safely and telling which kind of export it is.

Exports come from elsewhere, so the XML parser resolves no entities and fetches
nothing (no XXE, no billion laughs); big WordPress exports need ``huge_tree``.
Every failure is a :class:`~sitegen.errors.ContentError` naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from sitegen.errors import ContentError, Problem, UsageError

ATOM = "http://www.w3.org/2005/Atom"
BLOGGER_2018 = "http://schemas.google.com/blogger/2018"
BLOGGER_KIND = "http://schemas.google.com/blogger/2008/kind#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

# Characters XML 1.0 forbids; old WordPress exports are known to contain them.
_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: NUL bytes are half of it
        return raw, 0
    cleaned, count = _ILLEGAL.subn(b"", raw)
    return cleaned, count


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
