"""Every write of the Digitallotsen module.

A Lotse acts for a person only with the person's consent, given in person and recorded here with the
text they agreed to; whatever a Lotse does for someone is marked as such (the Pinnwand post says who
typed it in) and counted for the town's cockpit without its content.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import user_passes
from core.audit import audit_record
from modules.lotsen.models import AssistedAction, AssistedRegistration, AssistKind, HelpRequest, Lotse

# The letter's code: 12 letters and digits that can't be mistaken for each other when read aloud or typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_VALID_DAYS = 30
# People without an e-mail address get one that can never receive mail (RFC 2606 reserves .invalid).
NO_MAILBOX_DOMAIN = "kein-postfach.invalid"


def consent_text() -> str:
    """What the person agrees to, read out or shown to them; stored with their registration."""
    return _("I agree that the Digitallotse creates an account for me on the town's platform, and types in "
             "posts or registrations for me when I ask for it. I have been told what the town's privacy policy "
             "says. I can withdraw this at any time at the town hall or with the Digitallotse.")


def is_lotse(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and Lotse.objects.filter(user=user).exists())


def may_handle_help(user: Any) -> bool:
    """Lotsen answer help requests; the town hall's admins too (a town with no Lotsen yet still answers)."""
    return is_lotse(user) or user_passes(user, "town_admin")


def _require_lotse(user: Any) -> None:
    if not is_lotse(user):
        raise PermissionDenied(_("Only the town's Digitallotsen may do this."))


