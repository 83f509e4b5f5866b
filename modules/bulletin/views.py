"""Pages of the Mitteilungsblatt: the public archive and issues (/mitteilungsblatt/), the editor's back office."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.branding import town_url
from core.forms import SiteSearchForm, apply_service_errors
from core.printing import pdf_response
from modules.bulletin import selectors, services
from modules.bulletin.forms import DraftForm, ItemAddForm, ItemsForm
from modules.bulletin.models import Issue
from modules.bulletin.printing import issue_pdf, item_when

ARCHIVE_PAGE_SIZE = 20


# --- public ----------------------------------------------------------------------------


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    search = SiteSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    issues = selectors.issue_search(query) if query else selectors.issue_list_published()
    page = Paginator(issues, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "bulletin/archive.html", {
        "page": page, "query": query, "search_form": search,
        "subscribed": selectors.is_subscribed(request.user),
    })


@require_POST
@login_required
def subscription(request: HttpRequest) -> HttpResponse:
    subscribed = services.subscription_set(user=request.user, subscribed=request.POST.get("subscribe") == "yes")
    messages.success(request, _("From the next issue on, you get the Mitteilungsblatt by e-mail.") if subscribed
                     else _("You no longer get the Mitteilungsblatt by e-mail."))
    return redirect("bulletin-mitteilungsblatt:archive")


# The token is the authorisation; mail programs POST here without a CSRF token (RFC 8058 one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the e-mail edition from the link in the mail: GET asks (link checkers open links), POST ends it."""
    subscribed = services.unsubscribe_by_token(token, confirm=request.method == "POST")
    if subscribed is None:
        raise Http404  # a link from another town (or a forged one) finds nothing here
    return render(request, "bulletin/unsubscribe.html", {"done": request.method == "POST",
                                                         "subscribed": subscribed, "token": token})


def _published(year: int, number: int) -> Issue:
    issue = selectors.issue_get_published(year=year, number=number)
    if issue is None:
        raise Http404
    return issue


@require_GET
def issue_detail(request: HttpRequest, year: int, number: int) -> HttpResponse:
    issue = _published(year, number)
    sections = selectors.issue_sections(issue)
    for section in sections:
        for item in section.items:
            item.when = item_when(item)  # type: ignore[attr-defined]
    return render(request, "bulletin/issue.html", {"issue": issue, "sections": sections})


@require_GET
def issue_pdf_view(request: HttpRequest, year: int, number: int) -> HttpResponse:
    issue = _published(year, number)
    if not issue.pdf:
        raise Http404
    with issue.pdf.open("rb") as stored:
        return pdf_response(stored.read(), f"mitteilungsblatt-{issue.year}-{issue.number}.pdf")


# --- back office -----------------------------------------------------------------------


@role_required("editor")
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    form = DraftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create_draft(acting_user=request.user,
                                                period_start=form.cleaned_data["period_start"],
                                                period_end=form.cleaned_data["period_end"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            count = issue.items.count()
            if count:
                messages.success(request, ngettext("%(label)s is ready as a draft with %(count)d item.",
                                                   "%(label)s is ready as a draft with %(count)d items.", count)
                                 % {"label": issue.label, "count": count})
            else:
                messages.info(request, _("%(label)s is ready as a draft, but nothing was published in its period. "
                                         "Add items yourself.") % {"label": issue.label})
            return redirect("bulletin:issue-manage", pk=issue.pk)
    page = Paginator(selectors.issue_list_all(), ARCHIVE_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "bulletin/manage/overview.html", {"form": form, "page": page})


def _issue(pk: int) -> Issue:
    issue = selectors.issue_get(pk=pk)
    if issue is None:
        raise Http404
    return issue


def _editor_context(issue: Issue, **extra: Any) -> dict[str, Any]:
    places = selectors.places()
    items = list(issue.items.all())
    return {"issue": issue, "items": items, "removed": [item for item in items if item.source_removed],
            "items_form": extra.pop("items_form", None) or ItemsForm(items=items),
            "add_form": extra.pop("add_form", None) or ItemAddForm(places=places,
                                                                   town_heading=selectors.town_heading()),
            "places": places, "public_url": town_url(issue.get_absolute_url()), **extra}


@role_required("editor")
@require_http_methods(["GET", "POST"])
def issue_manage(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    if request.method == "POST":
        items_form = ItemsForm(request.POST, items=list(issue.items.all()))
        if items_form.is_valid():
            try:
                services.issue_items_update(issue=issue, changes=items_form.changes(), acting_user=request.user)
            except ValidationError as error:
                apply_service_errors(items_form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("bulletin:issue-manage", pk=issue.pk)
        return render(request, "bulletin/manage/issue.html", _editor_context(issue, items_form=items_form),
                      status=400)
    return render(request, "bulletin/manage/issue.html", _editor_context(issue))


@role_required("editor")
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    form = ItemAddForm(request.POST, places=selectors.places(), town_heading=selectors.town_heading())
    if form.is_valid():
        try:
            services.issue_item_add(issue=issue, title=form.cleaned_data["title"], text=form.cleaned_data["text"],
                                    url=form.cleaned_data["url"], ortsgemeinde_id=form.cleaned_data["ortsgemeinde"],
                                    acting_user=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The item is added at the end."))
            return redirect("bulletin:issue-manage", pk=issue.pk)
    return render(request, "bulletin/manage/issue.html", _editor_context(issue, add_form=form), status=400)


def _removed_message(request: HttpRequest, removed: list[Any]) -> None:
    if removed:
        messages.warning(request, ngettext(
            "%(count)d item was removed where it came from and is left out: %(titles)s",
            "%(count)d items were removed where they came from and are left out: %(titles)s", len(removed))
            % {"count": len(removed), "titles": ", ".join(f"„{item.title}“" for item in removed)})


@role_required("editor")
@require_POST
def issue_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    try:
        removed, added = services.issue_refresh(issue=issue, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _removed_message(request, removed)
        messages.success(request, ngettext("%(count)d new item was added.", "%(count)d new items were added.", added)
                         % {"count": added})
    return redirect("bulletin:issue-manage", pk=issue.pk)


@role_required("editor")
@require_GET
def issue_preview(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    if issue.is_published and issue.pdf:
        with issue.pdf.open("rb") as stored:
            return pdf_response(stored.read(), f"mitteilungsblatt-{issue.year}-{issue.number}.pdf")
    items = [item for item in issue.items.all() if not item.excluded and not item.source_removed]
    pdf, _pages = issue_pdf(issue=issue, items=items)
    return pdf_response(pdf, f"entwurf-{issue.year}-{issue.number}.pdf")


@role_required("editor")
@require_POST
def issue_publish(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    try:
        # Checked first on its own, so the flags stay set even if publishing is refused below.
        services.issue_refresh(issue=issue, acting_user=request.user)
        published = services.issue_publish(issue=issue, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("bulletin:issue-manage", pk=issue.pk)
    _removed_message(request, published.left_out)
    messages.success(request, ngettext(
        "%(label)s is published (pages: %(pages)d) and goes to %(count)d subscriber by e-mail.",
        "%(label)s is published (pages: %(pages)d) and goes to %(count)d subscribers by e-mail.", published.mailed)
        % {"label": published.issue.label, "pages": published.issue.page_count, "count": published.mailed})
    return redirect("bulletin:issue-manage", pk=issue.pk)


@role_required("editor")
@require_POST
def issue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(pk)
    try:
        services.issue_delete_draft(issue=issue, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("bulletin:issue-manage", pk=issue.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("bulletin:manage")
