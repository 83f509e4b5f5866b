from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from tests.probe.probe_module.models import Note


@require_GET
def note_list(request: HttpRequest) -> HttpResponse:
    return render(request, "probe/note_list.html", {"notes": Note.objects.filter(is_hidden=False)})


@require_GET
def note_detail(request: HttpRequest, pk: int) -> HttpResponse:
    note = Note.objects.filter(pk=pk, is_hidden=False).first()
    if note is None:
        raise Http404
    return render(request, "probe/note_detail.html", {"note": note})


@require_GET
def note_short_link(request: HttpRequest, pk: int) -> HttpResponse:
    if not Note.objects.filter(pk=pk, is_hidden=False).exists():
        raise Http404
    return redirect("probe:note-detail", pk=pk)


def home_widget(request: HttpRequest) -> str:
    return format_html('<section class="card"><h2>{}</h2></section>', "Probe-Widget")


def home_prompt(request: HttpRequest) -> str:
    return format_html('<p class="card callout">{}</p>', "Probe-Hinweis")


def header_item(request: HttpRequest) -> str:
    return format_html('<span class="probe-header">{}</span>', "Probe-Kopf")


def page_aside(request: HttpRequest) -> str:
    return format_html('<aside class="card">{}</aside>', "Probe-Randnotiz")


def page_banner(request: HttpRequest) -> str:
    return format_html('<section class="card" role="region" aria-label="{}"><p>{}</p></section>',
                       "Probe-Banner", "Probe-Banner")


def organisation_section(request: HttpRequest, organisation: Any) -> str:
    return format_html("<section><h2>{}</h2></section>", f"Probe für {organisation.name}")
