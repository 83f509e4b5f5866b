"""URLs on the public site (<BASE_DOMAIN>): marketing, town signup, platform staff."""

from django.urls import include, path

from billing.views_public import platform_plans
from billing.webhooks import stripe_webhook
from core.security_headers import csp_report

urlpatterns = [
    path("", include("tenants.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("stripe/webhook/", stripe_webhook, name="stripe-webhook"),
    path("preise/", platform_plans, name="platform-plans"),
    path("csp-report/", csp_report, name="csp-report"),
]

handler404 = "core.errors.not_found"
handler500 = "core.errors.server_error"
handler403 = "core.errors.forbidden"
