"""Writes of the Mängelmelder: every report, status, note, follower and API key changes here.

Each service checks who acts (staff are the town's moderators and administrators), validates with a
German message, and leaves notifications and e-mails for after the commit, so nobody hears about a
change that was rolled back.
"""

from __future__ import annotations

import hashlib
import io
import math
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from PIL import Image, UnidentifiedImageError

from core.access import user_passes
from core.images import image_reencode
from core.ratelimit import write_limit_check
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from modules.moderation.facade import text_check
from modules.reports.conf import reports_settings
from modules.reports.models import (
    CLOSED_STATUSES,
    ApiKey,
    Category,
    Follower,
    Note,
    Report,
    ReportPhoto,
    Source,
    Status,
    StatusChange,
)
from town.models import Ortsgemeinde, OrtsgemeindeBoundary
from town.places_selectors import ortsgemeinde_at

MAX_PHOTOS = 3
PHOTO_MAX_SIDE = 2000
REOPEN_DAYS = 14
FORWARD_LINK_DAYS = 60
FORWARD_SALT = "reports.forward"
CONFIRM_SALT = "reports.confirm"
CONFIRM_DAYS = 7

CATEGORIES = Taxonomy(
    model=Category, app_name="reports", noun="category", path="manage/categories/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Report categories"),
        intro=gettext_lazy("What residents can report. Department, target time and forwarding are set per "
                           "category on the category's page."),
        deleted=gettext_lazy("The category is deleted."),
        usage=ngettext_lazy("%(count)d report", "%(count)d reports", "count"),
    ),
    used_by="reports", delete_rule="refuse",
    defaults=(
        ("strassenbeleuchtung", "Straßenbeleuchtung"),
        ("schlagloch", "Schlagloch"),
        ("muell", "Müll"),
        ("gruenpflege", "Grünpflege"),
        ("spielplatz", "Spielplatz"),
        ("sonstiges", "Sonstiges"),
    ),
)


def categories_seed() -> None:
    """The usual categories, the first time a town switches the Mängelmelder on."""
    terms_seed(CATEGORIES)


def user_is_staff(user: Any) -> bool:
    """Who works on reports: the town's moderators and administrators."""
    return bool(user is not None and user.is_authenticated and user_passes(user, "moderator"))


def _require_staff(user: Any) -> None:
    if not user_is_staff(user):
        raise PermissionDenied(_("Only the town's staff can do this."))


# --- places -------------------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_000.0


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance in metres along the earth's surface."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def point_place(*, lat: float, lon: float, ortsgemeinde: Ortsgemeinde | None = None) -> Ortsgemeinde | None:
    """The Ortsgemeinde of a point, or ValidationError when the point lies outside the town.

    With boundaries uploaded the point must lie in one of them; a hand-picked Ortsgemeinde wins
    over the derived one (a pin on a border). Without boundaries any point in range is taken.
    """
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError({"latitude": _("Please put the pin on the map or type the address.")})
    found = ortsgemeinde_at(lat=lat, lon=lon)
    if found is None and ortsgemeinde is None and OrtsgemeindeBoundary.objects.exists():
        raise ValidationError({"latitude": _("This place is outside our town. Please check the pin.")})
    return ortsgemeinde or found


def photo_gps(upload: File[Any]) -> tuple[float, float] | None:
    """The position a phone wrote into a JPEG's EXIF, read before re-encoding strips it (or None)."""
    try:
        upload.seek(0)
        with Image.open(io.BytesIO(upload.read(20 * 1024 * 1024))) as image:
            gps = image.getexif().get_ifd(0x8825)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)

    def degrees(value: Any, ref: Any) -> float:
        d, m, s = (float(part) for part in value)
        result = d + m / 60 + s / 3600
        return -result if ref in ("S", "W") else result

    try:
        return degrees(gps[2], gps.get(1)), degrees(gps[4], gps.get(3))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


