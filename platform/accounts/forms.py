"""Forms for residents' accounts: signup on a town's host and the "my account" page."""

from __future__ import annotations

from allauth.account.forms import ChangePasswordForm, ResetPasswordKeyForm, SetPasswordForm, SignupForm
from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.passwords import new_password_help_text
from town.models import Ortsgemeinde

INVITATION_SESSION_KEY = "dorfkern_invitation_token"
# Where an invited editor goes after signing up ("write your first post"), read by the adapter.
AFTER_SIGNUP_SESSION_KEY = "dorfkern_after_signup"


def _ortsgemeinde_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Ortsgemeinde"),
        queryset=Ortsgemeinde.objects.order_by("name"),
        empty_label=_("– please choose –"),
        help_text=_("News and dates from your village are shown first on your start page."),
    )


def _configure_ortsgemeinde(form: forms.Form) -> None:
    # A town without Ortsgemeinden (a Stadt, a single Gemeinde) asks nothing;
    # a Verbandsgemeinde needs to know where the person lives.
    if Ortsgemeinde.objects.exists():
        form.fields["ortsgemeinde"].required = True
    else:
        del form.fields["ortsgemeinde"]


class ResidentSignupForm(SignupForm):
    """allauth's signup form plus name, Ortsgemeinde and consent to the privacy policy."""

    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    ortsgemeinde = _ortsgemeinde_field()
    privacy_consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please agree to the privacy policy to register.")},
    )

    field_order = ["name", "email", "ortsgemeinde", "password1", "privacy_consent"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _configure_ortsgemeinde(self)
        # One password field with a show/hide button (static/accounts/password.js) instead of typing
        # it twice, and kept when something else on the form was wrong: a forgotten tick no longer
        # wipes what the person typed.
        password = self.fields["password1"]
        password.widget.render_value = True
        password.widget.attrs.update({"autocomplete": "new-password", "data-password-toggle": "",
                                      "data-show": _("Show password"), "data-hide": _("Hide password")})
        password.help_text = new_password_help_text()
        from core.branding import current_town_name

        self.fields["privacy_consent"].label = format_html(
            str(_('I have read the <a href="{url}">privacy policy</a> of {town} and agree to it.')),
            url=reverse("privacy"),
            town=current_town_name(),
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        password = cleaned.get("password1")
        if password and "password1" not in self.errors:
            # allauth checks the password against a stand-in user with the address only; the
            # person's name must not make up the password either.
            candidate = User(email=cleaned.get("email") or "", name=cleaned.get("name") or "")
            try:
                password_validation.validate_password(password, user=candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def custom_signup(self, request: HttpRequest, user: User) -> None:
        from allauth.account.adapter import get_adapter

        from accounts.services import resident_signup_complete

        # An invitation link stashes the invited address as already verified.
        # allauth would attach that address to whatever account is created
        # next; only honour it when the person signs up with that very address.
        stashed = request.session.get("account_verified_email")
        if stashed and stashed.lower() != user.email.lower():
            get_adapter(request).unstash_verified_email(request)
        from accounts.views import SIGNUP_CODE_SESSION_KEY

        redeemed = resident_signup_complete(
            user=user,
            ortsgemeinde=self.cleaned_data.get("ortsgemeinde"),
            invitation_token=request.session.pop(INVITATION_SESSION_KEY, None),
            signup_code=request.session.pop(SIGNUP_CODE_SESSION_KEY, None),
        )
        if redeemed is not None:
            from town.people_services import after_invitation_url

            messages.success(request, _("Welcome! You are now %(role)s.") % {"role": redeemed.get_role_display()})
            request.session[AFTER_SIGNUP_SESSION_KEY] = after_invitation_url(redeemed)


class AccountProfileForm(forms.Form):
    """What a person may change about themselves on /konto/."""

    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    ortsgemeinde = _ortsgemeinde_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _configure_ortsgemeinde(self)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


# Changing, setting and resetting a password: the same short hint instead of every validator's rule.
class TownChangePasswordForm(ChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = new_password_help_text()


class TownSetPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = new_password_help_text()


class TownResetPasswordKeyForm(ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = new_password_help_text()
