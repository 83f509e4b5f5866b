"""A town's own domain: claim it, prove ownership (DNS TXT or an HTTP token file), choose the primary one, remove it.

Routing reads only the Domain table (tenants.selectors.tenant_for_host), and a Domain row is made
here only after the check passed, so an unverified address never reaches a town (ISOLATION T11).
Every change lands in the town's audit log in the same transaction.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from core import outbound, ratelimit
from core.audit import AuditTarget, audit_record
from core.tenancy import Town
from tenants.domain_selectors import challenge_file_url, challenge_record_name, platform_subdomain
from tenants.models import CustomDomain, Domain
from tenants.validators import custom_domain_normalise

logger = logging.getLogger(__name__)


def _target(domain: str) -> AuditTarget:
    return AuditTarget(type="domain", id=domain, label=domain)


def _taken_by_another_town(domain: str, tenant: Town) -> bool:
    return Domain.objects.filter(domain=domain).exclude(tenant_id=tenant.pk).exists()


def custom_domain_add(*, tenant: Town, value: str, acting_user: Any) -> CustomDomain:
    """Claim `value` for `tenant`: stored unverified, with a fresh token. Refused with a German message otherwise."""
    domain = custom_domain_normalise(value)
    with transaction.atomic():
        with schema_context(get_public_schema_name()):
            if _taken_by_another_town(domain, tenant):
                raise ValidationError(_("Another town already uses this address."), code="taken")
            if CustomDomain.objects.filter(tenant_id=tenant.pk, domain=domain).exists():
                raise ValidationError(_("Your town has already added this address."), code="duplicate")
            if CustomDomain.objects.filter(tenant_id=tenant.pk).count() >= settings.CUSTOM_DOMAINS_PER_TOWN:
                raise ValidationError(
                    _("Your town can have at most %(count)d own addresses. Remove one first.")
                    % {"count": settings.CUSTOM_DOMAINS_PER_TOWN},
                    code="limit",
                )
            try:
                with transaction.atomic():
                    claim = CustomDomain.objects.create(tenant_id=tenant.pk, domain=domain,
                                                        token=secrets.token_hex(16))
            except IntegrityError:  # the same address added twice at once
                raise ValidationError(_("Your town has already added this address."), code="duplicate") from None
        audit_record(acting_user, "domain.add", target=_target(domain))
    return claim


# --- the ownership check ---------------------------------------------------------------------------


class CheckFailed(Exception):
    """Neither the TXT record nor the token file was found; str() is the reason to show the town admin."""


def _resolver() -> Any:
    import dns.nameserver
    import dns.resolver

    configured = settings.CUSTOM_DOMAIN_DNS_RESOLVERS
    resolver = dns.resolver.Resolver(configure=not configured)
    servers = []
    for entry in configured:
        # "1.1.1.1", "127.0.0.1:5353", "[::1]:53"
        address, port = entry, 53
        if entry.startswith("["):
            address, _sep, rest = entry[1:].partition("]")
            port = int(rest.lstrip(":") or 53)
        elif entry.count(":") == 1:
            address, port_text = entry.split(":")
            port = int(port_text)
        servers.append(dns.nameserver.Do53Nameserver(address, port))
    if servers:
        resolver.nameservers = servers
    resolver.lifetime = settings.CUSTOM_DOMAIN_CHECK_TIMEOUT_SECONDS
    resolver.timeout = settings.CUSTOM_DOMAIN_CHECK_TIMEOUT_SECONDS
    resolver.cache = None  # a record the admin just added must be seen on the next check
    return resolver


def dns_token_found(claim: CustomDomain) -> bool:
    """The TXT record _dorfkern-challenge.<domain> holds the claim's token.

    Raises CheckFailed when the name servers can't be asked (then the HTTP file may still prove it).
    """
    import dns.exception
    import dns.resolver

    try:
        answer = _resolver().resolve(challenge_record_name(claim), "TXT", raise_on_no_answer=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return False
    except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.NoResolverConfiguration) as exc:
        logger.info("custom domain %s: DNS lookup failed: %s", claim.domain, exc)
        raise CheckFailed(_("The name servers of this address did not answer. Please try again later.")) from exc
    values = {b"".join(record.strings).decode("ascii", "replace").strip() for record in answer}
    return claim.token in values


def http_token_found(claim: CustomDomain) -> bool:
    """The file http://<domain>/.well-known/dorfkern-domain/<token> holds the token (fetched through core.outbound)."""
    try:
        response = outbound.get(challenge_file_url(claim), timeout=settings.CUSTOM_DOMAIN_CHECK_TIMEOUT_SECONDS,
                                max_bytes=4096)
    except outbound.OutboundError as exc:
        logger.info("custom domain %s: HTTP check failed: %s", claim.domain, exc.detail)
        return False
    return response.ok and response.body.decode("utf-8", "replace").strip() == claim.token


