"""The module contract: how a feature module declares itself to the platform.

A module is a Django app under ``modules/<key>/`` whose AppConfig subclasses
:class:`FeatureModule` and sets ``spec``. The platform finds it, mounts its
URLs under ``/<key>/`` (and its API under ``/api/v1/<key>/``), shows its
navigation and home widget, and lets each town switch it on and off.
Read ``modules/README.md`` before writing one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    import datetime

    from django.http import HttpRequest


# The four pillars of a digital village (plus participation), as ModuleSpec.pillar values.
# Specs name them in German; pillar_label() shows them in the reader's language.
PILLAR_LABELS = {
    "Kommunikation": _("Communication"),
    "Nahversorgung": _("Local supply"),
    "Mobilität": _("Mobility"),
    "Verwaltung": _("Town hall services"),
    "Beteiligung": _("Participation"),
}


def pillar_label(pillar: str) -> str:
    return str(PILLAR_LABELS.get(pillar, pillar))


@dataclass(frozen=True)
class NavItem:
    """An entry in the town's main navigation or back-office menu."""

    label: str
    url_name: str  # namespaced, e.g. "news:article-list"
    permission: str | None = None  # a role check name from core.access.ROLE_CHECKS, or "app.codename"
    order: int = 100
    backoffice: bool = False  # True: shown in the back-office menu instead of the site nav


@dataclass(frozen=True)
class HomeWidget:
    """What a module contributes to a town's start page.

    ``render(request)`` returns an HTML string (usually render_to_string of
    the module's own template) or "" when it has nothing to show; it must
    filter by the resident's Ortsgemeinde itself.
    """

    render: Callable[[HttpRequest], str]
    order: int = 100


@dataclass(frozen=True)
class PeriodicTask:
    """Work a module wants done regularly in every town that has it enabled.

    Celery beat runs ``core.fan_out`` every ``every_seconds``, which enqueues
    ``task`` once per active town with the module on; the task itself should
    still begin with ``core.tasks.module_task_should_run(key)``.
    """

    task: str  # registered Celery task name, e.g. "news.publish_due"
    every_seconds: float


@dataclass(frozen=True)
class PromotionSlot:
    """A place in a module's pages where a sponsored entry may appear.

    Billing sells slots; the module renders what ``core.promotions.active_promotions``
    returns for it: labelled "Gesponsert", the same for every visitor, never in
    official news. With nothing sold the list is empty and the slot shows nothing.
    """

    key: str  # "<module key>.<place>", e.g. "directory.category-top"; stored in billing rows, never rename
    label: str  # shown to town admins and on the price list
    description: str = ""
    max_entries: int = 1  # how many sponsored entries the slot shows at most
    target: str = ""  # what a promotion points at inside the slot, e.g. "category" (empty: the slot as a whole)


@dataclass(frozen=True)
class SampleObject:
    """How the isolation suite makes one object of this module in a town.

    ``create()`` runs inside a town's schema and returns the URL kwargs
    (e.g. ``{"slug": "x"}``) that the module's routes take. It covers the
    routes named in ``url_names`` or, when that is empty, every route of the
    module (pages and API) whose parameters are all among the returned keys.
    The suite (tests/isolation/test_routes.py) fails for any route with
    parameters that no sample covers.
    """

    create: Callable[[], dict[str, Any]]
    url_names: Sequence[str] = ()


@dataclass(frozen=True)
class FeedItem:
    """One entry in a resident's home feed (the start page's "Neu in Ihrem Ort").

    Plain text only: the platform escapes and shortens ``summary`` itself.
    """

    published_at: datetime.datetime
    kind_label: str  # where it comes from, e.g. "Pinnwand · Hilfe" or "Gruppe: Lauftreff"
    title: str
    summary: str
    url: str  # path on the town's site
    author: str = ""  # a resident's or organisation's name
    place: str = ""  # the Ortsgemeinde's name, "" for town-wide


