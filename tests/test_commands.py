"""The two commands' helpers: the demo town `dorfkern.py run` loads, and `dorfkern.py test`'s exit codes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tenants.utils import schema_context, tenant_context

from demo import data
from demo.loader import demo_load, demo_town_get


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for a module's tests inside a transaction rolled back after the last one.

    Loading it (a town provisioned, its people, organisations and every module's samples) costs seconds;
    each test's own transaction nests inside this one (a savepoint), so what a test changes is gone for
    the next, and afterwards other tests see only towns A and B.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        assert demo_town_get() is None


@pytest.fixture
def demo_town(_demo_loaded, db):
    """The demo town, loaded into the test database (once per module: see `_demo_loaded`)."""
    return demo_town_get()


def test_demo_town_has_its_villages_people_and_news(demo_town):
    from accounts.models import Role, User
    from modules.news.models import Article, ArticleStatus
    from tenants.selectors import tenant_enabled_modules
    from town.models import (
        Organisation,
        OrganisationKind,
        OrganisationMembership,
        Ortsgemeinde,
        ResidentProfile,
        TownProfile,
    )

    # then: the town and all its modules
    assert demo_town.name == data.TOWN["name"]
    assert demo_town.schema_name == "t_betzdorf_gebhardshain"
    from core.modules import all_modules

    assert tenant_enabled_modules(tenant=demo_town, fresh=True) == set(all_modules())

    with tenant_context(demo_town):
        villages = dict(Ortsgemeinde.objects.values_list("slug", "postal_codes"))
        assert len(villages) == len(data.ORTSGEMEINDEN) == 17
        assert villages["betzdorf"] == "57518"
        assert villages["malberg"] == "57629"

        profile = TownProfile.objects.get()
        assert profile.contact_name and profile.impressum.startswith("DEMO")
        assert profile.privacy_policy.startswith("DEMO")

        # (the Branchenbuch's demo businesses are organisations of their own kind)
        assert Organisation.objects.exclude(kind=OrganisationKind.BUSINESS).count() == len(data.ORGANISATIONS)

        # every demo login works with the demo password and a confirmed address
        admin = User.objects.get(email=data.ADMIN["email"])
        assert admin.role == Role.ADMIN and admin.check_password(data.PASSWORD)
        assert User.objects.get(email=data.email_of("moderation")).role == Role.MODERATOR
        for local in data.PEOPLE:
            user = User.objects.get(email=data.email_of(local))
            assert user.check_password(data.PASSWORD)
            assert user.emailaddress_set.get().verified
        firefighter = User.objects.get(email=data.email_of("feuerwehr"))
        assert OrganisationMembership.objects.filter(
            user=firefighter, organisation__slug="feuerwehr-betzdorf"
        ).exists()
        # the town hall confirms addresses on request: residents carry the badge, one request waits
        from town.models import ResidencyPolicy, ResidencyStatus, ResidencyVerification

        assert ResidencyPolicy.objects.get().method == "approval"
        assert ResidencyVerification.objects.filter(status=ResidencyStatus.VERIFIED).count() == len(data.PEOPLE) - 1
        assert ResidencyVerification.objects.get(status=ResidencyStatus.PENDING).user.email == data.email_of(
            "peter.schneider")
        residents_in = set(ResidentProfile.objects.values_list("ortsgemeinde__slug", flat=True))
        assert {"betzdorf", "gebhardshain", "elkenroth", "steinebach-sieg"} <= residents_in

        articles = Article.objects.all()
        assert articles.count() == len(data.ARTICLES) == 12
        assert articles.filter(status=ArticleStatus.SCHEDULED).count() == 1
        assert articles.filter(organisation__isnull=True).exists()
        assert articles.filter(organisation__slug="feuerwehr-betzdorf").exists()
        assert articles.filter(ortsgemeinden__slug="elben").exists()
        assert not any("<script" in body for body in articles.values_list("body", flat=True))

    with schema_context("public"):
        staff = User.objects.get(email=data.STAFF["email"])
        assert staff.is_staff and staff.check_password(data.PASSWORD)


def test_loading_the_demo_twice_adds_nothing(demo_town):
    from accounts.models import User
    from modules.news.models import Article
    from town.models import Organisation, Ortsgemeinde

    def counts() -> tuple[int, ...]:
        with tenant_context(demo_town):
            return (User.objects.count(), Ortsgemeinde.objects.count(), Organisation.objects.count(),
                    Article.objects.count())

    # given
    before = counts()

    # when
    summary = demo_load()

    # then
    assert not summary.changed
    assert counts() == before
    assert demo_town_get().pk == demo_town.pk


def test_demo_town_home_page_shows_its_news(demo_town):
    from tests.helpers import TownClient

    # when
    response = TownClient(f"{data.TOWN['slug']}.localhost").get("/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert data.TOWN["name"] in page
    # the newest town-wide article, through the news module's home widget
    assert "Bürgerbüro mit neuen Öffnungszeiten" in page
    # the scheduled one is not out yet
    assert "Abholung der Weihnachtsbäume" not in page


@pytest.fixture
def bare_pytest(monkeypatch):
    """The test command's pytest without the installed plugins (schemathesis, playwright ...): seconds less to start."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def test_test_command_reports_an_empty_selection(tmp_path, capfd, bare_pytest):
    # pytest's "no tests collected" (exit code 5) must not pass for success in CI.
    from config.devtools import PYTEST_NO_TESTS_COLLECTED, run_tests

    # given: a test file without tests, outside the project's configuration
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_nothing.py").write_text("")

    # when
    # (the static checks have their own tests in tests/test_static_checks.py)
    pytest_args = ["-q", "-p", "no:django", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)]
    code = run_tests(pytest_args, with_static_checks=False)

    # then
    assert code == PYTEST_NO_TESTS_COLLECTED
    assert "collected no tests" in capfd.readouterr().err


