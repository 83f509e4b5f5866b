"""A changed or reset password ends every API token of that person (issue 17).

Someone who learnt the old password may have created a token with it; the token would outlive the
new password otherwise. The person creates new tokens for their apps afterwards.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from api.services import api_tokens_revoke_all
from core.tenancy import connection


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def revoke_tokens_on_new_password(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if connection.schema_name != "public":  # tokens exist in towns only
        api_tokens_revoke_all(user=user)
