"""allauth adapter: links in mails point at the town's own domain, mails carry its name."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.db import connection


class TownAccountAdapter(DefaultAccountAdapter):
    def get_from_email(self) -> str:
        from core.branding import sender_address

        return sender_address()

    def format_email_subject(self, subject: str) -> str:
        from core.branding import current_town_name

        name = current_town_name()
        return f"[{name}] {subject}" if name else subject

    def is_open_for_signup(self, request) -> bool:
        # Residents sign up on their town's host; the public site has staff only.
        return connection.schema_name != "public"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.name = form.cleaned_data.get("name", "") or user.name
        if commit:
            user.save()
        return user
