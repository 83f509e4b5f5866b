"""Writes to the public schema: creating towns and switching their modules."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists, tenant_context

from core.modules import all_modules, get_module
from tenants.models import Domain, Municipality, TenantModule
from tenants.selectors import tenant_enabled_modules
from tenants.validators import subdomain_validate

logger = logging.getLogger(__name__)


def subdomain_check_available(slug: str) -> None:
    """Raise ValidationError when `slug` is malformed, reserved or already taken."""
    subdomain_validate(slug)
    with schema_context("public"):
        taken = (
            Municipality.objects.filter(slug=slug).exists()
            or Domain.objects.filter(domain=f"{slug}.{settings.BASE_DOMAIN}").exists()
            or schema_exists(Municipality.schema_name_for(slug))
        )
    if taken:
        raise ValidationError(_("The subdomain “%(slug)s” is already taken.") % {"slug": slug}, code="taken")


def town_create(
    *,
    name: str,
    kind: str,
    slug: str,
    admin_name: str,
    admin_email: str,
    admin_password_hash: str | None = None,
    admin_password: str | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Municipality:
    """Create a town: public rows, its own schema, its profile and its first admin.

    All or nothing: if any step fails, everything created so far is removed
    again (ISOLATION T18) and the error is re-raised, so the caller can retry.
    """
    progress = on_progress or (lambda message: None)
    subdomain_check_available(slug)
    schema_name = Municipality.schema_name_for(slug)
    tenant: Municipality | None = None
    try:
        progress(_("Registering the subdomain"))
        with schema_context("public"), transaction.atomic():
            tenant = Municipality.objects.create(schema_name=schema_name, name=name, kind=kind, slug=slug)
            Domain.objects.create(domain=f"{slug}.{settings.BASE_DOMAIN}", tenant=tenant, is_primary=True)
            TenantModule.objects.bulk_create(
                TenantModule(
                    tenant=tenant,
                    key=key,
                    is_enabled=module.spec.enabled_by_default,
                    installed_at=timezone.now() if module.spec.enabled_by_default else None,
                )
                for key, module in all_modules().items()
            )
        progress(_("Creating the database for the town"))
        tenant.create_schema(check_if_exists=True, verbosity=0)
        progress(_("Setting up the administrator and the town profile"))
        with tenant_context(tenant), transaction.atomic():
            _seed_town(tenant, name=name, admin_name=admin_name, admin_email=admin_email,
                       admin_password_hash=admin_password_hash, admin_password=admin_password)
    except Exception:
        logger.exception("provisioning %s failed; removing what was created", slug)
        town_remove_partial(schema_name=schema_name, slug=slug)
        raise
    finally:
        connection.set_schema_to_public()
    progress(_("Done"))
    return tenant


def _seed_town(tenant: Municipality, *, name: str, admin_name: str, admin_email: str,
               admin_password_hash: str | None, admin_password: str | None) -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import Role, User
    from core.signals import town_provisioned
    from town.models import TownProfile

    TownProfile.objects.create(name=name, contact_name=admin_name, contact_email=admin_email)
    admin = User(email=admin_email.lower(), name=admin_name, role=Role.ADMIN)
    if admin_password_hash:
        admin.password = admin_password_hash
    else:
        admin.set_password(admin_password)
    admin.save()
    # The signup already proved the address; the admin needn't confirm it again.
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    for key in tenant_enabled_modules(tenant=tenant, fresh=True):
        get_module(key).installed(tenant)
    town_provisioned.send(sender=tenant, admin=admin)


def town_remove_partial(*, schema_name: str, slug: str) -> None:
    """Remove every trace of a town whose provisioning failed."""
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
    with transaction.atomic():
        Domain.objects.filter(domain=f"{slug}.{settings.BASE_DOMAIN}").delete()
        for tenant in Municipality.objects.filter(schema_name=schema_name):
            TenantModule.objects.filter(tenant=tenant).delete()
            # The schema is gone already; delete the row without django-tenants dropping it again.
            Municipality.objects.filter(pk=tenant.pk).delete()


@transaction.atomic
def tenant_module_enable(*, tenant: Municipality, key: str, config: dict | None = None,
                         by_staff: bool = False) -> TenantModule:
    module = get_module(key)
    spec = module.spec
    if spec.staff_only and not by_staff:
        raise ValidationError(_("Only platform staff can enable this module."))
    missing = set(spec.requires) - tenant_enabled_modules(tenant=tenant, fresh=True)
    if missing:
        names = ", ".join(str(get_module(k).spec.name) for k in sorted(missing))
        raise ValidationError(_("Enable these modules first: %(names)s") % {"names": names})
    with schema_context("public"):
        row, _created = TenantModule.objects.select_for_update().get_or_create(tenant_id=tenant.pk, key=key)
        first_time = row.installed_at is None
        row.is_enabled = True
        if config is not None:
            row.config = config
        if first_time:
            row.installed_at = timezone.now()
        row.save()
    if first_time:
        with tenant_context(tenant):
            module.installed(tenant)
    tenant._enabled_modules = None
    return row


@transaction.atomic
def tenant_module_disable(*, tenant: Municipality, key: str) -> TenantModule:
    """Switch a module off; its data stays for when it comes back (ISOLATION T13)."""
    get_module(key)
    with schema_context("public"):
        dependants = [
            str(m.spec.name) for k, m in all_modules().items()
            if key in m.spec.requires and k in tenant_enabled_modules(tenant=tenant, fresh=True)
        ]
        if dependants:
            raise ValidationError(
                _("These modules need it and must be switched off first: %(names)s")
                % {"names": ", ".join(dependants)}
            )
        row, _created = TenantModule.objects.get_or_create(tenant_id=tenant.pk, key=key)
        row.is_enabled = False
        row.save()
    tenant._enabled_modules = None
    return row


def tenant_module_configure(*, tenant: Municipality, key: str, data: dict) -> TenantModule:
    """Validate `data` with the module's settings form and store the cleaned values."""
    spec = get_module(key).spec
    if spec.settings_form is None:
        raise ValidationError(_("This module has no settings."))
    form = spec.settings_form(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    with schema_context("public"):
        row, _created = TenantModule.objects.get_or_create(tenant_id=tenant.pk, key=key)
        row.config = {k: v for k, v in form.cleaned_data.items()}
        row.save()
    return row
