from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, SampleObject
from core.page_cache import CachedFor
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.notifications.capabilities import AnnouncedContent, NotificationTopic


def _sample_poll() -> dict[str, Any]:
    """One published, open town-wide poll with a single-choice question, for the isolation suite."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Role, User
    from modules.polls.services import QuestionInput, poll_create, poll_publish

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    now = timezone.now()
    poll = poll_create(
        acting_user=admin, title="Isolationsumfrage", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
        questions=[QuestionInput(text="Ja oder nein?", kind="single", options=["Ja", "Nein"])],
    )
    poll_publish(poll=poll, acting_user=admin)
    return {"key": poll.key, "pk": poll.pk}


class PollsConfig(FeatureModule):
    name = "modules.polls"
    label = "polls"
    verbose_name = _("Polls")

    spec = ModuleSpec(
        key="polls",
        name=_("Polls"),
        description=_(
            "Polls of the town for all residents, for the residents of one Ortsgemeinde or for everyone with "
            "the link: choices, ratings and free text, results as charts and CSV. Secret by design: who voted "
            "is stored apart from what was voted."
        ),
        pillar="Beteiligung",
        nav=(
            NavItem(_("Polls"), "polls:poll-list", order=40),
            NavItem(_("Polls"), "polls:poll-manage", permission="town_admin", order=40, backoffice=True),
        ),
        provides=(
            HomeWidget(render="modules.polls.views.home_widget", order=30, cache=CachedFor(vary="user")),
            NotificationTopic("polls.new", _("New polls"),
                              _("When the town asks the residents of your Ortsgemeinde or of the whole town."),
                              # On: a handful a year, and being asked is the point of the module.
                              default_on=True, order=40),
            AnnouncedContent(kind="polls.poll", announcement="modules.polls.facade.poll_announcement"),
            SampleObject(create=_sample_poll),
            PersonalData(key="polls", export="modules.polls.personal_data.export",
                         erase="modules.polls.personal_data.erase",
                         stores=_("That you took part in a poll and on which day; your answers are stored without "
                                  "your name."),
                         purpose=_("Ask residents their opinion; ballots are secret"),
                         categories=(_("Name and e-mail address"), _("Dates and times")),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("Until the person deletes their account or the town deletes it")),
            SearchProvider(search="modules.polls.search.search", label=_("Polls"),
                           more_url_name="polls:poll-list", order=40),
        ),
    )
