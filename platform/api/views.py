"""Pages where a signed-in person manages their API tokens, and the API's documentation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import ApiTokenCreateForm
from api.selectors import api_token_get_for_user, api_token_list
from api.services import api_token_create, api_token_revoke
from core.access import role_required


@never_cache
@role_required("authenticated")
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenCreateForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = api_token_create(
                    user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
        if issued is None:
            status = 400
        else:
            form = ApiTokenCreateForm()
    context = {"form": form, "issued": issued, "tokens": api_token_list(user=request.user)}
    # The new secret is in this response only: it must not linger in any cache.
    return render(request, "api/token_list.html", context, status=status)


@role_required("authenticated")
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_get_for_user(user=request.user, token_id=token_id)
    if token is None:
        # Someone else's token or none at all: the same answer (don't reveal which).
        raise Http404
    api_token_revoke(token=token, acting_user=request.user)
    messages.success(request, _("The token “%(name)s” is revoked and can no longer be used.") % {"name": token.name})
    return redirect("api:token-list")
