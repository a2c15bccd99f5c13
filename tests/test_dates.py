"""Dates in zones that kept local mean time: every written moment valid and exact.

Europe/London was -00:01:15 until 1847 and America/New_York -04:56:02 until
1883 (the zone database's local mean time).  HTML's ``datetime``, RFC 3339 and
RFC 822 only carry offsets in whole minutes, so such moments are written in UTC.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html
import pytest
from conftest import SITE_YAML

from sitegen.output.dates import exact, iso

# HTML's "valid global date and time string": a date, "T" or a space, a time (seconds and
# one to three digits of fraction optional), and a time-zone offset ("Z", or +/- hours and
# minutes, the colon optional).
_DATE = r"\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?"
_OFFSET = r"(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)"
HTML_GLOBAL = re.compile(rf"{_DATE}[T ]{_TIME}{_OFFSET}")
# The date-only forms the pages also use (sources dated as precisely as known).
HTML_DATE = re.compile(r"\d{4,}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
# RFC 3339 (Atom, the sitemap, JSON-LD, KML's xsd:dateTime), with seconds.
RFC3339 = re.compile(rf"{_DATE}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
# RFC 822 as RSS 2.0 uses it (four-digit year), with a numeric zone.
RFC822 = re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}")

ZONES = [
    ("Europe/London", "1815-06-18T11:30:00", "18 June 1815, 11:30 LMT"),
    ("America/New_York", "1863-07-03T15:00:00", "3 July 1863, 15:00 LMT"),
]


def _post(date: str) -> str:
    return f"""---
title: Battle
date: {date}
updated: {date[:8]}{int(date[8:10]) + 1:02d}T08:00:00
series: Battle
locations:
  - {{name: Ridge, lat: 40.0, lon: -77.0}}
layers:
  - {{file: line.geojson, title: Line, kind: front-line, as_of: {date}}}
events:
  - {{date: {date}, place: Ridge, text: The attack begins}}
corrections:
  - {{date: "{date[:8]}{int(date[8:10]) + 2:02d}T09:00:00", text: A name was wrong.}}
