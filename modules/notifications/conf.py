"""The town's default subscriptions: what a resident gets before they save their own notification settings.

Each topic declares a default (``NotificationTopic.default_on``); a town admin may turn
any topic on or off for the town (stored per town as this module's settings, validated
by ``NotificationDefaultsForm``). A resident's own stored choice always wins over both.
Import-safe before the models load: apps.py names the form on the spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import module_settings
from modules.notifications.capabilities import TOPICS, NotificationTopic
from modules.notifications.topics import URGENT


def configurable_topics() -> list[NotificationTopic]:
    """Every topic a town may switch on or off by default; urgent notices always reach everyone."""
    return [topic for topic in TOPICS.values() if topic.key != URGENT]


def _topic_choices() -> list[tuple[str, Any]]:
    return [(topic.key, topic.label) for topic in configurable_topics()]


def default_from(config: Mapping[str, Any], key: str) -> bool:
    """A topic's default under the stored `config`: the town's choice if it made one, else the topic's own."""
    return _default_of(config, key, TOPICS.get(key))


def _default_of(config: Mapping[str, Any], key: str, topic: NotificationTopic | None) -> bool:
    if topic is None:
        # A topic no module declares ("groups.42"): the caller already chose exactly whom it notifies.
        return True
    if key == URGENT:
        return True
    # "decided" lists the topics the form showed when the town saved it: a topic added later by a
    # newly installed module keeps its own default until the town decides about it.
    if key in (config.get("decided") or ()):
        return key in (config.get("subscribed") or ())
    return topic.default_on


class NotificationDefaultsForm(forms.Form):
    subscribed = forms.MultipleChoiceField(
        label=_("New residents receive"), choices=_topic_choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Applies to every resident who has not changed their own notification settings. "
                    "Residents can always change this for themselves."),
    )
    decided = forms.MultipleChoiceField(choices=_topic_choices, required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = dict(self.initial)
        # Saving decides about every topic on the form, also the ones left as they were.
        topics = configurable_topics()
        self.initial["decided"] = [topic.key for topic in topics]
        self.initial["subscribed"] = [topic.key for topic in topics if _default_of(stored, topic.key, topic)]


def topic_defaults() -> dict[str, bool]:
    """The current town's default for every declared topic (one cached settings read)."""
    config = module_settings("notifications")
    return {key: _default_of(config, key, topic) for key, topic in TOPICS.items()}


def topic_default(key: str) -> bool:
    """Is a resident without a stored choice subscribed to `key` in the current town?"""
    return default_from(module_settings("notifications"), key)
