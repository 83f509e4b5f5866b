"""Personal data of the Schaukasten: none.

``Screen`` holds a screen's name, place, key digest and times, never a person: who registered or signed off
a screen is in the town's audit log (town's provider), and the screen shows only public content.
"""

from __future__ import annotations

from typing import Any


def export(user: Any) -> dict[str, Any]:
    return {}
