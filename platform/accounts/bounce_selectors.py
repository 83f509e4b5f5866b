"""Reads about addresses the mail relay could not deliver to (accounts.bounce_services writes them).

Bulk senders (notification mails, digests, later the Mitteilungsblatt) ask here and skip dead
addresses; transactional mail (password reset, confirmations) doesn't ask: it always tries.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import UndeliverableAddress


def email_undeliverable(email: str) -> bool:
    """Has this address bounced for good in this town (and not been confirmed again since)?"""
    return bool(email) and UndeliverableAddress.objects.filter(email__iexact=email.strip()).exists()


def undeliverable_emails(emails: Iterable[str]) -> set[str]:
    """Of these addresses, the ones bulk mail must skip (lower-cased), in one query."""
    wanted = {e.strip().lower() for e in emails if e}
    if not wanted:
        return set()
    found = UndeliverableAddress.objects.filter(email__in=wanted).values_list("email", flat=True)
    return {e.lower() for e in found}
