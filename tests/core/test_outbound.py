"""core.outbound: a town admin can't point the server at internal services, and a bad server can't hold it up.

Every test talks to HTTP(S) servers it starts itself on 127.0.0.1 (port 0); names are resolved by a
stand-in for socket.getaddrinfo where a test needs a DNS name. No test reaches the internet.
"""

from __future__ import annotations

import datetime
import gzip
import pickle
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import translation

from core import outbound
from core.outbound import BadResponse, OutboundClient, Refused, Timeout, TooLarge, Unreachable

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalServer:
    """An HTTP/1.1 server on 127.0.0.1; `routes` maps a path to what the server does for it."""

    port: int
    scheme: str = "http"
    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[dict] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)  # lets stalling handlers finish

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hanging up mid-answer is what several tests want


def _serve(tls: ssl.SSLContext | None = None) -> Iterator[LocalServer]:
    server_state: LocalServer

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            server_state.seen.append({
                "method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": self.rfile.read(length), "peer": self.client_address,
            })
            server_state.routes.get(self.path, _not_found)(self)

        do_GET = do_POST = do_HEAD = _handle  # noqa: N815 (http.server's naming)

        def log_message(self, *args: object) -> None:
            pass

    httpd = _QuietServer(("127.0.0.1", 0), RequestHandler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    server_state = LocalServer(port=httpd.server_address[1], scheme="https" if tls else "http")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        server_state.release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def web() -> Iterator[LocalServer]:
    yield from _serve()


@pytest.fixture
def loopback_allowed(settings) -> None:
    """What the test settings don't do by default: let the client reach this machine."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]


def answer(status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        for name, value in {"Content-Length": str(len(body)), **(headers or {})}.items():
            request.send_header(name, value)
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(body)

    return handle


def redirect(location: str, status: int = 302) -> Handler:
    return answer(status, headers={"Location": location})


_not_found = answer(404, b"not here")


@pytest.fixture
def fake_dns(monkeypatch) -> dict[str, list[str]]:
    """Names a test makes up resolve to the addresses it puts here; IP literals resolve as usual."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        addresses = answers[host]
        answers.setdefault(f"asked:{host}", []).append("x")  # how often the name was looked up
        if not addresses:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def _in_german(exc: pytest.ExceptionInfo) -> str:
    with translation.override("de"):
        return str(exc.value)


# --- the ordinary case ------------------------------------------------------------------------------


def test_a_get_returns_status_headers_body_and_decoded_text(web, loopback_allowed):
    web.routes["/feed.json"] = answer(200, '{"titel": "Gemeinderat tagt öffentlich"}'.encode(),
                                      {"Content-Type": "application/json; charset=utf-8", "X-Dorf": "Steinebach"})
    response = outbound.get(web.url("/feed.json"))

    assert response.status == 200 and response.ok
    assert response.headers["x-dorf"] == "Steinebach"
    assert response.json() == {"titel": "Gemeinderat tagt öffentlich"}
    assert response.text() == '{"titel": "Gemeinderat tagt öffentlich"}'
    assert response.url == web.url("/feed.json")
    assert web.seen[0]["headers"]["user-agent"].startswith("Dorfkern")


def test_an_error_status_is_an_answer_until_the_caller_asks_for_success(web, loopback_allowed):
    response = outbound.get(web.url("/gibt-es-nicht"))
    assert response.status == 404 and not response.ok
    with pytest.raises(BadResponse) as exc:
        response.raise_for_status()
    assert "Fehler 404" in _in_german(exc)


def test_text_in_a_latin_1_feed_reads_right_and_broken_json_is_a_readable_error(web, loopback_allowed):
    web.routes["/alt"] = answer(200, "Bürgerbüro".encode("latin-1"), {"Content-Type": "text/plain; charset=ISO-8859-1"})
    response = outbound.get(web.url("/alt"))
    assert response.text() == "Bürgerbüro"
    with pytest.raises(BadResponse) as exc:
        response.json()
    assert "127.0.0.1" in _in_german(exc) and "lesen" in _in_german(exc)


def test_one_client_reuses_its_connection_for_a_batch(web, loopback_allowed):
    web.routes["/push"] = answer(201)
    with OutboundClient() as client:
        for _ in range(3):
            assert client.post(web.url("/push"), body=b"x").status == 201
    assert len({request["peer"] for request in web.seen}) == 1


# --- slow and large answers -------------------------------------------------------------------------


def _drip(request: BaseHTTPRequestHandler) -> None:
    # Headers at once, then one byte every 50 ms: each read is quick, the whole answer never ends.
    request.send_response(200)
    request.send_header("Content-Length", "100000")
    request.end_headers()
    for _ in range(100):
        try:
            request.wfile.write(b"x")
            request.wfile.flush()
        except OSError:
            return
        time.sleep(0.05)


@pytest.mark.parametrize("behaviour", ["stalls", "drips"])
def test_a_slow_server_is_given_up_on_when_the_time_is_up(web, loopback_allowed, settings, behaviour):
    settings.OUTBOUND_TIMEOUT_SECONDS = 0.4

    def stall(request: BaseHTTPRequestHandler) -> None:
        web.release.wait(5)

    web.routes["/langsam"] = stall if behaviour == "stalls" else _drip
    started = time.monotonic()
    with pytest.raises(Timeout) as exc:
        outbound.get(web.url("/langsam"))
    assert time.monotonic() - started < 1.5
    assert "zu lange" in _in_german(exc)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_an_answer_over_the_size_cap_is_stopped(web, loopback_allowed, settings, declared):
    settings.OUTBOUND_MAX_BYTES = 1024 * 1024
    big = b"x" * (2 * 1024 * 1024)

    def chunked(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Transfer-Encoding", "chunked")
        request.end_headers()
        for start in range(0, len(big), 64 * 1024):
            part = big[start:start + 64 * 1024]
            try:
                request.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            except OSError:
                return  # the client hung up, as it should
        request.wfile.write(b"0\r\n\r\n")

    web.routes["/gross"] = answer(200, big) if declared else chunked
    with pytest.raises(TooLarge) as exc:
        outbound.get(web.url("/gross"))
    assert "zu groß (mehr als 1,0\xa0MB)" in _in_german(exc)


def test_a_small_gzip_that_unpacks_to_a_lot_is_stopped_at_the_cap(web, loopback_allowed, settings):
    settings.OUTBOUND_MAX_BYTES = 1024 * 1024
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)  # about 20 KB on the wire
    web.routes["/bombe"] = answer(200, bomb, {"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        outbound.get(web.url("/bombe"))


# --- addresses that are refused -----------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "ftp://example.org/feed.xml", "file:///etc/passwd", "gopher://example.org/", "javascript:alert(1)",
    "//example.org/ohne-schema", "dict://127.0.0.1:6379/info",
])
def test_only_http_and_https_addresses_are_fetched(url, fake_dns):
    with pytest.raises(Refused) as exc:
        outbound.get(url)
    assert not any(key.startswith("asked:") for key in fake_dns)
    assert "http://" in _in_german(exc) or "keine gültige" in _in_german(exc)


def test_an_address_with_a_password_in_it_is_refused():
    with pytest.raises(Refused) as exc:
        outbound.get("https://admin:geheim@example.org/feed")
    assert "Passwort" in _in_german(exc)


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://2130706433/", "http://0.0.0.0/", "http://10.0.0.1/", "http://172.16.5.4/",
    "http://192.168.178.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/",
    "http://224.0.0.1/", "http://240.0.0.1/", "http://255.255.255.255/",
    "http://[::1]/", "http://[::]/", "http://[fe80::1]/", "http://[fc00::1]/", "http://[fd12:3456::1]/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[::ffff:10.0.0.1]/",
    "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/", "http://[ff02::1]/", "http://[fec0::1]/",
])
def test_internal_and_special_addresses_are_refused(url):
    with pytest.raises(Refused) as exc:
        outbound.get(url)
    assert "internes Netz" in _in_german(exc)


