"""What a page reads again and again is kept (capabilities, module settings, navigation), yet a
change shows at once: on the next read for settings and capabilities, on the next page for roles."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import reverse
from django_tenants.utils import schema_context

from accounts.models import Role
from core import page_cache
from core.capabilities import provided
from core.modules import HomeWidget, get_module, module_settings
from tenants.services import tenant_module_configure
from tests.accounts.factories import UserFactory
from tests.helpers import logged_in_client


def test_a_setting_saved_during_a_request_is_read_anew_in_that_request(town_a):
    # given: a request that has read the board's settings once
    with _one_request(), schema_context(town_a.schema_name):
        before = module_settings("board")["expiry_days"]
        # when: the town admin saves another lifetime in the same request
        tenant_module_configure(tenant=town_a, key="board", data={"expiry_days": before + 3})
        after = module_settings("board")["expiry_days"]

    # then
    assert after == before + 3


def test_a_caller_changing_the_settings_it_got_changes_nobody_elses(town_a):
    with _one_request(), schema_context(town_a.schema_name):
        module_settings("board")["expiry_days"] = -1
        assert module_settings("board")["expiry_days"] != -1


@contextmanager
def _one_request() -> Iterator[None]:
    # What request_started/request_finished do for the page cache's memo (sending the signals
    # themselves would also close the test's database connection).
    page_cache._request_started()
    try:
        yield
    finally:
        page_cache._request_finished()


def test_a_module_whose_capabilities_change_is_asked_anew(town_a, monkeypatch):
    # given: the news module's start-page widget, looked up once (the lookup is kept)
    news = get_module("news")
    with schema_context(town_a.schema_name):
        assert any(app is news for app, _widget in _widgets())
        # when: the module stops providing it (a test or a reload replaces its spec)
        monkeypatch.setattr(type(news), "spec", dataclasses.replace(news.spec, provides=()))
        # then: the next lookup no longer finds it
        assert not any(app is news for app, _widget in _widgets())


def _widgets():
    from core.capabilities import provided_by_module

    return provided_by_module(HomeWidget)


def test_a_role_granted_shows_in_the_back_office_menu_on_the_next_page(town_a):
    # given: a moderator in the back office, without the town admins' entries
    with schema_context(town_a.schema_name):
        moderator = UserFactory(email="mona@example.org", role=Role.MODERATOR)
    client = logged_in_client(town_a, moderator)
    admins_entry = f'href="{reverse("directory:category-manage", urlconf="config.urls_tenant")}"'
    assert admins_entry not in client.get("/backoffice/").content.decode()

    # when: she becomes a town admin
    with schema_context(town_a.schema_name):
        moderator.role = Role.ADMIN
        moderator.save(update_fields=["role"])

    # then
    assert admins_entry in client.get("/backoffice/").content.decode()


def test_capabilities_of_switched_off_modules_are_not_provided(town_a):
    with schema_context(town_a.schema_name):
        assert provided(HomeWidget)
    assert provided(HomeWidget) == []  # the public site has no modules
