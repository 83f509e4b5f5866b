"""The Mitbringdienst's notices, built inside a task in the town's schema (URLs from the town's domain row).

Where the town has the notifications module on, each notice goes through it (notification
centre, e-mail and push as the person chose, quiet hours, digests) with a dedupe key that is
the same for every run of the same step; otherwise it is the town's branded e-mail.
Topic "": every notice here is about the person's own errand (or their job as moderator).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from core.branding import town_url
from core.mail import send_town_mail
from modules.errands.models import ErrandReport, ErrandRequest
from modules.notifications.facade import notifications_enabled, notify


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


def step_mail_send(*, errand_id: int, step: str, recipient_id: int, actor_id: int | None, ref: str = "") -> int:
    """Tell `recipient_id` about `step`; returns 1 when a notice went out (or was handed on), else 0."""
    users = get_user_model().objects
    errand = ErrandRequest.objects.select_related("ortsgemeinde", "requester", "helper").filter(pk=errand_id).first()
    recipient = users.filter(pk=recipient_id, is_active=True).first()
    if errand is None or recipient is None:
        return 0
    actor = users.filter(pk=actor_id).first() if actor_id else None
    comment = errand.comments.order_by("-pk").first() if step == "comment" else None
    if step == "comment" and ref and ref.isdigit():
        # The message this notice is about, not a newer one written since.
        comment = errand.comments.filter(pk=int(ref)).first() or comment
    context = {
        "step": step,
        "errand": errand,
        "recipient": recipient,
        # Names only; the e-mail addresses of the two never appear in each other's notices.
        "actor_name": actor.name if actor else "",
        "comment": comment,
    }
    if notifications_enabled():
        body = render_to_string("errands/notice/step.txt", context).strip()
        notify(user_ids=[recipient.pk], event=f"errands.{step}", title=_subjects()[step], body=body,
               url=errand.get_absolute_url(), dedupe_key=f"errands.{step}:{errand.pk}:{ref or '0'}", topic="")
        return 1
    return send_town_mail(
        to=recipient.email,
        subject=_subjects()[step],
        template="errands/mail/step",
        context={**context, "url": town_url(errand.get_absolute_url())},
    )


def report_mail_send(*, report_id: int) -> int:
    """Tell every moderator and admin about a report, each on their own; returns how many were told."""
    report = ErrandReport.objects.select_related("request", "reporter").filter(pk=report_id).first()
    if report is None:
        return 0
    moderators = list(
        get_user_model().objects.filter(Q(role=Role.MODERATOR) | Q(role=Role.ADMIN), is_active=True)
        .order_by("pk").values_list("pk", "email")
    )
    if not moderators:
        return 0
    context = {
        "report": report,
        "url": town_url(reverse("errands:report-list")),
        "errand_url": town_url(report.request.get_absolute_url()),
    }
    if notifications_enabled():
        body = render_to_string("errands/notice/report.txt", context).strip()
        notify(user_ids=[pk for pk, _email in moderators], event="errands.report", title=_("An errand was reported"),
               body=body, url=reverse("errands:report-list"), dedupe_key=f"errands.report:{report.pk}", topic="")
        return len(moderators)
    sent = 0
    for _pk, email in moderators:  # one mail each: moderators don't see each other's addresses
        sent += send_town_mail(to=email, subject=_("An errand was reported"), template="errands/mail/report",
                               context=context)
    return sent