def test_a_refusal_is_logged_for_the_operator_and_keeps_its_message_across_processes(fake_dns, caplog):
    fake_dns["intern.example"] = ["10.1.1.1"]
    with pytest.raises(Refused) as exc:
        outbound.get("http://intern.example/")
    assert "intern.example, which resolves to 10.1.1.1" in caplog.text
    copy = pickle.loads(pickle.dumps(exc.value))
    with translation.override("de"):
        assert str(copy) == str(exc.value) == (
            "Die Adresse intern.example zeigt in ein internes Netz. Von dort ruft die Plattform nichts ab."
        )


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass_the_check(address):
    import ipaddress

    assert outbound.address_is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("answers", [["10.20.30.40"], ["93.184.215.14", "192.168.1.1"], ["fe80::1"]],
                         ids=["private", "one-of-two-private", "link-local-v6"])
def test_a_name_that_resolves_to_an_internal_address_is_refused(fake_dns, answers):
    fake_dns["intranet.example"] = answers
    with pytest.raises(Refused) as exc:
        outbound.get("https://intranet.example/ratsinfo/oparl")
    assert "intranet.example" in _in_german(exc)


def test_a_name_that_does_not_resolve_is_a_readable_error(fake_dns):
    fake_dns["nirgends.example"] = []
    with pytest.raises(Unreachable) as exc:
        outbound.get("http://nirgends.example/")
    assert "nirgends.example war nicht erreichbar" in _in_german(exc)


