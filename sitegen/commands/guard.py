"""Which requests the preview server answers (its own names; paths a file can have), and how.

A page on any site can point a name of its own at 127.0.0.1 (DNS rebinding) and
then read what the server answers for that name as its own, drafts included.
Browsers always send the name they asked for in ``Host``, so the server answers
only its own names: localhost, 127.0.0.1, [::1] and the ``--host`` it was given.
Bound to every interface (``--host 0.0.0.0``), it also answers the machine's
names and any IP address: an address is no name a stranger can point elsewhere.

A path is mapped to a file of the output only if a file can have it: UTF-8,
no control characters, no name longer than a file name may be, no absurd
depth; any other is refused before a file is looked for.
"""

from __future__ import annotations

import posixpath
import re
import socket
import stat
from dataclasses import dataclass
from http import HTTPStatus
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
from urllib.parse import unquote_to_bytes

LOOPBACK = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")  # bound to every interface
HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::[0-9]{0,5})?", re.IGNORECASE)
MAX_SEGMENTS = 64  # no page of a site lies that deep
MAX_NAME_BYTES = 255  # the longest file name most file systems allow
MAX_PATH_BYTES = 2048  # with the output folder's own path, still far below PATH_MAX

Refusal = tuple[HTTPStatus, str]


@dataclass(frozen=True)
class Hosts:
    """The names and addresses a request's ``Host`` may give (its port is not compared)."""

    names: frozenset[str]
    addresses: frozenset[IPv4Address | IPv6Address]
    any_address: bool  # bound to every interface: any IP address is this machine's

    def allows(self, name: str) -> bool:
        """Whether ``name`` (a Host header's host, brackets and case as sent) is ours."""
        name = name.lower().removeprefix("[").removesuffix("]").removesuffix(".")
        try:
            address = ip_address(name)
        except ValueError:
            return name in self.names
        if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return self.any_address or address in self.addresses

    def listing(self, port: int) -> str:
        """The names answered on ``port``, as a refusal tells the editor."""
        names = ["localhost", *sorted(self.names - {"localhost"})]
        if not self.any_address:
            names += [
                f"[{a}]" if a.version == 6 else str(a) for a in sorted(self.addresses, key=_order)
            ]
        hosts = [f"{name}:{port}" for name in names]
        if self.any_address:
            hosts.append("any IP address of this machine")
        return ", ".join(hosts[:-1]) + " or " + hosts[-1]


def _order(address: IPv4Address | IPv6Address) -> tuple[int, int]:
    return address.version, int(address)


def hosts_for(bound: str) -> Hosts:
    """The names a server bound to ``bound`` (the ``--host`` given) answers for."""
    given = bound.lower().removeprefix("[").removesuffix("]").removesuffix(".")
    names = {"localhost"}
    addresses = {ip_address(a) for a in LOOPBACK[1:]}
    wildcard = given in WILDCARDS
    if wildcard:
        names |= machine_names()
    else:
        try:
            addresses.add(ip_address(given))
        except ValueError:
            names.add(given)
    return Hosts(frozenset(names), frozenset(addresses), wildcard)


def machine_names() -> set[str]:
    """This machine's own names: its host name, short, fully qualified and on mDNS."""
    host = socket.gethostname().lower().removesuffix(".")
    short = host.split(".", 1)[0]
    return {n for n in (host, short, f"{short}.local", socket.getfqdn().lower()) if n}


def host_refusal(hosts: Hosts, port: int, values: list[str], version: str) -> Refusal | None:
    """Why a request with these ``Host`` header values is not answered, or None.

    A request without ``Host`` is answered before HTTP/1.1 only: every browser
    sends one, so such a request never comes from a web page.
    """
    if not values:
        if version >= "HTTP/1.1":
            return HTTPStatus.BAD_REQUEST, "An HTTP/1.1 request needs a Host header."
        return None
    if len(values) > 1:
        return HTTPStatus.BAD_REQUEST, "A request may have one Host header only."
    match = HOST.fullmatch(values[0].strip())
    if match is None:
        return HTTPStatus.BAD_REQUEST, "The Host header is not a host name, with or without port."
    if hosts.allows(match["name"]):
        return None
    return HTTPStatus.MISDIRECTED_REQUEST, (
        f"sitegen serve answers only requests for {hosts.listing(port)}, not for "
        f"{match[0]}: a page under another name could read the preview (DNS rebinding)."
    )


def request_segments(target: str) -> tuple[str, ...] | None:
    """The path segments a request target names below the output, or None if no file can.

    ``..`` and ``.`` are taken away as a browser would; the target's query is ignored.
    """
    path = target.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        return None  # the absolute form (a proxy's) or ``*``
    try:  # http.server decoded the request line as Latin-1: these are its bytes
        raw = unquote_to_bytes(path.encode("latin-1"))
        text = raw.decode("utf-8")  # strict: invalid UTF-8 and encoded surrogates refused
    except UnicodeError:
        return None
    if len(raw) > MAX_PATH_BYTES or text.count("/") > MAX_SEGMENTS or _controls(text):
        return None
    segments = tuple(s for s in posixpath.normpath(text).split("/") if s not in ("", ".", ".."))
    if any(len(s.encode()) > MAX_NAME_BYTES for s in segments):
        return None
    return segments


def _controls(text: str) -> bool:
    """Whether ``text`` holds a control character (NUL among them), which no file name may."""
    return any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in text)


def refusal(hosts: Hosts, port: int, given: list[str], version: str, target: str) -> Refusal | None:
    """Why a request is not answered (another name; no file can have its path), or None."""
    refused = host_refusal(hosts, port, given, version)
    if refused is None and request_segments(target) is None:
        return HTTPStatus.BAD_REQUEST, (
            "sitegen serve: no file of the site can have this path (a control character, "
            "not UTF-8, a name or a path too long, or too many folders)."
        )
    return refused


def output_path(root: Path, target: str) -> str:
    """The file ``target`` names below ``root``; a name no file has if none may be served.

    As with http.server, a trailing slash stays: a file asked for as a folder is not found.
    """
    segments = request_segments(target)
    translated = root.joinpath(*segments) if segments is not None else None
    try:
        inside = translated is not None and translated.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        inside = False
    if translated is None or not inside:
        return str(root / "\x00missing")  # NUL: no file has this name
    slash = "/" if target.split("?", 1)[0].split("#", 1)[0].endswith("/") else ""
    return str(translated) + slash


def kind(path: Path) -> str | None:
    """What is at ``path``: a "dir", a "file", or None (nothing, or a name refused)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else None
