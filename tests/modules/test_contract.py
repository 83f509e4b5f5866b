"""The module contract, checked over every feature module (pretix's test_plugins, adapted).

A new module under modules/ is picked up by these tests without editing them.
See modules/README.md for the contract itself.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

import core.signals
from core.access import ROLE_CHECKS
from core.capabilities import Capability, declared, declared_by_module, module_capabilities, resolve
from core.modules import FeatureModule, PeriodicTask, UrlMount, all_modules
from core.search import SearchProvider
from modules.moderation.capabilities import ModeratedContent

MODULES = list(all_modules().values())
PILLARS = {"Kommunikation", "Nahversorgung", "Mobilität", "Verwaltung", "Beteiligung"}
MODULES_DIR = Path(settings.BASE_DIR) / "modules"


def _ids(module: FeatureModule) -> str:
    return module.spec.key


def test_there_is_at_least_one_module():
    assert MODULES


def test_every_modules_folder_is_registered():
    on_disk = {p.name for p in MODULES_DIR.iterdir() if (p / "apps.py").exists()}
    assert on_disk == {m.label for m in MODULES if m.name.startswith("modules.")}


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_key_matches_label_and_is_a_tenant_app(module):
    assert module.spec.key == module.label
    # Under modules/ the folder is the key; a module installed from elsewhere (tests/probe) names its own package.
    assert module.name == f"modules.{module.label}" or not module.name.startswith("modules.")
    assert module.name in settings.TENANT_APPS
    assert module.name not in settings.SHARED_APPS  # its tables live in every town's schema


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_spec_is_complete(module):
    spec = module.spec
    assert str(spec.name).strip() and str(spec.description).strip()
    assert spec.pillar in PILLARS, f"pillar {spec.pillar!r} is not one of {sorted(PILLARS)}"
    assert set(spec.requires) <= set(all_modules()) - {spec.key}, "requires names unknown modules (or itself)"
    if spec.settings_form is not None:
        assert issubclass(spec.settings_form, forms.Form)
    for capability in spec.provides:
        assert isinstance(capability, Capability), f"{capability!r} is not a core.capabilities.Capability"
        assert dataclasses.is_dataclass(capability) and capability.__dataclass_params__.frozen
        # Every callable or dotted path on it imports and is callable (a typo fails here, not in production).
        for field in dataclasses.fields(capability):
            value = getattr(capability, field.name)
            if isinstance(value, str) and field.type in ("Ref", "Ref | None"):
                assert callable(resolve(value)), f"{spec.key}: {field.name}={value!r}"
            elif field.type in ("Ref", "Ref | None") and value is not None:
                assert callable(value), f"{spec.key}: {field.name}"
    for content in module_capabilities(module, ModeratedContent):
        # The kind is stored in moderation rows: it must name its module and never collide.
        assert content.kind.startswith(f"{spec.key}."), content.kind
        assert str(content.label).strip()


def test_moderated_content_kinds_are_unique():
    kinds = [content.kind for content in declared(ModeratedContent)]
    assert len(kinds) == len(set(kinds))


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_urls_and_api_are_where_the_platform_looks(module):
    urls = importlib.import_module(f"{module.name}.urls")
    assert urls.app_name == module.label
    has_api_urls = importlib.util.find_spec(f"{module.name}.api_urls") is not None
    assert module.spec.has_api == has_api_urls, "has_api must say whether api_urls.py exists"


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_nav_items_resolve_and_name_known_permissions(module):
    for item in module.spec.nav:
        assert reverse(item.url_name)
        assert item.url_name.startswith(f"{module.label}:")
        if item.permission is not None and item.permission not in ROLE_CHECKS:
            app_label, _, codename = item.permission.partition(".")
            declared = {c for c, _label in module.spec.permissions}
            assert app_label == module.label and codename in declared, item.permission


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_spec_permissions_match_model_meta(module):
    on_models = {
        codename
        for model in apps.get_app_config(module.label).get_models()
        for codename, _label in model._meta.permissions
    }
    assert {codename for codename, _label in module.spec.permissions} == on_models


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_no_foreign_key_into_the_public_schema(module):
    """Town tables store public-schema ids, never FKs, so a town's schema can move to another node."""
    shared_only = {a.rpartition(".")[2] for a in settings.SHARED_APPS if a not in settings.TENANT_APPS}
    for model in apps.get_app_config(module.label).get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None and field.concrete:
                assert field.related_model._meta.app_label not in shared_only, f"{model.__name__}.{field.name}"


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_tasks_are_named_after_the_module(module):
    """Task names are the beat schedule's and fan_out's keys: `<key>.<what>`."""
    if importlib.util.find_spec(f"{module.name}.tasks") is None:
        pytest.skip("no tasks")
    tasks = importlib.import_module(f"{module.name}.tasks")
    found = [obj for obj in vars(tasks).values() if hasattr(obj, "delay") and obj.__module__ == tasks.__name__]
    assert found
    for task in found:
        assert task.name.startswith(f"{module.label}."), task.name


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_periodic_tasks_are_scheduled_through_fan_out(module):
    """A periodic module task must run once per town, never once in the public schema (ISOLATION T8)."""
    from config.celery import app
    from core.tasks import module_beat_schedule

    schedule = module_beat_schedule()
    for periodic in module_capabilities(module, PeriodicTask):
        assert periodic.task in app.tasks, f"{periodic.task} is not a registered task"
        entry = schedule[f"{module.label}:{periodic.task}"]
        assert entry["task"] == "core.fan_out"
        assert tuple(entry["args"]) == (periodic.task, module.label), "fan_out must skip towns with the module off"
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert not entry["task"].startswith(f"{module.label}."), "declare PeriodicTask on the spec instead"


