from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("REST API")

    provides = (PersonalData(key="api", export="api.personal_data.export", erase="api.personal_data.erase"),)

    def ready(self) -> None:
        # Registers the OpenAPI description of the token scheme with drf-spectacular.
        from api import receivers, schema  # noqa: F401
