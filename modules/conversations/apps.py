from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, SampleObject
from core.page_cache import CachedFor
from core.personal_data import Kept, PersonalData
from modules.conversations.facts import PRIVATE
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import NotificationTopic


def _sample_conversation() -> dict[str, Any]:
    """A one-to-one conversation of the town's admin with a resident, for the isolation suite."""
    from accounts.models import Role, User
    from modules.conversations.models import Conversation, Message, Participant

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    neighbour, _created = User.objects.get_or_create(
        email="nachbarin-isolation@example.org", defaults={"name": "Nora Nachbar"}
    )
    low, high = sorted((admin.pk, neighbour.pk))
    conversation, created = Conversation.objects.get_or_create(
        direct_key=f"{low}-{high}", defaults={"created_by": admin, "last_message_at": "2026-01-01T12:00:00Z"}
    )
    if created:
        # Straight to the tables: the sample must not depend on rate limits of the moderation module.
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, user=person) for person in (admin, neighbour)]
        )
        Message.objects.create(conversation=conversation, sender=neighbour, text="Hallo, ist das Fahrrad noch da?")
    return {"pk": conversation.pk}


def _message_visible_to(pk: int, user: Any) -> bool:
    """Only the conversation's participants may see (and so report) one of its messages."""
    from modules.conversations.models import Message

    if not (getattr(user, "is_authenticated", False) and 0 < pk < 2**63):
        return False
    return Message.objects.filter(pk=pk, conversation__participants__user_id=user.pk).exists()


class ConversationsConfig(FeatureModule):
    # Not "messages": that label belongs to django.contrib.messages.
    name = "modules.conversations"
    label = "conversations"
    verbose_name = _("Direct messages")

    spec = ModuleSpec(
        key="conversations",
        name=_("Direct messages"),
        description=_(
            "Private messages between residents: one-to-one or in small groups of up to eight, "
            "with blocking and reporting to the moderators."
        ),
        nav=(NavItem(_("Direct messages"), "conversations:conversation-list", permission="authenticated", order=40),),
        enabled_by_default=True,
        has_api=True,
        pillar="Kommunikation",
        requires=("moderation",),
        provides=(
            PRIVATE,  # the API's answers are each person's own (facts.py)
            # The unread count, per person, from the page cache until a conversation changes.
            HomeWidget(render="modules.conversations.views.home_widget", order=5,
                       cache=CachedFor(vary="user", depends_on=())),
            SampleObject(create=_sample_conversation),
            NotificationTopic("messages.new", _("Personal messages"), _("When another resident writes to you."),
                              default_on=True, order=40),
            ModeratedContent(
                kind="conversations.message",
                label=_("Personal message"),
                get="modules.conversations.facade.message_summary",
                set_hidden="modules.conversations.services.message_set_hidden",
                delete="modules.conversations.services.message_delete",
                visible_to=_message_visible_to,
            ),
            PersonalData(key="conversations", export="modules.conversations.personal_data.export",
                         erase="modules.conversations.personal_data.erase",
                         stores=_("Your direct messages and the conversations you take part in."),
                         purpose=_("Let residents write to each other"),
                         categories=(_("Name and e-mail address"), _("Messages between people")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until the person deletes their account or the town deletes it"),
                         kept=(Kept(_("Messages sent to others, without the sender"),
                                    _("Art. 6(1)(f) GDPR: the other people's interest in keeping the "
                                      "conversation they took part in"),
                                    _("As long as another person is still in the conversation"),
                                    tables=("conversations_message",)),)),
        ),
    )
