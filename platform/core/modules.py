"""The module contract: how a feature module declares itself to the platform.

A module is a Django app under ``modules/<key>/`` whose AppConfig subclasses
:class:`FeatureModule` and sets ``spec``. The platform finds it, mounts its
URLs under ``/<key>/`` (and its API under ``/api/v1/<key>/``), shows its
navigation, lets each town switch it on and off, and hands what the spec lists
in ``provides`` (capabilities, see core.capabilities) to whoever asks for them.
Read ``modules/README.md`` before writing one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.apps import AppConfig, apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.capabilities import Capability, Fragment, Ref

if TYPE_CHECKING:
    import datetime

    from django_stubs_ext import StrOrPromise


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
    # A static fact of the spec, not a capability: the nav shows it only while the module is on.
    """An entry in the town's main navigation or back-office menu."""

    label: str
    url_name: str  # namespaced, e.g. "news:article-list"
    permission: str | None = None  # a role check name from core.access.ROLE_CHECKS, or "app.codename"
    order: int = 100
    backoffice: bool = False  # True: shown in the back-office menu instead of the site nav


@dataclass(frozen=True)
class HomeWidget(Fragment):
    """What a module contributes to a town's start page.

    ``render(request)`` returns an HTML string (usually render_to_string of
    the module's own template) or "" when it has nothing to show; it must
    filter by the resident's Ortsgemeinde itself.
    """


@dataclass(frozen=True)
class HomePrompt(Fragment):
    """A callout at the top of a signed-in resident's start page ("choose your Ortsgemeinde").

    ``render(request)`` returns HTML or "" when the resident has nothing to do.
    """


@dataclass(frozen=True)
class HeaderItem(Fragment):
    """A small piece of the header's account navigation (e.g. the notifications bell), for signed-in users.

    ``render(request)`` returns HTML or "" (nothing to show for this visitor).
    """


@dataclass(frozen=True)
class PageAside(Fragment):
    """A block every town page shows below its content (e.g. the page's patrons), or "" for none.

    ``render(request)`` is called once per page; keep it to a fixed number of queries.
    """


@dataclass(frozen=True)
class PageBanner(Fragment):
    """A notice at the top of every town page's content (official warnings), or "" for none.

    ``render(request)`` is called once per page, on every page: it must cost a fixed number of
    queries and should cost none while nothing changed (cache per town, forget on change). The
    HTML brings its own landmark and heading (``role="region"`` or ``"alert"``), and says the
    severity in words, never only in colour.
    """


@dataclass(frozen=True)
class BackofficeLink(Capability):
    """An entry of the back office's start menu: a section with a short description."""

    label: StrOrPromise
    url_name: str
    description: StrOrPromise = ""
    permission: str | None = "town_admin"  # a role check name from core.access.ROLE_CHECKS
    order: int = 100


@dataclass(frozen=True)
class PeriodicTask(Capability):
    """Work a module wants done regularly in every town that has it enabled.

    Celery beat runs ``core.fan_out`` every ``every_seconds``, which enqueues
    ``task`` once per active town with the module on; the task itself should
    still begin with ``core.tasks.module_task_should_run(key)``.
    """

    task: str  # registered Celery task name, e.g. "news.publish_due"
    every_seconds: float


@dataclass(frozen=True)
class UrlMount(Capability):
    """A top-level path a module claims besides ``/<key>/`` (Open311's ``open311/v2/``, short links).

    ``urls`` is the dotted path of a URLconf module; its views are switched off with the module
    like the module's own. ``prefix`` has no leading slash and ends with one. Two mounts on the
    same prefix, or a prefix that is a module key or a platform path, fail the contract test.
    """

    prefix: str  # e.g. "open311/v2/"
    urls: str  # e.g. "modules.reports.open311_urls"
    namespace: str = ""  # default: the URLconf's app_name, else "<key>-<prefix>"

    def namespace_for(self, module_key: str) -> str:
        from importlib import import_module

        return (self.namespace or getattr(import_module(self.urls), "app_name", "")
                or f"{module_key}-{self.prefix.strip('/').replace('/', '-')}")


@dataclass(frozen=True)
class SampleObject(Capability):
    """How the isolation suite makes one object of this module in a town.

    ``create()`` runs inside a town's schema and returns the URL kwargs
    (e.g. ``{"slug": "x"}``) that the module's routes take. It covers the
    routes named in ``url_names`` or, when that is empty, every route of the
    module (pages and API) whose parameters are all among the returned keys.
    The suite (tests/isolation/test_routes.py) fails for any route with
    parameters that no sample covers.
    """

    create: Ref  # () -> dict[str, Any]
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
class FeedSource(Capability):
    """What a module contributes to the home feed.

    ``items(request, limit)`` returns at most ``limit`` of the newest items the
    signed-in (or anonymous) visitor may see, filtered to their Ortsgemeinde and
    groups, in a fixed number of queries whatever the number of rows. The
    platform merges all sources by ``published_at``.
    """

    items: Ref  # (request, limit) -> Sequence[FeedItem]


