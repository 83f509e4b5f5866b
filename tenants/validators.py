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


# --- a town's own domain -------------------------------------------------------------------------

DOMAIN_MAX = 253  # RFC 1035: the whole name, dots included, in its ASCII (IDNA) form
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# Names that never lead to the internet, so no certificate authority would ever sign them.
_SPECIAL_USE = ("localhost", "local", "internal", "invalid", "arpa", "home", "lan")


def custom_domain_normalise(value: str) -> str:
    """`value` as a town's own address in the form stored and routed: ASCII (IDNA), lower case, no dot at the end.

    A pasted web address (https://digital.musterhausen.de/) is reduced to its name; anything else
    that isn't a plain host name raises ValidationError with a message a town admin understands.
    """
    import ipaddress

    import idna
    from django.conf import settings

    text = value.strip()
    for scheme in ("https://", "http://"):
        if text.lower().startswith(scheme):
            text = text[len(scheme):]
    text = text.rstrip("/").rstrip(".")
    example = _("Please enter an address such as digital.musterhausen.de: without http://, without a path "
                "and without spaces.")
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        pass
    else:
        raise ValidationError(_("This is an IP address. Please enter a name such as digital.musterhausen.de."),
                              code="ip")
    if not text or any(char in text for char in "/\\:@?#[] \t"):
        raise ValidationError(example, code="invalid")
    if len(text) > DOMAIN_MAX:
        raise ValidationError(_("The address is too long: at most %(max)d characters.") % {"max": DOMAIN_MAX},
                              code="length")
    try:
        # UTS 46 maps what people type (capitals, umlauts as in bürger.stadt-müllheim.de) to the IDNA 2008 form.
        ascii_name = idna.encode(text, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        raise ValidationError(example, code="invalid") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > DOMAIN_MAX:
        raise ValidationError(_("The address is too long: at most %(max)d characters.") % {"max": DOMAIN_MAX},
                              code="length")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise ValidationError(example, code="invalid")
    if labels[-1] in _SPECIAL_USE:
        raise ValidationError(_("This address cannot be reached from the internet. Please enter your town's "
                                "address on the internet, such as digital.musterhausen.de."), code="special")
    base = settings.BASE_DOMAIN.lower()
    if ascii_name == base or ascii_name.endswith("." + base):
        raise ValidationError(_("This address belongs to the platform itself. Please enter an address of your "
                                "own town, such as digital.musterhausen.de."), code="platform")
    return ascii_name
