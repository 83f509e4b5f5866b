"""How a module declares its taxonomy: which model, who may change it, what its pages say."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.taxonomy.models import Term

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TaxonomyTexts:
    """What the back-office page and its messages say. German grammar differs per noun, so whole sentences."""

    title: StrOrPromise
    intro: StrOrPromise = ""
    empty: StrOrPromise = _("No categories yet.")
    add_heading: StrOrPromise = _("Add a category")
    added: StrOrPromise = _("The category is added.")
    renamed: StrOrPromise = _("The category is renamed.")
    deleted: StrOrPromise = _("The category is deleted.")
    moved: StrOrPromise = _("The order is saved.")
    exists: StrOrPromise = _("This category exists already.")
    not_allowed: StrOrPromise = _("Only town administrators can change the categories.")
    # ngettext_lazy(..., "count") with %(name)s and %(count)d; only used by delete_rule="refuse".
    in_use: Any = ngettext_lazy(
        "“%(name)s” can't be deleted: %(count)d entry uses it.",
        "“%(name)s” can't be deleted: %(count)d entries use it.",
        "count",
    )
    # ngettext_lazy(..., "count") with %(count)d: how many rows use a term, shown next to it.
    usage: Any = ngettext_lazy("%(count)d entry", "%(count)d entries", "count")


TOPIC_TEXTS = {
    "empty": _("No topics yet."),
    "add_heading": _("Add a topic"),
    "added": _("The topic is added."),
    "renamed": _("The topic is renamed."),
    "deleted": _("The topic is deleted."),
    "exists": _("This topic exists already."),
}


@dataclass(frozen=True)
class Taxonomy:
    """One module's categories (or topics). The module declares it once and mounts ``taxonomy_urls`` with it.

    ``app_name`` and ``noun`` make the URL names ``<app_name>:<noun>-manage``,
    ``-rename``, ``-delete`` and ``-reorder`` under ``path``. ``role`` is a
    core.access role (``town_admin``, ``moderator``) for the pages and the
    services. ``used_by`` is the related name of the rows that use a term
    (``"articles"``): the page shows their number, and ``delete_rule`` says what
    happens to them: ``"detach"`` (they stay, without the term: the foreign key's
    SET_NULL or the M2M link goes) or ``"refuse"`` (a term in use can't be
    deleted, with ``texts.in_use`` as the reason). ``defaults`` are seeded the
    first time the module is switched on: names, or ``(slug, name)`` pairs.
    """

    model: type[Term]
    app_name: str
    noun: str
    path: str
    role: str
    texts: TaxonomyTexts
    used_by: str
    delete_rule: Literal["detach", "refuse"] = "detach"
    defaults: Sequence[str | tuple[str, str]] = ()
    fallback_slug: str = "kategorie"
    # Called after a rename inside the same transaction, e.g. to refresh a search index that holds the name.
    on_rename: Callable[[Term], None] | None = None
    # The status of the page when a new name is refused. 400 is right; two modules answered 200 before the
    # taxonomy was shared and their tests (and any client relying on it) still expect that.
    invalid_status: int = 400

    def url_name(self, action: str) -> str:
        return f"{self.app_name}:{self.noun}-{action}"
