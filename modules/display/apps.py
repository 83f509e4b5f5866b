from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.audit import AuditActions
from core.modules import FeatureModule, ModuleSpec, NavItem, SampleObject
from core.personal_data import PersonalData
from modules.display.forms import DisplaySettingsForm


def _sample_screen() -> dict[str, Any]:
    """One registered screen in the current town, for the isolation suite: its key and its row."""
    from accounts.models import Role, User
    from modules.display.services import screen_register

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    screen, key = screen_register(name="Rathaus, Schaufenster", ortsgemeinde=None, acting_user=admin)
    return {"key": key, "pk": screen.pk}


class DisplayConfig(FeatureModule):
    name = "modules.display"
    label = "display"
    verbose_name = _("Public screens (Schaukasten)")

    spec = ModuleSpec(
        key="display",
        name=_("Public screens (Schaukasten)"),
        description=_(
            "A full-screen page for a display in the town hall window or the village hall: current news in "
            "turn, today's dates and official warnings in large type. It keeps showing the last state when "
            "the network fails; only screens the town registers get it."
        ),
        pillar="Kommunikation",
        nav=(
            NavItem(_("Public screens"), "display:manage", permission="town_admin", order=60, backoffice=True),
        ),
        settings_form=DisplaySettingsForm,
        provides=(
            AuditActions(labels={
                "display.screen_register": _("Public screen registered"),
                "display.screen_revoke": _("Public screen signed off"),
            }),
            SampleObject(create=_sample_screen),
            PersonalData(key="display", export="modules.display.personal_data.export", erase=None,
                         stores=_("Nothing about a person: screens have a name and a place; who registered one "
                                  "is in the town's audit log."),
                         purpose=_("Show the town's public news, dates and warnings on public screens"),
                         categories=(_("No personal data: only what is public on the town's pages"),),
                         legal_basis=_("None needed: the screens process no personal data"),
                         retention=_("Not applicable")),
        ),
    )
