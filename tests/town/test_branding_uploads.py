"""Pictures the town uploads: only real images, within limits, re-encoded without metadata, served per town."""

from __future__ import annotations

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tenants.utils import schema_context
from PIL import Image

from tests.town.helpers import branding_post, png_upload, profile_of


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(admin_client_a, town_a):
    fake = SimpleUploadedFile("wappen.png", b"<script>alert(1)</script>", content_type="image/png")

    response = admin_client_a.post("/backoffice/profile/", {**branding_post(tagline="x"), "logo": fake})

    assert response.status_code == 400
    assert 'class="field has-error"' in response.content.decode()
    profile = profile_of(town_a)
    assert not profile.logo and profile.tagline == ""


def test_an_svg_logo_is_refused(admin_client_a, town_a):
    svg = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                             content_type="image/svg+xml")

    response = admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo": svg})

    assert response.status_code == 400
    assert not profile_of(town_a).logo


@override_settings(MAX_IMAGE_UPLOAD_BYTES=2_000)
def test_an_image_over_the_size_limit_is_refused(admin_client_a, town_a):
    big = png_upload(size=(400, 400), fmt="JPEG")
    assert big.size > 2_000

    response = admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo": big})

    assert response.status_code == 400
    assert not profile_of(town_a).logo


def test_an_image_with_absurd_dimensions_is_refused_before_decoding(admin_client_a, town_a):
    # A 1-colour PNG compresses to a few KB whatever its canvas: the classic decompression bomb.
    response = admin_client_a.post(
        "/backoffice/profile/", {**branding_post(), "logo": png_upload(size=(12_000, 200))}
    )

    assert response.status_code == 400
    assert "12000" in response.content.decode()
    assert not profile_of(town_a).logo


def test_uploads_are_re_encoded_without_exif_scaled_and_renamed(admin_client_a, client_a, town_a):
    # given: a photo that says where it was taken
    exif = Image.Exif()
    exif[0x010F] = "Kameramarke"  # Make
    exif[0x8825] = {1: "N", 2: (50.0, 46.0, 0.0)}  # GPSInfo
    photo = png_upload(name="max-mustermann-privat.jpg", size=(1600, 1200), fmt="JPEG", exif=exif.tobytes())

    # when
    response = admin_client_a.post("/backoffice/contact/", {
        "contact_name": "Max Mustermann", "contact_role": "", "contact_email": "", "contact_phone": "",
        "contact_hours": "", "contact_photo": photo,
    })

    # then
    assert response.status_code == 302
    with schema_context(town_a.schema_name):
        stored = profile_of(town_a).contact_photo
        url = stored.url
    assert "mustermann" not in stored.name and stored.name.startswith("branding/")
    served = client_a.get(url)
    assert served.status_code == 200
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert max(image.size) <= 600
    assert not image.getexif() and "exif" not in image.info


def test_a_header_image_needs_a_description(admin_client_a, town_a):
    response = admin_client_a.post(
        "/backoffice/profile/", {**branding_post(), "header_image": png_upload(size=(1200, 400))}
    )

    assert response.status_code == 400
    assert not profile_of(town_a).header_image

    response = admin_client_a.post("/backoffice/profile/", {
        **branding_post(header_image_alt="Blick über das Tal auf die Kirche"),
        "header_image": png_upload(size=(1200, 400)),
    })
    assert response.status_code == 302
    page = admin_client_a.get("/").content.decode()
    assert 'alt="Blick über das Tal auf die Kirche"' in page


def test_a_town_s_pictures_are_served_only_on_its_own_host(admin_client_a, client_a, client_b, town_a):
    admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo": png_upload()})
    with schema_context(town_a.schema_name):
        url = profile_of(town_a).logo.url

    assert client_a.get(url).status_code == 200
    assert client_b.get(url).status_code == 404


def test_replacing_a_logo_removes_the_old_file(admin_client_a, town_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo": png_upload(colour="#000000")})
    with schema_context(town_a.schema_name):
        first_path = profile_of(town_a).logo.path

    with django_capture_on_commit_callbacks(execute=True):
        admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo": png_upload(colour="#ffffff")})

    with schema_context(town_a.schema_name):
        second_path = profile_of(town_a).logo.path
    assert town_a.schema_name in second_path
    assert not os.path.exists(first_path)
    assert os.path.exists(second_path)


def test_the_logo_can_be_removed(admin_client_a, town_a):
    admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo": png_upload()})
    assert profile_of(town_a).logo

    response = admin_client_a.post("/backoffice/profile/", {**branding_post(), "logo-clear": "on"})

    assert response.status_code == 302
    assert not profile_of(town_a).logo
