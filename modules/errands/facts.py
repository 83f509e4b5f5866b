"""What of a signed-in person the errand list depends on (core.audience): own open requests and blocks."""

from __future__ import annotations

from core.audience import AudienceFact

# The list leaves out the reader's own open requests and people they blocked (or who blocked them): for
# someone with either, the list is their own. Everyone else shares it.
INVOLVED = AudienceFact(name="errands.involved", compute="modules.errands.selectors.involved_fact",
                        paths=("/errands/", "/api/v1/errands/"))
