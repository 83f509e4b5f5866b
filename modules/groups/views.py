"""Thin HTML views for groups. A closed group's feed, posts and members are 404 for outsiders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.paging import page_of
from modules.groups import selectors, services
from modules.groups.forms import (
    CommentForm,
    ConfirmForm,
    DecisionForm,
    GroupFilterForm,
    GroupForm,
    JoinRequestForm,
    NotifyForm,
    PostEditForm,
    PostForm,
    RoleForm,
)
from modules.groups.models import Comment, Group, Post
from town.models import Organisation
from town.selectors import ortsgemeinde_list

PAGE_SIZE = 20


def _report_url(kind: str, object_id: int) -> str:
    from modules.moderation.facade import report_url

    return report_url(kind=kind, object_id=object_id)


def _group(request: HttpRequest, slug: str, *, read: bool = False) -> tuple[Group, selectors.GroupAccess]:
    group = selectors.group_get(slug=slug)
    if group is None:
        raise Http404
    access = selectors.group_access(user=request.user, group=group)
    if read and not access.can_read:
        raise Http404  # never 403: a closed group's content doesn't exist for outsiders
    return group, access


def _require_admin(access: selectors.GroupAccess) -> None:
    if not access.is_admin:
        raise PermissionDenied


def _organisations_for(user: Any, current: Organisation | None = None) -> Any:
    """Organisations the person may name as the group's owner (plus the one it has)."""
    qs = Organisation.objects.filter(is_approved=True)
    if not user.is_town_admin:
        qs = qs.filter(memberships__user=user)
    if current is not None:
        qs = qs | Organisation.objects.filter(pk=current.pk)
    return qs.distinct().order_by("name")


# --- groups -------------------------------------------------------------------------------------


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None, ortsgemeinden=ortsgemeinde_list())
    search = ortsgemeinde_id = None
    if form.is_valid():
        search = form.cleaned_data["q"]
        place = form.cleaned_data["ortsgemeinde"]
        ortsgemeinde_id = place.pk if place else None
    # "Next page" needs no COUNT.
    page = page_of(selectors.group_list(search=search, ortsgemeinde_id=ortsgemeinde_id), PAGE_SIZE,
                   request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "groups/group_list.html", {
        "form": form, "page": page, "groups": list(page.object_list), "query": query.urlencode(),
        "my_group_ids": selectors.group_ids_of_member(user=request.user),
        "has_filters": bool(search or ortsgemeinde_id),
    })


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None, organisations=_organisations_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your group is ready. Invite your neighbours to join."))
            return redirect(group)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/group_form.html", {"form": form, "group": None}, status=status)


