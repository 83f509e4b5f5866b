"""What of a signed-in person the Pinnwand's pages depend on (core.audience): whether they wrote anything."""

from __future__ import annotations

from core.audience import AudienceFact

# An author sees their own hidden posts and comments and no "report" or "send a message" on their own:
# their Pinnwand is their own. Everyone who only reads shares it.
WROTE_HERE = AudienceFact(name="board.wrote_here", compute="modules.board.selectors.wrote_here_fact",
                          paths=("/board/", "/api/v1/board/posts/"))
