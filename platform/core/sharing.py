"""Sharing a page into the messengers people use: one clean text and the links that carry it.

Nothing is sent by the platform: the links open the person's own app (WhatsApp, Telegram, e-mail) with
the text filled in, and the page's script offers the phone's own share sheet (Signal and every other
app) and a copy button. Detail pages include ``core/_share.html`` through the ``share_box`` tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape
from urllib.parse import quote

from django.utils.html import strip_tags

SHARE_SUMMARY_MAX_CHARS = 200  # a messenger preview shows two or three lines; the link carries the rest


def _plain(text: str) -> str:
    return " ".join(unescape(strip_tags(text or "")).split())


def summary(text: str, limit: int = SHARE_SUMMARY_MAX_CHARS) -> str:
    """`text` (HTML or plain) as one plain line of at most `limit` characters, cut at a word."""
    return _shorten(_plain(text), limit)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # End at a word, not in the middle of one.
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"


def share_text(*, title: str, text: str, url: str) -> str:
    """Title, a short plain-text summary (HTML removed) and the link, each on its own line."""
    summary = _shorten(_plain(text), SHARE_SUMMARY_MAX_CHARS)
    return "\n\n".join(part for part in (_plain(title), summary, url) if part)


@dataclass(frozen=True)
class ShareLinks:
    title: str
    text: str  # the whole share text, link included
    url: str
    whatsapp: str
    telegram: str
    email: str


def share_links(*, title: str, text: str, url: str) -> ShareLinks:
    full = share_text(title=title, text=text, url=url)
    without_link = share_text(title=title, text=text, url="")  # Telegram adds the link itself
    return ShareLinks(
        title=_plain(title), text=full, url=url,
        whatsapp="https://wa.me/?text=" + quote(full, safe=""),
        telegram=f"https://t.me/share/url?url={quote(url, safe='')}&text={quote(without_link, safe='')}",
        email=f"mailto:?subject={quote(_plain(title), safe='')}&body={quote(full, safe='')}",
    )
