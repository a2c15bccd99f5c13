"""A deterministic benchmark corpus: N SITREP-like posts as a sitegen, a Pelican and a Hugo site.

    python3 benchmarks/corpus.py N DIR [--seed S] [--words W] [--no-pelican] [--no-hugo]

writes into DIR (which must be empty or absent) a complete sitegen site:

    DIR/site.yaml          registries of ~40 sources and ~60 places (Cyrillic and
                           Arabic local names), taxonomies theaters and actors
    DIR/templates/         copied from the repository
    DIR/static/            copied from the repository
    DIR/posts/YYYY/*.md    N posts of about W words (default 1,500) using every
                           front-matter field of the post format

and, beside it, the same Markdown bodies as a Pelican site and as a Hugo site:

    DIR-pelican/pelicanconf.py
    DIR-pelican/content/*.md   Pelican's metadata header (Title, Date, Tags,
                               Category, Slug, Summary) + the same body
    DIR-hugo/hugo.toml, DIR-hugo/layouts/   a minimal theme of its own (corpus_hugo.py)
    DIR-hugo/content/posts/YYYY/*.md        Hugo front matter + the same body

Citations (``[@id]``) are left in the Pelican and Hugo bodies as literal text;
quote embeds (``{{< quote id >}}``) are literal for Pelican and a shortcode of the
Hugo theme.  The others are measured on Markdown and templating.

Up to 10,000 posts are one every ~17 hours back from mid-2025 (10,000 span 19
years); a larger corpus spans a decade, several posts a day (27 a day at 100,000),
as a long-running conflict desk would publish.

Everything comes from one ``random.Random(seed)`` and built-in word lists
(corpus_data.py), so the same N and seed give byte-identical files.  Only the
standard library is used.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # its sibling modules, however loaded

import corpus_hugo
import corpus_pelican
from corpus_data import (
    ACTORS,
    ASSESSMENTS,
    AUTHORS,
    CONTENT_WORDS,
    DESCRIPTION,
    EXTRA_LAYOUTS,
    FUNCTION_WORDS,
    INLINE_PLACES,
    LOCAL_OUTLETS,
    NOTE_KINDS,
    PLACES,
    REGIONS,
    SERIES_KINDS,
    SOURCES,
    SPEAKERS,
    TAGS,
)

REPO = Path(__file__).resolve().parent.parent
BASE_URL = "https://bench.example.org/"
SITE_TITLE = "Bench Desk: Conflict SITREPs"
SITE_AUTHOR = "The Bench Desk"
TIMEZONE = "Europe/Kyiv"
POSTS_PER_PAGE = 10
FEED_LENGTH = 20
LAST_POST = datetime(2025, 6, 30, 18, 0)  # every post is in the past: none is skipped as future
# Up to SPREAD_UNTIL posts: one every SPACING days (the corpus of the earlier figures, kept
# byte-identical); beyond, the posts span DECADE days, several a day.
SPACING = 0.7
SPREAD_UNTIL = 10_000
DECADE = 3652.5


def spacing(n: int) -> float:
    """Days between two consecutive posts of an ``n``-post corpus."""
    return SPACING if n <= SPREAD_UNTIL else DECADE / n


# ------------------------------------------------------------------ text


class Writer:
    """Sentences, paragraphs and names from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool = FUNCTION_WORDS * 3 + CONTENT_WORDS

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.pool, k=n)

    def sentence(self, names: list[str], low: int = 9, high: int = 28) -> str:
        rng = self.rng
        words = self.words(rng.randint(low, high))
        if names and rng.random() < 0.55:
            words.insert(rng.randrange(len(words)), rng.choice(names))
        if len(words) > 12 and rng.random() < 0.5:
            at = rng.randrange(4, len(words) - 3)
            words[at] += ","
        if rng.random() < 0.06:
            at = rng.randrange(len(words))
            words[at] = f"*{words[at].rstrip(',')}*"
        elif rng.random() < 0.04:
            at = rng.randrange(len(words) - 1)
            words[at] = f"**{words[at].rstrip(',')}"
            words[at + 1] = words[at + 1].rstrip(",") + "**"
        if rng.random() < 0.07:
            words.append(f"({rng.randint(2, 95)} km)")
        text = " ".join(words).rstrip(",")
        return text[0].upper() + text[1:] + "."

    def paragraph(self, names: list[str], cites: list[str], low: int = 3, high: int = 6) -> str:
        rng = self.rng
        sentences = [self.sentence(names) for _ in range(rng.randint(low, high))]
        if cites:
            for _ in range(rng.randint(1, 2)):
                at = rng.randrange(len(sentences))
                sentences[at] = sentences[at][:-1] + " " + self.citation(cites) + "."
        return " ".join(sentences)

    def citation(self, cites: list[str]) -> str:
        picked = self.rng.sample(cites, k=min(len(cites), self.rng.choice([1, 1, 1, 2, 2, 3])))
        return "[" + "; ".join(f"@{c}" for c in picked) + "]"

    def phrase(self, low: int = 3, high: int = 6) -> str:
        words = self.rng.choices(CONTENT_WORDS, k=self.rng.randint(low, high))
        return " ".join(w.capitalize() for w in words)


