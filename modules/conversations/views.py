"""Pages of Messages: the conversation list, a conversation, starting one, the poll endpoint, blocking.

Everything answers 404 to anyone who doesn't take part in the conversation (moderators too).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import apply_service_errors
from modules.conversations import selectors, services
from modules.conversations.forms import BlockForm, MessageForm, StartForm
from modules.conversations.models import Conversation, Message

PAGE_SIZE = 50
LIST_PAGE_SIZE = 30
POLL_LIMIT = 100
MESSAGE_KIND = services.MESSAGE_KIND


def _report_url(message_id: int) -> str:
    from modules.moderation.facade import report_url

    return report_url(kind=MESSAGE_KIND, object_id=message_id)


def _title(conversation: Conversation, viewer: Any) -> str:
    names = [services.display_name(p.user) for p in conversation.participants.all() if p.user_id != viewer.pk]
    return ", ".join(names) or _("Only you")


def _message_view(message: Message, viewer: Any) -> dict[str, Any]:
    """What `viewer` may see of one message; a hidden one keeps its text only for its sender."""
    own = message.sender_id == viewer.pk
    hidden_for_viewer = message.is_hidden and not own
    if own:
        sender = _("You")
    else:
        sender = services.display_name(message.sender) if message.sender_id else _("A neighbour")
    return {
        "id": message.pk,
        "sender": sender,
        "own": own,
        "sent_at": message.created_at,
        "text": "" if hidden_for_viewer else message.text,
        "context": "" if hidden_for_viewer else message.context_label,
        "hidden": message.is_hidden,
        "report_url": "" if own or message.is_hidden else _report_url(message.pk),
    }


# --- list ------------------------------------------------------------------------------


@login_required
@require_GET
def conversation_list(request: HttpRequest) -> HttpResponse:
    # The person's conversations are a personal part of the page (conversations/_own_list.html, filled by
    # own_conversations): signed-in residents share the rest of it (core.resident_pages).
    return render(request, "conversations/conversation_list.html")


def own_conversations(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's page of conversations, with each one's title and unread count, and the total."""
    # "Older" and "newer" links need no count of all conversations: one row more says there is a next page.
    page = selectors.conversation_page_for(user=request.user, number=request.GET.get("page"), per_page=LIST_PAGE_SIZE)
    rows = [{"conversation": c, "title": _title(c, request.user), "unread": c.unread} for c in page.object_list]
    # All of the person's conversations are on this page: their unread counts add up to the total.
    whole = page.number == 1 and not page.has_next()
    unread_total = sum(row["unread"] for row in rows) if whole else selectors.unread_total(user=request.user)
    return {"rows": rows, "page": page, "unread_total": unread_total}


def home_widget(request: HttpRequest) -> str:
    """The start page tells a signed-in resident how many messages wait (one query)."""
    if not request.user.is_authenticated:
        return ""
    unread = selectors.unread_total(user=request.user)
    if not unread:
        return ""
    return render_to_string("conversations/widget.html", {"unread": unread}, request=request)


# --- one conversation ---------------------------------------------------------------------


