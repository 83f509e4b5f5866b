"""Billing pages on a town's host (thin: forms in, services and selectors out).

The town is always _town(request); a sponsor only ever sees subscriptions and
invoices of the businesses they manage in this town (ISOLATION T15).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.sensitive import sensitive_action
from billing import gateway, selectors, services
from billing.forms import OfferForm, PlanForm, PurchaseForm, SponsorshipSettingsForm
from billing.models import Product, ProductKind, SubscriptionStatus
from billing.promotions import module_patron_allowed, promotion_slot
from core.access import role_required
from core.audit import AuditTarget, audit_record
from core.modules import all_modules
from tenants.models import Municipality

SESSION_KEY = "billing_purchase"


def _town(request: HttpRequest) -> Municipality:
    town: Municipality = getattr(request, "tenant")  # noqa: B009 - set by django-tenants' middleware
    return town


def _stripe_js_url() -> str:
    # localstripe serves a stand-in of Stripe.js at the same address as its API (dev and tests).
    base = settings.STRIPE_API_BASE.rstrip("/")
    return f"{base}/js.stripe.com/v3/" if base else "https://js.stripe.com/v3/"


def _managed_businesses(user: Any) -> list[tuple[int, str]]:
    """The businesses in this town the user manages (may buy and manage sponsorships for)."""
    from town.models import MembershipRole, Organisation, OrganisationKind

    if not user.is_authenticated:
        return []
    rows = Organisation.objects.filter(
        kind=OrganisationKind.BUSINESS, memberships__user=user, memberships__role=MembershipRole.MANAGER
    ).values_list("pk", "name")
    return [(int(pk), str(name)) for pk, name in rows]


def _organisation_path(organisation_id: int) -> str:
    """The sponsor's page on the town's site: where a sponsored entry links to."""
    from town.models import Organisation

    slug = Organisation.objects.filter(pk=organisation_id).values_list("slug", flat=True).first()
    return reverse("town:organisation", kwargs={"slug": slug}) if slug else ""


def _product_from(request: HttpRequest, value: str | None) -> Product:
    product = Product.objects.filter(key=value or "", is_active=True).exclude(kind=ProductKind.PLATFORM_PLAN).first()
    if product is None:
        raise Http404
    return product


def _target_from(value: str | None) -> int | None:
    try:
        target = int(value or "")
    except ValueError:
        return None
    return target if target > 0 else None


def _patron_choices(request: HttpRequest, product: Product) -> dict[str, Any]:
    """The purchase form's module, club or target choices (a featured entry's category); empty otherwise."""
    tenant = _town(request)
    slot = _slot_of(product)
    if slot is not None and slot.target:
        return {"targets": services.purchase_targets(tenant=tenant, product=product),
                "target_label": _("Category where your entry appears") if slot.target == "category" else ""}
    if product.kind == ProductKind.MODULE_PATRON:
        modules = all_modules()
        return {"modules": [(key, str(modules[key].spec.name)) for key in services.patron_module_keys(tenant=tenant)]}
    if product.kind == ProductKind.CLUB_PATRON:
        return {"clubs": selectors.patron_club_choices()}
    return {}


def _slot_of(product: Product) -> Any:
    if not product.slot_key:
        return None
    try:
        return promotion_slot(product.slot_key)
    except LookupError:
        return None


def _module_choices_for_settings() -> list[tuple[str, str]]:
    return [(key, str(module.spec.name)) for key, module in all_modules().items() if module_patron_allowed(key)]


def price_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.price_list(tenant=_town(request))
    return render(request, "billing/price_list.html", {
        "entries": entries, "can_buy": bool(_managed_businesses(request.user)),
        "businesses": _managed_businesses(request.user),
        "platform_share": settings.BILLING_PLATFORM_SHARE_PERCENT,
    })


@login_required
@require_POST
def sponsorship_ask(request: HttpRequest) -> HttpResponse:
    """A business manager asks a town without sponsorship to offer it; the admins get a mail."""
    businesses = dict(_managed_businesses(request.user))
    organisation_id = _target_from(request.POST.get("organisation"))
    if organisation_id not in businesses:
        raise PermissionDenied
    try:
        sent = services.sponsorship_request(tenant=_town(request), organisation_id=organisation_id,
                                            organisation_name=businesses[organisation_id],
                                            user_id=int(request.user.pk or 0),
                                            message=request.POST.get("message", ""))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        if sent:
            messages.success(request, _("Thank you! The town hall has been told that you would like to sponsor."))
        else:
            messages.info(request, _("The town hall already has your request from today."))
    return redirect("billing:price-list")


def _payment_page(request: HttpRequest, *, customer: Any, action: str, title: str, summary: dict[str, Any],
                  status: int = 200) -> HttpResponse:
    try:
        intent = services.payment_setup_start(customer=customer, attempt=uuid.uuid4().hex)
    except gateway.GatewayError as error:
        messages.error(request, error.user_message)
        return redirect("billing:price-list")
    return render(request, "billing/payment.html", {
        "title": title, "action": action, "summary": summary, "client_secret": intent["client_secret"],
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY, "stripe_js_url": _stripe_js_url(),
        "customer": customer,
    }, status=status)


@login_required
def purchase(request: HttpRequest) -> HttpResponse:
    product = _product_from(request, request.GET.get("produkt") or request.POST.get("produkt"))
    target_id = _target_from(request.GET.get("ziel") or request.POST.get("ziel"))
    businesses = _managed_businesses(request.user)
    if not businesses:
        raise PermissionDenied
    entry = next((e for e in selectors.price_list(tenant=_town(request)) if e.product.pk == product.pk), None)
    if entry is None:
        raise Http404
    choices = _patron_choices(request, product)
    form = PurchaseForm(request.POST or None, organisations=businesses, **choices,
                        initial={"invoice_name": businesses[0][1], "invoice_email": getattr(request.user, "email", ""),
                                 "module": request.GET.get("modul", ""), "club": request.GET.get("verein", ""),
                                 "target": target_id or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "targets" in choices:
            target_id = data["target"]
        try:
            # The module or club first: a wrong one must not leave a customer behind at Stripe.
            patron = services.patron_target_check(tenant=_town(request), product=product,
                                                  module_key=data.get("module") or "",
                                                  club_organisation_id=data.get("club"), target_id=target_id)
            services.sponsorship_available_check(tenant=_town(request), product=product, patron=patron,
                                                 target_id=target_id)
            services.sponsorship_text_check(tenant=_town(request), texts=[data.get("sponsor_text", "")])
            customer = services.customer_ensure(
                tenant=_town(request), organisation_id=data["organisation"], name=data["invoice_name"],
                email=data["invoice_email"], address_line=data["address_line"], postal_code=data["postal_code"],
                city=data["city"], vat_id=data["vat_id"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except gateway.GatewayError as error:
            form.add_error(None, error.user_message)
        else:
            preview = _preview(product, sponsor_name=dict(businesses)[data["organisation"]],
                               text=data.get("sponsor_text", ""), where=patron.label)
            request.session[SESSION_KEY] = {
                "product": product.key, "target_id": target_id, "organisation": data["organisation"],
                "sponsor_name": dict(businesses)[data["organisation"]], "text": data.get("sponsor_text", ""),
                "link_url": _organisation_path(data["organisation"]),
                "module_key": patron.module_key, "club_organisation_id": patron.club_organisation_id,
            }
            return _payment_page(request, customer=customer, action=reverse("billing:purchase-confirm"),
                                 title=_("Pay for %(product)s") % {"product": product.name},
                                 summary={"entry": entry, "target_label": patron.label, "preview": preview})
    status = 400 if request.method == "POST" else 200
    return render(request, "billing/purchase.html", {
        "form": form, "entry": entry, "target_id": target_id if "targets" not in choices else None,
        "preview": _preview(product, sponsor_name=businesses[0][1], text="", where=""),
    }, status=status)


def _preview(product: Product, *, sponsor_name: str, text: str, where: str) -> dict[str, Any] | None:
    """How and where the entry will appear, shown before paying: the slot's place and a sample card."""
    slot = _slot_of(product)
    if slot is None:
        return None
    return {"slot_label": str(slot.label), "slot_description": str(slot.description), "where": where,
            "sponsor_name": sponsor_name, "text": text}


