"""The Hugo site of the benchmark corpus: hugo.toml, a minimal theme of its own, one post's file.

Hugo gets the same Markdown bodies as sitegen, with Hugo front matter: title,
subtitle, date, lastmod, slug, authors, summary, the quotes, and the taxonomies
tags, series, theaters and actors.  The theme renders about what sitegen's pages
hold, so that both do comparable work per page:

- a post: series kicker, title, subtitle, byline (date, authors, reading time),
  the body with its quotes (``{{< quote id >}}`` is a shortcode of this theme,
  rendering the quote from the front matter), tags, theaters, actors, and the
  series' previous and next post; ``data-pagefind-body`` marks the post for
  Pagefind, as in sitegen's theme, so the Pagefind CLI indexes the posts only;
- the home page paginated by 10 (``/page/N/``), as sitegen's;
- one page per term listing all its posts (title, subtitle, byline, summary), with
  an RSS feed of its 20 newest posts in full; the list of each taxonomy's terms;
- the whole site's RSS feed (20 posts in full), a sitemap, robots.txt, a 404 page.

Citations (``[@id]``) stay literal text; sitegen's sources, places, maps and
archive pages have no Hugo counterpart here.  Markdown as sitegen's: tables,
footnotes, heading ids, raw HTML kept; no typographer or autolinks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


def _y(value: object) -> str:
    """A YAML flow value (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def hugo_file(post: dict) -> str:
    """The post as a Hugo content file: YAML front matter and the same body."""
    fm = ["---", f"title: {_y(post['title'])}"]
    if post["subtitle"]:
        fm.append(f"subtitle: {_y(post['subtitle'])}")
    fm.append(f"date: {_y(post['date'])}")  # sitegen's form: with offset, naive, or a bare date
    if post["updated"]:
        fm.append(f"lastmod: {_y(post['updated'])}")
    fm.append(f"slug: {_y(post['slug'])}")
    if post["authors"]:
        fm.append(f"authors: {_y(post['authors'])}")
    if post["series"]:
        fm.append(f"series: {_y([post['series']])}")
        fm.append(f"series_index: {post['index']}")
    fm.append(f"tags: {_y(post['tags'])}")
    fm.append(f"theaters: {_y(post['theaters'])}")
    fm.append(f"actors: {_y(post['actors'])}")
    if post["summary"]:
        fm.append(f"summary: {_y(post['summary'])}")
    fm.append("quotes:")
    fm += [f"  - {_y(quote)}" for quote in post["quotes"]]
    fm.append("---")
    return "\n".join(fm) + "\n" + post["body"]


def hugo_toml(settings: dict) -> str:
    return f"""# Hugo settings for the benchmark corpus (written by benchmarks/corpus.py).
baseURL = {_y(settings["base_url"])}
locale = "en"
capitalizeListTitles = false  # term names as written
title = {_y(settings["title"])}
timeZone = {_y(settings["timezone"])}
enableRobotsTXT = true
# No page listing all posts at once (sitegen has none): the home page is the paginated list.
disableKinds = ["section"]

[params]
description = {_y(settings["description"])}
author = {_y(settings["author"])}
iso = "2006-01-02T15:04:05-07:00"  # the layouts' date formats
human = "2 January 2006, 15:04"

[pagination]
pagerSize = {settings["per_page"]}

[permalinks.page]
posts = "/posts/:slug/"

[taxonomies]
tag = "tags"
series = "series"
theater = "theaters"
actor = "actors"

[outputs]
home = ["html", "rss"]
page = ["html"]
taxonomy = ["html"]
term = ["html", "rss"]

[services.rss]
limit = {settings["feed_length"]}

[markup.goldmark.renderer]
unsafe = true

[markup.goldmark.extensions]
linkify = false
strikethrough = false
taskList = false

[markup.goldmark.extensions.typographer]
disable = true
"""


BASEOF = """<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{- $description := site.Params.description }}
{{- if .IsPage }}{{ $description = .Summary | plainify | truncate 200 }}{{ end }}
<meta name="description" content="{{ $description }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with site.Home.OutputFormats.Get "rss" -}}
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ .Permalink }}">
{{ end -}}
{{ if not .IsHome }}{{ with .OutputFormats.Get "rss" -}}
<link rel="alternate" type="application/rss+xml" title="{{ $.Title }}" href="{{ .Permalink }}">
{{ end }}{{ end -}}
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ $description }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
{{ if .IsPage -}}
<meta property="article:published_time" content="{{ .Date.Format site.Params.iso }}">
{{ range .Params.tags }}<meta property="article:tag" content="{{ . }}">
{{ end }}{{ end -}}
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
</head>
<body class="kind-{{ .Kind }}">
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="wrap">
    <a class="site-title" href="{{ "/" | relURL }}">{{ site.Title }}</a>
    <nav class="site-nav" aria-label="Sections">
      <ul>
        {{- range $plural, $terms := site.Taxonomies }}
        <li><a href="{{ printf "/%s/" $plural | relURL }}">{{ $plural | title }}</a></li>
        {{- end }}
      </ul>
    </nav>
  </div>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap"><p>{{ site.Title }}</p></div></footer>
</body>
</html>
"""

BYLINE = """<p class="byline">
  <time datetime="{{ .Date.Format site.Params.iso }}">{{ .Date.Format site.Params.human }}</time>
  {{- $authors := .Params.authors | default (slice site.Params.author) }}
  <span class="authors">by {{ delimit $authors ", " }}</span>
  <span class="reading-time">{{ .ReadingTime }} min read</span>
  {{ if ne .Lastmod .Date }}<span class="updated">Updated
    <time datetime="{{ .Lastmod.Format site.Params.iso }}">
    {{- .Lastmod.Format site.Params.human }}</time></span>{{ end }}
</p>
"""

CARD = """<article class="card">
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  {{ with .Params.subtitle }}<p class="card-subtitle">{{ . }}</p>{{ end }}
  {{ partial "byline.html" . }}
  <p class="card-summary">{{ .Summary | plainify }}</p>
</article>
"""

PAGE = """{{ define "main" }}
{{- $series := index (.GetTerms "series") 0 }}
<article class="post h-entry" data-pagefind-body>
  <header class="post-header">
    {{ with $series }}<p class="kicker"><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
      {{- with $.Params.series_index }} · SITREP {{ . }}{{ end }}</p>{{ end }}
    <h1 class="p-name">{{ .Title }}</h1>
    {{ with .Params.subtitle }}<p class="subtitle">{{ . }}</p>{{ end }}
    {{ partial "byline.html" . }}
  </header>
  <div class="post-body e-content">
  {{ .Content }}
  </div>
  <footer class="post-footer">
    {{ range $taxonomy := slice "tags" "theaters" "actors" }}{{ with $.GetTerms $taxonomy }}
    <p class="terms"><span class="terms-label">{{ $taxonomy | title }}:</span>
      {{ range $i, $term := . }}{{ if $i }}, {{ end -}}
      <a href="{{ $term.RelPermalink }}">{{ $term.LinkTitle }}</a>{{ end }}
    </p>
    {{ end }}{{ end }}
    {{ with $series }}
    <nav class="series-nav" aria-label="{{ .LinkTitle }}">
      <p><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>:
        part {{ $.Params.series_index }} of {{ len .Pages }}</p>
      <ul>
        {{ with .Pages.Prev $ }}<li class="previous"><a rel="prev" href="{{ .RelPermalink }}">
          <span>Previous</span> {{ .Title }}</a></li>{{ end }}
        {{ with .Pages.Next $ }}<li class="next"><a rel="next" href="{{ .RelPermalink }}">
          <span>Next</span> {{ .Title }}</a></li>{{ end }}
      </ul>
    </nav>
    {{ end }}
  </footer>
</article>
{{ end }}
"""

HOME = """{{ define "main" }}
{{- $pager := .Paginate site.RegularPages }}
<h1>{{ site.Title }}</h1>
<ol class="post-list">
  {{- range $pager.Pages }}
  <li>{{ partial "card.html" . }}</li>
  {{- end }}
</ol>
<nav class="pagination">
  {{ with $pager.Prev }}<a rel="prev" href="{{ .URL }}">Newer</a>{{ end }}
  <span>Page {{ $pager.PageNumber }} of {{ $pager.TotalPages }}</span>
  {{ with $pager.Next }}<a rel="next" href="{{ .URL }}">Older</a>{{ end }}
</nav>
{{ end }}
"""

TERM = """{{ define "main" }}
<p class="kicker"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
<h1>{{ .Title }}</h1>
{{ with .OutputFormats.Get "rss" -}}
<p class="feed-link"><a href="{{ .RelPermalink }}">Follow {{ $.Title }} by RSS</a></p>
{{- end }}
<ol class="post-list">
  {{- range .Pages }}
  <li>{{ partial "card.html" . }}</li>
  {{- end }}
</ol>
{{ end }}
"""

TAXONOMY = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="terms-list">
  {{- range .Data.Terms.Alphabetical }}
  <li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>
  {{- end }}
</ul>
{{ end }}
"""

NOT_FOUND = """{{ define "main" }}
<h1>Page not found</h1>
<p><a href="{{ "/" | relURL }}">Latest reports</a></p>
{{ end }}
"""

RSS = """{{- printf "<?xml version=%q encoding=%q standalone=%q?>" "1.0" "utf-8" "yes" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
<link>{{ .Permalink }}</link>
<description>{{ site.Params.description }}</description>
<language>{{ site.Language.Locale }}</language>
{{ with .OutputFormats.Get "rss" -}}
<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>
{{- end }}
{{- $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{- range first site.Config.Services.RSS.Limit $pages }}
<item>
<title>{{ .Title }}</title>
<link>{{ .Permalink }}</link>
<guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Content | transform.XMLEscape | safeHTML }}</description>
</item>
{{- end }}
</channel>
</rss>
"""

QUOTE = """{{- $id := .Get 0 }}{{ range .Page.Params.quotes }}{{ if eq .id $id -}}
<figure class="quote" id="quote-{{ .id }}">
  <blockquote><p>{{ .text }}</p></blockquote>
  {{ with .speaker }}<figcaption>— {{ . }}</figcaption>{{ end }}
</figure>
{{- end }}{{ end -}}
"""

LAYOUTS = {
    "baseof.html": BASEOF,
    "home.html": HOME,
    "page.html": PAGE,
    "term.html": TERM,
    "taxonomy.html": TAXONOMY,
    "404.html": NOT_FOUND,
    "rss.xml": RSS,
    "_partials/byline.html": BYLINE,
    "_partials/card.html": CARD,
    "_shortcodes/quote.html": QUOTE,
}


def write_site(
    root: Path, static: Path, write: Callable[[Path, str], None], settings: dict
) -> None:
    """hugo.toml, the layouts, and sitegen's stylesheet as the site's (``static`` is the
    repository's static/)."""
    write(root / "hugo.toml", hugo_toml(settings))
    for name, text in LAYOUTS.items():
        write(root / "layouts" / name, text)
    write(root / "static" / "css" / "site.css", (static / "css" / "site.css").read_text("utf-8"))
