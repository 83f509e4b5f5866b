from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.audit import AuditActions


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Municipalities")

    provides = (
        AuditActions(labels={
            "town.deactivate": _("Town deactivated"),
            "town.activate": _("Town activated again"),
            "signup.retry": _("Signup queued again"),
        }),
    )

    def ready(self) -> None:
        from tenants import receivers  # noqa: F401
