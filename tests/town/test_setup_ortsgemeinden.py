"""Ortsgemeinden in the back office: create, edit, delete, and the refusals in between."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.accounts.factories import user_in_town
from tests.town.factories import OrganisationFactory, ResidentProfileFactory
from tests.town.helpers import png_upload
from town.models import Organisation, Ortsgemeinde, ResidentProfile
from town.services import german_slugify, ortsgemeinde_create


def _in_a(town, fn):
    with schema_context(town.schema_name):
        return fn()


@pytest.mark.parametrize(("name", "slug"), [
    ("Rüddel", "rueddel"),
    ("Öttershagen", "oettershagen"),
    ("Großmaischeid", "grossmaischeid"),
    ("Steinebach/Sieg", "steinebachsieg"),
    ("Elben (Westerwald)", "elben-westerwald"),
])
def test_slugs_transliterate_german(name, slug):
    assert german_slugify(name) == slug


def test_an_admin_creates_an_ortsgemeinde_with_a_derived_slug(admin_client_a, town_a):
    # when
    response = admin_client_a.post("/backoffice/ortsgemeinden/new/", {
        "name": "  Gebhardshain ", "slug": "", "postal_codes": "57580 57581;57580", "logo": png_upload(),
    })

    # then
    assert response.status_code == 302
    og = _in_a(town_a, lambda: Ortsgemeinde.objects.get(name="Gebhardshain"))
    assert og.slug == "gebhardshain"
    assert og.postal_codes == "57580, 57581"
    assert og.logo.name.startswith("ortsgemeinden/")
    listing = admin_client_a.get("/backoffice/ortsgemeinden/").content.decode()
    assert "Gebhardshain" in listing and "57580, 57581" in listing


def test_a_taken_slug_gets_a_number_when_derived_and_an_error_when_typed(admin_client_a, town_a):
    admin_client_a.post("/backoffice/ortsgemeinden/new/", {"name": "Au", "postal_codes": ""})

    derived = admin_client_a.post("/backoffice/ortsgemeinden/new/", {"name": "Au", "postal_codes": ""})
    typed = admin_client_a.post("/backoffice/ortsgemeinden/new/", {"name": "Anders", "slug": "au", "postal_codes": ""})

    assert derived.status_code == 302
    assert typed.status_code == 400
    assert _in_a(town_a, lambda: sorted(Ortsgemeinde.objects.values_list("slug", flat=True))) == ["au", "au-2"]


@pytest.mark.parametrize("data", [
    {"name": "", "postal_codes": ""},
    {"name": "Kausen", "postal_codes": "5758"},
    {"name": "Kausen", "postal_codes": "57580, abcde"},
    {"name": "Kausen", "slug": "Kausen Dorf!", "postal_codes": ""},
    {"name": "x" * 121, "postal_codes": ""},
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_created(admin_client_a, town_a, data):
    response = admin_client_a.post("/backoffice/ortsgemeinden/new/", data)

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert _in_a(town_a, lambda: Ortsgemeinde.objects.count()) == 0


def test_the_slug_suggestion_endpoint_transliterates_and_avoids_taken_slugs(admin_client_a, town_a):
    _in_a(town_a, lambda: ortsgemeinde_create(name="Mörsbach"))

    assert admin_client_a.get("/backoffice/ortsgemeinden/slug/?name=Mörsbach").json() == {"slug": "moersbach-2"}
    og = _in_a(town_a, lambda: Ortsgemeinde.objects.get())
    assert admin_client_a.get(f"/backoffice/ortsgemeinden/slug/?name=Mörsbach&exclude={og.pk}").json() == {
        "slug": "moersbach"}


def test_an_admin_edits_an_ortsgemeinde(admin_client_a, town_a):
    og = _in_a(town_a, lambda: ortsgemeinde_create(name="Fensdorf", postal_codes="57580"))

    response = admin_client_a.post(f"/backoffice/ortsgemeinden/{og.pk}/", {
        "name": "Fensdorf (Sieg)", "slug": "fensdorf", "postal_codes": "57580",
    })

    assert response.status_code == 302
    assert _in_a(town_a, lambda: Ortsgemeinde.objects.get(pk=og.pk).name) == "Fensdorf (Sieg)"


def test_deleting_an_unused_ortsgemeinde(admin_client_a, town_a):
    og = _in_a(town_a, lambda: ortsgemeinde_create(name="Malberg"))

    page = admin_client_a.get(f"/backoffice/ortsgemeinden/{og.pk}/delete/")
    response = admin_client_a.post(f"/backoffice/ortsgemeinden/{og.pk}/delete/")

    assert page.status_code == 200 and "Malberg" in page.content.decode()
    assert response.status_code == 302
    assert not _in_a(town_a, lambda: Ortsgemeinde.objects.filter(pk=og.pk).exists())


def test_deleting_a_used_ortsgemeinde_explains_the_consequences_and_keeps_residents(admin_client_a, town_a):
    # given: two residents and a club live in Steinebach
    og = _in_a(town_a, lambda: ortsgemeinde_create(name="Steinebach"))
    for n in (1, 2):
        user = user_in_town(town_a, email=f"r{n}@example.org", name="Rita Resident")
        _in_a(town_a, lambda u=user: ResidentProfileFactory(user=u, ortsgemeinde=og))
    club = _in_a(town_a, lambda: OrganisationFactory(name="TuS Steinebach", slug="tus", ortsgemeinde=og))

    # when: the admin opens the delete page
    page = admin_client_a.get(f"/backoffice/ortsgemeinden/{og.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # then: it says what happens, before anything happens
    assert 'role="alert"' in page
    assert "2 residents" in page and "1 organisation " in page
    assert _in_a(town_a, lambda: Ortsgemeinde.objects.filter(pk=og.pk).exists())

    # when: confirmed
    assert admin_client_a.post(f"/backoffice/ortsgemeinden/{og.pk}/delete/").status_code == 302

    # then: people and the club stay, without a village
    assert _in_a(town_a, lambda: ResidentProfile.objects.filter(ortsgemeinde__isnull=True).count()) == 2
    assert _in_a(town_a, lambda: Organisation.objects.get(pk=club.pk).ortsgemeinde_id) is None


def test_an_unknown_or_other_towns_ortsgemeinde_is_404(admin_client_a, town_b):
    og_b = _in_a(town_b, lambda: ortsgemeinde_create(name="Nur in Bergdorf"))

    assert admin_client_a.get(f"/backoffice/ortsgemeinden/{og_b.pk + 1000}/").status_code == 404
    assert admin_client_a.post(f"/backoffice/ortsgemeinden/{og_b.pk}/delete/").status_code == 404
    assert _in_a(town_b, lambda: Ortsgemeinde.objects.filter(pk=og_b.pk).exists())


def test_content_of_modules_aimed_at_the_village_is_listed_and_kept(admin_client_a, town_a):
    # Found from the model graph, so every module's relations count without being listed anywhere.
    pytest.importorskip("modules.news.models")
    from modules.news.models import Article
    from tests.modules.news.factories import ArticleFactory

    og = _in_a(town_a, lambda: ortsgemeinde_create(name="Hommelsberg"))
    article = _in_a(town_a, lambda: ArticleFactory(title="Kirmes in Hommelsberg", ortsgemeinden=[og]))

    page = admin_client_a.get(f"/backoffice/ortsgemeinden/{og.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "will no longer be aimed at this village" in page
    admin_client_a.post(f"/backoffice/ortsgemeinden/{og.pk}/delete/")

    assert _in_a(town_a, lambda: list(Article.objects.get(pk=article.pk).ortsgemeinden.all())) == []
