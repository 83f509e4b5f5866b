"""What `python3 dorfkern.py test` and `python3 dorfkern.py run` do inside the virtualenv.

`run` starts everything a town needs on one machine: PostgreSQL, Redis and
Stripe (embedded stand-ins unless DATABASE_URL / REDIS_URL / STRIPE_API_BASE
point at real ones), migrates, loads the demo town, then runs the web server,
a Celery worker and Celery beat as child processes until Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from config import embedded

ROOT = Path(__file__).resolve().parents[2]
PYTEST_NO_TESTS_COLLECTED = 5
DEV_SETTINGS = "config.settings.dev"
TEST_SETTINGS = "config.settings.test"
DEFAULT_DATABASE = "dorfkern"
# `run` shows what a town sees: the project's own German 404/500 pages, not Django's English
# debug pages (dev settings alone default DEBUG to true, for `manage.py runserver`). A developer
# who wants the debug pages starts it with DEBUG=true.
RUN_ENV_DEFAULTS = {"DEBUG": "false"}


def static_checks() -> list[tuple[str, list[str], str]]:
    """(name, command, what a failure means) of each check that runs before pytest, in order (issue 3 §6)."""
    bin_dir = Path(sys.executable).parent
    return [
        ("ruff", [sys.executable, "-m", "ruff", "check", "."], "lint errors"),
        # Strict for platform/core, tenants and billing; configured in pyproject.toml.
        ("mypy", [sys.executable, "-m", "mypy"], "type errors"),
        # Contracts in .importlinter: tenants/billing never import modules; modules meet only through facades.
        ("import-linter", [str(bin_dir / "lint-imports"), "--no-logo"], "a broken import contract"),
    ]


def run_static_checks() -> int:
    """Run every static check; stop at the first that fails. Output is shown only when a check fails."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    for name, command, failure in static_checks():
        print(f"» {name}", flush=True)
        started = time.monotonic()
        try:
            result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        except FileNotFoundError:
            print(f"✗ {command[0]} is missing: install requirements-dev.txt into .venv.", file=sys.stderr)
            return 1
        seconds = time.monotonic() - started
        if result.returncode != 0:
            findings = (result.stdout + result.stderr).rstrip("\n")
            if findings:
                print(findings, flush=True)
            print(f"✗ {name} found {failure} ({seconds:.1f} s): fix them first; pytest did not run.", file=sys.stderr)
            return result.returncode
        print(f"  ✓ {name} passed ({seconds:.1f} s)", flush=True)
    return 0


def run_tests(args: list[str], *, with_static_checks: bool = True) -> int:
    """Static checks, then the test suite (embedded PostgreSQL and Redis unless DATABASE_URL/REDIS_URL are set)."""
    os.chdir(ROOT)
    if with_static_checks and (code := run_static_checks()) != 0:
        return code
    # Importing `config` (for this module) ran config/celery.py, which defaults
    # DJANGO_SETTINGS_MODULE to the dev settings in os.environ; pytest-django
    # prefers that variable over pytest.ini, so without this the tests would run
    # against the dev database and Redis.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": TEST_SETTINGS}
    if "not browser" not in " ".join(args):
        ensure_chromium()
    ensure_caddy()
    print("» pytest", flush=True)
    process = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_worker_args(args)], env=env)
    try:
        returncode = _wait_letting_it_clean_up(process)
    finally:
        leftovers = [] if "PYTEST_CURRENT_TEST" in os.environ else _stop_leftovers()
        for what in leftovers:
            print(f"» stopped the embedded {what} the test run left running", flush=True)
    if returncode == PYTEST_NO_TESTS_COLLECTED:
        # pytest calls "nothing collected" a distinct outcome; for CI it means
        # the suite is missing or the selection is wrong, never a pass.
        print("✗ pytest collected no tests: check the path or -k/-m selection.", file=sys.stderr)
    return returncode


def _stop_leftovers() -> list[str]:
    """pytest stops the embedded servers it started; if it was killed before it could, this does.

    Not for a runner called from inside a test (tests/test_commands.py): the servers around it are
    the calling run's, and its xdist workers' Redis servers are still in use.
    """
    leftovers = embedded.stop_leftovers(
        None if "DATABASE_URL" in os.environ else "test-pg", None if "REDIS_URL" in os.environ else "test-redis"
    )
    # The probe's session (tests/probe/settings.py) and xdist workers (config/settings/test.py) start
    # Redis servers of their own; a child killed before its cleanup leaves them too.
    for redis_name in ("probe-redis", *(f"test-redis-gw{number}" for number in range(8))):
        leftovers += embedded.stop_leftovers(None, redis_name)
    return leftovers


