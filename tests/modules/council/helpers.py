"""A local stand-in for a town's OParl 1.1 server: serves the recorded answers in fixtures/ (see README there)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
RECORDED_BASE = "https://oparl.example.org"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


FULL = {
    "/oparl/": "system.json",
    "/oparl/bodies": "bodies.json",
    "/oparl/body/1/organizations": "organizations.json",
    "/oparl/body/1/people": "people.json",
    "/oparl/body/1/meetings": "meetings-1.json",
    "/oparl/body/1/meetings?page=2": "meetings-2.json",
    "/oparl/body/1/papers": "papers.json",
}
MODIFIED = {
    "/oparl/body/1/meetings": "meetings-modified.json",
    "/oparl/body/1/papers": "papers-modified.json",
}


@dataclass
class OparlServer:
    """Serves FULL, and MODIFIED (or an empty list) for requests with ``modified_since``.

    ``override[path] = (status, body, delay)`` replaces one answer (a broken server); every request's
    path and query is recorded in ``requests``.
    """

    url: str = ""
    override: dict[str, tuple[int, bytes, float]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"{self.url}/oparl/"

    def answer(self, target: str) -> tuple[int, bytes, float]:
        if target in self.override:
            return self.override[target]
        parts = urlsplit(target)
        if "modified_since=" in parts.query:
            name = MODIFIED.get(parts.path, "empty-list.json")
        else:
            name = FULL.get(target, "")
            if not name:
                return 404, b'{"error": "not found"}', 0.0
        return 200, fixture(name).replace(RECORDED_BASE.encode(), self.url.encode()), 0.0


def start_server() -> tuple[OparlServer, ThreadingHTTPServer]:
    oparl = OparlServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            oparl.requests.append(self.path)
            status, body, delay = oparl.answer(self.path)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:
                pass  # the client gave up (timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    oparl.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return oparl, server
