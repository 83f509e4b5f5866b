"""Pages about people: my account, the back office's people and organisations, invitations,
and the public organisation directory."""

from __future__ import annotations

import json

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import INVITATION_SESSION_KEY, AccountProfileForm
from accounts.models import Role, User
from accounts.sensitive import sensitive_action
from accounts.services import account_profile_update
from core.access import role_required, tenant_has_module
from core.branding import town_url
from core.capabilities import fragments
from town.capabilities import OrganisationSection
from town.models import Invitation, Organisation, OrganisationKind, OrganisationMembership
from town.people_forms import (
    InvitationForm,
    MemberAddForm,
    OrganisationForm,
    PeopleSearchForm,
    RoleChangeForm,
)
from town.people_selectors import (
    active_admin_count,
    invitation_get_by_token,
    invitation_get_open,
    invitation_list_open,
    memberships_of,
    organisation_followed_by,
    organisation_get_public,
    organisation_list_public,
    organisation_members,
    organisations_followed,
    organisations_managed_by,
    people_list,
    village_editors,
    village_roles_of,
)
from town.people_services import (
    InvitationInvalid,
    after_invitation_url,
    invitation_accept,
    invitation_check,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    organisation_create,
    organisation_delete,
    organisation_follow,
    organisation_member_add,
    organisation_member_remove,
    organisation_unfollow,
    organisation_update,
    user_can_manage_members,
    user_can_publish_for,
    user_deactivate,
    user_reactivate,
    user_role_change,
)
from town.residency_selectors import residency_of, residency_policy_get
from town.residency_services import residency_set_by_town_hall

# --- my account ---------------------------------------------------------------


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    profile = getattr(user, "resident_profile", None)
    initial = {"name": user.name, "ortsgemeinde": profile.ortsgemeinde_id if profile else None}
    form = AccountProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        account_profile_update(user=user, name=form.cleaned_data["name"],
                               ortsgemeinde=form.cleaned_data.get("ortsgemeinde"))
        messages.success(request, _("Your details have been saved."))
        return redirect("town:account")
    from allauth.mfa.utils import is_mfa_enabled

    from accounts.bounce_selectors import email_undeliverable
    from core.modules import enabled_module_keys

    enabled = enabled_module_keys()
    return render(request, "town/people/account.html", {
        "form": form,
        "memberships": memberships_of(user),
        "followed": list(organisations_followed(user)),
        "village_roles": village_roles_of(user),
        "news_url": reverse("news:article-create") if "news" in enabled else "",
        "notices_url": reverse("alerts:manage") if "alerts" in enabled else "",
        "mfa_enabled": is_mfa_enabled(user),
        # Bounced for good (accounts.bounce_services): the banner asks to check the address.
        "mail_undeliverable": email_undeliverable(user.email),
    })


# --- invitations (the invitee's side) ------------------------------------------


