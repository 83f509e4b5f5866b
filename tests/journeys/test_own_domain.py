"""Journey of issue 18 §8: a town admin adds the town's own address on the phone and sees what to do next.

Anna opens "Own address" in the back office, types the address with an umlaut and a pasted
https://, and gets the DNS record and the token file to hand to her IT people; a second try with
the platform's own name is refused in plain words. axe-core checks every page; at 320 px nothing
scrolls sideways.
"""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone"])
def test_town_admin_adds_the_towns_own_address(live_site, make_town, journey, open_page, viewport):
    from tenants.models import CustomDomain

    town = make_town("adresshausen", "Verbandsgemeinde Adresshausen", admin_email="anna@adresshausen.example",
                     admin_password="Rathaus-Passwort-2026")
    page = open_page()
    sign_in(page, journey, live_site.town("adresshausen"), "anna@adresshausen.example", "Rathaus-Passwort-2026",
            "anna")
    page.goto(live_site.town("adresshausen", "/backoffice/"))
    journey.seen(page, "backoffice", screenshot=False)
    page.get_by_role("navigation", name="Back office").get_by_role("link", name="Own address").click()
    journey.seen(page, "own-address")

    page.get_by_label("Your own address").fill("https://Bürgerportal.VG-Adresshausen.de/")
    page.get_by_role("button", name="Add address").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("_dorfkern-challenge.xn--brgerportal-thb.vg-adresshausen.de")
    with schema_context("public"):
        claim = CustomDomain.objects.get(tenant_id=town.pk)
    expect(main).to_contain_text(claim.token)
    expect(main).to_contain_text(f"/.well-known/dorfkern-domain/{claim.token}")
    journey.seen(page, "what-to-do")

    # the platform's own name is refused, in words, and nothing more is stored
    page.get_by_label("Your own address").fill("adresshausen.localhost")
    page.get_by_role("button", name="Add address").click()
    expect(main).to_contain_text("cannot be reached from the internet")
    journey.seen(page, "refused")
    with schema_context("public"):
        assert CustomDomain.objects.filter(tenant_id=town.pk).count() == 1

    # nothing scrolls sideways on the smallest phone
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
