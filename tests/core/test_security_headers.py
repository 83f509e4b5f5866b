"""Every page carries a Content-Security-Policy without inline exceptions, a Permissions-Policy,
Cross-Origin-Opener-Policy and Referrer-Policy; the browser's violation reports are logged, within limits."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from tests.town.helpers import branding_post


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def _assert_strict(response) -> dict[str, list[str]]:
    csp = _directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["report-uri"] == ["/csp-report/"]
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    return csp


def test_a_town_page_carries_the_strict_policy_and_allows_forms_only_to_itself(client_a):
    response = client_a.get("/")

    assert response.status_code == 200
    csp = _assert_strict(response)
    assert csp["form-action"] == ["'self'"]
    assert csp["img-src"] == ["'self'"]  # map tiles come through the town's own tile proxy


def test_the_public_site_carries_it_too_and_its_forms_may_lead_to_a_town(public_client, settings):
    response = public_client.get("/")

    assert response.status_code == 200
    csp = _assert_strict(response)
    # "Go to my new town" posts here and is redirected to the town's host.
    assert csp["form-action"] == ["'self'", f"{settings.SITE_SCHEME}://*.{settings.BASE_DOMAIN}"]


def test_a_town_page_has_no_inline_style_or_script(client_a):
    html = client_a.get("/").content.decode()

    assert "<style" not in html and " style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", html) is None


def test_the_town_colours_come_as_a_style_sheet_of_each_town(admin_client_a, client_a, client_b):
    admin_client_a.post("/backoffice/profile/", branding_post(primary_colour="#2e7d32"))

    sheet_a = re.search(r'href="(/brand\.css\?v=\w+)"', client_a.get("/").content.decode()).group(1)
    sheet_b = re.search(r'href="(/brand\.css\?v=\w+)"', client_b.get("/").content.decode()).group(1)

    assert sheet_a != sheet_b  # a new colour is a new address: no stale colours from caches
    response = client_a.get(sheet_a)
    assert response["Content-Type"].startswith("text/css")
    assert "--primary:#2e7d32" in response.content.decode()
    assert "#2e7d32" not in client_b.get(sheet_b).content.decode()


def test_data_images_only_on_the_two_factor_pages_and_the_api_docs():
    from core.security_headers import content_security_policy

    assert "img-src 'self' data:" in content_security_policy(public_site=True, path="/accounts/2fa/totp/activate")
    assert "img-src 'self' data:" in content_security_policy(public_site=False, path="/api/docs/")
    assert "data:" not in content_security_policy(public_site=False, path="/accounts/login/")


def _report(document: str = "http://a.localhost/suche/?q=geheim", blocked: str = "inline") -> str:
    return json.dumps({"csp-report": {
        "document-uri": document, "violated-directive": "script-src-elem", "blocked-uri": blocked,
        "source-file": document, "line-number": 12,
    }})


def test_a_violation_report_is_logged_without_query_strings(client_a, caplog):
    with caplog.at_level(logging.WARNING, logger="dorfkern.csp"):
        response = client_a.post("/csp-report/", _report(), content_type="application/csp-report")

    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "dorfkern.csp"]
    assert "script-src-elem blocked inline on http://a.localhost/suche/" in record.getMessage()
    assert "geheim" not in record.getMessage()


def test_reports_from_one_address_are_limited_and_bad_ones_refused(client_a, settings):
    settings.CSP_REPORTS_PER_MINUTE = 2

    answers = [client_a.post("/csp-report/", _report(), content_type="application/csp-report").status_code
               for _ in range(3)]

    assert answers == [204, 204, 429]


@pytest.mark.parametrize("body", ["kein json", "[1, 2]", '{"csp-report": "x"}'])
def test_a_malformed_report_is_no_server_error(public_client, body):
    response = public_client.post("/csp-report/", body, content_type="application/csp-report")

    assert response.status_code in (204, 400)


# --- templates: nothing the policy would block ------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
INLINE = {
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")", re.I),
    "an on…= handler": re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def _page_templates() -> list[Path]:
    found = []
    for top in ("platform", "modules", "billing", "tenants"):
        for path in (ROOT / top).rglob("templates/**/*.html"):
            relative = path.relative_to(ROOT).as_posix()
            # E-mails are not pages: mail clients need inline styles and no CSP applies.
            if "/mail/" in relative or "email" in path.name or "/account/email/" in relative:
                continue
            found.append(path)
    return found


def test_no_page_template_has_inline_code_the_policy_would_block():
    templates = _page_templates()
    assert len(templates) > 100

    offending = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]

    assert offending == []
