"""{% notifications_link %}: the bell in the site header with the unread count (one query per page)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import connection
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_link(context: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False) or connection.schema_name == "public":
        return ""
    from modules.notifications.facade import notifications_enabled

    if not notifications_enabled():
        return ""
    from modules.notifications.selectors import unread_count

    return render_to_string("notifications/_header_link.html", {
        "unread": unread_count(user=user),
        "active": request.path.startswith("/notifications/"),
    })
