"""A real HTTP server on 127.0.0.1, in a thread, that answers OAI-PMH requests from files.

Routes map a request's arguments (in any order) to what to send: a file's bytes, or a
``Reply`` with a status, headers, a delay. Every request is logged, so tests can see what the
harvester asked for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from iite.library.oai.tests.conftest import SHARED

SICKLE = SHARED / "sickle-samples"
DSPACE = SHARED / "pyoai-eur-dspace-2003"


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int = 0  # answer this way only the first ``times`` requests (0: always)


Key = frozenset[tuple[str, str]]


def key(query: str) -> Key:
    return frozenset(parse_qsl(query, keep_blank_values=True))


@dataclass
class OaiServer:
    routes: dict[Key, list[Reply]] = field(default_factory=dict)
    log: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    def add(self, query: str, *replies: Reply | Path | bytes) -> None:
        self.routes[key(query)] = [
            reply
            if isinstance(reply, Reply)
            else Reply(reply.read_bytes() if isinstance(reply, Path) else reply)
            for reply in replies
        ]

    def add_mapping(self, folder: Path) -> None:
        """Routes from a pyoai ``mapping.txt`` (a query line, then its file, repeated)."""
        lines = [line.strip() for line in (folder / "mapping.txt").read_text().splitlines()]
        lines = [line for line in lines if line]
        for query, filename in zip(lines[::2], lines[1::2], strict=True):
            self.add(query, folder / filename)

    def answer(self, query: str) -> Reply:
        self.log.append(dict(parse_qsl(query)))
        replies = self.routes.get(key(query))
        if not replies:
            return Reply(b"no route for " + query.encode(), status=404)
        reply = replies[0]
        if reply.times:
            reply.times -= 1
            if reply.times == 0 and len(replies) > 1:
                replies.pop(0)
        return reply


@contextmanager
def serving(server: OaiServer) -> Iterator[OaiServer]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            reply = server.answer(urlsplit(self.path).query)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}/oai"
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
