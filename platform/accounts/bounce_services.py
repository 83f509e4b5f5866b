"""Bounces: what the mail relay reports about addresses it could not deliver to, per town.

- A hard bounce (the address does not exist) marks the address undeliverable at once.
- Soft bounces (mailbox full, server away) are counted: SOFT_LIMIT within SOFT_WINDOW do the same.
- An undeliverable address gets no bulk mail (accounts.bounce_selectors); the person sees a banner
  on their account page and clears it by confirming the address again (a link mailed to it, or
  allauth's address confirmation for a changed address).

Everything lives in the town's schema: town A's bounces never touch town B, even for the same address.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import BounceKind, MailBounce, UndeliverableAddress
from accounts.tokens import tenant_salt

logger = logging.getLogger(__name__)

SOFT_LIMIT = 5
SOFT_WINDOW = timedelta(days=7)
# How long the "confirm your address" link in the mail works.
CHECK_TOKEN_MAX_AGE = 7 * 24 * 3600
_CHECK_PURPOSE = "mail-address-check"


@transaction.atomic
def bounce_record(*, email: str, kind: str, reason: str = "", now: datetime | None = None) -> bool:
    """Record one bounce for `email` in this town; True when the address is (now) undeliverable."""
    email = (email or "").strip().lower()
    if kind not in BounceKind.values or not email:
        raise ValueError(f"not a bounce: {kind!r} for {email!r}")
    now = now or timezone.now()
    reason = (reason or "")[:500]
    MailBounce.objects.create(email=email, kind=kind, reason=reason)
    if UndeliverableAddress.objects.filter(email=email).exists():
        return True
    if kind == BounceKind.SOFT:
        # Counted since the last time the address was confirmed: old soft bounces don't add up again.
        recent = MailBounce.objects.filter(email=email, kind=BounceKind.SOFT, created_at__gte=now - SOFT_WINDOW)
        if recent.count() < SOFT_LIMIT:
            return False
    UndeliverableAddress.objects.get_or_create(email=email, defaults={"since": now, "reason": reason})
    logger.info("mail: %s is undeliverable in this town (%s bounce: %s)", email, kind, reason)
    return True


@transaction.atomic
def address_deliverable_again(*, email: str) -> bool:
    """The person confirmed the address: bulk mail goes to it again. False when it wasn't marked."""
    email = (email or "").strip().lower()
    deleted, _details = UndeliverableAddress.objects.filter(email=email).delete()
    # The soft bounces before the confirmation no longer count towards the next limit.
    MailBounce.objects.filter(email=email, kind=BounceKind.SOFT).delete()
    return bool(deleted)


def address_check_token_make(*, user_id: int, email: str) -> str:
    """A link token for "this is still my address": per town (salt), per user and address."""
    return signing.dumps({"u": user_id, "e": email.lower()}, salt=tenant_salt(_CHECK_PURPOSE), compress=True)


