from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import (
    FeatureModule,
    HeaderItem,
    HomePrompt,
    HomeWidget,
    ModuleSpec,
    NavItem,
    PeriodicTask,
    SampleObject,
)
from core.page_cache import VISITOR_PAGES, CachedFor
from core.personal_data import PersonalData
from modules.notifications.conf import NotificationDefaultsForm
from modules.notifications.topics import FOLLOWS_TOPIC, URGENT_TOPIC


def _admin():
    from accounts.models import Role, User

    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()


def _sample_urgent_notice() -> dict[str, Any]:
    from modules.notifications.models import UrgentNotice

    notice = UrgentNotice.objects.create(title="Wasserrohrbruch", body="Bitte Wasser abkochen.", created_by=_admin())
    return {"pk": notice.pk}


def _sample_notification() -> dict[str, Any]:
    # Belongs to the town's admin: the very user who tries the link in the other town.
    from modules.notifications.models import Notification

    notification = Notification.objects.create(
        user=_admin(), event="notifications.sample", title="Probe", url="/", dedupe_key="isolation-sample"
    )
    return {"pk": notification.pk}


class NotificationsConfig(FeatureModule):
    name = "modules.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    spec = ModuleSpec(
        key="notifications",
        name=_("Notifications"),
        description=_(
            "A notification centre for every resident, with e-mail, web push, digests and quiet hours, "
            "and urgent notices from the town hall that reach everyone at once."
        ),
        nav=(
            NavItem(_("Urgent notices"), "notifications:urgent-manage", permission="town_admin", order=5,
                    backoffice=True),
            NavItem(_("Default notifications"), "notifications:defaults-manage", permission="town_admin", order=6,
                    backoffice=True),
        ),
        settings_form=NotificationDefaultsForm,
        enabled_by_default=True,
        pillar="Kommunikation",
        provides=(
            # Warnings on top.
            HomeWidget(render="modules.notifications.views.home_widget", order=1, cache=CachedFor(vary="place")),
            HeaderItem(render="modules.notifications.views.header_link", order=10),  # the bell, unread count
            # New residents' topics: their choices (this app), the town's defaults and modules (the town's row).
            HomePrompt(render="modules.notifications.views.welcome_prompt", order=20,
                       cache=CachedFor(vary="user", depends_on=(VISITOR_PAGES,))),
            URGENT_TOPIC,
            FOLLOWS_TOPIC,
            PeriodicTask(task="notifications.release_deferred", every_seconds=300),
            PeriodicTask(task="notifications.send_digests", every_seconds=3600),
            SampleObject(create=_sample_urgent_notice, url_names=("notifications:urgent-detail",)),
            SampleObject(create=_sample_notification, url_names=("notifications:open", "notifications:read")),
            PersonalData(key="notifications", export="modules.notifications.personal_data.export",
                         erase="modules.notifications.personal_data.erase",
                         stores=_("Your notifications, which topics you follow and how, quiet hours and the devices "
                                  "that receive push notifications."),
                         purpose=_("Tell people about what they chose to follow"),
                         categories=(_("Name and e-mail address"),
                                     _("Settings and choices"),
                                     _("Sign-in and usage data (dates, devices)")),
                         legal_basis=_("Art. 6(1)(a) GDPR: consent, which the person can withdraw at any time "
                                       "in their settings"),
                         retention=_("Until the person deletes their account or the town deletes it")),
        ),
    )

    def ready(self) -> None:
        from modules.notifications import receivers  # noqa: F401
