"""Writes to the public schema: creating towns and switching their modules."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists, tenant_context

from core.branding import public_url
from core.modules import all_modules, get_module
from core.outbox import outbox_enqueue
from core.tenancy import connection
from tenants.models import Domain, Municipality, SignupStatus, TenantModule, TownSignup
from tenants.schema_template import template_schema_clone
from tenants.selectors import forget_module_config, signup_is_stale, tenant_enabled_modules
from tenants.tokens import CONFIRM_MAX_AGE, signup_confirm_token_check, signup_confirm_token_make
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
    Atomic from the outside: the town is created inactive and switched on only after its schema
    has every migration and its admin exists, so no half-made town is ever routed or fanned out to.
    """
    progress = on_progress or (lambda message: None)
    subdomain_check_available(slug)
    schema_name = Municipality.schema_name_for(slug)
    tenant: Municipality | None = None
    try:
        progress(_("Reserving your town's internet address"))
        with schema_context("public"), transaction.atomic():
            tenant = Municipality.objects.create(
                schema_name=schema_name, name=name, kind=kind, slug=slug,
                # Not routable, not in any fan-out, until its schema is complete (see below).
                is_active=False,
            )
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
        progress(_("Preparing a protected place for your town's data"))
        # A copy of the migrated template schema, not a migration run (tenants/schema_template.py).
        template_schema_clone(schema_name)
        progress(_("Creating your access and your town's pages"))
        with tenant_context(tenant), transaction.atomic():
            _seed_town(tenant, name=name, admin_name=admin_name, admin_email=admin_email,
                       admin_password_hash=admin_password_hash, admin_password=admin_password)
        # The last step, and the only one that makes the town visible: its host answers and periodic
        # work reaches it only from here on. A worker killed before this line leaves an inactive town
        # that nobody can reach and that the sweeper removes (signups_recover_stale).
        with schema_context("public"):
            tenant.is_active = True
            tenant.save(update_fields=["is_active"])  # save(): the receivers forget the cached host lookup
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
def tenant_module_enable(*, tenant: Municipality, key: str, config: dict[str, Any] | None = None,
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
            forget_module_config(tenant.pk, key)
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


def tenant_module_configure(*, tenant: Municipality, key: str, data: Mapping[str, Any]) -> TenantModule:
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
    forget_module_config(tenant.pk, key)
    transaction.on_commit(lambda: forget_module_config(tenant.pk, key))
    return row


# --- self-signup ------------------------------------------------------------
# A signup row walks awaiting_confirmation → queued → provisioning → ready | failed.
# The status page shows these steps; town_create's progress messages advance
# the three in the middle. The person reading them is a town clerk, not an engineer:
# plain words, no "worker", "subdomain" or "database".
SIGNUP_STEPS = (
    _lazy("Confirm your e-mail address"),
    _lazy("Your registration is next in line"),
    _lazy("Reserving your town's internet address"),
    _lazy("Preparing a protected place for your town's data"),
    _lazy("Creating your access and your town's pages"),
    _lazy("Your town is ready"),
)
_STEP_QUEUED = 1
_STEP_FIRST_PROVISIONING = 2
_STEP_READY = len(SIGNUP_STEPS) - 1


def _signup_slug_pending_error() -> ValidationError:
    return ValidationError(
        _("A registration for this subdomain is already in progress. Please check your e-mail inbox."),
        code="pending",
    )


def town_signup_create(
    *, name: str, kind: str, slug: str, admin_name: str, admin_email: str, password: str
) -> TownSignup:
    """Record a signup and mail the confirmation link; raises ValidationError and creates nothing on refusal.

    Only a hash of the password is stored; it becomes the town admin's password as is.
    """
    subdomain_check_available(slug)
    with transaction.atomic():
        # An address never confirmed within the link's lifetime doesn't hold the name any longer.
        TownSignup.objects.filter(
            slug=slug,
            status=SignupStatus.AWAITING_CONFIRMATION,
            created_at__lt=timezone.now() - CONFIRM_MAX_AGE,
        ).delete()
        if TownSignup.objects.filter(slug=slug).exclude(status=SignupStatus.FAILED).exists():
            raise _signup_slug_pending_error()
        try:
            with transaction.atomic():
                signup = TownSignup.objects.create(
                    name=name.strip(),
                    kind=kind,
                    slug=slug,
                    admin_name=admin_name.strip(),
                    admin_email=admin_email.strip().lower(),
                    admin_password_hash=make_password(password),
                    accepted_terms_at=timezone.now(),
                )
        except IntegrityError:
            # Two submissions raced past the check above; the constraint let one win.
            raise _signup_slug_pending_error() from None
        # The mail goes out from the worker, never inside the request (a stuck relay would hold it).
        signup_confirmation_queue(signup=signup)
    return signup


def signup_confirmation_queue(*, signup: TownSignup) -> None:
    """Have the worker mail the confirmation link (through the outbox: survives a broker outage)."""
    outbox_enqueue("tenants.signup_confirmation_mail", args=[str(signup.pk)], schema_name=get_public_schema_name())


def signup_confirmation_send(*, signup: TownSignup) -> bool:
    """Mail the confirmation link (in the worker). False when the mail server refused."""
    token = signup_confirm_token_make(signup_id=str(signup.pk), email=signup.admin_email)
    link = public_url(
        reverse(
            "tenants:signup-confirm",
            urlconf=settings.PUBLIC_SCHEMA_URLCONF,
            kwargs={"signup_id": signup.pk, "token": token},
        )
    )
    context = {
        "signup": signup,
        "link": link,
        "address": f"{signup.slug}.{settings.BASE_DOMAIN}",
        "hours": int(CONFIRM_MAX_AGE.total_seconds() // 3600),
    }
    subject = render_to_string("tenants/email/signup_confirm_subject.txt", context).strip()
    body = render_to_string("tenants/email/signup_confirm.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [signup.admin_email])
    except Exception:
        logger.exception("could not send the confirmation mail for signup %s", signup.pk)
        return False
    return True



def _signup_enqueue(signup_id: uuid.UUID | str) -> None:
    """Queue provisioning inside the caller's transaction (core.outbox): it commits with the status change.

    Provisioning runs in the public schema, whatever schema enqueued it.
    """
    outbox_enqueue("tenants.tasks.town_provision", args=[str(signup_id)], schema_name=get_public_schema_name())


def town_signup_confirm(*, signup: TownSignup, token: str) -> TownSignup:
    """Confirm the e-mail address and queue provisioning. Confirming twice is harmless."""
    if not signup_confirm_token_check(signup_id=str(signup.pk), email=signup.admin_email, token=token):
        raise ValidationError(
            _("This confirmation link is invalid or has expired. Please register again."), code="invalid"
        )
    with schema_context(get_public_schema_name()), transaction.atomic():
        row = TownSignup.objects.select_for_update().get(pk=signup.pk)
        if row.status != SignupStatus.AWAITING_CONFIRMATION:
            return row
        row.confirmed_at = timezone.now()
        row.status = SignupStatus.QUEUED
        row.progress_step = _STEP_QUEUED
        row.save(update_fields=["confirmed_at", "status", "progress_step", "updated_at"])
        _signup_enqueue(row.pk)
    return row


def town_signup_retry(*, signup: TownSignup) -> TownSignup:
    """Queue a failed (or stale) signup again; raises ValidationError for any other state."""
    try:
        with schema_context(get_public_schema_name()), transaction.atomic():
            row = TownSignup.objects.select_for_update().get(pk=signup.pk)
            if signup_is_stale(row):
                # Whatever the lost worker left behind goes first, as after any failure (T18).
                town_remove_partial(schema_name=Municipality.schema_name_for(row.slug), slug=row.slug)
            elif row.status != SignupStatus.FAILED:
                raise ValidationError(_("Only a failed setup can be tried again."), code="state")
            row.status = SignupStatus.QUEUED
            row.error = ""
            row.progress = ""
            row.progress_step = _STEP_QUEUED
            row.save(update_fields=["status", "error", "progress", "progress_step", "updated_at"])
            _signup_enqueue(row.pk)
    except IntegrityError:
        # While this one had failed, somebody else registered the same subdomain.
        raise ValidationError(
            _("Meanwhile somebody else has registered this subdomain. Please register with another one."),
            code="taken",
        ) from None
    return row


def town_signup_provision(*, signup_id: str) -> str:
    """Provision the town of a confirmed signup; returns the final status.

    Idempotent: only a QUEUED signup is claimed (atomically), so a second
    delivery of the task, or one for a READY or running signup, does nothing.
    """
    with schema_context(get_public_schema_name()):
        claimed = TownSignup.objects.filter(pk=signup_id, status=SignupStatus.QUEUED).update(
            status=SignupStatus.PROVISIONING,
            attempts=F("attempts") + 1,
            progress="",
            error="",
            progress_step=_STEP_FIRST_PROVISIONING,
            updated_at=timezone.now(),
        )
        signup = TownSignup.objects.filter(pk=signup_id).first()
        if signup is None:
            logger.warning("signup %s no longer exists; nothing to provision", signup_id)
            return ""
        if not claimed:
            logger.info("signup %s is %s; not provisioning again", signup_id, signup.status)
            return signup.status

        step = iter(range(_STEP_FIRST_PROVISIONING, _STEP_READY + 1))

        def on_progress(message: str) -> None:
            # Called between steps that switch schemas; the row lives in public.
            with schema_context(get_public_schema_name()):
                TownSignup.objects.filter(pk=signup_id).update(
                    progress=str(message)[:200], progress_step=next(step, _STEP_READY), updated_at=timezone.now()
                )

        try:
            tenant = town_create(
                name=signup.name,
                kind=signup.kind,
                slug=signup.slug,
                admin_name=signup.admin_name,
                admin_email=signup.admin_email,
                admin_password_hash=signup.admin_password_hash,
                on_progress=on_progress,
            )
        except ValidationError as exc:
            error = " ".join(str(message) for message in exc.messages)
        except Exception:
            # town_create has logged the cause and removed everything it made.
            error = str(
                _("Setting up your town failed because of a technical problem. Nothing was kept; please try again.")
            )
        else:
            TownSignup.objects.filter(pk=signup_id).update(
                status=SignupStatus.READY,
                tenant_id=tenant.pk,
                progress_step=_STEP_READY,
                updated_at=timezone.now(),
            )
            return SignupStatus.READY
        TownSignup.objects.filter(pk=signup_id).update(
            status=SignupStatus.FAILED, error=error, updated_at=timezone.now()
        )
        return SignupStatus.FAILED


MAX_PROVISIONING_ATTEMPTS = 3


def signups_recover_stale(*, now: datetime.datetime | None = None) -> int:
    """Finish what a killed worker left: every signup still "provisioning" past its time (beat, public schema).

    A provisioning task is killed at its hard time limit at the latest, and PROVISIONING_STALE_SECONDS
    is longer than that, so a signup this old has no worker any more (SIGKILL, OOM, a lost host):
    - its town was switched on (the last step of town_create): only the signup's final write is
      missing, so the signup becomes ready (resumed);
    - otherwise the inactive, half-made town is removed (schema, rows) and the signup queued again
      (rolled back and retried) — up to MAX_PROVISIONING_ATTEMPTS, then it fails and the status
      page offers the person a retry.
    Returns the number of signups recovered.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=settings.PROVISIONING_STALE_SECONDS)
    recovered = 0
    connection.set_schema_to_public()
    stale = list(
        TownSignup.objects.filter(status=SignupStatus.PROVISIONING, updated_at__lt=cutoff).values_list("pk", flat=True)
    )
    for signup_id in stale:
        with transaction.atomic():
            row = (
                TownSignup.objects.select_for_update(skip_locked=True)
                .filter(pk=signup_id, status=SignupStatus.PROVISIONING, updated_at__lt=cutoff)
                .first()
            )
            if row is None:
                continue
            town = Municipality.objects.filter(slug=row.slug, is_active=True).first()
            if town is not None:
                logger.warning("signup %s: its town was complete when the worker was lost; marked ready", row.pk)
                row.status, row.tenant_id, row.progress_step = SignupStatus.READY, town.pk, _STEP_READY
                row.save(update_fields=["status", "tenant_id", "progress_step", "updated_at"])
                recovered += 1
                continue
            logger.warning("signup %s: provisioning lost its worker; removing the half-made town", row.pk)
            town_remove_partial(schema_name=Municipality.schema_name_for(row.slug), slug=row.slug)
            if row.attempts >= MAX_PROVISIONING_ATTEMPTS:
                row.status = SignupStatus.FAILED
                row.error = str(_(
                    "Setting up your town failed because of a technical problem. Nothing was kept; please try again."
                ))
                row.save(update_fields=["status", "error", "updated_at"])
            else:
                row.status, row.progress, row.progress_step = SignupStatus.QUEUED, "", _STEP_QUEUED
                row.save(update_fields=["status", "progress", "progress_step", "updated_at"])
                _signup_enqueue(row.pk)
            recovered += 1
    return recovered


def town_set_active(*, tenant: Municipality, active: bool) -> Municipality:
    """Switch a town's hosts on or off; the cached host lookup follows via tenants.receivers."""
    with schema_context(get_public_schema_name()):
        tenant = Municipality.objects.get(pk=tenant.pk)
        if tenant.is_active != active:
            tenant.is_active = active
            tenant.save(update_fields=["is_active"])
        if active and tenant.delete_after is not None:
            # Switched on again: a leaving town stays (tenants.lifecycle.town_leave_cancel).
            tenant.leaving_since = tenant.delete_after = None
            tenant.save(update_fields=["leaving_since", "delete_after"])
    return tenant
