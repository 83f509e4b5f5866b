"""Article images: real pictures only, alt text required, metadata stripped, stored per town (T7)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from modules.news import services
from modules.news.models import Article
from tests.accounts.factories import town_admin
from tests.helpers import image_upload, logged_in_client


@pytest.fixture
def stored_files():
    """Removes the files a test stored (test transactions roll back rows, not files)."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.unlink(missing_ok=True)


def _remember(article: Article, stored_files: list[Path]) -> Path:
    path = Path(article.image.path)
    stored_files.append(path)
    return path


def test_image_is_reencoded_without_metadata_under_the_towns_prefix(in_town_a, stored_files):
    # when
    article = services.article_create(
        acting_user=town_admin(), title="Mit Bild", image=image_upload("Anna Müller privat.jpg", exif=True),
        image_alt="Ein rotes Feuerwehrauto",
    )

    # then
    path = _remember(article, stored_files)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / in_town_a.schema_name / "news")
    assert "Anna" not in path.name  # random file name
    assert article.image.url.startswith(f"/media/{in_town_a.schema_name}/news/")
    with Image.open(path) as stored:
        assert stored.format == "JPEG" and stored.size == (64, 48)
        assert not stored.getexif()
    assert b"GeheimeKamera" not in path.read_bytes()


def test_image_needs_alt_text(in_town_a):
    with pytest.raises(ValidationError) as error:
        services.article_create(acting_user=town_admin(), title="Ohne Alt", image=image_upload())
    assert "image_alt" in error.value.message_dict
    assert not Article.objects.filter(title="Ohne Alt").exists()


def test_a_file_that_is_not_a_picture_is_refused(in_town_a):
    fake = SimpleUploadedFile("bild.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.article_create(acting_user=town_admin(), title="Falsch", image=fake, image_alt="x")


def test_upload_form_explains_refusals(town_a, in_town_a):
    client = logged_in_client(town_a, town_admin())
    no_alt = client.post("/news/manage/new/", {"title": "Bild ohne Text", "image": image_upload()})
    fake = client.post("/news/manage/new/", {
        "title": "Kein Bild", "image_alt": "x",
        "image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
    })
    assert no_alt.status_code == 200 and fake.status_code == 200
    assert 'role="alert"' in no_alt.content.decode() and 'role="alert"' in fake.content.decode()
    assert not Article.objects.exists()


def test_image_of_town_a_is_not_served_on_town_b(town_a, town_b, client_a, client_b, in_town_a, stored_files):
    # given
    article = services.article_create(
        acting_user=town_admin(), title="Mit Bild", image=image_upload(fmt="PNG"), image_alt="Rotes Quadrat"
    )
    _remember(article, stored_files)
    url = article.image.url

    # then: served on A's host, 404 on B's (same path, and the path with B's own prefix)
    response = client_a.get(url)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "PNG"
    assert client_b.get(url).status_code == 404
    assert client_b.get(url.replace(town_a.schema_name, town_b.schema_name)).status_code == 404


def test_replacing_and_removing_the_image_deletes_old_files(in_town_a, stored_files,
                                                            django_capture_on_commit_callbacks):
    admin = town_admin()
    article = services.article_create(acting_user=admin, title="Bild", image=image_upload(), image_alt="eins")
    first = _remember(article, stored_files)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=article, acting_user=admin, data={"image": image_upload("b.png", fmt="PNG")})
    second = _remember(article, stored_files)
    assert not first.exists() and second.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=article, acting_user=admin, data={"image": False, "image_alt": ""})
    assert not second.exists() and not Article.objects.get(pk=article.pk).image