# --- reporting ----------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    category: Category,
    description: str,
    latitude: float | None,
    longitude: float | None,
    address: str = "",
    ortsgemeinde: Ortsgemeinde | None = None,
    photos: Sequence[File[Any]] = (),
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    acting_user: Any = None,
    source: str = Source.WEB,
) -> Report:
    """A new report. Without an account it waits for its e-mail confirmation (and staff review if the town wants).

    The position comes from the pin, else from the first photo's EXIF; photos are re-encoded, so the
    stored files carry no metadata.
    """
    signed_in = acting_user is not None and acting_user.is_authenticated
    settings_ = reports_settings()
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Please describe the problem in a few words.")})
    try:
        text_check(description)  # the town's word filter: the description is public
    except ValidationError as problem:
        raise ValidationError({"description": problem.messages}) from None
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(count)d photos, please.") % {"count": MAX_PHOTOS}})
    if latitude is None or longitude is None:
        position = next((gps for gps in (photo_gps(photo) for photo in photos) if gps), None)
        if position is not None:
            latitude, longitude = position
        elif not address.strip():
            raise ValidationError({"latitude": _("Please put the pin on the map or type the address.")})
    if not signed_in and source == Source.WEB:
        if not settings_["allow_anonymous"]:
            raise PermissionDenied(_("Please sign in to report a problem."))
        if not contact_email:
            raise ValidationError({"contact_email": _("Please enter your e-mail address so we can confirm the "
                                                      "report.")})
    place = (point_place(lat=latitude, lon=longitude, ortsgemeinde=ortsgemeinde)
             if latitude is not None and longitude is not None else ortsgemeinde)
    cleaned = [image_reencode(photo, max_side=PHOTO_MAX_SIDE) for photo in photos]  # all checked before writing
    if signed_in:  # anonymous reports are limited per IP address in the view
        write_limit_check("reports.report", acting_user, what=_("reports"))
    anonymous_web = not signed_in and source == Source.WEB
    report = Report.objects.create(
        category=category, description=description[:2000], latitude=latitude, longitude=longitude,
        address=address.strip()[:200], ortsgemeinde=place,
        reporter=acting_user if signed_in else None,
        contact_name=contact_name.strip()[:150], contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip()[:40],
        confirmed=not anonymous_web, approved=signed_in or not settings_["hold_anonymous"], source=source,
    )
    for content in cleaned:
        photo = ReportPhoto(report=report)
        photo.image.save(content.name or "photo.jpg", content, save=True)
    StatusChange.objects.create(report=report, status=Status.RECEIVED, by=report.reporter)
    if signed_in:
        Follower.objects.create(report=report, user=acting_user)
    if anonymous_web:
        _enqueue("confirm", report.pk)
    elif report.category.forwards:
        _forward(report)
    return report


def _signed(salt: str, **values: Any) -> str:
    # The schema is signed in: every town shares SECRET_KEY, and report ids repeat across towns.
    return signing.dumps({"s": connection.schema_name, **values}, salt=salt)


def _unsigned(token: str, salt: str, days: int) -> dict[str, Any] | None:
    try:
        data = signing.loads(token, salt=salt, max_age=timedelta(days=days))
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and data.get("s") == connection.schema_name else None


def report_from_confirm_token(token: str) -> Report | None:
    """The report an e-mail confirmation link names (signed, a week, this town only), or None."""
    data = _unsigned(token, CONFIRM_SALT, CONFIRM_DAYS)
    return Report.objects.filter(pk=data.get("r")).first() if data else None


@transaction.atomic
def report_confirm(*, token: str) -> Report:
    """Confirm an anonymous report from the link in its e-mail."""
    found = report_from_confirm_token(token)
    report = Report.objects.select_for_update().filter(pk=found.pk).first() if found else None
    if report is None:
        raise ValidationError(_("This link is invalid or has expired. Please report the problem again."))
    if report.confirmed:
        raise ValidationError(_("This report is confirmed already."), code="already")
    report.confirmed = True
    report.save(update_fields=["confirmed", "updated_at"])
    if report.category.forwards:
        _forward(report)
    return report


def confirm_token(report: Report) -> str:
    return _signed(CONFIRM_SALT, r=report.pk)


@transaction.atomic
def report_follow(*, report: Report, acting_user: Any) -> bool:
    """"Schon gemeldet? Unterstützen": follow an open report instead of reporting it again. True if new."""
    if not acting_user.is_authenticated:
        raise PermissionDenied
    _obj, created = Follower.objects.get_or_create(report=report, user=acting_user)
    return created


@transaction.atomic
def report_unfollow(*, report: Report, acting_user: Any) -> None:
    Follower.objects.filter(report=report, user=acting_user).delete()


