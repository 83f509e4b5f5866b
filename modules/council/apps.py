from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.calendar import CalendarSource
from core.modules import BackofficeLink, FeatureModule, HomeWidget, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.page_cache import CachedFor
from core.personal_data import Kept, PersonalData
from core.search import SearchProvider
from modules.council.conf import CouncilSettingsForm
from modules.council.facts import INSIDER
from modules.notifications.capabilities import AnnouncedContent, NotificationTopic


def _sample_meeting() -> dict[str, Any]:
    """A public meeting of the Digitaler Rat with one agenda item, for the isolation suite."""
    from django.utils import timezone

    from modules.council.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(title="Isolationssitzung", starts_at=timezone.now() + datetime.timedelta(days=3))
    return {"pk": meeting.pk, "item": AgendaItem.objects.create(meeting=meeting, title="TOP 1").pk}


def _sample_item() -> dict[str, Any]:
    from modules.council.models import AgendaItem

    return {"pk": AgendaItem.objects.get(pk=_sample_meeting()["item"]).pk}


def _sample_document() -> dict[str, Any]:
    from modules.council.models import Document, Meeting

    meeting = Meeting.objects.get(pk=_sample_meeting()["pk"])
    return {"pk": Document.objects.create(meeting=meeting, title="Isolationsdokument", text="Geheim?").pk}


def _sample_recommendation() -> dict[str, Any]:
    from modules.council.models import Recommendation, RecommendationStatus

    return {"pk": Recommendation.objects.create(title="Isolationsempfehlung", text="Eine Bank.",
                                                status=RecommendationStatus.VOTING).pk}


def _sample_member() -> dict[str, Any]:
    from django.utils import timezone

    from modules.council.models import Member

    return {"pk": Member.objects.create(name="Isolationsmitglied", term_start=timezone.localdate()).pk}


def _sample_ris() -> dict[str, Any]:
    from modules.council.models import OparlBody, OparlMeeting, OparlOrganization, OparlPaper

    body, _ = OparlBody.objects.get_or_create(oparl_id="https://ris.example.org/body/iso",
                                              defaults={"name": "Isolationsgemeinde"})
    organization, _ = OparlOrganization.objects.get_or_create(
        oparl_id="https://ris.example.org/org/iso", defaults={"body": body, "name": "Isolationsausschuss"})
    OparlMeeting.objects.get_or_create(oparl_id="https://ris.example.org/meeting/iso",
                                       defaults={"body": body, "name": "Isolationssitzung"})
    OparlPaper.objects.get_or_create(oparl_id="https://ris.example.org/paper/iso",
                                     defaults={"body": body, "name": "Isolationsvorlage"})
    return {"pk": organization.pk}


def _sample_ris_meeting() -> dict[str, Any]:
    from modules.council.models import OparlMeeting

    _sample_ris()
    return {"pk": OparlMeeting.objects.get(oparl_id="https://ris.example.org/meeting/iso").pk}


def _sample_ris_paper() -> dict[str, Any]:
    from modules.council.models import OparlPaper

    _sample_ris()
    return {"pk": OparlPaper.objects.get(oparl_id="https://ris.example.org/paper/iso").pk}


class CouncilConfig(FeatureModule):
    name = "modules.council"
    label = "council"
    verbose_name = _("Digital council & committees")

    spec = ModuleSpec(
        key="council",
        name=_("Digital council & committees"),
        description=_(
            "The Digitaler Rat: a standing council of residents, clubs, youth and businesses with its members, "
            "meetings, agenda, documents and recommendations to the Gemeinderat, whose follow-up everyone can "
            "see. And the meetings, agendas and papers of the Gemeinderäte from the town's council information "
            "system (OParl)."
        ),
        pillar="Beteiligung",
        nav=(
            NavItem(_("Council"), "council:overview", order=43),
        ),
        settings_form=CouncilSettingsForm,
        provides=(
            INSIDER,
            HomeWidget(render="modules.council.views.home_widget", order=33, cache=CachedFor(vary="town")),
            PeriodicTask(task="council.oparl_sync", every_seconds=3600),
            CalendarSource(key="digitalerrat", label=_("Digital council"),
                           entries="modules.council.selectors.calendar_entries", order=60),
            CalendarSource(key="ratssitzungen", label=_("Council meetings"),
                           entries="modules.council.selectors.ris_calendar_entries", order=61),
            NotificationTopic("council.recommendations", _("Recommendations of the digital council"),
                              _("When the council recommends something to the Gemeinderat, and what became of it."),
                              default_on=False, order=43),
            AnnouncedContent(kind="council.recommendation",
                             announcement="modules.council.facade.recommendation_announcement"),
            SearchProvider(search="modules.council.search.search", label=_("Council"),
                           more_url_name="council:ris-papers", order=43),
            PersonalData(key="council", export="modules.council.personal_data.export",
                         erase="modules.council.personal_data.erase",
                         stores=_("If you sit on the council: your seat, term and how you voted on recommendations."),
                         purpose=_("Run the Digitaler Rat: its members, meetings and recommendations"),
                         categories=(_("Name and e-mail address"), _("Settings and choices")),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("Until the person deletes their account or the town deletes it"),
                         kept=(Kept(_("Council seats and their votes on recommendations, without the name"),
                                    _("Art. 6(1)(e) GDPR: the council's published counts must still add up"),
                                    _("Without a name for as long as the town keeps the council's records"),
                                    tables=("council_member", "council_recommendationvote")),)),
            # The back office's menu entry (with a description); no second backoffice NavItem beside it.
            BackofficeLink(label=_("Digital council"), url_name="council:manage",
                           description=_("Members, meetings, agenda and recommendations; council information "
                                         "from the RIS."), order=43),
            SampleObject(create=_sample_meeting, url_names=(
                "council:meeting-detail", "council:meeting-ical", "council:meeting-manage", "council:meeting-edit",
                "council:agenda-item-add", "council:document-add", "council:recommendation-create")),
            SampleObject(create=_sample_item, url_names=("council:agenda-item-delete",)),
            SampleObject(create=_sample_document, url_names=("council:document-detail",)),
            SampleObject(create=_sample_recommendation, url_names=(
                "council:recommendation-detail", "council:recommendation-vote", "council:recommendation-manage")),
            SampleObject(create=_sample_member, url_names=("council:member-edit",)),
            SampleObject(create=_sample_ris, url_names=("council:ris-organization",)),
            SampleObject(create=_sample_ris_meeting, url_names=("council:ris-meeting",)),
            SampleObject(create=_sample_ris_paper, url_names=("council:ris-paper",)),
        ),
    )