---
The report.
"""


_LINE = {"type": "LineString", "coordinates": [[-77.0, 40.0], [-77.1, 40.1]]}
_LAYER = {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "properties": {}, "geometry": _LINE}],
}


@pytest.fixture(params=ZONES, ids=[zone for zone, _, _ in ZONES])
def built(request, make_site: Callable[..., Path], build_site) -> tuple[Path, datetime, str]:
    zone, date, header = request.param
    site_yaml = SITE_YAML.replace("timezone: Europe/London", f"timezone: {zone}")
    root = make_site(
        {
            "site.yaml": site_yaml,
            "posts/battle/index.md": _post(date),
            "posts/battle/line.geojson": json.dumps(_LAYER),
        }
    )
    out, _ = build_site(root)
    moment = datetime.fromisoformat(date).replace(tzinfo=ZoneInfo(zone))
    assert moment.utcoffset().seconds % 60  # the zone's offset then had seconds
    return out, moment, header


def test_iso_keeps_whole_minute_offsets_and_writes_others_in_utc() -> None:
    kolkata = datetime(2020, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Kolkata"))
    assert iso(kolkata) == "2020-01-01T09:00:00+05:30" and exact(kolkata) is kolkata
    london = datetime(1815, 6, 18, 11, 30, tzinfo=ZoneInfo("Europe/London"))
    assert iso(london) == "1815-06-18T11:31:15+00:00"
    assert exact(london) == london  # the same instant
    new_york = datetime(1863, 7, 3, 15, 0, tzinfo=ZoneInfo("America/New_York"))
    assert iso(new_york, timespec="seconds") == "1863-07-03T19:56:02+00:00"
    assert iso(datetime(1863, 7, 3, 15, 0)) == "1863-07-03T15:00:00"  # naive: as it is


def test_every_datetime_attribute_is_valid_html(built: tuple[Path, datetime, str]) -> None:
    out, moment, _ = built
    seen = 0
    for page in out.rglob("*.html"):
        for value in lxml.html.fromstring(page.read_bytes()).xpath("//@datetime"):
            assert HTML_GLOBAL.fullmatch(value) or HTML_DATE.fullmatch(value), (page, value)
            seen += 1
    assert seen > 5
    post = lxml.html.fromstring((out / "posts/battle/index.html").read_bytes())
    published = post.cssselect("time.dt-published")[0]
    assert datetime.fromisoformat(published.get("datetime")) == moment
    # What the reader sees stays the editor's local time.
    assert published.text_content() == built[2]
    for selector in ("time.dt-updated", ".corrections time", "ol.events time"):
        value = post.cssselect(selector)[0].get("datetime")
        assert HTML_GLOBAL.fullmatch(value), (selector, value)


def test_structured_data_and_sitemap_are_rfc_3339(built: tuple[Path, datetime, str]) -> None:
    out, moment, _ = built
    post = lxml.html.fromstring((out / "posts/battle/index.html").read_bytes())
    data = json.loads(post.cssselect('script[type="application/ld+json"]')[0].text)
    entries = data.get("@graph", [data]) if isinstance(data, dict) else data
    article = next(e for e in entries if "datePublished" in e)
    assert RFC3339.fullmatch(article["datePublished"])
    assert RFC3339.fullmatch(article["dateModified"])
    assert datetime.fromisoformat(article["datePublished"]) == moment
    meta = post.cssselect('meta[property="article:published_time"]')[0].get("content")
    assert datetime.fromisoformat(meta) == moment and RFC3339.fullmatch(meta)
    sitemap = lxml.etree.parse(str(out / "sitemap.xml"))
    lastmods = sitemap.xpath("//*[local-name()='lastmod']/text()")
    assert lastmods and all(RFC3339.fullmatch(value) for value in lastmods)


def test_feeds_carry_valid_dates_of_the_same_instant(built: tuple[Path, datetime, str]) -> None:
    out, moment, _ = built
    rss = lxml.etree.parse(str(out / "feed.xml"))
    dates = rss.xpath("//item/pubDate/text()") + rss.xpath("//channel/lastBuildDate/text()")
    assert all(RFC822.fullmatch(value) for value in dates), dates
    assert parsedate_to_datetime(rss.xpath("//item/pubDate/text()")[0]) == moment
    atom = lxml.etree.parse(str(out / "atom.xml"))
    stamps = atom.xpath("//*[local-name()='published' or local-name()='updated']/text()")
    assert all(RFC3339.fullmatch(value) for value in stamps), stamps
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        entry = feed.entries[0]
        assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == moment


def test_map_data_is_valid_and_exact(built: tuple[Path, datetime, str]) -> None:
    out, moment, _ = built
    rows = list(csv.DictReader(io.StringIO((out / "events.csv").read_text(encoding="utf-8"))))
    assert datetime.fromisoformat(rows[0]["date"]) == moment and RFC3339.fullmatch(rows[0]["date"])
    situation = json.loads((out / "series/battle/situation.geojson").read_text())
    dates = [f["properties"].get("date") or f["properties"]["as_of"] for f in situation["features"]]
    assert all(RFC3339.fullmatch(d) and datetime.fromisoformat(d) == moment for d in dates)
    kml = lxml.etree.parse(str(out / "series/battle/situation.kml"))
    whens = kml.xpath("//*[local-name()='when']/text()")
    assert whens and all(
        RFC3339.fullmatch(w) and datetime.fromisoformat(w) == moment for w in whens
    )
    places = json.loads((out / "locations.geojson").read_text())
    posted = [p["date"] for f in places["features"] for p in f["properties"].get("posts", [])]
    assert posted and all(
        datetime.fromisoformat(d) == moment and RFC3339.fullmatch(d) for d in posted
    )
