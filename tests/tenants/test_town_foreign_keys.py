"""A town's tables never point into the public schema (docs/scale-out.md "What must stay true").

On Citus every town is a distributed schema living on one worker, while the public schema stays on the
coordinator. A foreign key from a town table to a public table can't be kept across nodes: Citus refuses
to distribute such a schema (and ``citus_schema_move`` can't move it), unless the public table is a
*reference table*, copied to every node. On one PostgreSQL it works, which is why only this test notices.

A model belongs to the towns when its app is in TENANT_APPS (its table exists in every town's schema,
shared apps like accounts included: their town copy is what a town model's key points at); it is
public-only when its app is in SHARED_APPS alone.
"""

from __future__ import annotations

import sys

from django.apps import apps
from django.conf import settings

# Public models a town model may point at because they are (to be) Citus reference tables: small,
# read-mostly, copied to every node (docs/scale-out.md says how). Empty: no town model needs one today.
REFERENCE_TABLES_ALLOWED: set[str] = set()


def _labels(app_names: list[str]) -> set[str]:
    configs = {config.name: config.label for config in apps.get_app_configs()}
    return {configs[name] for name in app_names if name in configs}


def _keys_into_public() -> list[str]:
    town = _labels(settings.TENANT_APPS)
    public_only = _labels(settings.SHARED_APPS) - town
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in town:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            if not field.concrete and not field.many_to_many:
                continue  # generic relations: no database key
            target = field.related_model._meta
            if target.app_label in public_only and target.label not in REFERENCE_TABLES_ALLOWED:
                found.append(f"{model._meta.label}.{field.name} -> {target.label}")
    return found


def test_no_town_model_has_a_foreign_key_into_the_public_schema():
    assert not _keys_into_public(), (
        "These town models point at public-schema models, which breaks every town on Citus "
        "(docs/scale-out.md): store the id as a plain integer, or make the target a reference table and "
        f"add it to REFERENCE_TABLES_ALLOWED: {_keys_into_public()}"
    )


def test_the_check_sees_a_key_into_the_public_schema(monkeypatch):
    # The contract has teeth: a town model with a key to a town (Municipality) is caught.
    from django.db import models

    from tenants.models import Municipality

    class TownThingForTheContract(models.Model):
        municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)

        class Meta:
            app_label = "town"

        def __str__(self) -> str:
            return "contract probe"

    try:
        assert _keys_into_public() == ["town.TownThingForTheContract.municipality -> tenants.Municipality"]
        monkeypatch.setattr(sys.modules[__name__], "REFERENCE_TABLES_ALLOWED", {"tenants.Municipality"})
        assert _keys_into_public() == []
    finally:
        del apps.all_models["town"]["townthingforthecontract"]
        apps.clear_cache()
