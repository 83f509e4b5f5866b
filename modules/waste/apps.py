from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.page_cache import CachedFor
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.bulletin.capabilities import BulletinSource
from modules.notifications.capabilities import NotificationTopic
from modules.waste.conf import WasteSettingsForm
from modules.waste.facts import SAVED_STREET


def _sample_area() -> dict[str, Any]:
    """An area with one pickup, an open import and a resident's choice, for the isolation suite."""
    from modules.waste.samples import sample_objects

    return sample_objects()


class WasteConfig(FeatureModule):
    name = "modules.waste"
    label = "waste"
    verbose_name = _("Waste calendar")

    spec = ModuleSpec(
        key="waste",
        name=_("Waste calendar"),
        description=_(
            "When the bins are collected in each street: the disposal company's dates as a calendar, "
            "a feed for calendar apps, a printable yearly calendar and a reminder the evening before."
        ),
        pillar="Verwaltung",
        nav=(
            NavItem(_("Waste calendar"), "waste:index", order=50),
            NavItem(_("Waste calendar"), "waste:manage", permission="town_admin", order=50, backoffice=True),
        ),
        settings_form=WasteSettingsForm,
        has_api=True,
        provides=(
            SAVED_STREET,
            HomeWidget(render="modules.waste.views.home_widget", order=15, cache=CachedFor(vary="user")),
            # The Mitteilungsblatt prints the collections of the week after its period, per area.
            BulletinSource(key="waste", label=_("Waste calendar"), items="modules.waste.bulletin.bulletin_items",
                           order=60),
            # Every 5 minutes: a reminder set for 19:00 goes out by 19:05.
            PeriodicTask(task="waste.send_reminders", every_seconds=300),
            NotificationTopic("waste.reminder", _("Waste collection reminders"),
                              _("The evening before your bins are collected, if you set a reminder in the "
                                "waste calendar."),
                              # Only people who set a reminder in the waste calendar get one at all.
                              default_on=True, order=50),
            CalendarSource(key="abfall", label=_("Waste collection"),
                           entries=None, personal_entries="modules.waste.selectors.calendar_personal_entries",
                           order=50),
            SampleObject(create=_sample_area),
            PersonalData(key="waste", export="modules.waste.personal_data.export",
                         erase="modules.waste.personal_data.erase",
                         stores=_("Your street for the waste calendar and your reminder setting."),
                         purpose=_("Remind residents of waste collection days for their street"),
                         categories=(_("Places and addresses the person gives"), _("Settings and choices")),
                         legal_basis=_("Art. 6(1)(a) GDPR: consent, which the person can withdraw at any time "
                                       "in their settings"),
                         retention=_("Until the person deletes their account or the town deletes it")),
            SearchProvider(search="modules.waste.search.search", label=_("Waste calendar"), order=50),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.waste.services import waste_types_seed

        waste_types_seed()
