"""The "Wochentext": an organisation's news of the last seven days and its dates of the next seven, as one
plain text its editors copy into the club's WhatsApp, Signal or Telegram group.

Modules contribute through town.capabilities.OrganisationWeekPosts; the platform sends nothing itself.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import role_required
from core.branding import town_url
from core.calendar import TOWN_TZ
from core.capabilities import call, provided
from core.sharing import summary
from town.capabilities import OrganisationWeekPosts, WeekPost
from town.models import Organisation
from town.people_services import user_can_publish_for

WEEK = datetime.timedelta(days=7)
LINE_SUMMARY_CHARS = 140  # a line or two in a group chat; the link carries the rest


def _when(moment: datetime.datetime | datetime.date, *, with_time: bool) -> str:
    if isinstance(moment, datetime.datetime):
        local = timezone.localtime(moment, TOWN_TZ)
        day = formats.date_format(local.date(), "D j.n.")
        return f"{day}, {local:%H:%M}" if with_time else day
    return formats.date_format(moment, "D j.n.")


def _sort_key(post: WeekPost) -> datetime.datetime:
    if isinstance(post.when, datetime.datetime):
        return post.when
    return datetime.datetime.combine(post.when, datetime.time.min, tzinfo=TOWN_TZ)


def week_text(organisation: Organisation, posts: list[WeekPost], *, origin: str, today: datetime.date) -> str:
    """The text to paste: a heading, what was new, what is coming; each with its link."""
    lines = [_("%(name)s – our week (%(start)s to %(end)s)") % {
        "name": organisation.name, "start": formats.date_format(today - WEEK, "j.n."),
        "end": formats.date_format(today + WEEK, "j.n.")}]
    sections = ((_("New"), [p for p in posts if not p.coming], False),
                (_("Dates"), [p for p in posts if p.coming], True))
    for heading, found, with_time in sections:
        if not found:
            continue
        lines += ["", f"{heading}:"]
        for post in sorted(found, key=_sort_key, reverse=not with_time):
            lines.append(f"• {_when(post.when, with_time=with_time)}: {post.title}")
            if text := summary(post.text, LINE_SUMMARY_CHARS):
                lines.append(f"  {text}")
            lines.append(f"  {origin}{post.path}")
    return "\n".join(lines)


@role_required("authenticated")
@require_GET
def organisation_week_text(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can_publish_for(request.user, organisation):
        raise PermissionDenied
    now = timezone.now()
    posts: list[WeekPost] = []
    for source in sorted(provided(OrganisationWeekPosts), key=lambda s: s.order):
        posts += [p for p in call(source.items, organisation.pk, now - WEEK, now) if not p.coming]
        posts += [p for p in call(source.items, organisation.pk, now, now + WEEK) if p.coming]
    text = week_text(organisation, posts, origin=town_url("").rstrip("/"),
                     today=timezone.localtime(now, TOWN_TZ).date())
    return render(request, "town/organisations/week_text.html", {
        "organisation": organisation, "text": text, "empty": not posts,
    })
