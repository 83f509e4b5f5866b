"""Confirming residency: the resident's page (/konto/wohnsitz/) and the town hall's (/backoffice/wohnsitz/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.printing import pdf_response
from town.models import ResidencyLetterCode, ResidencyMethod, ResidencyVerification
from town.residency_forms import (
    LetterRunForm,
    ResidencyCodeForm,
    ResidencyDecisionForm,
    ResidencyPolicyForm,
    ResidencyPostcodeForm,
    ResidencyRequestForm,
)
from town.residency_selectors import (
    letter_batches,
    residency_counts,
    residency_of,
    residency_policy_get,
    residency_requests_pending,
)
from town.residency_services import (
    letter_codes_create,
    letter_run_pdf,
    residency_by_letter_code,
    residency_by_postcode,
    residency_decide,
    residency_policy_update,
    residency_request,
)

_FORMS = {
    ResidencyMethod.APPROVAL: ResidencyRequestForm,
    ResidencyMethod.POSTCODE: ResidencyPostcodeForm,
    ResidencyMethod.LETTER: ResidencyCodeForm,
}


def _apply(form: ResidencyRequestForm | ResidencyPostcodeForm | ResidencyCodeForm, request: HttpRequest,
           method: str) -> None:
    data = form.cleaned_data
    if method == ResidencyMethod.APPROVAL:
        residency_request(user=request.user, address=data["address"], postal_code=data["postal_code"])
        messages.success(request, _("Thank you. The town hall will check your request and tell you by e-mail."))
    elif method == ResidencyMethod.POSTCODE:
        residency_by_postcode(user=request.user, postal_code=data["postal_code"])
        messages.success(request, _("Thank you. Your address is confirmed."))
    else:
        residency_by_letter_code(user=request.user, code=data["code"])
        messages.success(request, _("Thank you. Your address is confirmed."))


@login_required
@require_http_methods(["GET", "POST"])
def residency(request: HttpRequest) -> HttpResponse:
    policy = residency_policy_get()
    form_class = _FORMS.get(policy.method)  # type: ignore[call-overload]
    status = 200
    form = None
    if form_class is not None:
        initial = {"code": request.GET.get("code", "")[:20]} if policy.method == ResidencyMethod.LETTER else {}
        form = form_class(request.POST or None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    _apply(form, request, policy.method)
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    return redirect("town:residency")
            status = 400
    return render(request, "town/residency/residency.html", {
        "policy": policy, "verification": residency_of(request.user), "form": form,
    }, status=status)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def backoffice_residency(request: HttpRequest) -> HttpResponse:
    policy = residency_policy_get()
    initial = {"method": policy.method, "required_for_posting": policy.required_for_posting,
               "required_for_voting": policy.required_for_voting, "required_for_rides": policy.required_for_rides}
    form = ResidencyPolicyForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                residency_policy_update(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("town:backoffice-residency")
        messages.error(request, _("Nothing was saved. Please correct the marked fields."))
        status = 400
    return render(request, "town/residency/backoffice.html", {
        "form": form, "policy": policy, "pending": residency_requests_pending(), "counts": residency_counts(),
        "batches": letter_batches(), "letter_form": LetterRunForm(), "decision_form": ResidencyDecisionForm(),
    }, status=status)


@role_required("town_admin")
@require_POST
def backoffice_residency_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = ResidencyDecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    try:
        if not form.is_valid():
            raise ValidationError(_("Please tell the person why, so they can do something about it."))
        residency_decide(acting_user=request.user, verification_id=pk, approve=approve,
                         reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ResidencyVerification.DoesNotExist:  # the person left meanwhile
        raise Http404 from None
    else:
        messages.success(request, _("The address is confirmed.") if approve else _("The person has been told why."))
    return redirect("town:backoffice-residency")


@role_required("town_admin")
@require_POST
def backoffice_residency_letters(request: HttpRequest) -> HttpResponse:
    form = LetterRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please print between 1 and %(most)d letters at a time.") % {"most": 2000})
        return redirect("town:backoffice-residency")
    batch = letter_codes_create(acting_user=request.user, count=form.cleaned_data["count"],
                                ortsgemeinde=form.cleaned_data["ortsgemeinde"])
    messages.success(request, _("The letters are ready to print."))
    return redirect("town:backoffice-residency-letters-pdf", batch=batch)


@role_required("town_admin")
@require_GET
def backoffice_residency_letters_pdf(request: HttpRequest, batch: int) -> HttpResponse:
    try:
        pdf = letter_run_pdf(batch=batch)
    except ResidencyLetterCode.DoesNotExist:
        raise Http404 from None
    return pdf_response(pdf, f"wohnsitz-codes-{batch}.pdf")
