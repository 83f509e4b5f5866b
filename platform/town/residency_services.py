"""Confirming that someone lives in the town: by the town hall, by postal code or with a letter's code.

Registering needs only an e-mail address. A town that wants more chooses one way to confirm residency
(`ResidencyPolicy.method`) and what only confirmed residents may do (write, vote, ride). Confirmed
residents get a badge next to their name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.access import RefusedWithReason
from core.audit import audit_record
from core.outbox import outbox_enqueue
from town.models import (
    Ortsgemeinde,
    ResidencyLetterCode,
    ResidencyMethod,
    ResidencyPolicy,
    ResidencyStatus,
    ResidencyVerification,
    ResidentProfile,
)
from town.residency_selectors import (
    ACTIONS,
    confirmed_residents_forget,
    is_confirmed_resident,
    residency_policy_forget,
    residency_policy_get,
    residency_required_for,
)

MAX_LETTERS_PER_RUN = 2000
# Tries at a letter code per person and hour: enough for typos, far too few to guess a 12-character code.
CODE_TRIES_PER_HOUR = 10

def _refusal_text(action: str) -> str:
    texts = {
        "posting": _("In this town, only residents whose address is confirmed can write posts, comments "
                     "and proposals."),
        "voting": _("In this town, only residents whose address is confirmed can vote and support "
                    "proposals."),
        "rides": _("In this town, only residents whose address is confirmed can offer, ask for and book "
                   "rides."),
    }
    return texts[action]


def residency_refusal(user: Any, action: str) -> str:
    """Why ``user`` may not do ``action`` (posting, voting, rides) for lack of a confirmed residency; "" if they may."""
    if action not in ACTIONS:
        raise ValueError(action)
    if not residency_required_for(action) or is_confirmed_resident(user):
        return ""
    return _refusal_text(action)


def residency_require(user: Any, action: str) -> None:
    """Raise a refusal with the reason and a link to confirming one's residency, unless ``user`` may."""
    reason = residency_refusal(user, action)
    if reason:
        raise RefusedWithReason(reason, link_url=reverse("town:residency"), link_text=_("Confirm where I live"))


def _forget_after(forget: Callable[[], None]) -> None:
    # Now (this request's next read sees the change) and after the commit (a read by another request
    # in between may have cached the old state again).
    forget()
    transaction.on_commit(forget)


def _require_admin(user: Any) -> None:
    if not getattr(user, "is_town_admin", False):
        raise PermissionDenied(_("Only the town's administrators can do this."))


@transaction.atomic
def residency_policy_update(*, acting_user: Any, method: str, required_for_posting: bool,
                            required_for_voting: bool, required_for_rides: bool) -> ResidencyPolicy:
    _require_admin(acting_user)
    if method not in ResidencyMethod.values:
        raise ValidationError({"method": _("Please choose how residents confirm where they live.")})
    if method == ResidencyMethod.NONE and (required_for_posting or required_for_voting or required_for_rides):
        raise ValidationError({"method": _(
            "Choose a way to confirm residency first: without one, nobody could write, vote or ride.")})
    if method == ResidencyMethod.POSTCODE and not any(o.postal_code_list() for o in Ortsgemeinde.objects.all()):
        raise ValidationError({"method": _(
            "None of your Ortsgemeinden has a postal code yet. Add them under Ortsgemeinden first.")})
    policy = ResidencyPolicy.objects.select_for_update().first() or ResidencyPolicy()
    fields = ("method", "required_for_posting", "required_for_voting", "required_for_rides")
    before = {field: getattr(policy, field) for field in fields}
    policy.method = method
    policy.required_for_posting = required_for_posting
    policy.required_for_voting = required_for_voting
    policy.required_for_rides = required_for_rides
    policy.save()
    after = {field: getattr(policy, field) for field in fields}
    changed = [field for field in fields if before[field] != after[field]]
    if changed:
        audit_record(acting_user, "residency.policy", policy, before={f: before[f] for f in changed},
                     after={f: after[f] for f in changed})
    _forget_after(residency_policy_forget)
    return policy


def _verification_for(user: Any) -> ResidencyVerification:
    verification = ResidencyVerification.objects.select_for_update().filter(user=user).first()
    return verification or ResidencyVerification(user=user)


def _confirm(verification: ResidencyVerification, method: str, *, by: Any = None) -> ResidencyVerification:
    verification.status = ResidencyStatus.VERIFIED
    verification.method = method
    verification.reason = ""
    verification.decided_at = timezone.now()
    verification.decided_by = by
    verification.save()
    _forget_after(confirmed_residents_forget)
    return verification


def _require_method(method: str) -> None:
    if residency_policy_get().method != method:
        raise ValidationError(_("Your town confirms residency in a different way. Please reload the page."))


