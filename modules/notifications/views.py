"""Pages of the notifications module: the notification centre, settings, push sign-up, unsubscribe, urgent notices."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.modules import enabled_module_keys, module_settings
from modules.notifications import selectors, services
from modules.notifications.conf import NotificationDefaultsForm, topic_defaults
from modules.notifications.forms import NotificationSettingsForm, UrgentNoticeForm
from modules.notifications.push import vapid_public_key
from modules.notifications.tokens import unsubscribe_token_read
from modules.notifications.topics import ALL_EMAIL, TOPICS
from town.selectors import user_ortsgemeinde_id

PAGE_SIZE = 30


# --- the notification centre --------------------------------------------------------


@require_GET
@role_required("authenticated")
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page,
        "notifications": page.object_list,
        "unread": selectors.unread_count(user=request.user),
    })


@require_GET
@role_required("authenticated")
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go where it points (only within this town's site or its own domain)."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    target = notification.url or reverse("notifications:list")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:list")
    return redirect(target)


@require_POST
@role_required("authenticated")
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if services.notification_mark_read(user=request.user, notification_id=pk) is None:
        raise Http404
    return redirect("notifications:list")


@require_POST
@role_required("authenticated")
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


# --- settings -------------------------------------------------------------------------


def _settings_initial(user) -> dict:
    row = services.settings_for([user.pk])[user.pk]
    prefs = selectors.topic_preferences(user=user)
    initial = {"email_frequency": row.email_frequency, "quiet_hours": row.quiet_hours,
               "quiet_start": row.quiet_start, "quiet_end": row.quiet_end}
    defaults = topic_defaults()  # the town's defaults, for the topics the resident never saved
    for key in TOPICS:
        enabled, email, push = services.topic_choice(prefs.get(key), key, default=defaults[key])
        initial.update({f"topic_{key}": enabled, f"topic_{key}_email": email, f"topic_{key}_push": push})
    return initial


@require_http_methods(["GET", "POST"])
@role_required("authenticated")
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.notification_settings_update(
                    user=request.user, email_frequency=data["email_frequency"], quiet_hours=data["quiet_hours"],
                    quiet_start=data["quiet_start"], quiet_end=data["quiet_end"], topics=form.topic_choices(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:settings")
    else:
        form = NotificationSettingsForm(initial=_settings_initial(request.user))
    return render(request, "notifications/settings.html", {
        "form": form,
        "vapid_public_key": vapid_public_key(),
        "push_devices": selectors.push_subscription_count(user=request.user),
    })


# --- web push subscriptions (called by static/notifications/push.js) --------------------


def _json_body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_POST
@role_required("authenticated")
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Store the browser's PushSubscription JSON ({endpoint, keys: {p256dh, auth}})."""
    data = _json_body(request)
    keys = data.get("keys") if isinstance(data.get("keys"), dict) else {}
    try:
        services.push_subscription_save(
            user=request.user, endpoint=str(data.get("endpoint") or ""), p256dh=str(keys.get("p256dh") or ""),
            auth=str(keys.get("auth") or ""), user_agent=request.headers.get("User-Agent", ""),
        )
    except ValidationError as exc:
        return JsonResponse({"ok": False, "error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"ok": True}, status=201)


@require_POST
@role_required("authenticated")
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    services.push_subscription_delete(user=request.user, endpoint=str(_json_body(request).get("endpoint") or ""))
    return JsonResponse({"ok": True})


# --- one-click unsubscribe from e-mails --------------------------------------------------


# The token is the authorisation; mail programs POST here without a CSRF token (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = unsubscribe_token_read(token)
    if found is None:
        raise Http404  # a link from another town (or a forged one) finds nothing here
    user_id, topic = found
    topic_label = str(TOPICS[topic].label) if topic in TOPICS else ""
    if request.method == "POST":
        if not services.unsubscribe(user_id=user_id, topic=topic):
            raise Http404
        return render(request, "notifications/unsubscribe_done.html", {"topic_label": topic_label,
                                                                       "all_email": topic == ALL_EMAIL})
    # GET only asks: link checkers in mail systems open links without a person clicking.
    return render(request, "notifications/unsubscribe.html", {"topic_label": topic_label,
                                                              "all_email": topic == ALL_EMAIL})


# --- urgent notices ---------------------------------------------------------------------


@require_GET
def urgent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.urgent_notice_get(notice_id=pk)
    if notice is None:
        raise Http404
    return render(request, "notifications/urgent_detail.html", {"notice": notice})


@require_http_methods(["GET", "POST"])
@role_required("town_admin")
def urgent_manage(request: HttpRequest) -> HttpResponse:
    form = UrgentNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.urgent_notice_send(
                acting_user=request.user, title=data["title"], body=data["body"], url=data["url"],
                ortsgemeinden=data["ortsgemeinden"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The urgent notice “%(title)s” is on its way to the residents.")
                             % {"title": notice.title})
            return redirect("notifications:urgent-manage")
    return render(request, "notifications/manage/urgent.html", {
        "form": form, "notices": selectors.urgent_notice_list(),
    })


@require_http_methods(["GET", "POST"])
@role_required("town_admin")
def defaults_manage(request: HttpRequest) -> HttpResponse:
    """The town's default subscriptions: what residents receive until they change their own settings."""
    status = 200
    if request.method == "POST":
        form = NotificationDefaultsForm(request.POST)
        if form.is_valid():
            try:
                services.topic_defaults_save(tenant=request.tenant, data=form.cleaned_data, acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The default notifications are saved."))
                return redirect("notifications:defaults-manage")
        status = 400
    else:
        form = NotificationDefaultsForm(initial=module_settings("notifications"))
    return render(request, "notifications/manage/defaults.html", {"form": form}, status=status)


def _for_place(notice, place_id: int) -> bool:
    places = notice.ortsgemeinden.all()  # prefetched
    return not places or any(place.pk == place_id for place in places)


def home_widget(request: HttpRequest) -> str:
    """Urgent notices of the last two days on the start page: whole-town ones and the resident's village's."""
    notices = selectors.urgent_notices_recent()
    home_id = user_ortsgemeinde_id(request.user)
    if home_id is not None:
        notices = [n for n in notices if _for_place(n, home_id)]
    if not notices:
        return ""
    return render_to_string("notifications/widget.html", {"notices": notices}, request=request)


NEW_RESIDENT_DAYS = 14


def welcome_prompt(request: HttpRequest) -> str:
    """For a new resident (first two weeks): what they will be told about, and where to change it.

    A HomePrompt, so it shows on the start page and on the welcome page after registering. Only
    topics of switched-on modules are named; two queries (the person's choices, the town's defaults).
    """
    user = request.user
    if not user.is_authenticated or user.date_joined < timezone.now() - timedelta(days=NEW_RESIDENT_DAYS):
        return ""
    enabled = enabled_module_keys()
    prefs = selectors.topic_preferences(user=user)
    defaults = topic_defaults()
    topics = sorted((topic for topic in TOPICS.values()
                     if topic.key.split(".")[0] in enabled | {"urgent"}
                     and services.topic_choice(prefs.get(topic.key), topic.key, default=defaults.get(topic.key))[0]),
                    key=lambda topic: topic.order)
    return render_to_string("notifications/_welcome_prompt.html", {"topics": topics}, request=request)


def header_link(request: HttpRequest) -> str:
    """The bell in the site header with the unread count (one query per page; a HeaderItem)."""
    user = request.user
    if not user.is_authenticated:
        return ""
    return render_to_string("notifications/_header_link.html", {
        "unread": selectors.unread_count(user=user),
        "active": request.path.startswith("/notifications/"),
    })
