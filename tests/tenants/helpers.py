"""Helpers for the public site's tests: signup form data, links in mails, counts of public rows, staff users."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import connection
from django_tenants.utils import schema_context

SIGNUP_PASSWORD = "Gemeinderat-Sitzung-2026"
STAFF_PASSWORD = "Plattform-Betrieb-2026"


def signup_data(**overrides) -> dict:
    data = {
        "name": "Ortsgemeinde Neudorf",
        "kind": "gemeinde",
        "slug": "neudorf",
        "admin_name": "Nora Neumann",
        "admin_email": "nora@neudorf.example",
        "password": SIGNUP_PASSWORD,
        "accept_terms": "on",
        "accept_dpa": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def confirm_path_from_mail(message) -> str:
    match = re.search(r"https?://\S+/registrieren/\S+/bestaetigen/\S+/", message.body)
    assert match, message.body
    return path_of(match.group(0))


def schema_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT schema_name FROM information_schema.schemata")
        return {row[0] for row in cursor.fetchall()}


def public_counts() -> dict[str, int]:
    from tenants.models import Domain, Municipality, TenantModule, TownSignup

    with schema_context("public"):
        return {
            "signups": TownSignup.objects.count(),
            "towns": Municipality.objects.count(),
            "domains": Domain.objects.count(),
            "modules": TenantModule.objects.count(),
            "schemas": len(schema_names()),
        }


def make_staff(email: str = "staff@dorfkern.example", *, totp: bool = True, is_staff: bool = True):
    """Platform staff (public schema) with a confirmed address and, unless told otherwise, TOTP set up."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.accounts.factories import UserFactory

    with schema_context("public"):
        user = UserFactory(email=email, password=STAFF_PASSWORD, name="Sam Staff", is_staff=is_staff)
        if totp:
            TOTP.activate(user, generate_totp_secret())
    return user


class FakeDnsServer:
    """A real DNS server on 127.0.0.1 (UDP) answering TXT questions from `records` (name → values).

    Names not in `records` get NXDOMAIN. Start it with `with FakeDnsServer() as dns:`; `dns.address`
    is what CUSTOM_DOMAIN_DNS_RESOLVERS takes. Built on dnspython's wire format, which the platform
    parses with the same library: what this sends is what a name server on the internet sends.
    """

    def __init__(self) -> None:
        import socket

        self.records: dict[str, list[str]] = {}
        self.addresses: dict[str, str] = {}  # for a test's stand-in of socket.getaddrinfo (A records)
        self.questions: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.address = f"127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = False

    def _serve(self) -> None:
        import dns.message
        import dns.rcode
        import dns.rdatatype
        import dns.rrset

        while not self._stop:
            try:
                data, peer = self._sock.recvfrom(4096)
            except OSError:
                continue
            query = dns.message.from_wire(data)
            response = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True).lower()
            self.questions.append(name)
            values = self.records.get(name)
            if values is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT:
                response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT",
                                                           *[f'"{value}"' for value in values]))
            self._sock.sendto(response.to_wire(), peer)

    def __enter__(self) -> FakeDnsServer:
        import threading

        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self._sock.close()
