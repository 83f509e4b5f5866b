"""Keep the cached host→town lookup in step with the domain and town rows, and migration state with schemas."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tenants.signals import schema_pre_migration

from tenants.models import Domain, Municipality, TenantModule
from tenants.schema_migrations import schema_state_forget
from tenants.selectors import forget_enabled_modules, forget_primary_domain, forget_tenant_lookup


@receiver([post_save, post_delete], sender=Domain)
def domain_changed(sender: type[Domain], instance: Domain, **kwargs: Any) -> None:
    forget_tenant_lookup(instance.domain)
    forget_primary_domain(instance.tenant_id)


@receiver([post_save, post_delete], sender=Municipality)
def municipality_changed(sender: type[Municipality], instance: Municipality, **kwargs: Any) -> None:
    for domain in Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True):
        forget_tenant_lookup(domain)


@receiver([post_save, post_delete], sender=TenantModule)
def module_switched(sender: type[TenantModule], instance: TenantModule, **kwargs: Any) -> None:
    forget_enabled_modules(instance.tenant_id)


@receiver(schema_pre_migration)
def schema_migration_starting(sender: Any, schema_name: str, **kwargs: Any) -> None:
    # migrate_schemas is about to change this schema (forwards or back): its state row would vouch
    # for records that may no longer be there, so `migrate_towns` looks at them again.
    schema_state_forget(schema_name)
