"""The probe: a feature module that provides every kind of capability and touches nothing shared.

It lives only in tests. If adding a capability kind to the platform ever needs an
edit outside a module's own folder, the probe's tests show it.
"""

from __future__ import annotations

from billing.facade import PromotionSlot
from core.calendar import CalendarSource
from core.maps import MapLayer
from core.modules import (
    BackofficeLink,
    FeatureModule,
    FeedSource,
    HeaderItem,
    HomePrompt,
    HomeWidget,
    ModuleSpec,
    NavItem,
    PageAside,
    PageBanner,
    PeriodicTask,
    SampleObject,
    UrlMount,
)
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import AnnouncedContent, NotificationTopic
from town.capabilities import OrganisationSection

P = "tests.probe.probe_module"


class ProbeConfig(FeatureModule):
    name = P
    label = "probe"
    verbose_name = "Probe"

    spec = ModuleSpec(
        key="probe",
        name="Probe",
        description="A test module that provides every capability.",
        pillar="Kommunikation",
        nav=(NavItem("Notizen", "probe:note-list", order=90),),
        has_api=False,
        provides=(
            HomeWidget(render=f"{P}.views.home_widget", order=90),
            HomePrompt(render=f"{P}.views.home_prompt", order=90),
            HeaderItem(render=f"{P}.views.header_item", order=90),
            PageAside(render=f"{P}.views.page_aside", order=90),
            PageBanner(render=f"{P}.views.page_banner", order=90),
            BackofficeLink("Notizen verwalten", "probe:note-list", "Alle Notizen der Probe.", order=95),
            FeedSource(items=f"{P}.providers.feed_items"),
            PeriodicTask(task="probe.tidy", every_seconds=600),
            UrlMount(prefix="kurz/", urls=f"{P}.short_urls"),
            SampleObject(create=f"{P}.providers.sample_note"),
            ModeratedContent(kind="probe.note", label="Notiz", get=f"{P}.providers.note_summary",
                             set_hidden=f"{P}.providers.note_set_hidden", delete=f"{P}.providers.note_delete",
                             visible_to=f"{P}.providers.note_visible_to"),
            PromotionSlot(key="probe.top", label="Notiz ganz oben", description="Über der Liste.", max_entries=1),
            NotificationTopic("probe.notes", "Neue Notizen", "Wenn jemand eine Notiz schreibt.", default_on=False,
                              order=95),
            AnnouncedContent(kind="probe.note", announcement=f"{P}.providers.note_announcement"),
            OrganisationSection(render=f"{P}.views.organisation_section", order=90),
            CalendarSource(key="probe", label="Notizen-Termine", entries=f"{P}.providers.calendar_entries",
                           personal_entries=f"{P}.providers.personal_calendar_entries"),
            SearchProvider(search=f"{P}.providers.search", label="Notizen"),
            MapLayer(key="probe.notes", label="Notizen am Dorfplatz", points=f"{P}.providers.map_points"),
            PersonalData(key="probe", export=f"{P}.providers.personal_data_export",
                         erase=f"{P}.providers.personal_data_erase"),
        ),
    )