def _invitation_problem(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "town/people/invitation_invalid.html", {"reason": reason}, status=status)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link from an invitation mail. The token only exists in the inviting town's schema,
    so a link opened on another town's host finds nothing (ISOLATION T4)."""
    found = invitation_get_by_token(token)
    if found is None:
        return _invitation_problem(request, "unknown", 404)
    try:
        invitation_check(found)
    except InvitationInvalid as problem:
        return _invitation_problem(request, problem.reason, 410)

    user = request.user
    context: dict = {"invitation": found}
    if user.is_authenticated:
        if user.email.lower() != found.email.lower():
            context["wrong_account"] = True
            return render(request, "town/people/invitation.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_accept(invitation=found, user=user)
            except InvitationInvalid as problem:
                return _invitation_problem(request, problem.reason, 410)
            messages.success(request, _("Welcome! You are now %(role)s.") % {"role": found.get_role_display()})
            return redirect(after_invitation_url(found))
        return render(request, "town/people/invitation.html", context)

    if request.method == "POST":
        raise PermissionDenied
    if User.objects.filter(email__iexact=found.email).exists():
        # They have an account: sign in, then come back here to accept.
        context["login_url"] = f"{reverse('account_login')}?next={reverse('town:invitation', args=[token])}"
        return render(request, "town/people/invitation.html", context)
    # New here: the invitation mail proved the address, so the signup needs no
    # further confirmation; the token is redeemed when the account is created.
    request.session[INVITATION_SESSION_KEY] = found.token
    get_adapter(request).stash_verified_email(request, found.email)
    context["signup_url"] = reverse("account_signup")
    return render(request, "town/people/invitation.html", context)


# --- back office: people -------------------------------------------------------


@role_required("town_admin")
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    search = PeopleSearchForm(request.GET or None)
    query = role = ""
    if search.is_valid():
        query, role = search.cleaned_data["q"], search.cleaned_data["role"]
    page = Paginator(people_list(query=query, role=role), 50).get_page(request.GET.get("page"))
    return render(request, "town/people/list.html", {
        "search": search,
        "page": page,
        "invitations": invitation_list_open(),
        "village_editors": village_editors(),
        "query_string": _query_without_page(request),
    })


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@role_required("town_admin")
@sensitive_action()
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    role_form = RoleChangeForm(initial={"role": target.role})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "role":
                role_form = RoleChangeForm(request.POST)
                if role_form.is_valid():
                    user_role_change(user=target, role=role_form.cleaned_data["role"], acting_user=request.user)
                    messages.success(request, _("The role of %(name)s has been changed.") % {"name": target})
                    return redirect("town:person", pk=target.pk)
            elif action == "deactivate":
                user_deactivate(user=target, acting_user=request.user)
                messages.success(request, _("%(name)s can no longer sign in.") % {"name": target})
                return redirect("town:person", pk=target.pk)
            elif action in ("residency-confirm", "residency-withdraw"):
                residency_set_by_town_hall(acting_user=request.user, user=target,
                                           confirmed=action == "residency-confirm",
                                           reason=request.POST.get("reason", ""))
                messages.success(request, _("Saved."))
                return redirect("town:person", pk=target.pk)
            elif action == "reactivate":
                user_reactivate(user=target, acting_user=request.user)
                messages.success(request, _("%(name)s can sign in again.") % {"name": target})
                return redirect("town:person", pk=target.pk)
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            target.refresh_from_db()
    profile = getattr(target, "resident_profile", None)
    return render(request, "town/people/person.html", {
        "target": target,
        "profile": profile,
        "role_form": role_form,
        "memberships": target.memberships.select_related("organisation").order_by("organisation__name"),
        "is_last_admin": target.role == Role.ADMIN and target.is_active and active_admin_count() <= 1,
        "residency_policy": residency_policy_get(),
        "residency": residency_of(target),
    })


@role_required("town_admin")
@sensitive_action()
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None, initial={"organisation": request.GET.get("organisation")})
    if request.method == "POST" and form.is_valid():
        try:
            sent = invitation_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data.get("organisation"),
                ortsgemeinde=form.cleaned_data.get("ortsgemeinde"),
                new_organisation_name=form.cleaned_data.get("new_organisation_name") or "",
                new_organisation_kind=form.cleaned_data.get("new_organisation_kind") or OrganisationKind.VEREIN,
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation has been sent to %(email)s.") % {"email": sent.email})
            if sent.organisation_id:
                return redirect("town:organisation-admin-members", slug=sent.organisation.slug)
            return redirect("town:people")
    return render(request, "town/people/invite.html", {"form": form})


def _resend(request: HttpRequest, found: Invitation) -> None:
    try:
        invitation_resend(invitation=found, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation has been sent again to %(email)s.") % {"email": found.email})


@role_required("town_admin")
@require_POST
def invitation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Invitation, pk=pk, accepted_at__isnull=True)
    invitation_revoke(invitation=found, acting_user=request.user)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": found.email})
    return redirect("town:people")


@role_required("town_admin")
@require_POST
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = invitation_get_open(pk)
    if found is None:
        raise Http404
    _resend(request, found)
    return redirect("town:people")


def _organisation_invitation(request: HttpRequest, slug: str, pk: int) -> Invitation:
    from town.models import Organisation

    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can_manage_members(request.user, organisation):
        raise PermissionDenied
    found = invitation_get_open(pk, organisation=organisation)
    if found is None:
        raise Http404
    return found


@role_required("authenticated")
@require_POST
def organisation_invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _resend(request, _organisation_invitation(request, slug, pk))
    return redirect("town:organisation-admin-members", slug=slug)


@role_required("authenticated")
@require_POST
def organisation_invitation_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _organisation_invitation(request, slug, pk)
    invitation_revoke(invitation=found, acting_user=request.user)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": found.email})
    return redirect("town:organisation-admin-members", slug=slug)


# --- back office: organisations ---------------------------------------------------


@role_required("authenticated")
@require_GET
def organisation_admin_list(request: HttpRequest) -> HttpResponse:
    organisations = organisations_managed_by(request.user)
    if not request.user.is_town_admin and not organisations.exists():
        raise PermissionDenied
    return render(request, "town/organisations/admin_list.html", {"organisations": organisations})


