"""What of a signed-in person the groups pages depend on (core.audience): whether they take part anywhere."""

from __future__ import annotations

from core.audience import AudienceFact

# A member sees which groups are theirs, an author their own hidden posts: their groups pages are their
# own. Everyone who only looks around shares them.
TAKES_PART = AudienceFact(name="groups.takes_part", compute="modules.groups.selectors.takes_part_fact",
                          paths=("/groups/", "/api/v1/groups/"))
