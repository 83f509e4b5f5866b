"""Helpers shared by the bench scripts: a throw-away database, gunicorn on loopback, results with machine info.

Not a test module and not imported by the platform: only `bench/*.py` use it (bench/ is on sys.path there).
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import platform as stdlib_platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
PYTHONPATH = os.pathsep.join([str(ROOT), str(ROOT / "platform"), str(BENCH)])


def paths_setup() -> None:
    """Make the platform's source roots and bench/ importable, as manage.py does."""
    for path in (str(BENCH), str(ROOT / "platform"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)


def state_dir_setup() -> None:
    """Embedded PostgreSQL/Redis in a temporary folder, so a bench never meets the dev or test servers.

    The folder goes when the bench ends. Registered before the servers start, so (atexit runs last-in
    first-out) it is removed after they have stopped; config.embedded stops them also on an error,
    Ctrl-C or SIGTERM.
    """
    if "DORFKERN_STATE_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="dorfkern-bench-")
        os.environ["DORFKERN_STATE_DIR"] = folder
        atexit.register(_state_dir_remove, folder, os.getpid())
    _exit_on_signals()


def _exit_on_signals() -> None:
    """SIGTERM and SIGHUP end the bench like Ctrl-C does: as an exception, so `finally` blocks stop the
    gunicorns and atexit stops the servers (a signal's default action would skip both)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) in (signal.SIG_DFL, None):
            signal.signal(signum, _exit_for_signal)


def _exit_for_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _state_dir_remove(folder: str, owner_pid: int) -> None:
    if os.getpid() != owner_pid:  # not in a forked child
        return
    # Runs after config.embedded's own stops (atexit is last-in first-out). Whatever still runs from this
    # folder (a Redis another process of the bench started, a PostgreSQL whose holder was killed) is
    # stopped here: nothing outlives a bench whose folder is about to go.
    leftovers_stop(Path(folder))
    shutil.rmtree(folder, ignore_errors=True)


def leftovers_stop(folder: Path) -> list[str]:
    """Stop every embedded PostgreSQL and Redis whose files are in `folder`; returns what was stopped."""
    from config import embedded

    stopped: list[str] = []
    if not folder.is_dir():
        return stopped
    old_state_dir = embedded.STATE_DIR
    embedded.STATE_DIR = folder  # stop_leftovers looks there
    try:
        for entry in folder.iterdir():
            if entry.name.endswith(".rdb.settings"):
                stopped += embedded.stop_leftovers(None, entry.name.removesuffix(".rdb.settings"))
            elif (entry / "postmaster.pid").exists():
                stopped += embedded.stop_leftovers(entry.name, None)
    finally:
        embedded.STATE_DIR = old_state_dir
    for what in stopped:
        print(f"stopped a leftover {what}", file=sys.stderr)
    return stopped


def fresh_database_urls(database: str, *, keep: bool = False) -> None:
    """Point DATABASE_URL at an emptied database `database` and REDIS_URL at a Redis, for benches with
    their own processes (gunicorn). Embedded servers unless DATABASE_URL / REDIS_URL are already set;
    with DATABASE_URL set, the database named there is used as it is (the caller's responsibility).
    With `keep`, an existing database is kept as it is (a bench that reuses what an earlier run made;
    DORFKERN_STATE_DIR must then be a folder that outlives the run)."""
    state_dir_setup()
    paths_setup()
    from config import embedded

    if "DATABASE_URL" not in os.environ:
        base = embedded.ensure_postgres("bench-pg").replace("postgresql://", "postgres://")
        import psycopg2

        conn = psycopg2.connect(base)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            exists = cur.fetchone() is not None
            if exists and not keep:
                cur.execute(f'DROP DATABASE "{database}"')
            if not exists or not keep:
                cur.execute(f'CREATE DATABASE "{database}"')
        conn.close()
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(base)._replace(path=f"/{database}"))
    if "REDIS_URL" not in os.environ:
        os.environ["REDIS_URL"] = embedded.ensure_redis("bench-redis")
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)


def pg_setting(name: str, value: str) -> None:
    """Change a reloadable server setting of the bench's own embedded database server (never a shared one:
    callers skip this when DATABASE_URL points elsewhere). Through Django's default connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SYSTEM SET {name} = {value}")
        cursor.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)  # the postmaster passes the reload on to the backends asynchronously


