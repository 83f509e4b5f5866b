from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.maps import MapLayer
from core.modules import BackofficeLink, FeatureModule, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.services.conf import ServicesSettingsForm

OFFICE_COLOUR = "#1f5f8b"


class ServicesConfig(FeatureModule):
    name = "modules.services"
    label = "services"
    verbose_name = _("Town hall services")

    spec = ModuleSpec(
        key="services",
        name=_("Town hall services"),
        description=_(
            "The town hall's offices with opening hours and “open now”, services A–Z with what to bring, "
            "fees, forms and online services, and the Fundbüro."
        ),
        pillar="Verwaltung",
        nav=(
            NavItem(_("Town hall"), "services:service-list", order=40),
        ),
        settings_form=ServicesSettingsForm,
        has_api=True,
        provides=(
            # The back office's menu entry (with a description); no second backoffice NavItem beside it.
            BackofficeLink(_("Town hall services"), "services:manage",
                           _("Offices and opening hours, services A–Z, forms and the Fundbüro."), order=70),
            PeriodicTask(task="services.expire_found_items", every_seconds=3600),
            SearchProvider(search="modules.services.search.search", label=_("Town hall"),
                           more_url_name="services:service-list", order=15),
            MapLayer(key="services.offices", label=_("Town hall"), points="modules.services.selectors.map_points",
                     colour=OFFICE_COLOUR, order=15),
            CalendarSource(key="aemter", label=_("Town hall: closed days and special hours"),
                           entries="modules.services.selectors.calendar_entries", order=15),
            PersonalData(key="services", export="modules.services.personal_data.export",
                         erase="modules.services.personal_data.erase",
                         stores=_("Your messages to the lost property office about a found item."),
                         purpose=_("Show the town's services and pass messages about found items to the office"),
                         categories=(_("Name and e-mail address"), _("Messages between people")),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("Until the person deletes their account or the town deletes it")),
            SampleObject(create="modules.services.samples.sample_everything"),
            SampleObject(create="modules.services.samples.sample_life_situation",
                         url_names=("services:life-situation-rename", "services:life-situation-delete")),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.services.services import life_situations_seed

        life_situations_seed()
