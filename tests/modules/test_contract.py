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
from core.capabilities import Capability, declared, module_capabilities, resolve
from core.modules import FeatureModule, PeriodicTask, all_modules
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
    assert on_disk == {m.label for m in MODULES}


@pytest.mark.parametrize("module", MODULES, ids=_ids)
def test_key_matches_label_and_is_a_tenant_app(module):
    assert module.spec.key == module.label
    assert module.name == f"modules.{module.label}"
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
    for path in (MODULES_DIR / module.label).rglob("*.py"):
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
