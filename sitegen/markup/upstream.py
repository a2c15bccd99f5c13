"""The python-markdown code the speedups were written against, and the check that it is there.

:mod:`sitegen.markup.speedups` re-implements private python-markdown methods and
skips passes on what it knows of them, and a release may change any of them
without notice.  So once per process, before the speedups are installed, the
source of every upstream function they replace, re-implement, call or skip is
compared with the digest recorded here for the supported version.  When one
differs, python-markdown is left as it comes: the output is its own, only slower,
and :func:`status` says why.  After reviewing the speedups against a new release,

    python3 -m sitegen.markup.upstream

prints the table below as it is for the installed python-markdown (changed
entries marked).  Digests are of source lines, not bytecode, which differs
between Python versions.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
from types import CodeType

import markdown

SUPPORTED = (3, 11)  # python-markdown's major and minor version

# "module:attribute path" in python-markdown (private names as Python mangles them) -> digest.
# Regexes and strings are digested by value; classes, dictionaries and sets only by their
# kind (they are used as they are).  Keep in step with speedups.py, linear.py,
# inlinetext.py and serializer.py.
DIGESTS: dict[str, str] = {
    "core:Markdown.convert": "e70d19e814646ee8",
    "core:Markdown.is_block_level": "dc551fffd52a0eee",
    "blockparser:BlockParser.parseDocument": "61f22635694763ad",
    "blockparser:BlockParser.parseBlocks": "1737e188f149267b",
    "treeprocessors:InlineProcessor.__init__": "01e2099738224a98",
    "treeprocessors:InlineProcessor.run": "f6c93631f2871499",
    "treeprocessors:InlineProcessor._InlineProcessor__handleInline": "fe27babc114aed0a",
    "treeprocessors:InlineProcessor._InlineProcessor__applyPattern": "79161457579c5f2f",
    "inlinepatterns:Pattern.getCompiledRegExp": "22a0c1b27ba8544e",
    "inlinepatterns:BACKTICK_RE": "231bee70302e704d",
    "inlinepatterns:ESCAPE_RE": "51a11c21258d37ec",
    "inlinepatterns:LINK_RE": "0aca4cbc7f7995e2",
    "inlinepatterns:IMAGE_LINK_RE": "3bd0cb9cfeedd718",
    "inlinepatterns:AUTOLINK_RE": "7cc379585f40fe69",
    "inlinepatterns:AUTOMAIL_RE": "64b9f843dff4e149",
    "inlinepatterns:HTML_RE": "47eec514cf83c77b",
    "inlinepatterns:ENTITY_RE": "59f41c098c4b4533",
    "inlinepatterns:LINE_BREAK_RE": "75df45fedc69aea0",
    "inlinepatterns:EscapeInlineProcessor.handleMatch": "0dddf70ffb37c51e",
    "inlinepatterns:NOIMG": "28eb97d962fd7b53",
    "inlinepatterns:InlineProcessor.__init__": "d4cf125e6a6daf90",
    "inlinepatterns:BacktickInlineProcessor.find_code_spans": "add2810037e612b8",
    "inlinepatterns:BacktickInlineProcessor.handleMatch": "f8e31937da8250a6",
    "inlinepatterns:LinkInlineProcessor.handleMatch": "ee8e0e843ea4b7ce",
    "inlinepatterns:LinkInlineProcessor.getLink": "fa42883beb8834a6",
    "inlinepatterns:LinkInlineProcessor.getText": "7d0978a16aae3e5b",
    "inlinepatterns:LinkInlineProcessor.RE_LINK": "f8709d0e6ce7cff0",
    "inlinepatterns:ImageInlineProcessor.handleMatch": "508aa1917877b474",
    "inlinepatterns:ReferenceInlineProcessor.handleMatch": "a030528fb96718c2",
    "inlinepatterns:ReferenceInlineProcessor.evalId": "612a459dccfca6c5",
    "inlinepatterns:ReferenceInlineProcessor.makeTag": "d8292438c94f9707",
    "inlinepatterns:ShortReferenceInlineProcessor.evalId": "6cf496bfd0ceb1f5",
    "inlinepatterns:ImageReferenceInlineProcessor.makeTag": "6da30b8fdbd7bc89",
    "inlinepatterns:ShortImageReferenceInlineProcessor.evalId": "6cf496bfd0ceb1f5",
    "inlinepatterns:AutolinkInlineProcessor.handleMatch": "0afad168205b556a",
    "inlinepatterns:AutomailInlineProcessor.handleMatch": "e863992fa3753fbe",
    "inlinepatterns:SubstituteTagInlineProcessor.handleMatch": "e06780bca5ada477",
    "inlinepatterns:HtmlInlineProcessor.handleMatch": "096f11bb07ba6aae",
    "extensions.footnotes:FootnoteExtension.extendMarkdown": "3c4292f491bbe514",
    "extensions.footnotes:FootnoteInlineProcessor.handleMatch": "57853367cca53431",
    "treeprocessors:InlineProcessor._InlineProcessor__processPlaceholders": "3f4a6088e773c996",
    "treeprocessors:InlineProcessor._InlineProcessor__findPlaceholder": "8cdb9fc70b3d3edf",
    "treeprocessors:InlineProcessor._InlineProcessor__processElementText": "bc7748728767753a",
    "util:INLINE_PLACEHOLDER_PREFIX": "486c8c85ad1058ed",
    "treeprocessors:InlineProcessor._InlineProcessor__stashNode": "4812d8b6fd274fef",
    "blockprocessors:ReferenceProcessor.test": "889d3dacebfb92cd",
    "blockprocessors:ReferenceProcessor.run": "03ec47f76da0d6f4",
    "blockprocessors:ReferenceProcessor.RE": "826e5b18c0eb1616",
    "blockprocessors:HashHeaderProcessor.test": "b05b7970153b822e",
    "blockprocessors:HashHeaderProcessor.RE": "4428a635fbee741a",
    "blockprocessors:SetextHeaderProcessor.test": "f4517c337decc072",
    "blockprocessors:SetextHeaderProcessor.RE": "2803d859cee559e4",
    "blockprocessors:HRProcessor.test": "d97db1d673f15c75",
    "blockprocessors:HRProcessor.SEARCH_RE": "cac646d078a8b927",
    "blockprocessors:BlockQuoteProcessor.test": "342a21ffb26b7052",
    "blockprocessors:BlockQuoteProcessor.RE": "638e8ee633c5f6b3",
    "extensions.tables:TableProcessor.test": "399019a4927efd46",
    "extensions.footnotes:FootnoteBlockProcessor.test": "889d3dacebfb92cd",
    "extensions.footnotes:FootnoteBlockProcessor.run": "62765fec9d331a31",
    "extensions.footnotes:FootnoteBlockProcessor.RE": "724a33113260ba41",
    "extensions.abbr:AbbrBlockprocessor.test": "889d3dacebfb92cd",
    "extensions.abbr:AbbrBlockprocessor.run": "b56be8a6fce5a243",
    "extensions.abbr:AbbrBlockprocessor.RE": "4173ac6b45919361",
    "extensions.def_list:DefListProcessor.test": "b05b7970153b822e",
    "extensions.def_list:DefListProcessor.RE": "be283c23faf06c9a",
    "preprocessors:NormalizeWhitespace.run": "a99bc2f9e0d83abc",
    "serializers:to_html_string": "9b79047f3c6b7d7e",
    "serializers:_write_html": "4d67b0bb48b2127d",
    "serializers:_serialize_html": "c90bfbf433c15363",
    "serializers:_escape_cdata": "793d4bbf9601b425",
    "serializers:_escape_attrib_html": "81dcedcd7c392db6",
    "serializers:BOOLEAN_ATTRIBUTES": "6ab47d70854a8c69",
    "serializers:HTML_EMPTY": "6ee0eb490ff83210",
    "extensions.fenced_code:FencedBlockPreprocessor.run": "5ff582f6af84b7e7",
    "extensions.fenced_code:FencedBlockPreprocessor.FENCED_BLOCK_RE": "4efc3f0d68048cda",
    "preprocessors:HtmlBlockPreprocessor.run": "0e55181cf96c0cd6",
    "extensions.md_in_html:HtmlBlockPreprocessor.run": "79cbd05926bc0cb1",
    "treeprocessors:UnescapeTreeprocessor.run": "5752b9f6937e0084",
    "treeprocessors:UnescapeTreeprocessor.RE": "afe7f6c7d165f59b",
    "extensions.attr_list:AttrListTreeprocessor.run": "fb126cccd79ac3cb",
    "extensions.toc:TocTreeprocessor.run": "75af906d7e4cef01",
    "extensions.toc:TocTreeprocessor.replace_marker": "9f9ee8b48ecbac72",
    "util:STX": "dbc1b4c900ffe48d",
    "util:ETX": "084fed08b978af4d",
    "util:AtomicString": "1303c06b0b014d0c",
    "util:Registry": "1303c06b0b014d0c",
}


@functools.cache
def status() -> str | None:
    """None when the speedups may be installed; else a note that says why not, for ``-v``.

    Computed once per process (``status.cache_clear()`` checks again).
    """
    version = markdown.__version_info__[:2]
    if version != SUPPORTED:
        causes = [f"written for {SUPPORTED[0]}.{SUPPORTED[1]}"]
    else:
        causes = [f"{_label(path)} {what}" for path, what in _differences().items()]
    if not causes:
        return None
    if len(causes) > 3:
        causes[2:] = [f"and {len(causes) - 2} more"]
    return (
        f"python-markdown {markdown.__version__}: speedups off ({', '.join(causes)}); "
        "output is stock python-markdown's"
    )


def _differences() -> dict[str, str]:
    """Each checked name whose source is not the recorded one: "changed", "missing", ..."""
    found = {}
    files: dict[str, list[bytes]] = {}  # read once for the check, not kept
    for path, recorded in DIGESTS.items():
        try:
            obj = _resolve(path)
        except (ImportError, AttributeError):
            found[path] = "missing"
            continue
        current = digest(obj, files)
        if current != recorded:
            found[path] = "changed" if current else "without source"
    return found


def _resolve(path: str) -> object:
    module, _, attributes = path.partition(":")
    obj: object = importlib.import_module(f"markdown.{module}")
    for name in attributes.split("."):
        obj = getattr(obj, name)
    return obj


def _label(path: str) -> str:
    """``treeprocessors.InlineProcessor.__handleInline`` for the mangled full path."""
    module, _, attributes = path.partition(":")
    module = module.removeprefix("extensions.")
    return module + re.sub(r"\._[A-Za-z]+__", ".__", "." + attributes)


def digest(obj: object, files: dict[str, list[bytes]] | None = None) -> str:
    """A short digest of a function's source lines, a regex's pattern or a string; "" if none.

    Source lines by the code object's line numbers rather than ``inspect.getsource``,
    which tokenizes: this check runs in every process that converts posts.  ``files``
    keeps the lines of each source file read so far.
    """
    code = getattr(obj, "__code__", None)
    if isinstance(code, CodeType):
        text = _source(code, {} if files is None else files)
        if not text:
            return ""
    elif isinstance(obj, re.Pattern):
        text = f"{obj.pattern!r} {obj.flags}".encode()
    elif isinstance(obj, str):
        text = obj.encode()
    else:
        text = type(obj).__name__.encode()
    return hashlib.sha256(text).hexdigest()[:16]


def _source(code: CodeType, files: dict[str, list[bytes]]) -> bytes:
    """The lines from a function's ``def`` (or its first decorator) to its last statement."""
    lines = files.get(code.co_filename)
    if lines is None:
        try:
            with open(code.co_filename, "rb") as file:
                lines = files[code.co_filename] = file.readlines()
        except OSError:
            lines = files[code.co_filename] = []
    return b"".join(lines[code.co_firstlineno - 1 : _last_line(code)])


def _last_line(code: CodeType) -> int:
    lines = [line for _, _, line in code.co_lines() if line is not None]
    nested = [_last_line(c) for c in code.co_consts if isinstance(c, CodeType)]
    return max([code.co_firstlineno, *lines, *nested])


def main() -> None:
    print(f"# python-markdown {markdown.__version__}")
    print("DIGESTS: dict[str, str] = {")
    changed = _differences()
    files: dict[str, list[bytes]] = {}
    for path in DIGESTS:
        try:
            value = digest(_resolve(path), files)
        except (ImportError, AttributeError):
            value = ""
        mark = f"  # {changed[path]}" if path in changed else ""
        print(f'    "{path}": "{value}",{mark}')
    print("}")


if __name__ == "__main__":
    main()
