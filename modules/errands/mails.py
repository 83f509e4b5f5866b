"""The Mitbringdienst's e-mails, built inside a task in the town's schema (URLs from the town's domain row)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from core.branding import town_url
from core.mail import send_town_mail
from modules.errands.models import ErrandReport, ErrandRequest


def _subjects() -> dict[str, str]:
    return {
        "accepted": _("A neighbour will bring your things"),
        "released": _("Your errand is open again"),
        "bought": _("Your things have been bought"),
        "delivered": _("Your things have been delivered"),
        "cancelled": _("An errand you accepted was cancelled"),
        "thanks": _("Thank you for bringing the things"),
        "joined": _("Someone joined your trip"),
        "comment": _("New message about an errand"),
    }


def step_mail_send(*, errand_id: int, step: str, recipient_id: int, actor_id: int | None) -> int:
    users = get_user_model().objects
    errand = ErrandRequest.objects.select_related("ortsgemeinde", "requester", "helper").filter(pk=errand_id).first()
    recipient = users.filter(pk=recipient_id, is_active=True).first()
    if errand is None or recipient is None:
        return 0
    actor = users.filter(pk=actor_id).first() if actor_id else None
    comment = errand.comments.order_by("-pk").first() if step == "comment" else None
    return send_town_mail(
        to=recipient.email,
        subject=_subjects()[step],
        template="errands/mail/step",
        context={
            "step": step,
            "errand": errand,
            "recipient": recipient,
            # Names only; the e-mail addresses of the two never appear in each other's mail.
            "actor_name": actor.name if actor else "",
            "comment": comment,
            "url": town_url(errand.get_absolute_url()),
        },
    )


def report_mail_send(*, report_id: int) -> int:
    report = ErrandReport.objects.select_related("request", "reporter").filter(pk=report_id).first()
    if report is None:
        return 0
    moderators = list(
        get_user_model().objects.filter(Q(role=Role.MODERATOR) | Q(role=Role.ADMIN), is_active=True)
        .order_by("pk").values_list("email", flat=True)
    )
    if not moderators:
        return 0
    sent = 0
    for email in moderators:  # one mail each: moderators don't see each other's addresses
        sent += send_town_mail(
            to=email,
            subject=_("An errand was reported"),
            template="errands/mail/report",
            context={
                "report": report,
                "url": town_url(reverse("errands:report-list")),
                "errand_url": town_url(report.request.get_absolute_url()),
            },
        )
    return sent
