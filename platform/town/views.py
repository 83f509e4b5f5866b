"""Town-level pages that are not modules: PWA manifest, icons, service worker, and the
town admin's back office (profile and branding, contact person, legal texts,
Ortsgemeinden, modules). The back office always edits the schema of the host it
is on, so an admin of one town has no handle on another.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST
from PIL import Image, ImageDraw, ImageFont

from accounts.sensitive import sensitive_action
from core.access import may_use_backoffice, role_required
from core.audit import AuditTarget, audit_record
from core.colours import readable_text_on
from core.modules import all_modules, get_module, pillar_label
from core.templatetags.brand import brand_css_url, brand_stylesheet
from tenants.selectors import tenant_enabled_modules, tenant_module_config
from tenants.services import tenant_module_configure, tenant_module_disable, tenant_module_enable
from town.forms import BrandingForm, ContactPersonForm, LegalTextsForm, ModuleToggleForm, OrtsgemeindeForm, SecurityForm
from town.models import Ortsgemeinde
from town.selectors import ortsgemeinde_references, town_profile_get, user_ortsgemeinde_id
from town.services import (
    ortsgemeinde_create,
    ortsgemeinde_delete,
    ortsgemeinde_slug_suggest,
    ortsgemeinde_update,
    town_profile_for_update,
    town_profile_update,
)

ICON_SIZES = (192, 512)

# --- PWA ----------------------------------------------------------------------


def _short_name(name: str) -> str:
    # Home screens show about 12 characters; "Verbandsgemeinde Betzdorf-Gebhardshain" → "VG Betzdorf-…".
    short = name.replace("Verbandsgemeinde ", "VG ")
    for prefix in ("Stadt ", "Gemeinde ", "Ortsgemeinde "):
        if short.startswith(prefix):
            short = short[len(prefix):]
    return short if len(short) <= 12 else short[:11].rstrip(" -") + "…"


@require_GET
@cache_control(max_age=300)
def manifest(request: HttpRequest) -> HttpResponse:
    profile = town_profile_get()
    icons = [
        {"src": reverse("town:icon", args=[size]), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}
        for size in ICON_SIZES
        for purpose in ("any", "maskable")
    ]
    data = {
        "id": "/",
        "name": profile.name,
        "short_name": _short_name(profile.name),
        "description": profile.tagline or _("The digital village of %(name)s") % {"name": profile.name},
        "lang": get_language() or "de",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": profile.primary_colour,
        "icons": icons,
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


def _icon_png(size: int) -> bytes:
    profile = town_profile_get()
    if profile.logo:
        # Coats of arms are drawn for white ground; 60 % keeps them inside the
        # safe circle a "maskable" icon is cropped to.
        canvas = Image.new("RGB", (size, size), "#ffffff")
        try:
            with profile.logo.open("rb") as fh, Image.open(fh) as source:
                logo = source.convert("RGBA")
        except (OSError, ValueError):
            logo = None
        if logo is not None:
            logo.thumbnail((int(size * 0.6), int(size * 0.6)), Image.Resampling.LANCZOS)
            canvas.paste(logo, ((size - logo.width) // 2, (size - logo.height) // 2), logo)
            out = io.BytesIO()
            canvas.save(out, format="PNG")
            return out.getvalue()
    # No (readable) logo: the town's initial on its primary colour.
    canvas = Image.new("RGB", (size, size), profile.primary_colour)
    draw = ImageDraw.Draw(canvas)
    initial = (profile.name.replace("Verbandsgemeinde ", "").replace("Stadt ", "") or "D")[0].upper()
    font = ImageFont.load_default(size=int(size * 0.5))
    box = draw.textbbox((0, 0), initial, font=font)
    position = ((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1])
    draw.text(position, initial, fill=readable_text_on(profile.primary_colour), font=font)
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


@require_GET
@cache_control(max_age=300)
def icon(request: HttpRequest, size: int) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    profile = town_profile_get()
    # Keyed by the profile's last change: a new logo shows at once; the cache key carries the schema.
    stamp = profile.updated_at.timestamp() if profile.updated_at else 0
    key = f"town-icon:{size}:{stamp}"
    png = cache.get(key)
    if png is None:
        png = _icon_png(size)
        cache.set(key, png, 24 * 3600)
    return HttpResponse(png, content_type="image/png")


# How many visited pages a device keeps for reading offline (the service worker drops the oldest).
OFFLINE_PAGES_KEPT = 30
# Pages with personal or administrative content never stay on the device.
OFFLINE_PRIVATE_PREFIXES = ("/accounts/", "/konto/", "/backoffice/", "/api/", "/conversations/", "/notifications/")


@require_GET
@cache_control(max_age=365 * 24 * 3600, immutable=True)
def brand_css(request: HttpRequest) -> HttpResponse:
    """The town's colours as CSS variables; pages link it with ?v=<colours> (core.templatetags.brand)."""
    profile = town_profile_get()
    return HttpResponse(brand_stylesheet(profile.primary_colour, profile.accent_colour), content_type="text/css")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "town/sw.js", {
        "offline_url": reverse("town:offline"),
        "offline_css": static("core/site.css"),
        # The town's colours too (a versioned style sheet since the CSP forbids inline styles).
        "offline_brand_css": brand_css_url(town_profile_get()),
        "pwa_js": static("core/pwa.js"),
        "logout_path": reverse("account_logout"),
        "max_pages": OFFLINE_PAGES_KEPT,
        "private_prefixes": OFFLINE_PRIVATE_PREFIXES,
    }, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page this device doesn't hold while there is no connection.

    Kept by the service worker at install, so it names nobody and shows no sign-in state.
    """
    return render(request, "town/offline.html", {"profile": town_profile_get()})


# --- back office: who gets in, what the menu shows ------------------------------


def backoffice_member_required(view: Callable) -> Callable:
    """Admins, moderators and editors; anyone else signed in gets 403, anonymous users the login."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_use_backoffice(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _render_backoffice(request: HttpRequest, template: str, context: dict | None = None,
                       status: int = 200) -> HttpResponse:
    return render(request, template, context or {}, status=status)


