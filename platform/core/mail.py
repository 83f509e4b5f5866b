"""Branded e-mail for the current town: its name, colours, contact person and address.

Works in a request and in a Celery task alike: everything comes from the
town's schema and domain row, nothing from a request's Host header
(ISOLATION T9).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from core.branding import current_town_name, sender_address, town_profile, town_url
from core.colours import readable_text_on
from core.tenancy import connection

logger = logging.getLogger(__name__)


def town_mail_context() -> dict[str, Any]:
    """What the mail base templates show about the town (empty names on the public site)."""
    if connection.schema_name == "public":
        return {"brand": {"name": "Dorfkern", "url": town_url("/"), "primary": "#1f5f8b",
                          "on_primary": "#ffffff", "logo_url": "", "contact": None}}
    profile = town_profile()
    contact = None
    if profile.contact_name:
        contact = {"name": profile.contact_name, "role": profile.contact_role, "email": profile.contact_email,
                   "phone": profile.contact_phone, "hours": profile.contact_hours}
    return {
        "brand": {
            "name": current_town_name(),
            "url": town_url("/"),
            "impressum_url": town_url("/impressum/"),
            "privacy_url": town_url("/datenschutz/"),
            "primary": profile.primary_colour,
            "on_primary": readable_text_on(profile.primary_colour),
            "accent": profile.accent_colour,
            "logo_url": town_url(profile.logo.url) if profile.logo else "",
            "contact": contact,
        }
    }


def send_town_mail(
    *,
    to: str | Sequence[str],
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    reply_to: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
    mail_connection: Any = None,
    town_context: dict[str, Any] | None = None,
) -> int:
    """Render ``<template>.txt`` (and ``<template>.html`` if it exists) with the town's branding and send it.

    The templates usually extend ``core/mail/base.txt`` / ``core/mail/base.html``.
    Replies go to the town's contact person unless `reply_to` says otherwise.
    Returns the number of messages sent (0 or 1). `headers` adds mail headers (e.g. List-Unsubscribe);
    `mail_connection` reuses one mail connection for a batch, `town_context` one town_mail_context().
    """
    recipients = [to] if isinstance(to, str) else list(to)
    ctx = {**(town_context or town_mail_context()), **(context or {})}
    text = render_to_string(f"{template}.txt", ctx).strip()
    try:
        html: str | None = render_to_string(f"{template}.html", ctx)
    except TemplateDoesNotExist:
        html = None
    name = ctx["brand"]["name"]
    full_subject = " ".join(subject.split())
    if name and not full_subject.startswith(f"[{name}]"):
        full_subject = f"[{name}] {full_subject}"
    contact = ctx["brand"].get("contact") or {}
    if reply_to is None and contact.get("email"):
        reply_to = [contact["email"]]
    # Which town sent it, quoted back in bounces (accounts.bounce_services.dsn_parse reads it).
    host = urlsplit(ctx["brand"]["url"]).hostname if connection.schema_name != "public" else None
    town_header = {"X-Dorfkern-Town": host} if host else {}
    message = EmailMultiAlternatives(
        subject=full_subject,
        body=text,
        from_email=sender_address(),
        to=recipients,
        reply_to=list(reply_to or []),
        headers={"Auto-Submitted": "auto-generated", **town_header, **(headers or {})},
        connection=mail_connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def send_town_mail_or_false(**kwargs: Any) -> bool:
    """send_town_mail for a task that retries: False (logged) when the mail relay refused or was unreachable.

    Why one helper: every mail task sent through the outbox (core.outbox.deliver_once_or_retry) needs
    "the relay said no" as a value to retry on, not as an exception that fails the task for good.
    """
    try:
        send_town_mail(**kwargs)
    except (smtplib.SMTPException, OSError):
        logger.warning("mail %r refused by the mail relay; the task will retry", kwargs.get("template"), exc_info=True)
        return False
    return True


def town_mail_enqueue(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    reply_to: Sequence[str] | None = None,
) -> None:
    """Send a town mail from the worker, committed with the caller's transaction (core.outbox).

    For mails a request or task decides to send: the web worker never waits on the mail relay, a
    broker outage delays the mail instead of losing it, and a relay that refuses is retried.
    `context` must be JSON (strings, numbers, lists, dicts): it is stored until the mail is out,
    then cleared (core.outbox.delivery_once).
    """
    from core.outbox import outbox_enqueue

    outbox_enqueue("core.town_mail", kwargs={"to": to, "subject": str(subject), "template": template,
                                             "context": context, "reply_to": list(reply_to) if reply_to else None})
