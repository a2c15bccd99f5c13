"""Which URLs sitegen publishes, decided the way browsers read them.

One reading for every check (the importer's links and images, the warnings about
raw HTML in posts), so that no spelling gets past one check that another refuses.
A browser reads a URL attribute in two steps:

1. HTML decodes character references in the attribute (``&#106;``, ``&colon;``,
   ``&#x0D;``, with or without ``;``);
2. the URL parser (WHATWG URL Standard, "basic URL parser") strips leading and
   trailing C0 control characters and spaces, removes every ASCII tab, LF and CR
   anywhere, and takes as the scheme what comes before the first ``:`` if that
   is an ASCII letter followed by letters, digits, ``+``, ``-`` or ``.``, in any
   case; anything else is a relative URL.

So ``java&#13;script:``, `` JaVa&#x09;Script:`` and ``&#14; javascript:`` are
all ``javascript:``.  Old browsers also skipped other control characters
(``java\\0script:``); such a URL is refused as well, although today's browsers
read it as a relative path.

Allowed: relative URLs (``/posts/x/``, ``../a.png``, ``#notes``, ``?page=2``),
``http:`` and ``https:``, and the schemes the HTML Standard lets any page hand
to another program (its "safelisted schemes": ``mailto:``, ``tel:``, ``sms:``,
``geo:``, ``ftp:`` ...); none of them runs code in the page.  ``data:`` only as
an image (``<img src>``, ``srcset``, ``<video poster>``): as a link or frame it
can carry a page with script.  Everything else (``javascript:``, ``vbscript:``,
``livescript:``, ``data:text/html``, unknown schemes) is refused.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

# fmt: off
SCHEMES = frozenset({
    "http", "https",
    # HTML Standard, "safelisted schemes" (registerProtocolHandler)
    "bitcoin", "ftp", "ftps", "geo", "im", "irc", "ircs", "magnet", "mailto", "matrix",
    "mms", "news", "nntp", "openpgp4fpr", "sftp", "sip", "sms", "smsto", "ssh", "tel",
    "urn", "webcal", "wtai", "xmpp",
})
# Attributes whose whole value is one URL (HTML, SVG and the old presentational ones).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "data", "poster", "cite", "background",
    "longdesc", "lowsrc", "dynsrc", "xlink:href", "manifest", "codebase", "icon",
    "profile", "usemap", "itemtype", "code",
})
# fmt: on
_LISTS = frozenset({"ping", "archive"})  # URLs separated by spaces (archive: or commas)
_PARAMS = frozenset({"movie", "src", "url", "dataurl", "filename", "href", "code"})
_SRCSETS = frozenset({"srcset", "imagesrcset"})
_IMAGES = {("img", "src"), ("img", "srcset"), ("source", "srcset"), ("video", "poster")}
_ANIMATIONS = frozenset({"set", "animate"})  # SVG: ``to="javascript:..."`` on an href
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_SKIPPED_BY_OLD_BROWSERS = re.compile(r"[\x00-\x1f\x7f\xad\ufffd]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_REFRESH_URL = re.compile(r"""[;,][\s;,]*(?:url\s*=\s*)?['"]?([^;,'"]*)""", re.I)


def read(value: str, *, references: bool = False) -> str:
    """The URL as a browser's URL parser goes on to read it; ``references``: ``value`` is
    still HTML source, whose character references HTML decodes first."""
    if references:
        value = html.unescape(value)
    return _TAB_OR_NEWLINE.sub("", value.strip(_C0_OR_SPACE))


def scheme(url: str) -> str | None:
    """The scheme of a URL read by :func:`read`, in lower case; None for a relative URL."""
    found = _SCHEME.match(url)
    return found.group(1).lower() if found else None


def refused(value: str, *, references: bool = False, image: bool = False) -> str | None:
    """The scheme for which ``value`` is refused (``javascript``), or None: it is allowed.

    ``image``: the URL is one an image is loaded from, where ``data:image/...`` is allowed.
    """
    url = read(value, references=references)
    for name in (scheme(url), scheme(_SKIPPED_BY_OLD_BROWSERS.sub("", url))):
        if name is None or name in SCHEMES:
            continue
        if name == "data" and image and url[5:].lstrip(_C0_OR_SPACE).lower().startswith("image/"):
            continue
        return name
    return None


def allowed(value: str, *, references: bool = False, image: bool = False) -> bool:
    return refused(value, references=references, image=image) is None


def is_image(tag: str, attribute: str) -> bool:
    """Whether the attribute names the URL of an image (``data:image/...`` allowed)."""
    return (tag.lower(), attribute.lower()) in _IMAGES


def srcset(value: str) -> list[str]:
    """The URLs of a ``srcset`` (HTML's parsing: a URL ends at white space, or at trailing
    commas; descriptors run to the next comma), so ``data:`` URLs keep their commas."""
    urls: list[str] = []
    at, end = 0, len(value)
    while at < end:
        while at < end and (value[at].isspace() or value[at] == ","):
            at += 1
        start = at
        while at < end and not value[at].isspace():
            at += 1
        url = value[start:at]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth = 0
            while at < end and (value[at] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[at], 0)
                at += 1
        if url:
            urls.append(url)
    return urls


def element_urls(
    tag: str, attributes: Iterable[tuple[str, str | None]]
) -> Iterator[tuple[str, str]]:
    """(attribute, URL) for every URL an element's attributes hold (values decoded)."""
    tag = tag.lower()
    given = [(name.lower(), value) for name, value in attributes if value]
    named = dict(given)
    for name, value in given:
        if name in URL_ATTRIBUTES:
            yield name, value
        elif name in _SRCSETS:
            yield from ((name, url) for url in srcset(value))
        elif name in _LISTS:
            yield from ((name, url) for url in re.split(r"[\s,]+", value) if url)
        elif tag == "param" and name == "value" and named.get("name", "").lower() in _PARAMS:
            yield name, value
        elif tag == "meta" and name == "content" and _is_refresh(named):
            yield from ((name, m.group(1)) for m in _REFRESH_URL.finditer(value))
        elif tag in _ANIMATIONS and name in ("to", "from", "values") and _on_link(named):
            yield from ((name, url) for url in value.split(";"))


def _is_refresh(named: dict[str, str]) -> bool:
    return named.get("http-equiv", "").strip().lower() == "refresh"


def _on_link(named: dict[str, str]) -> bool:
    return "href" in named.get("attributename", "").lower()