def pytest_worker_args(args: list[str]) -> list[str]:
    """`args` with pytest-xdist workers added: as many as DORFKERN_TEST_WORKERS says, or, for the whole
    suite, one per core up to two (DORFKERN_TEST_WORKERS=1 runs it in one process).

    On this project's 2-core machines two workers take the suite from 21 to 14 minutes. Each worker has
    its own test database, Redis and media folders (config/settings/test.py), and whole files go to one
    worker (--dist loadfile), so a file's module fixtures are built once. A selection (a path, -k, -m)
    runs in one process unless DORFKERN_TEST_WORKERS asks: starting workers costs more than it saves
    there, and -s or --pdb work as usual. Left as it is when the caller chooses workers itself (-n) or
    turns xdist off (-p no:xdist), or pytest-xdist is missing.
    """
    import importlib.util

    wanted = os.environ.get("DORFKERN_TEST_WORKERS", "")
    if not wanted.isdigit():
        selection = any(arg in {"-k", "-m"} or (not arg.startswith("-") and (ROOT / arg.split("::")[0]).exists())
                        for arg in args)
        wanted = "1" if selection else str(min(os.cpu_count() or 1, 2))
    if int(wanted) < 2:
        return args
    if importlib.util.find_spec("xdist") is None or "no:xdist" in args:
        return args
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD") and not ({"-p", "xdist"} <= set(args) or "-pxdist" in args):
        return args  # xdist is installed but not loaded: pytest would refuse -n
    if any(arg in {"-n", "--numprocesses"} or arg.startswith(("-n", "--numprocesses=", "--dist")) for arg in args):
        return args
    return [*args, "-n", wanted, "--dist", "loadfile"]


def _wait_letting_it_clean_up(process: subprocess.Popen, grace_seconds: float = 60) -> int:
    """Wait for `process`; on Ctrl-C or SIGTERM give it time to stop its servers before it is killed.

    Ctrl-C reaches the whole foreground group, pytest included. subprocess.run would kill pytest a
    quarter of a second later, before its atexit handlers stop PostgreSQL and Redis: that left them
    running after every interrupted `dorfkern.py test`. A second Ctrl-C kills it at once.
    """
    # SIGTERM to the runner (a CI timeout) reaches pytest as Ctrl-C: pytest then ends the session and
    # its cleanup runs (a SIGTERM inside a test would only fail that test and go on).
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: process.send_signal(signal.SIGINT)) \
        if threading.current_thread() is threading.main_thread() else None
    try:
        try:
            return process.wait()
        except KeyboardInterrupt:
            try:
                return process.wait(timeout=grace_seconds)
            except (KeyboardInterrupt, subprocess.TimeoutExpired):
                process.kill()
                return process.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


CHROMIUM = Path(os.environ.get("DORFKERN_CHROMIUM", "/usr/bin/chromium"))


def ensure_chromium() -> bool:
    """Make Debian's Chromium available for the browser journeys (tests/journeys/).

    Playwright's own browser download does not work on our machines; the tests drive
    the distribution's Chromium instead. As root it is installed with apt-get; anyone
    else is told the command, and the browser tests are skipped (not failed).
    """
    if CHROMIUM.exists():
        return True
    command = "apt-get update && apt-get install -y chromium"
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(f"» Chromium not found at {CHROMIUM}: the browser tests will be skipped. Install it with\n"
              f"    sudo sh -c '{command}'\n  or set DORFKERN_CHROMIUM to a Chromium binary.", flush=True)
        return False
    if not _apt_install("chromium", why="for the browser tests"):
        print("✗ the browser tests will be skipped.", file=sys.stderr)
        return False
    return CHROMIUM.exists()


def _apt_install(package: str, *, why: str) -> bool:
    """apt-get install `package` (as root, quietly, logged under .dorfkern/logs/)."""
    print(f"» installing {package} {why} (apt-get install {package}, a minute or two)", flush=True)
    log = embedded.STATE_DIR / "logs" / f"apt-{package}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
            if subprocess.run(step, stdout=output, stderr=subprocess.STDOUT, env=apt_env).returncode != 0:
                print(f"✗ {' '.join(step)} failed (see {log}).", file=sys.stderr)
                return False
    return True


def ensure_caddy() -> bool:
    """Debian's Caddy for tests/tenants/test_caddy_on_demand_tls.py (deploy/Caddyfile in front of a live server).

    Installed with apt-get as root; otherwise that test is skipped (not failed).
    """
    if shutil.which("caddy") is not None:
        return True
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print("» Caddy not found: the reverse-proxy test will be skipped. Install it with apt-get install caddy.",
              flush=True)
        return False
    return _apt_install("caddy", why="for the reverse-proxy test") and shutil.which("caddy") is not None


# --- run ----------------------------------------------------------------------