@dataclass(frozen=True)
class FeedSource:
    """What a module contributes to the home feed.

    ``items(request, limit)`` returns at most ``limit`` of the newest items the
    signed-in (or anonymous) visitor may see, filtered to their Ortsgemeinde and
    groups, in a fixed number of queries whatever the number of rows. The
    platform merges all sources by ``published_at``.
    """

    items: Callable[[HttpRequest, int], Sequence[FeedItem]]


@dataclass(frozen=True)
class ContentSummary:
    """What the moderators see of one piece of reported content."""

    author_id: int | None  # the town user who wrote it; None when unknown or deleted
    excerpt: str  # plain text, the content as the reporter saw it
    url: str  # path of the content on the town's site ("" when it has no page of its own)
    is_hidden: bool


@dataclass(frozen=True)
class ModeratedContent:
    """A kind of user content that residents can report and the town's moderators act on.

    The moderation module keeps the reports, decisions, statements of reasons and
    the audit log; the module that owns the content only answers these three
    callables, each run inside the town's schema with the content's primary key.
    """

    kind: str  # "<module key>.<thing>", e.g. "board.post"; stored in moderation rows, never rename
    label: str  # shown in the moderation queue, e.g. "Pinnwand-Beitrag"
    get: Callable[[int], ContentSummary | None]  # None when the content no longer exists
    set_hidden: Callable[[int, bool], None]  # True hides it from everyone but its author, False restores it
    delete: Callable[[int], None]
    # May this signed-in user see the content, and so open its report form? None: everyone may. Private
    # content (a conversation's messages) answers False for outsiders; the report page then answers 404.
    visible_to: Callable[[int, Any], bool] | None = None


@dataclass(frozen=True)
class ModuleSpec:
    key: str  # stable identifier stored in the DB; equals the app label; never rename
    name: str
    description: str = ""
    nav: Sequence[NavItem] = ()
    permissions: Sequence[tuple[str, str]] = ()  # (codename, label), also on a model's Meta
    settings_form: type[forms.Form] | None = None
    home_widget: HomeWidget | None = None
    requires: Sequence[str] = ()  # keys of modules that must be enabled first
    staff_only: bool = False  # only platform staff may enable it
    enabled_by_default: bool = False  # switched on for newly provisioned towns
    has_api: bool = False  # the module ships an ``api_urls`` module
    pillar: str = ""  # Kommunikation, Nahversorgung, Mobilität, Verwaltung, Beteiligung
    sample_objects: Sequence[SampleObject] = field(default_factory=tuple)
    periodic_tasks: Sequence[PeriodicTask] = ()
    promotion_slots: Sequence[PromotionSlot] = ()
    feed: FeedSource | None = None  # items for the resident's home feed
    moderated_content: Sequence[ModeratedContent] = ()  # kinds of content residents can report


class FeatureModule(AppConfig):
    spec: ClassVar[ModuleSpec]

    # A module's apps.py sees two AppConfig subclasses (this one, imported,
    # and its own); Django only picks its own automatically if this one says
    # default = False.
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "spec" not in cls.__dict__:
            raise ImproperlyConfigured(f"{cls.__qualname__} must define `spec`")
        cls.default = cls.__dict__.get("default", True)

    def installed(self, tenant: Any) -> None:
        """Called inside the town's schema the first time the module is enabled there."""


def all_modules() -> dict[str, FeatureModule]:
    found = {app.spec.key: app for app in apps.get_app_configs() if isinstance(app, FeatureModule)}
    return dict(sorted(found.items()))


def get_module(key: str) -> FeatureModule:
    try:
        return all_modules()[key]
    except KeyError:
        raise LookupError(f"No feature module with key {key!r}") from None


def moderated_content_kinds() -> dict[str, ModeratedContent]:
    """Every kind of reportable content that some module declares, by ``kind``."""
    return {kind.kind: kind for module in all_modules().values() for kind in module.spec.moderated_content}


def module_of(obj: Any) -> FeatureModule | None:
    """The feature module whose package defines `obj` (a function or class)."""
    module_name = getattr(obj, "__module__", "") or ""
    for module in all_modules().values():
        if module_name == module.name or module_name.startswith(module.name + "."):
            return module
    return None
