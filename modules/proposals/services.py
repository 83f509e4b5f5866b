"""Writes for Vorschläge: proposing, supporting, commenting (moderated like the Pinnwand), the town's answer
and the progress of accepted proposals.

A proposal is public at once (after the moderators' word filter); supports are counted
on the proposal row under a row lock, so the threshold is crossed exactly once however
many neighbours press the button at the same moment (ISOLATION T20).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.images import image_reencode
from core.names import display_name as display_name
from core.storage import delete_files_after_commit
from core.taxonomy.services import terms_seed
from core.taxonomy.spec import Taxonomy, TaxonomyTexts
from modules.proposals.conf import threshold_for
from modules.proposals.models import (
    ALT_MAX_LENGTH,
    ANSWER_STATUSES,
    COMMENT_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Comment,
    ProgressStep,
    Proposal,
    Status,
    Support,
)
from town.residency_services import residency_refusal, residency_require

IMAGE_MAX_SIDE = 1600


def _is_active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _require_active(user: Any) -> None:
    if not _is_active(user):
        raise PermissionDenied(_("Please sign in first."))


def user_can_answer(user: Any) -> bool:
    return _is_active(user) and bool(user.is_town_admin)


def _require_town(user: Any) -> None:
    if not user_can_answer(user):
        raise PermissionDenied(_("Only the town's administrators can answer proposals."))


def _plain(value: str | None) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def _moderation_check(*, user: Any, action: str, text: str, field: str) -> None:
    """The moderators' word filter, then activity (suspension, limits for new accounts), as on the Pinnwand."""
    from modules.moderation.facade import activity_check, text_check

    try:
        text_check(text)
        activity_check(user=user, action=action)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


