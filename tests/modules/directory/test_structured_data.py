"""schema.org JSON-LD on the entry page and the vCard download: parsed and checked, not string-matched."""

from __future__ import annotations

import json
import re
from datetime import time, timedelta

from core import opening_hours
from modules.directory import selectors, services
from modules.directory.structured import business_vcard, vcard_escape
from tests.accounts.factories import town_admin
from tests.modules.directory.factories import BusinessFactory

SCHEMA_DAYS = {f"https://schema.org/{day}" for day in
               ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")}
TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _assert_local_business(data: dict) -> None:
    """The properties schema.org's LocalBusiness and OpeningHoursSpecification need, with their types."""
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LocalBusiness"
    assert isinstance(data["name"], str) and data["name"]
    address = data["address"]
    assert address["@type"] == "PostalAddress"
    assert set(address) <= {"@type", "streetAddress", "postalCode", "addressLocality", "addressRegion",
                            "addressCountry", "postOfficeBoxNumber"}
    for spec in data["openingHoursSpecification"]:
        assert spec["@type"] == "OpeningHoursSpecification"
        assert spec["dayOfWeek"] in SCHEMA_DAYS
        assert TIME.match(spec["opens"]) and TIME.match(spec["closes"])
    for spec in data.get("specialOpeningHoursSpecification", []):
        assert spec["@type"] == "OpeningHoursSpecification"
        assert DATE.match(spec["validFrom"]) and DATE.match(spec["validThrough"])
        assert TIME.match(spec["opens"]) and TIME.match(spec["closes"])
    if "geo" in data:
        assert data["geo"]["@type"] == "GeoCoordinates"
        assert isinstance(data["geo"]["latitude"], float)


def test_the_entry_page_carries_valid_local_business_json_ld(in_town_a, client_a):
    # given
    business = BusinessFactory(
        name="Hofladen </script><script>alert(1)</script> & Söhne",
        street="Feldweg 2",
        postal_code="57520",
        locality="Oberdorf",
        phone="02741 555",
        website="https://hofladen.example",
        latitude="50.704520",
        longitude="7.795100",
        hours=[opening_hours.Interval(0, time(7), time(12)), opening_hours.Interval(0, time(14), time(18)),
               opening_hours.Interval(4, time(18), time(2), True)],
    )
    today = selectors.today_local()
    services.opening_exception_add(business=business, acting_user=town_admin(),
                                   start_date=today + timedelta(days=3), note="Inventur")
    # when
    html = client_a.get(f"/directory/{business.slug}/").content.decode()
    data = _jsonld(html)
    # then
    _assert_local_business(data)
    assert data["name"] == business.name  # the name survives intact, and could not close the script tag
    assert "</script><script>" not in html.split('application/ld+json">')[1].split("</script>")[0]
    assert data["telephone"] == "02741 555"
    assert data["url"] == "https://hofladen.example"
    assert data["address"] == {"@type": "PostalAddress", "streetAddress": "Feldweg 2", "postalCode": "57520",
                               "addressLocality": "Oberdorf", "addressCountry": "DE"}
    hours = {(s["dayOfWeek"], s["opens"], s["closes"]) for s in data["openingHoursSpecification"]}
    assert hours == {("https://schema.org/Monday", "07:00", "12:00"), ("https://schema.org/Monday", "14:00", "18:00"),
                     ("https://schema.org/Friday", "18:00", "02:00")}
    holiday = data["specialOpeningHoursSpecification"][0]
    assert (holiday["validFrom"], holiday["opens"], holiday["closes"]) == (
        (today + timedelta(days=3)).isoformat(), "00:00", "00:00")
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 50.70452, "longitude": 7.7951}


def test_without_phone_and_website_the_page_is_the_url(in_town_a, client_a):
    business = BusinessFactory(name="Schuster Jung")
    data = _jsonld(client_a.get(f"/directory/{business.slug}/").content.decode())
    _assert_local_business(data)
    assert "telephone" not in data
    assert data["url"].endswith(f"/directory/{business.slug}/")
    assert data["openingHoursSpecification"] == []


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends in CRLF
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_vcard_download(in_town_a, client_a):
    # given
    business = BusinessFactory(
        name="Müller; Meier, & Co",
        street="Am Bach 1",
        postal_code="57520",
        locality="Oberdorf",
        phone="02741 777",
        website="https://mueller.example",
        email="laden@mueller.example",
        description="Zeile eins\nZeile zwei " + "lang " * 30,
    )
    # when
    response = client_a.get(f"/directory/{business.slug}/vcard/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/vcard")
    assert response["Content-Disposition"] == f'attachment; filename="{business.slug}.vcf"'
    raw = response.content.decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))  # folded
    lines = _unfold(raw)
    assert lines[0] == "BEGIN:VCARD" and lines[1] == "VERSION:4.0" and lines[-1] == "END:VCARD"
    props = {line.split(":", 1)[0].split(";", 1)[0]: line for line in lines}
    assert props["FN"] == r"FN:Müller\; Meier\, & Co"
    assert props["ORG"] == r"ORG:Müller\; Meier\, & Co"
    assert props["TEL"] == "TEL;VALUE=text;TYPE=work:02741 777"
    assert props["ADR"] == "ADR;TYPE=work:;;Am Bach 1;Oberdorf;;57520;Deutschland"
    assert props["URL"] == "URL:https://mueller.example"
    assert props["EMAIL"] == "EMAIL;TYPE=work:laden@mueller.example"
    assert props["NOTE"].startswith(r"NOTE:Zeile eins\nZeile zwei")


def test_vcard_escaping_rules():
    assert vcard_escape("a\\b,c;d\r\ne\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def test_vcard_folds_multibyte_text_without_splitting_characters(in_town_a):
    business = BusinessFactory(name="Ä" * 60)
    text = business_vcard(business, page_url="https://a.example/directory/x/")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # no half character at a fold
    assert f"FN:{'Ä' * 60}" in _unfold(text)


def test_vcard_of_a_hidden_business_is_404(in_town_a, client_a):
    business = BusinessFactory(name="Noch nicht", approve=False)
    assert client_a.get(f"/directory/{business.slug}/vcard/").status_code == 404