def _status_apply(report: Report, *, status: str, public_answer: str, by: Any = None, by_body: str = "") -> None:
    if status not in Status.values:
        raise ValidationError({"status": _("Please choose a status.")})
    report.status = status
    if public_answer.strip():
        report.public_answer = public_answer.strip()[:4000]
    report.closed_at = timezone.now() if status in CLOSED_STATUSES else None
    report.save(update_fields=["status", "public_answer", "closed_at", "updated_at"])
    StatusChange.objects.create(report=report, status=status, public_answer=public_answer.strip()[:4000],
                                by=by, by_body=by_body)
    _enqueue("status", report.pk)


@transaction.atomic
def report_status_set(*, report: Report, status: str, public_answer: str = "", acting_user: Any) -> Report:
    """Staff set the status, with an answer residents see; reporter and followers are told."""
    _require_staff(acting_user)
    if status == Status.NOT_RESPONSIBLE and not public_answer.strip():
        raise ValidationError({"public_answer": _("Please tell the resident who is responsible instead.")})
    if status == Status.FORWARDED:
        if not report.category.forwards:
            raise ValidationError({"status": _("This category forwards to nobody. Set the forwarding on the "
                                               "category first.")})
        _forward(report)
        return report
    _status_apply(report, status=status, public_answer=public_answer, by=acting_user)
    return report


@transaction.atomic
def reports_bulk_status(*, reports: Sequence[Report], status: str, public_answer: str = "",
                        acting_user: Any) -> int:
    """The same status (and answer) for several reports at once, e.g. all street lights of one round."""
    _require_staff(acting_user)
    for report in reports:
        report_status_set(report=report, status=status, public_answer=public_answer, acting_user=acting_user)
    return len(reports)


@transaction.atomic
def reports_bulk_assign(*, reports: Sequence[Report], assignee: Any, acting_user: Any) -> int:
    """One person (or nobody) for several reports at once, e.g. a round of the Bauhof."""
    _require_staff(acting_user)
    for report in reports:
        report_assign(report=report, assignee=assignee, acting_user=acting_user)
    return len(reports)


@transaction.atomic
def report_reopen(*, report: Report, acting_user: Any) -> Report:
    """The reporter (or staff) reopens a closed report within 14 days: the problem is back."""
    is_reporter = acting_user.is_authenticated and report.reporter_id == acting_user.pk
    staff = user_is_staff(acting_user)
    if not (is_reporter or staff):
        raise PermissionDenied
    if report.status not in CLOSED_STATUSES:
        raise ValidationError(_("This report is still open."))
    if not staff and not reopen_possible(report):
        raise ValidationError(_("Reports can be reopened within %(days)d days. Please report it again.")
                              % {"days": REOPEN_DAYS})
    _status_apply(report, status=Status.RECEIVED, public_answer="", by=acting_user)
    return report


def reopen_possible(report: Report) -> bool:
    return (report.status in CLOSED_STATUSES and report.closed_at is not None
            and timezone.now() - report.closed_at <= timedelta(days=REOPEN_DAYS))


@transaction.atomic
def report_note_add(*, report: Report, text: str, acting_user: Any) -> Note:
    _require_staff(acting_user)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    return Note.objects.create(report=report, author=acting_user, text=text[:2000])


@transaction.atomic
def report_assign(*, report: Report, assignee: Any, acting_user: Any) -> Report:
    _require_staff(acting_user)
    if assignee is not None and not user_is_staff(assignee):
        raise ValidationError({"assigned_to": _("Reports can only be assigned to the town's staff.")})
    report.assigned_to = assignee
    report.save(update_fields=["assigned_to", "updated_at"])
    return report


@transaction.atomic
def report_release(*, report: Report, approve: bool = True, photos: bool = True, acting_user: Any) -> Report:
    """Staff show a held report publicly and/or release its photos."""
    _require_staff(acting_user)
    report.approved = report.approved or approve
    report.photos_released = report.photos_released or photos
    report.save(update_fields=["approved", "photos_released", "updated_at"])
    return report


@transaction.atomic
def report_fix_photo_add(*, report: Report, photo: File[Any], acting_user: Any) -> ReportPhoto:
    """A photo of the finished repair; public with the report."""
    _require_staff(acting_user)
    content = image_reencode(photo, max_side=PHOTO_MAX_SIDE)
    item = ReportPhoto(report=report, is_fix=True)
    item.image.save(content.name or "photo.jpg", content, save=True)
    return item


