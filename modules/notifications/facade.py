"""The notifications module's public face: the ONLY thing other modules import.

    from modules.notifications.facade import notify, notifications_enabled

    if notifications_enabled():
        notify(user_ids=[member.pk ...], event="groups.post", title=..., body=..., url=post_url,
               dedupe_key=f"groups.post:{post.pk}", topic=f"groups.{group.pk}")

`notify` only enqueues, through the transactional outbox (core.outbox): the task is a row committed
with the caller's change, so a broker that is down at that moment delays it, never loses it. The
worker creates one notification per person in the notification centre and sends e-mail and web
push as each person chose (topic opt-in, quiet hours, digest). It is safe to call twice for the same
`dedupe_key`: nobody gets the same notification twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.access import tenant_has_module

MODULE_KEY = "notifications"


def notifications_enabled() -> bool:
    """Is the notifications module on in the current town?"""
    return tenant_has_module(MODULE_KEY)


def notify(
    *,
    user_ids: Iterable[int],
    event: str,
    title: str,
    body: str,
    url: str,
    dedupe_key: str,
    topic: str = "",
    urgent: bool = False,
) -> None:
    """Notify these residents once the current transaction commits (no-op when the module is off).

    Call it inside the transaction of the change it is about: the outbox rows commit with it.

    `event`: what happened, "<module>.<thing>" (e.g. "messages.new"). `url`: a path on the
    town's site ("/news/x/") or an absolute URL on its domain. `dedupe_key`: the same for the
    same event, e.g. "messages.message:42". `topic`: a key from topics.TOPICS the residents can
    opt in and out of, or your own ("groups.7": everyone you name counts as subscribed), or ""
    for notifications meant for exactly these people. `urgent`: ignores quiet hours and digests
    (reserved for warnings from the town hall).
    """
    ids = sorted({int(pk) for pk in user_ids})
    if not ids or not notifications_enabled():
        return
    from core.outbox import outbox_enqueue
    from modules.notifications.services import BATCH_SIZE, chunked

    kwargs = {"event": event, "title": title, "body": body, "url": url, "dedupe_key": dedupe_key,
              "topic": topic, "urgent": urgent}
    # One row per batch; urgent=True routes them to the urgent queue (config.celery_routes).
    for batch in chunked(ids, BATCH_SIZE):
        outbox_enqueue("notifications.deliver", kwargs={"user_ids": batch, **kwargs})
