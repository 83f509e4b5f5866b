"""Read bounce messages (RFC 3464 delivery status notifications) from a mailbox and record them per town.

    python manage.py mail_bounces_read /var/mail/bounces            # a maildir (or an mbox file)
    python manage.py mail_bounces_read bounces.mbox --town musterdorf.dorfkern.de

For relays without a bounce webhook: their bounces go to a mailbox (the envelope sender), which a
cron job reads with this command. The town is the host in the quoted `X-Dorfkern-Town` header of the
original mail (every town mail carries it), or --town for a mailbox that serves one town. Messages
recorded (or not bounces at all) are removed from the mailbox, so a second run counts nothing twice;
bounces naming no known town are left for an operator to look at.
"""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from accounts.bounce_services import bounce_record, dsn_parse
from tenants.selectors import tenant_for_host


class Command(BaseCommand):
    help = "Record the bounces (RFC 3464 reports) in a maildir or mbox, per town; removes what it recorded."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a maildir folder or an mbox file")
        parser.add_argument("--town", default="", help="the town's host, for bounces that don't name one")
        parser.add_argument("--keep", action="store_true", help="leave the messages in the mailbox")

    def handle(self, *args: Any, path: str, town: str, keep: bool, **options: Any) -> None:
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{path}: no such maildir or mbox")
        box: mailbox.Mailbox = mailbox.Maildir(source, create=False) if source.is_dir() else mailbox.mbox(source)
        recorded = skipped = unknown = 0
        box.lock()
        try:
            for key, message in list(box.items()):
                bounces, host = dsn_parse(message)
                if not bounces:
                    skipped += 1
                    if not keep:
                        box.remove(key)
                    continue
                tenant = tenant_for_host(host or town.lower()) if (host or town) else None
                if tenant is None:
                    unknown += 1
                    self.stderr.write(f"no town for bounce {message.get('Message-ID', key)} (host {host!r})")
                    continue
                with tenant_context(tenant):
                    for email, kind, reason in bounces:
                        bounce_record(email=email, kind=kind, reason=reason)
                        recorded += 1
                if not keep:
                    box.remove(key)
            box.flush()
        finally:
            box.unlock()
            box.close()
        self.stdout.write(f"{recorded} bounces recorded, {skipped} other messages, {unknown} without a town")