@transaction.atomic
def report_merge(*, report: Report, into: Report, acting_user: Any) -> Report:
    """`report` is a duplicate of `into`: its followers move over and it is closed pointing there."""
    _require_staff(acting_user)
    if report.pk == into.pk or into.merged_into_id:
        raise ValidationError(_("Please choose another report to merge into."))
    existing = set(Follower.objects.filter(report=into).values_list("user_id", flat=True))
    Follower.objects.bulk_create([Follower(report=into, user_id=user_id) for user_id in
                                  Follower.objects.filter(report=report).values_list("user_id", flat=True)
                                  if user_id not in existing])
    if report.reporter_id and report.reporter_id not in existing:
        Follower.objects.get_or_create(report=into, user_id=report.reporter_id)
    report.merged_into = into
    report.save(update_fields=["merged_into", "updated_at"])
    _status_apply(report, status=Status.DONE, by=acting_user,
                  public_answer=_("Already reported: we work on it under %(reference)s.") % {
                      "reference": into.reference})
    return report


# --- forwarding ---------------------------------------------------------------------------------


def _forward(report: Report) -> None:
    """Send the report on to the category's outside body; it answers through a signed link."""
    category = report.category
    if not category.forwards:
        raise ValidationError(_("This category forwards to nobody."))
    report.forwarded_to = category.forward_body
    report.save(update_fields=["forwarded_to", "updated_at"])
    _status_apply(report, status=Status.FORWARDED, by_body="",
                  public_answer=_("Forwarded to %(body)s, who is responsible.") % {"body": category.forward_body})
    _enqueue("forward", report.pk)


def forward_token(report: Report) -> str:
    return _signed(FORWARD_SALT, r=report.pk, b=report.forwarded_to)


def forward_report_from_token(token: str) -> Report:
    """The report an outside body's link names, or ValidationError (tampered, expired, forwarded elsewhere)."""
    data = _unsigned(token, FORWARD_SALT, FORWARD_LINK_DAYS)
    report = Report.objects.select_related("category").filter(pk=data.get("r")).first() if data else None
    if data is None or report is None or report.forwarded_to != data.get("b"):
        raise ValidationError(_("This link is invalid or has expired."))
    return report


@transaction.atomic
def forward_answer(*, token: str, status: str, public_answer: str) -> Report:
    """The outside body sets the status and answer through its signed link, without an account.

    It may answer as often as it likes while the report is open ("in Bearbeitung", then "erledigt");
    once closed, the link only shows the report.
    """
    report = Report.objects.select_for_update().select_related("category").get(pk=forward_report_from_token(token).pk)
    if not report.is_open:
        # Closed by the body (or the town): the link has done its job; a reopened report is forwarded anew.
        raise ValidationError(_("This report is closed already. Thank you for your answer."), code="closed")
    if status not in (Status.IN_PROGRESS, Status.DONE, Status.NOT_RESPONSIBLE):
        raise ValidationError({"status": _("Please choose a status.")})
    _status_apply(report, status=status, public_answer=public_answer, by_body=report.forwarded_to)
    return report


# --- Open311 API keys ---------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_issue(*, name: str, acting_user: Any) -> tuple[ApiKey, str]:
    """A new key for an app that posts reports; the raw key is returned once and never stored."""
    if not (acting_user.is_authenticated and user_passes(acting_user, "town_admin")):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please say who uses the key.")})
    raw = secrets.token_urlsafe(32)
    return ApiKey.objects.create(name=name[:120], key_hash=_hash(raw), prefix=raw[:8]), raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, acting_user: Any) -> None:
    if not (acting_user.is_authenticated and user_passes(acting_user, "town_admin")):
        raise PermissionDenied
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])


def api_key_valid(raw: str) -> ApiKey | None:
    if not raw:
        return None
    return ApiKey.objects.filter(key_hash=_hash(raw), revoked_at__isnull=True).first()


# --- with the commit (outbox) ---------------------------------------------------------------------------


def _enqueue(event: str, report_id: int) -> None:
    from core.outbox import outbox_enqueue

    # Committed with the caller's change; the worker gets it even after a broker outage.
    outbox_enqueue("reports.report_event", kwargs={"event": event, "report_id": report_id})
