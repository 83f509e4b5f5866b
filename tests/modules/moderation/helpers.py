"""Helpers for the moderation tests: switching the module off behind the UI's back, a fake reportable kind."""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from modules.moderation.capabilities import ContentSummary, ModeratedContent


def moderation_switch_off(town) -> None:
    """The module off in ``town``, even while board, groups or messages (which require it) are on.

    tenants.services.tenant_module_disable refuses that; a town can't get there through the UI, but
    the module must still behave when it is off (e.g. a task queued before the switch).
    """
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.models import TenantModule
    from tenants.selectors import forget_enabled_modules

    with schema_context("public"):
        TenantModule.objects.filter(tenant_id=town.pk, key="moderation").update(is_enabled=False)
    forget_enabled_modules(town.pk)
    town._enabled_modules = None
    if getattr(connection, "tenant", None) is not None and connection.tenant.pk == town.pk:
        connection.tenant._enabled_modules = None


@dataclass
class FakeNote:
    author_id: int | None
    text: str
    hidden: bool = False


@dataclass
class FakeKind:
    """Content that lives in a dict: what the test's module "owns"."""

    notes: dict[int, FakeNote] = field(default_factory=dict)
    calls: list[tuple] = field(default_factory=list)
    private: dict[int, set[int]] = field(default_factory=dict)  # note pk -> ids of the only people who see it

    def add(self, pk: int, *, author: User | None, text: str = "Kaufen Sie billige Uhren!") -> int:
        self.notes[pk] = FakeNote(author_id=author.pk if author else None, text=text)
        return pk

    def get(self, pk: int) -> ContentSummary | None:
        note = self.notes.get(pk)
        if note is None:
            return None
        return ContentSummary(author_id=note.author_id, excerpt=note.text, url=f"/notizen/{pk}/", is_hidden=note.hidden)

    def set_hidden(self, pk: int, hidden: bool) -> None:
        self.calls.append(("set_hidden", pk, hidden))
        self.notes[pk].hidden = hidden

    def delete(self, pk: int) -> None:
        self.calls.append(("delete", pk))
        del self.notes[pk]

    def visible_to(self, pk: int, user) -> bool:
        return pk not in self.private or user.pk in self.private[pk]

    def spec(self) -> ModeratedContent:
        return ModeratedContent(kind="test.note", label="Testnotiz", get=self.get, set_hidden=self.set_hidden,
                                delete=self.delete, visible_to=self.visible_to)