@login_required
@require_POST
def purchase_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    businesses = dict(_managed_businesses(request.user))
    if not pending or pending["organisation"] not in businesses:
        messages.error(request, _("Your purchase could not be found. Please start again."))
        return redirect("billing:price-list")
    customer = selectors.customer_get(tenant=_town(request), organisation_id=pending["organisation"])
    if customer is None:
        raise Http404
    product = _product_from(request, pending["product"])
    try:
        services.payment_method_save(customer=customer, setup_intent_id=request.POST.get("setup_intent", ""))
        services.subscription_start(tenant=_town(request), customer=customer, product=product,
                                    sponsor_name=pending["sponsor_name"], target_id=pending["target_id"],
                                    text=pending["text"], link_url=pending.get("link_url", ""),
                                    module_key=pending.get("module_key", ""),
                                    club_organisation_id=pending.get("club_organisation_id"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('billing:purchase')}?produkt={product.key}")
    except gateway.GatewayError as error:
        messages.error(request, error.user_message)
        return redirect(f"{reverse('billing:purchase')}?produkt={product.key}")
    del request.session[SESSION_KEY]
    messages.success(request, _("Thank you! Your sponsorship is live."))
    return redirect("billing:mine")


@login_required
def my_sponsorships(request: HttpRequest) -> HttpResponse:
    ids = [pk for pk, _name in _managed_businesses(request.user)]
    if not ids:
        raise PermissionDenied
    subscriptions = selectors.subscription_list_for_organisations(tenant=_town(request), organisation_ids=ids)
    invoices = selectors.invoice_list_for_organisations(tenant=_town(request), organisation_ids=ids)
    customers = [c for c in (selectors.customer_get(tenant=_town(request), organisation_id=pk) for pk in ids) if c]
    return render(request, "billing/mine.html", {
        "subscriptions": subscriptions, "invoices": invoices, "customers": customers,
        "overdue": [s for s in subscriptions if s.status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAUSED)],
    })