def _organisation_form_page(request: HttpRequest, organisation=None) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if fields["logo"] is False:  # "clear" ticked on the file input
            fields["logo"] = ""
        elif fields["logo"] is None:
            fields.pop("logo")
        try:
            if organisation is None:
                saved = organisation_create(acting_user=request.user, **fields)
                messages.success(request, _("The organisation %(name)s has been created.") % {"name": saved})
            else:
                saved = organisation_update(organisation=organisation, acting_user=request.user, **fields)
                messages.success(request, _("Your changes have been saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("town:organisation-admin-list")
    return render(request, "town/organisations/form.html", {"form": form, "organisation": organisation})


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def organisation_admin_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form_page(request)


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def organisation_admin_edit(request: HttpRequest, slug: str) -> HttpResponse:
    from town.models import Organisation

    return _organisation_form_page(request, get_object_or_404(Organisation, slug=slug))


@role_required("town_admin")
@require_http_methods(["GET", "POST"])
def organisation_admin_delete(request: HttpRequest, slug: str) -> HttpResponse:
    from town.models import Organisation

    organisation = get_object_or_404(Organisation, slug=slug)
    if request.method == "POST":
        try:
            organisation_delete(organisation=organisation, acting_user=request.user)
        except ProtectedError:
            # A module may keep rows that must outlive nothing else; say so instead of failing.
            messages.error(
                request, _("%(name)s still has content that must be removed first.") % {"name": organisation}
            )
        else:
            messages.success(request, _("The organisation %(name)s has been deleted.") % {"name": organisation})
            return redirect("town:organisation-admin-list")
    return render(request, "town/organisations/confirm_delete.html", {"organisation": organisation})


@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def organisation_admin_members(request: HttpRequest, slug: str) -> HttpResponse:
    from town.models import Organisation

    organisation = get_object_or_404(Organisation, slug=slug)
    if not user_can_manage_members(request.user, organisation):
        raise PermissionDenied
    form = MemberAddForm(request.POST or None, can_appoint_managers=request.user.is_town_admin)
    if request.method == "POST" and form.is_valid():
        try:
            added = organisation_member_add(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if isinstance(added, Invitation):
                messages.success(request, _("%(email)s has no account yet and has been invited by e-mail.")
                                 % {"email": added.email})
            else:
                messages.success(request, _("%(name)s is now a member.") % {"name": added.user})
            return redirect("town:organisation-admin-members", slug=organisation.slug)
    return render(request, "town/organisations/members.html", {
        "organisation": organisation,
        "members": organisation_members(organisation),
        "invitations": invitation_list_open(organisation=organisation),
        "form": form,
    })


@role_required("authenticated")
@require_POST
def organisation_admin_member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("organisation", "user"), pk=pk, organisation__slug=slug
    )
    if not user_can_manage_members(request.user, membership.organisation):
        raise PermissionDenied
    try:
        organisation_member_remove(membership=membership, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
    return redirect("town:organisation-admin-members", slug=slug)


# --- public organisation directory --------------------------------------------------


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("art", "")
    if kind not in OrganisationKind.values:
        kind = ""
    return render(request, "town/organisations/list.html", {
        "organisations": organisation_list_public(kind=kind).select_related("ortsgemeinde"),
        "kinds": OrganisationKind.choices,
        "kind": kind,
    })


def _json_ld(data: dict) -> str:
    # Same escaping as Django's json_script: nothing in the data can close the <script>.
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above


def organisation_json_ld(organisation) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": town_url(reverse("town:organisation", args=[organisation.slug])),
    }
    if organisation.description:
        data["description"] = organisation.description
    if organisation.logo:
        data["logo"] = town_url(organisation.logo.url)
    if organisation.website:
        data["sameAs"] = [organisation.website]
    if organisation.email:
        data["email"] = organisation.email
    if organisation.phone:
        data["telephone"] = organisation.phone
    if organisation.ortsgemeinde_id:
        data["address"] = {"@type": "PostalAddress", "addressLocality": organisation.ortsgemeinde.name}
    return data


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_get_public(slug)
    if organisation is None:
        raise Http404
    return _organisation_page(request, organisation)


def _organisation_page(request: HttpRequest, organisation: Organisation, status: int = 200) -> HttpResponse:
    return render(request, "town/organisations/detail.html", {
        "organisation": organisation,
        "json_ld": _json_ld(organisation_json_ld(organisation)),
        "sections": fragments(OrganisationSection, request, organisation),
        "can_manage": user_can_manage_members(request.user, organisation),
        "can_publish": user_can_publish_for(request.user, organisation),
        # Following means hearing of its news and events: offered while the town has notifications.
        "can_follow": organisation.is_approved and tenant_has_module("notifications"),
        "following": organisation_followed_by(organisation, request.user),
    }, status=status)


@role_required("authenticated")
@require_POST
def organisation_follow_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow (action=follow) or stop following (action=unfollow) a club or organisation."""
    organisation = organisation_get_public(slug)
    if organisation is None or not tenant_has_module("notifications"):
        raise Http404
    action = request.POST.get("action")
    if action not in ("follow", "unfollow"):  # a POST without the button's field changes nothing
        messages.error(request, _("Please use the button on the organisation's page."))
        return _organisation_page(request, organisation, status=400)
    if action == "unfollow":
        organisation_unfollow(organisation=organisation, acting_user=request.user)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": organisation.name})
    else:
        try:
            organisation_follow(organisation=organisation, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You follow %(name)s: you will hear of its new events and news.")
                             % {"name": organisation.name})
    return redirect("town:organisation", slug=organisation.slug)
