"""Images in a body: ``{{< image id >}}`` embeds and local Markdown images, as placeholders.

What an image becomes depends on its file (its size decides the widths made
and the ``width``/``height`` written), and a post's conversion is cached by the
post's bytes alone.  So the body keeps a placeholder,
``<sitegen-image index="N"></sitegen-image>``, where ``N`` is the image's
position in ``Post.images`` (a Markdown image's keeps its ``src``, for the
link checker); the output stage puts the picture there
(:mod:`sitegen.output.figures`) once the files are read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from posixpath import normpath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import markdown
from markdown.treeprocessors import Treeprocessor

from sitegen.markup.elements import BodyContext
from sitegen.markup.shortcodes import ShortcodeBlock, shortcode
from sitegen.model import IMAGE_TYPES, Picture

if TYPE_CHECKING:
    from sitegen.markup.sitrep import SitreExtension

IMAGE = shortcode("image")
PLACEHOLDER = "sitegen-image"
PLACEHOLDER_HTML = re.compile(r'<sitegen-image index="(\d+)"(?: src="[^"]*")?></sitegen-image>')


def bundle_file(bundle: str | None, file: str) -> str | None:
    """The site-relative path of a front-matter ``file:``, or None if it may not be there.

    A page bundle's files are relative to its folder; ``static/...`` is the
    site's static folder from any post.  Nothing may climb out of either.
    """
    if file.startswith("/"):
        file = file[1:]
    if "\\" in file or "\x00" in file or not file:
        return None
    if file.startswith("static/"):
        found = normpath(file)
        return found if found.startswith("static/") else None
    if bundle is None:
        return None
    found = normpath(f"{bundle}/{file}")
    return found if found.startswith(bundle + "/") else None


def local_image(bundle: str | None, src: str) -> str | None:
    """The site-relative file a Markdown image's URL names, if sitegen publishes it.

    A relative URL in a page bundle names a file of the bundle (published
    beside the page); ``/static/...`` names a file of static/.  Anything else
    (another site, a query, a file outside both) is left as the editor wrote it.
    """
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/") and not path.startswith("/static/"):
        return None
    if not path.startswith("/") and bundle is None:
        return None
    found = bundle_file(bundle, path)
    if found is None or "." + found.rsplit(".", 1)[-1].lower() not in IMAGE_TYPES:
        return None
    return found


def placeholder(index: int, src: str = "") -> etree.Element:
    return etree.Element(PLACEHOLDER, {"index": str(index), **({"src": src} if src else {})})


class ImageBlock(ShortcodeBlock):
    """``{{< image id >}}`` becomes the image's placeholder."""

    pattern = IMAGE

    def embed(self, parent: etree.Element, name: str, context: BodyContext) -> None:
        index = context.image_ids.get(name)
        if index is None:
            context.unknown.add(("image", name))
        elif name in context.embedded:
            context.twice.add(name)
        else:
            context.embedded.append(name)
            parent.append(placeholder(index))


class MarkdownImages(Treeprocessor):
    """Local Markdown images (``![alt](map.png)``) become placeholders of new ``Picture`` values.

    Runs after the inline pass has made every ``<img>``; one that names a file
    sitegen publishes gets the same processing as a front-matter image.
    """

    def __init__(self, extension: SitreExtension, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        context = self.extension.context
        if context is None or "![" not in context.text:
            return
        for parent in list(root.iter()):
            for position, child in enumerate(list(parent)):
                if child.tag == "img":
                    _replace(parent, position, child, context)


def _replace(
    parent: etree.Element, position: int, img: etree.Element, context: BodyContext
) -> None:
    src = img.get("src", "")
    file = local_image(context.bundle, src)
    if file is None:
        return
    alt = img.get("alt", "")
    offset = context.text.find(f"]({src}")
    line = context.body_line + (context.text[:offset].count("\n") if offset >= 0 else 0)
    if not alt.strip():
        context.problems.error(
            line,
            "",
            f"the image {src} has no alt text: write ![what it shows]({src}), or declare it "
            'in images: with alt: "" if it is only decoration',
        )
        return
    index = context.first_body_image + len(context.pictures)
    title = img.get("title")
    context.pictures.append(
        Picture("", file, " ".join(alt.split()), title=title, line=line, shown=True)
    )
    marker = placeholder(index, src)
    marker.tail = img.tail
    parent.remove(img)
    parent.insert(position, marker)
