"""The back-office pages of a module's taxonomy: list, add, rename, move, delete.

A module mounts them in its urls.py with ``*taxonomy_urls(CATEGORIES)``; the
URL names (``news:category-manage`` ...) and paths come from its ``Taxonomy``,
and ``core.access.module_urls`` wraps them like the module's other views.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.taxonomy import services
from core.taxonomy.models import NAME_MAX_LENGTH, Term
from core.taxonomy.spec import Taxonomy

TEMPLATE = "core/taxonomy/manage.html"


class TermForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=NAME_MAX_LENGTH)


class MoveForm(forms.Form):
    pk = forms.IntegerField()
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


def _term_or_404(taxonomy: Taxonomy, pk: int) -> Term:
    term = services.term_get(taxonomy, pk=pk)
    if term is None:  # also another town's id: its row is not in this schema
        raise Http404
    return term


def _url_names(taxonomy: Taxonomy) -> dict[str, str]:
    return {action: taxonomy.url_name(action) for action in ("manage", "rename", "reorder", "delete")}


def manage(request: HttpRequest, taxonomy: Taxonomy) -> HttpResponse:
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_create(taxonomy, acting_user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, taxonomy.texts.added)
            return redirect(taxonomy.url_name("manage"))
    terms = services.term_list(taxonomy, with_usage=True)
    rows = [(term, taxonomy.texts.usage % {"count": getattr(term, "usage", 0)}) for term in terms]
    return render(
        request, TEMPLATE,
        {"texts": taxonomy.texts, "form": form, "rows": rows, "urls": _url_names(taxonomy)},
        status=taxonomy.invalid_status if form.errors else 200,
    )


def rename(request: HttpRequest, pk: int, taxonomy: Taxonomy) -> HttpResponse:
    term = _term_or_404(taxonomy, pk)
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            services.term_rename(taxonomy, term=term, acting_user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, taxonomy.texts.renamed)
    else:
        messages.error(request, _("Please enter a name."))
    return redirect(taxonomy.url_name("manage"))


def delete(request: HttpRequest, pk: int, taxonomy: Taxonomy) -> HttpResponse:
    term = _term_or_404(taxonomy, pk)
    try:
        services.term_delete(taxonomy, term=term, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, taxonomy.texts.deleted)
    return redirect(taxonomy.url_name("manage"))


def reorder(request: HttpRequest, taxonomy: Taxonomy) -> HttpResponse:
    # The term's id travels in the form, not the address: an id of another town is simply not found here.
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a line to move."))
        return redirect(taxonomy.url_name("manage"))
    term = _term_or_404(taxonomy, form.cleaned_data["pk"])
    try:
        services.term_move(taxonomy, term=term, acting_user=request.user, up=form.cleaned_data["direction"] == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, taxonomy.texts.moved)
    return redirect(taxonomy.url_name("manage"))


def taxonomy_urls(taxonomy: Taxonomy) -> list[URLPattern]:
    """The four back-office routes of one taxonomy, for the module's urlpatterns."""
    guard = role_required(taxonomy.role)
    kwargs = {"taxonomy": taxonomy}
    base, noun = taxonomy.path, taxonomy.noun
    return [
        path(base, guard(require_http_methods(["GET", "POST"])(manage)), kwargs, name=f"{noun}-manage"),
        path(f"{base}order/", guard(require_POST(reorder)), kwargs, name=f"{noun}-reorder"),
        path(f"{base}<int:pk>/rename/", guard(require_POST(rename)), kwargs, name=f"{noun}-rename"),
        path(f"{base}<int:pk>/delete/", guard(require_POST(delete)), kwargs, name=f"{noun}-delete"),
    ]
