"""Public-site pages: landing, legal texts for towns signing up."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/landing.html")


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/terms.html")


@require_GET
def dpa(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/dpa.html")
