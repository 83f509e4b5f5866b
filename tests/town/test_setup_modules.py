"""The modules page: every module listed; switching one off and on takes effect on the next request."""

from __future__ import annotations

import dataclasses

import pytest
from django import forms

from core.modules import all_modules, get_module
from tenants.selectors import tenant_enabled_modules, tenant_module_config

pytestmark = pytest.mark.skipif("news" not in all_modules(), reason="needs the news module")


def test_the_page_lists_every_module_with_description_pillar_and_state(admin_client_a):
    page = admin_client_a.get("/backoffice/modules/").content.decode()

    for key, module in all_modules().items():
        assert f'id="module-{key}"' in page
        assert str(module.spec.description)[:40] in page
    assert "Kommunikation" in page


def test_switching_news_off_and_on_again(admin_client_a, client_a, town_a):
    # given
    assert client_a.get("/news/").status_code == 200
    assert 'href="/news/"' in client_a.get("/").content.decode()

    # when: switched off
    response = admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "disable"})

    # then: gone on the very next request, navigation included
    assert response.status_code == 302
    assert "news" not in tenant_enabled_modules(tenant=town_a, fresh=True)
    assert client_a.get("/news/").status_code == 404
    assert 'href="/news/"' not in client_a.get("/").content.decode()
    page = admin_client_a.get("/backoffice/modules/").content.decode()
    assert 'name="action" value="enable"' in page

    # when: switched on again
    admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "enable"})

    # then
    assert client_a.get("/news/").status_code == 200
    assert 'href="/news/"' in client_a.get("/").content.decode()


def test_switching_a_module_off_in_town_a_leaves_town_b_alone(admin_client_a, client_b, town_b):
    admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "disable"})

    assert "news" in tenant_enabled_modules(tenant=town_b, fresh=True)
    assert client_b.get("/news/").status_code == 200


def test_toggling_needs_post_and_a_known_module_and_action(admin_client_a, town_a):
    assert admin_client_a.get("/backoffice/modules/news/toggle/").status_code == 405
    assert admin_client_a.post("/backoffice/modules/nope/toggle/", {"action": "disable"}).status_code == 404
    admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "explode"})
    assert "news" in tenant_enabled_modules(tenant=town_a, fresh=True)


def test_a_module_another_one_needs_cannot_be_switched_off_and_the_page_says_why(
    admin_client_a, town_a, monkeypatch
):
    # given: another module declares that it needs news (a patched spec, only inside this test)
    others = [m for k, m in all_modules().items() if k != "news"]
    if not others:
        pytest.skip("needs a second module")
    dependant = others[0]
    monkeypatch.setattr(type(dependant), "spec", dataclasses.replace(dependant.spec, requires=("news",)))

    # when
    response = admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "disable"}, follow=True)

    # then
    assert "news" in tenant_enabled_modules(tenant=town_a, fresh=True)
    assert str(dependant.spec.name) in response.content.decode()


class _NewsSettings(forms.Form):
    per_page = forms.IntegerField(min_value=5, max_value=50, initial=10)


def test_a_module_s_settings_are_validated_and_stored(admin_client_a, town_a, monkeypatch):
    news = get_module("news")
    monkeypatch.setattr(type(news), "spec", dataclasses.replace(news.spec, settings_form=_NewsSettings))

    assert 'href="/backoffice/modules/news/settings/"' in admin_client_a.get("/backoffice/modules/").content.decode()
    refused = admin_client_a.post("/backoffice/modules/news/settings/", {"per_page": "500"})
    assert refused.status_code == 400 and 'class="errorlist' in refused.content.decode()
    assert tenant_module_config(tenant=town_a, key="news").get("per_page") is None

    saved = admin_client_a.post("/backoffice/modules/news/settings/", {"per_page": "20"})
    assert saved.status_code == 302
    assert tenant_module_config(tenant=town_a, key="news")["per_page"] == 20
    assert 'value="20"' in admin_client_a.get("/backoffice/modules/news/settings/").content.decode()


def test_a_module_without_settings_has_no_settings_page(admin_client_a):
    news = get_module("news")
    if news.spec.settings_form is not None:
        pytest.skip("news has settings now")
    assert admin_client_a.get("/backoffice/modules/news/settings/").status_code == 404


def test_a_staff_only_module_cannot_be_switched_on_by_the_town(admin_client_a, town_a, monkeypatch):
    # given: news is off and (in this test only) reserved for platform staff
    admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "disable"})
    news = get_module("news")
    monkeypatch.setattr(type(news), "spec", dataclasses.replace(news.spec, staff_only=True))

    # then: no button, and a forged POST is refused with a message
    page = admin_client_a.get("/backoffice/modules/").content.decode()
    assert 'name="action" value="enable"' not in page
    response = admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "enable"}, follow=True)
    assert 'class="message error"' in response.content.decode()
    assert "news" not in tenant_enabled_modules(tenant=town_a, fresh=True)


def test_a_module_whose_requirement_is_off_is_refused_with_the_missing_names(admin_client_a, town_a, monkeypatch):
    # given: news is off and (in this test only) declares that it needs a module that is off: itself
    admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "disable"})
    news = get_module("news")
    monkeypatch.setattr(type(news), "spec", dataclasses.replace(news.spec, requires=("news",)))

    # when
    response = admin_client_a.post("/backoffice/modules/news/toggle/", {"action": "enable"}, follow=True)

    # then
    page = response.content.decode()
    assert 'class="message error"' in page and f"{news.spec.name}" in page
    assert "news" not in tenant_enabled_modules(tenant=town_a, fresh=True)