def count_words(text: str) -> int:
    return len(text.split())


# ------------------------------------------------------------------ posts


def ystr(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def ylist(values: list[str]) -> str:
    return "[" + ", ".join(ystr(v) for v in values) + "]"


def ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Corpus:
    def __init__(self, n: int, seed: int, words: int) -> None:
        self.n = n
        self.spacing = spacing(n)
        self.rng = random.Random(seed)
        self.words = words
        self.text = Writer(self.rng)
        self.places = {p[0]: p for p in PLACES}
        self.by_region: dict[str, list[str]] = {}
        for pid, *_rest, region in PLACES:
            self.by_region.setdefault(region, []).append(pid)
        self.inline_by_region: dict[str, list[tuple]] = {}
        for place in INLINE_PLACES:
            self.inline_by_region.setdefault(place[-1], []).append(place)
        self.sources_by_region: dict[str, list[str]] = {}
        for sid, *_rest, region in SOURCES:
            self.sources_by_region.setdefault(region, []).append(sid)
        # 50 series, each tied to a distinct registry place.
        anchors = self.rng.sample([p[0] for p in PLACES], k=50)
        self.series = []
        for i, pid in enumerate(anchors):
            name = SERIES_KINDS[i % len(SERIES_KINDS)].format(self.places[pid][1])
            self.series.append((name, pid))
        self.series_next = [1] * len(self.series)
        self.note_next = [1] * len(NOTE_KINDS)

    # -- site.yaml

    def site_yaml(self) -> str:
        out = [
            "# Benchmark corpus written by benchmarks/corpus.py; regenerate, do not edit.",
            f"title: {ystr(SITE_TITLE)}",
            f"description: {ystr(DESCRIPTION)}",
            f"base_url: {ystr(BASE_URL)}",
            f"author: {ystr(SITE_AUTHOR)}",
            "language: en",
            f"timezone: {TIMEZONE}",
            f"posts_per_page: {POSTS_PER_PAGE}",
            f"feed_length: {FEED_LENGTH}",
            "output: _site",
            "taxonomies: [theaters, actors]",
            "map:",
            f"  tiles: {ystr('https://tile.openstreetmap.org/{z}/{x}/{y}.png')}",
            f"  attribution: {ystr('&copy; OpenStreetMap contributors')}",
            "sources:",
        ]
        for sid, name, url, rel, cred, _region in SOURCES:
            fields = [f"name: {ystr(name)}"]
            if url:
                fields.append(f"url: {ystr(url)}")
            fields += [f"reliability: {rel}", f"credibility: {ystr(cred)}"]
            out.append(f"  {sid}: {{{', '.join(fields)}}}")
        out.append("places:")
        for pid, name, local, lat, lon, _region in PLACES:
            out.append(
                f"  {pid}: {{name: {ystr(name)}, local_name: {ystr(local)}, "
                f"lat: {lat}, lon: {lon}}}"
            )
        return "\n".join(out) + "\n"

    # -- one post

    def post(self, i: int) -> dict:
        rng = self.rng
        # dates: newest LAST_POST, spacing(n) apart (10,000 posts span ~19 years, more a decade)
        when = LAST_POST - timedelta(days=(self.n - 1 - i) * self.spacing)
        minute = rng.randrange(0, 60, 5)  # drawn always: the same sequence for every n
        if self.spacing >= 1 / 24:  # a post an hour or fewer: a minute of its own in its hour
            when = when.replace(minute=minute, second=0, microsecond=0)
        else:  # several an hour: keep their order, to the minute
            when = when.replace(second=0, microsecond=0)
        in_series = rng.random() < 0.6
        if in_series:
            s = rng.randrange(len(self.series))
            series, anchor = self.series[s]
            index = self.series_next[s]
            self.series_next[s] += 1
            region = self.places[anchor][-1]
        else:
            series = None
            anchor = rng.choice(PLACES)[0]
            region = self.places[anchor][-1]
        words = self.text.phrase(2, 4)
        where = rng.choice(["near", "at", "around", "north of", "south of", "east of", "west of"])
        town = self.places[rng.choice(self.by_region[region])][1]
        headline = f"{words} {where} {town}"
        if series:
            title = f"{series} SITREP {index}: {headline}"
        else:
            k = rng.randrange(len(NOTE_KINDS))
            title = f"{NOTE_KINDS[k]} {self.note_next[k]}: {headline}"
            self.note_next[k] += 1
        explicit_slug = rng.random() < 0.25
        if explicit_slug:
            slug = f"{ascii_slug(series)}-sitrep-{index}" if series else f"note-{i + 1}"
        else:
            slug = ascii_slug(title)
        fm: list[str] = ["---", f"title: {ystr(title)}"]
        subtitle = None
        if rng.random() < 0.6:
            subtitle = self.text.sentence([], 8, 16)[:-1]
            fm.append(f"subtitle: {ystr(subtitle)}")
        style = rng.randrange(3)
        if style == 0:
            offset = rng.choice([2, 3])
            date = f"{when.strftime('%Y-%m-%dT%H:%M:%S')}+0{offset}:00"
        elif style == 1:
            date = when.strftime("%Y-%m-%d %H:%M:%S")
        else:
            date = when.strftime("%Y-%m-%d")
        fm.append(f"date: {date}")
        updated = None
        if rng.random() < 0.2:
            later = when + timedelta(hours=rng.randint(3, 60))
            updated = f"{later.strftime('%Y-%m-%dT%H:%M:%S')}Z"
            fm.append(f"updated: {updated}")
        if explicit_slug:
            fm.append(f"slug: {slug}")
        who = rng.random()
        authors = []  # none: the site's author
        if who < 0.5:
            authors = [rng.choice(AUTHORS)]
            fm.append(f"author: {ystr(authors[0])}")
        elif who < 0.8:
            authors = rng.sample(AUTHORS, k=2)
            fm.append(f"authors: {ylist(authors)}")
        if rng.random() < 0.1:
            fm.append("draft: false")
        if series:
            fm.append(f"series: {ystr(series)}")
            fm.append(f"series_index: {index}")
        tags = rng.sample(TAGS, k=rng.randint(2, 6))
        if anchor not in tags and rng.random() < 0.5:
            tags.append(anchor)
        fm.append(f"tags: {ylist(tags)}")
        theaters = rng.sample(REGIONS[region], k=min(len(REGIONS[region]), rng.randint(1, 2)))
        fm.append(f"theaters: {ylist(theaters)}")
        actors = rng.sample(ACTORS[region], k=rng.randint(1, 4))
        fm.append(f"actors: {ylist(actors)}")
        summary = None
        if rng.random() < 0.4:
            summary = " ".join(self.text.sentence([], 12, 24) for _ in range(2))
            fm.append(f"summary: {ystr(summary)}")

        # sources: registry ids, registry overrides, inline mappings
        pool = self.sources_by_region["any"] + self.sources_by_region.get(region, [])
        chosen = rng.sample(pool, k=rng.randint(3, 7))
        source_ids = []
        fm.append("sources:")
        for sid in chosen:
            source_ids.append(sid)
            if rng.random() < 0.7:
                fm.append(f"  - {sid}")
            else:
                fm.append(f"  - id: {sid}")
                fm.append(f"    title: {ystr(self.text.phrase(4, 8))}")
                fm.append(
                    f"    url: {ystr(f'https://bench.example.net/{sid}/{when:%Y/%m/%d}/{i}')}"
                )
                fm.append(f"    published: {(when - timedelta(days=rng.randint(0, 3))):%Y-%m-%d}")
                if rng.random() < 0.5:
                    fm.append(f"    credibility: {ystr(str(rng.randint(1, 5)))}")
        for k in range(rng.randint(1, 3)):
            sid = f"local-{k + 1}"
            source_ids.append(sid)
            fm.append(f"  - id: {sid}")
            outlet = f"{rng.choice(LOCAL_OUTLETS)} {self.text.phrase(1, 2)}"
            fm.append(f"    name: {ystr(outlet)}")
            fm.append(f"    title: {ystr(self.text.phrase(3, 7))}")
            if rng.random() < 0.7:
                fm.append(f"    url: {ystr(f'https://t.example.net/{sid}/{i}')}")
                if rng.random() < 0.5:
                    fm.append(
                        f"    archive_url: {ystr(f'https://archive.example.net/{when:%Y%m%d}/{sid}/{i}')}"
                    )
            fm.append(f"    published: {when:%Y-%m-%d}")
            fm.append(f"    reliability: {rng.choice('BCDEF')}")
            fm.append(f"    credibility: {ystr(str(rng.randint(2, 6)))}")

        quote_ids = []
        quotes: list[dict[str, str]] = []  # id, text and speaker, for the Hugo site
        fm.append("quotes:")
        for k in range(rng.randint(1, 3)):
            qid = f"q{k + 1}-{rng.choice(CONTENT_WORDS)}"
            quote_ids.append(qid)
            quotes.append({"id": qid, "text": self.text.sentence([], 10, 30)})
            fm.append(f"  - id: {qid}")
            fm.append(f"    text: {ystr(quotes[-1]['text'])}")
            if rng.random() < 0.8:
                quotes[-1]["speaker"] = rng.choice(SPEAKERS)
                fm.append(f"    speaker: {ystr(quotes[-1]['speaker'])}")
            if rng.random() < 0.85:
                fm.append(f"    source: {rng.choice(source_ids)}")

        names = []
        fm.append("locations:")
        local_places = self.by_region[region]
        count = min(len(local_places), rng.randint(1, 3))
        picked = [anchor, *rng.sample(local_places, k=count)]
        for pid in dict.fromkeys(picked):
            fm.append(f"  - {pid}")
            names.append(self.places[pid][1])
        if rng.random() < 0.5 and region in self.inline_by_region:
            for name, local, lat, lon, _r in rng.sample(
                self.inline_by_region[region], k=min(2, len(self.inline_by_region[region]))
            )[: rng.randint(1, 2)]:
                fm.append(f"  - name: {ystr(name)}")
                fm.append(f"    local_name: {ystr(local)}")
                fm.append(f"    lat: {lat}")
                fm.append(f"    lon: {lon}")
                names.append(name)
        if rng.random() < 0.1:
            fm.append("corrections:")
            fm.append(f"  - date: {(when + timedelta(days=1)):%Y-%m-%d}")
            text = "An earlier version " + self.text.sentence(names, 8, 18).lower()
            fm.append(f"    text: {ystr(text)}")
        if rng.random() < 0.1:
            fm.append(f"id: {ystr(f'tag:bench.example.org,{when.year}:post-{i + 1}')}")
        if rng.random() < 0.1:
            fm.append(f"aliases: [/{when:%Y/%m/%d}/old-{i + 1}/]")
        if rng.random() < 0.2:
            layout = rng.choice(EXTRA_LAYOUTS)
            zoom = rng.randint(6, 11)
            fm.append(f"extra: {{hero: map-{i + 1}.png, layout: {layout}, zoom: {zoom}}}")
        fm.append("---")
        body = self.body(names, source_ids, quote_ids, region)
        return {
            "i": i,
            "when": when,
            "title": title,
            "slug": slug,
            "series": series,
            "index": index if series else None,
            "subtitle": subtitle,
            "date": date,
            "updated": updated,
            "authors": authors,
            "tags": tags,
            "theaters": theaters,
            "actors": actors,
            "summary": summary,
            "quotes": quotes,
            "front": "\n".join(fm) + "\n",
            "body": body,
        }

    def body(self, names: list[str], cites: list[str], quotes: list[str], region: str) -> str:
        rng, t = self.rng, self.text
        target = rng.randint(int(self.words * 0.85), int(self.words * 1.15))
        blocks = [f"**Bottom line:** {t.paragraph(names, cites, 3, 4)}", "## Situation"]
        blocks += [t.paragraph(names, cites) for _ in range(2)]
        blocks.append("## Key developments")
        items = []
        for _ in range(rng.randint(4, 7)):
            items.append(
                f"- **{rng.choice(names)}:** {t.sentence(names)[:-1]} {t.citation(cites)}."
            )
        blocks.append("\n".join(items))
        blocks.append(f"{{{{< quote {quotes[0]} >}}}}")
        blocks.append("## By sector")
        sectors = list(dict.fromkeys(names))[:3]
        for name in sectors:
            blocks.append(f"### {name} axis")
            blocks.append(t.paragraph(names, cites))
        for qid in quotes[1:]:
            blocks.append(f"{{{{< quote {qid} >}}}}")
            blocks.append(t.paragraph(names, cites, 2, 4))
        blocks.append("## Losses and claims")
        blocks.append(t.paragraph(names, cites, 2, 3))
        rows = ["| Claim | Source | Figure | Assessment |", "|---|---|---|---|"]
        for _ in range(rng.randint(4, 6)):
            rows.append(
                f"| {t.phrase(2, 4)} | [@{rng.choice(cites)}] | {rng.randint(2, 400)} "
                f"| {rng.choice(ASSESSMENTS)} |"
            )
        blocks.append("\n".join(rows))
        blocks.append(f"{t.paragraph(names, cites, 2, 4)} {t.sentence(names)[:-1]}[^1].")
        blocks.append("## Assessment")
        words = sum(count_words(b) for b in blocks) + 60  # the outlook and footnote below
        while words < target:
            p = t.paragraph(names, cites)
            if rng.random() < 0.3:
                url = f"https://bench.example.org/maps/{rng.randint(1, 999)}/"
                p += f" See the [map update]({url}) for details."
            blocks.append(p)
            words += count_words(p)
        blocks.append("## Outlook")
        blocks.append(
            "\n".join(f"{k}. {t.sentence(names, 8, 16)}" for k in range(1, rng.randint(3, 5) + 1))
        )
        blocks.append(f"[^1]: {t.sentence(names, 10, 20)}")
        return "\n\n".join(blocks) + "\n"


# ------------------------------------------------------------------ writing


class _Files:
    """Writes text files with LF line ends, making each directory once (100,000 posts)."""

    def __init__(self) -> None:
        self.made: set[Path] = set()

    def write(self, path: Path, text: str) -> None:
        if path.parent not in self.made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(path.parent)
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy files by content only (mtimes are those of the copy)."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


def pelican_dir(site: Path) -> Path:
    return site.parent / f"{site.name}-pelican"


def hugo_dir(site: Path) -> Path:
    return site.parent / f"{site.name}-hugo"


def generate(
    n: int,
    site: Path,
    seed: int = 1,
    words: int = 1500,
    pelican: bool = True,
    hugo: bool = False,
) -> list[str]:
    """Write the corpus; returns the site-relative paths of the posts, in order.

    The paths of the Pelican and Hugo copies of a post follow from it: ``pelican_path``,
    ``hugo_path``.
    """
    targets = [site] + [pelican_dir(site)] * pelican + [hugo_dir(site)] * hugo
    for target in targets:
        if target.exists() and any(target.iterdir()):
            raise SystemExit(f"corpus: {target} is not empty; choose a new directory")
    corpus = Corpus(n, seed, words)
    files = _Files()
    files.write(site / "site.yaml", corpus.site_yaml())
    _copy_tree(REPO / "templates", site / "templates")
    _copy_tree(REPO / "static", site / "static")
    pel, hug = pelican_dir(site), hugo_dir(site)
    if pelican:
        corpus_pelican.write_config(
            pel, BASE_URL.rstrip("/"), TIMEZONE, FEED_LENGTH, POSTS_PER_PAGE
        )
    if hugo:
        corpus_hugo.write_site(hug, REPO / "static", files.write, HUGO_SETTINGS)
    rels = []
    for i in range(n):
        post = corpus.post(i)
        rel = f"posts/{post['when'].year}/{post['slug']}.md"
        files.write(site / rel, post["front"] + post["body"])
        if pelican:
            files.write(pel / pelican_path(rel), corpus_pelican.pelican_file(post))
        if hugo:
            files.write(hug / hugo_path(rel), corpus_hugo.hugo_file(post))
        rels.append(rel)
    return rels


def pelican_path(rel: str) -> str:
    """Where the post at ``rel`` in the sitegen site is in the Pelican site."""
    return f"content/{Path(rel).name}"


def hugo_path(rel: str) -> str:
    """Where the post at ``rel`` in the sitegen site is in the Hugo site."""
    return f"content/{rel}"


HUGO_SETTINGS = {
    "base_url": BASE_URL,
    "title": SITE_TITLE,
    "description": DESCRIPTION,
    "author": SITE_AUTHOR,
    "timezone": TIMEZONE,
    "per_page": POSTS_PER_PAGE,
    "feed_length": FEED_LENGTH,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of posts")
    parser.add_argument("dir", type=Path, help="the site directory to create (empty or absent)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--words", type=int, default=1500, help="mean words per post (default 1500)"
    )
    parser.add_argument("--no-pelican", action="store_true", help="do not write DIR-pelican")
    parser.add_argument("--no-hugo", action="store_true", help="do not write DIR-hugo")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be 1 or more")
    pelican, hugo = not args.no_pelican, not args.no_hugo
    generate(args.n, args.dir, args.seed, args.words, pelican=pelican, hugo=hugo)
    others = [str(pelican_dir(args.dir))] * pelican + [str(hugo_dir(args.dir))] * hugo
    print(f"wrote {args.n} posts into {args.dir}" + "".join(f" and {o}" for o in others))
    return 0


if __name__ == "__main__":
    sys.exit(main())
