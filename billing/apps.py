from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Stripe customers, plans and sponsorships (public schema). Built in the billing issue."""

    name = "billing"
    verbose_name = _("Billing")