def test_migrations_are_complete(db):
    call_command("makemigrations", *[m.label for m in MODULES], "--check", "--dry-run", verbosity=0)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_modules_talk_to_each_other_only_through_facades(module):
    for path in Path(module.path).rglob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "modules" and len(parts) > 1 and parts[1] not in (module.label, "__init__"):
                assert len(parts) >= 3 and parts[2] in ("facade", "capabilities"), f"{path}: imports {name}"


def test_tenants_and_billing_never_import_modules():
    root = Path(settings.BASE_DIR)
    for folder in ("tenants", "billing"):
        for path in (root / folder).rglob("*.py"):
            assert not any(n == "modules" or n.startswith("modules.") for n in _imports(path)), path


def _signal_docs(path: Path) -> dict[str, bool]:
    """Signal name -> whether a docstring follows its assignment (pretix's habit)."""
    body = ast.parse(path.read_text()).body
    found = {}
    for index, node in enumerate(body):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            called = node.value.func
            called_name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if called_name.endswith("Signal"):
                following = body[index + 1] if index + 1 < len(body) else None
                documented = (
                    isinstance(following, ast.Expr)
                    and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)
                    and len(following.value.value.strip()) > 20
                )
                for target in node.targets:
                    found[getattr(target, "id", "?")] = documented
    return found


def test_every_signal_is_documented():
    files = [Path(core.signals.__file__), *MODULES_DIR.glob("*/signals.py")]
    docs = {f"{path.parent.name}.{name}": ok for path in files for name, ok in _signal_docs(path).items()}
    assert "core.content_published" in docs  # the scan really finds signals
    assert [name for name, ok in docs.items() if not ok] == []


