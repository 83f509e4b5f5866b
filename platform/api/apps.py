from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("REST API")

    provides = (PersonalData(key="api", export="api.personal_data.export", erase="api.personal_data.erase",
                             stores=_("API keys you created: their name and when they were used, so that your "
                                      "apps can read the town's data."),
                             purpose=_("Let apps the person chose read and publish for them"),
                             categories=(_("Sign-in and usage data (dates, devices)"),),
                             legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when "
                                           "registering"),
                             retention=_("Until it expires or the person deletes it; at the latest with the account")),)

    def ready(self) -> None:
        # Registers the OpenAPI description of the token scheme with drf-spectacular.
        from api import receivers, schema  # noqa: F401
