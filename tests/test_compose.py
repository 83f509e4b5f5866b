"""docker-compose.yml and the Dockerfile stay consistent with the code's entry points.

No Docker engine runs here, so this checks what a `docker compose up` would
rely on: the modules, management commands and options each service runs, the
settings module and the environment variables the settings actually read. Where a
compose client is installed (`docker compose` or `docker-compose`), it validates the
file as well (`config`); without one, that test is skipped and the rest still runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DIR = ROOT / "platform" / "config" / "settings"
APP_SERVICES = ("migrate", "web", "worker", "worker-urgent", "beat", "backup")
LONG_RUNNING = ("web", "worker", "worker-urgent", "beat", "backup")
# Read by Django / the container itself rather than through settings' env(...).
# BACKUP_AT: deploy/backup-nightly.sh; PROMETHEUS_MULTIPROC_DIR: prometheus-client reads it itself.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "BACKUP_AT", "PROMETHEUS_MULTIPROC_DIR"}
# What an operator must set; compose refuses to start without any of them.
REQUIRED_ENV = {
    "POSTGRES_PASSWORD": "x" * 32, "SECRET_KEY": "y" * 60, "EMAIL_HOST": "smtp.example.org",
    "STRIPE_API_KEY": "sk_live_x", "STRIPE_PUBLISHABLE_KEY": "pk_live_x", "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "ACME_EMAIL": "tls@example.org",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def _command(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def _settings_env_names() -> set[str]:
    # env("NAME", ...), env.bool("NAME", ...), env.db_url("NAME", ...), ...
    pattern = re.compile(r"""\benv(?:\.\w+)?\(\s*["'](\w+)["']""")
    names: set[str] = set()
    for name in ("base.py", "production.py"):
        names |= set(pattern.findall((SETTINGS_DIR / name).read_text()))
    return names


def test_stack_has_the_production_services(compose):
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", *APP_SERVICES}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in APP_SERVICES:
        assert services[name]["build"] == ".", f"{name} must run the repository's own image"
    assert (ROOT / "Dockerfile").exists()


def test_settings_module_named_in_compose_and_dockerfile_exists(compose, dockerfile):
    for name in APP_SERVICES:
        module = compose["services"][name]["environment"]["DJANGO_SETTINGS_MODULE"]
        assert module == "config.settings.production"
        assert importlib.util.find_spec(module) is not None
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in dockerfile
    # platform/ is a source root: without it on the path, `config` doesn't import.
    assert "PYTHONPATH=/app:/app/platform" in dockerfile


def test_web_runs_the_wsgi_application_with_gunicorn(compose, dockerfile):
    command = _command(compose["services"]["web"])
    assert command[0] == "gunicorn"
    module_name, _, attribute = command[1].partition(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute or "application"))
    # The image's default command is the same server.
    assert f'CMD ["gunicorn", "{command[1]}"' in dockerfile


@pytest.mark.parametrize("service, subcommand", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_use_the_project_app(compose, service, subcommand):
    command = _command(compose["services"][service])
    assert command[:4] == ["celery", "-A", "config", subcommand]
    from celery import Celery

    assert isinstance(importlib.import_module("config").celery_app, Celery)
    # The options must exist in this Celery version: let its own parser judge them.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", subcommand, *command[4:], "--help"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_beat_keeps_its_schedule_on_a_volume(compose):
    beat = compose["services"]["beat"]
    command = _command(beat)
    schedule = command[command.index("--schedule") + 1]
    mounts = [volume.split(":", 1)[1] for volume in beat["volumes"]]
    assert any(schedule.startswith(mount + "/") for mount in mounts)


def test_migrate_runs_real_management_commands(compose):
    command = _command(compose["services"]["migrate"])
    assert command[:2] == ["sh", "-c"]
    steps = [shlex.split(step) for step in command[2].split("&&")]
    assert [step[2] for step in steps] == ["migrate_schemas", "migrate_towns"]
    commands = get_commands()
    for step in steps:
        assert step[:2] == ["python", "manage.py"]
        name, args = step[2], step[3:]
        assert name in commands
        parser = load_command_class(commands[name], name).create_parser("manage.py", name)
        parser.parse_args(args)  # exits (fails the test) on an unknown option
    assert "--shared" in steps[0], "the public schema must be migrated before the towns"
    for name in ("web", "worker", "beat"):
        condition = compose["services"][name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully"


def test_app_environment_uses_only_variables_the_settings_read(compose):
    read = _settings_env_names()
    for name in APP_SERVICES:
        unknown = set(compose["services"][name]["environment"]) - read - NOT_SETTINGS
        assert not unknown, f"{name} sets variables no setting reads: {sorted(unknown)}"


def test_every_required_setting_is_provided(compose):
    # env("NAME") without a default fails at start-up when NAME is missing.
    required = set()
    for name in ("base.py", "production.py"):
        required |= set(re.findall(r"""\benv(?:\.\w+)?\(\s*["'](\w+)["']\s*\)""", (SETTINGS_DIR / name).read_text()))
    assert required, "production needs at least SECRET_KEY from the environment"
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert required <= set(environment), f"{name} lacks {sorted(required - set(environment))}"
        for key in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "BASE_DOMAIN"):
            assert key in environment
        assert "@postgres:5432/" in environment["DATABASE_URL"]
        # Cache and broker on separate servers (test_cache_and_broker_are_separate_redis_servers).
        assert environment["REDIS_URL"].startswith("redis://redis-cache:6379/")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379/")


def test_named_volumes_are_declared(compose):
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


def test_dev_runner_starts_the_same_entry_points():
    # `dorfkern.py run` and compose must not drift apart: same Celery app, same migrations.
    source = (ROOT / "platform" / "config" / "devtools.py").read_text()
    assert '"celery", "-A", "config", "worker"' in source
    assert '"celery", "-A", "config", "beat"' in source
    assert '"migrate_schemas", shared=True' in source


def test_web_healthcheck_probes_healthz_on_its_own_port(compose):
    # /healthz needs no database (core.health): a database outage must not restart the web containers.
    web = compose["services"]["web"]
    probe = " ".join(web["healthcheck"]["test"])
    port = _command(web)[_command(web).index("--bind") + 1].rsplit(":", 1)[1]
    assert f"http://127.0.0.1:{port}/healthz" in probe
    assert "/readyz" not in probe


def test_web_runs_threaded_workers_with_timeouts_from_the_gunicorn_config(compose, dockerfile):
    # gunicorn's own parser reads the module the web service names; a typo there would fall back
    # to one sync worker with no settings at all.
    command = _command(compose["services"]["web"])
    assert f'CMD {json.dumps(command)}' in dockerfile
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")])}
    result = subprocess.run(
        [sys.executable, "-m", *command, "--print-config"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    config = dict(
        (name.strip(), value.strip()) for name, _, value in
        (line.partition("=") for line in result.stdout.splitlines()) if value
    )
    assert config["worker_class"] == "gthread"
    assert int(config["threads"]) > 1
    assert 0 < int(config["timeout"]) <= 60
    assert 0 < int(config["graceful_timeout"]) <= 60
    assert config["bind"] == "['0.0.0.0:8000']"


def test_migrations_run_without_the_statement_timeout(compose):
    # An index build on a big table may outlast the 30 s a web request gets.
    assert compose["services"]["migrate"]["environment"]["DATABASE_STATEMENT_TIMEOUT_SECONDS"] == "0"
    assert "DATABASE_STATEMENT_TIMEOUT_SECONDS" not in compose["services"]["web"]["environment"]


def test_compose_refuses_to_start_without_the_stripe_secrets(compose, dockerfile):
    # `${NAME:?message}`: compose stops with the message instead of passing an empty value, which
    # production's settings would refuse anyway (tests/test_settings.py), just later and less clearly.
    for service in APP_SERVICES:
        environment = compose["services"][service]["environment"]
        for name in ("STRIPE_API_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
            assert re.fullmatch(r"\$\{" + name + r":\?set " + name + r" to .+\}", environment[name]), environment[name]
    # The image's build takes no money: its collectstatic runs without them.
    assert "BILLING_ENABLED=false" in dockerfile


def test_per_ip_limits_see_the_visitor_behind_the_reverse_proxy(compose):
    # One proxy hop in front: without this, one bad client's failed sign-ins or wrong API tokens would
    # use up the limits of every visitor, who would all share the proxy's address.
    environment = compose["services"]["web"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


# --- issue 18 §9: a stack an operator can run ---------------------------------------------------


def _compose_client() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def _compose_config(client: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what the operator sets, plus PATH/HOME for the client itself: no variable of this machine leaks in.
    base = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    return subprocess.run([*client, "--file", str(ROOT / "docker-compose.yml"), "config"], cwd=ROOT,
                          env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_the_compose_client_accepts_the_file_and_names_each_missing_secret():
    client = _compose_client()
    if client is None:
        pytest.skip("no compose client here (docker compose / docker-compose); the parsing tests above still ran")
    result = _compose_config(client, REQUIRED_ENV)
    assert result.returncode == 0, result.stderr
    rendered = yaml.safe_load(result.stdout)
    assert rendered["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == REQUIRED_ENV["POSTGRES_PASSWORD"]
    assert rendered["services"]["web"]["environment"]["EMAIL_HOST"] == "smtp.example.org"
    # One missing variable is enough to prove the client stops with its message (each client call takes
    # seconds); test_no_password_or_secret_has_a_default and the mail test check the others' `:?` form.
    missing = _compose_config(client, {key: value for key, value in REQUIRED_ENV.items() if key != "POSTGRES_PASSWORD"})
    assert missing.returncode != 0
    assert "set POSTGRES_PASSWORD to a long random value" in missing.stderr, missing.stderr


def test_no_password_or_secret_has_a_default(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    defaulted = set(re.findall(r"\$\{(\w+):-", text))
    assert not {name for name in defaulted if re.search(r"PASSWORD|SECRET|_KEY$", name)} - {
        "EMAIL_HOST_PASSWORD",  # many relays take mail without a login
        "VAPID_PRIVATE_KEY",  # else generated once into the shared keys volume
        "MAIL_BOUNCE_WEBHOOK_SECRET",  # empty: the bounce webhook answers 404 (bounces read from a mailbox)
    }
    password = "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD to a long random value}"
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == password
    for name in APP_SERVICES:
        assert f"postgres://dorfkern:{password}@postgres" in compose["services"][name]["environment"]["DATABASE_URL"]


def test_every_service_has_a_healthcheck_that_fits_it(compose):
    services = compose["services"]
    for name, service in services.items():
        if name == "migrate":
            continue  # a one-shot job: the others wait for it to complete successfully
        assert "healthcheck" in service, f"{name} has no healthcheck"
    assert services["postgres"]["healthcheck"]["test"][1].startswith("pg_isready")
    for name in ("redis", "redis-cache"):
        assert services[name]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    # A worker answers a ping through the broker under its own node name (--hostname, default celery@%h).
    for name in ("worker", "worker-urgent"):
        command = _command(services[name])
        node = command[command.index("--hostname") + 1] if "--hostname" in command else "celery@%h"
        probe = " ".join(services[name]["healthcheck"]["test"][1:])
        assert "celery -A config inspect ping" in probe
        assert f"--destination {node.replace('%h', '$$HOSTNAME')}" in probe
    # Beat: its schedule file, which it saves while it sends tasks, is the probe.
    beat = services["beat"]
    schedule = _command(beat)[_command(beat).index("--schedule") + 1]
    assert f"glob.glob('{schedule}*')" in beat["healthcheck"]["test"][-1]


def test_services_start_only_after_what_they_need_is_healthy(compose):
    services = compose["services"]
    stores = {"postgres", "redis", "redis-cache"}
    assert {name: value["condition"] for name, value in services["migrate"]["depends_on"].items()} == {
        name: "service_healthy" for name in stores
    }
    for name in LONG_RUNNING:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        for store in stores:
            assert depends[store]["condition"] == "service_healthy", f"{name} doesn't wait for {store}"


def test_every_container_log_is_rotated(compose):
    for name, service in compose["services"].items():
        logging = service.get("logging") or {}
        assert logging.get("driver") == "json-file", f"{name} logs without rotation"
        assert logging["options"]["max-size"] and int(logging["options"]["max-file"]) >= 2


def test_cache_and_broker_are_separate_redis_servers(compose):
    # A full cache evicts its own keys (allkeys-lru), never queued tasks; the broker keeps tasks on disk
    # and refuses new ones when full (the outbox keeps those) rather than dropping old ones.
    cache, broker = compose["services"]["redis-cache"], compose["services"]["redis"]
    cache_command, broker_command = _command(cache), _command(broker)
    assert cache_command[cache_command.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert cache_command[cache_command.index("--appendonly") + 1] == "no"
    assert broker_command[broker_command.index("--maxmemory-policy") + 1] == "noeviction"
    assert broker_command[broker_command.index("--appendonly") + 1] == "yes"
    assert not cache.get("volumes") and broker["volumes"]


def test_mail_goes_to_a_relay_the_operator_names(compose):
    for name in APP_SERVICES:
        environment = compose["services"][name]["environment"]
        assert environment["EMAIL_HOST"].startswith("${EMAIL_HOST:?set EMAIL_HOST to ")
        assert "localhost" not in environment["EMAIL_HOST"]


def test_every_container_signs_web_push_with_the_same_key(compose):
    folders = set()
    # Web shows residents the public key; workers sign the pushes (beat only schedules them).
    for name in ("web", "worker", "worker-urgent"):
        service = compose["services"][name]
        key_file = service["environment"]["VAPID_KEY_FILE"]
        mounts = dict(reversed(volume.split(":")[:2]) for volume in service["volumes"])
        folder = str(Path(key_file).parent)
        assert folder in mounts, f"{name}: {key_file} is not on a volume"
        folders.add(mounts[folder])
        assert service["environment"]["VAPID_PRIVATE_KEY"] == "${VAPID_PRIVATE_KEY:-}"
    assert len(folders) == 1, "web and workers must share one key"
    assert "/app/keys" in (ROOT / "Dockerfile").read_text(), "the image must own the key folder to write it"


def test_the_backup_service_dumps_with_the_servers_major_version_into_a_volume(compose, dockerfile):
    services = compose["services"]
    backup = services["backup"]
    major = services["postgres"]["image"].split(":")[1].split("-")[0].split(".")[0]
    assert backup["environment"]["POSTGRES_BIN_DIR"] == f"/usr/lib/postgresql/{major}/bin"
    assert f"postgresql-client-{major}" in dockerfile
    mounts = dict(reversed(volume.split(":")[:2]) for volume in backup["volumes"])
    assert mounts[backup["environment"]["BACKUP_ROOT"]] == "backups"
    assert mounts["/app/media"] == "media"
    assert "media:/app/media:ro" in backup["volumes"]
    # The entry script runs the real management command (with no options the parser would refuse).
    command = _command(backup)
    script = (ROOT / command[-1]).read_text()
    assert command[0] == "sh" and "python manage.py backup_create" in script
    assert "backup_create" in get_commands()
    assert subprocess.run(["sh", "-n", str(ROOT / command[-1])]).returncode == 0
    assert "/backups/LATEST" in " ".join(backup["healthcheck"]["test"])


# --- issue 20 E: the same stack on a Citus cluster (docker-compose.citus.yml over docker-compose.yml) ----------


@pytest.fixture(scope="module")
def citus_override() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.citus.yml").read_text())


def _citus_nodes(override: dict) -> dict[str, dict]:
    return {name: service for name, service in override["services"].items()
            if str(service.get("image", "")).startswith("citusdata/citus:")}


def test_the_citus_stack_replaces_postgres_with_a_coordinator_and_two_workers(compose, citus_override):
    nodes = _citus_nodes(citus_override)
    assert "postgres" in nodes, "the coordinator keeps the name every DATABASE_URL and depends_on uses"
    workers = sorted(set(nodes) - {"postgres"})
    assert len(workers) == 2
    # One Citus version everywhere (citus_setup refuses mixed ones), on the PostgreSQL major of the plain stack,
    # which the backup image's pg_dump matches.
    assert len({service["image"] for service in nodes.values()}) == 1
    major = compose["services"]["postgres"]["image"].split(":")[1].split(".")[0]
    assert nodes["postgres"]["image"].endswith(f"-pg{major}")
    declared = set(citus_override.get("volumes") or {}) | set(compose.get("volumes") or {})
    for name, service in nodes.items():
        assert service["healthcheck"]["test"][1].startswith("pg_isready"), name
        assert service["logging"]["driver"] == "json-file", name
        data = [volume.split(":")[0] for volume in service["volumes"] if volume.endswith(":/var/lib/postgresql/data")]
        assert data and data[0] in declared, f"{name} keeps its data on a named volume"
    assert len({service["volumes"][0] for service in nodes.values()}) == 3, "each node has its own data"


def test_the_citus_stack_sets_up_the_cluster_before_migrating(compose, citus_override):
    migrate = citus_override["services"]["migrate"]
    command = _command(migrate)
    steps = [shlex.split(step) for step in command[2].split("&&")]
    # citus_setup first, then exactly the plain stack's migration steps (they must not drift apart).
    assert steps[0] == ["python", "manage.py", "citus_setup"]
    assert command[2].split("&&", 1)[1].strip() == _command(compose["services"]["migrate"])[2].strip()
    commands = get_commands()
    assert "citus_setup" in commands
    load_command_class(commands["citus_setup"], "citus_setup").create_parser("manage.py", "citus_setup").parse_args([])
    # The workers citus_setup registers are this file's worker services, healthy before it runs.
    workers = migrate["environment"]["CITUS_WORKERS"].split(",")
    nodes = set(_citus_nodes(citus_override)) - {"postgres"}
    assert {worker.rsplit(":", 1)[0] for worker in workers} == nodes
    assert all(worker.endswith(":5432") for worker in workers)
    assert {name: value["condition"] for name, value in migrate["depends_on"].items()} == {
        name: "service_healthy" for name in nodes
    }
    assert {"CITUS_WORKERS", "CITUS_COORDINATOR"} <= _settings_env_names()


def test_the_citus_stack_takes_no_coordinator_only_dump_for_a_backup(citus_override):
    # pg_dump of the coordinator has the towns' empty shells only: the service is off unless asked for by name.
    assert citus_override["services"]["backup"]["profiles"]
    assert "Backups" in (ROOT / "docs" / "scale-out.md").read_text()


def test_the_compose_client_accepts_the_citus_stack():
    client = _compose_client()
    if client is None:
        pytest.skip("no compose client here (docker compose / docker-compose); the parsing tests above still ran")
    base = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    result = subprocess.run(
        [*client, "--file", str(ROOT / "docker-compose.yml"), "--file", str(ROOT / "docker-compose.citus.yml"),
         "config"], cwd=ROOT, env={**base, **REQUIRED_ENV}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    # Merged as intended: the app services unchanged and still waiting for migrate, migrate for every node.
    assert set(services) >= {"postgres", "citus-worker-1", "citus-worker-2", *APP_SERVICES}
    assert services["postgres"]["image"].startswith("citusdata/citus:")
    assert set(services["migrate"]["depends_on"]) >= {"postgres", "citus-worker-1", "citus-worker-2", "redis"}
    assert services["migrate"]["environment"]["DATABASE_STATEMENT_TIMEOUT_SECONDS"] == "0"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["image"] == "dorfkern:latest"
    password = REQUIRED_ENV["POSTGRES_PASSWORD"]
    for name in ("postgres", "citus-worker-1", "citus-worker-2"):
        assert services[name]["environment"]["PGPASSWORD"] == password
