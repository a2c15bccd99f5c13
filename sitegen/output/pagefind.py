"""The Pagefind indexer as a service: pages handed over one by one, in sitegen's order.

Pagefind's index depends on the order it is given pages, so the CLI (which
walks a folder in whatever order the file system lists it) gives different
bytes on different machines.  Its service mode (``pagefind --service``, the
protocol of Pagefind's own Python API: base64 JSON messages ended by a comma
on stdin and stdout) takes the pages from us in the order we choose.  The
Python API itself polls for each answer with a tenth of a second's sleep, so
an archive of 10,000 pages would wait 1,000 s: this client waits on the pipe.
"""

from __future__ import annotations

import base64
import json
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from pagefind.service import get_executable

from sitegen.errors import SitegenError


class PagefindService:
    """One ``pagefind --service`` process, asked one thing at a time."""

    def __init__(self) -> None:
        binary = get_executable()
        if binary is None:
            raise SitegenError("search index: no pagefind binary (pip install 'pagefind[bin]')")
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self._process = subprocess.Popen(
            [str(binary), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._buffer = bytearray()
        self._serial = 0

    def __enter__(self) -> PagefindService:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        process = self._process
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._log.close()

    def new_index(self, language: str) -> int:
        answer = self._ask({"type": "NewIndex", "config": {"force_language": language}})
        return int(answer["index_id"])

    def add_page(self, index: int, path: str, html: str) -> None:
        """Index one page; its URL is made from ``path`` as the CLI would (a/index.html: /a/)."""
        self._ask({"type": "AddFile", "index_id": index, "file_path": path, "file_contents": html})

    def write(self, index: int, folder: Path) -> None:
        self._ask({"type": "WriteFiles", "index_id": index, "output_path": str(folder)})

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._serial += 1
        request = {"message_id": self._serial, "payload": payload}
        pipe = self._process.stdin
        assert pipe is not None
        try:
            pipe.write(base64.b64encode(json.dumps(request).encode()) + b",")
            pipe.flush()
            answer = self._answer()
        except (BrokenPipeError, EOFError):
            raise SitegenError(f"search index: pagefind stopped: {self._said()}") from None
        if answer.get("message_id") != self._serial or answer["payload"]["type"] == "Error":
            raise SitegenError(f"search index: pagefind failed: {answer['payload']}")
        return answer["payload"]

    def _answer(self) -> dict[str, Any]:
        out = self._process.stdout
        assert out is not None
        while True:
            while (end := self._buffer.find(b",")) < 0:
                chunk = out.read1(1 << 16)
                if not chunk:
                    raise EOFError
                self._buffer += chunk
            message = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            answer = json.loads(base64.b64decode(message))
            if answer is not None:  # the service may send an empty message
                return answer

    def _said(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip() or "no message"
