"""SQL queries per page with 10 and with 200 items present (goal: the same number).

    python bench/queries_per_page.py [--small 10] [--large 200] [--only SUBSTRING]

One town, provisioned with every module on, first holds `--small` of every kind of
item (published articles, news categories, Ortsgemeinden, organisations, residents,
organisation members, open invitations), then `--large` of each. Every page the
journeys in tests/journeys visit, plus the back-office pages, the API lists and
details, the feeds and every module's navigation entries, is requested with
django.test.Client on the town's host as an anonymous visitor, a resident, an
organisation editor and the town admin, where the page lets that person in (a
redirect to the sign-in page, 403 or 404 is "not for this role" and skipped).

Each page is requested twice: the first request after emptying the cache (cold),
the second is the steady state (warm). The baseline is the count with `--small`
items; the ratio is count(large) / count(small). Pages whose count grows are marked.
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "zaehldorf"
ROLES = ("anonymous", "resident", "editor", "admin")


@dataclass
class Page:
    label: str
    path: str


def _populate(n: int, *, admin: Any) -> None:
    """Top every kind of item up to `n` in the current town schema (idempotent, adds only what is missing)."""
    from django.utils import timezone

    from accounts.models import Role, User
    from modules.news.models import Article, Category
    from modules.news.services import article_create, article_publish
    from town.models import (
        Invitation,
        InvitationRole,
        MembershipRole,
        Organisation,
        OrganisationMembership,
        Ortsgemeinde,
        ResidentProfile,
    )
    from town.people_services import organisation_create
    from town.services import ortsgemeinde_create

    for i in range(Ortsgemeinde.objects.count(), n):
        ortsgemeinde_create(name=f"Ortsdorf {i:03d}", slug=f"ortsdorf-{i:03d}", postal_codes=f"{57000 + i}")
    places = list(Ortsgemeinde.objects.order_by("slug"))
    for i in range(Organisation.objects.count(), n):
        organisation_create(acting_user=admin, name=f"Verein {i:03d}", slug=f"verein-{i:03d}",
                            description="Ein Verein im Ort.", ortsgemeinde=places[i % len(places)])
    organisations = list(Organisation.objects.order_by("slug"))
    for i in range(Category.objects.filter(slug__startswith="thema-").count(), n):
        Category.objects.create(name=f"Thema {i:03d}", slug=f"thema-{i:03d}", position=200 + i)
    categories = list(Category.objects.order_by("slug"))
    # People: residents spread over the villages; every fifth one writes for the probe organisation.
    existing = User.objects.filter(email__startswith="person").count()
    for i in range(existing, n):
        person = User.objects.create_user(email=f"person{i:03d}@example.org", password=None,
                                          name=f"Person {i:03d}", role=Role.RESIDENT)
        person.privacy_accepted_at = timezone.now()
        person.save(update_fields=["privacy_accepted_at"])
        ResidentProfile.objects.create(user=person, ortsgemeinde=places[i % len(places)])
        if i % 5 == 0:
            OrganisationMembership.objects.create(organisation=organisations[0], user=person,
                                                  role=MembershipRole.EDITOR)
    for i in range(Invitation.objects.filter(email__startswith="invited").count(), n):
        Invitation.objects.create(email=f"invited{i:03d}@example.org", role=InvitationRole.EDITOR,
                                  organisation=organisations[i % len(organisations)], invited_by=admin,
                                  expires_at=timezone.now() + timezone.timedelta(days=14))
    # Articles: every other one by the probe organisation, each for two villages and a category.
    for i in range(Article.objects.count(), n):
        article = article_create(
            acting_user=admin, title=f"Nachricht {i:03d} aus dem Ort", teaser="Kurz gesagt.",
            body="<p>Text mit <strong>Inhalt</strong>.</p>", category=categories[i % len(categories)],
            organisation=organisations[0] if i % 2 == 0 else None,
            ortsgemeinden=[places[0], places[i % len(places)]],
        )
        article_publish(article=article, acting_user=admin)
    # The probe article (the first one) is meant for every village, so its detail page lists n of them.
    Article.objects.order_by("pk").first().ortsgemeinden.set(places)


def _inventory() -> dict[str, int]:
    """How many items of each kind the town holds, printed so a reader can check the bench measured what it says."""
    from accounts.models import User
    from modules.news.models import Article, Category
    from town.models import Invitation, Organisation, OrganisationMembership, Ortsgemeinde

    return {
        "published articles": Article.objects.filter(status="published").count(),
        "categories": Category.objects.count(),
        "Ortsgemeinden": Ortsgemeinde.objects.count(),
        "organisations": Organisation.objects.count(),
        "people": User.objects.count(),
        "memberships": OrganisationMembership.objects.count(),
        "open invitations": Invitation.objects.filter(accepted_at__isnull=True).count(),
        "villages of the probe article": Article.objects.order_by("pk").first().ortsgemeinden.count(),
    }


def _pages() -> list[Page]:
    """The pages to count, probe objects being the first of each kind."""
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from core.modules import all_modules
    from modules.news.models import Article, Category
    from town.models import Organisation, Ortsgemeinde

    article = Article.objects.order_by("pk").first()
    organisation = Organisation.objects.order_by("slug").first()
    place = Ortsgemeinde.objects.order_by("slug").first()
    category = Category.objects.order_by("slug").first()
    person = User.objects.filter(email__startswith="person").order_by("pk").first()

    def page(label: str, name: str, query: str = "", **kwargs: Any) -> Page:
        return Page(label, reverse(name, kwargs=kwargs or None) + query)

    pages = [
        # journeys (a)–(c): start, sign-in/up, news, article, organisations
        page("home", "home"),
        page("sign in", "account_login"),
        page("register", "account_signup"),
        page("news list", "news:article-list"),
        page("news list, page 2", "news:article-list", "?page=2"),
        page("news list, one village", "news:article-list", f"?ortsgemeinde={place.slug}"),
        page("news list, search", "news:article-list", "?q=Nachricht"),
        page("news list, one category", "news:article-list", f"?category={category.slug}"),
        page("news detail", "news:article-detail", slug=article.slug),
        page("news RSS", "news:feed-rss"),
        page("news Atom", "news:feed-atom"),
        page("news RSS, one village", "news:feed-ortsgemeinde-rss", ortsgemeinde=place.slug),
        page("organisations", "town:organisation-list"),
        page("organisation profile", "town:organisation", slug=organisation.slug),
        page("impressum", "impressum"),
        page("privacy policy", "privacy"),
        page("my account", "town:account"),
        page("my API tokens", "api:token-list"),
        # back office (journeys a and c)
        page("back office", "town:backoffice"),
        page("bo: town profile", "town:backoffice-branding"),
        page("bo: contact", "town:backoffice-contact"),
        page("bo: legal texts", "town:backoffice-legal"),
        page("bo: Ortsgemeinden", "town:ortsgemeinde-list"),
        page("bo: add Ortsgemeinde", "town:ortsgemeinde-add"),
        page("bo: edit Ortsgemeinde", "town:ortsgemeinde-edit", pk=place.pk),
        page("bo: modules", "town:module-list"),
        page("bo: people", "town:people"),
        page("bo: person", "town:person", pk=person.pk),
        page("bo: invite", "town:invite"),
        page("bo: organisations", "town:organisation-admin-list"),
        page("bo: new organisation", "town:organisation-admin-create"),
        page("bo: edit organisation", "town:organisation-admin-edit", slug=organisation.slug),
        page("bo: organisation members", "town:organisation-admin-members", slug=organisation.slug),
        page("bo: news articles", "news:article-manage"),
        page("bo: write article", "news:article-create"),
        page("bo: edit article", "news:article-edit", slug=article.slug),
        page("bo: news categories", "news:category-manage"),
        # API
        page("API town", "api:town-profile"),
        page("API Ortsgemeinden", "api:ortsgemeinde-list"),
        page("API organisations", "api:organisation-list"),
        page("API organisation", "api:organisation-detail", slug=organisation.slug),
        page("API me", "api:me"),
        page("API news list", "news-api:article-list"),
        page("API news detail", "news-api:article-detail", slug=article.slug),
    ]
    # Every module's navigation entries and settings page, so a later module's pages are counted without
    # editing this list.
    seen = {p.path for p in pages}
    for key, module in all_modules().items():
        if module.spec.settings_form:
            pages.append(page(f"bo: {key} settings", "town:module-settings", key=key))
        for item in module.spec.nav:
            try:
                path = reverse(item.url_name)
            except NoReverseMatch:
                continue
            if path not in seen:
                seen.add(path)
                pages.append(Page(f"{key}: {item.url_name.split(':')[-1]}", path))
    return pages


def _count(clients: dict[str, Any], pages: list[Page], host: str) -> dict[tuple[str, str], dict[str, Any]]:
    """{(page label, role): {status, cold, warm}} for every page and role."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for page in pages:
        for role, client in clients.items():
            cache.clear()
            numbers = []
            for _ in range(2):
                # The query log keeps the last 9,000 statements: once full, CaptureQueriesContext's
                # before/after lengths are equal and every page read 0 (36 pages were marked GROWS).
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(page.path, HTTP_HOST=host)
                connection.set_schema_to_public()
                numbers.append(len(captured))
            counts[(page.label, role)] = {"status": response.status_code, "cold": numbers[0], "warm": numbers[1]}
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--only", default="", help="count only pages whose label contains this")
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import logging

    import django

    django.setup()
    # 403/404 for roles a page is not meant for are expected here; server errors (ERROR) still show.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from core.modules import all_modules
    from tenants.services import tenant_module_enable, town_create
    from town.models import MembershipRole, OrganisationMembership, Ortsgemeinde, ResidentProfile

    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    host = f"{SLUG}.{settings.BASE_DOMAIN}"
    results: dict[int, dict[tuple[str, str], dict[str, Any]]] = {}
    inventory: dict[int, dict[str, int]] = {}
    try:
        town = town_create(name="Zähldorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        clients: dict[str, Any] = {role: Client() for role in ROLES}
        with schema_context(town.schema_name):
            admin = User.objects.get(role=Role.ADMIN)
            _populate(args.small, admin=admin)
            resident = User.objects.create_user(email="resident@example.org", password=None, name="Rita Resident",
                                                role=Role.RESIDENT)
            ResidentProfile.objects.create(user=resident, ortsgemeinde=Ortsgemeinde.objects.order_by("slug").first())
            editor = User.objects.create_user(email="editor@example.org", password=None, name="Eddi Editor",
                                              role=Role.RESIDENT)
            from town.models import Organisation

            OrganisationMembership.objects.create(organisation=Organisation.objects.order_by("slug").first(),
                                                  user=editor, role=MembershipRole.EDITOR)
            for role, user in (("resident", resident), ("editor", editor), ("admin", admin)):
                clients[role].force_login(user)
        for n in (args.small, args.large):
            with schema_context(town.schema_name):
                _populate(n, admin=admin)
                pages = [p for p in _pages() if args.only.lower() in p.label.lower()]
                inventory[n] = _inventory()
            print(f"counting {len(pages)} pages × {len(ROLES)} roles with "
                  + ", ".join(f"{v} {k}" for k, v in inventory[n].items()), flush=True)
            connection.set_schema_to_public()
            results[n] = _count(clients, pages, host)
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    small, large = results[args.small], results[args.large]
    rows, records, grown = [], [], []
    for key, base in small.items():
        label, role = key
        other = large.get(key)
        allowed = base["status"] == 200 and other is not None and other["status"] == 200
        if not allowed:
            records.append({"page": label, "role": role, "status": [base["status"], other and other["status"]]})
            continue
        ratio = other["warm"] / base["warm"] if base["warm"] else (1.0 if other["warm"] == 0 else float("inf"))
        grows = other["warm"] != base["warm"] or other["cold"] != base["cold"]
        if grows:
            grown.append(f"{label} ({role})")
        rows.append([label, role, base["warm"], other["warm"], f"{ratio:.2f}", base["cold"], other["cold"],
                     "GROWS" if grows else ""])
        records.append({"page": label, "role": role, "status": 200, "small": base, "large": other,
                        "ratio_warm": ratio, "grows": grows})
    print(f"\nSQL queries per request; baseline = {args.small} items, "
          f"ratio = count({args.large}) / count({args.small})")
    benchlib.table_print(
        ["page", "role", f"warm@{args.small}", f"warm@{args.large}", "ratio", f"cold@{args.small}",
         f"cold@{args.large}", ""],
        rows, align="<<>>>>><",
    )
    print(f"\n{len(rows)} page/role pairs counted; {len(grown)} grow with the number of items"
          + (": " + ", ".join(grown) if grown else ""))
    counted = {row[0] for row in rows}
    unreachable = sorted({label for label, _role in small} - counted)
    if unreachable:
        print("not counted, no role got a 200 with both amounts: " + ", ".join(unreachable))
    benchlib.results_write("queries_per_page", {
        "settings": vars(args),
        "baseline": f"queries with {args.small} items",
        "items": inventory,
        "growing": grown,
        "unreachable": unreachable,
        "results": records,
    })


if __name__ == "__main__":
    main()
