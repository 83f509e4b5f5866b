"""`Authorization: Token dk_<prefix>_<secret>`: a person's API token in their own town."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.selectors import api_token_find
from api.services import api_token_mark_used
from api.throttling import TokenFailureThrottle


class TownTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if connection.schema_name == "public":
            # Tokens belong to towns; the public site has none to check.
            raise exceptions.AuthenticationFailed(_("API tokens are only valid on their town's address."))
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: send 'Token <your token>'."))
        # An address that sent too many wrong tokens is refused before any lookup (429, Retry-After).
        failures = TokenFailureThrottle(request)
        failures.refuse_if_exhausted()
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            failures.record_failure()
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None

        token = api_token_find(secret=secret)
        # One message for unknown, revoked and expired tokens and for blocked
        # users: a caller learns nothing about which tokens exist.
        if token is None or not token.is_usable or not token.user.is_active:
            failures.record_failure()
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) with a WWW-Authenticate challenge.
        return self.keyword
