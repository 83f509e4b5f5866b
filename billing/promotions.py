"""Sponsored entries for a module's promotion slots (sold by billing, rendered by modules).

Every visitor of a town sees the same entries in the same order: no
personalisation, no tracking. Entries are ordered by when they started.

Besides the slots modules declare, the platform derives two kinds of patron
slot that no module has to render itself: ``<module key>.patron`` (a
Modulpate, named below every page of that module through billing's PageAside) and
``core.club-patron`` (a Vereinspate, named on the club's organisation page).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import cache
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from core.capabilities import Capability, Ref, declared, resolve
from core.modules import all_modules
from core.page_cache import visitor_pages_bump
from core.tenancy import Town, connection, current_tenant

if TYPE_CHECKING:
    from django.http import HttpRequest

    from tenants.models import Municipality

# Official communication is never sponsored: no Modulpate for these modules.
PATRON_EXCLUDED_MODULES: frozenset[str] = frozenset({"news"})
MODULE_PATRON_PLACE = "patron"
CLUB_PATRON_SLOT_KEY = "core.club-patron"
# The most patrons a town can allow per module or club (TownProductOffer.slots is at most 50).
PATRON_MAX_ENTRIES = 50


@dataclass(frozen=True)
class PromotionSlot(Capability):
    """A place in a module's pages where a sponsored entry may appear.

    Billing sells slots; the module renders what ``billing.facade.active_promotions``
    returns for it: labelled "Gesponsert", the same for every visitor, never in
    official news. With nothing sold the list is empty and the slot shows nothing.
    """

    key: str  # "<module key>.<place>", e.g. "directory.category-top"; stored in billing rows, never rename
    label: str  # shown to town admins and on the price list
    description: str = ""
    max_entries: int = 1  # how many sponsored entries the slot shows at most
    target: str = ""  # what a promotion points at inside the slot, e.g. "category" (empty: the slot as a whole)
    # With a target: a callable() -> [(id, name), ...] of the current town's possible targets (e.g. the
    # directory's categories). A purchase must name one of them, so a paid entry always appears somewhere.
    targets: Ref | None = None


@dataclass(frozen=True)
class ActivePromotion:
    sponsor_name: str
    sponsor_organisation_id: int
    target_id: int | None
    link_url: str
    text: str


def module_patron_slot_key(module_key: str) -> str:
    return f"{module_key}.{MODULE_PATRON_PLACE}"


def module_patron_allowed(module_key: str) -> bool:
    """Whether a module can have a Modulpate at all: installed, not official communication, and with pages
    every visitor can open (a public entry in the main navigation), so that everyone sees the same patron.
    Private messages, notifications or moderation tools are never sponsored."""
    module = all_modules().get(module_key)
    if module is None or module_key in PATRON_EXCLUDED_MODULES:
        return False
    return any(not item.backoffice and item.permission is None for item in module.spec.nav)


def _patron_slot(key: str) -> PromotionSlot | None:
    if key == CLUB_PATRON_SLOT_KEY:
        return PromotionSlot(key=key, label=str(_("Club patron")), target="organisation",
                             max_entries=PATRON_MAX_ENTRIES)
    module_key, _dot, place = key.partition(".")
    if place == MODULE_PATRON_PLACE and module_patron_allowed(module_key):
        return PromotionSlot(key=key, label=str(all_modules()[module_key].spec.name), max_entries=PATRON_MAX_ENTRIES)
    return None


def promotion_slot(key: str) -> PromotionSlot:
    for slot in declared(PromotionSlot):
        if slot.key == key:
            return slot
    derived = _patron_slot(key)
    if derived is not None:
        return derived
    raise LookupError(f"No promotion slot {key!r}")


def slot_targets(slot: PromotionSlot, *, tenant: Municipality | None = None) -> list[tuple[int, str]]:
    """The targets a promotion of `slot` may point at in the town (its own schema): [] without a target."""
    if not slot.target or slot.targets is None:
        return []
    context = schema_context(tenant.schema_name) if tenant is not None else nullcontext()
    with context:
        return [(int(pk), str(name)) for pk, name in resolve(slot.targets)()]


def _patron_kind(slot_key: str) -> str:
    """The billing product kind whose town offer caps a patron slot ("" for module-declared slots)."""
    if slot_key == CLUB_PATRON_SLOT_KEY:
        return "club_patron"
    return "module_patron" if slot_key.endswith(f".{MODULE_PATRON_PLACE}") else ""


def active_promotions(
    *, slot_key: str, target_id: int | None = None, tenant: Town | None = None
) -> list[ActivePromotion]:
    """The paid, active entries of `slot_key` in the current (or given) town, at most the slot's maximum.

    Patron slots show at most as many patrons as the town allows (its offer's slots) and come from the
    town's cached patron list (see _town_patrons).
    """
    from billing.models import Promotion, PromotionStatus

    slot = promotion_slot(slot_key)
    tenant = tenant or current_tenant()
    if tenant is None or tenant.schema_name == "public":
        return []
    if _patron_kind(slot_key):
        return list(_town_patrons(tenant).get((slot_key, target_id if slot.target else None), ()))
    now = timezone.now()
    with schema_context("public"):
        query = Promotion.objects.filter(
            tenant_id=tenant.pk, slot_key=slot_key, status=PromotionStatus.ACTIVE, starts_at__lte=now
        ).exclude(ends_at__lte=now)
        if slot.target:
            query = query.filter(target_id=target_id)
        rows = list(query.order_by("starts_at", "pk")[: slot.max_entries])
    return [_entry(row) for row in rows]


def _entry(row: Any) -> ActivePromotion:
    return ActivePromotion(
        sponsor_name=row.sponsor_name,
        sponsor_organisation_id=row.sponsor_organisation_id,
        target_id=row.target_id,
        link_url=row.link_url,
        text=row.text,
    )


# --- the town's patrons, cached -------------------------------------------------------------------

# Every page of a sponsored module names its patrons: one cache read per page instead of a query. Billing
# forgets the entry whenever a patron promotion or the town's number of patron slots changes; the timeout
# is only a safety net.
PATRONS_CACHE_SECONDS = 300
TownPatrons = dict[tuple[str, int | None], tuple[ActivePromotion, ...]]


def _patrons_cache_key(tenant_pk: int) -> str:
    return f"core:patrons:{tenant_pk}"


def _town_patrons_load(tenant: Town) -> TownPatrons:
    """All live patron entries of the town in one query, each slot capped at the town's number of slots."""
    from billing.models import Promotion, PromotionStatus, TownProductOffer

    def town_slots(kind: str) -> Subquery:
        return Subquery(TownProductOffer.objects.filter(tenant_id=OuterRef("tenant_id"), product__kind=kind)
                        .values("slots")[:1], output_field=IntegerField())

    now = timezone.now()
    with schema_context("public"):
        rows = list(
            Promotion.objects.filter(tenant_id=tenant.pk, status=PromotionStatus.ACTIVE, starts_at__lte=now)
            .filter(Q(slot_key=CLUB_PATRON_SLOT_KEY) | Q(slot_key__endswith=f".{MODULE_PATRON_PLACE}"))
            .exclude(ends_at__lte=now)
            .annotate(module_slots=town_slots("module_patron"), club_slots=town_slots("club_patron"))
            .order_by("starts_at", "pk")
        )
    found: dict[tuple[str, int | None], list[ActivePromotion]] = {}
    for row in rows:
        club = row.slot_key == CLUB_PATRON_SLOT_KEY
        if not club and _patron_slot(row.slot_key) is None:
            continue  # a module that is gone, or news: never shown
        place = (row.slot_key, row.target_id if club else None)
        cap = min((row.club_slots if club else row.module_slots) or PATRON_MAX_ENTRIES, PATRON_MAX_ENTRIES)
        entries = found.setdefault(place, [])
        if len(entries) < cap:
            entries.append(_entry(row))
    return {place: tuple(entries) for place, entries in found.items()}


def _town_patrons(tenant: Town) -> TownPatrons:
    key = _patrons_cache_key(tenant.pk)
    # Always under the town's own cache prefix, wherever the caller runs, so patrons_forget reaches it.
    with nullcontext() if connection.schema_name == tenant.schema_name else schema_context(tenant.schema_name):
        found: TownPatrons | None = cache.get(key)
        if found is None:
            found = _town_patrons_load(tenant)
            cache.set(key, found, PATRONS_CACHE_SECONDS)
    return found


def patrons_forget(*, tenant: Town) -> None:
    """Billing changed a patron of `tenant`: its pages show the change with their next request.

    The cache is per town (django-tenants' key function), so the key is deleted inside the town's schema;
    once more after the transaction commits, so no request in between caches the old state again.
    """
    schema_name, key = tenant.schema_name, _patrons_cache_key(tenant.pk)

    def forget() -> None:
        with schema_context(schema_name):
            cache.delete(key)
            visitor_pages_bump()  # anonymous visitors' cached pages name the patrons too

    forget()
    transaction.on_commit(forget)


def promotions_cache_key(slot_key: str, target_id: int | None) -> str:
    """Where a module caches a slot's active entries (per town: the cache's key function adds the schema).

    Billing deletes it when an entry starts, pauses or ends (promotions_forget), so a business that
    just paid sees its entry at once, not a minute later.
    """
    return f"promotions:{slot_key}:{target_id}"


def promotions_forget(*, tenant: Town, slot_key: str, target_id: int | None) -> None:
    """An entry of `slot_key` changed in `tenant`: the slot's cached entries go (now and after the commit)."""
    schema_name = tenant.schema_name
    keys = {promotions_cache_key(slot_key, target_id), promotions_cache_key(slot_key, None)}

    def forget() -> None:
        with schema_context(schema_name):
            cache.delete_many(list(keys))
            visitor_pages_bump()  # anonymous visitors' cached pages show the slot too

    forget()
    transaction.on_commit(forget)


# --- patrons named by the platform on a page -----------------------------------------------------


@dataclass(frozen=True)
class PagePatrons:
    """What core/base.html says about the patrons of the page being shown."""

    kind: str  # "module" (a Modulpate) or "club" (a Vereinspate)
    label: str  # the module's or the club's name
    sponsors: tuple[ActivePromotion, ...]
    # Only for the club's own managers: what its patrons paid the club so far ("12,00 €"); "" for everyone else.
    club_income: str = ""


def _club_page_patrons(request: HttpRequest, tenant: Town, slug: str) -> PagePatrons | None:
    from town.models import MembershipRole, Organisation, OrganisationKind, OrganisationMembership

    club = (Organisation.objects.filter(slug=slug, is_approved=True).exclude(kind=OrganisationKind.BUSINESS)
            .values_list("pk", "name").first())
    if club is None:
        return None
    club_id, club_name = int(club[0]), str(club[1])
    sponsors = tuple(active_promotions(slot_key=CLUB_PATRON_SLOT_KEY, target_id=club_id, tenant=tenant))
    income = ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and OrganisationMembership.objects.filter(
        organisation_id=club_id, user=user, role=MembershipRole.MANAGER
    ).exists():
        from billing.selectors import club_income_total
        from billing.templatetags.billing import euro

        cents = club_income_total(tenant=cast("Municipality", tenant), club_organisation_id=club_id)
        income = euro(cents) if cents or sponsors else ""
    if not sponsors and not income:
        return None
    return PagePatrons(kind="club", label=club_name, sponsors=sponsors, club_income=income)


def page_patrons_html(request: HttpRequest) -> str:
    """The page's patrons as the block below its content (billing's PageAside), "" for none."""
    from django.template.loader import render_to_string

    patrons = page_patrons(request)
    if patrons is None:
        return ""
    return render_to_string("billing/_page_patrons.html", {"patrons": patrons}, request=request)


def page_patrons(request: HttpRequest) -> PagePatrons | None:
    """The Modulpaten of the module the current URL belongs to, or the Vereinspaten of a club's page.

    Derived from the resolver alone (no module renders anything): the URL namespace is the module key.
    Back-office pages and official news never name patrons. The same for every visitor.
    """
    from core.access import tenant_has_module

    match = getattr(request, "resolver_match", None)
    # The request's own town object: it memoises the town's enabled modules for this request.
    tenant: Town | None = getattr(request, "tenant", None) or current_tenant()
    if match is None or tenant is None or tenant.schema_name == "public" or "/backoffice/" in request.path:
        return None
    namespace = match.namespaces[0] if match.namespaces else ""
    if namespace == "town" and match.url_name == "organisation" and match.kwargs.get("slug"):
        return _club_page_patrons(request, tenant, str(match.kwargs["slug"]))
    if not namespace or not module_patron_allowed(namespace) or not tenant_has_module(namespace, tenant=tenant):
        return None
    sponsors = tuple(active_promotions(slot_key=module_patron_slot_key(namespace), tenant=tenant))
    if not sponsors:
        return None
    return PagePatrons(kind="module", label=str(all_modules()[namespace].spec.name), sponsors=sponsors)