def _parse_run_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python3 dorfkern.py run",
        description="Run Dorfkern with a demo town. Data stays in .dorfkern/ between runs.",
    )
    parser.add_argument("--port", type=int, default=8000, help="web server port (default 8000)")
    parser.add_argument("--no-demo", action="store_true", help="don't load the demo town")
    parser.add_argument(
        "--reset", action="store_true", help="delete all local data (.dorfkern/) first, after confirmation"
    )
    parser.add_argument("--yes", action="store_true", help="with --reset: don't ask")
    return parser.parse_args(args)


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log_path: Path | None = None


@dataclass
class Stack:
    """Everything `run` started, so it can all be stopped again in reverse order."""

    state_dir: Path
    children: list[Child] = field(default_factory=list)
    embedded_postgres: bool = False
    embedded_redis: bool = False

    def spawn(self, name: str, command: list[str], env: dict[str, str], log_to_file: bool = True) -> Child:
        log_path = None
        output = None
        if log_to_file:
            log_path = self.state_dir / "logs" / f"{name}.log"
            log_path.parent.mkdir(parents=True, exist_ok=True)
            output = log_path.open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            # Own session: Ctrl-C reaches only this runner, which then stops the
            # children in order (web first, the database last).
            start_new_session=True,
        )
        if output:
            output.close()
        child = Child(name, process, log_path)
        self.children.append(child)
        return child

    def adopt(self, name: str, process: subprocess.Popen) -> None:
        self.children.append(Child(name, process))

    def exited_child(self) -> Child | None:
        return next((c for c in self.children if c.process.poll() is not None), None)

    def stop(self) -> None:
        for child in reversed(self.children):
            _terminate(child.process)
        self.children.clear()
        if self.embedded_redis:
            embedded.stop_redis("redis")
            self.embedded_redis = False
        if self.embedded_postgres:
            embedded.stop_postgres("pg")
            self.embedded_postgres = False


