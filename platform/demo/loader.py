"""Load the demo Verbandsgemeinde Betzdorf-Gebhardshain; running it again adds only what is missing.

The town is provisioned through the same service as a real signup, and
profile, Ortsgemeinden, organisations, memberships and news go through the
town's and the news module's services, so the demo exercises the code paths a
town hall uses. Only the user rows themselves (allauth's signup form makes
them in real life) and their confirmed e-mail addresses are created directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from core.modules import all_modules
from demo import data

Say = Callable[[str], None]


@dataclass
class DemoSummary:
    """What one run of demo_load created (all zero when the demo was complete already)."""

    town_created: bool = False
    ortsgemeinden: int = 0
    office_hours: int = 0
    organisations: int = 0
    users: int = 0
    articles: int = 0
    staff_created: bool = False
    modules_enabled: list[str] = field(default_factory=list)
    module_samples: dict[str, int] = field(default_factory=dict)  # objects each module's demo.py created
    places: int = 0  # villages that got a boundary or a street list

    @property
    def changed(self) -> bool:
        return bool(
            self.town_created or self.ortsgemeinden or self.office_hours or self.organisations or self.users
            or self.articles or self.staff_created or self.modules_enabled or any(self.module_samples.values())
            or self.places
        )


def demo_town_get():
    """The demo town's row, or None when it isn't loaded."""
    from tenants.models import Municipality

    with schema_context("public"):
        return Municipality.objects.filter(slug=data.TOWN["slug"]).first()


def demo_load(*, say: Say = lambda message: None) -> DemoSummary:
    """Create the demo town, its people, organisations and news where missing."""
    from tenants.services import town_create

    summary = DemoSummary()
    town = demo_town_get()
    if town is None:
        say(f"provisioning {data.TOWN['name']}")
        town = town_create(
            admin_name=data.ADMIN["name"], admin_email=data.ADMIN["email"], admin_password=data.PASSWORD,
            **data.TOWN,
        )
        summary.town_created = True
    summary.modules_enabled = _modules_enable_all(town)
    with tenant_context(town), transaction.atomic():
        _profile_fill()
        summary.ortsgemeinden = _ortsgemeinden_ensure()
        summary.office_hours = _office_hours_ensure()
        summary.organisations = _organisations_ensure()
        summary.users = _people_ensure()
        _residency_ensure()
        # Modules are optional folders; without news the demo simply has no articles.
        if "news" in all_modules():
            summary.articles = _articles_ensure()
        summary.module_samples = _module_demos_ensure()
        summary.places = _places_ensure()
        _mfa_grace_restart()
    summary.staff_created = _staff_ensure()
    return summary


def _module_demos_ensure() -> dict[str, int]:
    """Let every module that ships a ``demo.py`` add its sample content (it skips what exists).

    A module's ``demo.load()`` runs inside the demo town's schema after its people and
    organisations exist (emails from ``demo.data``) and returns how many objects it created.
    A demo that refers to another module's demo content names it in ``AFTER = ("<key>",)``
    and runs after it (the council's agenda lists a demo proposal).
    """
    import importlib
    import importlib.util

    demos = {key: importlib.import_module(f"{module.name}.demo") for key, module in all_modules().items()
             if importlib.util.find_spec(f"{module.name}.demo") is not None}
    created: dict[str, int] = {}

    def run(key: str) -> None:
        if key in created or key not in demos:
            return
        created[key] = 0  # marks it begun: a cycle of AFTERs can't recurse forever
        for before in getattr(demos[key], "AFTER", ()):
            run(before)
        created[key] = demos[key].load()

    for key in demos:
        run(key)
    return dict(sorted(created.items()))


def _modules_enable_all(town) -> list[str]:
    """Switch on every module, dependencies first (the demo shows everything there is)."""
    from tenants.selectors import tenant_enabled_modules
    from tenants.services import tenant_module_enable

    enabled_now: list[str] = []
    pending = [key for key in all_modules() if key not in tenant_enabled_modules(tenant=town, fresh=True)]
    while pending:
        progress = False
        for key in list(pending):
            try:
                tenant_module_enable(tenant=town, key=key, by_staff=True)
            except ValidationError:
                continue  # a module it requires comes later in this pass
            pending.remove(key)
            enabled_now.append(key)
            progress = True
        if not progress:
            raise ValidationError(f"modules with unmet requirements: {', '.join(pending)}")
    return enabled_now


def _profile_fill() -> None:
    from town.services import town_profile_for_update, town_profile_update

    profile = town_profile_for_update()
    if profile.impressum:
        return  # filled before (perhaps edited since): leave it alone
    town_profile_update(profile=profile, **data.PROFILE)


def _ortsgemeinden_ensure() -> int:
    from town.models import Ortsgemeinde
    from town.services import ortsgemeinde_create

    existing = set(Ortsgemeinde.objects.values_list("slug", flat=True))
    created = 0
    for name, slug, postal_codes in data.ORTSGEMEINDEN:
        if slug not in existing:
            ortsgemeinde_create(name=name, slug=slug, postal_codes=postal_codes, inhabitants=data.INHABITANTS.get(slug))
            created += 1
    # Demo towns made before the cockpit knew inhabitants get them too (never overwriting a town's own).
    for slug, inhabitants in data.INHABITANTS.items():
        Ortsgemeinde.objects.filter(slug=slug, inhabitants__isnull=True).update(inhabitants=inhabitants)
    return created


def _office_hours_ensure() -> int:
    """The town hall's opening times and two Ortsbürgermeister Sprechstunden, once (the town may edit them)."""
    import datetime

    from town.calendar_services import office_hour_create
    from town.models import OfficeHour, Ortsgemeinde

    if OfficeHour.objects.exists():
        return 0
    villages = {village.slug: village for village in Ortsgemeinde.objects.all()}
    for weekday, starts_at, ends_at, title, place, village in data.OFFICE_HOURS:
        office_hour_create(weekday=weekday, starts_at=datetime.time.fromisoformat(starts_at),
                           ends_at=datetime.time.fromisoformat(ends_at), title=title, place=place,
                           ortsgemeinde=villages.get(village) if village else None)
    return len(data.OFFICE_HOURS)


def _organisations_ensure() -> int:
    from accounts.models import User
    from town.models import Organisation, Ortsgemeinde
    from town.people_services import organisation_create

    admin = User.objects.get(email=data.ADMIN["email"])
    villages = {o.slug: o for o in Ortsgemeinde.objects.all()}
    existing = set(Organisation.objects.values_list("slug", flat=True))
    created = 0
    for slug, (name, kind, village, description) in data.ORGANISATIONS.items():
        if slug in existing:
            continue
        organisation_create(
            acting_user=admin, name=name, slug=slug, kind=kind, ortsgemeinde=villages.get(village),
            description=description, email=f"{slug}@{data.DOMAIN}",
        )
        created += 1
    return created


def _user_ensure(*, email: str, name: str, role: str, village_slug: str | None) -> tuple[object, bool]:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from accounts.services import resident_signup_complete
    from town.models import Ortsgemeinde, ResidentProfile

    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        # What allauth's signup form does, minus the form: there is no service for it.
        user = User.objects.create_user(email=email, password=data.PASSWORD, name=name, role=role)
    # Demo logins work at once: the addresses count as confirmed.
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if village_slug and not ResidentProfile.objects.filter(user=user).exists():
        resident_signup_complete(user=user, ortsgemeinde=Ortsgemeinde.objects.filter(slug=village_slug).first())
    return user, created


def _mfa_grace_restart() -> None:
    """Demo people without a second factor get a fresh grace period at their next sign-in.

    Town admins and moderators must set up two-factor login within MFA_GRACE_DAYS of their first
    sign-in (accounts.mfa); every `python3 dorfkern.py run` starts that time again, so the demo admin
    can try the back office with the password alone (and a banner offering the set-up).
    """
    from allauth.mfa.models import Authenticator

    from accounts.models import User

    with_factor = Authenticator.objects.values("user_id")
    User.objects.exclude(pk__in=with_factor).update(mfa_grace_until=None)


def _people_ensure() -> int:
    from accounts.models import User
    from town.models import MembershipRole, Organisation, OrganisationMembership
    from town.people_services import organisation_member_add

    _user_ensure(email=data.ADMIN["email"], name=data.ADMIN["name"], role="admin", village_slug="betzdorf")
    admin = User.objects.get(email=data.ADMIN["email"])
    created = 0
    for local, (name, role, village, organisations) in data.PEOPLE.items():
        user, was_created = _user_ensure(email=data.email_of(local), name=name, role=role, village_slug=village)
        created += was_created
        for slug in organisations:
            organisation = Organisation.objects.get(slug=slug)
            if not OrganisationMembership.objects.filter(organisation=organisation, user=user).exists():
                organisation_member_add(
                    organisation=organisation, email=user.email, role=MembershipRole.EDITOR, acting_user=admin
                )
    return created


def _residency_ensure() -> None:
    """The town hall confirms addresses on request; most demo residents are confirmed, one request waits.

    Nothing is reserved for confirmed residents, so every demo account can try every module.
    """
    from accounts.models import User
    from town.models import ResidencyMethod, ResidencyPolicy, ResidencyStatus, ResidencyVerification
    from town.residency_selectors import confirmed_residents_forget, residency_policy_forget

    if not ResidencyPolicy.objects.exists():
        ResidencyPolicy.objects.create(method=ResidencyMethod.APPROVAL)
        residency_policy_forget()
    for local in data.PEOPLE:
        user = User.objects.get(email=data.email_of(local))
        if local in data.RESIDENCY_PENDING:
            ResidencyVerification.objects.get_or_create(user=user, defaults={
                "method": ResidencyMethod.APPROVAL, "address": data.RESIDENCY_PENDING[local][0],
                "postal_code": data.RESIDENCY_PENDING[local][1]})
        else:
            ResidencyVerification.objects.get_or_create(user=user, defaults={
                "method": ResidencyMethod.APPROVAL, "status": ResidencyStatus.VERIFIED,
                "decided_at": timezone.now()})
    confirmed_residents_forget()


def _articles_ensure() -> int:
    """The dozen demo articles, published at staggered times in the past; one scheduled ahead."""
    from accounts.models import User
    from modules.news.models import Article, Category
    from modules.news.services import article_create, article_publish
    from town.models import Organisation, Ortsgemeinde

    existing = set(Article.objects.values_list("title", flat=True))
    categories = {c.name: c for c in Category.objects.all()}
    villages = {o.slug: o for o in Ortsgemeinde.objects.all()}
    now = timezone.now()
    created = 0
    for item in data.ARTICLES:
        if item["title"] in existing:
            continue
        email = data.ADMIN["email"] if item["author"] == "admin" else data.email_of(item["author"])
        author = User.objects.get(email=email)
        organisation = Organisation.objects.get(slug=item["organisation"]) if item["organisation"] else None
        article = article_create(
            acting_user=author,
            title=item["title"],
            teaser=item["teaser"],
            body=item["body"],
            category=categories.get(item["category"]),
            organisation=organisation,
            ortsgemeinden=[villages[slug] for slug in item["ortsgemeinden"]],
        )
        publish_at = now - item["age"]
        article_publish(article=article, acting_user=author, publish_at=publish_at)
        if publish_at <= now:
            # Publishing stamps "now"; a demo reads better with news spread over the last weeks.
            Article.objects.filter(pk=article.pk).update(publish_at=publish_at)
        created += 1
    return created


def _staff_ensure() -> bool:
    """A platform staff account in the public schema (TOTP is set up on first sign-in)."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    with schema_context("public"):
        user = User.objects.filter(email=data.STAFF["email"]).first()
        created = user is None
        if created:
            user = User.objects.create_superuser(email=data.STAFF["email"], password=data.PASSWORD,
                                                 name=data.STAFF["name"])
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return created


def _places_ensure() -> int:
    """Boundaries and streets for the villages in data.PLACES that have none, through the town's own imports."""
    import json

    from town.models import Ortsgemeinde, OrtsgemeindeBoundary, Street
    from town.places_services import boundaries_import, streets_import

    villages = {v.slug: v for v in Ortsgemeinde.objects.filter(slug__in=data.PLACES)}
    with_boundary = set(OrtsgemeindeBoundary.objects.values_list("ortsgemeinde__slug", flat=True))
    features = []
    touched: set[str] = set()
    for slug, ((west, south, east, north), _streets) in data.PLACES.items():
        if slug in villages and slug not in with_boundary:
            touched.add(slug)
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            features.append({"type": "Feature", "properties": {"name": villages[slug].name},
                             "geometry": {"type": "Polygon", "coordinates": [ring]}})
    if features:
        boundaries_import(data=json.dumps({"type": "FeatureCollection", "features": features}).encode())
    with_streets = set(Street.objects.values_list("ortsgemeinde__slug", flat=True))
    for slug, (_box, streets) in data.PLACES.items():
        if slug in villages and slug not in with_streets:
            touched.add(slug)
            streets_import(ortsgemeinde=villages[slug], data="\n".join(streets).encode())
    return len(touched)
