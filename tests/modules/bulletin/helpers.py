"""Reading printed PDFs as a reader and a phone camera would: the text layer and the QR codes per page."""

from __future__ import annotations

import datetime

import pypdfium2
import zxingcpp

from modules.bulletin.models import Issue, IssueItem, IssueStatus


def pdf_pages(pdf: bytes, *, dpi: int = 150) -> list[tuple[str, list[str]]]:
    """Each page's text and the QR codes read from it (rendered at `dpi`)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        text = page.get_textpage().get_text_range()
        image = page.render(scale=dpi / 72).to_pil()
        pages.append((text, [code.text for code in zxingcpp.read_barcodes(image)]))
    return pages


def flat(text: str) -> str:
    """PDF text with hyphenation and line breaks undone, for looking for a title in it."""
    return " ".join(text.replace("-\r\n", "").replace("\xad", "").replace("\u2010", "").split())


def draft(number: int = 1, **fields) -> Issue:
    values = {"year": 2026, "number": number, "period_start": datetime.date(2026, 3, 2),
              "period_end": datetime.date(2026, 3, 8), "status": IssueStatus.DRAFT, **fields}
    return Issue.objects.create(**values)


def item(issue: Issue, title: str, *, position: int = 0, **fields) -> IssueItem:
    values = {"source_key": "manual", "uid": f"u{position}-{title[:20]}", "text": "Kurzer Text.", "url": "",
              "position": position, **fields}
    return IssueItem.objects.create(issue=issue, title=title, **values)
