"""A person's data in the Digitallotsen module (core.personal_data).

- Lotse (``user``, ``appointed_by``): being a Lotse is exported; erasure ends it.
- AssistedRegistration (``resident``, ``lotse``): the resident's consent (text, date, note) is exported
  to them; erasing the resident deletes it. A Lotse's erasure only removes their name from it.
- HelpRequest (``user``, ``taken_by``): the requests a person sent are exported and deleted with them;
  a Lotse's erasure only removes them from the requests they looked after.
- AssistedAction (``lotse``, ``resident``): counts for the cockpit; both links are cleared on erasure,
  the count stays (it names nobody then).
"""

from __future__ import annotations

from typing import Any

from modules.lotsen.models import AssistedAction, AssistedRegistration, HelpRequest, Lotse


def export(user: Any) -> dict[str, Any]:
    return {
        "lotse": list(Lotse.objects.filter(user=user).values("ortsgemeinde__name", "where_to_find", "phone",
                                                             "appointed_at")),
        "consent": list(AssistedRegistration.objects.filter(resident=user).values("consent_text", "consent_note",
                                                                                  "consent_at", "code_used_at")),
        "help_requests": list(HelpRequest.objects.filter(user=user).values("topic", "message", "contact",
                                                                           "created_at", "done_at")),
        "people_registered": AssistedRegistration.objects.filter(lotse=user).count(),
    }


def erase(user: Any) -> None:
    Lotse.objects.filter(user=user).delete()
    Lotse.objects.filter(appointed_by=user).update(appointed_by=None)
    AssistedRegistration.objects.filter(resident=user).delete()
    AssistedRegistration.objects.filter(lotse=user).update(lotse=None)
    HelpRequest.objects.filter(user=user).delete()
    HelpRequest.objects.filter(taken_by=user).update(taken_by=None)
    AssistedAction.objects.filter(lotse=user).update(lotse=None)
    AssistedAction.objects.filter(resident=user).update(resident=None)
