"""Extension points between the platform and feature modules.

Receivers living in a feature module are only called for towns that have
that module enabled (pretix's EventPluginSignal). Use these for extension
points, never for business workflows.
"""

from __future__ import annotations

from typing import Any

import django.dispatch

from core.modules import module_of


class TenantModuleSignal(django.dispatch.Signal):
    """Only receivers in modules enabled for `sender` (a town) are called."""

    def send(self, sender: Any, **named: Any) -> list[tuple[Any, Any]]:
        enabled = sender.enabled_module_keys()
        responses = []
        for receiver in self._live_receivers(sender)[0]:
            module = module_of(receiver)
            if module is None or module.spec.key in enabled:
                responses.append((receiver, receiver(signal=self, sender=sender, **named)))
        return responses


town_provisioned = TenantModuleSignal()
"""
Sent inside the new town's schema once provisioning has created its schema,
admin and profile. ``sender`` is the town; ``admin`` is the admin user.
Receivers may seed default data (categories, topics).
"""

content_published = TenantModuleSignal()
"""
Sent by a module when a piece of content becomes public (an article published,
an event announced). ``sender`` is the town, ``kind`` a short string
("news.article"), ``object_id`` the row id, ``ortsgemeinde_ids`` the villages
it targets (empty: the whole town). Notification modules listen here.
"""
