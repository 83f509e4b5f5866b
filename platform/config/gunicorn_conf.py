"""gunicorn settings for the web container: `gunicorn config.wsgi --config python:config.gunicorn_conf`.

A module named on the command line rather than ./gunicorn.conf.py, which gunicorn would also pick
up for the bench scripts' own gunicorn runs (bench/benchlib.py measures sync workers on purpose).
Each value can be changed through the environment without rebuilding the image.
"""

from __future__ import annotations

import os

# The address (--bind) is on the command line in docker-compose.yml and the Dockerfile, where the
# container's healthcheck and port mapping can be checked against it (tests/test_compose.py).
# Threads, not gevent: Django's ORM and psycopg2 block, and green threads would need patching of
# both. A request waiting on the database or a mail relay holds one thread, not a whole process,
# so a slow dependency doesn't take every page down with it. 2 processes x 8 threads by default.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A worker process that stops answering gunicorn's heartbeat for 30 s is killed and replaced.
# With gthread the heartbeat comes from the worker's main loop, not from the request thread: a
# single slow request is bounded by the timeouts in settings (database connect 5 s and statement
# 30 s, EMAIL_TIMEOUT 10 s, OUTBOUND_TIMEOUT_SECONDS 15 s), not by this value.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a deploy or restart (SIGTERM), requests in flight get 30 s to finish before the hard stop.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Keep-alive to the reverse proxy in front; short, as each open connection pins a thread.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Replace a process after about 2,000 requests (with jitter, so not all at once): bounds slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The access log is Django's (core.metrics, logger dorfkern.access: host, path, status, duration,
# request id, town, user id; JSON in production); GUNICORN_ACCESSLOG=- adds gunicorn's own as well.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None


# Prometheus' multiprocess mode (core.metrics): each worker process writes its counters to files in
# PROMETHEUS_MULTIPROC_DIR. Emptied when the master starts, so a restart's counters start at zero
# instead of adding up with the last run's; a dead worker's files are marked so its gauges go.
def on_starting(server: object) -> None:
    # Like core.metrics.multiproc_dir_wipe, without importing Django into the master.
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.unlink(os.path.join(folder, name))


def child_exit(server: object, worker: object) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(getattr(worker, "pid", 0))
