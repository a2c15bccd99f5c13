"""``/locations.geojson``: every place as an RFC 7946 Point, with the posts naming it."""

from __future__ import annotations

import hashlib
import json

from sitegen.index import urls
from sitegen.index.site import Site
from sitegen.index.urls import Links
from sitegen.model import OutputFile, listings


def geojson(site: Site, links: Links, salt: bytes = b"") -> OutputFile:
    """Made only when a place, or what it shows of a post naming it, changed."""
    h = hashlib.blake2b(digest_size=16, key=salt[:64])
    h.update(links.absolute("").encode())
    for entry in site.places:
        h.update(repr(entry.place).encode("utf-8", "surrogatepass"))
        h.update(listings(entry.posts))
    return OutputFile("locations.geojson", h.hexdigest(), lambda: _collection(site, links))


def _collection(site: Site, links: Links) -> bytes:
    features = [
        {
            "type": "Feature",
            "id": entry.place.key,
            "geometry": {"type": "Point", "coordinates": [entry.place.lon, entry.place.lat]},
            "properties": {
                "name": entry.place.name,
                "local_name": entry.place.local_name,
                "url": links.absolute(urls.section("locations", entry.place.key)),
                "posts": [
                    {
                        "title": post.title,
                        "url": links.absolute(urls.post(post.slug)),
                        "date": post.date.isoformat(),
                    }
                    for post in entry.posts
                ],
            },
        }
        for entry in site.places
    ]
    data = {"type": "FeatureCollection", "features": features}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")
