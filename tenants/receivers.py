"""Keep the cached host→town lookup in step with the domain and town rows, and migration state with schemas."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.signals import schema_pre_migration
from django_tenants.utils import schema_context

from core.page_cache import visitor_pages_bump
from tenants.models import Domain, Municipality, TenantModule
from tenants.schema_migrations import schema_state_forget
from tenants.selectors import forget_enabled_modules, forget_primary_domain, forget_tenant_lookup


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender: type[Domain], instance: Domain, **kwargs: Any) -> None:
    forget_tenant_lookup(instance.domain)
    forget_primary_domain(instance.tenant_id)
    if kwargs["signal"] is post_save:
        _visitor_pages_forget(_schema_of(instance.tenant_id))


@receiver([post_save, post_delete], sender=Municipality)
def municipality_changed(sender: type[Municipality], instance: Municipality, **kwargs: Any) -> None:
    for domain in Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True):
        forget_tenant_lookup(domain)
    if kwargs["signal"] is post_save:
        _visitor_pages_forget(instance.schema_name)


@receiver([post_save, post_delete], sender=TenantModule)
def module_switched(sender: type[TenantModule], instance: TenantModule, **kwargs: Any) -> None:
    forget_enabled_modules(instance.tenant_id)
    if kwargs["signal"] is post_save:
        _visitor_pages_forget(_schema_of(instance.tenant_id))


def _schema_of(tenant_id: int) -> str | None:
    return Municipality.objects.filter(pk=tenant_id).values_list("schema_name", flat=True).first()


def _visitor_pages_forget(schema_name: str | None) -> None:
    # The town's name, addresses, modules and module settings live in the public schema, yet every
    # page of the town shows them: its anonymous visitors' cached pages (core.visitor_pages) must go.
    # Not on delete: a town being removed gets its cache keys dropped, and must not get a new one.
    if schema_name:
        with schema_context(schema_name):
            visitor_pages_bump()


@receiver(schema_pre_migration)
def schema_migration_starting(sender: Any, schema_name: str, **kwargs: Any) -> None:
    # migrate_schemas is about to change this schema (forwards or back): its state row would vouch
    # for records that may no longer be there, so `migrate_towns` looks at them again.
    schema_state_forget(schema_name)
