"""Production settings pass Django's deployment checklist with a realistic environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Shaped like the dashboard's values; nothing here talks to Stripe.
STRIPE_SECRETS = {
    "STRIPE_API_KEY": "sk_live_51Pq" + "x" * 90,
    "STRIPE_PUBLISHABLE_KEY": "pk_live_51Pq" + "x" * 90,
    "STRIPE_WEBHOOK_SECRET": "whsec_" + "y" * 32,
}


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "BASE_DOMAIN",
                       "BILLING_ENABLED", "EMAIL_HOST", "EMAIL_BACKEND", *STRIPE_SECRETS}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        # Port 1 refuses at once: the checks must not need a reachable database or Redis.
        DATABASE_URL="postgres://dorfkern:s3cret@127.0.0.1:1/dorfkern",
        REDIS_URL="redis://127.0.0.1:1/0",
        BASE_DOMAIN="dorfkern.example",
        ALLOWED_HOSTS="dorfkern.example,.dorfkern.example",
        EMAIL_HOST="smtp.dorfkern.example",
        **STRIPE_SECRETS,
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_production_settings_pass_check_deploy_without_warnings():
    # when
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())

    # then
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_check_deploy_catches_a_weak_secret_key():
    # Proves the test above would notice a bad configuration (security.W009).
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env(SECRET_KEY="short"))

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def _stripe_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    # Importing the settings is where production refuses; no need to load the apps for that.
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings as s; "
         "print(repr((s.STRIPE_API_KEY, s.STRIPE_WEBHOOK_SECRET)))"],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT / "platform")}, capture_output=True, text=True, timeout=60,
    )


def test_production_refuses_to_start_without_the_stripe_secrets():
    env = _production_env()
    del env["STRIPE_WEBHOOK_SECRET"]

    result = _stripe_settings(env)

    assert result.returncode != 0
    assert "STRIPE_WEBHOOK_SECRET must be the signing secret of the webhook endpoint" in result.stderr
    assert "it is missing" in result.stderr


@pytest.mark.parametrize("name, value", [
    ("STRIPE_WEBHOOK_SECRET", "whsec_dorfkern"), ("STRIPE_API_KEY", "sk_test_dorfkern"), ("STRIPE_API_KEY", ""),
])
def test_production_refuses_the_repositorys_test_values_and_empty_ones(name, value):
    result = _stripe_settings(_production_env(**{name: value}))

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} must be" in result.stderr


def test_production_takes_real_looking_secrets_and_without_billing_needs_none():
    assert _stripe_settings(_production_env()).stdout.strip() == repr(
        (STRIPE_SECRETS["STRIPE_API_KEY"], STRIPE_SECRETS["STRIPE_WEBHOOK_SECRET"])
    )
    env = {key: value for key, value in _production_env(BILLING_ENABLED="false").items()
           if key not in STRIPE_SECRETS}

    result = _stripe_settings(env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('', '')"


def test_production_refuses_to_start_without_a_mail_relay():
    # Inside a container localhost:25 is nobody: every mail would fail long after start-up.
    env = _production_env()
    del env["EMAIL_HOST"]

    result = _stripe_settings(env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: EMAIL_HOST must name the mail relay" in result.stderr
    # A job that sends no mail over SMTP (the image's collectstatic, a console backend) needs no relay.
    assert _stripe_settings({**env, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}).returncode == 0


def test_a_new_migration_gives_the_cache_keys_a_new_prefix(tmp_path):
    """Pickled rows of the previous code's models are never read after a deploy that changed them."""
    from config.settings.base import models_fingerprint

    migrations = tmp_path / "modules" / "news" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_initial.py").write_text("")
    (migrations / "__init__.py").write_text("")
    before = models_fingerprint(tmp_path)
    assert models_fingerprint(tmp_path) == before  # the same code, the same keys (every host, every start)

    (migrations / "0002_article_summary.py").write_text("")
    assert models_fingerprint(tmp_path) != before


def test_the_cache_keys_carry_the_models_fingerprint():
    from django.conf import settings

    from config.settings.base import ROOT_DIR, models_fingerprint

    assert settings.CACHES["default"]["KEY_PREFIX"] == models_fingerprint(ROOT_DIR)
