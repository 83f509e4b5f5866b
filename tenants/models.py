"""The public schema: municipalities, their domains, module switches and signups.

Town tables never point here with a foreign key (they store ids), so a town's
schema can later move to another database node as a whole.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class MunicipalityKind(models.TextChoices):
    VERBANDSGEMEINDE = "verbandsgemeinde", _("Verbandsgemeinde")
    STADT = "stadt", _("Stadt")
    GEMEINDE = "gemeinde", _("Gemeinde")


class Municipality(TenantMixin):
    """A town on the platform: one PostgreSQL schema, one subdomain."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    slug = models.SlugField(_("subdomain"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Leaving the platform (tenants.lifecycle): deactivated at `leaving_since`, deleted for good
    # (schema, files, billing links) by the periodic purge once `delete_after` has passed.
    leaving_since = models.DateTimeField(_("leaving since"), null=True, blank=True)
    delete_after = models.DateTimeField(_("delete after"), null=True, blank=True)
    # The newest export archive (a file name under TOWN_EXPORT_ROOT), offered to staff for download.
    export_archive = models.CharField(max_length=200, blank=True)
    export_requested_at = models.DateTimeField(null=True, blank=True)

    # Provisioning creates the schema itself, inside its own error handling.
    auto_create_schema: ClassVar[bool] = False
    auto_drop_schema: ClassVar[bool] = True
    # Memo of tenants.selectors.tenant_enabled_modules on this instance (one request long); not a field.
    _enabled_modules: frozenset[str] | None

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def enabled_module_keys(self, *, fresh: bool = False) -> frozenset[str]:
        """Keys of the modules switched on here: what the kernel asks a town (core.tenancy.Town)."""
        from tenants.selectors import tenant_enabled_modules

        return tenant_enabled_modules(tenant=self, fresh=fresh)

    def module_config(self, key: str) -> dict[str, Any]:
        """What this town stored as module `key`'s settings (read them through core.modules.module_settings)."""
        from tenants.selectors import tenant_module_config

        return tenant_module_config(tenant=self, key=key)

    def primary_domain_name(self) -> str | None:
        from tenants.selectors import tenant_primary_domain

        return tenant_primary_domain(tenant=self)

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def schema_name_for(slug: str) -> str:
        # Slugs never contain "_", so this mapping is one-to-one.
        return "t_" + slug.replace("-", "_")


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class CustomDomain(models.Model):
    """A town's own address (``digital.vg-musterhausen.de``), from the claim until it is removed.

    Routing never reads this table: a Domain row (what the host → town lookup and the TLS `ask`
    endpoint read) is made only once ownership is proven, and deleted with the claim. So an unverified
    or removed address gets nothing (ISOLATION T11). Several towns may claim one address at a time,
    each with its own token; the first to prove ownership gets it, so nobody can squat on a name.
    """

    id = models.BigAutoField(primary_key=True)
    tenant = models.ForeignKey(Municipality, related_name="custom_domains", on_delete=models.CASCADE)
    # Stored in ASCII (IDNA), lower case, without a trailing dot: as browsers send it in the Host header.
    domain = models.CharField(_("address"), max_length=253)
    # Proves ownership: as the TXT record _dorfkern-challenge.<domain> or at /.well-known/dorfkern-domain/<token>.
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.CharField(max_length=10, blank=True)  # "dns" or "http"
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("own address")
        verbose_name_plural = _("own addresses")
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(fields=["tenant", "domain"], name="uniq_tenant_custom_domain")]

    def __str__(self) -> str:
        return self.domain


class TenantModule(models.Model):
    """A feature module's switch and validated settings for one town."""

    tenant = models.ForeignKey(Municipality, related_name="modules", on_delete=models.CASCADE)
    key = models.CharField(max_length=50)  # ModuleSpec.key
    is_enabled = models.BooleanField(default=False)
    config = models.JSONField(default=dict, blank=True)
    installed_at = models.DateTimeField(null=True, blank=True)  # when installed() first ran
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="uniq_tenant_module")]

    def __str__(self) -> str:
        return f"{self.tenant_id}:{self.key}={'on' if self.is_enabled else 'off'}"


class SignupStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Waiting for e-mail confirmation")
    QUEUED = "queued", _("Queued")
    PROVISIONING = "provisioning", _("Setting up")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class TownSignup(models.Model):
    """A municipality's self-signup, from the form to its provisioned town."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name of the municipality"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    slug = models.SlugField(_("subdomain"), max_length=40)
    admin_name = models.CharField(_("your name"), max_length=120)
    admin_email = models.EmailField(_("e-mail address"))
    admin_password_hash = models.CharField(max_length=256)
    accepted_terms_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=SignupStatus.choices, default=SignupStatus.AWAITING_CONFIRMATION)
    progress = models.CharField(max_length=200, blank=True)
    # Index into the status page's list of steps; the text above is for staff.
    progress_step = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    tenant_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by tenants.selectors.signup_list_for_staff for the staff page; not a field.
    can_retry: bool

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one live signup per subdomain; a failed one frees the name.
            models.UniqueConstraint(
                fields=["slug"],
                condition=~models.Q(status="failed"),
                name="uniq_live_signup_slug",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"


class SchemaMigrationState(models.Model):
    """The migration set a town's schema (or the template) was last brought completely up to.

    ``manage.py migrate_towns`` skips a schema whose row names the code's migration set: reading one
    public table answers for every town, where Django would load each schema's migration records and
    build a plan. ``schema_oid`` ties the row to that very schema: a schema dropped and made again
    under the same name has a new oid, so an old row can't vouch for it. Any other migration run on a
    schema (``migrate_schemas``) deletes its row first (tenants/receivers.py).
    """

    schema_name = models.CharField(max_length=63, unique=True)
    schema_oid = models.BigIntegerField()
    migrations_hash = models.CharField(max_length=64)
    migrated_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.schema_name
