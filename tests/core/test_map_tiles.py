"""Map tiles come through the platform's caching proxy, from a local tile stub here (never the internet)."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from PIL import Image


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(buffer, "PNG")
    return buffer.getvalue()


class TileStub(BaseHTTPRequestHandler):
    """Answers /<z>/<x>/<y>.png with a PNG; /9/... with an HTML page, /10/... with a redirect, /11/... too big."""

    png = _png()
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        TileStub.requests.append(self.path)
        zoom = self.path.split("/")[1]
        if zoom == "9":
            body, kind, status = b"<html>nope</html>", "text/html", 200
        elif zoom == "10":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        elif zoom == "11":
            body, kind, status = self.png + b"\0" * (600 * 1024), "image/png", 200
        elif zoom == "12":
            body, kind, status = b"", "text/plain", 500
        else:
            body, kind, status = self.png, "image/png", 200
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def tile_stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TileStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tiles_from_stub(tile_stub):
    TileStub.requests.clear()
    # The stub runs on this machine: let the outbound client reach loopback for this test only.
    with override_settings(MAP_TILE_URL=tile_stub, MAP_TILE_TIMEOUT_SECONDS=2,
                           OUTBOUND_ALLOWED_NETWORKS=["127.0.0.1/32"]):
        yield


def test_a_tile_comes_through_the_proxy_and_then_from_the_cache(tiles_from_stub, client_a):
    first = client_a.get("/karte/kacheln/3/4/2.png")
    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert first.content == TileStub.png
    assert "max-age" in first["Cache-Control"]
    assert client_a.get("/karte/kacheln/3/4/2.png").content == TileStub.png
    assert TileStub.requests == ["/3/4/2.png"]  # the tile server was asked once


def test_numbers_that_are_no_tile_are_404_without_asking_the_server(tiles_from_stub, client_a):
    for path in ("/karte/kacheln/3/8/0.png", "/karte/kacheln/3/0/8.png", "/karte/kacheln/20/0/0.png"):
        assert client_a.get(path).status_code == 404, path
    assert TileStub.requests == []


@pytest.mark.parametrize("zoom", [9, 10, 11, 12], ids=["not-an-image", "redirect", "too-large", "server-error"])
def test_a_bad_answer_from_the_tile_server_is_not_passed_on(tiles_from_stub, client_a, zoom):
    response = client_a.get(f"/karte/kacheln/{zoom}/0/0.png")
    assert response.status_code == 502
    assert response.content == b""
    assert len(TileStub.requests) == 1  # a redirect is not followed


def test_an_unreachable_tile_server_is_a_quick_502(client_a):
    # test settings point at a port where nothing listens
    assert client_a.get("/karte/kacheln/1/0/0.png").status_code == 502


def test_with_maps_switched_off_there_are_no_tiles(client_a):
    with override_settings(MAP_TILE_URL=""):
        assert client_a.get("/karte/kacheln/1/0/0.png").status_code == 404


def test_the_proxy_fetches_at_most_its_budget_per_minute(tiles_from_stub, client_a, monkeypatch):
    monkeypatch.setattr("core.maps._minute", lambda: 30_000_000)  # all within one minute
    with override_settings(MAP_TILE_FETCHES_PER_MINUTE=2):
        assert client_a.get("/karte/kacheln/2/0/0.png").status_code == 200
        assert client_a.get("/karte/kacheln/2/0/1.png").status_code == 200
        assert client_a.get("/karte/kacheln/2/0/2.png").status_code == 502  # budget used up
        assert client_a.get("/karte/kacheln/2/0/0.png").status_code == 200  # from the cache
    assert len(TileStub.requests) == 2
