"""The resident's registration page: allauth's, with the village preselected when the person came
through a printed invitation (`/r/<code>/`, town.outreach_views)."""

from __future__ import annotations

from typing import Any

from allauth.account.views import SignupView
from django.http import HttpRequest
from django.template.loader import render_to_string

SIGNUP_CODE_SESSION_KEY = "dorfkern_signup_code"


class ResidentSignupView(SignupView):
    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_initial()
        from town.outreach_selectors import signup_code_get

        code = signup_code_get(self.request.session.get(SIGNUP_CODE_SESSION_KEY, ""))
        if code is not None:
            # A Verein's flyer preselects the Verein's village; the person can still change it.
            village = code.ortsgemeinde_id or (code.organisation.ortsgemeinde_id if code.organisation else None)
            if village is not None:
                initial["ortsgemeinde"] = village
        return initial


signup = ResidentSignupView.as_view()


def mfa_banner(request: HttpRequest) -> str:
    """The PageBanner asking someone in their grace period to set up a second factor (accounts.mfa)."""
    grace = getattr(request, "mfa_grace_until", None)
    if grace is None or request.path.startswith("/accounts/"):
        return ""
    return render_to_string("accounts/mfa_banner.html", {"grace_until": grace}, request=request)
