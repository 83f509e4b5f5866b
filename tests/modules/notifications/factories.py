"""Factories for the notifications: a resident's settings and topic choices, notifications, push subscriptions,
urgent notices (current schema)."""

from __future__ import annotations

import factory

from modules.notifications.models import (
    Notification,
    NotificationSettings,
    PushSubscription,
    TopicPreference,
    UrgentNotice,
)
from tests.accounts.factories import UserFactory
from tests.modules.notifications.helpers import BrowserKeys


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    """A resident's channel choices (the model's defaults: e-mails right away, quiet hours 22-7)."""

    class Meta:
        model = NotificationSettings

    user = factory.SubFactory(UserFactory)


class TopicPreferenceFactory(factory.django.DjangoModelFactory):
    """A resident subscribed to a topic, on every channel unless told otherwise."""

    class Meta:
        model = TopicPreference

    user = factory.SubFactory(UserFactory)
    topic = "news.official"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    event = "test"
    title = factory.Sequence(lambda n: f"Meldung {n}")
    dedupe_key = factory.Sequence(lambda n: f"test:{n}")


class PushSubscriptionFactory(factory.django.DjangoModelFactory):
    """A browser that agreed to push messages: `keys=BrowserKeys.generate()` (to decrypt what it receives) and
    `endpoint=push_service.endpoint()` for one the test push service answers."""

    class Meta:
        model = PushSubscription

    class Params:
        keys = factory.LazyFunction(BrowserKeys.generate)

    user = factory.SubFactory(UserFactory)
    endpoint = factory.Sequence(lambda n: f"https://push.example.org/browser-{n}")
    p256dh = factory.LazyAttribute(lambda o: o.keys.p256dh)
    auth = factory.LazyAttribute(lambda o: o.keys.auth)


class UrgentNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UrgentNotice

    title = "Glatteis"
    body = "Vorsicht auf der K12."
