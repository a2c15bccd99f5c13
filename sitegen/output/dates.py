"""Moments as the formats sitegen writes can carry them: offsets in whole minutes.

The zone database gives places their local mean time before they adopted a
standard time (Europe/London until 1847 is -00:01:15, America/New_York until
1883 is -04:56:02), so a post dated 1815 in Europe/London has an offset with
seconds.  HTML's ``datetime`` (a valid global date and time string), RFC 3339
(Atom, the sitemap's W3C date, JSON-LD, KML's ``xsd:dateTime``) and RFC 822
(RSS) only have ``±HH:MM`` or ``±HHMM``.  Rounding the offset would move the
instant, so such a moment is written in UTC instead: the same instant, exactly.
What readers see (the post's header) keeps the editor's local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def exact(value: datetime) -> datetime:
    """``value``, or the same instant in UTC if its offset is not a whole number of minutes."""
    offset = value.utcoffset()
    if offset is None or offset % timedelta(minutes=1) == timedelta(0):
        return value
    return value.astimezone(UTC)


def iso(value: datetime, timespec: str = "auto") -> str:
    """RFC 3339 (and HTML's global date and time): ``value`` as written, or in UTC (above)."""
    return exact(value).isoformat(timespec=timespec)
