from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.maps import MapLayer
from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.page_cache import CachedFor
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.events.conf import EventsSettingsForm
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import AnnouncedContent, NotificationTopic
from town.capabilities import OrganisationSection, OrganisationWeekPosts


def _sample_event() -> dict[str, Any]:
    """A published event with registration and one registration, for the isolation suite."""
    import datetime

    from django.utils import timezone

    from accounts.models import Role, User
    from modules.events.services import event_create, registration_create

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    start = timezone.now() + datetime.timedelta(days=7)
    event = event_create(acting_user=admin, title="Isolationsfest", starts_at=start,
                         ends_at=start + datetime.timedelta(hours=3), registration_enabled=True, capacity=10,
                         publish=True)
    _registration, token = registration_create(event=event, acting_user=admin, places=1)
    return {"slug": event.slug, "token": token, "action": "publish"}


def _sample_organisation_feed() -> dict[str, Any]:
    # The per-organisation iCal feed takes an organisation slug; one that exists only in this town.
    from town.models import Organisation

    return {"organisation": Organisation.objects.create(name="Isolationsverein Kalender",
                                                        slug="isolationsverein-kalender").slug}


def _sample_category() -> dict[str, Any]:
    from modules.events.models import Category

    return {"pk": Category.objects.create(name="Isolationsart", slug="isolationsart").pk}


def _sample_venue() -> dict[str, Any]:
    from modules.events.models import Venue

    return {"pk": Venue.objects.create(name="Isolationshalle").pk}


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
            NavItem(_("Events"), "events:event-manage", permission="editor", order=15, backoffice=True),
            NavItem(_("Event venues"), "events:venue-manage", permission="town_admin", order=16, backoffice=True),
        ),
        settings_form=EventsSettingsForm,
        requires=("moderation",),
        enabled_by_default=True,
        has_api=True,
        pillar="Kommunikation",
        provides=(
            HomeWidget(render="modules.events.views.home_widget", order=15, cache=CachedFor(vary="place")),
            # Reminders for tomorrow's events; hourly, so a town's reminders go out early in the day
            # wherever its beat stood (each person once: services.reminders_send).
            PeriodicTask(task="events.send_reminders", every_seconds=3600),
            NotificationTopic("events.new", _("New events"),
                              _("Events published for your Ortsgemeinde and for the whole town."),
                              default_on=False, order=15),
            AnnouncedContent(kind="events.event", announcement="modules.events.facade.event_announcement"),
            OrganisationSection(render="modules.events.views.organisation_events_section", order=15),
            ModeratedContent(kind="events.event", label=_("Event"), get="modules.events.facade.event_summary",
                             set_hidden="modules.events.facade.event_set_hidden",
                             delete="modules.events.facade.event_delete",
                             visible_to="modules.events.facade.event_visible_to"),
            CalendarSource(key="veranstaltungen", label=_("Events"),
                           entries="modules.events.selectors.calendar_entries",
                           personal_entries="modules.events.selectors.calendar_registrations", order=20,
                           facets="modules.events.selectors.calendar_facets"),
            OrganisationWeekPosts(items="modules.events.selectors.week_posts", order=20),
            MapLayer(key="events.venues", label=_("Events"), points="modules.events.selectors.map_points",
                     colour="#7c2d92", order=40),
            SearchProvider(search="modules.events.search.search", label=_("Events"),
                           more_url_name="events:event-list", order=15),
            PersonalData(key="events", export="modules.events.personal_data.export",
                         erase="modules.events.personal_data.erase",
                         stores=_("Your registrations for events with your answers, and events you suggested."),
                         purpose=_("Publish events and take registrations"),
                         categories=(_("Name and e-mail address"),
                                     _("Dates and times"),
                                     _("Contact details (phone, e-mail)")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until the person deletes their account or the town deletes it")),
            SampleObject(create=_sample_event),
            SampleObject(create=_sample_category, url_names=("events:category-rename", "events:category-delete")),
            SampleObject(create=_sample_venue, url_names=("events:venue-delete",)),
            SampleObject(create=_sample_organisation_feed, url_names=("events:feed-organisation-ical",)),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.events.services import categories_seed

        categories_seed()
