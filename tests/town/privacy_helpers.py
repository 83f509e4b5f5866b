"""A person with something in every module: for the export and erasure tests of the privacy self-service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.accounts.factories import OrtsgemeindeFactory, UserFactory


def something_everywhere(user: Any, *, tag: str, neighbour: Any, town: Any) -> None:
    """Give `user` data in every app with a personal-data provider, each piece carrying `tag`.

    `neighbour` is who `user` writes to or reports; `town` the current town (for billing's public rows).
    """
    from api.services import api_token_create

    from billing.models import StripeCustomer
    from modules.events.models import Registration
    from modules.polls.models import Participation
    from modules.reports.models import Category
    from modules.reports.services import categories_seed
    from modules.services.models import FoundItemClaim
    from tests.modules.alerts.factories import NoticeFactory
    from tests.modules.board.factories import StoredPostFactory
    from tests.modules.conversations.factories import ConversationFactory
    from tests.modules.directory.factories import BusinessFactory
    from tests.modules.errands.factories import ErrandFactory
    from tests.modules.events.factories import EventFactory
    from tests.modules.groups.factories import GroupFactory
    from tests.modules.marketplace.factories import ListingFactory
    from tests.modules.news.factories import ArticleFactory
    from tests.modules.notifications.factories import NotificationFactory
    from tests.modules.polls.factories import make_poll
    from tests.modules.proposals.factories import make_proposal
    from tests.modules.reports.factories import make_report
    from tests.modules.rides.factories import RideFactory, StopFactory
    from tests.modules.services.factories import FoundItemFactory
    from tests.modules.waste.factories import WasteHomeFactory
    from town.models import ResidentProfile

    ResidentProfile.objects.update_or_create(user=user, defaults={"ortsgemeinde": OrtsgemeindeFactory()})
    api_token_create(user=user, name=f"App {tag}")
    with schema_context("public"):
        StripeCustomer.objects.create(tenant=town, organisation_id=user.pk, name=f"Rechnung {tag}", email=user.email)
    NoticeFactory(created_by=user, title=f"Bekanntmachung {tag}")
    StoredPostFactory(author=user, text=f"Pinnwand {tag}")
    ConversationFactory(sender=user, recipients=[neighbour], text=f"Nachricht {tag}")
    BusinessFactory(owner=user, name=f"Betrieb {tag}", approve=False)
    ErrandFactory(requester=user, note=f"Besorgung {tag}")
    event = EventFactory(title=f"Fest {tag}")
    Registration.objects.create(event=event, user=user, name=user.name, email=user.email, status="confirmed",
                                occurrence_date=timezone.localtime(event.starts_at).date(),
                                cancel_token_hash=f"hash-{tag}-{user.pk}")
    GroupFactory(admin=user, name=f"Gruppe {tag}")
    ListingFactory(owner=user, title=f"Angebot {tag}")
    from modules.moderation.services import report_create

    their_post = StoredPostFactory(author=neighbour, text="Zu verschenken")
    from modules.board.models import Comment

    Comment.objects.create(post=their_post, author=user, text=f"Kommentar {tag}")
    report_create(acting_user=user, kind="board.post", object_id=their_post.pk, category="spam",
                  text=f"Meldung {tag}")
    article = ArticleFactory(title=f"Artikel {tag}")
    type(article).objects.filter(pk=article.pk).update(created_by=user)
    NotificationFactory(user=user, title=f"Hinweis {tag}")
    Participation.objects.create(poll=make_poll(title=f"Umfrage {tag}"), user=user, day=timezone.localdate())
    make_proposal(author=user, title=f"Vorschlag {tag}")
    from modules.council.models import RecommendationVote
    from tests.modules.council.factories import make_member, make_recommendation

    RecommendationVote.objects.create(recommendation=make_recommendation(title=f"Empfehlung {tag}"),
                                      member=make_member(user=user, name=user.name), choice="yes")
    categories_seed()
    make_report(category=Category.objects.order_by("pk").first(), user=user, description=f"Laterne {tag}",
                contact_name=user.name, contact_email=user.email)
    RideFactory(person=user, from_stop=StopFactory(latitude=50.70), to_stop=StopFactory(latitude=50.80),
                note=f"Fahrt {tag}", date=timezone.localdate() + timedelta(days=3))
    FoundItemClaim.objects.create(item=FoundItemFactory(), sender=user, message=f"Mein Schlüssel {tag}")
    WasteHomeFactory(user=user)
    from modules.bulletin.models import Subscription
    from modules.lotsen.models import HelpRequest

    Subscription.objects.create(user=user)
    HelpRequest.objects.create(name=user.name, contact=user.email, topic="phone", message=f"Hilfe {tag}", user=user)


def a_person(email: str, name: str) -> Any:
    return UserFactory(email=email, name=name)
