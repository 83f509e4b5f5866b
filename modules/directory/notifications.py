"""Who hears about an application, and how. The one place to switch to the notifications module later.

Until messages/notifications exist, everything goes out as a branded e-mail of the town.
Addresses are never shown to anyone else: each mail goes to its own recipient.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.branding import town_url
from core.mail import send_town_mail
from modules.directory.models import Business


def notify_business_event(*, event: str, business_id: int) -> int:
    """`event`: "application" (to moderators and admins), "approved" or "rejected" (to the applicant).

    Returns the number of mails sent.
    """
    business = Business.objects.select_related("applicant").filter(pk=business_id).first()
    if business is None:
        return 0
    if event == "application":
        recipients = list(
            User.objects.filter(role__in=(Role.ADMIN, Role.MODERATOR), is_active=True)
            .order_by("pk")
            .values_list("email", flat=True)
        )
        url = town_url(reverse("directory:application-list"))
        subject = _("New business for the directory: %(name)s") % {"name": business.name}
        template = "directory/mail/application"
    elif event in ("approved", "rejected"):
        applicant = business.applicant
        recipients = [applicant.email] if applicant and applicant.is_active else []
        url = town_url(reverse("directory:business-manage", kwargs={"slug": business.slug}))
        if event == "approved":
            subject = _("Your business is now in the directory: %(name)s") % {"name": business.name}
        else:
            subject = _("Your directory entry was not approved: %(name)s") % {"name": business.name}
        template = f"directory/mail/{event}"
    else:
        raise ValueError(f"unknown directory event {event!r}")
    sent = 0
    for address in recipients:
        sent += send_town_mail(to=address, subject=subject, template=template,
                               context={"business": business, "url": url})
    return sent
