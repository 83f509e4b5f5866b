"""Pages of the alerts module: the banner, the overview, warning and notice pages, the back office."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import role_required
from core.forms import apply_service_errors
from core.maps import MapPoint, map_context
from core.modules import module_settings
from modules.alerts import selectors, services
from modules.alerts.forms import NoticeForm
from modules.alerts.models import Notice
from town.selectors import ortsgemeinde_list, town_profile_get, user_ortsgemeinde_id

MODULE_KEY = "alerts"


def page_banner(request: HttpRequest) -> str:
    """Current official warnings at the top of every page (core.modules.PageBanner); no query while cached."""
    banner = selectors.banner_get()
    if not banner.warnings:
        return ""
    return _banner_html(banner, get_language() or "", timezone.get_current_timezone_name())


@functools.lru_cache(maxsize=256)
def _banner_html(banner: selectors.Banner, language: str, zone: str) -> str:
    """The banner's HTML, rendered once per process for the same warnings, language and time zone.

    It was half a millisecond on every page while a warning is out. The HTML holds nothing but the banner
    (links by warning number, no town's address), so equal banners render equally in any town.
    Without the request: the banner needs no context processor, and running them all again cost ~1 ms.
    """
    return render_to_string("alerts/_banner.html", {"banner": banner})


def _feed_links() -> list[dict[str, str]]:
    town_name = town_profile_get().name
    return [
        {"type": "application/rss+xml", "title": _("%(town)s: official notices (RSS)") % {"town": town_name},
         "href": reverse("alerts:feed-rss")},
        {"type": "application/atom+xml", "title": _("%(town)s: official notices (Atom)") % {"town": town_name},
         "href": reverse("alerts:feed-atom")},
    ]


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    ortsgemeinden = ortsgemeinde_list()
    chosen = request.GET.get("ortsgemeinde")
    if chosen is None:
        # No choice made: a resident sees their own village's notices and the town-wide ones.
        home_id = user_ortsgemeinde_id(request.user) if ortsgemeinden else None
        place = next((o for o in ortsgemeinden if o.pk == home_id), None)
    else:
        place = next((o for o in ortsgemeinden if o.slug == chosen), None)  # "" or unknown: all villages
    notices = list(selectors.notice_list_current(ortsgemeinde_id=place.pk if place else None))
    points = [MapPoint(lat=float(n.latitude), lon=float(n.longitude), title=n.title, url=n.get_absolute_url(),
                       text=n.place, category=str(n.get_kind_display()))
              for n in notices if n.latitude is not None and n.longitude is not None]
    return render(request, "alerts/overview.html", {
        "warnings": selectors.warning_list_current(),
        "state": selectors.poll_state_get(),
        "has_region": bool(module_settings(MODULE_KEY).get("ars")),
        "notices": notices,
        "ortsgemeinden": ortsgemeinden,
        "place": place,
        "feeds": _feed_links(),
        "map": map_context("alerts-map", [(_("Official notices"), "#b91c1c", points)],
                           label=_("Map of the official notices")) if points else None,
    })


@require_GET
def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    warning = selectors.warning_get(warning_id=warning_id)
    if warning is None:
        raise Http404
    return render(request, "alerts/warning_detail.html", {
        "warning": warning, "state": selectors.poll_state_get(),
    })


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(pk=pk)
    can_manage = services.user_can_manage_notices(request.user)
    # Expired notices leave the site; the town hall still finds them in its back office.
    if notice is None or not (notice.is_current or can_manage):
        raise Http404
    point = ([MapPoint(lat=float(notice.latitude), lon=float(notice.longitude), title=notice.title,
                       text=notice.place)] if notice.latitude is not None and notice.longitude is not None else [])
    return render(request, "alerts/notice_detail.html", {
        "notice": notice, "can_manage": can_manage,
        "legal_publication": module_settings(MODULE_KEY).get("legal_publication") or "",
        "map": map_context("notice-map", [(notice.title, "#b91c1c", point)], label=_("Where the notice applies"))
        if point else None,
    })


# --- back office --------------------------------------------------------------------


def _notice_manager(request: HttpRequest) -> None:
    if not services.user_can_manage_notices(request.user):
        raise PermissionDenied


@role_required("editor")
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    _notice_manager(request)
    return render(request, "alerts/manage/notice_list.html", {
        "notices": list(selectors.notice_list_manageable(request.user)[:200]),
        "state": selectors.poll_state_get(),
        "ars": module_settings(MODULE_KEY).get("ars") or "",
    })


def _data(form: NoticeForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


def _initial(notice: Notice) -> dict[str, Any]:
    return {name: getattr(notice, name) for name in (
        "title", "kind", "body", "valid_from", "valid_until", "ortsgemeinde", "place", "latitude", "longitude",
        "is_urgent")}


@role_required("editor")
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest) -> HttpResponse:
    _notice_manager(request)
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(acting_user=request.user, data=_data(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            text = _("The notice “%(title)s” is published.") % {"title": notice.title}
            if notice.is_urgent:
                text += " " + _("All residents are being notified.")
            messages.success(request, text)
            return redirect("alerts:manage")
    return render(request, "alerts/manage/notice_form.html", {"form": form, "notice": None})


def _managed(request: HttpRequest, pk: int) -> Notice:
    _notice_manager(request)
    notice = selectors.notice_get(pk=pk)
    if notice is None:
        raise Http404
    if not services.user_can_manage_notice_for(request.user, notice.ortsgemeinde):
        raise PermissionDenied
    return notice


@role_required("editor")
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _managed(request, pk)
    form = NoticeForm(request.POST or None, initial=_initial(notice), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(notice=notice, acting_user=request.user, data=_data(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The notice is saved."))
            return redirect("alerts:manage")
    return render(request, "alerts/manage/notice_form.html", {"form": form, "notice": notice})


@role_required("editor")
@require_http_methods(["GET", "POST"])
def notice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _managed(request, pk)
    if request.method == "POST":
        title = notice.title
        services.notice_delete(notice=notice, acting_user=request.user)
        messages.success(request, _("“%(title)s” is deleted.") % {"title": title})
        return redirect("alerts:manage")
    return render(request, "alerts/manage/notice_delete.html", {"notice": notice})
