"""How the Mitbringdienst tells people about a step: today by e-mail, from a Celery task.

The only place that decides *how* people are notified, so it can move to the
notifications module (Kommunikation) later without touching the services.
Mails never show one resident's e-mail address to another: they come from the
town's sender address and link to the request page, where the two write to
each other.
"""

from __future__ import annotations

from django.db import transaction

# Steps that send a mail, and to whom the services address them.
STEPS = ("accepted", "released", "bought", "delivered", "cancelled", "thanks", "joined", "comment")


def notify_errand_step(*, errand_id: int, step: str, recipient_id: int, actor_id: int | None) -> None:
    """E-mail `recipient_id` about `step` of request `errand_id` once the transaction has committed."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}")
    from modules.errands.tasks import send_step_mail

    transaction.on_commit(lambda: send_step_mail.delay(errand_id, step, recipient_id, actor_id))


def notify_moderators_of_report(*, report_id: int) -> None:
    from modules.errands.tasks import send_report_mail

    transaction.on_commit(lambda: send_report_mail.delay(report_id))