def _terminate(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _confirm_reset(state_dir: Path, assume_yes: bool) -> bool:
    if not state_dir.exists():
        return True
    if not assume_yes:
        answer = input(f"Delete {state_dir} with all local towns, users and mails? Type 'yes': ")
        if answer.strip().lower() != "yes":
            return False
    shutil.rmtree(state_dir)
    print(f"» deleted {state_dir}", flush=True)
    return True


def _services_env(stack: Stack, say: Callable[[str], None]) -> dict[str, str]:
    """Start whatever the environment doesn't provide; return the variables every process needs."""
    state = stack.state_dir
    env = dict(os.environ)
    if env.get("DATABASE_URL"):
        say("using PostgreSQL from DATABASE_URL")
        url = env["DATABASE_URL"]
        name = url.rsplit("/", 1)[-1].split("?", 1)[0]
        if name:
            # The server is real, the database may not be there yet.
            embedded.database_create_if_missing(embedded.database_url_with_name(url, "postgres"), name)
    else:
        say(f"starting embedded PostgreSQL ({state / 'pg'})")
        # pgserver keeps its lock under the user's runtime dir; the fallback to /tmp is fine here.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        url = embedded.ensure_postgres("pg", database=DEFAULT_DATABASE)
        stack.embedded_postgres = True
        env["DATABASE_URL"] = url.replace("postgresql://", "postgres://")
    if env.get("REDIS_URL"):
        say("using Redis from REDIS_URL")
    else:
        say(f"starting embedded Redis ({state / 'redis.rdb'})")
        env["REDIS_URL"] = embedded.ensure_redis("redis")
        stack.embedded_redis = True
    if env.get("STRIPE_API_BASE"):
        say("using Stripe API at STRIPE_API_BASE")
    else:
        process, base = embedded.start_localstripe()
        stack.adopt("localstripe", process)
        env["STRIPE_API_BASE"] = base
        say(f"started localstripe on {base}")
    env.update(
        DJANGO_SETTINGS_MODULE=DEV_SETTINGS,
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        PYTHONUNBUFFERED="1",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(state / "mail"),
        MEDIA_ROOT=str(state / "media"),
        STATIC_ROOT=str(state / "static"),
        DORFKERN_STATE_DIR=str(state),
    )
    env.setdefault("SITE_SCHEME", "http")
    for key, value in RUN_ENV_DEFAULTS.items():
        env.setdefault(key, value)
    return env


def _prepare_database(env: dict[str, str], load_demo: bool, say: Callable[[str], None]) -> None:
    """Migrate the public schema and every town, then load the demo (in this process: saves a Django start)."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    say("migrating the public schema")
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    say("migrating the template new towns are copied from, then the towns")
    call_command("migrate_towns", verbosity=0)
    if load_demo:
        say("loading the demo town (skipped when it is there already)")
        call_command("load_demo", verbosity=1)
    connections.close_all()


def _banner(port: int, state_dir: Path, demo: bool, seconds: float) -> str:
    from django.conf import settings

    base = settings.BASE_DOMAIN
    lines = [
        "",
        f"Dorfkern is running (ready after {seconds:.1f} s). Stop with Ctrl-C.",
        "",
        f"  Public site (signup, platform staff)   http://{base}:{port}/",
    ]
    if demo:
        from demo import data

        lines += [
            f"  {'Demo town ' + data.TOWN['slug']:<38} http://{data.TOWN['slug']}.{base}:{port}/",
            "",
            f"  Demo logins (password for all: {data.PASSWORD})",
        ]
        for label, email, where in data.banner_logins():
            lines.append(f"    {label:<38} {email:<44} {where}")
        lines.append("    Platform staff must set up two-factor login (TOTP) on first sign-in.")
    lines += [
        "",
        f"  Outgoing mail is written to            {state_dir / 'mail'}",
        f"  Worker and beat logs                   {state_dir / 'logs'}",
        f"  Data (kept between runs)               {state_dir}",
        "",
    ]
    return "\n".join(lines)


def _localstripe_webhook_register(api_base: str, port: int) -> None:
    """Point the embedded localstripe's webhooks at our endpoint, signed with our secret (as at Stripe)."""
    import urllib.parse
    import urllib.request

    from django.conf import settings

    data = urllib.parse.urlencode({
        "url": f"http://{settings.BASE_DOMAIN}:{port}/stripe/webhook/",
        "secret": settings.STRIPE_WEBHOOK_SECRET,
    }).encode()
    urllib.request.urlopen(urllib.request.Request(f"{api_base}/_config/webhooks/dorfkern", data=data), timeout=10)


def run_platform(args: list[str]) -> int:
    """`python3 dorfkern.py run`: everything up, demo loaded, until Ctrl-C or SIGTERM."""
    options = _parse_run_args(args)
    os.chdir(ROOT)
    state = embedded.STATE_DIR
    if options.reset and not _confirm_reset(state, options.yes):
        print("Nothing deleted.")
        return 1
    if not embedded.port_is_free(options.port):
        print(f"✗ Port {options.port} is in use. Stop the other server or pick one with --port.", file=sys.stderr)
        return 1
    state.mkdir(parents=True, exist_ok=True)

    def say(message: str) -> None:
        print(f"» {message}", flush=True)

    started = time.monotonic()
    stack = Stack(state)
    # Python leaves SIGINT ignored when it started ignored (a background job of a
    # script); Ctrl-C / kill -INT must stop the stack in every case.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    signal.signal(signal.SIGHUP, _raise_keyboard_interrupt)
    try:
        env = _services_env(stack, say)
        env["SITE_PORT"] = str(options.port)
        _prepare_database(env, load_demo=not options.no_demo, say=say)
        python = sys.executable
        say(f"starting web server on port {options.port}, Celery worker and beat")
        # Both queues, urgent first (config.celery_routes); production adds a worker for urgent alone.
        stack.spawn("worker", [python, "-m", "celery", "-A", "config", "worker", "--pool", "threads",
                               "--concurrency", "2", "--queues", "urgent,celery", "--loglevel", "INFO"], env)
        stack.spawn("beat", [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                             "--schedule", str(state / "celerybeat-schedule")], env)
        # The web server's request log goes to the terminal, as developers expect.
        stack.spawn("web", [python, "manage.py", "runserver", f"0.0.0.0:{options.port}", "--noreload"],
                          env, log_to_file=False)
        if not embedded.wait_for_port(options.port, timeout=60):
            raise RuntimeError("the web server did not start; see the output above")
        if any(child.name == "localstripe" for child in stack.children):
            _localstripe_webhook_register(env["STRIPE_API_BASE"], options.port)
        print(_banner(options.port, state, not options.no_demo, time.monotonic() - started), flush=True)
        while True:
            failed = stack.exited_child()
            if failed is not None:
                _report_failure(failed)
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\n» stopping web server, worker, beat and the embedded services ...", flush=True)
        return 0
    except Exception as error:  # noqa: BLE001 - a readable message beats a traceback for the person at the terminal
        print(f"✗ {error}", file=sys.stderr)
        return 1
    finally:
        # A second Ctrl-C must not leave orphans behind while stopping.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
        print("» stopped.", flush=True)


def _report_failure(child: Child) -> None:
    print(f"\n✗ {child.name} stopped unexpectedly (exit code {child.process.returncode}).", file=sys.stderr)
    if child.log_path and child.log_path.exists():
        tail = child.log_path.read_text(errors="replace").splitlines()[-25:]
        print(f"  Last lines of {child.log_path}:", file=sys.stderr)
        for line in tail:
            print(f"    {line}", file=sys.stderr)
