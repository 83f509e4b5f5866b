"""Factories for the Pinnwand: topics (the town's seeded ones first), posts through the services, posts in bulk."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from modules.board import services
from modules.board.models import Post, Topic
from tests.accounts.factories import UserFactory
from town.models import Ortsgemeinde


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic by name: one of the seeded ones (Plausch, Hilfe, Fundsachen, Hinweise) or a new one."""

    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = "Plausch"
    slug = factory.LazyAttribute(lambda o: slugify(o.name))

    @classmethod
    def _create(cls, model_class: type[Topic], *args: Any, **kwargs: Any) -> Topic:
        services.topics_seed()  # the town's usual topics exist before any test asks for one
        return super()._create(model_class, *args, **kwargs)


class PostFactory(factory.django.DjangoModelFactory):
    """A post made through the services (moderation and notifications included): for the author's village,
    or with `town_wide=True` for the whole town. `topic__name="Fundsachen"` picks the topic."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory, name="Hilfe")
    text = "Wer leiht mir eine Leiter?"
    town_wide = False
    photos = ()

    @classmethod
    def _create(cls, model_class: type[Post], *, author: User, topic: Topic, text: str, town_wide: bool,
                photos: Any) -> Post:
        return services.post_create(
            acting_user=author, topic=topic, text=text, photos=photos,
            target=services.TARGET_TOWN if town_wide else services.TARGET_ORTSGEMEINDE,
        )


class StoredPostFactory(factory.django.DjangoModelFactory):
    """A post straight in the table (no services): for lists and query budgets, see `posts_bulk`."""

    class Meta:
        model = Post

    author = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory, name="Plausch")
    text = factory.Sequence(lambda n: f"Beitrag {n}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


def posts_bulk(author: User, count: int, *, ortsgemeinde: Ortsgemeinde | None = None) -> None:
    """`count` posts ("Beitrag 0" ...) in one insert: the services would take minutes for hundreds."""
    topic = TopicFactory(name="Plausch")
    Post.objects.bulk_create(
        StoredPostFactory.build(author=author, topic=topic, ortsgemeinde=ortsgemeinde, text=f"Beitrag {number}")
        for number in range(count)
    )
