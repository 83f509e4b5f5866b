"""Registration waits for the town's Impressum and Datenschutzerklärung; the back office offers
filled-in templates (Impressum, privacy policy per enabled module, accessibility statement); the
service worker's offline page."""

from __future__ import annotations

from django.core.cache import cache
from django_tenants.utils import schema_context

from tests.helpers import shown
from tests.town.helpers import profile_of

SIGNUP = {
    "name": "Rita Resident", "email": "rita@example.org", "password1": "Fichtenweg-Sonne-42",
    "privacy_consent": "on",
}


def _set_legal(town, **texts: str) -> None:
    from town.models import TownProfile

    with schema_context(town.schema_name):
        TownProfile.objects.update(**texts)
    cache.clear()


def _users(town, email: str) -> int:
    from accounts.models import User

    with schema_context(town.schema_name):
        return User.objects.filter(email=email).count()


def test_residents_cannot_register_until_both_legal_texts_are_published(town_a, client_a):
    closed = shown("Registration is not open yet")

    # given: a town without a privacy policy
    _set_legal(town_a, impressum="VG Altdorf, Rathausstraße 1", privacy_policy="")

    # then: the registration page says so plainly, and sending the form creates nobody
    page = client_a.get("/accounts/signup/").content.decode()
    assert closed in page and 'name="password1"' not in page
    client_a.post("/accounts/signup/", SIGNUP)
    assert _users(town_a, "rita@example.org") == 0
    soon = shown("Registration opens soon: the town is still setting up this site and publishes its legal notice "
                 "and privacy policy first. Everything public can already be read.")
    assert soon in client_a.get("/").content.decode()

    # the privacy policy alone isn't enough either
    _set_legal(town_a, impressum="", privacy_policy="Wir speichern nur, was nötig ist.")
    assert closed in client_a.get("/accounts/signup/").content.decode()

    # when: both are published
    _set_legal(town_a, impressum="VG Altdorf, Rathausstraße 1", privacy_policy="Wir speichern nur, was nötig ist.")

    # then: the form is there and registration works
    assert 'name="password1"' in client_a.get("/accounts/signup/").content.decode()
    response = client_a.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    assert _users(town_a, "rita@example.org") == 1


def test_the_templates_name_the_town_its_contact_and_every_enabled_module(in_town_a):
    from core.capabilities import provided_by_module
    from core.personal_data import PersonalData
    from tenants.services import tenant_module_disable
    from town.legal_templates import GAP_MARKER, legal_template

    _set_legal(in_town_a, contact_name="Petra Lotsin", contact_email="petra@altdorf.example")
    tenant_module_disable(tenant=in_town_a, key="rides")
    cache.clear()

    impressum = legal_template("impressum")
    privacy = legal_template("privacy_policy")
    accessibility = legal_template("accessibility_statement")

    for text in (impressum, privacy, accessibility):
        assert "Verbandsgemeinde Altdorf" in text and "petra@altdorf.example" in text and GAP_MARKER in text
    assert "§ 5 Digitale-Dienste-Gesetz" in impressum and "Petra Lotsin" in impressum
    assert "BITV 2.0" in accessibility and "Petra Lotsin" in accessibility
    enabled = [(app, capability) for app, capability in provided_by_module(PersonalData) if hasattr(app, "spec")]
    assert len(enabled) >= 15
    for app, capability in enabled:
        assert f"- {app.spec.name}: {capability.stores}" in privacy, app.spec.key
    assert "Mitfahren" not in privacy and "ride offers" not in privacy


def test_every_platform_and_module_provider_says_what_it_stores():
    from core.capabilities import declared_by_module
    from core.personal_data import PersonalData

    ours = ("modules.", "accounts", "town", "api", "billing")
    silent = [app.name for app, capability in declared_by_module(PersonalData)
              if app.name.startswith(ours) and not str(capability.stores).strip()]
    assert not silent


def test_insert_template_fills_an_empty_field_and_never_overwrites(town_a, admin_client_a):
    _set_legal(town_a, impressum="", privacy_policy="", accessibility_statement="")

    # when: the admin asks for the Impressum template
    response = admin_client_a.post("/backoffice/legal/", {
        "impressum": "", "privacy_policy": "Mein eigener Text", "accessibility_statement": "",
        "insert_template": "impressum",
    })

    # then: the field holds the filled-in template, the other field keeps what was typed, nothing is saved
    page = response.content.decode()
    assert response.status_code == 200
    assert "Angaben gemäß § 5 Digitale-Dienste-Gesetz" in page and "Verbandsgemeinde Altdorf" in page
    assert "Mein eigener Text" in page
    assert profile_of(town_a).impressum == ""

    # a field with text is never overwritten
    response = admin_client_a.post("/backoffice/legal/", {
        "impressum": "", "privacy_policy": "Mein eigener Text", "accessibility_statement": "",
        "insert_template": "privacy_policy",
    })
    page = response.content.decode()
    assert shown("The field already has a text, so the template was not inserted. Empty the field first if you "
                 "want to start from the template.") in page
    assert "Art. 13 Datenschutz-Grundverordnung" not in page

    # a template saved with its gaps is refused; filled in, it is published
    from town.legal_templates import legal_template

    with schema_context(town_a.schema_name):
        template = legal_template("accessibility_statement")
    refused = admin_client_a.post("/backoffice/legal/", {
        "impressum": "VG Altdorf", "privacy_policy": "Text", "accessibility_statement": template,
    })
    assert refused.status_code == 400 and profile_of(town_a).accessibility_statement == ""
    filled = template.replace("[bitte ergänzen", "[ergänzt")
    saved = admin_client_a.post("/backoffice/legal/", {
        "impressum": "VG Altdorf", "privacy_policy": "Text", "accessibility_statement": filled,
    })
    assert saved.status_code == 302
    assert "Erklärung zur Barrierefreiheit" in admin_client_a.get("/barrierefreiheit/").content.decode()


def test_unknown_template_is_not_found(admin_client_a):
    response = admin_client_a.post("/backoffice/legal/", {"insert_template": "agb"})
    assert response.status_code == 404


def test_the_service_worker_knows_the_offline_page_which_speaks_german(client_a):
    worker = client_a.get("/sw.js").content.decode()
    offline = client_a.get("/offline/")

    assert '"/offline/"' in worker and "MAX_PAGES = 30" in worker and '"/backoffice/"' in worker
    assert offline.status_code == 200
    assert shown("No connection") in offline.content.decode()
