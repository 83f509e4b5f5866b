"""Prometheus metrics at /metrics (for operators only), task outcomes, and JSON log lines.

The test client connects from 127.0.0.1, which METRICS_ALLOWED_NETWORKS admits by default; other
callers are simulated with REMOTE_ADDR and X-Forwarded-For.
"""

from __future__ import annotations

import io
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery import shared_task
from django.conf import settings
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families
from pythonjsonlogger.json import JsonFormatter

from core import metrics, request_id
from core.log_context import TownContextFilter, UserContextFilter
from core.request_id import RequestIdFilter
from tests.helpers import TownClient, admin_of, host_of, logged_in_client


@shared_task(name="tests.metrics.works")
def works() -> str:
    logging.getLogger("tests.metrics.task").warning("Aufgabe erledigt")
    return "ok"


@shared_task(name="tests.metrics.fails")
def fails() -> None:
    raise RuntimeError("kaputt")


def _scrape(client: TownClient | None = None, **headers: str) -> dict[tuple[str, tuple], float]:
    response = (client or TownClient(settings.BASE_DOMAIN)).get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    return _parse(response.content.decode())


def _parse(text: str) -> dict[tuple[str, tuple], float]:
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_a_request_is_counted_by_its_url_name_and_status_and_timed(town_a):
    client = TownClient(host_of(town_a))
    before = _scrape()
    assert client.get("/").status_code == 200
    assert client.get("/gibt-es-nicht/").status_code == 404
    after = _scrape()

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("dorfkern_http_requests_total", view="home", method="GET", status="200") == 1
    # A path no URL matches is one series, whatever the path: scanners add no new ones.
    assert grew("dorfkern_http_requests_total", view="<unresolved>", method="GET", status="404") == 1
    assert grew("dorfkern_http_request_duration_seconds_count", view="home") == 1
    assert grew("dorfkern_town_requests_total", town=town_a.slug) == 2
    # No raw path appears as a label anywhere.
    assert not any("gibt-es-nicht" in str(labels) for _name, labels in after)


def test_metrics_are_refused_to_the_public_on_a_town_host_and_through_the_proxy(town_a):
    town = TownClient(host_of(town_a), REMOTE_ADDR="203.0.113.50")
    refused = town.get("/metrics")
    assert refused.status_code == 404
    assert b"dorfkern_" not in refused.content
    # Through the reverse proxy (X-Forwarded-For) the proxy's own address doesn't let anyone in.
    proxied = TownClient(host_of(town_a)).get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert proxied.status_code == 404
    with override_settings(METRICS_BEARER_TOKEN="geheim-" + "x" * 30):
        assert town.get("/metrics", HTTP_AUTHORIZATION="Bearer falsch").status_code == 403
        samples = _scrape(town, HTTP_AUTHORIZATION="Bearer geheim-" + "x" * 30)
        assert any(name == "dorfkern_http_requests_total" for name, _labels in samples)
    # Without a token configured, no bearer token opens it.
    with override_settings(METRICS_BEARER_TOKEN=""):
        assert town.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_the_scrape_shows_queue_lengths_and_the_outbox_and_survives_a_dead_broker(db):
    samples = _scrape()
    assert _value(samples, "dorfkern_metrics_source_up", source="broker") == 1
    assert _value(samples, "dorfkern_metrics_source_up", source="database") == 1
    assert ("dorfkern_celery_queue_length", (("queue", "urgent"),)) in samples
    assert ("dorfkern_celery_queue_length", (("queue", "celery"),)) in samples
    assert ("dorfkern_outbox_pending", ()) in samples

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = probe.getsockname()[1]
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{dead}/0"):
        started = time.monotonic()
        samples = _scrape()
        assert time.monotonic() - started < 5
    assert _value(samples, "dorfkern_metrics_source_up", source="broker") == 0
    assert ("dorfkern_outbox_pending", ()) in samples


def test_a_task_run_eagerly_shows_in_the_task_outcome_counters(db):
    before = _scrape()
    works.apply()
    fails.apply()
    after = _scrape()
    for task, outcome in (("tests.metrics.works", "success"), ("tests.metrics.fails", "failure")):
        grown = (_value(after, "dorfkern_celery_tasks_total", task=task, outcome=outcome)
                 - _value(before, "dorfkern_celery_tasks_total", task=task, outcome=outcome))
        assert grown == 1, (task, outcome)
    assert _value(after, "dorfkern_celery_task_duration_seconds_count", task="tests.metrics.works") >= 1