def test_test_command_always_uses_the_test_settings(tmp_path, monkeypatch, bare_pytest):
    # Importing `config` defaults DJANGO_SETTINGS_MODULE to the dev settings; the
    # suite must still run against the test database, never the dev one.
    from config.devtools import run_tests

    # given
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_env.py").write_text(
        "import os\n\ndef test_settings():\n    assert os.environ['DJANGO_SETTINGS_MODULE'] == 'config.settings.test'\n"
    )

    # when
    # (the static checks have their own tests in tests/test_static_checks.py)
    pytest_args = ["-q", "-p", "no:django", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)]
    code = run_tests(pytest_args, with_static_checks=False)

    # then
    assert code == 0


def test_demo_town_shows_its_office_hours_and_serves_them_as_a_calendar(demo_town):
    from icalendar import Calendar

    from tests.helpers import TownClient

    client = TownClient(f"{data.TOWN['slug']}.localhost")
    page = client.get("/impressum/").content.decode()
    feed = Calendar.from_ical(client.get("/kalender/ical/gebhardshain/").content)

    assert "Donnerstag 14:00–18:00" in page and "Sprechstunde der Digitallotsin" in page
    titles = [str(event["SUMMARY"]) for event in feed.walk("VEVENT")]
    assert "Sprechstunde Ortsbürgermeister" in titles and "Sprechstunde Ortsbürgermeisterin" not in titles
    # The town's Bürgerbüro hours belong to the Rathaus & Bürgerservice offices, which name them.
    assert "Bürgerbüro Betzdorf" in titles and "Bürgerbüro Gebhardshain" in titles


def test_demo_places_agree_with_the_demo_businesses(demo_town):
    """The demo town's places agree with its businesses: the map, a point's Ortsgemeinde and typed addresses."""
    from modules.directory.models import Business
    from town.places_selectors import address_matches, ortsgemeinde_at

    with tenant_context(demo_town):
        # every demo business with a position lies in the Ortsgemeinde it names, where the demo has a boundary
        businesses = Business.objects.filter(latitude__isnull=False, ortsgemeinde__slug__in=data.PLACES)
        assert businesses.count() >= 4
        for business in businesses:
            found = ortsgemeinde_at(lat=float(business.latitude), lon=float(business.longitude))
            assert found == business.ortsgemeinde, business.name
        [match] = address_matches("Birkenweg 3, Elkenroth")
        assert match.ortsgemeinde.slug == "elkenroth"
        assert len(address_matches("Hauptstr. 1")) == 3  # Gebhardshain, Steinebach/Sieg, Elkenroth


def test_test_command_splits_the_whole_suite_over_two_workers_and_a_selection_when_asked(monkeypatch):
    from config.devtools import pytest_worker_args

    pytest.importorskip("xdist")
    monkeypatch.delenv("DORFKERN_TEST_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    # the whole suite: one worker per core, up to two
    assert pytest_worker_args(["--durations=60"]) == ["--durations=60", "-n", "2", "--dist", "loadfile"]
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert pytest_worker_args([]) == ["-n", "2", "--dist", "loadfile"]
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert pytest_worker_args([]) == []
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    # a selection runs in one process
    assert pytest_worker_args(["tests/core/test_health.py", "-x"]) == ["tests/core/test_health.py", "-x"]
    assert pytest_worker_args(["-k", "isolation"]) == ["-k", "isolation"]
    # one process when asked
    monkeypatch.setenv("DORFKERN_TEST_WORKERS", "1")
    assert pytest_worker_args(["-q"]) == ["-q"]

    monkeypatch.setenv("DORFKERN_TEST_WORKERS", "2")
    assert pytest_worker_args(["-q"]) == ["-q", "-n", "2", "--dist", "loadfile"]
    # the caller's own choice wins
    assert pytest_worker_args(["-n", "3"]) == ["-n", "3"]
    assert pytest_worker_args(["-p", "no:xdist"]) == ["-p", "no:xdist"]
