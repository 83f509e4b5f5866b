"""Fundbüro: found items listed and searched, claims by signed-in residents to the office, expiry."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from PIL import Image

from modules.services import services, tasks
from modules.services.models import FoundItem, FoundItemClaim
from tests.accounts.factories import UserFactory, town_admin
from tests.helpers import image_upload, logged_in_client, shown
from tests.modules.services.factories import FoundItemFactory, OfficeFactory


@pytest.fixture
def office(in_town_a):
    return OfficeFactory(name="Bürgerbüro Altdorf", email="fundbuero@altdorf.example")


@pytest.fixture
def keys(office):
    return FoundItemFactory(title="Schlüsselbund mit rotem Anhänger", category="keys", place_found="Bahnhof",
                            office=office)


def test_residents_search_found_items_by_word_and_category(keys, client_a):
    FoundItemFactory(title="Schwarze Geldbörse", category="wallet")
    page = client_a.get("/services/fundbuero/?q=schlüssel").content.decode()
    assert "Schlüsselbund mit rotem Anhänger" in page and "Schwarze Geldbörse" not in page
    page = client_a.get("/services/fundbuero/?category=wallet").content.decode()
    assert "Schwarze Geldbörse" in page and "Schlüsselbund" not in page


def test_a_signed_in_resident_claims_an_item_and_the_office_gets_an_e_mail(
        keys, town_a, celery_eager, django_capture_on_commit_callbacks):
    anna = UserFactory(email="anna@example.org", name="Anna Arendt")
    client = logged_in_client(town_a, anna)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(keys.get_absolute_url(), {"message": "Mein Schlüssel, am Anhänger steht „A.A.“"})
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["fundbuero@altdorf.example"] and sent.reply_to == ["anna@example.org"]
    assert "Anna Arendt" in sent.body and "A.A." in sent.body, sent.body
    assert FoundItemClaim.objects.get().sender == anna


def test_anonymous_visitors_are_asked_to_sign_in_and_nothing_is_sent(keys, client_a):
    page = client_a.get(keys.get_absolute_url()).content.decode()
    assert shown("Sign in to send the Fundbüro a message") in page
    response = client_a.post(keys.get_absolute_url(), {"message": "Meins!"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not FoundItemClaim.objects.exists() and not mail.outbox


def test_an_empty_claim_is_refused_with_a_german_message(keys, town_a):
    client = logged_in_client(town_a, UserFactory(email="bernd@example.org"))
    response = client.post(keys.get_absolute_url(), {"message": "   "})
    assert response.status_code == 400
    assert not FoundItemClaim.objects.exists()


def test_claims_are_limited_per_person_and_hour(keys, town_a):
    client = logged_in_client(town_a, UserFactory(email="carla@example.org"))
    for number in range(services.CLAIMS_PER_HOUR):
        assert client.post(keys.get_absolute_url(), {"message": f"Versuch {number}"}).status_code == 302
    response = client.post(keys.get_absolute_url(), {"message": "Noch einmal"})
    assert response.status_code == 400
    assert shown("You have sent several messages in the last hour. Please try again later.") in (
        response.content.decode())
    assert FoundItemClaim.objects.count() == services.CLAIMS_PER_HOUR


def test_items_are_listed_for_the_towns_period_then_the_task_hides_them(office, client_a, town_a):
    from tenants.services import tenant_module_configure

    default = FoundItemFactory(title="Brille")
    assert default.expires_on == default.found_on + datetime.timedelta(days=183)  # the default: six months
    # given: the town keeps found items listed for 30 days
    tenant_module_configure(tenant=town_a, key="services", data={"found_item_days": 30})
    old = FoundItemFactory(title="Alter Regenschirm", found_on=services.today_local() - datetime.timedelta(days=31))
    fresh = FoundItemFactory(title="Neuer Regenschirm", found_on=services.today_local() - datetime.timedelta(days=29))
    assert tasks.expire_found_items() == 1
    old.refresh_from_db()
    assert old.hidden_at is not None
    page = client_a.get("/services/fundbuero/").content.decode()
    assert "Neuer Regenschirm" in page and "Alter Regenschirm" not in page
    assert client_a.get(old.get_absolute_url()).status_code == 404
    assert client_a.get(fresh.get_absolute_url()).status_code == 200


def test_a_handed_back_item_leaves_the_list(keys, client_a):
    services.found_item_return(item=keys, acting_user=town_admin())
    assert client_a.get(keys.get_absolute_url()).status_code == 404


def test_the_photo_is_re_encoded_without_the_cameras_location(office):
    item = FoundItemFactory(title="Handy", photo=image_upload(exif=True), photo_alt="Ein schwarzes Handy")
    with Image.open(item.photo.path) as stored:
        assert not stored.getexif()
    item.photo.delete(save=False)


def test_a_photo_without_description_or_a_date_in_the_future_is_refused(office, admin_client_a):
    response = admin_client_a.post("/services/manage/fundbuero/", {
        "title": "Handy", "category": "phone", "place_found": "Markt",
        "found_on": (services.today_local() + datetime.timedelta(days=2)).isoformat(),
    })
    assert response.status_code == 400
    assert shown("The date lies in the future.") in response.content.decode()
    response = admin_client_a.post("/services/manage/fundbuero/", {
        "title": "Handy", "category": "phone", "place_found": "Markt", "found_on": services.today_local().isoformat(),
        "photo": image_upload(), "photo_alt": "",
    })
    assert response.status_code == 400
    assert not FoundItem.objects.exists()
