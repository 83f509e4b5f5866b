"""The personal-data service: one archive with everything about a person, one erasure of it (GDPR Art. 15, 17)."""

from __future__ import annotations

import os
import stat
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from api.models import ApiToken
from api.services import api_token_create
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from accounts.models import User
from core.personal_data import _archive_name, personal_data_erase, personal_data_providers
from modules.board.models import Post, PostPhoto, Topic
from tests.core.personal_data_helpers import archive_of, flat, person, stored_file
from tests.helpers import admin_of, logged_in_client

pytestmark = pytest.mark.django_db


def _post(author, text: str, *, photo: str = "") -> Post:
    topic, _created = Topic.objects.get_or_create(slug="plausch", defaults={"name": "Plausch"})
    post = Post.objects.create(author=author, topic=topic, text=text, expires_at=timezone.now() + timedelta(days=9))
    if photo:
        PostPhoto.objects.create(post=post, image=photo, alt="Ein Foto")
    return post


def _sessions_of(user) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk))


def test_the_archive_holds_every_section_and_the_persons_files_only(in_town_a):
    # given
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    photo = stored_file("board/leiter.png", b"annas-foto")
    other_photo = stored_file("board/rad.png", b"berts-foto")
    try:
        _post(anna, "Wer leiht mir eine Leiter?", photo=photo)
        _post(bert, "Fahrrad zu verschenken", photo=other_photo)

        # when
        data, files = archive_of(anna)

        # then
        assert set(data["sections"]) == {provider.key for provider in personal_data_providers()}
        assert data["sections"]["account"]["profile"]["email"] == "anna@example.org"
        assert "Wer leiht mir eine Leiter?" in flat(data) and "Fahrrad" not in flat(data)
        assert "bert@example.org" not in flat(data)
        assert list(files.values()) == [b"annas-foto"]
        assert data["files"] == {photo: next(iter(files))}
        assert next(iter(files)).startswith("files/board/")
    finally:
        default_storage.delete(photo)
        default_storage.delete(other_photo)


def test_archive_file_names_are_plain_and_stay_inside_the_archive():
    name = _archive_name("board", 7, "board/../../../etc/Ärger Bild (1).png")
    assert name == "files/board/007-rger_Bild_1_.png"
    assert _archive_name("x/../y", 1, "/abs/..") == "files/x_.._y/001-file"
    assert ".." not in name and name.count("/") == 2


def test_erasure_empties_the_account_and_ends_its_sessions_and_tokens(town_a):
    # given
    with schema_context(town_a.schema_name):
        anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
        Authenticator.objects.create(user=anna, type=Authenticator.Type.TOTP, data={"secret": "geheim"})
        api_token_create(user=anna, name="Kalender-App")
        api_token_create(user=bert, name="Berts App")
    anna_client, bert_client = logged_in_client(town_a, anna), logged_in_client(town_a, bert)

    # when
    with tenant_context(town_a):
        personal_data_erase(anna)

        # then: the row stays as a shell that names nobody and can't sign in
        anna.refresh_from_db()
        assert (anna.is_active, anna.name, anna.role) == (False, "", "resident")
        assert anna.email.endswith("@erased.invalid") and "anna" not in anna.email
        assert not anna.has_usable_password()
        assert not EmailAddress.objects.filter(email="anna@example.org").exists()
        assert not Authenticator.objects.filter(user=anna).exists()
        assert not ApiToken.objects.filter(user=anna).exists()
        assert _sessions_of(anna) == 0
        # Bert is untouched
        assert User.objects.get(pk=bert.pk).is_active and ApiToken.objects.filter(user=bert).count() == 1
        assert _sessions_of(bert) == 1
    assert anna_client.get("/accounts/email/").status_code == 302  # sent to the login
    assert bert_client.get("/accounts/email/").status_code == 200


