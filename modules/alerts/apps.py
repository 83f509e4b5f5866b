from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.maps import MapLayer
from core.modules import FeatureModule, ModuleSpec, NavItem, PageBanner, PeriodicTask, SampleObject
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.alerts.forms import AlertsSettingsForm
from modules.bulletin.capabilities import BulletinSource
from modules.display.capabilities import ScreenContent
from modules.notifications.capabilities import NotificationTopic


def _sample_notice() -> dict[str, Any]:
    """One current Bekanntmachung in the current town, for the isolation suite."""
    from django.utils import timezone

    from accounts.models import Role, User
    from modules.alerts.services import notice_create

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    today = timezone.localdate()
    notice = notice_create(acting_user=admin, data={
        "title": "Vollsperrung Hauptstraße", "kind": "road", "body": "Wegen Kanalarbeiten gesperrt.",
        "valid_from": today, "valid_until": today + datetime.timedelta(days=7), "place": "Hauptstraße",
    })
    return {"pk": notice.pk}


def _sample_warning() -> dict[str, Any]:
    from modules.alerts.models import OfficialWarning

    warning = OfficialWarning.objects.create(identifier="mow.DE-RP-ISOLATION-001", version=1, provider="MOWAS",
                                             severity="Severe", headline="Gefahreninformation: Brand")
    return {"warning_id": warning.pk}


class AlertsConfig(FeatureModule):
    name = "modules.alerts"
    label = "alerts"
    verbose_name = _("Warnings and official notices")

    spec = ModuleSpec(
        key="alerts",
        name=_("Warnings and official notices"),
        description=_(
            "Official warnings of civil protection, the weather service and flood centres for your district "
            "(from NINA) on every page and as urgent notices, and the town's official notices: road closures, "
            "water supply, council meetings."
        ),
        pillar="Verwaltung",
        nav=(
            NavItem(_("Warnings & notices"), "alerts:overview", order=40),
            NavItem(_("Official notices"), "alerts:manage", permission="official_editor", order=40,
                    backoffice=True),
        ),
        settings_form=AlertsSettingsForm,
        provides=(
            PageBanner(render="modules.alerts.views.page_banner", order=10),
            # The same warnings on the town's public screens, with its current notices.
            ScreenContent(items="modules.alerts.providers.screen_items", order=10),
            # The Mitteilungsblatt prints the official warnings of its period.
            BulletinSource(key="warnings", label=_("Official warnings"),
                           items="modules.alerts.providers.bulletin_items", order=5),
            # NINA refreshes its data every few minutes; polling every two keeps the delay small.
            PeriodicTask(task="alerts.poll_nina", every_seconds=120),
            NotificationTopic("alerts.weather", _("Severe weather warnings"),
                              _("Warnings of the German Weather Service for our district, from level “danger” up."),
                              default_on=True, order=2),
            NotificationTopic("alerts.flood", _("Flood warnings"),
                              _("Flood warnings of the Land's flood centre for our district."),
                              default_on=True, order=3),
            SampleObject(create=_sample_notice),
            SampleObject(create=_sample_warning, url_names=("alerts:warning-detail",)),
            SearchProvider(search="modules.alerts.providers.search", label=_("Official notices"), order=40),
            CalendarSource(key="bekanntmachungen", label=_("Official notices"),
                           entries="modules.alerts.providers.calendar_entries"),
            MapLayer(key="alerts.notices", label=_("Official notices"), points="modules.alerts.providers.map_points",
                     colour="#b91c1c", order=15),
            PersonalData(key="alerts", export="modules.alerts.personal_data.export",
                         erase="modules.alerts.personal_data.erase",
                         stores=_("Public notices an administrator published, with who wrote them."),
                         purpose=_("Publish official notices and warnings"),
                         categories=(_("Name and e-mail address"),),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("As long as the town publishes it; without the link to the person once "
                                     "their account is deleted")),
        ),
    )
