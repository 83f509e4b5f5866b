"""A town's own domain beside its subdomain (issue 18 §8, ISOLATION T11).

Ownership is proven against real servers the tests start: a DNS server on a loopback UDP port
(tests.tenants.helpers.FakeDnsServer) and an HTTP server for the token file.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from tenants.models import CustomDomain, Domain
from tenants.validators import custom_domain_normalise
from tests.accounts.helpers import links_in
from tests.helpers import TownClient, admin_of, host_of
from tests.tenants.helpers import FakeDnsServer

OWN = "digital.vg-musterhausen.de"
PAGE = "/backoffice/adresse/"


@pytest.fixture
def dns(settings, monkeypatch) -> Iterator[FakeDnsServer]:
    """The TXT records of the made-up domains, and their addresses for the HTTP check (none unless a test sets one).

    The HTTP check resolves the name with socket.getaddrinfo (core.outbound); the made-up names must
    never reach the machine's resolver, so they resolve only to what `server.addresses` says.
    """
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".vg-musterhausen.de"):
            if host not in server.addresses:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            host = server.addresses[host]
        return real(host, port, *args, **kwargs)

    with FakeDnsServer() as server:
        settings.CUSTOM_DOMAIN_DNS_RESOLVERS = [server.address]
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield server


def _admin_client(town, host: str) -> TownClient:
    client = TownClient(host)
    with schema_context(town.schema_name):
        client.force_login(admin_of(town))
    return client


def _claim(town, domain: str = OWN) -> CustomDomain:
    with schema_context("public"):
        return CustomDomain.objects.get(tenant_id=town.pk, domain=domain)


def _add(client: TownClient, domain: str = OWN):
    return client.post(PAGE, {"domain": domain})


def _check(client: TownClient, claim: CustomDomain):
    return client.post(f"{PAGE}{claim.pk}/pruefen/", follow=True)


def _ask(domain: str) -> int:
    # Caddy asks with its own name for the platform (the compose service), not a town's host.
    return TownClient("web:8000").get("/_caddy/ask", {"domain": domain}).status_code


def _verified(town, dns: FakeDnsServer, client: TownClient, domain: str = OWN) -> CustomDomain:
    assert _add(client, domain).status_code == 302
    claim = _claim(town, domain)
    dns.records[f"_dorfkern-challenge.{domain}"] = [claim.token]
    page = _check(client, claim)
    assert "gehört zu Ihrer Gemeinde" in page.content.decode()
    return _claim(town, domain)


def test_an_unverified_address_gets_nothing_and_no_certificate(town_a, dns, settings):
    admin = _admin_client(town_a, host_of(town_a))
    # when the admin adds the address, the page shows what to put into DNS or on the web server
    assert _add(admin).status_code == 302
    page = admin.get(PAGE)
    claim = _claim(town_a)
    shown = page.content.decode()
    assert f"_dorfkern-challenge.{OWN}" in shown and claim.token in shown
    assert f"http://{OWN}/.well-known/dorfkern-domain/{claim.token}" in shown
    # then, before it is proven, the address shows nothing and the proxy may not get a certificate
    assert TownClient(OWN).get("/").status_code == 404
    assert b"Altdorf" not in TownClient(OWN).get("/").content
    assert _ask(OWN) == 404
    assert _ask(host_of(town_a)) == 200  # the platform's own subdomains are allowed
    assert _ask("unbekannt.localhost") == 404
    # and a check without the record says so plainly
    refused = _check(admin, claim).content.decode()
    assert "noch nicht finden" in refused
    assert TownClient(OWN).get("/").status_code == 404
    # pressing "Jetzt prüfen" again and again is limited per town and hour
    settings.CUSTOM_DOMAIN_CHECKS_PER_HOUR = 1
    questions = len(dns.questions)
    assert "schon 1-mal geprüft" in _check(admin, claim).content.decode()
    assert len(dns.questions) == questions  # nothing was asked


def test_a_dns_txt_record_proves_it_and_the_town_is_served_there(town_a, dns):
    admin = _admin_client(town_a, host_of(town_a))
    claim = _verified(town_a, dns, admin)
    assert claim.verified_by == "dns"
    assert f"_dorfkern-challenge.{OWN}" in dns.questions
    page = TownClient(OWN).get("/")
    assert page.status_code == 200 and "Verbandsgemeinde Altdorf" in page.content.decode()
    assert _ask(OWN) == 200
    # the town's audit log has it
    log = admin.get("/backoffice/protokoll/").content.decode()
    assert "Eigene Adresse bestätigt" in log and OWN in log


class _TokenFile(BaseHTTPRequestHandler):
    served: dict[str, str] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.served.get(self.path)
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write((body or "nicht hier").encode())

    def log_message(self, *args: object) -> None:
        pass


def test_a_token_file_on_the_towns_web_server_proves_it(town_a, dns, settings):
    # the town's own web server, on a loopback port the check is told to use
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenFile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CUSTOM_DOMAIN_HTTP_PORT = server.server_address[1]
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    dns.addresses[OWN] = "127.0.0.1"
    try:
        admin = _admin_client(town_a, host_of(town_a))
        _add(admin)
        claim = _claim(town_a)
        _TokenFile.served = {f"/.well-known/dorfkern-domain/{claim.token}": claim.token + "\n"}
        _check(admin, claim)
        assert _claim(town_a).verified_by == "http"
        assert TownClient(OWN).get("/").status_code == 200
    finally:
        server.shutdown()
        server.server_close()


def test_the_main_address_carries_links_and_mails_and_the_subdomain_leads_there(town_a, dns, mailoutbox):
    admin = _admin_client(town_a, host_of(town_a))
    _verified(town_a, dns, admin)
    assert admin.post(f"{PAGE}hauptadresse/", {"domain": OWN}).status_code == 302

    # the old address forwards page visits, path and query kept
    old = TownClient(host_of(town_a))
    moved = old.get("/suche/?q=Feuerwehr")
    assert moved.status_code == 301 and moved["Location"] == f"http://{OWN}/suche/?q=Feuerwehr"
    # but machines keep their address: the API, certificate checks and forms sent there
    assert old.get("/api/v1/town/").status_code != 301
    assert old.get("/.well-known/security.txt").status_code != 301
    assert old.post("/accounts/login/", {}).status_code != 301

    # pages on the own domain link to it (link previews), and a mail the town sends does too
    on_own = _admin_client(town_a, OWN)
    home = on_own.get("/").content.decode()
    assert f'content="http://{OWN}/' in home
    feed = TownClient(OWN).get("/news/feed/rss/").content.decode()
    assert f"<link>http://{OWN}/news/" in feed and host_of(town_a) not in feed
    invited = on_own.post("/backoffice/personen/invite/", {"email": "eddi@example.org", "role": "moderator"})
    assert invited.status_code == 302
    link = next(url for url in links_in(mailoutbox[-1]) if "/einladung/" in url)
    assert urlparse(link).hostname == OWN


def test_a_removed_address_stops_at_once(town_a, dns):
    admin = _admin_client(town_a, host_of(town_a))
    claim = _verified(town_a, dns, admin)
    admin.post(f"{PAGE}hauptadresse/", {"domain": OWN})
    admin = _admin_client(town_a, OWN)
    assert admin.post(f"{PAGE}{claim.pk}/entfernen/").status_code == 302
    assert TownClient(OWN).get("/").status_code == 404
    assert _ask(OWN) == 404
    with schema_context("public"):
        assert not Domain.objects.filter(domain=OWN).exists()
        assert Domain.objects.get(domain=host_of(town_a)).is_primary
    # the subdomain is the main address again: no forwarding to the removed one
    assert TownClient(host_of(town_a)).get("/").status_code == 200


def test_town_b_can_neither_claim_nor_verify_town_as_address(town_a, town_b, dns):
    admin_a = _admin_client(town_a, host_of(town_a))
    admin_b = _admin_client(town_b, host_of(town_b))
    # B claims the address too, before A proves it: allowed, with B's own token
    assert _add(admin_b).status_code == 302
    claim_b = _claim(town_b)
    claim_a = _verified(town_a, dns, admin_a)
    assert claim_a.token != claim_b.token
    # B can't check A's claim (404, not even a hint it exists), nor win with its own token now
    assert admin_b.post(f"{PAGE}{claim_a.pk}/pruefen/").status_code == 404
    assert admin_b.post(f"{PAGE}{claim_a.pk}/entfernen/").status_code == 404
    dns.records[f"_dorfkern-challenge.{OWN}"].append(claim_b.token)
    assert "Eine andere Gemeinde nutzt diese Adresse bereits" in _check(admin_b, claim_b).content.decode()
    # a fresh claim by B is refused outright, and B can't make it its main address
    refused = admin_b.post(PAGE, {"domain": "https://" + OWN.upper() + "/"})
    assert refused.status_code == 400 and "Eine andere Gemeinde" in refused.content.decode()
    admin_b.post(f"{PAGE}hauptadresse/", {"domain": OWN})
    with schema_context("public"):
        assert Domain.objects.get(domain=OWN).tenant_id == town_a.pk
    page = TownClient(OWN).get("/").content.decode()
    assert "Verbandsgemeinde Altdorf" in page and "Bergdorf" not in page


@pytest.mark.parametrize(("typed", "message"), [
    ("kein domainname", "ohne Leerzeichen"),
    ("http://digital.musterhausen.de/buergerportal", "ohne Pfad"),
    ("192.168.10.4", "IP-Adresse"),
    ("2001:db8::1", "IP-Adresse"),
    ("altdorf.localhost", "nicht aus dem Internet"),
    ("rathaus", "ohne Leerzeichen"),
    (".".join(["a" * 63] * 4) + ".de", "zu lang"),
    ("-minus.musterhausen.de", "ohne Leerzeichen"),
])
def test_bad_input_is_refused_in_plain_german_and_nothing_is_stored(town_a, typed, message):
    admin = _admin_client(town_a, host_of(town_a))
    response = _add(admin, typed)
    assert response.status_code == 400
    assert message in response.content.decode()
    with schema_context("public"):
        assert not CustomDomain.objects.exists()


def test_addresses_are_stored_as_browsers_send_them(settings):
    assert custom_domain_normalise(" https://Bürger.Stadt-Müllheim.de/ ") == "xn--brger-kva.xn--stadt-mllheim-2ob.de"
    assert custom_domain_normalise("digital.vg-musterhausen.de.") == OWN
    settings.BASE_DOMAIN = "dorfkern.de"
    for platform_name in ("dorfkern.de", "altdorf.dorfkern.de", "WWW.Dorfkern.de"):
        with pytest.raises(ValidationError):
            custom_domain_normalise(platform_name)
