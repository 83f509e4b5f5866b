"""Back office "Own address": a town's own domain beside its subdomain (tenants.domain_services does the work)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.sensitive import sensitive_action
from core.access import role_required
from tenants.domain_selectors import (
    challenge_file_url,
    challenge_record_name,
    custom_domain_get,
    custom_domain_list,
    platform_subdomain,
)
from tenants.domain_services import (
    custom_domain_add,
    custom_domain_check,
    custom_domain_make_primary,
    custom_domain_remove,
)
from town.forms import CustomDomainForm


def _page(request: HttpRequest, form: CustomDomainForm, status: int = 200) -> HttpResponse:
    rows = custom_domain_list(tenant=request.tenant)
    pending = [
        {"row": row, "record": challenge_record_name(row.claim), "file_url": challenge_file_url(row.claim)}
        for row in rows
        if row.claim is not None and not row.is_verified
    ]
    return render(request, "town/backoffice/domains.html", {
        "form": form, "rows": rows, "pending": pending,
        "subdomain": platform_subdomain(request.tenant), "base_domain": settings.BASE_DOMAIN,
    }, status=status)


@role_required("town_admin")
@sensitive_action()
def domains(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CustomDomainForm(request.POST)
        if form.is_valid():
            try:
                claim = custom_domain_add(tenant=request.tenant, value=form.cleaned_data["domain"],
                                          acting_user=request.user)
            except ValidationError as error:
                form.add_error("domain", error)
            else:
                messages.success(request, _("The address %(domain)s was added. Now show that it belongs to your "
                                            "town, as described below.") % {"domain": claim.domain})
                return redirect("town:backoffice-domains")
        messages.error(request, _("Nothing was saved. Please correct the marked fields."))
        return _page(request, form, status=400)
    return _page(request, CustomDomainForm())


def _claim_or_404(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    claim = custom_domain_get(tenant=request.tenant, pk=pk)
    if claim is None:
        raise Http404
    return claim


@role_required("town_admin")
@sensitive_action()
@require_POST
def domain_check(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    try:
        custom_domain_check(tenant=request.tenant, claim=claim, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmed: %(domain)s belongs to your town and now shows its pages. You can "
                                    "make it the main address.") % {"domain": claim.domain})
    return redirect("town:backoffice-domains")


@role_required("town_admin")
@sensitive_action()
@require_POST
def domain_remove(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    custom_domain_remove(tenant=request.tenant, claim=claim, acting_user=request.user)
    messages.success(request, _("The address %(domain)s was removed. It no longer shows your town's pages.")
                     % {"domain": claim.domain})
    return redirect("town:backoffice-domains")


@role_required("town_admin")
@sensitive_action()
@require_POST
def domain_primary(request: HttpRequest) -> HttpResponse:
    domain = request.POST.get("domain", "")
    try:
        custom_domain_make_primary(tenant=request.tenant, domain=domain, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(domain)s is now the main address. Links and e-mails use it; the other "
                                    "addresses lead there.") % {"domain": domain})
    return redirect("town:backoffice-domains")
