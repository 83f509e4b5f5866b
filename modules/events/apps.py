from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.modules import FeatureModule, ModuleSpec, NavItem
from modules.events.conf import EventsSettingsForm


class EventsConfig(FeatureModule):
    name = "modules.events"
    label = "events"
    verbose_name = _("Events")

    spec = ModuleSpec(
        key="events",
        name=_("Events"),
        description=_(
            "The town's events calendar that clubs fill themselves: single dates and series, venues, "
            "registration with waiting lists and reminders, iCalendar, RSS and a map."
        ),
        nav=(
            NavItem(_("Events"), "events:event-list", order=15),
        ),
        settings_form=EventsSettingsForm,
        requires=("moderation",),
        enabled_by_default=True,
        pillar="Kommunikation",
        provides=(
            CalendarSource(key="veranstaltungen", label=_("Events"),
                           entries="modules.events.selectors.calendar_entries",
                           personal_entries="modules.events.selectors.calendar_registrations", order=20),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.events.services import categories_seed

        categories_seed()