# --- proposing ------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *, acting_user: Any, title: str, text: str, ortsgemeinde: Any | None, category: Category | None,
    image: Any = None, image_alt: str = "",
) -> Proposal:
    """A resident's proposal, public at once; its threshold is fixed now from the town's settings."""
    _require_active(acting_user)
    residency_require(acting_user, "posting")
    title, text, image_alt = _plain(title), _plain(text), _plain(image_alt)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Please give your proposal a title.")]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("The title is too long (at most %(max)d characters).") % {"max": TITLE_MAX_LENGTH}]
    if not text:
        errors["text"] = [_("Please describe your proposal.")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [_("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX_LENGTH}]
    clean_image = None
    if image:
        if not image_alt:
            errors["image_alt"] = [_("Please describe what the photo shows, for people who can't see it.")]
        elif len(image_alt) > ALT_MAX_LENGTH:
            errors["image_alt"] = [_("The description is too long (at most %(max)d characters).")
                                   % {"max": ALT_MAX_LENGTH}]
        try:
            clean_image = image_reencode(image, max_side=IMAGE_MAX_SIDE)
        except ValidationError as error:
            errors["image"] = error.messages
    if errors:
        raise ValidationError(errors)
    _moderation_check(user=acting_user, action="post", text=f"{title}\n{text}", field="text")
    proposal = Proposal(
        author=acting_user, title=title, text=text, ortsgemeinde=ortsgemeinde, category=category,
        image_alt=image_alt if clean_image else "",
        threshold=threshold_for(ortsgemeinde.name if ortsgemeinde else None),
    )
    if clean_image is not None:
        proposal.image.save(clean_image.name or "vorschlag.jpg", clean_image, save=False)
    proposal.save()
    return proposal


# --- supporting ---------------------------------------------------------------------------


def support_refusal(proposal: Proposal, user: Any) -> str:
    if not _is_active(user):
        return _("Please sign in to support proposals.")
    if proposal.author_id == user.pk:
        return _("You can't support your own proposal; ask your neighbours to.")
    if refusal := residency_refusal(user, "voting"):
        return refusal
    if proposal.is_hidden or proposal.status != Status.COLLECTING and proposal.status != Status.AWAITING:
        return _("This proposal no longer collects support.")
    return ""


@transaction.atomic
def support_add(*, proposal: Proposal, acting_user: Any) -> Proposal:
    """One support per resident. The proposal row is locked, so the count and the threshold crossing are exact."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    refusal = support_refusal(proposal, acting_user)
    if refusal:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=acting_user)
    except IntegrityError:
        raise ValidationError(_("You already support this proposal.")) from None
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal.refresh_from_db(fields=["support_count"])
    if proposal.status == Status.COLLECTING and proposal.support_count >= proposal.threshold:
        proposal.status = Status.AWAITING
        proposal.threshold_reached_at = timezone.now()
        proposal.save(update_fields=["status", "threshold_reached_at"])
        _tell_the_town(proposal)
    return proposal


def _tell_the_town(proposal: Proposal) -> None:
    from accounts.models import Role, User
    from modules.notifications.facade import notify

    notify(
        user_ids=User.objects.filter(role=Role.ADMIN, is_active=True).values_list("pk", flat=True),
        event="proposals.threshold",
        title=_("A proposal needs your answer: %(title)s") % {"title": proposal.title},
        body=_("%(count)d residents support it. Please answer in public.") % {"count": proposal.support_count},
        url=proposal.get_absolute_url(), dedupe_key=f"proposals.threshold:{proposal.pk}",
    )


# --- the town's answer and the progress ---------------------------------------------------


@transaction.atomic
def proposal_answer(*, proposal: Proposal, acting_user: Any, status: str, answer: str) -> Proposal:
    """The town's public answer. A rejection needs its reasons. Supporters and the author are told."""
    _require_town(acting_user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    answer = _plain(answer)
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose an answer.")})
    if status == Status.REJECTED and not answer:
        raise ValidationError({"answer": _("A rejection needs its reasons: please explain why.")})
    if not answer:
        raise ValidationError({"answer": _("Please write the answer residents will read.")})
    if len(answer) > TEXT_MAX_LENGTH:
        raise ValidationError({"answer": _("The text is too long (at most %(max)d characters).")
                               % {"max": TEXT_MAX_LENGTH}})
    proposal.status, proposal.answer = status, answer
    proposal.answered_at, proposal.answered_by = timezone.now(), acting_user
    proposal.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    _tell_supporters(proposal)
    return proposal


def _tell_supporters(proposal: Proposal) -> None:
    from modules.notifications.facade import notify

    ids = list(proposal.supports.values_list("user_id", flat=True))
    if proposal.author_id:
        ids.append(proposal.author_id)
    notify(
        user_ids=ids, event="proposals.answer",
        title=_("The town has answered: %(title)s") % {"title": proposal.title},
        body=f"{proposal.get_status_display()}: {proposal.answer[:200]}",
        url=proposal.get_absolute_url(), dedupe_key=f"proposals.answer:{proposal.pk}:{proposal.status}",
        topic="proposals.answers",
    )


@transaction.atomic
def progress_step_add(*, proposal: Proposal, acting_user: Any, title: str, day: date | None,
                      is_done: bool = False) -> ProgressStep:
    """A step towards an accepted proposal; the proposal is done when the town says so (proposal_mark_done)."""
    _require_town(acting_user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    title = _plain(title)
    if proposal.status not in (Status.ACCEPTED, Status.DONE):
        raise ValidationError(_("Only accepted proposals have progress steps."))
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Please say what is done or planned.")]
    if day is None:
        errors["date"] = [_("Please enter a date.")]
    if errors:
        raise ValidationError(errors)
    return ProgressStep.objects.create(proposal=proposal, title=title[:200], date=day, is_done=is_done)


@transaction.atomic
def proposal_mark_done(*, proposal: Proposal, acting_user: Any) -> Proposal:
    _require_town(acting_user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Status.ACCEPTED:
        raise ValidationError(_("Only accepted proposals can be marked as done."))
    proposal.status = Status.DONE
    proposal.save(update_fields=["status"])
    _tell_supporters(proposal)
    return proposal


# --- comments --------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, proposal: Proposal, acting_user: Any, text: str) -> Comment:
    _require_active(acting_user)
    residency_require(acting_user, "posting")
    if proposal.is_hidden:
        raise ValidationError({"text": _("This proposal can't be commented on.")})
    text = _plain(text)
    if not text:
        raise ValidationError({"text": _("Please write a comment.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError({"text": _("The comment is too long (%(length)d characters; at most %(max)d).")
                               % {"length": len(text), "max": COMMENT_MAX_LENGTH}})
    _moderation_check(user=acting_user, action="comment", text=text, field="text")
    return Comment.objects.create(proposal=proposal, author=acting_user, text=text)


# --- what the moderation module calls ------------------------------------------------------


def proposal_set_hidden(pk: int, hidden: bool) -> None:
    Proposal.objects.filter(pk=pk).update(is_hidden=hidden)


def proposal_delete_moderated(pk: int) -> None:
    with transaction.atomic():
        proposal = Proposal.objects.filter(pk=pk).first()
        if proposal is not None:
            if proposal.image:
                delete_files_after_commit(proposal.image.storage, [proposal.image.name])
            proposal.delete()


def comment_set_hidden(pk: int, hidden: bool) -> None:
    Comment.objects.filter(pk=pk).update(is_hidden=hidden)


def comment_delete_moderated(pk: int) -> None:
    Comment.objects.filter(pk=pk).delete()


# --- categories (core.taxonomy) ----------------------------------------------------------

CATEGORIES = Taxonomy(
    model=Category, app_name="proposals", noun="category", path="manage/categories/", role="town_admin",
    texts=TaxonomyTexts(
        title=gettext_lazy("Proposal categories"),
        deleted=gettext_lazy("The category is deleted; its proposals are kept without a category."),
        usage=ngettext_lazy("%(count)d proposal", "%(count)d proposals", "count"),
    ),
    used_by="proposals", delete_rule="detach",
    defaults=(("verkehr", "Verkehr"), ("spielen", "Spielen und Freizeit"), ("umwelt", "Umwelt und Grün"),
              ("dorfleben", "Dorfleben"), ("sonstiges", "Sonstiges")),
)


def categories_seed() -> None:
    terms_seed(CATEGORIES)
