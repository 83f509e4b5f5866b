"""What a module declares to make its content reportable (import-safe before the models load).

    from modules.moderation.capabilities import ModeratedContent

    provides=(ModeratedContent(kind="board.post", label=_("Pinnwand post"),
                               get="modules.board.facade.post_summary", ...),)

The moderation module keeps the reports, decisions, statements of reasons and
the audit log; the module that owns the content only answers these callables,
each run inside the town's schema with the content's primary key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.capabilities import Capability, Ref, resolve


@dataclass(frozen=True)
class ContentSummary:
    """What the moderators see of one piece of reported content."""

    author_id: int | None  # the town user who wrote it; None when unknown or deleted
    excerpt: str  # plain text, the content as the reporter saw it
    url: str  # path of the content on the town's site ("" when it has no page of its own)
    is_hidden: bool


@dataclass(frozen=True)
class ModeratedContent(Capability):
    """A kind of user content that residents can report and the town's moderators act on.

    Each callable may be given as a dotted path; :func:`moderated_content_kinds` hands out
    copies whose callables are imported, so callers write ``kind.get(pk)``.
    """

    kind: str  # "<module key>.<thing>", e.g. "board.post"; stored in moderation rows, never rename
    label: str  # shown in the moderation queue, e.g. "Pinnwand-Beitrag"
    get: Ref  # (pk) -> ContentSummary | None; None when the content no longer exists
    set_hidden: Ref  # (pk, hidden): True hides it from everyone but its author, False restores it
    delete: Ref  # (pk)
    # May this signed-in user see the content, and so open its report form? None: everyone may. Private
    # content (a conversation's messages) answers False for outsiders; the report page then answers 404.
    visible_to: Ref | None = None

    def resolved(self) -> ModeratedContent:
        """This kind with every dotted path imported (call after the app registry is ready)."""
        return replace(
            self, get=resolve(self.get), set_hidden=resolve(self.set_hidden), delete=resolve(self.delete),
            visible_to=resolve(self.visible_to) if self.visible_to is not None else None,
        )


def moderated_content_kinds() -> dict[str, ModeratedContent]:
    """Every kind of reportable content that some installed module declares, by ``kind``."""
    from core.capabilities import declared

    return {kind.kind: kind.resolved() for kind in declared(ModeratedContent)}
