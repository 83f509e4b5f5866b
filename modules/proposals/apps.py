from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, SampleObject
from core.page_cache import CachedFor
from core.personal_data import Kept, PersonalData
from core.search import SearchProvider
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import NotificationTopic
from modules.proposals.conf import ProposalsSettingsForm
from modules.proposals.facts import OWN_HIDDEN


def _proposal_visible_to(pk: int, user: Any) -> bool:
    from modules.proposals.selectors import proposal_get_visible

    return proposal_get_visible(pk=pk, user=user) is not None


def _sample_proposal() -> dict[str, Any]:
    """One accepted proposal of a resident, for the isolation suite (made directly: no moderation round)."""
    from accounts.models import Role, User
    from modules.proposals.models import Proposal, Status

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    proposal = Proposal.objects.create(author=admin, title="Isolationsvorschlag", text="Eine Bank am Teich.",
                                       threshold=5, status=Status.ACCEPTED, answer="Machen wir.")
    return {"pk": proposal.pk}


def _sample_comment() -> dict[str, Any]:
    from modules.proposals.models import Comment, Proposal

    proposal = Proposal.objects.get(pk=_sample_proposal()["pk"])
    return {"pk": Comment.objects.create(proposal=proposal, author=proposal.author, text="Gute Idee.").pk}


def _sample_category() -> dict[str, Any]:
    from modules.proposals.models import Category

    return {"pk": Category.objects.create(name="Isolationsthema", slug="isolationsthema").pk}


class ProposalsConfig(FeatureModule):
    name = "modules.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    spec = ModuleSpec(
        key="proposals",
        name=_("Proposals"),
        description=_(
            "Residents propose what should change in their Ortsgemeinde; neighbours support it. Once a proposal "
            "has the support the town asks for, the town answers in public, and accepted proposals show their "
            "progress until they are done."
        ),
        pillar="Beteiligung",
        nav=(
            NavItem(_("Proposals"), "proposals:proposal-list", order=41),
            NavItem(_("Proposals"), "proposals:proposal-manage", permission="town_admin", order=41,
                    backoffice=True),
            NavItem(_("Proposal categories"), "proposals:category-manage", permission="town_admin", order=42,
                    backoffice=True),
        ),
        settings_form=ProposalsSettingsForm,
        requires=("moderation",),
        provides=(
            OWN_HIDDEN,
            HomeWidget(render="modules.proposals.views.home_widget", order=31, cache=CachedFor(vary="town")),
            NotificationTopic("proposals.answers", _("Answers to proposals you support"),
                              _("When the town answers a proposal you made or support, and when it is done."),
                              default_on=True, order=41),
            ModeratedContent(kind="proposals.proposal", label=_("Proposal"),
                             get="modules.proposals.facade.proposal_summary",
                             set_hidden="modules.proposals.facade.proposal_set_hidden",
                             delete="modules.proposals.facade.proposal_delete", visible_to=_proposal_visible_to),
            ModeratedContent(kind="proposals.comment", label=_("Comment on a proposal"),
                             get="modules.proposals.facade.comment_summary",
                             set_hidden="modules.proposals.facade.comment_set_hidden",
                             delete="modules.proposals.facade.comment_delete"),
            SampleObject(create=_sample_proposal, url_names=(
                "proposals:proposal-detail", "proposals:proposal-support", "proposals:comment-create",
                "proposals:proposal-answer", "proposals:step-add", "proposals:proposal-done")),
            SampleObject(create=_sample_category, url_names=("proposals:category-rename",
                                                             "proposals:category-delete")),
            PersonalData(key="proposals", export="modules.proposals.personal_data.export",
                         erase="modules.proposals.personal_data.erase",
                         stores=_("Your proposals with photo, the proposals you support and your comments."),
                         purpose=_("Take residents' proposals and answer them in public"),
                         categories=(_("Name and e-mail address"),
                                     _("Texts and photos the person publishes"),
                                     _("Places and addresses the person gives")),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("Until the person deletes their account or the town deletes it"),
                         kept=(Kept(_("Proposals and comments, without the author"),
                                    _("Art. 6(1)(e) GDPR: the town documents how it handled a matter in public"),
                                    _("Without a name for as long as the content it belongs to exists"),
                                    tables=("proposals_proposal", "proposals_comment")),)),
            SearchProvider(search="modules.proposals.search.search", label=_("Proposals"),
                           more_url_name="proposals:proposal-list", order=41),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.proposals.services import categories_seed

        categories_seed()
