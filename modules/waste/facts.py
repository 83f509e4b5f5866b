"""What of a signed-in person the waste pages depend on (core.audience): whether they saved their street."""

from __future__ import annotations

from core.audience import AudienceFact

# Someone who saved their street goes straight to its calendar; everyone else shares the street picker.
SAVED_STREET = AudienceFact(name="waste.saved_street", compute="modules.waste.selectors.saved_street_fact",
                            paths=("/waste/",))