def test_the_persons_files_go_after_the_commit(in_town_a, django_capture_on_commit_callbacks):
    anna = person("anna@example.org")
    photo = stored_file("board/weg.png")
    _post(anna, "Leiter gesucht", photo=photo)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        personal_data_erase(anna)
    assert default_storage.exists(photo)  # not before the commit
    for callback in callbacks:
        callback()
    assert not default_storage.exists(photo)


def test_the_last_administrator_cannot_be_erased_and_nothing_changes(in_town_a, django_capture_on_commit_callbacks):
    admin = admin_of(in_town_a)
    photo = stored_file("board/bleibt.png")
    try:
        post = _post(admin, "Bürgerversammlung am Montag", photo=photo)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            personal_data_erase(admin)
        admin.refresh_from_db()
        assert admin.is_active and admin.name
        assert Post.objects.filter(pk=post.pk).exists()
        assert default_storage.exists(photo)
    finally:
        default_storage.delete(photo)


def test_export_and_erasure_in_one_town_leave_the_same_address_in_another_town_alone(town_a, town_b):
    # given: the same address (and, with per-schema sequences, likely the same id) in both towns
    people = {}
    for town in (town_a, town_b):
        with schema_context(town.schema_name):
            people[town.slug] = person("same@example.org", "Sabine Selbe")
            _post(people[town.slug], f"Beitrag in {town.slug}")

    # when
    with tenant_context(town_a):
        data, _files = archive_of(people[town_a.slug])
        personal_data_erase(people[town_a.slug])

    # then
    assert "Beitrag in altdorf" in flat(data) and "bergdorf" not in flat(data)
    with schema_context(town_b.schema_name):
        other = User.objects.get(email="same@example.org")
        assert other.is_active and other.name == "Sabine Selbe"
        assert Post.objects.filter(author=other, text="Beitrag in bergdorf").exists()
        assert EmailAddress.objects.filter(user=other).exists()
    with schema_context(town_a.schema_name):
        assert not User.objects.filter(email="same@example.org").exists()
        assert not Post.objects.filter(text="Beitrag in altdorf").exists()


def test_the_service_refuses_the_public_schema(db):
    with pytest.raises(RuntimeError):
        personal_data_erase(User(pk=1))


def test_command_exports_to_a_file_only_its_owner_can_read(town_a, tmp_path):
    with schema_context(town_a.schema_name):
        person("anna@example.org", "Anna Albers")
    target = tmp_path / "anna.zip"

    call_command("personal_data", schema=town_a.schema_name, email="Anna@Example.org", export=str(target))

    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    with zipfile.ZipFile(target) as zf:
        assert b"Anna Albers" in zf.read("data.json")
    with pytest.raises(CommandError, match="exists already"):
        call_command("personal_data", schema=town_a.slug, email="anna@example.org", export=str(target))


def test_command_erases_only_when_confirmed(town_a):
    with schema_context(town_a.schema_name):
        anna = person("anna@example.org", "Anna Albers")

    with pytest.raises(CommandError, match="--yes"):
        call_command("personal_data", schema=town_a.slug, email="anna@example.org", erase=True)
    with schema_context(town_a.schema_name):
        assert User.objects.get(pk=anna.pk).is_active

    call_command("personal_data", schema=town_a.slug, email="anna@example.org", erase=True, yes=True)
    with schema_context(town_a.schema_name):
        assert not User.objects.get(pk=anna.pk).is_active


def test_command_names_what_it_could_not_find(town_a):
    with pytest.raises(CommandError, match="No town"):
        call_command("personal_data", schema="nirgendwo", email="anna@example.org", erase=True, yes=True)
    with pytest.raises(CommandError, match="Nobody"):
        call_command("personal_data", schema=town_a.slug, email="niemand@example.org", erase=True, yes=True)
    with pytest.raises(CommandError, match="Anna Admin"):  # the last administrator
        call_command("personal_data", schema=town_a.slug, email="admin@example.org", erase=True, yes=True)