def _my_subscription(request: HttpRequest) -> Any:
    ids = [pk for pk, _name in _managed_businesses(request.user)]
    subscription = selectors.subscription_get_for_organisations(
        tenant=_town(request), organisation_ids=ids, pk=request.POST.get("subscription")
    )
    if subscription is None:
        raise Http404
    return subscription


@login_required
@require_POST
def my_cancel(request: HttpRequest) -> HttpResponse:
    subscription = _my_subscription(request)
    try:
        services.subscription_cancel(subscription=subscription, at_period_end=True)
    except (ValidationError, gateway.GatewayError) as error:
        messages.error(request, getattr(error, "user_message", None) or " ".join(getattr(error, "messages", [])))
    else:
        messages.success(request, _("Cancelled. Your sponsorship stays visible until the end of the paid month."))
    return redirect("billing:mine")


@login_required
@require_POST
def my_pay(request: HttpRequest) -> HttpResponse:
    subscription = _my_subscription(request)
    try:
        services.invoice_pay_open(subscription=subscription)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you, the payment was started."))
    return redirect("billing:mine")


@login_required
def my_payment_method(request: HttpRequest) -> HttpResponse:
    businesses = dict(_managed_businesses(request.user))
    organisation_id = _target_from(request.GET.get("organisation") or request.POST.get("organisation"))
    if organisation_id not in businesses:
        raise Http404
    customer = selectors.customer_get(tenant=_town(request), organisation_id=organisation_id)
    if customer is None or not customer.customer_id:
        raise Http404
    if request.method == "POST":
        try:
            services.payment_method_save(customer=customer, setup_intent_id=request.POST.get("setup_intent", ""))
        except (ValidationError, gateway.GatewayError) as error:
            messages.error(request, getattr(error, "user_message", None) or " ".join(getattr(error, "messages", [])))
        else:
            messages.success(request, _("Your payment details were updated."))
        return redirect("billing:mine")
    return _payment_page(request, customer=customer,
                         action=f"{reverse('billing:mine-payment-method')}?organisation={organisation_id}",
                         title=_("Update payment details"), summary={})


