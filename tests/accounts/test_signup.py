"""Residents register on their town's host, confirm their e-mail and pick their Ortsgemeinde."""

from __future__ import annotations

from urllib.parse import urlparse

from allauth.account.models import EmailAddress
from django_tenants.utils import schema_context

from accounts.models import User
from tests.accounts.factories import PASSWORD, OrtsgemeindeFactory, UserFactory
from tests.accounts.helpers import links_in
from tests.helpers import ADMIN_EMAIL, TownClient, host_of
from tests.town.factories import ResidentProfileFactory
from town.models import ResidentProfile


def _signup_data(**overrides) -> dict:
    data = {
        "name": "Rita Resident",
        "email": "rita@example.org",
        "password1": PASSWORD,
        "privacy_consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _counts(town) -> tuple[int, int, int]:
    with schema_context(town.schema_name):
        return User.objects.count(), EmailAddress.objects.count(), ResidentProfile.objects.count()


def test_signup_confirm_login_end_to_end(town_a, client_a, mailoutbox):
    # given a Verbandsgemeinde with two Ortsgemeinden
    with schema_context(town_a.schema_name):
        OrtsgemeindeFactory(name="Bruchertseifen", slug="bruchertseifen")
        village = OrtsgemeindeFactory(name="Elkenroth", slug="elkenroth")
    form_page = client_a.get("/accounts/signup/")
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Elkenroth" in html and 'name="privacy_consent"' in html and "/datenschutz/" in html

    # when Rita registers
    response = client_a.post("/accounts/signup/", _signup_data(ortsgemeinde=village.pk))

    # then she must confirm her address first and gets one mail with a link on her town's host
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rita@example.org"]
    assert "Verbandsgemeinde Altdorf" in mailoutbox[0].from_email
    link = next(url for url in links_in(mailoutbox[0]) if "/confirm-email/" in url)
    assert urlparse(link).hostname == host_of(town_a)
    elsewhere = TownClient(host_of(town_a))
    assert elsewhere.post("/accounts/login/", {"login": "rita@example.org", "password": PASSWORD}).url \
        == "/accounts/confirm-email/"  # not yet confirmed: no login

    # when she opens the link and confirms
    confirm_path = urlparse(link).path
    assert client_a.get(confirm_path).status_code == 200
    confirmed = client_a.post(confirm_path)

    # then she is signed in at once, on the welcome page of her village
    assert confirmed.status_code == 302 and confirmed.url == "/konto/willkommen/"
    welcome = client_a.get(confirmed.url)
    assert welcome.status_code == 200
    assert "Willkommen in Elkenroth, Rita!" in welcome.content.decode()
    account_page = client_a.get("/konto/")
    assert account_page.status_code == 200
    assert "Rita Resident" in account_page.content.decode()
    with schema_context(town_a.schema_name):
        rita = User.objects.get(email="rita@example.org")
        assert rita.name == "Rita Resident"
        assert rita.role == "resident"
        assert rita.privacy_accepted_at is not None
        assert rita.resident_profile.ortsgemeinde == village
        assert EmailAddress.objects.get(user=rita).verified


def test_signup_without_ortsgemeinden_asks_for_none(town_b, client_b, mailoutbox):
    # given a Stadt without Ortsgemeinden
    assert 'name="ortsgemeinde"' not in client_b.get("/accounts/signup/").content.decode()

    # when someone registers
    response = client_b.post("/accounts/signup/", _signup_data(email="bernd@example.org"))

    # then the account exists with a profile without a village
    assert response.status_code == 302
    with schema_context(town_b.schema_name):
        profile = ResidentProfile.objects.get(user__email="bernd@example.org")
        assert profile.ortsgemeinde is None


def test_missing_ortsgemeinde_is_refused_when_the_town_has_some(town_a, client_a, mailoutbox):
    with schema_context(town_a.schema_name):
        OrtsgemeindeFactory()
    before = _counts(town_a)
    response = client_a.post("/accounts/signup/", _signup_data())
    assert response.status_code == 200
    assert 'name="ortsgemeinde"' in response.content.decode()
    assert response.context["form"].errors["ortsgemeinde"]
    assert _counts(town_a) == before and mailoutbox == []


def test_missing_consent_changes_nothing(town_a, client_a, mailoutbox):
    before = _counts(town_a)
    response = client_a.post("/accounts/signup/", _signup_data(privacy_consent=None))
    assert response.status_code == 200
    assert response.context["form"].errors["privacy_consent"]
    assert _counts(town_a) == before and mailoutbox == []


def test_weak_password_changes_nothing(town_a, client_a, mailoutbox):
    before = _counts(town_a)
    response = client_a.post("/accounts/signup/", _signup_data(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert _counts(town_a) == before and mailoutbox == []


def test_a_bad_address_changes_nothing_and_keeps_the_password(town_a, client_a, mailoutbox):
    before = _counts(town_a)
    response = client_a.post("/accounts/signup/", _signup_data(email="not-an-address"))
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert f'value="{PASSWORD}"' in response.content.decode()
    assert _counts(town_a) == before and mailoutbox == []


def test_a_forgotten_tick_is_named_at_the_top_with_a_link_to_the_field(town_a, client_a):
    response = client_a.post("/accounts/signup/", _signup_data(privacy_consent=None))

    html = response.content.decode()
    start = html.index('class="error-summary')
    summary = html[start:html.index("</ul>", start)]
    assert 'href="#id_privacy_consent"' in summary
    assert "Datenschutzerklärung" in summary
    assert f'value="{PASSWORD}"' in html  # nothing typed is lost


def test_confirming_in_another_browser_leads_to_sign_in_and_then_the_welcome_page(town_a, client_a, mailoutbox):
    client_a.post("/accounts/signup/", _signup_data())
    link = next(url for url in links_in(mailoutbox[0]) if "/confirm-email/" in url)
    phone = TownClient(host_of(town_a))

    confirmed = phone.post(urlparse(link).path)

    assert confirmed.status_code == 302
    assert confirmed.url == "/accounts/login/?next=/konto/willkommen/"


def test_blank_name_is_refused(town_a, client_a, mailoutbox):
    before = _counts(town_a)
    response = client_a.post("/accounts/signup/", _signup_data(name="   "))
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert _counts(town_a) == before


def test_duplicate_email_creates_no_second_account(town_a, client_a, mailoutbox):
    # given the admin's address is taken in town A
    before = _counts(town_a)

    # when someone registers with it again (different case)
    response = client_a.post("/accounts/signup/", _signup_data(email=ADMIN_EMAIL.upper()))

    # then allauth answers as if all went well (no account enumeration), but
    # nothing is created and the owner is told by mail that an account exists
    assert response.status_code == 302
    assert _counts(town_a) == before
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [ADMIN_EMAIL]
    with schema_context(town_a.schema_name):
        assert User.objects.get(email=ADMIN_EMAIL).name == "Anna Admin"


def test_same_email_may_register_in_another_town(town_b, client_b, mailoutbox):
    # Accounts live per town: the admin address of A and B may also be a resident's elsewhere.
    response = client_b.post("/accounts/signup/", _signup_data(email="rita@example.org"))
    assert response.status_code == 302
    with schema_context(town_b.schema_name):
        assert User.objects.filter(email="rita@example.org").exists()


def test_account_page_changes_name_and_ortsgemeinde(town_a, mailoutbox):
    from tests.helpers import logged_in_client

    # given a resident of Elkenroth
    with schema_context(town_a.schema_name):
        old, new = OrtsgemeindeFactory(name="Elkenroth"), OrtsgemeindeFactory(name="Kausen")
        rita = UserFactory(name="Rita")
        ResidentProfileFactory(user=rita, ortsgemeinde=old)
    client = logged_in_client(town_a, rita)
    page = client.get("/konto/").content.decode()
    assert "Kausen" in page

    # when she moves
    response = client.post("/konto/", {"name": "Rita Umzug", "ortsgemeinde": new.pk})

    # then
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        rita.refresh_from_db()
        assert rita.name == "Rita Umzug"
        assert ResidentProfile.objects.get(user=rita).ortsgemeinde == new


def test_account_page_refuses_unknown_ortsgemeinde(town_a):
    from tests.helpers import logged_in_client

    with schema_context(town_a.schema_name):
        home = OrtsgemeindeFactory()
        rita = UserFactory(name="Rita")
        ResidentProfileFactory(user=rita, ortsgemeinde=home)
    client = logged_in_client(town_a, rita)
    response = client.post("/konto/", {"name": "", "ortsgemeinde": 999999})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "ortsgemeinde"}
    with schema_context(town_a.schema_name):
        rita.refresh_from_db()
        assert rita.name == "Rita"
        assert ResidentProfile.objects.get(user=rita).ortsgemeinde == home


def test_account_page_needs_login(client_a):
    response = client_a.get("/konto/")
    assert response.status_code == 302 and "/accounts/login/" in response.url
