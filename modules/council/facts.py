"""What of a signed-in person the council pages depend on (core.audience): whether they are an insider."""

from __future__ import annotations

from core.audience import AudienceFact

# Current members and town admins see the members-only area and vote: their council pages are their own.
INSIDER = AudienceFact(name="council.insider", compute="modules.council.selectors.insider_fact",
                       paths=("/council/",))
