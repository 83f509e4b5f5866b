"""How the Mitbringdienst tells people about a step, from a Celery task after the step commits.

The only place that decides *when* and *whom*; mails.py decides how: through the
notifications module (notification centre, e-mail and push as each person chose)
where the town has it on, otherwise by e-mail. Nobody ever sees the other
person's e-mail address: mails come from the town's sender address and link to
the request page, where the two write to each other.
"""

from __future__ import annotations

from modules.errands.models import ErrandComment, ErrandEvent, ErrandEventKind

# Steps that notify someone, and to whom the services address them.
STEPS = ("accepted", "released", "bought", "delivered", "cancelled", "thanks", "joined", "comment")


def _step_ref(*, errand_id: int, step: str, actor_id: int | None) -> str:
    """What tells this step apart from an earlier one of the same kind (accepted, given back, accepted again).

    Looked up in the step's own transaction, where the row it just wrote is the newest one;
    the task then builds the same dedupe key however often it runs.
    """
    if step == "comment":
        comments = ErrandComment.objects.filter(request_id=errand_id)
        if actor_id:
            comments = comments.filter(author_id=actor_id)
        pk = comments.order_by("-pk").values_list("pk", flat=True).first()
    else:
        kind = {"thanks": ErrandEventKind.DELIVERED, "joined": ErrandEventKind.CREATED}.get(step, step)
        pk = (ErrandEvent.objects.filter(request_id=errand_id, kind=kind)
              .order_by("-pk").values_list("pk", flat=True).first())
    return str(pk or 0)


def notify_errand_step(*, errand_id: int, step: str, recipient_id: int, actor_id: int | None) -> None:
    """Tell `recipient_id` about `step` of request `errand_id` once the transaction has committed."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    from core.outbox import outbox_enqueue

    ref = _step_ref(errand_id=errand_id, step=step, actor_id=actor_id)
    outbox_enqueue("errands.send_step_mail", args=[errand_id, step, recipient_id, actor_id, ref])


def notify_moderators_of_report(*, report_id: int) -> None:
    from core.outbox import outbox_enqueue

    outbox_enqueue("errands.send_report_mail", args=[report_id])
