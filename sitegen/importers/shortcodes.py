"""WordPress editor text: shortcodes and oEmbed lines as HTML, and video links.

WordPress stores bodies as editor text with shortcodes (``[caption]``,
``[embed]``, ``[video]``); before the HTML converter (:mod:`html2md`) sees a
body they become the HTML it knows, or are dropped and reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

# -- videos -----------------------------------------------------------------------

_YOUTUBE_HOSTS = {"youtube.com", "youtube-nocookie.com"}
_VIMEO_HOSTS = {"vimeo.com", "player.vimeo.com"}
_VIDEO_ID = re.compile(r"^[\w-]{6,}$")


@dataclass(frozen=True)
class Video:
    service: str
    url: str


def video(src: str | None) -> Video | None:
    """The public page of a YouTube or Vimeo video from any of its embed or watch URLs."""
    if not src:
        return None
    src = src.strip()
    if src.startswith("//"):
        src = "https:" + src
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        match = re.match(r"^/(?:embed/|v/|shorts/|live/)?([\w-]+)", parts.path)
        video_id = None
        if host == "youtu.be" and match:
            video_id = match.group(1)
        elif parts.path == "/watch" and query.get("v"):
            video_id = query["v"][0]
        elif (match and match.group(1) == "videoseries" and query.get("list")) or (
            parts.path == "/playlist" and query.get("list")
        ):
            return Video("YouTube", f"https://www.youtube.com/playlist?list={query['list'][0]}")
        elif match and re.match(r"^/(?:embed|v|shorts|live)/", parts.path):
            video_id = match.group(1)
        if not video_id or not _VIDEO_ID.match(video_id):
            return None
        url = f"https://www.youtube.com/watch?v={video_id}"
        start = (query.get("start") or query.get("t") or [""])[0].rstrip("s")
        return Video("YouTube", url + (f"&t={start}s" if start.isdigit() else ""))
    if host in _VIMEO_HOSTS:
        match = re.search(r"/(?:video/)?(\d+)(?:/|$)", parts.path)
        return Video("Vimeo", f"https://vimeo.com/{match.group(1)}") if match else None
    return None


# -- WordPress editor text ------------------------------------------------------------

_SHORTCODE = re.compile(
    r"\[(?P<name>caption|wp_caption|embed|youtube|vimeo|video|audio|gallery|playlist|"
    r"contact-form|contact-form-7|instagram|tweet|googlemaps|slideshow)\b(?P<attrs>[^\]]*)\]"
    r"(?:(?P<content>.*?)\[/(?P=name)\])?",
    re.S | re.I,
)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|"([^"]*)"|(\S+)""")
_CAPTION_IMAGE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.I)
_BARE_URL_LINE = re.compile(r"(?m)^[ \t]*(https?://[^\s<>\"']+)[ \t]*$")
_MEDIA_ATTRS = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "ogg", "wav", "m4a")


def _attrs(text: str) -> tuple[dict[str, str], list[str]]:
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ATTR.finditer(text.lstrip("= ")):
        key, double, single, bare, quoted, word = match.groups()
        if key:
            named[key.lower()] = next(v for v in (double, single, bare) if v is not None)
        else:
            positional.append(quoted if quoted is not None else word)
    return named, positional


def _link_html(url: str, text: str | None = None) -> str:
    found = video(url)
    if found:
        url, text = found.url, text or f"Video on {found.service}"
    label = html.escape(text or url, quote=False)
    return f'\n\n<p><a href="{html.escape(url)}">{label}</a></p>\n\n'


def wordpress_html(text: str, dropped: Callable[[str], None]) -> str:
    """WordPress shortcodes and oEmbed URL lines turned into HTML the converter knows."""

    def shortcode(match: re.Match[str]) -> str:
        name = match.group("name").lower()
        named, positional = _attrs(match.group("attrs") or "")
        content = match.group("content") or ""
        if name in ("caption", "wp_caption"):
            found = _CAPTION_IMAGE.match(content)
            if not found:
                return content
            caption = found.group(2).strip() or named.get("caption", "")
            figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
            return f"\n\n<figure>{found.group(1)}{figcaption}</figure>\n\n"
        if name in ("embed", "youtube", "vimeo"):
            url = (
                content.strip() or named.get("url") or named.get("id") or next(iter(positional), "")
            )
            if name == "vimeo" and url.isdigit():
                url = f"https://vimeo.com/{url}"
            if url.startswith(("http://", "https://", "//")):
                return _link_html(url)
        if name in ("video", "audio"):
            # [audio src="..."], [audio mp3="..."]; WordPress.com's [audio https://...|titles=...]
            bare = [word.split("|", 1)[0] for word in positional]
            given = [named.get(k, "") for k in _MEDIA_ATTRS] + bare + [content.strip()]
            url = next((u for u in given if u), "")
            if url:
                return _link_html(url, "Video" if name == "video" else "Audio")
        dropped(f"the WordPress shortcode [{name}]")
        return ""

    text = _SHORTCODE.sub(shortcode, text)
    return _BARE_URL_LINE.sub(lambda m: _link_html(m.group(1)), text)