def _own_conversation(request: HttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_get_for(pk=pk, user=request.user)
    if conversation is None:
        raise Http404
    return conversation


def _int_param(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _closed_reason(conversation: Conversation, user: Any, others: list[Any], blocked: set[int]) -> str:
    """Why `user` can't write in this one-to-one conversation ("" when they can), said before they try."""
    if not conversation.is_direct:
        return ""
    other = others[0] if others else None
    if other is None or not other.is_active:
        return _("This conversation has ended.")
    if other.pk in blocked:
        return _("You have blocked %(name)s. Unblock them to write again.") % {"name": services.display_name(other)}
    if services.blocks(blocker_id=other.pk, blocked_id=user.pk):
        return _("%(name)s does not accept messages from you.") % {"name": services.display_name(other)}
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _own_conversation(request, pk)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = services.message_send(
                    conversation=conversation, acting_user=request.user, text=form.cleaned_data["text"]
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                return redirect(f"{conversation.get_absolute_url()}#message-{message.pk}")
        status = 400
    before = _int_param(request.GET.get("before"))
    shown = selectors.message_list_for(conversation=conversation, user=request.user, before=before, limit=PAGE_SIZE)
    has_older = bool(shown) and selectors.message_has_older(
        conversation=conversation, user=request.user, before_id=shown[0].pk
    )
    if shown and before is None:
        services.conversation_mark_read(conversation=conversation, user=request.user, up_to_id=shown[-1].pk)
    others = [p.user for p in conversation.participants.all() if p.user_id != request.user.pk]
    blocked = selectors.blocked_ids(user=request.user)
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            "closed_reason": _closed_reason(conversation, request.user, others, blocked),
            "conversation": conversation,
            "title": _title(conversation, request.user),
            "messages_shown": [_message_view(m, request.user) for m in shown],
            "has_older": has_older,
            "older_url": f"?before={shown[0].pk}" if has_older else "",
            "last_id": shown[-1].pk if shown else 0,
            "form": form,
            "others": [
                {"id": person.pk, "name": services.display_name(person), "blocked": person.pk in blocked}
                for person in others
            ],
            "poll_url": reverse("conversations:conversation-poll", kwargs={"pk": conversation.pk}),
        },
        status=status,
    )


@login_required
@never_cache
@require_GET
def conversation_poll(request: HttpRequest, pk: int) -> JsonResponse:
    """New messages after ?after=<id> as JSON, for the page's script; marks them read (the tab is visible)."""
    conversation = _own_conversation(request, pk)
    after = _int_param(request.GET.get("after")) or 0
    new = selectors.message_list_for(conversation=conversation, user=request.user, after=after, limit=POLL_LIMIT)
    if new:
        services.conversation_mark_read(conversation=conversation, user=request.user, up_to_id=new[-1].pk)
    items = []
    for message in new:
        view = _message_view(message, request.user)
        # The same format as the page's own messages.
        view["sent_at_label"] = date_format(timezone.localtime(message.created_at), "SHORT_DATETIME_FORMAT")
        view["sent_at"] = message.created_at.isoformat()
        items.append(view)
    return JsonResponse({"messages": items, "hidden_label": _("This message was hidden by the moderators."),
                         "report_label": _("Report")})


@login_required
@require_POST
def conversation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _own_conversation(request, pk)
    try:
        services.conversation_leave(conversation=conversation, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(conversation.get_absolute_url())
    messages.success(request, _("You have left the conversation."))
    return redirect("conversations:conversation-list")


# --- starting one --------------------------------------------------------------------------


def _ids_from(values: list[str]) -> list[int]:
    return [number for number in (_int_param(value) for value in values) if number]


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request: HttpRequest) -> HttpResponse:
    to_ids = _ids_from(request.GET.getlist("to"))[: services.MAX_PEOPLE]
    invited = [person for person in selectors.people_by_ids(ids=to_ids) if person.pk != request.user.pk]
    if request.method == "GET" and len(invited) == 1 and len(to_ids) == 1:
        existing = selectors.direct_conversation_with(user=request.user, other_id=invited[0].pk)
        if existing is not None:
            return redirect(existing.get_absolute_url())
    contacts = selectors.contacts_of(user=request.user)
    people = invited + [person for person in contacts if person.pk not in {p.pk for p in invited}]
    form = StartForm(request.POST or None, people=people, initial={"recipients": [p.pk for p in invited]})
    if request.method == "POST" and form.is_valid():
        try:
            message = services.conversation_start(
                acting_user=request.user,
                recipient_ids=form.cleaned_data["recipients"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect(f"{message.conversation.get_absolute_url()}#message-{message.pk}")
    # A link to yourself alone isn't an unknown person: the form simply offers your contacts.
    unknown = bool(to_ids) and not invited and set(to_ids) != {request.user.pk}
    return render(
        request,
        "conversations/conversation_new.html",
        {"form": form, "has_people": bool(people), "unknown": unknown, "max_others": services.MAX_PEOPLE - 1},
        status=400 if form.errors else 200,
    )


# --- blocking -------------------------------------------------------------------------------


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("conversations:blocked")


@login_required
@require_http_methods(["GET", "POST"])
def blocked_list(request: HttpRequest) -> HttpResponse:
    """The people you blocked, with an unblock button each; POST blocks someone (user=<id>)."""
    if request.method == "POST":
        form = BlockForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("This person is not a resident of this town."))
            return redirect(_back(request))
        try:
            block = services.block_create(acting_user=request.user, blocked_id=form.cleaned_data["user"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You blocked %(name)s. They can no longer write to you in a one-to-one conversation, "
                  "and you no longer see their messages.") % {"name": services.display_name(block.blocked)},
            )
        return redirect(_back(request))
    rows = [
        {"id": block.blocked_id, "name": services.display_name(block.blocked), "since": block.created_at}
        for block in selectors.block_list(user=request.user)
    ]
    return render(request, "conversations/blocked_list.html", {"rows": rows})


@login_required
@require_POST
def blocked_remove(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST)
    if form.is_valid() and services.block_delete(acting_user=request.user, blocked_id=form.cleaned_data["user"]):
        messages.success(request, _("The block is lifted. You see this person's messages again."))
    else:
        messages.error(request, _("You had not blocked this person."))
    return redirect(_back(request))
