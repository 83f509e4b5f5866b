"""What other modules declare to the notification centre (import-safe before the models load).

    from modules.notifications.capabilities import AnnouncedContent, NotificationTopic

    provides=(
        NotificationTopic("news.official", _("Official news"), _("News from the town hall ..."), default_on=False),
        AnnouncedContent(kind="news.article", announcement="modules.news.facade.article_announcement"),
    )

A topic is something a resident can switch on and off in their settings. An
``AnnouncedContent`` turns what a module publishes (``core.signals.content_published``
with that ``kind``) into a notification: the worker asks ``announcement(object_id)``
for the title, text, link, topic and audience, and notifies the topic's
subscribers in that audience. The notifications module names no other module.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from dataclasses import dataclass

from core.capabilities import Capability, Ref


@dataclass(frozen=True)
class NotificationTopic(Capability):
    key: str  # stored in residents' preferences, never rename; "<module key>.<what>" (or "urgent")
    label: str
    description: str
    default_on: bool  # without a stored choice, is the resident subscribed?
    order: int = 100  # position on the settings page


@dataclass(frozen=True)
class Announcement:
    """What a published thing says about itself when it is announced."""

    title: str
    body: str
    url: str  # path or absolute URL on the town's site
    topic: str  # the NotificationTopic whose subscribers hear of it
    # The audience: these villages' residents; empty: the villages sent with content_published (none: the town).
    ortsgemeinde_ids: Sequence[int] = ()
    dedupe_key: str = ""  # nobody is told twice about the same key
    # The club or organisation that published it (town.Organisation): its followers hear of it too,
    # under the topic "follows", wherever they live.
    organisation_id: int | None = None


@dataclass(frozen=True)
class AnnouncedContent(Capability):
    kind: str  # the ``kind`` its module sends with content_published, e.g. "news.article"
    # (object_id) -> Announcement | None; None when it is no longer public (unpublished before the worker ran)
    announcement: Ref


class _Topics(Mapping[str, NotificationTopic]):
    """Every topic some installed module declares, by key, in settings-page order (read at call time)."""

    def _all(self) -> dict[str, NotificationTopic]:
        from core.capabilities import declared

        return {topic.key: topic for topic in sorted(declared(NotificationTopic), key=lambda t: t.order)}

    def __getitem__(self, key: str) -> NotificationTopic:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    # Mapping's own views look every key up again (each lookup a fresh _all()): read the dict once.
    def keys(self) -> KeysView[str]:
        return self._all().keys()

    def values(self) -> ValuesView[NotificationTopic]:
        return self._all().values()

    def items(self) -> ItemsView[str, NotificationTopic]:
        return self._all().items()


TOPICS: Mapping[str, NotificationTopic] = _Topics()