def _require_admin(user: Any) -> None:
    if not user_passes(user, "town_admin"):
        raise PermissionDenied


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_normalise(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


# --- appointing ---------------------------------------------------------------------------------


@transaction.atomic
def lotse_appoint(*, acting_user: Any, email: str, ortsgemeinde: Any = None, where_to_find: str = "",
                  phone: str = "") -> Lotse:
    """The town hall appoints someone with an account in the town as a Digitallotse."""
    _require_admin(acting_user)
    person = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError({"email": _("Nobody in this town has this address. The person must register first.")})
    if Lotse.objects.filter(user=person).exists():
        raise ValidationError({"email": _("%(name)s is a Digitallotse already.") % {"name": person}})
    lotse = Lotse.objects.create(user=person, ortsgemeinde=ortsgemeinde, where_to_find=where_to_find.strip(),
                                 phone=phone.strip(), appointed_by=acting_user)
    audit_record(acting_user, "lotsen.appoint", person)
    return lotse


@transaction.atomic
def lotse_remove(*, acting_user: Any, lotse: Lotse) -> None:
    _require_admin(acting_user)
    audit_record(acting_user, "lotsen.remove", lotse.user)
    lotse.delete()


# --- registering someone in person ----------------------------------------------------------------


def _new_code(registration: AssistedRegistration, *, now: datetime.datetime) -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    registration.code_hash = _hash(code)
    registration.code_expires_at = now + datetime.timedelta(days=CODE_VALID_DAYS)
    registration.code_used_at = None
    registration.letters_printed += 1
    registration.save(update_fields=["code_hash", "code_expires_at", "code_used_at", "letters_printed"])
    return code


@transaction.atomic
def resident_register(*, acting_user: Any, name: str, email: str = "", ortsgemeinde: Any = None,
                      consent: bool, consent_note: str = "", now: datetime.datetime | None = None
                      ) -> tuple[AssistedRegistration, str]:
    """A Lotse registers a resident who agreed in person; returns the registration and the letter's code.

    The account has no password yet: the person signs in once with the letter's code and then chooses one.
    """
    from accounts.services import resident_signup_complete
    from town.selectors import town_profile_get

    _require_lotse(acting_user)
    now = now or timezone.now()
    errors: dict[str, Any] = {}
    if not consent:
        errors["consent"] = _("Without the person's consent you may not register them. Please read them the text "
                              "and tick the box once they agree.")
    if not name.strip():
        errors["name"] = _("Please give the person's name.")
    email = email.strip().lower()
    user_model = get_user_model()
    if email and user_model.objects.filter(email__iexact=email).exists():
        errors["email"] = _("This address has an account already. The person can sign in, or use "
                            "“Forgot password”.")
    if not town_profile_get().signup_open:
        errors["__all__"] = _("The town hasn't opened registration yet (its Impressum and privacy policy are "
                              "missing).")
    if errors:
        raise ValidationError(errors)
    address = email or f"lotse-{secrets.token_hex(8)}@{NO_MAILBOX_DOMAIN}"
    person = user_model.objects.create_user(email=address, name=name.strip(), password=None)
    resident_signup_complete(user=person, ortsgemeinde=ortsgemeinde)
    registration = AssistedRegistration.objects.create(
        resident=person, lotse=acting_user, consent_text=consent_text(), consent_note=consent_note.strip()[:200],
        consent_at=now)
    code = _new_code(registration, now=now)
    AssistedAction.objects.create(lotse=acting_user, resident=person, kind=AssistKind.REGISTERED)
    audit_record(acting_user, "lotsen.register", person)
    return registration, code


@transaction.atomic
def letter_reissue(*, acting_user: Any, registration: AssistedRegistration,
                   now: datetime.datetime | None = None) -> str:
    """A new letter (the lost one's code stops working at once)."""
    _require_lotse(acting_user)
    registration = AssistedRegistration.objects.select_for_update().get(pk=registration.pk)
    code = _new_code(registration, now=now or timezone.now())
    AssistedAction.objects.create(lotse=acting_user, resident=registration.resident, kind=AssistKind.LETTER)
    return code


@transaction.atomic
def sign_in_code_redeem(*, code: str, now: datetime.datetime | None = None) -> Any:
    """The person behind a valid, unused letter code, with the code used up; ValidationError otherwise.

    One conditional UPDATE: two browsers sending the same code at once can't both get in.
    """
    now = now or timezone.now()
    digest = _hash(code_normalise(code))
    used = (AssistedRegistration.objects
            .filter(code_hash=digest, code_used_at__isnull=True, code_expires_at__gt=now, resident__is_active=True)
            .update(code_used_at=now))
    if not used:
        raise ValidationError({"code": _("This code is unknown, used already or too old. Please check it letter "
                                         "by letter, or ask your Digitallotse for a new letter.")})
    return AssistedRegistration.objects.select_related("resident").get(code_hash=digest).resident


# --- acting for someone -----------------------------------------------------------------------------


def _registered_by(acting_user: Any, resident_id: int) -> AssistedRegistration:
    """Lotsen act only for people who gave their consent through a Lotse of this town."""
    _require_lotse(acting_user)
    registration = (AssistedRegistration.objects.select_related("resident")
                    .filter(resident_id=resident_id, resident__is_active=True).first())
    if registration is None:
        raise PermissionDenied(_("You can only act for people who agreed to it when a Digitallotse registered them."))
    return registration


def post_for(*, acting_user: Any, resident_id: int, topic_id: int, text: str) -> str:
    """A Pinnwand post for the person, marked as typed in by this Lotse; returns its address."""
    from modules.board.facade import post_create_for

    with transaction.atomic():
        registration = _registered_by(acting_user, resident_id)
        url = post_create_for(author=registration.resident, helper=acting_user, topic_id=topic_id, text=text)
        if url:
            AssistedAction.objects.create(lotse=acting_user, resident=registration.resident, kind=AssistKind.POST)
    return url


def event_register_for(*, acting_user: Any, resident_id: int, event_id: int, places: int = 1) -> str:
    """Register the person for an event (they get the confirmation themselves); returns the status."""
    from modules.events.facade import event_register_for as register

    with transaction.atomic():
        registration = _registered_by(acting_user, resident_id)
        status = register(event_id=event_id, person=registration.resident, places=places)
        if status:
            AssistedAction.objects.create(lotse=acting_user, resident=registration.resident, kind=AssistKind.EVENT)
    return status


# --- help requests ------------------------------------------------------------------------------------


@transaction.atomic
def help_request_create(*, name: str, contact: str, topic: str, message: str = "", ortsgemeinde: Any = None,
                        user: Any = None) -> HelpRequest:
    """“Ich brauche Hilfe mit …”: stored, and the town's Lotsen are told (their notification centre)."""
    from django.urls import reverse

    from modules.notifications.facade import notify

    errors: dict[str, Any] = {}
    if not name.strip():
        errors["name"] = _("Please tell us your name.")
    if not contact.strip():
        errors["contact"] = _("Please give a phone number or e-mail address, so a Digitallotse can reach you.")
    if errors:
        raise ValidationError(errors)
    request = HelpRequest.objects.create(
        name=name.strip()[:80], contact=contact.strip()[:120], topic=topic, message=message.strip()[:1000],
        ortsgemeinde=ortsgemeinde, user=user if getattr(user, "is_authenticated", False) else None)
    from accounts.models import Role

    helpers = list(Lotse.objects.filter(user__is_active=True).values_list("user_id", flat=True)) or list(
        get_user_model().objects.filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True))
    notify(user_ids=helpers, event="lotsen.help_request",
           title=_("Someone asks for help: %(topic)s") % {"topic": request.get_topic_display()},
           body=_("%(name)s waits for a Digitallotse to get in touch.") % {"name": request.name},
           url=reverse("lotsen:workspace"), dedupe_key=f"lotsen.help:{request.pk}")
    return request


@transaction.atomic
def help_request_take(*, acting_user: Any, help_request: HelpRequest) -> None:
    """A Lotse takes a request (once: a second Lotse sees who has it)."""
    if not may_handle_help(acting_user):
        raise PermissionDenied
    taken = HelpRequest.objects.filter(pk=help_request.pk, taken_by__isnull=True).update(
        taken_by=acting_user, taken_at=timezone.now())
    if not taken:
        raise ValidationError(_("Another Digitallotse has taken this request already."))


@transaction.atomic
def help_request_done(*, acting_user: Any, help_request: HelpRequest) -> None:
    if not may_handle_help(acting_user):
        raise PermissionDenied
    if help_request.taken_by_id not in (None, acting_user.pk):
        raise PermissionDenied(_("Another Digitallotse looks after this request."))
    updated = HelpRequest.objects.filter(pk=help_request.pk, done_at__isnull=True).update(
        taken_by=acting_user, done_at=timezone.now(), taken_at=help_request.taken_at or timezone.now())
    if updated:
        AssistedAction.objects.create(lotse=acting_user, resident=help_request.user, kind=AssistKind.HELPED)
