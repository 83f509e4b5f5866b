"""The printed issue: two columns of items in Ortsgemeinde sections, each with a QR code to its page."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from core.branding import town_url
from modules.bulletin.printing import issue_pdf
from tests.modules.bulletin.helpers import draft, flat, item, pdf_pages
from tests.town.factories import OrtsgemeindeFactory

pytestmark = pytest.mark.django_db

VILLAGES = ["Alsdorf", "Betzdorf", "Dauersberg", "Elben", "Elkenroth", "Fensdorf", "Gebhardshain", "Grünebach",
            "Kausen", "Malberg", "Mudenbach", "Nauroth", "Rosenheim", "Scheuerfeld", "Steinebach", "Steineroth",
            "Wallmenroth"]


def test_an_issue_of_40_items_in_17_villages_prints_every_title_and_a_qr_code_to_each_page(in_town_a):
    # given: 40 items, two town-wide and the rest spread over 17 Ortsgemeinden
    places = [OrtsgemeindeFactory(name=name, slug=name.lower().replace("ü", "ue")) for name in VILLAGES]
    issue = draft()
    items = []
    for n in range(40):
        place = None if n < 2 else places[n % len(places)]
        items.append(item(issue, f"Meldung Nummer {n + 1} aus {place.name if place else 'der Verbandsgemeinde'}",
                          position=n, url=f"/neuigkeiten/meldung-{n + 1}/",
                          text="Die Gemeinde lädt alle Bürgerinnen und Bürger herzlich ein. " * 3,
                          ortsgemeinde_id=place.pk if place else None))

    # when
    started = time.perf_counter()
    pdf, pages = issue_pdf(issue=issue, items=items)
    elapsed = time.perf_counter() - started

    # then: pages counted as a PDF reader counts them, every title readable, every QR code leads to its item
    read = pdf_pages(pdf)
    assert pages == len(read) and 3 <= pages <= 8, pages
    text = flat(" ".join(page_text for page_text, _codes in read))
    missing = [it.title for it in items if flat(it.title) not in text]
    assert not missing
    for name in VILLAGES:
        assert name in text  # a section heading per Ortsgemeinde
    codes = {code for _text, page_codes in read for code in page_codes}
    assert codes == {town_url(f"/neuigkeiten/meldung-{n + 1}/") for n in range(40)}
    assert "Seite 1 von" in text or "Page 1 of" in text
    if os.environ.get("BULLETIN_PDF_OUT"):  # to look at it: BULLETIN_PDF_OUT=/tmp/issue.pdf
        Path(os.environ["BULLETIN_PDF_OUT"]).write_bytes(pdf)
    print(f"40 items, {pages} pages, rendered in {elapsed:.2f} s")
