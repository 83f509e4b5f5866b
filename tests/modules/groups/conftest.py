"""Fixtures for the groups tests: residents with established accounts, groups, posts (current schema: town A)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Role, User
from modules.groups import services
from modules.groups.models import Group, MemberRole, Membership, Post, Visibility
from tests.helpers import logged_in_client
from town.models import MembershipRole, Organisation, OrganisationMembership, Ortsgemeinde, ResidentProfile


def user_make(email: str, *, role: str = Role.RESIDENT, ortsgemeinde: Ortsgemeinde | None = None,
              new_account: bool = False) -> User:
    """A resident; an established account (joined months ago) unless `new_account`, so moderation's
    limits for new accounts only apply where a test wants them."""
    user = User.objects.create_user(email=email, password="Ein-langes-Passwort-1",
                                    name=email.split("@")[0].replace(".", " ").title(), role=role)
    if not new_account:
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=200))
        user.refresh_from_db()
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def town_admin() -> User:
    return User.objects.filter(role=Role.ADMIN).order_by("pk").first()


def group_make(*, admin: User, name: str = "Lauftreff Altdorf", visibility: str = Visibility.PUBLIC,
               members: tuple[User, ...] = (), **fields) -> Group:
    group = services.group_create(acting_user=admin, name=name, visibility=visibility, **fields)
    for member in members:
        Membership.objects.create(group=group, user=member)
    return group


def post_make(group: Group, author: User, text: str = "Treffpunkt Montag 18 Uhr am Sportplatz.", **fields) -> Post:
    """A post written straight to the table (no moderation, no notifications): for lists and budgets."""
    return Post.objects.create(group=group, author=author, text=text, **fields)


def member_of(group: Group, user: User, role: str = MemberRole.MEMBER) -> Membership:
    return Membership.objects.create(group=group, user=user, role=role)


def image_upload(name: str = "foto.jpg", *, fmt: str = "JPEG", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 30)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def shown(message: str, **params) -> str:
    """`message` as a resident reads it on a page: in German, HTML-escaped."""
    from django.utils import translation
    from django.utils.html import escape

    with translation.override("de"):
        text = translation.gettext(message)
    return escape(text % params if params else text)


def client_for(town, user):
    return logged_in_client(town, user)


@pytest.fixture
def villages(in_town_a) -> dict[str, Ortsgemeinde]:
    return {
        "x": Ortsgemeinde.objects.create(name="Xanten-Au", slug="xanten-au", postal_codes="57580"),
        "y": Ortsgemeinde.objects.create(name="Ypsdorf", slug="ypsdorf", postal_codes="57581"),
    }


@pytest.fixture
def people(in_town_a) -> dict[str, User]:
    """A group founder, a member, an outsider and the town's moderator."""
    return {
        "founder": user_make("frieda.gruender@example.org"),
        "member": user_make("max.mitglied@example.org"),
        "outsider": user_make("olga.aussen@example.org"),
        "moderator": user_make("mona.moderation@example.org", role=Role.MODERATOR),
    }


@pytest.fixture
def public_group(people) -> Group:
    return group_make(admin=people["founder"], name="Lauftreff Altdorf", members=(people["member"],),
                      description="Wir laufen montags.")


@pytest.fixture
def closed_group(people) -> Group:
    return group_make(admin=people["founder"], name="Nachbarschaft Lindenweg", visibility=Visibility.CLOSED,
                      members=(people["member"],), description="Nur für Anwohner.")


@pytest.fixture
def feuerwehr(in_town_a) -> Organisation:
    return Organisation.objects.create(name="Freiwillige Feuerwehr Altdorf", slug="ff-altdorf", kind="feuerwehr")


@pytest.fixture
def fire_manager(feuerwehr) -> User:
    user = user_make("wehrfuehrer@example.org")
    OrganisationMembership.objects.create(user=user, organisation=feuerwehr, role=MembershipRole.MANAGER)
    return user



@pytest.fixture
def daytime(monkeypatch) -> datetime.datetime:
    """The clock says 12:00 in Berlin, outside everyone's quiet hours."""
    noon = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    return noon


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    """What the groups module hands to the notifications facade, call by call."""
    calls: list[dict] = []
    monkeypatch.setattr("modules.groups.services._notify", lambda **kwargs: calls.append(kwargs))
    return calls


@pytest.fixture
def stored_media() -> Iterator[list[str]]:
    """Paths of stored uploads to remove after the test (the rollback keeps files)."""
    paths: list[str] = []
    yield paths
    for path in paths:
        Path(path).unlink(missing_ok=True)
