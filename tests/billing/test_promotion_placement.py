"""Issue 11 §5: a paid promotion always shows somewhere. The purchase asks where (a category of the
Branchenbuch), refuses without it, previews where and how the entry appears before paying; sponsoring is
reachable from the Branchenbuch, "My businesses", the business page and the back office; with sponsorship
off the business sees that and can ask the town hall, whose admins get a mail."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from billing.models import StripeCustomer, Subscription
from tests.billing.helpers import customer_with_method, sponsorship_open
from tests.billing.test_views_town import _business_manager
from tests.outbox_helpers import outbox_run_pending

pytestmark = pytest.mark.usefixtures("localstripe")


def _category(town) -> tuple[int, str]:
    from modules.directory.models import BusinessCategory

    with schema_context(town.schema_name):
        category = BusinessCategory.objects.order_by("pk").first()
        return category.pk, category.name


def _details(organisation, **extra) -> dict:
    return {"produkt": "featured-entry", "organisation": organisation.pk, "sponsor_text": "Frische Brötchen",
            "invoice_name": organisation.name, "invoice_email": "rechnung@baeckerei.example",
            "address_line": "Hauptstr. 1", "postal_code": "12345", "city": "Altdorf", **extra}


def test_the_purchase_asks_for_the_category_and_refuses_without_one(town_a, catalogue):
    sponsorship_open(town_a, catalogue)
    _user, organisation, client = _business_manager(town_a)
    category_pk, category_name = _category(town_a)

    # the form offers the town's categories and shows where and how the entry will appear
    page = client.get("/sponsoring/kaufen/?produkt=featured-entry")
    assert page.status_code == 200
    assert (category_pk, category_name) in list(page.context["form"].fields["target"].choices)
    assert page.context["preview"]["sponsor_name"] == organisation.name

    # without a category: refused in plain words, nothing reaches Stripe
    refused = client.post("/sponsoring/kaufen/", _details(organisation))
    assert refused.status_code == 400 and refused.context["form"].errors["target"]
    with schema_context("public"):
        assert not StripeCustomer.objects.filter(tenant=town_a).exists()

    # with one: the payment page names the category and shows the labelled card before paying
    paying = client.post("/sponsoring/kaufen/", _details(organisation, target=category_pk))
    assert paying.status_code == 200
    summary = paying.context["summary"]
    assert summary["target_label"] == category_name and summary["preview"]["where"] == category_name
    assert summary["preview"]["text"] == "Frische Brötchen"
    assert 'class="card billing-preview-card"' in paying.content.decode()


def test_a_category_of_another_town_or_none_is_refused_by_the_service(town_a, catalogue):
    from billing.services import subscription_start

    sponsorship_open(town_a, catalogue)
    customer = customer_with_method(town_a)
    with schema_context("public"):
        for target in (None, 10**9):
            with pytest.raises(ValidationError):
                subscription_start(tenant=town_a, customer=customer, product=catalogue["featured-entry"],
                                   sponsor_name="Bäckerei Korn", target_id=target)
        assert not Subscription.objects.filter(tenant=town_a).exists()


def test_sponsoring_is_reachable_from_directory_my_businesses_and_business_page(town_a, catalogue):
    _user, _organisation, client = _business_manager(town_a)
    assert "/sponsoring/" in client.get("/directory/").content.decode()
    assert "/sponsoring/" in client.get("/directory/mine/").content.decode()


def test_with_sponsorship_off_the_business_asks_and_the_admins_get_a_mail(town_a, catalogue, mailoutbox):
    cache.clear()
    _user, organisation, client = _business_manager(town_a)
    page = client.get("/sponsoring/").content.decode()
    assert "/sponsoring/anfragen/" in page

    assert client.post("/sponsoring/anfragen/", {"organisation": organisation.pk}).status_code == 302
    assert client.post("/sponsoring/anfragen/", {"organisation": organisation.pk}).status_code == 302
    outbox_run_pending("billing.sponsorship_request_mail")

    to_admins = [mail for mail in mailoutbox if organisation.name in mail.subject]
    assert len(to_admins) == 1 and "/backoffice/sponsoring/" in to_admins[0].body
    # someone who runs no business can't ask in a business's name
    from tests.accounts.factories import UserFactory
    from tests.helpers import logged_in_client

    with schema_context(town_a.schema_name):
        stranger = UserFactory(email="fremd@example.org")
    assert logged_in_client(town_a, stranger).post(
        "/sponsoring/anfragen/", {"organisation": organisation.pk}).status_code == 403
