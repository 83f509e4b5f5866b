"""Printed invitations: a poster, a flyer and a letter to new residents, each with a QR code.

The code in the QR code (`SignupCode`) leads to `/r/<code>/`, which opens the registration with
the right Ortsgemeinde chosen and remembers where the person came from. The town sees how many
registrations each poster, flyer or Verein brought (counts, never names).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.branding import town_url
from core.modules import all_modules, enabled_module_keys
from core.printing import logo_file, qr_svg_bytes, render_pdf
from town.models import Organisation, Ortsgemeinde, SignupCode, TownProfile

PRINT_DIR = Path(__file__).resolve().parent / "print"
KINDS = ("aushang", "flyer", "brief")
TEMPLATES = {"aushang": "poster.typ", "flyer": "flyer.typ", "brief": "letter.typ"}


def signup_code_for(*, ortsgemeinde: Ortsgemeinde | None = None,
                    organisation: Organisation | None = None) -> SignupCode:
    """The one code of this source, made on first use (printing is what makes a code exist)."""
    if organisation is not None:
        ortsgemeinde = None  # an organisation's code is its own, wherever it is based
    lookup = {"ortsgemeinde": ortsgemeinde, "organisation": organisation}
    existing = SignupCode.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SignupCode.objects.create(**lookup)
    except IntegrityError:  # printed twice at the same moment: the other request made it
        return SignupCode.objects.get(**lookup)


def signup_code_url(code: SignupCode) -> str:
    return town_url(reverse("town:signup-code", args=[code.code]))


def _short(url: str) -> str:
    # The address printed under the QR code, for people who type: without "https://".
    return url.split("://", 1)[-1].rstrip("/")


def _offers() -> list[str]:
    """What residents find: the names of the switched-on modules that have pages for residents.

    Printed from the registry like the landing page, so paper promises only what the town has on.
    """
    enabled = enabled_module_keys()
    return [str(module.spec.name) for key, module in all_modules().items()
            if key in enabled and any(not item.backoffice for item in module.spec.nav)]


def _contact(profile: TownProfile) -> str | None:
    parts = [profile.contact_name, profile.contact_role, profile.contact_phone, profile.contact_email,
             profile.contact_hours]
    text = " · ".join(part for part in parts if part)
    return text or None


def invitation_pdf(kind: str, *, profile: TownProfile, ortsgemeinde: Ortsgemeinde | None = None,
                   organisation: Organisation | None = None) -> bytes:
    """The PDF of one printed invitation (`kind`: aushang, flyer or brief) for its source."""
    code = signup_code_for(ortsgemeinde=ortsgemeinde, organisation=organisation)
    url = signup_code_url(code)
    town = profile.name
    if organisation is not None:
        headline = _("%(organisation)s invites you") % {"organisation": organisation.name}
        lead = _("Follow our news and dates in the digital village of %(town)s, together with your "
                 "neighbours, the town hall and the other Vereine.") % {"town": town}
    elif ortsgemeinde is not None:
        headline = _("%(place)s is online") % {"place": ortsgemeinde.name}
        lead = _("News, dates and neighbourly help for %(place)s and all of %(town)s, on your phone "
                 "or computer.") % {"place": ortsgemeinde.name, "town": town}
    else:
        headline = _("%(town)s is online") % {"town": town}
        lead = _("News, dates and neighbourly help for all villages of %(town)s, on your phone or "
                 "computer.") % {"town": town}
    data: dict[str, Any] = {
        "document_title": headline,
        "town": town,
        "colour": profile.primary_colour,
        "headline": headline,
        "lead": lead + " " + _("Free of charge and without advertising."),
        "url": _short(url),
        "offers_heading": _("What you find there:"),
        "offers": _offers(),
        "steps": [
            _("Scan the code with your phone's camera, or type the address into your browser."),
            _("Enter your name and e-mail address and choose a password."),
            _("Click the link in the e-mail we send you. Done!"),
        ],
        "contact_heading": _("Questions? Your contact person:"),
        "contact": _contact(profile),
        "footer": _short(town_url("/")),
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "subject": _("Welcome to %(place)s!") % {"place": ortsgemeinde.name if ortsgemeinde else town},
        "greeting": _("Dear new neighbours,"),
        "paragraphs": [
            _("welcome! We are glad that you live here now. Much of what happens in our villages you "
              "can find in one place: the digital village of %(town)s.") % {"town": town},
            _("There you read the news of the town hall and of the Vereine, find dates, ask your "
              "neighbours for help and offer your own. You choose yourself what you want to be told about."),
        ],
        "closing": _("With kind regards, your town hall"),
    }
    files = {"qr.svg": qr_svg_bytes(url)}
    if (logo := logo_file(profile)) is not None:
        files[logo[0]] = logo[1]
        data["logo"] = logo[0]
    return render_pdf(PRINT_DIR / TEMPLATES[kind], data, files=files)
