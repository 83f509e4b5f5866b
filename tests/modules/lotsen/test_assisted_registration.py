"""A Digitallotse registers a neighbour who agreed in person and prints a sign-in letter whose code works
once; without consent nothing is stored; only Lotsen may do it."""

from __future__ import annotations

import re

import pypdfium2
from django.utils.translation import gettext

from accounts.models import User
from modules.lotsen import services
from modules.lotsen.models import AssistedAction, AssistedRegistration
from tests.accounts.factories import UserFactory
from tests.helpers import TownClient, host_of, logged_in_client, shown


def _letter_code(pdf: bytes) -> tuple[str, str]:
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    found = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b", text)
    assert found, text
    return found.group(1), text


def test_a_lotse_registers_someone_and_the_letter_signs_them_in_once(lotse, town_a):
    client = logged_in_client(town_a, lotse)
    page = client.get("/lotsen/registrieren/").content.decode()
    assert shown(services.consent_text()) in page or services.consent_text()[:40] in page

    refused = client.post("/lotsen/registrieren/", {"name": "Hildegard Becker", "consent": ""})
    assert refused.status_code == 400
    assert shown("Without the person's consent you may not register them. Please read them the text and tick the "
                 "box once they agree.") in refused.content.decode()
    assert not User.objects.filter(name="Hildegard Becker").exists()

    letter = client.post("/lotsen/registrieren/", {"name": "Hildegard Becker", "consent": "on",
                                                   "consent_note": "Sprechstunde"})
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    code, text = _letter_code(letter.content)
    assert "Hildegard Becker" in text and "lotsen/anmelden" in text.replace("\n", "")
    person = User.objects.get(name="Hildegard Becker")
    registration = AssistedRegistration.objects.get(resident=person)
    assert registration.lotse == lotse and registration.consent_note == "Sprechstunde"
    assert not person.has_usable_password() and person.email.endswith("@kein-postfach.invalid")
    assert code.replace("-", "") not in registration.code_hash  # only its hash is kept

    # The person types the code (small letters, no dashes) and chooses a password next.
    browser = TownClient(host_of(town_a))
    assert browser.get(f"/lotsen/anmelden/?code={code}").status_code == 200  # a GET never uses it up
    signed_in = browser.post("/lotsen/anmelden/", {"code": code.replace("-", "").lower()})
    assert signed_in.status_code == 302 and signed_in["Location"].endswith("/accounts/password/set/")
    assert browser.get("/konto/").status_code == 200
    again = TownClient(host_of(town_a)).post("/lotsen/anmelden/", {"code": code})
    assert again.status_code == 400 and shown(
        "This code is unknown, used already or too old. Please check it letter by letter, or ask your "
        "Digitallotse for a new letter.") in again.content.decode()

    # A new letter: a new code; the Lotse's work is counted, never its content.
    new_letter = client.post(f"/lotsen/personen/{registration.pk}/brief/")
    new_code, _text = _letter_code(new_letter.content)
    assert new_code != code
    assert TownClient(host_of(town_a)).post("/lotsen/anmelden/", {"code": new_code}).status_code == 302
    assert sorted(AssistedAction.objects.values_list("kind", flat=True)) == ["letter", "registered"]


def test_only_lotsen_register_and_an_address_in_use_is_refused(lotse, town_a):
    neighbour = UserFactory(email="nachbar@example.org")
    assert logged_in_client(town_a, neighbour).get("/lotsen/registrieren/").status_code == 403
    assert logged_in_client(town_a, neighbour).get("/lotsen/bereich/").status_code == 403
    taken = logged_in_client(town_a, lotse).post("/lotsen/registrieren/", {
        "name": "Noch Jemand", "email": "nachbar@example.org", "consent": "on"})
    message = gettext("This address has an account already. The person can sign in, or use “Forgot password”.")
    assert taken.status_code == 400 and message[:20] in taken.content.decode()
    assert User.objects.filter(email="nachbar@example.org").count() == 1


def test_the_town_appoints_and_removes_lotsen(town_a, in_town_a):
    from modules.lotsen.models import Lotse
    from tests.helpers import admin_of

    UserFactory(email="neu@example.org", name="Nina Neu")
    admin = logged_in_client(town_a, admin_of(town_a))
    assert admin.post("/lotsen/verwalten/", {"email": "niemand@example.org"}).status_code == 400
    assert admin.post("/lotsen/verwalten/", {"email": "neu@example.org", "where_to_find": "Mo 9-11"}).status_code == 302
    lotse = Lotse.objects.get(user__email="neu@example.org")
    public = TownClient(host_of(town_a)).get("/lotsen/").content.decode()
    assert "Nina Neu" in public and "Mo 9-11" in public
    assert admin.post(f"/lotsen/verwalten/{lotse.pk}/entfernen/").status_code == 302
    assert not Lotse.objects.exists()