@backoffice_member_required
def backoffice(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.user.is_town_admin:
        profile = town_profile_get()
        enabled = tenant_enabled_modules(tenant=request.tenant)
        context["checklist"] = [
            (_("Logo or coat of arms"), bool(profile.logo), "town:backoffice-branding"),
            (_("Header image for the start page"), bool(profile.header_image), "town:backoffice-branding"),
            (_("Contact person"), bool(profile.contact_name), "town:backoffice-contact"),
            (_("Legal notice (Impressum)"), bool(profile.impressum.strip()), "town:backoffice-legal"),
            (_("Privacy policy"), bool(profile.privacy_policy.strip()), "town:backoffice-legal"),
            (_("Ortsgemeinden"), Ortsgemeinde.objects.exists(), "town:ortsgemeinde-list"),
            (_("At least one module switched on"), bool(enabled), "town:module-list"),
        ]
        context["checklist_done"] = all(done for _label, done, _url in context["checklist"])
    return _render_backoffice(request, "town/backoffice/index.html", context)


# --- profile, contact person, legal texts ----------------------------------------


def _profile_form_view(request: HttpRequest, *, form_class: type, template: str, saved: str,
                       extra: dict[str, Any] | None = None) -> HttpResponse:
    profile = town_profile_for_update()
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            try:
                town_profile_update(profile=form.instance, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, saved)
                return redirect(request.path)
        messages.error(request, _("Nothing was saved. Please correct the marked fields."))
        status = 400
    else:
        form = form_class(instance=profile)
        status = 200
    return _render_backoffice(request, template, {"form": form, "profile": profile, **(extra or {})}, status=status)


@role_required("town_admin")
def backoffice_branding(request: HttpRequest) -> HttpResponse:
    return _profile_form_view(request, form_class=BrandingForm, template="town/backoffice/branding.html",
                              saved=_("The town profile was saved. Every page shows it now."))


@role_required("town_admin")
def backoffice_contact(request: HttpRequest) -> HttpResponse:
    return _profile_form_view(request, form_class=ContactPersonForm, template="town/backoffice/contact.html",
                              saved=_("The contact person was saved."))


@role_required("town_admin")
def backoffice_legal(request: HttpRequest) -> HttpResponse:
    field = request.POST.get("insert_template", "") if request.method == "POST" else ""
    if field:
        return _legal_template_insert(request, field)
    return _profile_form_view(request, form_class=LegalTextsForm, template="town/backoffice/legal.html",
                              saved=_("The legal texts were saved and are published."))


@role_required("town_admin")
@sensitive_action()
def backoffice_security(request: HttpRequest) -> HttpResponse:
    return _profile_form_view(request, form_class=SecurityForm, template="town/backoffice/security.html",
                              saved=_("The sign-in settings were saved."),
                              extra={"mfa_grace_days": settings.MFA_GRACE_DAYS})
def _legal_template_insert(request: HttpRequest, field: str) -> HttpResponse:
    """Put the filled-in template into one empty field of the form; nothing is saved, nothing overwritten."""
    from town.legal_templates import LEGAL_FIELDS, legal_template

    if field not in LEGAL_FIELDS:
        raise Http404
    profile = town_profile_for_update()
    typed = {name: request.POST.get(name, "") for name in LEGAL_FIELDS}
    if typed[field].strip():
        messages.error(request, _("The field already has a text, so the template was not inserted. "
                                  "Empty the field first if you want to start from the template."))
    else:
        typed[field] = legal_template(field)
        messages.info(request, _("The template was inserted but not saved yet. Fill in the places marked "
                                 "[bitte ergänzen …], check the text, then save."))
    form = LegalTextsForm(instance=profile, initial=typed)
    return _render_backoffice(request, "town/backoffice/legal.html", {"form": form, "profile": profile})


# --- Ortsgemeinden ---------------------------------------------------------------


@role_required("town_admin")
def ortsgemeinde_list(request: HttpRequest) -> HttpResponse:
    return _render_backoffice(request, "town/backoffice/ortsgemeinde_list.html",
                              {"ortsgemeinden": Ortsgemeinde.objects.order_by("name")})


def _ortsgemeinde_form_view(request: HttpRequest, ortsgemeinde: Ortsgemeinde | None) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = OrtsgemeindeForm(request.POST, request.FILES, instance=ortsgemeinde)
        if form.is_valid():
            try:
                if ortsgemeinde is None:
                    saved = ortsgemeinde_create(acting_user=request.user, **form.cleaned_data)
                else:
                    saved = ortsgemeinde_update(ortsgemeinde=form.instance, acting_user=request.user,
                                                **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
                return redirect("town:ortsgemeinde-list")
        status = 400
    else:
        form = OrtsgemeindeForm(instance=ortsgemeinde)
    return _render_backoffice(request, "town/backoffice/ortsgemeinde_form.html",
                              {"form": form, "ortsgemeinde": ortsgemeinde}, status=status)


@role_required("town_admin")
def ortsgemeinde_add(request: HttpRequest) -> HttpResponse:
    return _ortsgemeinde_form_view(request, None)


@role_required("town_admin")
def ortsgemeinde_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _ortsgemeinde_form_view(request, get_object_or_404(Ortsgemeinde, pk=pk))


@role_required("town_admin")
def ortsgemeinde_remove(request: HttpRequest, pk: int) -> HttpResponse:
    ortsgemeinde = get_object_or_404(Ortsgemeinde, pk=pk)
    references = ortsgemeinde_references(ortsgemeinde)
    blocked = any(ref["effect"] == "block" for ref in references)
    if request.method == "POST" and not blocked:
        name = ortsgemeinde.name
        try:
            ortsgemeinde_delete(ortsgemeinde=ortsgemeinde, acting_user=request.user)
        except ProtectedError:
            blocked = True
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
            return redirect("town:ortsgemeinde-list")
    return _render_backoffice(request, "town/backoffice/ortsgemeinde_delete.html",
                              {"ortsgemeinde": ortsgemeinde, "references": references, "blocked": blocked},
                              status=409 if blocked and request.method == "POST" else 200)


@role_required("town_admin")
@require_GET
def ortsgemeinde_slug(request: HttpRequest) -> JsonResponse:
    """The slug the form would derive from a name; the page's script fills it in while typing."""
    name = request.GET.get("name", "")[:120].strip()
    exclude = request.GET.get("exclude", "")
    exclude_pk = int(exclude) if exclude.isdigit() else None
    return JsonResponse({"slug": ortsgemeinde_slug_suggest(name, exclude_pk=exclude_pk) if name else ""})


# --- modules ---------------------------------------------------------------------


def _module_rows(request: HttpRequest) -> list[dict]:
    modules = all_modules()
    enabled = tenant_enabled_modules(tenant=request.tenant, fresh=True)
    rows = []
    for key, module in modules.items():
        spec = module.spec
        rows.append({
            "key": key,
            "spec": spec,
            "enabled": key in enabled,
            "requires": [{"name": modules[r].spec.name if r in modules else r, "enabled": r in enabled}
                         for r in spec.requires],
            "dependants": [m.spec.name for k, m in modules.items() if key in m.spec.requires],
            "enabled_dependants": [m.spec.name for k, m in modules.items() if key in m.spec.requires and k in enabled],
            "missing": [modules[r].spec.name if r in modules else r for r in spec.requires if r not in enabled],
        })
    return rows


@role_required("town_admin")
def module_list(request: HttpRequest) -> HttpResponse:
    rows = _module_rows(request)
    pillars: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda r: (str(r["spec"].pillar or "~"), str(r["spec"].name))):
        pillars.setdefault(pillar_label(row["spec"].pillar) if row["spec"].pillar else _("Other"), []).append(row)
    return _render_backoffice(request, "town/backoffice/module_list.html", {"pillars": pillars})


@role_required("town_admin")
@sensitive_action()
@require_POST
def module_toggle(request: HttpRequest, key: str) -> HttpResponse:
    try:
        spec = get_module(key).spec
    except LookupError:
        raise Http404 from None
    form = ModuleToggleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to switch the module on or off."))
        return redirect("town:module-list")
    try:
        if form.cleaned_data["action"] == "enable":
            with transaction.atomic():
                tenant_module_enable(tenant=request.tenant, key=key)
                audit_record(request.user, "module.enable", AuditTarget("module", key, str(spec.name)),
                             before={"enabled": False}, after={"enabled": True})
            messages.success(request, _("“%(name)s” is switched on.") % {"name": spec.name})
        else:
            with transaction.atomic():
                tenant_module_disable(tenant=request.tenant, key=key)
                audit_record(request.user, "module.disable", AuditTarget("module", key, str(spec.name)),
                             before={"enabled": True}, after={"enabled": False})
            messages.success(request, _("“%(name)s” is switched off. Its content is kept for when you switch it on "
                                        "again.") % {"name": spec.name})
    except ValidationError as error:
        messages.error(request, _("“%(name)s” was not changed: %(reason)s")
                       % {"name": spec.name, "reason": " ".join(error.messages)})
    return redirect(f"{reverse('town:module-list')}#module-{key}")


@role_required("town_admin")
@sensitive_action()
def module_settings(request: HttpRequest, key: str) -> HttpResponse:
    try:
        spec = get_module(key).spec
    except LookupError:
        raise Http404 from None
    if spec.settings_form is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = spec.settings_form(data=request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    before = tenant_module_config(tenant=request.tenant, key=key) or {}
                    row = tenant_module_configure(tenant=request.tenant, key=key, data=request.POST)
                    audit_record(request.user, "module.configure", AuditTarget("module", key, str(spec.name)),
                                 before=before, after=row.config)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The settings of “%(name)s” were saved.") % {"name": spec.name})
                return redirect("town:module-list")
        status = 400
    else:
        stored = tenant_module_config(tenant=request.tenant, key=key)
        form = spec.settings_form(initial=stored or None)
    return _render_backoffice(request, "town/backoffice/module_settings.html",
                              {"form": form, "spec": spec, "key": key,
                               "enabled": key in tenant_enabled_modules(tenant=request.tenant, fresh=True)},
                              status=status)


def ortsgemeinde_prompt(request: HttpRequest) -> str:
    """The start page asks a resident of a town with villages who hasn't chosen theirs yet (a HomePrompt)."""
    if user_ortsgemeinde_id(request.user) is not None or not Ortsgemeinde.objects.exists():
        return ""
    return render_to_string("town/_choose_ortsgemeinde.html", request=request)
