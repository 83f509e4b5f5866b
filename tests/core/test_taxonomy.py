"""The shared taxonomy (core.taxonomy): one set of services and pages behind every module's categories and topics.

The modules' own tests (tests/modules/*/) keep checking their pages as before;
these tests cover what the sharing adds: moving terms, colour and icon, the
delete rules, marketplace's rename, and that the migration keeps every row.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

from core.slugs import german_slugify
from core.taxonomy import services
from modules.board.services import TOPICS
from modules.directory.services import CATEGORIES as DIRECTORY_CATEGORIES
from modules.marketplace.services import CATEGORIES as MARKETPLACE_CATEGORIES
from modules.news.models import Category
from modules.news.services import CATEGORIES as NEWS_CATEGORIES
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client

ALL = (NEWS_CATEGORIES, DIRECTORY_CATEGORIES, MARKETPLACE_CATEGORIES, TOPICS)


def _names() -> list[str]:
    return list(Category.objects.order_by("position", "name").values_list("name", flat=True))


def test_rows_seeded_before_the_migration_are_all_there_after_it(in_town_a):
    # given: every taxonomy table as it was before the shared taxonomy (0001), with a row of each
    executor = MigrationExecutor(connection)
    before = [(taxonomy.model._meta.app_label, "0001_initial") for taxonomy in ALL]
    after = [(taxonomy.model._meta.app_label, "0002_term_colour_icon") for taxonomy in ALL]
    state = executor.migrate(before)
    kept = {}
    for taxonomy in ALL:
        old = state.apps.get_model(taxonomy.model._meta.label)
        row = old.objects.create(name="Vor dem Umzug", slug="vor-dem-umzug", position=7)
        kept[taxonomy.model] = {(o.pk, o.name, o.slug, o.position) for o in old.objects.all()}
        assert row.pk

    # when
    executor = MigrationExecutor(connection)
    executor.migrate(after)

    # then: same ids (other rows and billing's promotions point at them), names, slugs and order
    for model, rows in kept.items():
        assert {(o.pk, o.name, o.slug, o.position) for o in model.objects.all()} == rows
        assert set(model.objects.values_list("colour", "icon").distinct()) == {("", "")}


def test_a_town_admin_moves_a_category_up_and_down(in_town_a, admin_client_a):
    assert _names() == ["Rathaus", "Vereine", "Feuerwehr", "Kirche", "Schule und Kita", "Veranstaltungen"]

    page = admin_client_a.get("/news/manage/categories/").content.decode()
    admin_client_a.post("/news/manage/categories/order/", {"pk": Category.objects.get(slug="kirche").pk,
                                                             "direction": "up"})
    admin_client_a.post("/news/manage/categories/order/", {"pk": Category.objects.get(slug="rathaus").pk,
                                                             "direction": "down"})

    assert "Nach oben" in page and "Nach unten" in page
    assert _names() == ["Vereine", "Rathaus", "Kirche", "Feuerwehr", "Schule und Kita", "Veranstaltungen"]


def test_the_top_term_stays_on_top_and_a_bad_move_changes_nothing(in_town_a, admin_client_a):
    order = _names()
    top = Category.objects.get(name=order[0])

    admin_client_a.post("/news/manage/categories/order/", {"pk": top.pk, "direction": "up"})
    response = admin_client_a.post("/news/manage/categories/order/", {"pk": "x", "direction": "sideways"}, follow=True)

    assert _names() == order
    assert "Bitte wählen Sie eine Zeile zum Verschieben." in response.content.decode()


def test_another_towns_category_cannot_be_moved_from_here(town_a, town_b, in_town_a, admin_client_b):
    only_in_a = Category.objects.create(name="Nur in A", slug="nur-in-a", position=5)
    order = _names()

    response = admin_client_b.post("/news/manage/categories/order/", {"pk": only_in_a.pk, "direction": "down"})

    assert response.status_code == 404
    assert _names() == order


def test_residents_cannot_reorder(town_a, in_town_a):
    resident = UserFactory()
    order = _names()
    kirche = Category.objects.get(slug="kirche")

    response = logged_in_client(town_a, resident).post("/news/manage/categories/order/",
                                                       {"pk": kirche.pk, "direction": "up"})

    assert response.status_code == 403 and _names() == order
    with pytest.raises(PermissionDenied):
        services.terms_reorder(NEWS_CATEGORIES, acting_user=resident, pks=[kirche.pk])


def test_reorder_refuses_a_list_with_unknown_ids_and_keeps_the_order(in_town_a, town_a):
    order = _names()

    with pytest.raises(ValidationError):
        services.terms_reorder(NEWS_CATEGORIES, acting_user=admin_of(town_a), pks=[999_999])

    assert _names() == order


def test_colour_and_icon_are_optional_and_checked(in_town_a, town_a):
    admin = admin_of(town_a)

    plain = services.term_create(NEWS_CATEGORIES, acting_user=admin, name="Straßenbau")
    styled = services.term_create(NEWS_CATEGORIES, acting_user=admin, name="Sport", colour="#1f6f43", icon="ball")
    with pytest.raises(ValidationError) as refused:
        services.term_restyle(NEWS_CATEGORIES, term=styled, acting_user=admin, colour="grün", icon="Ball!")

    assert (plain.slug, plain.colour, plain.icon) == ("strassenbau", "", "")  # German transliteration
    assert set(refused.value.message_dict) == {"colour", "icon"}
    styled.refresh_from_db()
    assert (styled.colour, styled.icon) == ("#1f6f43", "ball")


def test_marketplace_categories_can_now_be_renamed_and_keep_their_address(town_a, admin_client_a):
    from django_tenants.utils import schema_context

    from modules.marketplace.models import Category as MarketplaceCategory

    with schema_context(town_a.schema_name):
        garten = MarketplaceCategory.objects.get(name="Garten")
    admin_client_a.post(f"/marketplace/manage/categories/{garten.pk}/rename/", {"name": "Garten & Hof"})

    with schema_context(town_a.schema_name):
        garten.refresh_from_db()
    assert (garten.name, garten.slug) == ("Garten & Hof", "garten")


def test_renaming_a_business_category_updates_the_directory_search(in_town_a, town_a, client_a):
    from modules.directory.models import BusinessCategory
    from tests.modules.directory.factories import BusinessFactory

    BusinessFactory(name="Hof Sonnenschein", categories=("hofladen",))
    hofladen = BusinessCategory.objects.get(slug="hofladen")

    services.term_rename(DIRECTORY_CATEGORIES, term=hofladen, acting_user=admin_of(town_a), name="Direktvermarkter")

    assert "Hof Sonnenschein" in client_a.get("/directory/", {"q": "Direktvermarkter"}).content.decode()


def test_no_detaching_module_deletes_rows_with_its_terms():
    # "detach" promises that articles, businesses and listings stay; a CASCADE would delete them.
    for taxonomy in ALL:
        relation = taxonomy.model._meta.get_field(taxonomy.used_by)
        if taxonomy.delete_rule == "detach":
            assert relation.many_to_many or relation.on_delete is models.SET_NULL, taxonomy.model
        else:
            assert relation.on_delete is models.PROTECT, taxonomy.model


def test_the_slug_helper_lives_in_core_and_town_keeps_its_name():
    from town.services import german_slugify as town_slugify

    assert town_slugify is german_slugify
    assert german_slugify("Rüdesheim an der Straße") == "ruedesheim-an-der-strasse"
