"""The personal part of the conversation list (conversations/_own_list.html): it sees only the request."""

from __future__ import annotations

from typing import Any

from django import template

from modules.conversations.views import own_conversations as listing

register = template.Library()


@register.simple_tag(takes_context=True)
def own_conversations(context: Any) -> dict[str, Any]:
    """The visitor's page of conversations: ``rows``, ``page`` and ``unread_total`` (views.own_conversations)."""
    return listing(context["request"])
