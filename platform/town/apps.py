from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownConfig(AppConfig):
    name = "town"
    verbose_name = _("Town")

    def ready(self) -> None:
        from town import receivers  # noqa: F401
