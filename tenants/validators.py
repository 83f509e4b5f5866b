"""What a town's subdomain may be (ISOLATION T12)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SUBDOMAIN_MIN = 3
SUBDOMAIN_MAX = 40
_SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

RESERVED_SUBDOMAINS = frozenset(
    {
        "www", "public", "admin", "administrator", "api", "mail", "smtp", "imap", "pop", "mx",
        "static", "media", "assets", "cdn", "app", "apps", "status", "help", "support", "docs",
        "blog", "billing", "stripe", "webhooks", "staff", "root", "system", "dorfkern", "test",
        "demo", "dev", "staging", "localhost", "login", "signup", "auth", "account", "accounts",
        "postgres", "pg", "redis", "celery", "ftp", "ns1", "ns2", "dns", "vpn", "intranet",
    }
)


def subdomain_validate(value: str) -> None:
    """Raise ValidationError with a German/English message when `value` can't be a town's subdomain."""
    if value != value.strip().lower():
        raise ValidationError(_("Use lower-case letters only."), code="case")
    if not SUBDOMAIN_MIN <= len(value) <= SUBDOMAIN_MAX:
        raise ValidationError(
            _("The subdomain must be between %(min)d and %(max)d characters long.")
            % {"min": SUBDOMAIN_MIN, "max": SUBDOMAIN_MAX},
            code="length",
        )
    if not _SUBDOMAIN.match(value):
        raise ValidationError(
            _(
                "Use only lower-case letters a–z, digits and hyphens; "
                "no umlauts, and no hyphen at the start or end."
            ),
            code="invalid",
        )
    if "--" in value:
        raise ValidationError(_("Two hyphens in a row are not allowed."), code="invalid")
    if value in RESERVED_SUBDOMAINS or value.startswith("xn--"):
        raise ValidationError(_("The subdomain “%(value)s” is reserved.") % {"value": value}, code="reserved")
