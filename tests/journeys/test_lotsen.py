"""Journey: a neighbour asks for help from any page; a Digitallotse registers someone who agreed, hands over
the sign-in letter, and the person signs in with its code once and chooses a password. axe on every page."""

from __future__ import annotations

import datetime
import re

import pypdfium2
import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ADMIN_EMAIL = "rathaus@example.org"
LOTSE_EMAIL = "lotte@example.org"


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_lotse_registers_a_neighbour_who_signs_in_with_the_letter(live_site, make_town, journey, open_page,
                                                                    viewport):
    slug = f"sonnental-lotsen-{viewport}"
    town = make_town(slug, "Verbandsgemeinde Sonnental", admin_email=ADMIN_EMAIL, admin_password=PASSWORD)
    with schema_context(town.schema_name):
        from accounts.models import User
        from modules.lotsen.services import lotse_appoint
        from tests.accounts.factories import UserFactory

        UserFactory(email=LOTSE_EMAIL, name="Lotte Lotse", password=PASSWORD,
                    date_joined=timezone.now() - datetime.timedelta(days=60))
        lotse_appoint(acting_user=User.objects.get(email=ADMIN_EMAIL), email=LOTSE_EMAIL,
                      where_to_find="Dienstags 10–12 Uhr im Dorfgemeinschaftshaus")
    town_url = live_site.town(slug)

    # a visitor asks for help from the news page
    visitor = open_page()
    visitor.goto(town_url + "news/")
    journey.seen(visitor, "news", screenshot=False)
    visitor.get_by_role("link", name="Ask for help").click()
    journey.seen(visitor, "help")
    expect(visitor.get_by_role("main")).to_contain_text("Lotte Lotse")
    visitor.get_by_label("Your name").fill("Walter")
    visitor.get_by_label("Phone or e-mail").fill("02741 9876")
    visitor.get_by_role("button", name="Send").click()
    expect(visitor.get_by_role("main")).to_contain_text("A Digitallotse will get in touch")

    # the Lotse sees it and registers a neighbour who agreed in person
    lotse = open_page()
    sign_in(lotse, journey, town_url, LOTSE_EMAIL, PASSWORD, "lotse")
    lotse.goto(town_url + "lotsen/bereich/")
    journey.seen(lotse, "workspace")
    expect(lotse.get_by_role("main")).to_contain_text("Walter")
    lotse.get_by_role("link", name="Register someone").click()
    journey.seen(lotse, "register")
    lotse.get_by_label("Name of the person").fill("Hildegard Becker")
    lotse.get_by_label("The person agrees to the text above.").check()
    with lotse.expect_download() as download:
        lotse.get_by_role("button", name="Register and print the sign-in letter").click()
    text = pypdfium2.PdfDocument(download.value.path())[0].get_textpage().get_text_range()
    code = re.search(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b", text).group(1)

    # Hildegard types the code at home and chooses a password
    hildegard = open_page()
    hildegard.goto(town_url + "lotsen/anmelden/")
    journey.seen(hildegard, "sign-in-with-letter")
    hildegard.get_by_label("The code from your letter").fill(code.lower())
    hildegard.get_by_role("button", name="Sign in").click()
    expect(hildegard).to_have_url(re.compile(r"/accounts/password/set/$"))
    journey.seen(hildegard, "choose-password")

    # the town hall sees its Lotsen and what they did
    admin = open_page()
    sign_in(admin, journey, town_url, ADMIN_EMAIL, PASSWORD, "admin")
    admin.goto(town_url + "lotsen/verwalten/")
    journey.seen(admin, "manage")
    expect(admin.get_by_role("main")).to_contain_text("Lotte Lotse")
