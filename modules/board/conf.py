"""The town's settings for the Pinnwand (stored per town, validated by BoardSettingsForm)."""

from __future__ import annotations

from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

DEFAULT_EXPIRY_DAYS = 30
MAX_EXPIRY_DAYS = 365


class BoardSettingsForm(forms.Form):
    expiry_days = forms.IntegerField(
        label=_("Posts disappear after this many days"), min_value=1, max_value=MAX_EXPIRY_DAYS,
        initial=DEFAULT_EXPIRY_DAYS,
        help_text=_("A short lifetime keeps the board current; authors can post again."),
    )


def expiry_days() -> int:
    """The current town's lifetime of a post in days (the default where the town set nothing)."""
    from tenants.selectors import tenant_module_config

    tenant = getattr(connection, "tenant", None)
    if tenant is not None and getattr(tenant, "pk", None) is None and connection.schema_name != "public":
        # Under schema_context() the connection holds only a stand-in without a pk.
        from django_tenants.utils import schema_context

        from tenants.models import Municipality

        schema_name = connection.schema_name
        with schema_context("public"):
            tenant = Municipality.objects.filter(schema_name=schema_name).first()
    if tenant is None or getattr(tenant, "pk", None) is None:
        return DEFAULT_EXPIRY_DAYS
    value = tenant_module_config(tenant=tenant, key="board").get("expiry_days")
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_EXPIRY_DAYS
    return days if 1 <= days <= MAX_EXPIRY_DAYS else DEFAULT_EXPIRY_DAYS