def _detail(request: HttpRequest, group: Group, access: selectors.GroupAccess, *, status: int = 200,
            **forms: Any) -> HttpResponse:
    context: dict[str, Any] = {"group": group, "access": access}
    if access.can_read:
        page = Paginator(selectors.post_list_visible(group=group, user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        posts = list(page.object_list)
        for post in posts:
            post.report_link = _report_url("groups.post", post.pk)
            post.author_name = selectors.display_name(post.author)
        context.update(page=page, posts=posts)
    if access.can_post:
        context["post_form"] = forms.get("post_form") or PostForm()
    if access.is_admin and group.is_closed:
        context["pending_count"] = selectors.join_request_list_pending(group=group).count()
    if request.user.is_authenticated and not access.is_member:
        if group.is_closed:
            context["own_request"] = selectors.join_request_of(group=group, user=request.user)
            context["join_form"] = forms.get("join_form") or JoinRequestForm(initial={"confirm": True})
        else:
            context["join_form"] = forms.get("join_form") or ConfirmForm(initial={"confirm": True})
    return render(request, "groups/group_detail.html", context, status=status)


@require_GET
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug)
    return _detail(request, group, access)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    _require_admin(access)
    initial = {"name": group.name, "description": group.description, "visibility": group.visibility,
               "organisation": group.organisation, "ortsgemeinde": group.ortsgemeinde}
    form = GroupForm(request.POST or None, initial=initial,
                     organisations=_organisations_for(request.user, group.organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The group is saved."))
            return redirect(group)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/group_form.html", {"form": form, "group": group}, status=status)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    _require_admin(access)
    form = ConfirmForm(request.POST or None, initial={"confirm": True})
    if request.method == "POST" and form.is_valid():
        services.group_delete(group=group, acting_user=request.user)
        messages.success(request, _("The group %(name)s is deleted.") % {"name": group.name})
        return redirect("groups:group-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/confirm_delete.html", {
        "group": group, "form": form, "text": group.description, "back": group.get_absolute_url(),
        "heading": _("Delete the group %(name)s with all its posts?") % {"name": group.name},
    }, status=status)


# --- membership ---------------------------------------------------------------------------------


@role_required("authenticated")
@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug)
    form_class = JoinRequestForm if group.is_closed else ConfirmForm
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, group, access, status=400, join_form=form)
    try:
        if group.is_closed:
            services.join_request_create(group=group, acting_user=request.user, message=form.cleaned_data["message"])
        else:
            services.group_join(group=group, acting_user=request.user)
    except ValidationError as error:
        apply_service_errors(form, error)
        return _detail(request, group, access, status=400, join_form=form)
    if group.is_closed:
        messages.success(request, _("Your request is sent. The group admins will decide and let you know."))
    else:
        messages.success(request, _("Welcome! You are now a member of this group."))
    return redirect(group)


@role_required("authenticated")
@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug)
    if not ConfirmForm(request.POST).is_valid():
        return _detail(request, group, access, status=400)
    try:
        services.membership_leave(group=group, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have left the group."))
    return redirect(group)


@role_required("authenticated")
@require_POST
def group_notify(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    form = NotifyForm(request.POST)
    if not form.is_valid():
        return _detail(request, group, access, status=400)
    try:
        services.membership_set_notify(group=group, acting_user=request.user,
                                       notify=form.cleaned_data["notify"] == "on")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _detail(request, group, access, status=400)
    if form.cleaned_data["notify"] == "on":
        messages.success(request, _("You will be notified about new posts in this group."))
    else:
        messages.success(request, _("You will no longer be notified about new posts in this group."))
    return redirect(group)


@role_required("authenticated")
@require_GET
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    members = list(selectors.member_list(group=group))
    for membership in members:
        membership.display_name = selectors.display_name(membership.user)
    return render(request, "groups/member_list.html", {"group": group, "access": access, "members": members})


def _membership(group: Group, membership_id: int) -> Any:
    membership = selectors.membership_get(group=group, membership_id=membership_id)
    if membership is None:
        raise Http404
    return membership


@role_required("authenticated")
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    _require_admin(access)
    membership = _membership(group, membership_id)
    if not ConfirmForm(request.POST).is_valid():
        return HttpResponse(status=400)
    try:
        services.membership_remove(membership=membership, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer a member.")
                         % {"name": selectors.display_name(membership.user)})
    return redirect("groups:member-list", slug=group.slug)


@role_required("authenticated")
@require_POST
def member_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    _require_admin(access)
    membership = _membership(group, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"], acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role of %(name)s is changed.")
                         % {"name": selectors.display_name(membership.user)})
    return redirect("groups:member-list", slug=group.slug)


@role_required("authenticated")
@require_GET
def request_list(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    _require_admin(access)
    requests = list(selectors.join_request_list_pending(group=group))
    for join_request in requests:
        join_request.display_name = selectors.display_name(join_request.user)
    return render(request, "groups/request_list.html", {"group": group, "requests": requests})


@role_required("authenticated")
@require_POST
def request_decide(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    _require_admin(access)
    join_request = selectors.join_request_get_pending(group=group, request_id=request_id)
    if join_request is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.join_request_decide(join_request=join_request, acting_user=request.user, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = selectors.display_name(join_request.user)
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s is declined.") % {"name": name})
    return redirect("groups:request-list", slug=group.slug)


# --- posts and comments ----------------------------------------------------------------------


@role_required("authenticated")
@require_POST
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    if not access.can_post:
        raise PermissionDenied
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.post_create(group=group, acting_user=request.user, text=form.cleaned_data["text"],
                                 image=form.cleaned_data["image"], image_alt=form.cleaned_data["image_alt"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your post is published in the group."))
            return redirect(group)
    return _detail(request, group, access, status=400, post_form=form)


def _post(request: HttpRequest, group: Group, post_id: int) -> Post:
    post = selectors.post_get_visible(group=group, post_id=post_id, user=request.user)
    if post is None:
        raise Http404
    return post


def _post_page(request: HttpRequest, group: Group, access: selectors.GroupAccess, post: Post, *,
               status: int = 200, comment_form: CommentForm | None = None) -> HttpResponse:
    comments = list(selectors.comment_list_visible(post=post, user=request.user))
    for comment in comments:
        comment.report_link = _report_url("groups.comment", comment.pk)
        comment.author_name = selectors.display_name(comment.author)
    post.report_link = _report_url("groups.post", post.pk)
    post.author_name = selectors.display_name(post.author)
    return render(request, "groups/post_detail.html", {
        "group": group, "access": access, "post": post, "comments": comments,
        "comment_form": comment_form or (CommentForm() if access.can_post else None),
    }, status=status)


@role_required("authenticated")
@require_GET
def post_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    return _post_page(request, group, access, _post(request, group, post_id))


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    post = _post(request, group, post_id)
    if not services.user_can_edit(request.user, post):
        raise PermissionDenied
    form = PostEditForm(request.POST or None, initial={"text": post.text, "image_alt": post.image_alt})
    if not post.image:
        del form.fields["image_alt"]
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(post=post, acting_user=request.user, text=form.cleaned_data["text"],
                                 image_alt=form.cleaned_data.get("image_alt"))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your post is saved."))
            return redirect(post)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/post_form.html", {"group": group, "post": post, "form": form}, status=status)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    post = _post(request, group, post_id)
    if not (services.user_can_edit(request.user, post) or access.is_admin):
        raise PermissionDenied
    form = ConfirmForm(request.POST or None, initial={"confirm": True})
    if request.method == "POST" and form.is_valid():
        services.post_delete(post=post, acting_user=request.user)
        messages.success(request, _("The post is deleted."))
        return redirect(group)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/confirm_delete.html", {
        "group": group, "form": form, "text": post.text, "back": post.get_absolute_url(),
        "heading": _("Delete this post?"),
    }, status=status)


@role_required("authenticated")
@require_POST
def comment_create(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    post = _post(request, group, post_id)
    if not access.can_post:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_create(post=post, acting_user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(post.get_absolute_url() + f"#comment-{comment.pk}")
    return _post_page(request, group, access, post, status=400, comment_form=form)


def _comment(request: HttpRequest, group: Group, comment_id: int) -> Comment:
    comment = selectors.comment_get_visible(group=group, comment_id=comment_id, user=request.user)
    if comment is None:
        raise Http404
    return comment


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    comment = _comment(request, group, comment_id)
    if not services.user_can_edit(request.user, comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(comment=comment, acting_user=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect(comment.post.get_absolute_url() + f"#comment-{comment.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/comment_form.html", {"group": group, "comment": comment, "form": form},
                  status=status)


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    group, access = _group(request, slug, read=True)
    comment = _comment(request, group, comment_id)
    if not (services.user_can_edit(request.user, comment) or access.is_admin):
        raise PermissionDenied
    form = ConfirmForm(request.POST or None, initial={"confirm": True})
    if request.method == "POST" and form.is_valid():
        services.comment_delete(comment=comment, acting_user=request.user)
        messages.success(request, _("The comment is deleted."))
        return redirect(comment.post)
    status = 400 if request.method == "POST" else 200
    return render(request, "groups/confirm_delete.html", {
        "group": group, "form": form, "text": comment.text, "back": comment.post.get_absolute_url(),
        "heading": _("Delete this comment?"),
    }, status=status)
