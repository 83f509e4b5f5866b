"""The reverse proxy as deployed (deploy/Caddyfile) in front of a live platform: a certificate only for
verified addresses, and the town's page through it (issue 18 §8, ISOLATION T11).

Caddy runs from Debian's package with its own local CA instead of Let's Encrypt; everything else is
the repository's Caddyfile, with `web:8000` pointed at the test's live server.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from tests.helpers import host_of

pytestmark = [
    pytest.mark.skipif(shutil.which("caddy") is None, reason="needs Caddy (apt-get install caddy)"),
    pytest.mark.django_db(transaction=True),
]

CADDYFILE = Path(__file__).resolve().parents[2] / "deploy" / "Caddyfile"
VERIFIED = "digital.vg-musterhausen.de"
CLAIMED = "portal.vg-musterhausen.de"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(port: int, name: str) -> bytes:
    """GET / over TLS with `name` as SNI and Host; ssl.SSLError when Caddy has no certificate for it."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # Caddy's local CA; the test checks which names get one
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls:
            tls.sendall(f"GET / HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n".encode())
            chunks = []
            while chunk := tls.recv(65536):
                chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def caddy(live_server, tmp_path):
    web = live_server.url.removeprefix("http://")
    https_port, http_port = _free_port(), _free_port()
    config = CADDYFILE.read_text().replace("web:8000", web).replace(
        "{\n", "{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n"
        f"\thttp_port {http_port}\n\thttps_port {https_port}\n", 1,
    )
    path = tmp_path / "Caddyfile"
    path.write_text(config)
    env = {**os.environ, "ACME_EMAIL": "betrieb@example.org", "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    log = (tmp_path / "caddy.log").open("wb")
    process = subprocess.Popen(["caddy", "run", "--adapter", "caddyfile", "--config", str(path)],
                               stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("Caddy did not start:\n" + (tmp_path / "caddy.log").read_text()) from None
                time.sleep(0.1)
        yield https_port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_caddy_gets_certificates_only_for_verified_addresses_and_serves_the_town(town_a, caddy):
    from tenants.models import CustomDomain, Domain

    with schema_context("public"):
        CustomDomain.objects.create(tenant_id=town_a.pk, domain=VERIFIED, token="v" * 32)
        Domain.objects.create(domain=VERIFIED, tenant_id=town_a.pk, is_primary=False)
        CustomDomain.objects.create(tenant_id=town_a.pk, domain=CLAIMED, token="c" * 32)

    page = _fetch(caddy, VERIFIED)
    assert page.startswith(b"HTTP/1.1 200") and b"Verbandsgemeinde Altdorf" in page
    assert _fetch(caddy, host_of(town_a)).startswith(b"HTTP/1.1 200")
    for refused in (CLAIMED, "fremd.example.org"):
        with pytest.raises(ssl.SSLError):
            _fetch(caddy, refused)
