"""Who hears about an application, and how.

Where the town has the notifications module on, every notice goes through it: a
notification in each person's notification centre, e-mail and push as each of them
chose. Without it, the same people get a branded e-mail of the town, as before.
Addresses are never shown to anyone else: each mail goes to its own recipient.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.branding import town_url
from core.mail import send_town_mail, town_mail_context
from modules.directory.models import Business, BusinessStatus
from modules.notifications.facade import notifications_enabled, notify

_STATUS_OF = {
    "application": BusinessStatus.PENDING,
    "approved": BusinessStatus.APPROVED,
    "rejected": BusinessStatus.REJECTED,
}


def _dedupe_key(event: str, business: Business) -> str:
    """The same for every run of the same step: a retried task or a repeated click notifies once.

    A business goes round application → rejected → application → approved; each round is told
    apart by the time of the decision it follows (or answers), which the next round changes.
    """
    reviewed = int(business.reviewed_at.timestamp() * 1000) if business.reviewed_at else 0
    return f"directory.{event}:{business.pk}:{reviewed}"


def notify_business_event(*, event: str, business_id: int) -> int:
    """`event`: "application" (to moderators and admins), "approved" or "rejected" (to the applicant).

    Returns the number of people notified (mails sent, or notifications handed to the notifications module).
    """
    business = Business.objects.select_related("applicant").filter(pk=business_id).first()
    if business is None:
        return 0
    if event == "application":
        people = list(
            User.objects.filter(role__in=(Role.ADMIN, Role.MODERATOR), is_active=True)
            .order_by("pk")
            .values_list("pk", "email")
        )
        path = reverse("directory:application-list")
        subject = _("New business for the directory: %(name)s") % {"name": business.name}
        template = "directory/mail/application"
    elif event in ("approved", "rejected"):
        applicant = business.applicant
        people = [(applicant.pk, applicant.email)] if applicant and applicant.is_active else []
        path = reverse("directory:business-manage", kwargs={"slug": business.slug})
        if event == "approved":
            subject = _("Your business is now in the directory: %(name)s") % {"name": business.name}
        else:
            subject = _("Your directory entry was not approved: %(name)s") % {"name": business.name}
        template = f"directory/mail/{event}"
    else:
        raise ValueError(f"unknown directory event {event!r}")
    if not people:
        return 0
    url = town_url(path)
    if notifications_enabled():
        if business.status != _STATUS_OF[event]:
            # Decided or withdrawn again before this ran: the notice would be stale, and its
            # dedupe key would be the next round's.
            return 0
        # Topic "": these are about the person's own business (or their job as moderator), always delivered.
        body = render_to_string(f"directory/notice/{event}.txt", {**town_mail_context(), "business": business})
        notify(user_ids=[pk for pk, _email in people], event=f"directory.{event}", title=subject,
               body=body.strip(), url=path, dedupe_key=_dedupe_key(event, business), topic="")
        return len(people)
    sent = 0
    for _pk, address in people:
        sent += send_town_mail(to=address, subject=subject, template=template,
                               context={"business": business, "url": url})
    return sent
