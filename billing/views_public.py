"""The platform's own prices for towns, published on the public site (no peer publishes theirs)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from billing.catalogue import CATALOGUE
from billing.models import Product, ProductKind
from billing.services import gross_from_net


def platform_plans(request: HttpRequest) -> HttpResponse:
    plans = [
        {"product": plan, "net": plan.min_monthly_cents,
         "gross": gross_from_net(plan.min_monthly_cents, plan.vat_rate_percent)}
        for plan in Product.objects.filter(kind=ProductKind.PLATFORM_PLAN, is_active=True).order_by(
            "min_monthly_cents")
    ]
    sponsorship = Product.objects.filter(key__in=[row[0] for row in CATALOGUE], is_active=True)
    return render(request, "billing/platform_plans.html", {
        "plans": plans, "sponsorship": sponsorship, "platform_share": settings.BILLING_PLATFORM_SHARE_PERCENT,
    })
