"""A local stand-in for the NINA API: serves recorded answers from fixtures/ (see fixtures/README.md)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
ARS = "071320000000"
MOWAS_ID = "mow.DE-RP-AK-W080-20261206-000"
DWD_ID = "dwd.2.49.0.0.276.0.DWD.PVW.1796529600000.4d1c2a0e-frost"
LHP_ID = "lhp.HOCHWASSERZENTRALEN.DE.RP.SIEG.20261206"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class NinaServer:
    """Answers `routes[path]` = (status, body, delay in seconds); anything else is 404. Counts requests."""

    url: str = ""
    routes: dict[str, tuple[int, bytes, float]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def serve(self, path: str, body: bytes, *, status: int = 200, delay: float = 0.0) -> None:
        self.routes[path] = (status, body, delay)

    def scenario(self, dashboard: str, *, mowas: str = "warning_mowas_v1.json") -> None:
        """The county's dashboard from `dashboard`, and every warning's details."""
        self.routes.clear()
        self.serve(f"/api31/dashboard/{ARS}.json", fixture(dashboard))
        self.serve(f"/api31/warnings/{MOWAS_ID}.json", fixture(mowas))
        self.serve(f"/api31/warnings/{DWD_ID}.json", fixture("warning_dwd.json"))
        self.serve(f"/api31/warnings/{LHP_ID}.json", fixture("warning_lhp.json"))


def start_server() -> tuple[NinaServer, ThreadingHTTPServer]:
    nina = NinaServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            nina.requests.append(self.path)
            status, body, delay = nina.routes.get(self.path, (404, b"Not Found", 0.0))
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
    nina.url = f"http://127.0.0.1:{server.server_address[1]}/api31"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return nina, server
