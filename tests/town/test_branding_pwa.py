"""The PWA manifest and icons carry each town's own name, colour and logo."""

from __future__ import annotations

import io
import json

from PIL import Image

from tests.town.helpers import branding_post, png_upload


def test_each_town_has_its_own_manifest(client_a, client_b, admin_client_b):
    # given: town B picks another colour
    admin_client_b.post("/backoffice/profile/", branding_post(name="Stadt Bergdorf", primary_colour="#6a1b9a"))

    # when
    manifest_a = json.loads(client_a.get("/manifest.webmanifest").content)
    response_b = client_b.get("/manifest.webmanifest")
    manifest_b = json.loads(response_b.content)

    # then
    assert response_b["Content-Type"] == "application/manifest+json"
    assert manifest_a["name"] == "Verbandsgemeinde Altdorf" and manifest_a["theme_color"] == "#1f5f8b"
    assert manifest_b["name"] == "Stadt Bergdorf" and manifest_b["theme_color"] == "#6a1b9a"
    assert manifest_a["short_name"] == "VG Altdorf" and manifest_b["short_name"] == "Bergdorf"
    assert len(manifest_a["short_name"]) <= 12
    assert {icon["sizes"] for icon in manifest_a["icons"]} == {"192x192", "512x512"}
    assert {icon["purpose"] for icon in manifest_a["icons"]} == {"any", "maskable"}


def test_icons_are_pngs_of_the_requested_size_in_the_town_colour(client_a):
    for size in (192, 512):
        response = client_a.get(f"/icon-{size}.png")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.format == "PNG" and image.size == (size, size)
        assert image.convert("RGB").getpixel((2, 2)) == (0x1F, 0x5F, 0x8B)


def test_icons_of_other_sizes_do_not_exist(client_a):
    assert client_a.get("/icon-64.png").status_code == 404


def test_the_icon_shows_the_logo_once_there_is_one(admin_client_a, client_a):
    # given: a red coat of arms
    before = Image.open(io.BytesIO(client_a.get("/icon-192.png").content)).convert("RGB")
    response = admin_client_a.post(
        "/backoffice/profile/", {**branding_post(), "logo": png_upload(colour="#c00000", size=(200, 200))}
    )
    assert response.status_code == 302

    # when
    after = Image.open(io.BytesIO(client_a.get("/icon-192.png").content)).convert("RGB")

    # then: logo in the middle on white ground, no longer the initial on blue
    assert after.getpixel((96, 96)) == (0xC0, 0x00, 0x00)
    assert after.getpixel((2, 2)) == (255, 255, 255)
    assert before.getpixel((2, 2)) != after.getpixel((2, 2))


def test_pages_link_the_manifest_and_icons(client_a):
    page = client_a.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'href="/icon-192.png"' in page


def test_the_service_worker_is_served_for_the_whole_host_and_never_cached(client_a):
    response = client_a.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    assert "/static/core/site.css" in response.content.decode()
    assert '"/brand.css?v=' in response.content.decode()  # the town's colours work offline too


def test_a_new_name_reaches_the_manifest_on_the_next_request(admin_client_a, client_a):
    client_a.get("/manifest.webmanifest")  # cached profile

    admin_client_a.post("/backoffice/profile/", branding_post(name="Verbandsgemeinde Altdorf-Neu"))

    assert json.loads(client_a.get("/manifest.webmanifest").content)["name"] == "Verbandsgemeinde Altdorf-Neu"