def fsync_on() -> None:
    """fsync back on, after a checkpoint taken while it is still off.

    PostgreSQL keeps the files it wrote without fsync as pending sync requests: without the checkpoint
    the next one (while a bench measures, or at shutdown) would fsync every file the fill wrote, minutes
    of I/O. Also right at a bench's start: a run killed while filling leaves fsync off.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    pg_setting("fsync", "on")


@contextmanager
def fsync_off(active: bool = True) -> Iterator[None]:
    """The embedded PostgreSQL without fsync while the block fills the database (making towns), with it
    again afterwards (`fsync_on`), before anything is timed. On this VM one fsync per index built is
    most of a town copy's wall time. Does nothing unless `active` (pass False for an external database)."""
    if not active:
        yield
        return
    pg_setting("fsync", "off")
    try:
        yield
    finally:
        fsync_on()


def plain_django_prepare(database: str) -> str:
    """bench/plaindjango (Django without django-tenants) migrated into its own database `database` on the
    bench's PostgreSQL, with 25 items (its page shows 20); returns the database URL (PLAIN_DATABASE_URL).

    The ceiling the page benches compare against. Run in a subprocess: it has settings of its own.
    """
    from config import embedded

    url = embedded.database_url_with_name(os.environ["DATABASE_URL"], database)
    embedded.database_create_if_missing(os.environ["DATABASE_URL"], database)
    code = (
        "import django, datetime; django.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from django.utils import timezone\n"
        "from plaindjango.items.models import Item\n"
        "now = timezone.now()\n"
        "Item.objects.all().delete()\n"
        "Item.objects.bulk_create([Item(title=f'Nachricht {i} aus dem Ort', slug=f'nachricht-{i}',"
        " teaser='Kurz gesagt: ' + 'Text ' * 20, published_at=now - datetime.timedelta(hours=i))"
        " for i in range(25)])\n"
    )
    env = {**os.environ, **plain_django_env(url)}
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    return url


