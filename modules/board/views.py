"""Pages of the Pinnwand: list, post with comments and reactions, writing."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import apply_service_errors
from core.paging import page_of
from modules.board import selectors, services
from modules.board.forms import CommentForm, PostFilterForm, PostForm
from modules.board.models import Comment, Post
from town.models import Ortsgemeinde
from town.residency_services import residency_require
from town.selectors import user_ortsgemeinde_id

LIST_PAGE_SIZE = 20


def report_url(kind: str, object_id: int) -> str:
    from modules.moderation.facade import report_url as moderation_report_url

    return moderation_report_url(kind=kind, object_id=object_id)


def _message_link_maker(request: HttpRequest) -> Callable[[int], str | None]:
    """author id -> the messages module's "write to this person" page (None for oneself, or without the module).

    Looked up once per page, not once per post: the module may be absent from the tree or off in the town.
    """
    if not request.user.is_authenticated or importlib.util.find_spec("modules.conversations") is None:
        return lambda author_id: None
    from modules.conversations.facade import conversation_start_url

    # A reader who never wrote here has no posts of their own to leave out (their page is shared).
    own_id = request.user.pk if selectors.wrote_here(request.user) else None
    return lambda author_id: None if author_id == own_id else conversation_start_url(recipient_id=author_id)


def _decorate(posts: list[Post], request: HttpRequest) -> list[Post]:
    """What the templates show next to each post: author's name, report link, own or not."""
    message_link = _message_link_maker(request)
    for post in posts:
        post.author_name = services.display_name(post.author)
        post.helper_name = services.display_name(post.entered_by) if post.entered_by_id else ""
        post.headline, post.rest = services.headline(post.text)
        post.report_link = report_url("board.post", post.pk)
        post.is_own = services.user_can_edit_post(request.user, post)
        post.message_url = message_link(post.author_id)
    return posts


def _home(user: Any) -> Ortsgemeinde | None:
    home_id = user_ortsgemeinde_id(user)
    return Ortsgemeinde.objects.filter(pk=home_id).first() if home_id else None


# --- reading -----------------------------------------------------------------------


@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    topics = selectors.topic_list()
    places = selectors.ortsgemeinden_for_filter(request.user)
    form = PostFilterForm(request.GET, topics=topics, ortsgemeinden=places)
    form.is_valid()  # a bad value is dropped from cleaned_data; the valid ones still apply
    data = form.cleaned_data
    topic = next((t for t in topics if t.slug == data.get("topic")), None)
    place_value = data.get("ortsgemeinde") or ""
    place: str | int | None = None
    if place_value == selectors.TOWN_WIDE:
        place = selectors.TOWN_WIDE
    elif place_value:
        place = next((o.pk for o in places if o.slug == place_value), None)
    posts = selectors.post_list_visible(user=request.user, topic_slug=topic.slug if topic else None, ortsgemeinde=place)
    page = page_of(posts, LIST_PAGE_SIZE, request.GET.get("page"))  # "older posts" needs no count
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "board/post_list.html",
        {
            "form": form,
            "page": page,
            "posts": _decorate(list(page.object_list), request),
            "query": query.urlencode(),
            "topic": topic,
        },
    )


def _detail_context(request: HttpRequest, post: Post, comment_form: CommentForm | None = None) -> dict[str, Any]:
    _decorate([post], request)
    comments = selectors.comment_list(post=post, user=request.user)
    for comment in comments:
        comment.author_name = services.display_name(comment.author)
        comment.report_link = report_url("board.comment", comment.pk)
        comment.is_own = services.user_can_delete_comment(request.user, comment)
    is_current = not (post.is_expired or post.expires_at <= timezone.now())
    return {
        "post": post,
        "comments": comments,
        "comment_form": comment_form or CommentForm(),
        "reactions": selectors.reaction_summary(post=post, user=request.user),
        "is_current": is_current,
        "can_take_part": is_current and not post.is_hidden and request.user.is_authenticated,
    }


@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_get_visible(pk=pk, user=request.user)
    if post is None:
        raise Http404
    return render(request, "board/post_detail.html", _detail_context(request, post))


def _visible_post(request: HttpRequest, pk: int) -> Post:
    post = selectors.post_get_visible(pk=pk, user=request.user)
    if post is None:
        raise Http404
    return post


def _own_post(request: HttpRequest, pk: int) -> Post:
    post = _visible_post(request, pk)
    if not services.user_can_edit_post(request.user, post):
        raise PermissionDenied
    return post


# --- writing -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    residency_require(request.user, "posting")  # before the form: nobody writes a post in vain
    home = _home(request.user)
    form = PostForm(request.POST or None, request.FILES or None, user=request.user, home=home)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(acting_user=request.user, **form.service_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
        else:
            messages.success(request, _("Your post is on the board."))
            return redirect(post.get_absolute_url())
    return render(request, "board/post_form.html", {"form": form, "post": None, "home": home},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _own_post(request, pk)
    home = _home(request.user)
    form = PostForm(request.POST or None, request.FILES or None, user=request.user, home=home, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(post=post, acting_user=request.user, **form.service_data())
        except ValidationError as error:
            post.refresh_from_db()
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
        else:
            messages.success(request, _("Your post is saved."))
            return redirect(post.get_absolute_url())
    return render(request, "board/post_form.html", {"form": form, "post": post, "home": home},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _own_post(request, pk)
    if request.method == "POST":
        services.post_delete(post=post, acting_user=request.user)
        messages.success(request, _("Your post is deleted."))
        return redirect("board:post-list")
    return render(request, "board/post_delete.html", {"post": post})


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = _visible_post(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(post=post, acting_user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "board/post_detail.html", _detail_context(request, post, form), status=400)


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    comment: Comment | None = selectors.comment_get_for(pk=pk, user=request.user)
    if comment is None:
        raise Http404
    services.comment_delete(comment=comment, acting_user=request.user)
    messages.success(request, _("Your comment is deleted."))
    return redirect(comment.post.get_absolute_url())


@login_required
@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    """A reaction button: a plain form, so it works without JavaScript."""
    post = _visible_post(request, pk)
    try:
        services.reaction_toggle(post=post, acting_user=request.user, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render(request, "board/post_detail.html", _detail_context(request, post), status=400)
    except PermissionDenied as error:
        raise PermissionDenied(str(error)) from None
    return redirect(f"{post.get_absolute_url()}#reactions")
