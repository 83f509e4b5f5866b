"""Which of the messages' addresses are each person's own (core.audience)."""

from __future__ import annotations

from core.audience import PersonalPages

# Every answer of the messages API is one person's own conversations: known before the view runs, so the
# resident page cache neither works out an audience (one statement) nor watches the view. The list page
# /conversations/ is shared: its frame is everyone's, the list a personal part.
PRIVATE = PersonalPages(paths=("/api/v1/conversations/",))
