"""Periodic work fans out to every active town, one task per town (ISOLATION T8)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django_tenants.utils import get_public_schema_name

from core.access import tenant_has_module
from core.tenancy import connection


@shared_task(name="core.fan_out")
def fan_out(task_name: str, module_key: str | None = None) -> int:
    """Enqueue `task_name` once in each active town (that has `module_key` enabled)."""
    from celery import current_app as app
    from django_tenants.utils import get_tenant_model

    count = 0
    # The tenant model (tenants.Municipality) is a core.tenancy.Town; the kernel doesn't import it.
    towns: Any = get_tenant_model()._default_manager.exclude(schema_name=get_public_schema_name())
    for tenant in towns.filter(is_active=True):
        if module_key and not tenant_has_module(module_key, tenant=tenant, fresh=True):
            continue
        connection.set_tenant(tenant)
        try:
            app.send_task(task_name, headers={"_schema_name": tenant.schema_name})
        finally:
            connection.set_schema_to_public()
        count += 1
    return count


def module_task_should_run(module_key: str) -> bool:
    """Inside a town task: False when the town was disabled or the module switched off since enqueueing."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return False
    from django_tenants.utils import get_tenant_model

    towns: Any = get_tenant_model()._default_manager
    if not towns.filter(pk=tenant.pk, is_active=True).exists():
        return False
    return tenant_has_module(module_key, tenant=tenant, fresh=True)


def module_beat_schedule() -> dict[str, dict[str, Any]]:
    """Celery beat entries for every module's PeriodicTask, each fanned out per town."""
    from core.capabilities import declared_by_module
    from core.modules import FeatureModule, PeriodicTask

    return {
        f"{module.spec.key}:{periodic.task}": {
            "task": "core.fan_out",
            "schedule": periodic.every_seconds,
            "args": (periodic.task, module.spec.key),
        }
        for module, periodic in declared_by_module(PeriodicTask)
        if isinstance(module, FeatureModule)
    }


@shared_task(name="core.outbox_sweep")
def outbox_sweep() -> int:
    """Send outbox rows that are still unsent, e.g. because the broker was away (beat, public schema)."""
    from core.outbox import outbox_sweep as sweep

    return sweep()


@shared_task(name="core.town_mail", bind=True, max_retries=8)
def town_mail(self: Any, *, to: str, subject: str, template: str, context: dict[str, Any],
              reply_to: list[str] | None = None) -> bool:
    """A mail queued with core.mail.town_mail_enqueue: once per outbox message, retried while the relay refuses."""
    from core.mail import send_town_mail_or_false
    from core.outbox import deliver_once_or_retry

    return deliver_once_or_retry(self, lambda: send_town_mail_or_false(
        to=to, subject=subject, template=template, context=context, reply_to=reply_to))
