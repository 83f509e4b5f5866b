"""Photos on posts: re-encoded without location data, described for blind readers, at most four."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from PIL import Image

from modules.board.models import Post, PostPhoto
from tests.helpers import image_upload, logged_in_client
from tests.modules.board.factories import TopicFactory


def _form(**extra) -> dict:
    return {"topic": TopicFactory(name="Fundsachen").pk, "text": "Schwarzer Schlüsselbund am Spielplatz gefunden.",
            "target": "ortsgemeinde", **extra}


def test_a_photo_is_stored_without_its_exif_and_gps_data(town_a, anna, stored_media):
    response = logged_in_client(town_a, anna).post(
        "/board/new/", _form(photo_1=image_upload("IMG_Anna_Wohnung.jpg", exif=True), alt_1="Ein Schlüsselbund")
    )

    assert response.status_code == 302
    photo = PostPhoto.objects.get()
    stored_media.append(photo.image.path)
    assert photo.alt == "Ein Schlüsselbund"
    assert "Anna" not in photo.image.name  # the upload's own file name is not kept
    with Image.open(photo.image.path) as stored:
        exif = stored.getexif()
        assert not exif.get(0x010F) and not exif.get_ifd(0x8825)


def test_the_post_page_shows_the_photo_with_its_description(town_a, anna, stored_media):
    client = logged_in_client(town_a, anna)
    client.post("/board/new/", _form(photo_1=image_upload(), alt_1="Ein Schlüsselbund mit rotem Anhänger"))
    post = Post.objects.get()
    stored_media.append(post.photos.get().image.path)

    html = client.get(f"/board/{post.pk}/").content.decode()

    assert 'alt="Ein Schlüsselbund mit rotem Anhänger"' in html


def test_a_photo_without_description_is_refused_and_nothing_stored(town_a, anna):
    response = logged_in_client(town_a, anna).post("/board/new/", _form(photo_1=image_upload(), alt_1=""))

    assert response.status_code == 400
    with translation.override("de"):
        assert escape(gettext("Please describe what the photo shows, for people who can't see it.")) in \
            response.content.decode()
    assert not Post.objects.exists() and not PostPhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_stored(town_a, anna):
    fake = SimpleUploadedFile("bild.jpg", b"#!/bin/sh\necho kein Bild", content_type="image/jpeg")

    response = logged_in_client(town_a, anna).post("/board/new/", _form(photo_1=fake, alt_1="Ein Bild"))

    assert response.status_code == 400
    assert "PNG, JPEG, GIF" in response.content.decode()
    assert not Post.objects.exists() and not PostPhoto.objects.exists()


@override_settings(MAX_IMAGE_UPLOAD_BYTES=2048)
def test_an_oversized_upload_is_refused_and_nothing_stored(town_a, anna):
    big = Image.effect_noise((300, 300), 100).convert("RGB")
    out = io.BytesIO()
    big.save(out, format="PNG")
    upload = SimpleUploadedFile("gross.png", out.getvalue(), content_type="image/png")
    assert upload.size > 2048

    response = logged_in_client(town_a, anna).post("/board/new/", _form(photo_1=upload, alt_1="Rauschen"))

    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert not Post.objects.exists() and not PostPhoto.objects.exists()


def test_at_most_four_photos_and_the_author_can_remove_one(town_a, anna, stored_media):
    client = logged_in_client(town_a, anna)
    photos = {f"photo_{n}": image_upload(f"{n}.png", fmt="PNG") for n in range(1, 5)}
    alts = {f"alt_{n}": f"Foto {n}" for n in range(1, 5)}
    client.post("/board/new/", _form(**photos, **alts))
    post = Post.objects.get()
    stored_media.extend(photo.image.path for photo in post.photos.all())
    assert post.photos.count() == 4

    edit_page = client.get(f"/board/{post.pk}/edit/").content.decode()
    assert 'name="photo_1"' not in edit_page  # four photos: no slot left for a fifth
    first = post.photos.first()
    response = client.post(f"/board/{post.pk}/edit/", _form(remove_photos=[first.pk]))

    assert response.status_code == 302
    assert list(post.photos.values_list("alt", flat=True)) == ["Foto 2", "Foto 3", "Foto 4"]