@dataclass(frozen=True)
class ModuleSpec:
    """A module's static facts; everything it offers to others is listed in ``provides``."""

    key: str  # stable identifier stored in the DB; equals the app label; never rename
    name: str
    description: str = ""
    pillar: str = ""  # Kommunikation, Nahversorgung, Mobilität, Verwaltung, Beteiligung
    requires: Sequence[str] = ()  # keys of modules that must be enabled first
    nav: Sequence[NavItem] = ()
    permissions: Sequence[tuple[str, str]] = ()  # (codename, label), also on a model's Meta
    settings_form: type[forms.Form] | None = None
    staff_only: bool = False  # only platform staff may enable it
    enabled_by_default: bool = False  # switched on for newly provisioned towns
    has_api: bool = False  # the module ships an ``api_urls`` module
    # Capabilities (core.capabilities): widgets, feed, tasks, moderated content, promotion slots ...
    provides: Sequence[Capability] = ()


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


# What the app registry held when all_modules/platform_apps last looked (the registry's dict of app
# configs, itself kept so its id is never reused): Django's set_installed_apps swaps that dict.
_registry_memo: tuple[Any, dict[str, FeatureModule], tuple[AppConfig, ...]] | None = None


def _registry() -> tuple[dict[str, FeatureModule], tuple[AppConfig, ...]]:
    global _registry_memo
    apps.check_apps_ready()
    configs = apps.app_configs
    memo = _registry_memo
    if memo is None or memo[0] is not configs:
        found = {app.spec.key: app for app in configs.values() if isinstance(app, FeatureModule)}
        platform = tuple(
            app for app in configs.values() if not isinstance(app, FeatureModule) and hasattr(app, "provides")
        )
        memo = (configs, dict(sorted(found.items())), platform)
        _registry_memo = memo
    return memo[1], memo[2]


def all_modules() -> dict[str, FeatureModule]:
    """Every installed feature module by key, sorted (a new dict: callers may add to it)."""
    return dict(_registry()[0])


# The real all_modules, to tell whether a test replaced it (core.capabilities reads the registry directly then).
ALL_MODULES = all_modules


def registered_modules() -> Mapping[str, FeatureModule]:
    """all_modules() without the copy, for hot paths that only read it (never mutate the result)."""
    return _registry()[0]


def platform_apps() -> tuple[AppConfig, ...]:
    """The installed apps that are not feature modules but provide capabilities (town, billing): always on."""
    return _registry()[1]


def get_module(key: str) -> FeatureModule:
    try:
        return all_modules()[key]
    except KeyError:
        raise LookupError(f"No feature module with key {key!r}") from None


def enabled_module_keys(*, fresh: bool = False) -> frozenset[str]:
    """Keys of the modules switched on in the current town; empty on the public site.

    Works inside a request and in a task under ``schema_context()`` alike (there the
    connection holds only a schema name, and the town is looked up by it).
    """
    from core.tenancy import current_tenant

    tenant = current_tenant()  # under schema_context() it reads the town's row itself
    if tenant is None:
        return frozenset()
    return tenant.enabled_module_keys(fresh=fresh)


def module_of(obj: Any) -> FeatureModule | None:
    """The feature module whose package defines `obj` (a function or class)."""
    module_name = getattr(obj, "__module__", "") or ""
    for module in all_modules().values():
        if module_name == module.name or module_name.startswith(module.name + "."):
            return module
    return None


def module_settings(key: str) -> dict[str, Any]:
    """The current town's settings of module `key`: what it stored, over the settings form's defaults.

    The one way to read a module's settings, the same inside a request and in a task under
    ``schema_context()``. Values are cleaned by the module's ``settings_form``; a stored value the
    form no longer accepts (a limit that was lowered) falls back to that field's default. On the
    public site, or for a module without a form, the defaults (or {}) come back. Stored settings
    are cached per town and forgotten when the town changes them.
    """
    from core.page_cache import per_request
    from core.tenancy import current_tenant

    form_class = get_module(key).spec.settings_form
    tenant = current_tenant()  # under schema_context() it reads the town's row itself
    stored = tenant.module_config(key) if tenant is not None else {}
    if form_class is None:
        return stored
    # Building and validating the form cost a millisecond, and a page may ask several times: the
    # cleaned result is kept for the rest of the request (per town), under the stored values
    # themselves, so settings saved during the request are read anew. A copy: callers may change it.
    fingerprint = json.dumps(stored, sort_keys=True, default=str)
    return dict(per_request(
        f"module_settings:{key}:{id(form_class)}:{fingerprint}", lambda: _cleaned_settings(form_class, stored)
    ))


def _cleaned_settings(form_class: type[forms.Form], stored: dict[str, Any]) -> dict[str, Any]:
    defaults = {name: field.initial for name, field in form_class.base_fields.items()}
    form = form_class(data={**defaults, **{k: v for k, v in stored.items() if k in defaults and v is not None}})
    form.is_valid()
    cleaned = dict(form.cleaned_data)
    for name in form.errors:
        try:
            cleaned[name] = form_class.base_fields[name].clean(defaults[name])
        except forms.ValidationError:
            cleaned[name] = None  # a required field without a default: the module must cope
    return cleaned
