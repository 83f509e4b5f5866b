"""What of a signed-in person the proposals pages depend on (core.audience): their own hidden proposals."""

from __future__ import annotations

from core.audience import AudienceFact

# Moderators' hidden proposals stay listed for their authors: such a person's list is their own.
OWN_HIDDEN = AudienceFact(name="proposals.own_hidden", compute="modules.proposals.selectors.own_hidden_fact",
                          paths=("/proposals/",))
