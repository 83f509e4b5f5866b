"""`python3 dorfkern.py run` shows what a town sees: the project's own German error pages, with static files served."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import environ
import pytest
from django.test import override_settings

from tests.helpers import TownClient, host_of


@pytest.fixture
def run_env(monkeypatch, tmp_path) -> dict[str, str]:
    """The variables `run` hands the web server, with every service given (nothing is started)."""
    from config import devtools

    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:9")
    monkeypatch.delenv("DEBUG", raising=False)
    monkeypatch.setattr(devtools.embedded, "database_create_if_missing", lambda *args: None)
    return devtools._services_env(devtools.Stack(tmp_path), say=lambda message: None)


@pytest.fixture
def dev_settings(monkeypatch) -> ModuleType:
    """config.settings.dev as `run` loads it; its setdefaults must not leak into os.environ."""
    for key, value in {"DEBUG": "false", "SITE_SCHEME": "http", "SITE_PORT": "8000",
                       "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delitem(sys.modules, "config.settings.dev", raising=False)
    return importlib.import_module("config.settings.dev")


def test_run_starts_the_web_server_without_debug_pages(run_env):
    assert environ.Env.parse_value(run_env["DEBUG"], bool) is False


def test_a_developer_can_still_ask_run_for_debug_pages(monkeypatch, tmp_path):
    from config import devtools

    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("STRIPE_API_BASE", "http://127.0.0.1:9")
    monkeypatch.setattr(devtools.embedded, "database_create_if_missing", lambda *args: None)

    env = devtools._services_env(devtools.Stack(tmp_path), say=lambda message: None)

    assert env["DEBUG"] == "true"


@pytest.mark.parametrize("where", ["public", "town"])
def test_an_unknown_path_under_run_shows_the_projects_own_404_page(run_env, dev_settings, town_a, where):
    host = "localhost" if where == "public" else host_of(town_a)
    with override_settings(DEBUG=environ.Env.parse_value(run_env["DEBUG"], bool)):
        response = TownClient(host).get("/gibt-es-hier-nicht/")

    assert response.status_code == 404
    assert "core/404.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert "Seite nicht gefunden" in page
    assert "Using the URLconf" not in page and "Page not found at" not in page


def test_run_still_serves_static_files(run_env, dev_settings, db):
    with override_settings(
        DEBUG=environ.Env.parse_value(run_env["DEBUG"], bool),
        WHITENOISE_USE_FINDERS=dev_settings.WHITENOISE_USE_FINDERS,
        WHITENOISE_AUTOREFRESH=dev_settings.WHITENOISE_AUTOREFRESH,
        STATIC_ROOT=None,  # `run` never collects static files: they must come straight from the apps
    ):
        response = TownClient("localhost").get("/static/tenants/public.css")

    assert response.status_code == 200
    assert b".landing-hero" in b"".join(response.streaming_content)
