"""Mitfahren's e-mails, built inside a task in the town's schema (URLs from the town's domain row).

Mails come from the town's sender address; nobody's e-mail address appears in another's mail.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.branding import town_url
from core.mail import send_town_mail
from modules.rides.models import Booking


def notice_mail_send(*, user_ids: list[int], title: str, body: str, url: str) -> int:
    sent = 0
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        sent += send_town_mail(to=user.email, subject=title, template="rides/mail/notice",
                               context={"title": title, "body": body, "url": town_url(url), "recipient": user})
    return sent


def relay_mail_send(*, booking_id: int, sender_id: int, recipient_id: int, text: str) -> int:
    users = get_user_model().objects
    booking = Booking.objects.select_related("ride__from_stop", "ride__to_stop").filter(pk=booking_id).first()
    sender = users.filter(pk=sender_id).first()
    recipient = users.filter(pk=recipient_id, is_active=True).first()
    if booking is None or sender is None or recipient is None:
        return 0
    title = _("Message from %(name)s about your ride") % {"name": sender.get_short_name()}
    return send_town_mail(to=recipient.email, subject=title, template="rides/mail/relay", context={
        "title": title, "sender_name": sender.get_short_name(), "text": text, "route": str(booking.ride),
        "day": booking.day, "url": town_url(booking.get_absolute_url()), "recipient": recipient,
    })
