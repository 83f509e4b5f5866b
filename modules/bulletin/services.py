"""Every write of the Mitteilungsblatt: drafts, the editor's changes, publishing, subscriptions, mails."""

from __future__ import annotations

import datetime
import smtplib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import user_passes
from core.modules import module_settings
from core.outbox import outbox_enqueue
from modules.bulletin.conf import MONTHLY
from modules.bulletin.gather import as_datetime, gather, shorten
from modules.bulletin.models import MANUAL_SOURCE, Delivery, Issue, IssueItem, IssueStatus, Subscription

EDITOR = "editor"


def _require_editor(user: Any) -> None:
    if not user_passes(user, EDITOR):
        raise PermissionDenied


def _period_after(last: Issue | None, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the next issue: from the day after the last one's, or the last week (month), until today."""
    days = 30 if module_settings("bulletin").get("frequency") == MONTHLY else 7
    if last is not None:
        start = last.period_end + datetime.timedelta(days=1)
    else:
        start = today - datetime.timedelta(days=days - 1)
    return min(start, today), today


def _item_from(gathered: Any, position: int) -> IssueItem:
    candidate = gathered.candidate
    date, all_day = as_datetime(candidate.date)
    return IssueItem(source_key=gathered.source_key, source_label=(candidate.kind_label or gathered.source_label)[:120],
                     uid=str(candidate.uid)[:120], title=candidate.title[:200], text=shorten(candidate.text),
                     url=candidate.path[:500], date=date, all_day=all_day,
                     ortsgemeinde_id=candidate.ortsgemeinde_id, position=position)


def _gather_for(issue: Issue) -> list[Any]:
    days_ahead = int(module_settings("bulletin").get("days_ahead") or 0)
    return gather(period_start=issue.period_start, period_end=issue.period_end, days_ahead=days_ahead)


@transaction.atomic
def issue_create_draft(*, acting_user: Any, period_start: datetime.date | None = None,
                       period_end: datetime.date | None = None) -> Issue:
    """A new numbered draft with a copy of everything published in its period (and the dates after it)."""
    _require_editor(acting_user)
    today = timezone.localdate()
    last = Issue.objects.order_by("-period_end", "-pk").first()
    default_start, default_end = _period_after(last, today)
    start, end = period_start or default_start, period_end or default_end
    if start > end:
        raise ValidationError({"period_start": _("The first day must not be after the last day.")})
    if (end - start).days > 92:
        raise ValidationError({"period_start": _("An issue can cover at most three months.")})
    # Numbers count per year; the lock makes two editors pressing at once get 12 and 13, not 12 twice.
    Issue.objects.select_for_update().filter(year=end.year).exists()
    number = (Issue.objects.filter(year=end.year).aggregate(top=Max("number"))["top"] or 0) + 1
    try:
        with transaction.atomic():
            issue = Issue.objects.create(year=end.year, number=number, period_start=start, period_end=end,
                                         created_by=acting_user if getattr(acting_user, "pk", None) else None)
    except IntegrityError:  # the year's first issue, made by two editors at the same moment
        raise ValidationError(_("Someone else made a draft at the same moment. Please look at the list of "
                                "issues and try again.")) from None
    items = [_item_from(found, position) for position, found in enumerate(_gather_for(issue), start=1)]
    for item in items:
        item.issue = issue
    IssueItem.objects.bulk_create(items)
    return issue


@transaction.atomic
def issue_refresh(*, issue: Issue, acting_user: Any) -> tuple[list[IssueItem], int]:
    """Check the draft against its sources: flag what they no longer have, add what is new.

    Returns (the items whose source removed them, how many new items were added).
    """
    _require_editor(acting_user)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.is_published:
        raise ValidationError(_("This issue is published already and can no longer be changed."))
    current = {found.key: found for found in _gather_for(issue)}
    items = list(issue.items.all())
    removed = []
    for item in items:
        if item.is_manual:
            continue
        gone = (item.source_key, item.uid) not in current
        if gone != item.source_removed:
            item.source_removed = gone
            item.save(update_fields=["source_removed"])
        if gone:
            removed.append(item)
    known = {(item.source_key, item.uid) for item in items}
    position = max((item.position for item in items), default=0)
    new = []
    for key, found in current.items():
        if key not in known:
            position += 1
            new.append(_item_from(found, position))
            new[-1].issue = issue
    IssueItem.objects.bulk_create(new)
    return removed, len(new)


def _editable(issue: Issue) -> Issue:
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.is_published:
        raise ValidationError(_("This issue is published already and can no longer be changed."))
    return locked


@dataclass(frozen=True)
class ItemChange:
    item_id: int
    position: int
    title: str
    text: str
    excluded: bool


@transaction.atomic
def issue_items_update(*, issue: Issue, changes: list[ItemChange], acting_user: Any) -> None:
    """The editor's order, shortened titles and texts, and what to leave out, all at once."""
    _require_editor(acting_user)
    issue = _editable(issue)
    items = {item.pk: item for item in issue.items.all()}
    for change in changes:
        item = items.get(change.item_id)
        if item is None:
            continue  # not this issue's item: ignored, like a field that isn't on the form
        if not change.title.strip():
            raise ValidationError(_("Every item needs a title."))
        item.position, item.title, item.text, item.excluded = (
            change.position, change.title.strip()[:200], change.text.strip()[:2000], change.excluded)
        item.save(update_fields=["position", "title", "text", "excluded"])


@transaction.atomic
def issue_item_add(*, issue: Issue, title: str, text: str, url: str, ortsgemeinde_id: int | None,
                   acting_user: Any) -> IssueItem:
    """An item the editor writes themselves (a note of the town hall, an obituary, a printed ad)."""
    _require_editor(acting_user)
    issue = _editable(issue)
    if not title.strip():
        raise ValidationError({"title": _("Please enter a title.")})
    position = (issue.items.aggregate(top=Max("position"))["top"] or 0) + 1
    count = issue.items.filter(source_key=MANUAL_SOURCE).count()
    return IssueItem.objects.create(issue=issue, source_key=MANUAL_SOURCE, source_label=_("Added by the editor"),
                                    uid=f"m{count + 1}-{timezone.now().timestamp():.0f}", title=title.strip()[:200],
                                    text=text.strip()[:2000], url=url.strip()[:500], ortsgemeinde_id=ortsgemeinde_id,
                                    position=position)


@transaction.atomic
def issue_delete_draft(*, issue: Issue, acting_user: Any) -> None:
    _require_editor(acting_user)
    issue = _editable(issue)
    issue.delete()


@dataclass(frozen=True)
class Published:
    issue: Issue
    left_out: list[IssueItem]  # items their source removed after the draft was made
    mailed: int


@transaction.atomic
def issue_publish(*, issue: Issue, acting_user: Any) -> Published:
    """Print the issue and put it online, and mail it to every subscriber once; all or nothing.

    Refused, with nothing changed, when nothing is left to print or the PDF is longer than the
    town's page limit.
    """
    from modules.bulletin.printing import issue_pdf

    _require_editor(acting_user)
    removed, _added = issue_refresh(issue=issue, acting_user=acting_user)
    issue = _editable(issue)
    items = [item for item in issue.items.all() if not item.excluded and not item.source_removed]
    if not items:
        raise ValidationError(_("This issue has nothing in it. Add items or include some that were left out "
                                "before publishing it."))
    pdf, pages = issue_pdf(issue=issue, items=items)
    limit = int(module_settings("bulletin").get("page_limit") or 0)
    if limit and pages > limit:
        raise ValidationError(ngettext(
            "This issue would have %(pages)d pages, but your limit is %(limit)d page. Shorten texts or leave "
            "out items; nothing was published.",
            "This issue would have %(pages)d pages, but your limit is %(limit)d pages. Shorten texts or leave "
            "out items; nothing was published.", limit) % {"pages": pages, "limit": limit})
    issue.pdf.save(f"mitteilungsblatt-{issue.year}-{issue.number}.pdf", ContentFile(pdf), save=False)
    issue.page_count = pages
    issue.status = IssueStatus.PUBLISHED
    issue.published_at = timezone.now()
    issue.search_text = "\n".join(f"{item.title}\n{item.text}" for item in items)
    issue.save()
    mailed = 0
    for user_id in Subscription.objects.filter(user__is_active=True).values_list("user_id", flat=True):
        delivery, created = Delivery.objects.get_or_create(issue=issue, user_id=user_id)
        if created:
            outbox_enqueue("bulletin.issue_mail", args=[delivery.pk])
            mailed += 1
    return Published(issue=issue, left_out=removed, mailed=mailed)


def subscription_set(*, user: Any, subscribed: bool) -> bool:
    """Start or stop the e-mail edition for `user`; True when they are subscribed afterwards."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    if subscribed:
        Subscription.objects.get_or_create(user=user)
    else:
        Subscription.objects.filter(user=user).delete()
    return subscribed


_UNSUBSCRIBE_PURPOSE = "bulletin-unsubscribe"


def unsubscribe_token_make(*, user_id: int) -> str:
    """The e-mail edition's one-click unsubscribe link: signed for this town (its schema in the salt, T4)."""
    from django.core import signing

    from accounts.tokens import tenant_salt

    return signing.dumps({"u": user_id}, salt=tenant_salt(_UNSUBSCRIBE_PURPOSE), compress=True)


def unsubscribe_by_token(token: str, *, confirm: bool) -> bool | None:
    """None for a token of another town (or forged); else whether the person was subscribed. With
    `confirm` the subscription ends (idempotent: a second click finds nothing to end)."""
    from django.core import signing

    from accounts.tokens import tenant_salt

    try:
        data = signing.loads(token, salt=tenant_salt(_UNSUBSCRIBE_PURPOSE))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    subscriptions = Subscription.objects.filter(user_id=data["u"])
    if not confirm:
        return subscriptions.exists()
    deleted, _details = subscriptions.delete()
    return bool(deleted)


def issue_mail_send(*, delivery_id: int) -> bool:
    """Mail one issue to one subscriber, once. False when the mail relay refused (the task retries)."""
    from django.urls import reverse

    from core.branding import town_url
    from core.mail import send_town_mail
    from modules.bulletin.selectors import issue_sections

    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update().select_related("issue", "user")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.sent_at is not None:
            return True
        user, issue = delivery.user, delivery.issue
        # Unsubscribed (or left) since the issue was published, or the address bounced for good: no mail.
        from accounts.bounce_selectors import email_undeliverable

        if not user.is_active or not user.email or not Subscription.objects.filter(user=user).exists() \
                or email_undeliverable(user.email):
            return True
        unsubscribe_url = town_url(reverse("bulletin-mitteilungsblatt:unsubscribe",
                                           kwargs={"token": unsubscribe_token_make(user_id=user.pk)}))
        try:
            send_town_mail(
                to=user.email,
                subject=_("Mitteilungsblatt: %(label)s") % {"label": issue.label},
                template="bulletin/mail/issue",
                context={"issue": issue, "sections": issue_sections(issue, origin=town_url("")),
                         "issue_url": town_url(issue.get_absolute_url()),
                         "archive_url": town_url(reverse("bulletin-mitteilungsblatt:archive")),
                         "unsubscribe_url": unsubscribe_url},
                # RFC 8058: mail programs show their own button and POST to the link, no sign-in needed.
                headers={"List-Unsubscribe": f"<{unsubscribe_url}>",
                         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
        except (smtplib.SMTPException, OSError):
            return False
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True
