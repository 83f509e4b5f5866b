"""Writes of the services module: offices and their hours, services A–Z with forms, the Fundbüro.

Every function checks that ``acting_user`` is a town administrator (the town hall's staff run these
pages), validates with a German message and writes all or nothing. Weekly office hours are the
town's own ``OfficeHour`` rows (see models.py for why); they are written through
``town.calendar_services`` so the contact card's cache is refreshed as for any other change.
"""

from __future__ import annotations

import time as clock
from datetime import date, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core import opening_hours
from core.access import user_passes
from core.branding import town_profile, town_url
from core.images import image_reencode
from core.mail import send_town_mail_or_false
from core.modules import module_settings
from core.names import display_name
from core.outbox import outbox_enqueue
from core.slugs import german_slugify
from core.storage import delete_files_after_commit
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from modules.services import selectors
from modules.services.models import (
    FoundItem,
    FoundItemClaim,
    LifeSituation,
    Office,
    OfficeContact,
    OfficeDay,
    OfficeHourLink,
    Service,
    ServiceForm,
)
from town.calendar_services import office_hour_create, office_hour_delete
from town.models import OfficeHour

FORM_MAX_BYTES = 10 * 1024 * 1024  # a scanned multi-page form stays well below this
FOUND_PHOTO_MAX_SIDE = 1600
CLAIMS_PER_HOUR = 5  # per person and town; a real owner writes once or twice
CLAIM_MAX_LENGTH = 2000
# Paths under /services/ that a service's slug must not shadow.
RESERVED_SLUGS = frozenset({"offices", "fundbuero", "manage", "api", "lebenslagen"})

LIFE_SITUATIONS = Taxonomy(
    model=LifeSituation, app_name="services", noun="life-situation", path="manage/life-situations/",
    role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Life situations"),
        intro=gettext_lazy("Residents find services by what is happening in their life: moving, a birth, building."),
        deleted=gettext_lazy("The life situation is deleted; its services are kept without one."),
        usage=ngettext_lazy("%(count)d service", "%(count)d services", "count"),
    ),
    used_by="services", delete_rule="detach", invalid_status=200,
    defaults=(
        ("ausweise-dokumente", "Ausweise und Dokumente"),
        ("umzug-wohnen", "Umzug und Wohnen"),
        ("familie", "Geburt, Ehe und Familie"),
        ("bauen", "Bauen und Grundstück"),
        ("auto-verkehr", "Auto und Verkehr"),
        ("gewerbe", "Arbeit und Gewerbe"),
    ),
)


def life_situations_seed() -> None:
    """Give a town the usual Lebenslagen the first time the module is switched on."""
    terms_seed(LIFE_SITUATIONS)


def _require_admin(user: Any) -> None:
    if not user_passes(user, "town_admin"):
        raise PermissionDenied(_("Only town administrators can change the town hall's pages."))


def _slug_for(model: Any, title: str, *, fallback: str, exclude_pk: int | None = None) -> str:
    base = german_slugify(title)[:150].strip("-") or fallback
    candidate, number = base, 1
    while candidate in RESERVED_SLUGS or model.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _clean(instance: Any, exclude: list[str]) -> None:
    # Model validation (lengths, URLs, e-mails) in German; the slug is ours, not the person's.
    instance.full_clean(exclude=exclude)


# --- offices -------------------------------------------------------------------------------

OFFICE_FIELDS = ("name", "description", "street", "postal_code", "locality", "room", "ortsgemeinde",
                 "latitude", "longitude", "phone", "email", "booking_url", "position")