def _managed_clubs(user: Any) -> list[tuple[int, str]]:
    """The clubs (every organisation but businesses) of this town the user manages."""
    from town.models import MembershipRole, Organisation, OrganisationKind

    if not user.is_authenticated:
        return []
    rows = Organisation.objects.filter(memberships__user=user, memberships__role=MembershipRole.MANAGER).exclude(
        kind=OrganisationKind.BUSINESS).values_list("pk", "name")
    return [(int(pk), str(name)) for pk, name in rows]


@login_required
def club_income(request: HttpRequest) -> HttpResponse:
    """A club's managers: what the club's patrons (Vereinspaten) paid it, month by month."""
    clubs = _managed_clubs(request.user)
    if not clubs:
        raise PermissionDenied
    return render(request, "billing/club_income.html", {
        "clubs": clubs,
        "months": selectors.club_income_by_month(tenant=_town(request), club_organisation_ids=[pk for pk, _n in clubs]),
        "club_share": settings.BILLING_CLUB_SHARE_PERCENT,
    })


# --- the town's back office ---------------------------------------------------------------------


@role_required("town_admin")
@sensitive_action()
def backoffice_settings(request: HttpRequest) -> HttpResponse:
    tenant = _town(request)
    current = selectors.sponsorship_settings_get(tenant=tenant)
    rows = selectors.offers_for_settings(tenant=tenant)
    data = request.POST if request.method == "POST" else None
    form = SponsorshipSettingsForm(data, modules=_module_choices_for_settings(), initial={
        "enabled": current.enabled, "excluded_terms": current.excluded_terms,
        "excluded_modules": current.excluded_module_keys,
    })
    offer_forms = [
        (product, OfferForm(data, prefix=product.key, initial={
            "offered": bool(offer and offer.offered),
            "monthly_price": (offer.monthly_net_cents if offer else product.min_monthly_cents) / 100,
            "slots": offer.slots if offer else 1,
        })) for product, offer in rows
    ]
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for _p, f in offer_forms):
            try:
                from django.db import transaction

                with transaction.atomic():
                    before = {
                        "enabled": current.enabled, "excluded_terms": current.excluded_terms,
                        "excluded_modules": current.excluded_module_keys,
                        **{f"offer:{product.key}": _offer_summary(bool(offer and offer.offered),
                                                                  offer.monthly_net_cents if offer else None,
                                                                  offer.slots if offer else None)
                           for product, offer in rows},
                    }
                    services.town_sponsorship_configure(
                        tenant=tenant, enabled=form.cleaned_data["enabled"],
                        excluded_terms=form.cleaned_data["excluded_terms"],
                        excluded_category_ids=current.excluded_category_ids,
                        excluded_module_keys=form.cleaned_data["excluded_modules"],
                    )
                    for product, offer_form in offer_forms:
                        services.town_offer_set(tenant=tenant, product=product,
                                                offered=offer_form.cleaned_data["offered"],
                                                monthly_net_cents=offer_form.monthly_net_cents(),
                                                slots=offer_form.cleaned_data["slots"])
                    audit_record(request.user, "billing.sponsorship_settings",
                                 AuditTarget("billing.settings", "", str(_("Sponsorship"))), before=before, after={
                                     "enabled": form.cleaned_data["enabled"],
                                     "excluded_terms": form.cleaned_data["excluded_terms"],
                                     "excluded_modules": list(form.cleaned_data["excluded_modules"]),
                                     **{f"offer:{product.key}": _offer_summary(
                                         offer_form.cleaned_data["offered"], offer_form.monthly_net_cents(),
                                         offer_form.cleaned_data["slots"]) for product, offer_form in offer_forms},
                                 })
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The sponsorship settings were saved."))
                return redirect("billing:backoffice-settings")
        messages.error(request, _("Nothing was saved. Please correct the marked fields."))
    return render(request, "billing/backoffice_settings.html", {"form": form, "offer_forms": offer_forms},
                  status=400 if request.method == "POST" else 200)


def _offer_summary(offered: bool, monthly_net_cents: int | None, slots: int | None) -> str:
    if not offered:
        return str(_("not offered"))
    return _("%(price)s net per month, %(slots)s places") % {
        "price": f"{(monthly_net_cents or 0) / 100:.2f} €".replace(".", ","), "slots": slots}


