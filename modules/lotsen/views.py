"""Pages of the Digitallotsen module. Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import role_required
from core.forms import apply_service_errors
from core.ratelimit import ip_limited
from modules.lotsen import selectors, services
from modules.lotsen.forms import (
    AppointForm,
    EventForForm,
    HelpRequestForm,
    PostForForm,
    ResidentRegisterForm,
    SignInCodeForm,
)


def _lotse_only(request: HttpRequest) -> None:
    if not services.is_lotse(request.user):
        raise PermissionDenied(_("Only the town's Digitallotsen may do this."))


# --- everyone ------------------------------------------------------------------------------------


@ip_limited("lotsen.help", limit=5, period=3600)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """Who the town's Digitallotsen are and where to find them, and “Ich brauche Hilfe mit …”."""
    form = HelpRequestForm(request.POST if request.method == "POST" else None,
                           initial={"name": request.user.get_full_name() if request.user.is_authenticated else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.help_request_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Thank you! A Digitallotse will get in touch with you soon."))
            return redirect("lotsen:index")
    return render(request, "lotsen/index.html", {
        "lotsen": selectors.lotse_list(), "form": form,
        "is_lotse": services.may_handle_help(request.user),
    }, status=400 if form.errors else 200)


def page_aside(request: HttpRequest) -> str:
    """Below every page: where to get help in person (no query)."""
    if request.path.startswith(("/lotsen/", "/backoffice/")):
        return ""
    # Without the request: the aside needs no context processor, and running them all again cost ~1 ms a page.
    return render_to_string("lotsen/_aside.html")


@ip_limited("lotsen.sign_in", limit=10, period=3600)
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign in once with the letter's code, then choose a password. GET only shows the form (a link
    checker or a phone's preview must not use the code up)."""
    form = SignInCodeForm(request.POST if request.method == "POST" else None,
                          initial={"code": request.GET.get("code", "")[:40]})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.sign_in_code_redeem(code=form.cleaned_data["code"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome, %(name)s! Please choose a password now, so you can sign in "
                                        "again without a letter.") % {"name": person.get_short_name()})
            return redirect("account_set_password")
    return render(request, "lotsen/sign_in.html", {"form": form}, status=400 if form.errors else 200)


# --- Lotsen ----------------------------------------------------------------------------------------


@role_required("authenticated")
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    if not services.may_handle_help(request.user):
        raise PermissionDenied(_("Only the town's Digitallotsen may do this."))
    return render(request, "lotsen/workspace.html", {
        "is_lotse": services.is_lotse(request.user),
        "open_requests": selectors.help_requests_open(), "done_requests": selectors.help_requests_done(limit=10),
        "people": selectors.registration_list(),
    })


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register someone in person, with their consent; then print their sign-in letter."""
    _lotse_only(request)
    form = ResidentRegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration, code = services.resident_register(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _letter_response(registration, code)
    return render(request, "lotsen/register.html", {"form": form, "consent_text": services.consent_text()},
                  status=400 if form.errors else 200)


def _registration_or_404(registration_id: int) -> Any:
    registration = selectors.registration_get(registration_id)
    if registration is None:
        raise Http404
    return registration


@role_required("authenticated")
@require_GET
def person(request: HttpRequest, registration_id: int) -> HttpResponse:
    """A person a Lotse registered: their consent, their letter, acting for them. The town hall's admins
    see the page too (the town answers for the consent records), but only Lotsen act for the person."""
    from modules.board.facade import topic_choices
    from modules.events.facade import events_open_for_registration

    registration = _registration_or_404(registration_id)
    if not services.may_handle_help(request.user):
        raise PermissionDenied(_("Only the town's Digitallotsen may do this."))
    acting = services.is_lotse(request.user)
    topics = topic_choices() if acting else []
    events = events_open_for_registration() if acting else []
    return render(request, "lotsen/person.html", {
        "registration": registration, "acting": acting,
        "post_form": PostForForm(topics=topics) if topics else None,
        "event_form": EventForForm(events=events) if events else None,
    })


def _letter_response(registration: Any, code: str) -> HttpResponse:
    from core.branding import town_url
    from core.printing import pdf_response, qr_svg_bytes, render_pdf
    from town.outreach_services import logo_file
    from town.selectors import town_profile_get

    profile = town_profile_get()
    url = town_url(reverse("lotsen:sign-in"))
    display = "-".join(code[i:i + 4] for i in range(0, len(code), 4))
    files = {"qr.svg": qr_svg_bytes(f"{url}?code={code}")}
    data: dict[str, Any] = {
        "document_title": _("Your sign-in letter"), "town": profile.name, "colour": profile.primary_colour,
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "subject": _("Your access to the town's platform"),
        "greeting": _("Dear %(name)s,") % {"name": registration.resident.get_full_name()},
        "paragraphs": [
            _("a Digitallotse of the town has set up your account today, as you wished. With this letter you "
              "sign in for the first time."),
            _("The code works once and for 30 days. Keep the letter safe until you have signed in."),
        ],
        "code_heading": _("Your personal code:"), "display": display, "url": url.split("://", 1)[-1],
        "steps": [_("Scan the QR code with your phone's camera, or type the address above."),
                  _("Type in the code and press “Sign in”."),
                  _("Choose a password you can remember. Next time you sign in with your e-mail address and it.")],
        "closing": _("If anything is unclear, your Digitallotse is glad to help."),
        "footer": _("Personal – please don't pass on"),
    }
    logo = logo_file(profile)
    if logo is not None:
        name, content = logo
        files[name] = content
        data["logo"] = name
    pdf = render_pdf(Path(__file__).parent / "print" / "sign_in_letter.typ", data, files=files)
    return pdf_response(pdf, f"anmeldebrief-{registration.pk}.pdf", download=True)


@role_required("authenticated")
@require_POST
def letter(request: HttpRequest, registration_id: int) -> HttpResponse:
    """A new letter: a new code, and the old one stops working."""
    registration = _registration_or_404(registration_id)  # first: another town's id is simply not here
    _lotse_only(request)
    code = services.letter_reissue(acting_user=request.user, registration=registration)
    return _letter_response(registration, code)


@role_required("authenticated")
@require_POST
def post_for(request: HttpRequest, registration_id: int) -> HttpResponse:
    from modules.board.facade import topic_choices

    registration = _registration_or_404(registration_id)
    _lotse_only(request)
    form = PostForForm(request.POST, topics=topic_choices())
    if form.is_valid():
        try:
            url = services.post_for(acting_user=request.user, resident_id=registration.resident_id,
                                    topic_id=form.cleaned_data["topic"], text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if url:
                messages.success(request, _("The post is on the Pinnwand, marked as typed in by you."))
                return redirect(url)
    else:
        messages.error(request, _("Please choose a topic and write a text."))
    return redirect("lotsen:person", registration_id=registration.pk)


@role_required("authenticated")
@require_POST
def event_for(request: HttpRequest, registration_id: int) -> HttpResponse:
    from modules.events.facade import events_open_for_registration

    registration = _registration_or_404(registration_id)
    _lotse_only(request)
    form = EventForForm(request.POST, events=events_open_for_registration())
    if form.is_valid():
        try:
            status = services.event_register_for(acting_user=request.user, resident_id=registration.resident_id,
                                                 event_id=form.cleaned_data["event"],
                                                 places=form.cleaned_data["places"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": registration.resident}
                             if status == "confirmed" else
                             _("%(name)s is on the waiting list.") % {"name": registration.resident})
    else:
        messages.error(request, _("Please choose an event."))
    return redirect("lotsen:person", registration_id=registration.pk)


def _help_action(request: HttpRequest, request_id: int, action: Any, done: str) -> HttpResponse:
    help_request = selectors.help_request_get(request_id)
    if help_request is None:
        raise Http404
    if not services.may_handle_help(request.user):
        raise PermissionDenied
    try:
        action(acting_user=request.user, help_request=help_request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, done)
    return redirect("lotsen:workspace")


@role_required("authenticated")
@require_POST
def help_take(request: HttpRequest, request_id: int) -> HttpResponse:
    return _help_action(request, request_id, services.help_request_take, _("You look after this request now."))


@role_required("authenticated")
@require_POST
def help_done(request: HttpRequest, request_id: int) -> HttpResponse:
    return _help_action(request, request_id, services.help_request_done, _("Marked as done. Thank you!"))


# --- town hall ----------------------------------------------------------------------------------------


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    form = AppointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            lotse = services.lotse_appoint(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is a Digitallotse now.") % {"name": lotse.user})
            return redirect("lotsen:manage")
    return render(request, "lotsen/manage.html", {
        "form": form, "lotsen": selectors.lotse_list(), "figures": selectors.figures(),
    }, status=400 if form.errors else 200)


@role_required("town_admin")
@require_POST
def remove(request: HttpRequest, lotse_id: int) -> HttpResponse:
    from modules.lotsen.models import Lotse

    lotse = Lotse.objects.select_related("user").filter(pk=lotse_id).first()
    if lotse is None:
        raise Http404
    services.lotse_remove(acting_user=request.user, lotse=lotse)
    messages.success(request, _("%(name)s is no longer a Digitallotse.") % {"name": lotse.user})
    return redirect("lotsen:manage")


def cockpit_section(request: HttpRequest) -> str:
    """The town's cockpit: what the Lotsen did in the last 90 days (counts only)."""
    figures = selectors.figures()
    if not figures.lotsen and not figures.total:
        return ""
    from modules.lotsen.models import AssistKind

    rows = [(label, figures.by_kind[kind]) for kind, label in AssistKind.choices]
    return render_to_string("lotsen/_cockpit.html", {"figures": figures, "rows": rows}, request=request)
