"""Small per-town lists that every visit of a list page reads (filter choices: topics, categories), cached.

A module's filter form offers the same few choices to every visitor, and they change a few
times a year; reading them from the database costs a statement on every page view. A
`CachedList` keeps the rows in the cache and forgets them the moment one of the models it
was built from is saved or deleted (signals), so a town's change shows on the next request.

The key needs no town in it: the cache's KEY_FUNCTION (django_tenants.cache.make_key)
prefixes every key with the current schema, and the signal fires inside the town's schema.
Changes that bypass signals (`QuerySet.update`, raw SQL) are covered by the timeout only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_tenants.utils import schema_context

T = TypeVar("T")

# Long enough to matter, short enough that a change made with QuerySet.update shows within the hour.
TIMEOUT_SECONDS = 3600


class CachedList(Generic[T]):
    """`build()`'s result per town, dropped when a row of `models` is saved or deleted."""

    def __init__(self, name: str, build: Callable[[], list[T]], *, models: tuple[type[Model], ...]) -> None:
        self.key = f"cached-list:{name}"
        self.build = build
        for model in models:
            uid = f"{self.key}:{model._meta.label}"
            post_save.connect(self._forget, sender=model, weak=False, dispatch_uid=f"{uid}:save")
            post_delete.connect(self._forget, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(self._forget, sender=field.remote_field.through, weak=False,
                                    dispatch_uid=f"{uid}:{field.name}")

    def get(self) -> list[T]:
        found = cache.get(self.key)
        if found is None:
            found = self.build()
            cache.set(self.key, found, TIMEOUT_SECONDS)
        return list(found)

    def forget(self) -> None:
        cache.delete(self.key)

    def _forget(self, **kwargs: Any) -> None:
        # Now, and again after the commit (in the same town): a request that refilled the cache in between
        # read the old rows.
        self.forget()
        schema_name = getattr(connection, "schema_name", "public")  # django-tenants adds it

        def forget_in_town() -> None:
            with schema_context(schema_name):
                self.forget()

        transaction.on_commit(forget_in_town)