@role_required("town_admin")
def backoffice_requests(request: HttpRequest) -> HttpResponse:
    """Businesses that asked the town hall to offer sponsorship: who, when, what they wrote, answered or not."""
    if request.method == "POST":
        request_id = _target_from(request.POST.get("request"))
        if request_id is None:
            raise Http404
        row = services.sponsorship_request_answered(tenant=_town(request), request_id=request_id,
                                                    answered=request.POST.get("answered") == "1")
        messages.success(request, _("%(name)s: marked as answered.") % {"name": row.organisation_name}
                         if row.status == "answered" else
                         _("%(name)s: marked as open again.") % {"name": row.organisation_name})
        return redirect("billing:backoffice-requests")
    return render(request, "billing/backoffice_requests.html", {
        "rows": selectors.sponsorship_requests(tenant=_town(request)),
        "sponsorship_on": selectors.sponsorship_settings_get(tenant=_town(request)).enabled,
    })


@role_required("town_admin")
def backoffice_ledger(request: HttpRequest) -> HttpResponse:
    return render(request, "billing/backoffice_ledger.html", {
        "months": selectors.ledger_by_month(tenant=_town(request)),
        "platform_share": settings.BILLING_PLATFORM_SHARE_PERCENT,
        "club_share": settings.BILLING_CLUB_SHARE_PERCENT,
    })


PLAN_SESSION_KEY = "billing_platform_plan"


def _plan_choices() -> list[tuple[str, str]]:
    from billing.services import gross_from_net
    from billing.templatetags.billing import euro

    plans = Product.objects.filter(kind=ProductKind.PLATFORM_PLAN, is_active=True).order_by("min_monthly_cents")
    return [(p.key, _("%(name)s: %(gross)s per month incl. VAT")
             % {"name": p.name, "gross": euro(gross_from_net(p.min_monthly_cents, p.vat_rate_percent))})
            for p in plans]


@role_required("town_admin")
@sensitive_action()
def backoffice_plan(request: HttpRequest) -> HttpResponse:
    """The town's own platform plan, paid through the same Stripe machinery as its sponsors."""
    tenant = _town(request)
    current = services.platform_plan_current(tenant=tenant)
    invoices = selectors.invoice_list_for_town_itself(tenant=tenant)
    form = PlanForm(request.POST or None, plans=_plan_choices(),
                    initial={"invoice_name": tenant.name, "invoice_email": getattr(request.user, "email", "")})
    if request.method == "POST" and current is None and form.is_valid():
        data = form.cleaned_data
        try:
            customer = services.customer_ensure(
                tenant=tenant, organisation_id=None, name=data["invoice_name"], email=data["invoice_email"],
                address_line=data["address_line"], postal_code=data["postal_code"], city=data["city"],
            )
        except gateway.GatewayError as error:
            form.add_error(None, error.user_message)
        else:
            request.session[PLAN_SESSION_KEY] = data["plan"]
            return _payment_page(request, customer=customer, action=reverse("billing:backoffice-plan-confirm"),
                                 title=_("Pay the town's plan"), summary={})
    return render(request, "billing/backoffice_plan.html", {"form": form, "current": current, "invoices": invoices},
                  status=400 if request.method == "POST" else 200)


@role_required("town_admin")
@sensitive_action()
@require_POST
def backoffice_plan_confirm(request: HttpRequest) -> HttpResponse:
    tenant = _town(request)
    key = request.session.get(PLAN_SESSION_KEY)
    customer = selectors.town_customer_get(tenant=tenant)
    product = Product.objects.filter(key=key or "", kind=ProductKind.PLATFORM_PLAN).first()
    if customer is None or product is None:
        messages.error(request, _("Your order could not be found. Please start again."))
        return redirect("billing:backoffice-plan")
    try:
        services.payment_method_save(customer=customer, setup_intent_id=request.POST.get("setup_intent", ""))
        services.platform_plan_start(tenant=tenant, customer=customer, product=product)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except gateway.GatewayError as error:
        messages.error(request, error.user_message)
    else:
        audit_record(request.user, "billing.plan_start", AuditTarget("billing.product", product.key, str(product.name)),
                     after={"plan": str(product.name)})
        del request.session[PLAN_SESSION_KEY]
        messages.success(request, _("Thank you! The town's plan is active."))
    return redirect("billing:backoffice-plan")
