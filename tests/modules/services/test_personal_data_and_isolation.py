"""A person's claims in their export and gone on erasure; town A's offices, items and claims stay out of town B."""

from __future__ import annotations

from django.db import connection

from core.personal_data import personal_data_erase, personal_data_export
from modules.services import personal_data, services
from modules.services.models import FoundItemClaim
from tests.accounts.factories import UserFactory
from tests.modules.services.factories import FoundItemFactory, OfficeFactory, ServiceFactory


def test_a_persons_claims_are_exported_and_erased(in_town_a):
    item = FoundItemFactory(title="Geldbörse")
    anna, bernd = UserFactory(email="anna@example.org"), UserFactory(email="bernd@example.org")
    services.found_item_claim(item=item, sender=anna, message="Meine, mit Foto vom Hund")
    services.found_item_claim(item=item, sender=bernd, message="Nein, meine")
    exported = personal_data.export(anna)
    assert [c["message"] for c in exported["found_item_claims"]] == ["Meine, mit Foto vom Hund"]
    personal_data.erase(anna)
    assert list(FoundItemClaim.objects.values_list("sender__email", flat=True)) == ["bernd@example.org"]


def test_the_platforms_export_and_erasure_reach_the_module(in_town_a):
    item = FoundItemFactory(title="Schirm")
    anna = UserFactory(email="anna@example.org")
    services.found_item_claim(item=item, sender=anna, message="Der gehört mir")
    assert personal_data_export is not None and personal_data_erase is not None
    personal_data_erase(anna)
    assert not FoundItemClaim.objects.exists()


def test_town_as_offices_services_and_found_items_are_nowhere_in_town_b(town_a, town_b, client_b, admin_client_b):
    connection.set_tenant(town_a)
    office = OfficeFactory(name="Bürgerbüro Grenzenlos", hours=[(0, "08:00", "12:00")])
    service = ServiceFactory(title="Grenzenlos beantragen", office=office)
    item = FoundItemFactory(title="Grenzenloser Schlüssel")
    connection.set_schema_to_public()
    for page in ("/services/", "/services/fundbuero/", "/api/v1/services/services/", "/api/v1/services/offices/"):
        text = client_b.get(page).content.decode()
        assert "Grenzenlos" not in text, page
    assert client_b.get(service.get_absolute_url()).status_code == 404
    assert admin_client_b.get(f"/services/manage/fundbuero/{item.pk}/").status_code == 404
    assert "Grenzenlos" not in client_b.get("/kalender/ical/").content.decode()


def test_the_claim_limit_of_town_a_does_not_count_in_town_b(town_a, town_b):
    from tests.accounts.factories import user_in_town

    connection.set_tenant(town_a)
    anna_a = UserFactory(email="anna@example.org")
    item = FoundItemFactory()
    for number in range(services.CLAIMS_PER_HOUR):
        services.found_item_claim(item=item, sender=anna_a, message=f"Nr. {number}")
    assert services.claim_limit_reached(anna_a)
    anna_b = user_in_town(town_b, email="anna@example.org")  # same e-mail, very likely the same pk
    connection.set_tenant(town_b)
    assert not services.claim_limit_reached(anna_b)
    connection.set_schema_to_public()
