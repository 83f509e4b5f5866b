"""Journey of issue 17 §7 (privacy self-service): a resident downloads her data, then deletes her account.

Rosa asks for a copy of her data on "My data"; the worker builds it and the "ready" mail arrives;
she downloads the ZIP (her post is in it), reads what is kept after a deletion, and deletes her
account with her password. Signed out, her login no longer works. axe-core checks every page.
"""

from __future__ import annotations

import json
import zipfile

import pytest
from django.core import mail
from django.utils import translation
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.journeys.support import link_in_mail, sign_in, wait_for_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Fichtenweg-Sonne-42"
ROSA = "rosa@example.org"


# On the phone only, like the other module stories (the journeys' time budget).
@pytest.mark.parametrize("viewport", ["phone"])
def test_resident_downloads_her_data_and_deletes_her_account(
    live_site, make_town, journey, open_page, viewport, celery_worker, tmp_path
):
    from accounts.models import User
    from tests.accounts.factories import UserFactory
    from tests.modules.board.factories import StoredPostFactory

    slug = f"datenhausen-{viewport}"
    town = make_town(slug, "Verbandsgemeinde Datenhausen")
    with schema_context(town.schema_name):
        rosa = UserFactory(email=ROSA, name="Rosa Ruhig", password=PASSWORD)
        StoredPostFactory(author=rosa, text="Wer leiht mir eine Leiter?")
    town_url = live_site.town(slug)

    page = open_page()
    sign_in(page, journey, town_url, ROSA, PASSWORD, "rosa")
    page.goto(town_url + "konto/")
    journey.seen(page, "account", screenshot=False)
    page.get_by_role("navigation", name="My account").get_by_role("link", name="My data").click()
    journey.seen(page, "my-data")
    page.get_by_role("button", name="Prepare a copy of my data").click()
    expect(page.get_by_role("main")).to_contain_text("We are preparing your data.")
    journey.seen(page, "requested")

    # the worker builds it; the mail says where to get it
    # (mails are in the town's language, German, whatever the browser asked)
    with translation.override("de"):
        subject = translation.gettext("Your data is ready to download")
    message = wait_for_mail(mail.outbox, to=ROSA, subject_contains=subject)
    page.goto(link_in_mail(message, r"/konto/meine-daten/"))
    journey.seen(page, "ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    archive = tmp_path / "meine-daten.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as zf:
        data = json.loads(zf.read("data.json"))
    assert data["sections"]["account"]["profile"]["email"] == ROSA
    assert "Wer leiht mir eine Leiter?" in json.dumps(data, ensure_ascii=False)

    # she reads what stays, then deletes her account
    page.get_by_role("link", name="Delete account …").click()
    journey.seen(page, "delete")
    page.get_by_role("link", name="What is kept, why and for how long").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is kept after an account is deleted")
    journey.seen(page, "retention")
    page.go_back()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand: my account and my data will be deleted. This cannot be undone.").check()
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("main")).to_contain_text("Your account and your data have been deleted.")
    journey.seen(page, "deleted")
    expect(page.get_by_role("navigation", name="Your account").get_by_role("link", name="Sign in")).to_be_visible()

    with schema_context(town.schema_name):
        assert not User.objects.filter(email=ROSA).exists()
