from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.audit import AuditActions
from core.modules import BackofficeLink, PageAside
from core.personal_data import Kept, PersonalData

if TYPE_CHECKING:
    from tenants.models import Municipality


class BillingConfig(AppConfig):
    """Stripe customers, plans and sponsorships (public schema). Built in the billing issue."""

    name = "billing"
    verbose_name = _("Billing")

    provides = (
        # The Modulpaten of the module being shown, or a club's Vereinspaten on its page.
        PageAside(render="billing.promotions.page_patrons_html", order=10),
        BackofficeLink(_("Sponsorship"), "billing:backoffice-settings",
                       _("What local businesses can sponsor, at which prices, and what it brought in."), order=80),
        # When sponsorship is off, businesses can "Ask the town hall": the admins see the requests here.
        BackofficeLink(_("Sponsorship requests"), "billing:backoffice-requests",
                       _("Businesses that asked the town hall to offer sponsorship, answered or not."), order=82),
        # Businesses find sponsoring from their back office too (and from the Branchenbuch and "My businesses").
        BackofficeLink(_("Sponsorship for businesses"), "billing:price-list",
                       _("Where a business can appear, labelled “Sponsored”, and what it costs."),
                       permission="editor", order=81),
        # Invoice rows must be kept (billing/personal_data.py says why); a sponsorship request loses its sender.
        PersonalData(key="billing", export="billing.personal_data.export", erase="billing.personal_data.erase",
                     stores=_("Invoice contacts and invoices of businesses and clubs that pay for a sponsorship, kept "
                              "for ten years as tax law requires."),
                     purpose=_("Invoice sponsorships and the town's plan"),
                     categories=(_("Name and e-mail address"), _("Invoice address and tax number")),
                     legal_basis=_("Art. 6(1)(c) GDPR with § 147 AO and § 257 HGB; erasure limited by Art. "
                                   "17(3)(b) GDPR"),
                     retention=_("Ten years from the end of the calendar year of the invoice"),
                     kept=(Kept(_("Invoices and invoice contacts of organisations"),
                                _("Art. 6(1)(c) GDPR with § 147 AO and § 257 HGB; erasure limited by Art. "
                                  "17(3)(b) GDPR"),
                                _("Ten years from the end of the calendar year of the invoice")),)),
        AuditActions(labels={
            "billing.sponsorship_settings": _("Sponsorship settings changed"),
            "billing.plan_start": _("Town's plan booked"),
        }),
    )

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from tenants.models import Municipality

        pre_delete.connect(_town_deleted, sender=Municipality, dispatch_uid="billing-town-deleted")


def _town_deleted(sender: type, instance: Municipality, **kwargs: Any) -> None:
    # Our rows go with the town (CASCADE); Stripe has to stop charging as well (ISOLATION T19).
    from billing.services import town_stripe_links_end

    town_stripe_links_end(tenant=instance)