def test_the_allowlist_opens_exactly_the_networks_it_names(web, settings):
    web.routes["/"] = answer(200, b"ok")
    with pytest.raises(Refused):
        outbound.get(web.url())
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert outbound.get(web.url()).body == b"ok"
    with pytest.raises(Refused):
        outbound.get("http://127.0.0.2/")


def test_the_connection_goes_to_the_address_that_was_checked(web, loopback_allowed, fake_dns, monkeypatch):
    # given: a name whose next DNS answer would be an internal address (DNS rebinding)
    web.routes["/feed"] = answer(200, b"aus dem Dorf")
    fake_dns["feeds.example"] = ["127.0.0.1"]
    original = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        result = original(host, port, *args, **kwargs)
        if host == "feeds.example":
            fake_dns["feeds.example"] = ["10.9.9.9"]
        return result

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    # when
    response = outbound.get(web.url("/feed", host="feeds.example"))
    # then: asked once, connected to the answer it checked, and the server saw the name
    assert response.body == b"aus dem Dorf"
    assert len(fake_dns["asked:feeds.example"]) == 1
    assert web.seen[0]["headers"]["host"] == f"feeds.example:{web.port}"


def test_a_domain_with_umlauts_is_looked_up_and_named_in_its_ascii_form(web, loopback_allowed, fake_dns):
    fake_dns["xn--mllheim-n2a.example"] = ["127.0.0.1"]
    web.routes["/"] = answer(200, b"ok")
    assert outbound.get(web.url("/", host="Müllheim.example")).body == b"ok"
    assert web.seen[0]["headers"]["host"] == f"xn--mllheim-n2a.example:{web.port}"


# --- redirects ---------------------------------------------------------------------------------------


def test_a_redirect_is_followed_and_the_final_address_reported(web, loopback_allowed):
    web.routes["/alt"] = redirect("/neu", 301)
    web.routes["/neu"] = answer(200, b"hier")
    response = outbound.get(web.url("/alt"))
    assert response.body == b"hier"
    assert response.url == web.url("/neu")


def test_a_post_answered_with_303_continues_as_get_without_the_body(web, loopback_allowed):
    web.routes["/formular"] = redirect("/danke", 303)
    web.routes["/danke"] = answer(200, b"danke")
    outbound.post(web.url("/formular"), body=b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert [(r["method"], r["body"]) for r in web.seen] == [("POST", b"a=1"), ("GET", b"")]
    assert "content-type" not in web.seen[1]["headers"]


@pytest.mark.parametrize("target", [
    "http://169.254.169.254/latest/meta-data/iam/", "http://10.0.0.1/admin", "http://[::1]:6379/",
    "file:///etc/passwd",
])
def test_a_redirect_to_an_internal_address_is_refused(web, loopback_allowed, target):
    web.routes["/umweg"] = redirect(target)
    with pytest.raises(Refused):
        outbound.get(web.url("/umweg"))


def test_a_redirect_to_another_host_does_not_carry_the_callers_credentials(web, loopback_allowed, fake_dns):
    fake_dns["andere.example"] = ["127.0.0.1"]
    web.routes["/start"] = redirect(web.url("/ziel", host="andere.example"))
    web.routes["/ziel"] = answer(200, b"ok")
    outbound.get(web.url("/start"), headers={"Authorization": "Bearer geheim"})
    assert web.seen[0]["headers"]["authorization"] == "Bearer geheim"
    assert "authorization" not in web.seen[1]["headers"]


def test_a_redirect_loop_ends_with_a_readable_error(web, loopback_allowed, settings):
    settings.OUTBOUND_MAX_REDIRECTS = 5
    web.routes["/kreis"] = redirect("/kreis")
    with pytest.raises(BadResponse) as exc:
        outbound.get(web.url("/kreis"))
    assert len(web.seen) == 6
    assert "zu oft" in _in_german(exc)


# --- https: the checked address, the name's certificate -------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch) -> Iterator[LocalServer]:
    """An https server whose certificate is for dorf.example; the client trusts only that certificate."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dorf.example")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("dorf.example")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    monkeypatch.setattr("core.outbound.certifi.where", lambda: str(cert_path))
    yield from _serve(context)


def test_https_connects_to_the_checked_address_and_verifies_the_names_certificate(
    tls_server, loopback_allowed, fake_dns
):
    fake_dns["dorf.example"] = ["127.0.0.1"]
    tls_server.routes["/termine"] = answer(200, b"sicher")
    assert outbound.get(tls_server.url("/termine", host="dorf.example")).body == b"sicher"


def test_https_with_a_certificate_for_another_name_is_refused(tls_server, loopback_allowed, fake_dns):
    fake_dns["falsch.example"] = ["127.0.0.1"]
    with pytest.raises(Unreachable) as exc:
        outbound.get(tls_server.url("/", host="falsch.example"))
    assert "Sicherheitszertifikat" in _in_german(exc)
    assert tls_server.seen == []