def _facade_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module key, imported names) of every `modules.<key>.facade` import in a file ([] names: the facade itself)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if len(parts) == 3 and parts[0] == "modules" and parts[2] == "facade":
                found.append((parts[1], [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if len(parts) == 3 and parts[0] == "modules" and parts[2] == "facade":
                    found.append((parts[1], []))
    return found


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_a_module_using_another_facade_requires_it_or_copes_with_it_being_off(module):
    """Another module may be switched off in a town: declare it in `requires`, or ask whether it is on
    (tenant_has_module("<key>") or the facade's `*_enabled()`), or use only facade functions whose
    docstring promises they do nothing while that module is off."""
    for path in Path(module.path).rglob("*.py"):
        source = path.read_text()
        for other, names in _facade_imports(path):
            if other == module.label or other in module.spec.requires:
                continue
            if f'tenant_has_module("{other}")' in source or any(name.endswith("_enabled") for name in names):
                continue
            facade = importlib.import_module(f"modules.{other}.facade")
            assert names, f"{path}: imports modules.{other}.facade whole without checking that {other} is on"
            for name in names:
                doc = " ".join((getattr(facade, name).__doc__ or "").split())
                assert "module is off" in doc, (
                    f"{path}: {other}.{name} doesn't say what it does while {other} is off; "
                    f"add {other!r} to requires or check {other}_enabled()"
                )


def _platform_first_segments() -> set[str]:
    """The first path segment of every route on a town's host that no feature module mounts."""
    from django.urls import URLPattern, URLResolver, get_resolver

    module_namespaces = set(all_modules()) | {f"{key}-api" for key in all_modules()}
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if entry.namespace in module_namespaces or (entry.namespace or "").split("-")[0] in all_modules():
                    continue
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.strip("^/"):
                found.add(route.lstrip("^").split("/")[0] + "/")

    walk(get_resolver(settings.ROOT_URLCONF).url_patterns, "")
    return found


def test_url_mounts_claim_distinct_top_level_paths():
    """A module's extra top-level paths (UrlMount) never collide with each other, with a module's
    /<key>/ or with the platform's own paths."""
    module_prefixes = {f"{key.replace('_', '-')}/" for key in all_modules()}
    platform_prefixes = _platform_first_segments()
    assert {"konto/", "backoffice/", "accounts/"} <= platform_prefixes  # the walk really finds the platform's paths
    seen: set[str] = set()
    for _app, mount in declared_by_module(UrlMount):
        first = mount.prefix.split("/")[0] + "/"
        assert mount.prefix.endswith("/") and not mount.prefix.startswith("/"), mount.prefix
        assert mount.prefix not in seen, f"{mount.prefix} is claimed twice"
        assert first not in module_prefixes, f"{mount.prefix} is a module's own path"
        assert first not in platform_prefixes, f"{mount.prefix} is a platform path"
        seen.add(mount.prefix)


# --- every provided capability is exercised -------------------------------------------------------
# One exerciser per kind: it calls the capability the way its consumer does and checks the answer's
# shape. A new kind without an exerciser fails test_every_kind_has_an_exerciser.


def _request(town, user=None):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory(HTTP_HOST=f"{town.slug}.{settings.BASE_DOMAIN}").get("/")
    request.user = user or AnonymousUser()
    request.tenant = town
    request.session = {}
    return request


def _renders_html(capability, town, resident, *extra):
    for user in (None, resident):
        html = resolve(capability.render)(_request(town, user), *extra)
        assert isinstance(html, str)


def _exercise_feed(capability, town, resident):
    from core.modules import FeedItem

    items = resolve(capability.items)(_request(town, resident), 3)
    assert len(items) <= 3 and all(isinstance(item, FeedItem) for item in items)


def _exercise_screen_content(capability, town, resident):
    from modules.display.capabilities import NEWS, WARNINGS, ScreenItem

    items = resolve(capability.items)(None, 3)
    assert all(isinstance(item, ScreenItem) and item.section in (NEWS, WARNINGS) for item in items)


def _exercise_week_posts(capability, town, resident):
    import datetime

    from django.utils import timezone

    from town.capabilities import WeekPost

    now = timezone.now()
    items = resolve(capability.items)(2**62, now - datetime.timedelta(days=7), now)  # an organisation that isn't
    assert items == [] or all(isinstance(item, WeekPost) for item in items)


def _exercise_moderated(capability, town, resident):
    resolved = capability.resolved()
    assert resolved.get(2**62) is None  # content that doesn't exist
    if resolved.visible_to is not None:
        assert resolved.visible_to(2**62, resident) in (False, True)


def _exercise_announced(capability, town, resident):
    assert resolve(capability.announcement)(2**62) is None  # nothing published under that id


def _exercise_organisation_section(capability, town, resident):
    from town.models import Organisation

    organisation = Organisation.objects.create(name="Prüfverein", slug="pruefverein", is_approved=True)
    _renders_html(capability, town, resident, organisation)


def _exercise_topic(capability, town, resident):
    assert capability.key and str(capability.label).strip() and str(capability.description).strip()


def _exercise_periodic(capability, town, resident):
    from config.celery import app

    app.loader.import_default_modules()  # the tasks modules, as a worker loads them
    assert capability.task in app.tasks and capability.every_seconds > 0


def _exercise_url_mount(capability, town, resident):
    from django.urls import get_resolver

    key = next(m.spec.key for m in MODULES if capability in m.spec.provides)
    assert importlib.import_module(capability.urls).urlpatterns
    assert capability.namespace_for(key) in get_resolver(settings.ROOT_URLCONF).namespace_dict  # mounted


def _exercise_sample(capability, town, resident):
    values = resolve(capability.create)()
    assert isinstance(values, dict) and values


def _exercise_audience_fact(capability, town, resident):
    """A resident who did nothing in the module shares its pages: a short answer, not None; paths of its own."""
    from core.capabilities import call

    module = next(m for m in MODULES if capability in m.spec.provides)
    assert capability.name.startswith(f"{module.spec.key}."), capability.name
    assert capability.paths and all(path.startswith((f"/{module.spec.key}/", f"/api/v1/{module.spec.key}/"))
                                    for path in capability.paths), capability.paths
    answer = call(capability.compute, resident)
    assert isinstance(answer, str) and len(answer) <= 40, answer


def _exercise_personal_pages(capability, town, resident):
    """Only the module's own addresses, never a whole section of the site."""
    module = next(m for m in MODULES if capability in m.spec.provides)
    assert capability.paths and all(path.startswith((f"/{module.spec.key}/", f"/api/v1/{module.spec.key}/"))
                                    for path in capability.paths), capability.paths


def _exercise_backoffice_link(capability, town, resident):
    assert reverse(capability.url_name)


def _exercise_audit_actions(capability, town, resident):
    # Keys are "<area>.<verb>"; each has a German label for the audit log's filter and CSV.
    from django.utils import translation

    with translation.override("de"):
        for key, label in capability.labels.items():
            assert "." in key and len(key) <= 60, key
            assert str(label) and str(label) != key, key


def _exercise_promotion_slot(capability, town, resident):
    from billing.promotions import promotion_slot

    assert promotion_slot(capability.key) == capability and capability.max_entries >= 1


def _exercise_personal_data(capability, town, resident):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    json.dumps(resolve(capability.export)(resident), cls=DjangoJSONEncoder)  # the rest: the personal-data tests


def _exercise_bulletin_source(capability, town, resident):
    import datetime

    from django.utils import timezone

    from modules.bulletin.capabilities import BulletinCandidate

    now = timezone.now()
    items = resolve(capability.items)(now - datetime.timedelta(days=7), now)
    assert all(isinstance(item, BulletinCandidate) and item.uid and item.title for item in items)


def _exercisers() -> dict[type, object]:
    from billing.facade import PromotionSlot
    from core.audience import AudienceFact, PersonalPages
    from core.audit import AuditActions
    from core.calendar import CalendarSource
    from core.maps import MapLayer
    from core.modules import (
        BackofficeLink,
        FeedSource,
        HeaderItem,
        HomePrompt,
        HomeWidget,
        PageAside,
        PageBanner,
        SampleObject,
    )
    from core.personal_data import PersonalData
    from core.search import SearchProvider
    from modules.bulletin.capabilities import BulletinSource
    from modules.display.capabilities import ScreenContent
    from modules.notifications.capabilities import AnnouncedContent, NotificationTopic
    from tests.core.test_map_contract import exercise_map_layer
    from town.capabilities import CockpitSection, OrganisationSection, OrganisationWeekPosts

    return {
        HomeWidget: _renders_html, HomePrompt: _renders_html, HeaderItem: _renders_html, PageAside: _renders_html,
        PageBanner: _renders_html,
        FeedSource: _exercise_feed, ModeratedContent: _exercise_moderated, AnnouncedContent: _exercise_announced,
        OrganisationSection: _exercise_organisation_section, NotificationTopic: _exercise_topic,
        PeriodicTask: _exercise_periodic, UrlMount: _exercise_url_mount, SampleObject: _exercise_sample,
        BackofficeLink: _exercise_backoffice_link, PromotionSlot: _exercise_promotion_slot,
        PersonalData: _exercise_personal_data, CalendarSource: _exercise_calendar_source,
        SearchProvider: _exercise_search_provider, MapLayer: exercise_map_layer,
        AuditActions: _exercise_audit_actions, ScreenContent: _exercise_screen_content,
        OrganisationWeekPosts: _exercise_week_posts,
        BulletinSource: _exercise_bulletin_source, CockpitSection: _renders_html,
        AudienceFact: _exercise_audience_fact, PersonalPages: _exercise_personal_pages,
    }


_PROVIDED = [
    pytest.param(module, capability, id=f"{module.spec.key}-{type(capability).__name__}-{index}")
    for module in MODULES for index, capability in enumerate(module.spec.provides)
]


def test_every_kind_has_an_exerciser():
    kinds = {type(capability) for module in MODULES for capability in module.spec.provides}
    missing = sorted(kind.kind_label or kind.__name__ for kind in kinds - set(_exercisers()))
    assert missing == [], "add an exerciser for these kinds below"


@pytest.mark.parametrize(("module", "capability"), _PROVIDED)
def test_every_provided_capability_is_exercised(module, capability, in_town_a):
    from accounts.models import User

    resident = User.objects.create_user(email="pruefung@example.org", name="Paula Prüfer", password=None)
    exerciser = _exercisers().get(type(capability))
    if exerciser is None:
        pytest.fail(f"no exerciser for {type(capability).__name__}")
    exerciser(capability, in_town_a, resident)


# --- personal data (core.personal_data) -------------------------------------------------------------

# Third-party apps whose tables point at a person (allauth's addresses, second factors and sessions), and the
# provider that exports and erases them for them.
_USER_TABLES_OF_LIBRARIES = {"account": "account", "mfa": "account", "usersessions": "account"}


def _points_at_a_person(model) -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return any(
        field.is_relation and field.concrete and field.related_model is user_model
        for field in model._meta.get_fields()
    )


def test_every_app_with_a_table_pointing_at_a_person_provides_personal_data():
    """A new module with a foreign key to the user model fails here until it says how to export and erase."""
    from core.personal_data import PersonalData

    keys = {provider.key for provider in declared(PersonalData)}
    pointing = [app for app in apps.get_app_configs() if any(_points_at_a_person(m) for m in app.get_models())]
    assert {"board", "town", "api", "account", "mfa"} <= {app.label for app in pointing}  # the scan finds them
    missing = [
        app.label for app in pointing
        if not (module_capabilities(app, PersonalData) or _USER_TABLES_OF_LIBRARIES.get(app.label) in keys)
    ]
    assert missing == []
    assert {"account", "town", "api", "billing", *(m.label for m in MODULES)} <= {
        provider.key for provider in declared(PersonalData)
    }


def test_personal_data_keys_are_unique():
    from core.personal_data import PersonalData

    keys = [provider.key for provider in declared(PersonalData)]
    assert len(keys) == len(set(keys))


@pytest.mark.django_db
def test_every_personal_data_provider_exports_json_and_erases(in_town_a):
    """Each provider runs on a person with no content: its export is JSON, its erasure runs in the one transaction."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from core.capabilities import call
    from core.personal_data import PersonalData, personal_data_erase
    from tests.core.personal_data_helpers import person

    user = person("vertrag@example.org", "Vera Vertrag")
    for provider in declared(PersonalData):
        data = call(provider.export, user)
        assert isinstance(data, dict), provider.key
        json.dumps(data, cls=DjangoJSONEncoder)
        assert all(isinstance(name, str) for name in data.get("files", [])), provider.key
    assert set(personal_data_erase(user)) == {p.key for p in declared(PersonalData) if p.erase is not None}


def _exercise_calendar_source(capability, town, resident):
    """A CalendarSource (core.calendar) answers the way the feeds call it: CalendarEntry objects, dated."""
    import datetime
    import re

    from core.calendar import CalendarEntry, feed_window

    assert re.fullmatch(r"[a-z0-9-]+", capability.key), capability.key  # it is in feed URLs and UIDs
    assert str(capability.label).strip()
    assert capability.entries is not None or capability.personal_entries is not None, capability.key
    start, end = feed_window()
    answers = []
    if capability.entries is not None:
        answers += list(resolve(capability.entries)(start, end, ortsgemeinde_id=None))
    if capability.personal_entries is not None:
        answers += list(resolve(capability.personal_entries)(resident, start, end))
    assert all(isinstance(entry, CalendarEntry) and isinstance(entry.start, datetime.date) for entry in answers)


def test_calendar_sources_have_distinct_keys_and_each_one_answers(in_town_a):
    # Platform apps (the town's office hours) provide sources too, so this walks every declared one.
    from core.calendar import CalendarSource
    from tests.accounts.factories import UserFactory

    sources = declared(CalendarSource)
    keys = [source.key for source in sources]
    assert "sprechzeiten" in keys and len(keys) == len(set(keys))
    resident = UserFactory()
    for source in sources:
        _exercise_calendar_source(source, in_town_a, resident)
SEARCH_PROVIDERS = [(module, provider) for module, provider in declared_by_module(SearchProvider)]


def test_the_searchable_modules_provide_search():
    assert {module.label for module, _provider in SEARCH_PROVIDERS} >= {
        "news", "board", "directory", "marketplace", "groups"
    }


def _exercise_search_provider(capability, town, resident):
    """Called the way /suche/ calls it, for an anonymous visitor and a resident: SearchResults, at most `limit`."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from core.search import SearchResult

    assert str(capability.label).strip()
    if capability.more_url_name:
        assert reverse(capability.more_url_name)
    for user in (AnonymousUser(), resident):
        request = RequestFactory().get("/suche/", {"q": "Dorf fest"})
        request.user = user
        results = resolve(capability.search)(request, "Dorf fest", 3)
        assert isinstance(results, list) and len(results) <= 3
        assert all(isinstance(result, SearchResult) for result in results)