def test_towns_beyond_the_cap_are_counted_together(town_a, town_b, monkeypatch):
    monkeypatch.setattr(metrics, "_towns_seen", set())
    with override_settings(METRICS_TOWN_LABELS_MAX=1):
        assert metrics.town_label(town_a.slug) == town_a.slug
        assert metrics.town_label(town_b.slug) == metrics.OTHER_TOWNS
        assert metrics.town_label(town_a.slug) == town_a.slug


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The JSON formatter of settings.LOGGING with the console handler's filters, on the root logger."""
    config = {key: value for key, value in settings.LOGGING["formatters"]["json"].items() if key != "()"}
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter(**config))
    for log_filter in (TownContextFilter(), RequestIdFilter(), UserContextFilter()):
        handler.addFilter(log_filter)
    root = logging.getLogger()
    root.addHandler(handler)
    previous = logging.getLogger("dorfkern.access").level
    logging.getLogger("dorfkern.access").setLevel(logging.INFO)
    yield out
    root.removeHandler(handler)
    logging.getLogger("dorfkern.access").setLevel(previous)


def _records(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_the_access_log_line_is_json_with_request_id_town_user_and_duration(town_a, json_lines):
    admin = admin_of(town_a)
    client = logged_in_client(town_a, admin)
    assert client.get("/", HTTP_X_REQUEST_ID="spur-json-1").status_code == 200
    access = [record for record in _records(json_lines) if record["logger"] == "dorfkern.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "spur-json-1"
    assert line["town"] == town_a.slug
    assert line["user_id"] == str(admin.pk)
    assert (line["method"], line["http_host"], line["path"], line["status"]) == ("GET", host_of(town_a), "/", 200)
    assert line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["timestamp"].startswith(str(time.gmtime().tm_year))


def test_a_task_run_for_a_request_logs_under_its_request_id(db, json_lines):
    token = request_id._current.set("spur-task-7")
    try:
        works.apply()  # eagerly, as in the request that called it
    finally:
        request_id._current.reset(token)
    lines = [record for record in _records(json_lines) if record["logger"] == "tests.metrics.task"]
    assert lines and lines[0]["request_id"] == "spur-task-7" and lines[0]["message"] == "Aufgabe erledigt"


def test_a_worker_serves_its_counters_to_allowed_callers_only(db):
    server = metrics.worker_metrics_serve("127.0.0.1", 0)
    try:
        url = f"http://127.0.0.1:{server.server_port}/metrics"
        works.apply()
        with urllib.request.urlopen(url, timeout=5) as answer:
            body = answer.read().decode()
        assert 'dorfkern_celery_tasks_total{outcome="success",task="tests.metrics.works"}' in body
        assert "dorfkern_http_requests_total" in body
        with override_settings(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8"]):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url, timeout=5)
            assert refused.value.code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_a_hanging_database_costs_the_scrape_at_most_its_timeout(db):
    from unittest import mock

    from django.db import connections

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts, never answers: a hung PostgreSQL
        hung = {"HOST": "127.0.0.1", "PORT": silent.getsockname()[1]}
        with mock.patch.dict(connections.settings["default"], hung), \
                override_settings(METRICS_SCRAPE_TIMEOUT_SECONDS=0.5):
            started = time.monotonic()
            samples = _scrape()
            took = time.monotonic() - started
    assert _value(samples, "dorfkern_metrics_source_up", source="database") == 0
    assert took < 2.0


def test_gunicorns_worker_processes_are_added_up_in_multiprocess_mode(tmp_path):
    """Several gunicorn processes answer; one scrape shows all their requests (PROMETHEUS_MULTIPROC_DIR)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "prometheus"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"left over from the last run")  # emptied at start
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        PROMETHEUS_MULTIPROC_DIR=str(folder), DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="k" * 60, BILLING_ENABLED="false", SECURE_SSL_REDIRECT="false", PYTHONPATH=str(root / "platform"),
        # /healthz needs neither; the scrape reports both as down and still answers.
        DATABASE_URL="postgres://postgres@127.0.0.1:9/none", REDIS_URL="redis://127.0.0.1:9/0",
        METRICS_SCRAPE_TIMEOUT_SECONDS="0.5", EMAIL_HOST="smtp.example.org",  # production refuses to start without
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "python:config.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or gunicorn.poll() is not None:
                    pytest.fail("gunicorn did not start")
                time.sleep(0.2)

        def healthz_count() -> float:
            with urllib.request.urlopen(f"{base}/metrics", timeout=10) as answer:
                samples = _parse(answer.read().decode())
            return _value(samples, "dorfkern_http_requests_total", view="healthz", method="GET", status="200")

        def probe(_number: int) -> None:
            urllib.request.urlopen(f"{base}/healthz", timeout=10).close()

        before = healthz_count()
        # Six at a time: the two processes share them (each counts in its own file).
        with ThreadPoolExecutor(max_workers=6) as pool:
            list(pool.map(probe, range(30)))
        assert healthz_count() == before + 30
        assert list(folder.glob("counter_*.db"))
        assert not (folder / "counter_1.db").exists()
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