def custom_domain_check(*, tenant: Town, claim: CustomDomain, acting_user: Any) -> CustomDomain:
    """Look for the token (DNS first, then HTTP); when found, route the address to the town.

    Raises ValidationError (German) when the token isn't found, when DNS can't be asked and the file
    isn't there either, or when another town proved it first.
    """
    if claim.tenant_id != tenant.pk:
        raise ValidationError(_("This address does not belong to your town."), code="foreign")
    if claim.verified_at is not None:
        return claim
    # Each check asks name servers and fetches a URL the town chose: a few per hour are plenty.
    limit = settings.CUSTOM_DOMAIN_CHECKS_PER_HOUR
    if not ratelimit.hit("domain.check", f"town:{tenant.pk}", limit=limit, period=3600):
        raise ValidationError(
            _("Your town has already checked %(limit)d times this hour. Please try again later: changes to DNS "
              "records take a while anyway.") % {"limit": limit},
            code="rate_limited",
        )
    dns_error: CheckFailed | None = None
    method = ""
    try:
        if dns_token_found(claim):
            method = "dns"
    except CheckFailed as exc:
        dns_error = exc
    if not method and http_token_found(claim):
        method = "http"
    with schema_context(get_public_schema_name()):
        CustomDomain.objects.filter(pk=claim.pk).update(checked_at=timezone.now())
    if not method:
        if dns_error is not None:
            raise ValidationError(str(dns_error), code="dns")
        raise ValidationError(
            _("We could not find the entry yet. Please check that it is written exactly as shown. Changes to "
              "DNS records can take a few hours to arrive; then try again."),
            code="not-found",
        )
    with transaction.atomic():
        with schema_context(get_public_schema_name()):
            claim = CustomDomain.objects.select_for_update().get(pk=claim.pk)
            if _taken_by_another_town(claim.domain, tenant):
                raise ValidationError(_("Another town already uses this address."), code="taken")
            try:
                with transaction.atomic():
                    Domain.objects.get_or_create(domain=claim.domain,
                                                 defaults={"tenant_id": tenant.pk, "is_primary": False})
            except IntegrityError:  # another town's check won the race
                raise ValidationError(_("Another town already uses this address."), code="taken") from None
            claim.verified_at = timezone.now()
            claim.verified_by = method
            claim.save(update_fields=["verified_at", "verified_by"])
        audit_record(acting_user, "domain.verify", target=_target(claim.domain), after={"method": method})
    return claim


def custom_domain_make_primary(*, tenant: Town, domain: str, acting_user: Any) -> None:
    """Links and e-mails use `domain` from now on (a verified own domain or the platform's subdomain).

    The other addresses keep working; the subdomain then forwards page visits to `domain`.
    """
    with transaction.atomic():
        with schema_context(get_public_schema_name()):
            rows = list(Domain.objects.select_for_update().filter(tenant_id=tenant.pk))
            chosen = next((row for row in rows if row.domain == domain), None)
            if chosen is None:
                raise ValidationError(_("Only a confirmed address can be the main address."), code="unverified")
            before = next((row.domain for row in rows if row.is_primary), "")
            if before == domain:
                return
            # DomainMixin.save() takes the flag from the town's other rows; its post_save forgets the
            # cached primary domain, so links change with the next request.
            chosen.is_primary = True
            chosen.save()
        audit_record(acting_user, "domain.primary", target=_target(domain), before={"primary": before},
                     after={"primary": domain})


def custom_domain_remove(*, tenant: Town, claim: CustomDomain, acting_user: Any) -> None:
    """The address is no longer routed (404 at once) and no new certificate is allowed for it."""
    if claim.tenant_id != tenant.pk:
        raise ValidationError(_("This address does not belong to your town."), code="foreign")
    with transaction.atomic():
        with schema_context(get_public_schema_name()):
            routed = Domain.objects.select_for_update().filter(domain=claim.domain, tenant_id=tenant.pk).first()
            was_primary = bool(routed and routed.is_primary)
            if routed is not None:
                routed.delete()
            if was_primary:
                subdomain = Domain.objects.filter(tenant_id=tenant.pk, domain=platform_subdomain(tenant)).first()
                if subdomain is not None:
                    subdomain.is_primary = True
                    subdomain.save(update_fields=["is_primary"])
            CustomDomain.objects.filter(pk=claim.pk).delete()
        audit_record(acting_user, "domain.remove", target=_target(claim.domain),
                     before={"verified": claim.verified_at is not None, "primary": was_primary})
