"""Production settings pass Django's deployment checklist with a realistic environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "BASE_DOMAIN"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        # Port 1 refuses at once: the checks must not need a reachable database or Redis.
        DATABASE_URL="postgres://dorfkern:s3cret@127.0.0.1:1/dorfkern",
        REDIS_URL="redis://127.0.0.1:1/0",
        BASE_DOMAIN="dorfkern.example",
        ALLOWED_HOSTS="dorfkern.example,.dorfkern.example",
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