def _require_signed_in(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Please sign in first."))


@transaction.atomic
def residency_request(*, user: Any, address: str, postal_code: str) -> ResidencyVerification:
    """Ask the town hall to confirm the address (method "approval")."""
    _require_signed_in(user)
    _require_method(ResidencyMethod.APPROVAL)
    address, postal_code = address.strip(), postal_code.strip()
    errors = {}
    if len(address) < 4:
        errors["address"] = _("Please enter your street and house number.")
    if not re.fullmatch(r"\d{5}", postal_code):
        errors["postal_code"] = _("A postal code has five digits.")
    if errors:
        raise ValidationError(errors)
    verification = _verification_for(user)
    if verification.status == ResidencyStatus.VERIFIED and verification.pk:
        return verification
    verification.status = ResidencyStatus.PENDING
    verification.method = ResidencyMethod.APPROVAL
    verification.address, verification.postal_code = address, postal_code
    verification.reason = ""
    verification.requested_at = timezone.now()
    verification.decided_at = None
    verification.save()
    return verification


def _required_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please tell the person why, so they can do something about it.")})
    return reason[:300]


def _reject(verification: ResidencyVerification, *, by: Any, reason: str, action: str) -> None:
    """Not confirmed (a request refused, or a confirmation taken back): the reason is what the person reads."""
    verification.status = ResidencyStatus.REJECTED
    verification.reason = reason
    verification.decided_at = timezone.now()
    verification.decided_by = by
    verification.save()
    audit_record(by, action, verification.user, after={"reason": reason})
    _forget_after(confirmed_residents_forget)


@transaction.atomic
def residency_decide(*, acting_user: Any, verification_id: int, approve: bool,
                     reason: str = "") -> ResidencyVerification:
    """The town hall confirms a request, or says why not; the person is told by e-mail."""
    _require_admin(acting_user)
    verification = ResidencyVerification.objects.select_for_update().get(pk=verification_id)
    if approve:
        _confirm(verification, ResidencyMethod.APPROVAL, by=acting_user)
        audit_record(acting_user, "residency.confirm", verification.user)
    else:
        _reject(verification, by=acting_user, reason=_required_reason(reason), action="residency.reject")
    outbox_enqueue("town.residency_decided_mail", args=[verification.pk])
    return verification


@transaction.atomic
def residency_by_postcode(*, user: Any, postal_code: str) -> ResidencyVerification:
    """Confirm by a postal code of one of the town's Ortsgemeinden (method "postcode")."""
    _require_signed_in(user)
    _require_method(ResidencyMethod.POSTCODE)
    postal_code = postal_code.strip()
    if not re.fullmatch(r"\d{5}", postal_code):
        raise ValidationError({"postal_code": _("A postal code has five digits.")})
    villages = [o for o in Ortsgemeinde.objects.all() if postal_code in o.postal_code_list()]
    if not villages:
        raise ValidationError({"postal_code": _(
            "This postal code does not belong to our town. If you live here all the same, please ask the "
            "town hall.")})
    verification = _verification_for(user)
    verification.postal_code = postal_code
    _confirm(verification, ResidencyMethod.POSTCODE)
    if len(villages) == 1:  # one village has this code: that's where they live, if they hadn't said
        _home_set(user, villages[0].pk, only_if_unset=True)
    return verification


def _home_set(user: Any, ortsgemeinde_id: int, *, only_if_unset: bool) -> None:
    profile, _created = ResidentProfile.objects.get_or_create(user=user)
    if profile.ortsgemeinde_id is None or not only_if_unset:
        profile.ortsgemeinde_id = ortsgemeinde_id
        profile.save(update_fields=["ortsgemeinde"])


def letter_code_normalise(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


@transaction.atomic
def residency_by_letter_code(*, user: Any, code: str) -> ResidencyVerification:
    """Confirm with the one-time code from a letter of the town hall (method "letter")."""
    _require_signed_in(user)
    _require_method(ResidencyMethod.LETTER)
    if not ratelimit.hit("residency-code", str(user.pk), limit=CODE_TRIES_PER_HOUR, period=3600):
        raise ValidationError({"code": _("Too many tries. Please wait an hour, or ask the town hall.")})
    normalised = letter_code_normalise(code)
    now = timezone.now()
    # One conditional UPDATE: two people typing the same code at once, only one gets it.
    used = (ResidencyLetterCode.objects.filter(code=normalised, used_at__isnull=True)
            .update(used_by=user, used_at=now))
    if not used:
        if is_confirmed_resident(user):
            return ResidencyVerification.objects.get(user=user)
        raise ValidationError({"code": _("We don't know this code, or it has been used already. Please check it "
                                         "letter by letter.")})
    letter = ResidencyLetterCode.objects.get(code=normalised)
    verification = _confirm(_verification_for(user), ResidencyMethod.LETTER)
    if letter.ortsgemeinde_id:  # the town hall sent this letter to a household of that village
        _home_set(user, letter.ortsgemeinde_id, only_if_unset=False)
    return verification


@transaction.atomic
def residency_set_by_town_hall(*, acting_user: Any, user: Any, confirmed: bool, reason: str = "") -> None:
    """The town hall confirms someone it knows lives here, or takes a confirmation back (they moved away,
    or a letter reached the wrong person). Taking back needs a reason; the person is told by e-mail."""
    _require_admin(acting_user)
    verification = _verification_for(user)
    if confirmed:
        if verification.pk and verification.status == ResidencyStatus.VERIFIED:
            return
        _confirm(verification, ResidencyMethod.APPROVAL, by=acting_user)
        audit_record(acting_user, "residency.confirm", user)
    else:
        reason = _required_reason(reason)
        if not verification.pk or verification.status != ResidencyStatus.VERIFIED:
            return
        _reject(verification, by=acting_user, reason=reason, action="residency.withdraw")
    outbox_enqueue("town.residency_decided_mail", args=[verification.pk])


@transaction.atomic
def letter_codes_create(*, acting_user: Any, count: int, ortsgemeinde: Ortsgemeinde | None) -> int:
    """A print run of ``count`` one-time codes (for one village or the whole town); returns its number."""
    _require_admin(acting_user)
    if not 1 <= count <= MAX_LETTERS_PER_RUN:
        raise ValidationError({"count": _("Please print between 1 and %(most)d letters at a time.")
                               % {"most": MAX_LETTERS_PER_RUN}})
    last = ResidencyLetterCode.objects.select_for_update().order_by("-batch").values_list("batch", flat=True).first()
    batch = (last or 0) + 1
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(ResidencyLetterCode._meta.get_field("code").get_default())
    ResidencyLetterCode.objects.bulk_create(
        ResidencyLetterCode(code=code, batch=batch, ortsgemeinde=ortsgemeinde) for code in sorted(codes))
    audit_record(acting_user, "residency.letters", ortsgemeinde, after={"count": count, "print_run": batch})
    return batch


def residency_decided_mail_send(*, verification_id: int) -> bool:
    """Tell the person what the town hall decided. False when the mail relay refused (the task retries)."""
    from core.branding import town_url
    from core.mail import send_town_mail_or_false

    verification = ResidencyVerification.objects.select_related("user").filter(pk=verification_id).first()
    if verification is None or not verification.user.is_active or verification.status == ResidencyStatus.PENDING:
        return True
    user = verification.user
    return send_town_mail_or_false(
        to=user.email,
        subject=(_("Your address is confirmed") if verification.status == ResidencyStatus.VERIFIED
                 else _("We could not confirm your address")),
        template="town/mail/residency_decided",
        context={"name": user.get_short_name(), "confirmed": verification.status == ResidencyStatus.VERIFIED,
                 "reason": verification.reason, "url": town_url(reverse("town:residency"))},
    )


def letter_code_display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def letter_run_pdf(*, batch: int) -> bytes:
    """The letters of one print run as one PDF: a page per household, each with its code and a QR code
    that opens the confirmation page with the code filled in."""
    from pathlib import Path
    from urllib.parse import urlencode

    from django.utils import formats

    from core.branding import town_url
    from core.printing import qr_svg_bytes, render_pdf
    from town.outreach_services import logo_file
    from town.selectors import town_profile_get

    codes = list(ResidencyLetterCode.objects.filter(batch=batch).order_by("code").values_list("code", flat=True))
    if not codes:
        raise ResidencyLetterCode.DoesNotExist
    profile = town_profile_get()
    page_url = town_url(reverse("town:residency"))
    files: dict[str, bytes] = {}
    letters = []
    for number, code in enumerate(codes):
        files[f"qr-{number}.svg"] = qr_svg_bytes(f"{page_url}?{urlencode({'code': code})}")
        letters.append({"display": letter_code_display(code), "qr": f"qr-{number}.svg"})
    data: dict[str, Any] = {
        "document_title": _("Confirm your address"),
        "town": profile.name,
        "colour": profile.primary_colour,
        "headline": profile.name,
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "subject": _("Your code for the digital village of %(town)s") % {"town": profile.name},
        "greeting": _("Dear residents,"),
        "paragraphs": [
            _("in the digital village of %(town)s, some things are only for people who live here: "
              "for example voting in a poll of the town. With the code below you confirm, once, that you "
              "live here.") % {"town": profile.name},
            _("Each code works only once. Please keep it to yourself."),
        ],
        "code_heading": _("Your personal code:"),
        "url": page_url.split("://", 1)[-1],
        "letters": letters,
        "steps": [
            _("Sign in to the digital village (or register, if you haven't yet)."),
            _("Scan the code with your phone's camera, or open the address above and type the code in."),
            _("Done: your name now shows “Address confirmed”."),
        ],
        "closing": _("With kind regards, your town hall"),
        "footer": town_url("/").split("://", 1)[-1].rstrip("/"),
    }
    if (logo := logo_file(profile)) is not None:
        files[logo[0]] = logo[1]
        data["logo"] = logo[0]
    return render_pdf(Path(__file__).resolve().parent / "print" / "residency_letter.typ", data, files=files)
