"""``/locations.geojson``: every place as an RFC 7946 Point, with the posts naming it."""

from __future__ import annotations

import json

from sitegen.index import urls
from sitegen.index.site import Site
from sitegen.index.urls import Links
from sitegen.output.dates import iso
from sitegen.output.outputs import Inputs, Output


def geojson(site: Site, links: Links) -> Output:
    """Made from the places and what lists show of the posts naming each."""
    view = repr([(entry.place, len(entry.posts)) for entry in site.places])
    listed = tuple(post for entry in site.places for post in entry.posts)
    inputs = Inputs("geojson", view, listed=listed, theme=False)
    return Output("locations.geojson", inputs, lambda: _collection(site, links))


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
                        "date": iso(post.date),
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