def address_check_token_read(token: str) -> tuple[int, str] | None:
    """(user id, address) of a token issued in this town within CHECK_TOKEN_MAX_AGE, or None."""
    try:
        data = signing.loads(token, salt=tenant_salt(_CHECK_PURPOSE), max_age=CHECK_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        return None
    return data["u"], data["e"]


def address_check_request(*, user: Any) -> None:
    """Mail the person a link that confirms their address (through the outbox: never inline)."""
    from core.outbox import outbox_enqueue

    outbox_enqueue("accounts.address_check_mail", args=[user.pk])


def address_check_mail_send(*, user_id: int) -> bool:
    """The mail with the confirmation link; transactional, so it is sent even to an undeliverable address.

    False when the mail relay refused (the task retries).
    """
    from accounts.models import User
    from core.branding import town_url
    from core.mail import send_town_mail_or_false

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return True
    token = address_check_token_make(user_id=user.pk, email=user.email)
    return send_town_mail_or_false(
        to=user.email,
        subject=_("Please confirm your e-mail address"),
        template="accounts/mail/address_check",
        context={"name": user.get_short_name(),
                 "url": town_url(reverse("accounts:address-check-confirm", kwargs={"token": token}))},
    )


def address_check_confirm(*, token: str, user: Any = None) -> str | None:
    """Clear the undeliverable mark for the token's address; the address, or None for a bad token.

    The token must name the person's current address: a link for an address they changed since is void.
    """
    from accounts.models import User

    found = address_check_token_read(token)
    if found is None:
        return None
    user_id, email = found
    if user is not None and getattr(user, "is_authenticated", False) and user.pk != user_id:
        return None
    if not User.objects.filter(pk=user_id, is_active=True, email__iexact=email).exists():
        return None
    address_deliverable_again(email=email)
    return email


# --- what mail relays send ---------------------------------------------------------------------


def bounce_reports_parse(payload: Any) -> list[tuple[str, str, str]]:
    """(recipient, "hard"|"soft", reason) for each bounce in a relay's webhook body; [] for none.

    Accepted shapes (one object or a list of them):
    - generic:  {"recipient": "a@b.de", "type": "hard"|"soft", "reason": "550 5.1.1 user unknown"}
    - Postmark: {"RecordType": "Bounce", "Type": "HardBounce"|"SoftBounce"|…, "Email": …, "Description": …}
    - Mailgun:  {"event-data": {"event": "failed", "severity": "permanent"|"temporary", "recipient": …,
                 "delivery-status": {"message": …}}}
    Anything else (opens, deliveries, spam complaints) is ignored.
    """
    items = payload if isinstance(payload, list) else [payload]
    found: list[tuple[str, str, str]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if "recipient" in item and "type" in item:
            recipient, kind, reason = item.get("recipient"), item.get("type"), item.get("reason") or ""
        elif item.get("RecordType") == "Bounce":
            recipient = item.get("Email")
            kind = "hard" if item.get("Type") in ("HardBounce", "BadEmailAddress", "ManuallyDeactivated") else (
                "soft" if item.get("Type") in ("SoftBounce", "Transient", "DnsError") else "")
            reason = item.get("Description") or item.get("Details") or ""
        elif isinstance(item.get("event-data"), dict) and item["event-data"].get("event") == "failed":
            data = item["event-data"]
            recipient = data.get("recipient")
            kind = {"permanent": "hard", "temporary": "soft"}.get(data.get("severity"), "")
            status = data.get("delivery-status") if isinstance(data.get("delivery-status"), dict) else {}
            reason = status.get("message") or status.get("description") or ""
        else:
            continue
        if isinstance(recipient, str) and "@" in recipient and kind in BounceKind.values:
            found.append((recipient.strip().lower(), kind, str(reason)[:500]))
    return found


# --- delivery status notifications (RFC 3464) from a mailbox --------------------------------------

# The header every town mail carries (core.mail.send_town_mail): which town's host sent it. A bounce
# quotes the original headers, so the reader knows the town without trusting the recipient alone.
TOWN_HEADER = "X-Dorfkern-Town"


def dsn_parse(message: Message) -> tuple[list[tuple[str, str, str]], str]:
    """(bounces, town host) of a delivery status notification; ([], "") for any other message.

    Per recipient: Action "failed" with a 5.x.x status is hard, "failed" with 4.x.x or "delayed" is
    soft; "delivered", "relayed" and "expanded" are no bounce. The town host comes from the quoted
    original headers (text/rfc822-headers or message/rfc822).
    """
    if message.get_content_type() != "multipart/report" or message.get_param("report-type") != "delivery-status":
        return [], ""
    bounces: list[tuple[str, str, str]] = []
    host = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks[1:] if isinstance(blocks, list) else []:  # the first block is per message
                found = _dsn_recipient(block)
                if found is not None:
                    bounces.append(found)
        elif kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            quoted = message_from_bytes(payload.lstrip(), policy=policy.compat32)
            host = host or (quoted.get(TOWN_HEADER) or "").strip().lower()
        elif kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                host = host or (inner[0].get(TOWN_HEADER) or "").strip().lower()
    return bounces, host


def _dsn_recipient(block: Message) -> tuple[str, str, str] | None:
    recipient = block.get("Final-Recipient") or block.get("Original-Recipient") or ""
    address = recipient.partition(";")[2].strip() if ";" in recipient else recipient.strip()
    action = (block.get("Action") or "").strip().lower()
    status = (block.get("Status") or "").strip()
    reason = " ".join((block.get("Diagnostic-Code") or status).split())
    if "@" not in address:
        return None
    if action == "failed":
        kind = BounceKind.HARD if status.startswith("5") else BounceKind.SOFT
    elif action == "delayed":
        kind = BounceKind.SOFT
    else:
        return None
    return address.lower(), str(kind), reason[:500]