def plain_django_env(url: str) -> dict[str, str]:
    """Environment for a process (gunicorn) serving bench/plaindjango from database `url`."""
    return {"PLAIN_DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "plaindjango.settings", "PYTHONPATH": PYTHONPATH}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_gunicorns: list[subprocess.Popen] = []


def gunicorn_start(port: int, *, workers: int, probe_host: str, probe_path: str = "/",
                   extra_env: dict[str, str] | None = None, timeout_s: float = 60,
                   app: str = "config.wsgi") -> subprocess.Popen:
    """gunicorn with `workers` sync workers serving `app` on 127.0.0.1:`port`, in its own process group;
    returns once `probe_host` answers `probe_path` with 200. Stopped at the bench's exit at the latest."""
    env = {**os.environ, **(extra_env or {}), "PYTHONPATH": PYTHONPATH}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "-w", str(workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )
    if not _gunicorns:
        atexit.register(_gunicorns_stop, os.getpid())
    _gunicorns.append(proc)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", probe_path, headers={"Host": probe_host})
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    gunicorn_stop(proc)
    raise RuntimeError("gunicorn did not serve the page")


def _gunicorns_stop(owner_pid: int) -> None:
    if os.getpid() == owner_pid:
        for proc in _gunicorns:
            gunicorn_stop(proc)


def gunicorn_stop(proc: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its own process group only)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def machine_info() -> dict[str, Any]:
    """What a reader needs to compare two runs: interpreter, OS, CPUs, memory, load while measuring."""
    info: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": stdlib_platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        import psutil

        info["memory_total_mb"] = round(psutil.virtual_memory().total / 2**20)
    except ImportError:
        pass
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        pass
    return info


def results_write(name: str, data: dict[str, Any]) -> Path:
    """bench/results/<name>.json with machine info next to `data`."""
    out = RESULTS / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine_info(), **data}, indent=2, default=str))
    print(f"load average (1/5/15 min): {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"written: {out}")
    return out


def table_print(headers: list[str], rows: list[list[Any]], align: str | None = None) -> None:
    """A plain text table; `align` has one of '<' / '>' per column (default: first left, rest right)."""
    align = align or "<" + ">" * (len(headers) - 1)
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(f"{c:{a}{w}}" for c, a, w in zip(row, align, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


class CpuMeter:
    """CPU seconds spent by this process and by the embedded PostgreSQL while a block runs.

    On a shared machine wall-clock time grows with everybody else's load; CPU time mostly
    doesn't, so benches report it next to the wall time. The database side is the CPU of the
    embedded server's backends (exited ones are counted through the postmaster's children
    times); with an external DATABASE_URL only this process is measured (`db_s` is None).
    """

    def __init__(self, pg_data_dir: Path | None) -> None:
        import psutil

        self._postmaster = None
        if pg_data_dir is not None and (pg_data_dir / "postmaster.pid").exists():
            pid = int((pg_data_dir / "postmaster.pid").read_text().split()[0])
            self._postmaster = psutil.Process(pid)
        self.client_s = 0.0
        self.db_s: float | None = None

    def _db_total(self) -> float | None:
        if self._postmaster is None:
            return None
        return processes_cpu_s([self._postmaster, *self._postmaster.children()])

    def __enter__(self) -> CpuMeter:
        self._client0 = time.process_time()
        self._db0 = self._db_total()
        return self

    def __exit__(self, *exc: object) -> None:
        self.client_s = time.process_time() - self._client0
        db1 = self._db_total()
        self.db_s = None if db1 is None or self._db0 is None else db1 - self._db0


def server_cpu_s(gunicorn_pid: int, pg_dir: Path | None, redis_pid: int | None) -> float:
    """CPU seconds so far of the gunicorn workers, the embedded database (postmaster, backends) and Redis."""
    return sum(server_cpu_parts_s(gunicorn_pid, pg_dir, redis_pid).values())


def server_cpu_parts_s(gunicorn_pid: int, pg_dir: Path | None, redis_pid: int | None) -> dict[str, float]:
    """server_cpu_s by part: "web" (the gunicorn workers), "database" and "redis" (0.0 when not measured)."""
    import psutil

    database: list[Any] = []
    if pg_dir is not None:
        postmaster = psutil.Process(int((pg_dir / "postmaster.pid").read_text().split()[0]))
        database = [postmaster, *postmaster.children()]
    return {
        "web": processes_cpu_s(psutil.Process(gunicorn_pid).children()),
        "database": processes_cpu_s(database),
        "redis": processes_cpu_s([psutil.Process(redis_pid)]) if redis_pid is not None else 0.0,
    }


def embedded_pg_data_dir(name: str) -> Path | None:
    """The data folder of the running embedded PostgreSQL `name` (in DORFKERN_STATE_DIR), if there is one."""
    path = Path(os.environ["DORFKERN_STATE_DIR"]) / name
    return path if (path / "postmaster.pid").exists() else None


def processes_cpu_s(processes: list[Any]) -> float:
    """CPU seconds (user + system, own and reaped children) of psutil processes; gone ones count 0."""
    total = 0.0
    for proc in processes:
        try:
            times = proc.cpu_times()
        except Exception:  # exited in between: a backend's time is then counted by the postmaster
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def embedded_redis_pid(name: str) -> int | None:
    """The pid of the embedded Redis `name` this process started, or None (REDIS_URL set elsewhere)."""
    from config import embedded

    server = embedded._redis_servers.get(name)
    return getattr(server, "pid", None) or None
