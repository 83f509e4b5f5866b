"""Keep the cached host→town lookup in step with the domain and town rows."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Municipality, TenantModule
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
