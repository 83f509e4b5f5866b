"""A published poll is announced to those who may vote in it ("New polls"); drafts and link polls are not."""

from __future__ import annotations

from modules.polls.facade import poll_announcement
from tests.modules.polls.factories import make_poll


def test_publishing_announces_the_poll_to_its_village(in_town_a, villages, django_capture_on_commit_callbacks):
    from core.signals import content_published

    sent: list[dict] = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    content_published.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            poll = make_poll(audience="ortsgemeinde", ortsgemeinde_id=villages["e"].pk)
            make_poll(title="Nur per Link", audience="link")
    finally:
        content_published.disconnect(receiver)

    assert [(s["kind"], s["object_id"], s["ortsgemeinde_ids"]) for s in sent] == [
        ("polls.poll", poll.pk, [villages["e"].pk])]
    announcement = poll_announcement(poll.pk)
    assert announcement.topic == "polls.new" and list(announcement.ortsgemeinde_ids) == [villages["e"].pk]
    assert poll_announcement(make_poll(publish=False).pk) is None