def _validate_office(office: Office) -> None:
    errors: dict[str, str] = {}
    if not office.name.strip():
        errors["name"] = _("Please name the office.")
    if (office.latitude is None) != (office.longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def office_create(*, acting_user: Any, data: dict[str, Any]) -> Office:
    _require_admin(acting_user)
    office = Office(**{key: data[key] for key in OFFICE_FIELDS if key in data})
    office.name = office.name.strip()
    _validate_office(office)
    office.slug = _slug_for(Office, office.name, fallback="amt")
    _clean(office, exclude=[])
    office.save()
    return office


@transaction.atomic
def office_update(*, office: Office, acting_user: Any, data: dict[str, Any]) -> Office:
    _require_admin(acting_user)
    for key in OFFICE_FIELDS:
        if key in data:
            setattr(office, key, data[key])
    office.name = office.name.strip()
    _validate_office(office)
    _clean(office, exclude=["slug"])
    office.save()
    # The weekly rows carry the office's name and place, so the contact card and the feeds say the same.
    # Saved one by one (an office has a handful): town's receiver then refreshes the cached contact card.
    for link in office.hour_links.select_related("hour"):
        _hour_sync(office, link.hour)
    return office


def _hour_sync(office: Office, hour: OfficeHour) -> None:
    hour.title, hour.place, hour.ortsgemeinde = office.name[:120], _hour_place(office), office.ortsgemeinde
    hour.save()


@transaction.atomic
def office_delete(*, office: Office, acting_user: Any) -> None:
    _require_admin(acting_user)
    hours = list(OfficeHour.objects.filter(pk__in=office.hour_links.values("hour_id")))
    for hour in hours:
        office_hour_delete(hour=hour)
    office.delete()


def _hour_place(office: Office) -> str:
    return ", ".join(part for part in (office.address, office.room) if part)[:200]


@transaction.atomic
def office_hour_add(*, office: Office, acting_user: Any, weekday: int, starts_at: time, ends_at: time) -> OfficeHour:
    """A weekly opening time of ``office``: one row in the town's office hours, linked here."""
    _require_admin(acting_user)
    new = opening_hours.Interval(weekday, starts_at, ends_at)
    intervals = selectors.office_intervals(office) + [new]
    problems = opening_hours.intervals_problems(intervals)
    if any(problem.startswith("inverted") for problem in problems):
        raise ValidationError({"ends_at": _("The office must close after it opens.")})
    if problems:
        raise ValidationError({"starts_at": _("This time overlaps with another opening time of the same day.")})
    hour = office_hour_create(weekday=weekday, starts_at=starts_at, ends_at=ends_at, title=office.name[:120],
                              place=_hour_place(office), ortsgemeinde=office.ortsgemeinde)
    OfficeHourLink.objects.create(office=office, hour=hour)
    return hour


@transaction.atomic
def office_hour_adopt(*, office: Office, acting_user: Any, hour: OfficeHour) -> OfficeHourLink:
    """Make one of the town's existing office hours (entered before this module) this office's."""
    _require_admin(acting_user)
    if OfficeHourLink.objects.filter(hour=hour).exists():
        raise ValidationError(_("These hours already belong to an office."))
    link = OfficeHourLink.objects.create(office=office, hour=hour)
    _hour_sync(office, hour)  # from now on it says what the office says (name, place, Ortsgemeinde)
    return link


@transaction.atomic
def office_hour_remove(*, link: OfficeHourLink, acting_user: Any) -> None:
    _require_admin(acting_user)
    office_hour_delete(hour=link.hour)  # cascades to the link


@transaction.atomic
def office_day_add(*, office: Office, acting_user: Any, start_date: date, end_date: date | None = None,
                   closed: bool = True, opens: time | None = None, closes: time | None = None,
                   note: str = "") -> OfficeDay:
    """A closed day (holiday, staff outing) or special hours on a date, e.g. a long Thursday before Christmas."""
    _require_admin(acting_user)
    end_date = end_date or start_date
    errors: dict[str, str] = {}
    if end_date < start_date:
        errors["end_date"] = _("The last day must not be before the first.")
    if not closed:
        if opens is None or closes is None:
            errors["opens"] = _("Give the special opening and closing time, or tick “closed”.")
        elif closes <= opens:
            errors["closes"] = _("The office must close after it opens.")
    if errors:
        raise ValidationError(errors)
    day = OfficeDay(office=office, start_date=start_date, end_date=end_date, closed=closed,
                    opens=None if closed else opens, closes=None if closed else closes, note=note.strip())
    _clean(day, exclude=[])
    day.save()
    return day


@transaction.atomic
def office_day_delete(*, day: OfficeDay, acting_user: Any) -> None:
    _require_admin(acting_user)
    day.delete()


@transaction.atomic
def office_contact_add(*, office: Office, acting_user: Any, name: str, responsibility: str = "",
                       phone: str = "", email: str = "") -> OfficeContact:
    """A named person of the office. Only what the town types in is published."""
    _require_admin(acting_user)
    if not name.strip():
        raise ValidationError({"name": _("Please enter the person's name.")})
    contact = OfficeContact(office=office, name=name.strip(), responsibility=responsibility.strip(),
                            phone=phone.strip(), email=email.strip())
    _clean(contact, exclude=[])
    contact.save()
    return contact


@transaction.atomic
def office_contact_delete(*, contact: OfficeContact, acting_user: Any) -> None:
    _require_admin(acting_user)
    contact.delete()


# --- services A–Z --------------------------------------------------------------------------

SERVICE_FIELDS = ("title", "summary", "description", "office", "life_situation", "documents", "fees",
                  "appointment_required", "online_url", "booking_url", "is_published")


def _search_index_update(service: Service) -> None:
    Service.objects.filter(pk=service.pk).update(
        search_vector=SearchVector("title", weight="A", config="german")
        + SearchVector("summary", weight="B", config="german")
        + SearchVector("description", weight="C", config="german")
        + SearchVector("documents", weight="C", config="german")
    )


def _validate_service(service: Service) -> None:
    if not service.title.strip():
        raise ValidationError({"title": _("Please give the service a title.")})


@transaction.atomic
def service_create(*, acting_user: Any, data: dict[str, Any]) -> Service:
    _require_admin(acting_user)
    service = Service(**{key: data[key] for key in SERVICE_FIELDS if key in data})
    service.title = service.title.strip()
    _validate_service(service)
    service.slug = _slug_for(Service, service.title, fallback="leistung")
    _clean(service, exclude=["search_vector"])
    service.save()
    _search_index_update(service)
    return service


@transaction.atomic
def service_update(*, service: Service, acting_user: Any, data: dict[str, Any]) -> Service:
    _require_admin(acting_user)
    for key in SERVICE_FIELDS:
        if key in data:
            setattr(service, key, data[key])
    service.title = service.title.strip()
    _validate_service(service)
    _clean(service, exclude=["slug", "search_vector"])
    service.save()
    _search_index_update(service)
    return service


@transaction.atomic
def service_delete(*, service: Service, acting_user: Any) -> None:
    _require_admin(acting_user)
    names = list(service.forms.values_list("file", flat=True))
    delete_files_after_commit(ServiceForm._meta.get_field("file").storage, names)
    service.delete()


def _pdf_check(upload: UploadedFile) -> bytes:
    """The upload's bytes when it is a PDF within the size limit; a German message otherwise."""
    if upload.size is not None and upload.size > FORM_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is too large: at most %(limit)d MB are allowed.") % {"limit": FORM_MAX_BYTES // 2**20}}
        )
    upload.seek(0)
    raw = upload.read(FORM_MAX_BYTES + 1)
    if len(raw) > FORM_MAX_BYTES:
        raise ValidationError(
            {"file": _("The file is too large: at most %(limit)d MB are allowed.") % {"limit": FORM_MAX_BYTES // 2**20}}
        )
    # A PDF starts with "%PDF-" (within the first KiB, per the spec's leniency) and ends with "%%EOF".
    if b"%PDF-" not in raw[:1024] or b"%%EOF" not in raw[-2048:]:
        raise ValidationError({"file": _("This file is not a PDF. Please upload the form as a PDF file.")})
    return raw


@transaction.atomic
def service_form_add(*, service: Service, acting_user: Any, title: str, upload: UploadedFile) -> ServiceForm:
    """A PDF form for download; its stored name is random, the title is what residents see."""
    from django.core.files.base import ContentFile
    from django.utils.crypto import get_random_string

    _require_admin(acting_user)
    if not title.strip():
        raise ValidationError({"title": _("Please give the form a title.")})
    raw = _pdf_check(upload)
    form = ServiceForm(service=service, title=title.strip()[:150], size=len(raw))
    stem = german_slugify(title)[:60] or "formular"
    form.file.save(f"{stem}-{get_random_string(8).lower()}.pdf", ContentFile(raw), save=False)
    form.save()
    return form


@transaction.atomic
def service_form_delete(*, form: ServiceForm, acting_user: Any) -> None:
    _require_admin(acting_user)
    delete_files_after_commit(ServiceForm._meta.get_field("file").storage, [form.file.name])
    form.delete()


# --- Fundbüro ----------------------------------------------------------------------------------

FOUND_FIELDS = ("title", "category", "description", "place_found", "found_on", "office")


def today_local() -> date:
    return selectors.today_local()


def retention_days() -> int:
    return int(module_settings("services")["found_item_days"])


def _validate_found(item: FoundItem) -> None:
    errors: dict[str, str] = {}
    if not item.title.strip():
        errors["title"] = _("Please say what was found.")
    if not item.place_found.strip():
        errors["place_found"] = _("Please say where it was found.")
    if item.found_on is None:
        errors["found_on"] = _("Please give the date it was found.")
    elif item.found_on > today_local():
        errors["found_on"] = _("The date lies in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def found_item_create(*, acting_user: Any, data: dict[str, Any], photo: UploadedFile | None = None,
                      photo_alt: str = "") -> FoundItem:
    """List a found item; it stays listed for the town's retention period counted from the day it was found."""
    _require_admin(acting_user)
    item = FoundItem(**{key: data[key] for key in FOUND_FIELDS if key in data})
    item.title, item.place_found = item.title.strip(), item.place_found.strip()
    _validate_found(item)
    item.expires_on = item.found_on + timedelta(days=retention_days())
    clean = None
    if photo:
        if not photo_alt.strip():
            raise ValidationError({"photo_alt": _("Describe the photo for people who cannot see it.")})
        clean = image_reencode(photo, max_side=FOUND_PHOTO_MAX_SIDE)
        item.photo_alt = photo_alt.strip()
    _clean(item, exclude=["photo", "expires_on"])
    if clean is not None:  # stored last, after every check passed
        item.photo.save(clean.name or "fund.jpg", clean, save=False)
    item.save()
    return item


@transaction.atomic
def found_item_return(*, item: FoundItem, acting_user: Any) -> FoundItem:
    """The owner has it back: it leaves the public list at once."""
    _require_admin(acting_user)
    item.returned_at = timezone.now()
    item.save(update_fields=["returned_at", "updated_at"])
    return item


@transaction.atomic
def found_item_delete(*, item: FoundItem, acting_user: Any) -> None:
    _require_admin(acting_user)
    if item.photo:
        delete_files_after_commit(FoundItem._meta.get_field("photo").storage, [item.photo.name])
    item.delete()


@transaction.atomic
def found_items_expire(*, today: date | None = None) -> int:
    """Hide every listed item whose period ran out (beat runs it in every town with the module on)."""
    today = today or today_local()
    return FoundItem.objects.filter(hidden_at__isnull=True, expires_on__lt=today).update(
        hidden_at=timezone.now(), updated_at=timezone.now()
    )


def _claim_key(user_id: int) -> str:
    # The cache's key function adds the schema name, so the counter is per town (ISOLATION T6).
    return f"services:claim:{user_id}:{int(clock.time() // 3600)}"


def claim_limit_reached(user: Any) -> bool:
    return (cache.get(_claim_key(user.pk)) or 0) >= CLAIMS_PER_HOUR


def _count_claim(user: Any) -> None:
    key = _claim_key(user.pk)
    cache.add(key, 0, 3600)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 3600)


@transaction.atomic
def found_item_claim(*, item: FoundItem, sender: Any, message: str) -> FoundItemClaim:
    """A signed-in resident tells the office the item is theirs; the office gets it by e-mail."""
    if not getattr(sender, "is_authenticated", False) or not sender.is_active:
        raise PermissionDenied(_("Please sign in to claim an item."))
    if not item.is_listed:
        raise ValidationError(_("This item is no longer in the Fundbüro's list."))
    text = (message or "").strip()
    if not text:
        raise ValidationError({"message": _("Please describe the item so the office can tell it is yours.")})
    if len(text) > CLAIM_MAX_LENGTH:
        raise ValidationError(
            {"message": _("The message is too long (at most %(max)d characters).") % {"max": CLAIM_MAX_LENGTH}}
        )
    if claim_limit_reached(sender):
        raise ValidationError(_("You have sent several messages in the last hour. Please try again later."))
    claim = FoundItemClaim.objects.create(item=item, sender=sender, message=text)
    _count_claim(sender)
    # The mail goes from the worker (core.outbox: committed with the claim, never lost to a broker
    # outage, and no web request waits on the mail relay).
    outbox_enqueue("services.found_item_claim_mail", args=[claim.pk])
    return claim


def found_item_claim_mail_send(*, claim_id: int) -> bool:
    """Mail a claim to the office that keeps the item (or the town's contact). False: the relay refused."""
    claim = FoundItemClaim.objects.select_related("item__office", "sender").filter(pk=claim_id).first()
    if claim is None:
        return True
    item, sender, text = claim.item, claim.sender, claim.message
    recipient = (item.office.email if item.office_id and item.office and item.office.email
                 else town_profile().contact_email)
    if recipient:
        context = {
            "item": item.title, "found_on": item.found_on, "place": item.place_found,
            # The office needs the full name to check a claim against an ID card.
            "sender_name": getattr(sender, "name", "") or display_name(sender),
            "sender_email": sender.email, "message": text,
            "item_url": town_url(item.get_absolute_url()),
            "manage_url": town_url(f"/services/manage/fundbuero/{item.pk}/"),
        }
        subject = _("Fundbüro: someone claims “%(title)s”") % {"title": item.title}
        return send_town_mail_or_false(
            to=recipient, subject=subject, template="services/mail/claim", context=context,
            reply_to=[sender.email] if sender.email else None,
        )
    return True


def claims_of(item: FoundItem) -> list[FoundItemClaim]:
    return list(item.claims.select_related("sender"))
