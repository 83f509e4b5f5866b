"""Paper: PDFs from Typst templates, QR codes from segno. The one print pipeline of the platform.

Reaching people where they are means paper: posters in the Dorfgemeinschaftshaus, flyers in the
bakery, a letter to new residents, the sign on a Mitfahrbank, a yearly waste calendar. Every such
document is a Typst template (`<app>/print/<name>.typ`) that reads its data as JSON, compiled to PDF
by Typst's Python binding:

    pdf = render_pdf(Path(__file__).parent / "print" / "poster.typ",
                     {"title": "Willkommen", "colour": "#1f5f8b"},
                     files={"qr.svg": qr_svg_bytes(url)})
    return pdf_response(pdf, "aushang.pdf")

In the template:

    #import "dorfkern.typ": *          // the shared page styles (core/print/dorfkern.typ)
    #let data = json(bytes(sys.inputs.data))
    #image("qr.svg", width: 4cm)

Why Typst: it installs from PyPI alone (no Pango or LaTeX on the machine, unlike WeasyPrint), sets
German text with hyphenation, justification and columns as a Mitteilungsblatt needs, and compiles a
page in tens of milliseconds. Data goes in as JSON through `sys.inputs`, never pasted into the
markup, so a Verein called `#import` or `*Fest*` prints as written. Only the fonts Typst carries
are used (Libertinus Serif), so a PDF looks the same on every server.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import segno
import typst
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

SHARED_LIBRARY = Path(__file__).resolve().parent / "print" / "dorfkern.typ"
NOTICE_TEMPLATE = Path(__file__).resolve().parent / "print" / "aushang.typ"
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page\b")


class PrintError(Exception):
    """A template failed to compile: a programming error, never the reader's fault."""


def qr_svg_bytes(data: str, *, scale: int = 4, border: int = 2) -> bytes:
    """A QR code as an SVG document (error correction M: survives a crease or a pin through it)."""
    buffer = io.BytesIO()
    segno.make(data, error="m", micro=False).save(buffer, kind="svg", scale=scale, border=border, xmldecl=False,
                                                   svgns=True, title=data)
    return buffer.getvalue()


def qr_svg(data: str, *, scale: int = 4, border: int = 2) -> str:
    """A QR code as SVG markup to embed in an HTML page (no inline style; its size comes from `scale`)."""
    return qr_svg_bytes(data, scale=scale, border=border).decode()


def render_pdf(template: Path, data: Mapping[str, Any], *, files: Mapping[str, bytes] | None = None) -> bytes:
    """Compile `template` with `data` (JSON-safe; dates and decimals allowed) and `files` beside it.

    The template, the shared `dorfkern.typ` and `files` (QR codes, a logo) are copied into a fresh
    directory that is Typst's root: a template can read nothing else from the server.
    """
    with tempfile.TemporaryDirectory(prefix="dorfkern-print-") as workdir:
        root = Path(workdir)
        shutil.copyfile(template, root / "document.typ")
        shutil.copyfile(SHARED_LIBRARY, root / SHARED_LIBRARY.name)
        for name, content in (files or {}).items():
            if "/" in name or name.startswith("."):
                raise PrintError(f"file name {name!r} must be a plain name")
            (root / name).write_bytes(content)
        try:
            pdf = typst.compile(str(root / "document.typ"), root=str(root), format="pdf", ignore_system_fonts=True,
                                sys_inputs={"data": json.dumps(data, cls=DjangoJSONEncoder)})
        except Exception as exc:  # typst raises its own TypstError with the template's line
            raise PrintError(str(exc)) from exc
    if not isinstance(pdf, bytes):  # pragma: no cover - compile() returns bytes when no output path is given
        raise PrintError("typst returned no PDF")
    return pdf


def pdf_response(pdf: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """Serve a PDF inline (the browser's viewer prints it) or as a download."""
    disposition = "attachment" if download else "inline"
    return HttpResponse(pdf, content_type="application/pdf",
                        headers={"Content-Disposition": f'{disposition}; filename="{filename}"',
                                 "Cache-Control": "private, no-store"})


def pdf_page_count(pdf: bytes) -> int:
    """How many pages a PDF that render_pdf made has (Typst writes each page object uncompressed)."""
    return len(_PAGE_OBJECT.findall(pdf))


def logo_file(profile: Any) -> tuple[str, bytes] | None:
    """The town's logo as (file name, bytes) for a printed document, if it has one Typst can place."""
    logo = getattr(profile, "logo", None)
    if not logo:
        return None
    suffix = Path(logo.name).suffix.lower()
    if suffix not in {".png", ".jpg", ".jpeg", ".svg", ".gif"}:
        return None
    try:
        with logo.open("rb") as opened:
            return f"logo{suffix}", opened.read()
    except OSError:  # the file went missing: the document prints without it
        return None


def short_address(url: str) -> str:
    """The address printed under a QR code, for people who type: without "https://"."""
    return url.split("://", 1)[-1].rstrip("/")


def notice_pdf(*, title: str, text: str, url: str, when: str = "", place: str = "", kind: str = "") -> bytes:
    """An Aushang: one A4 notice of a single post or event for a notice board, in large type.

    Any module offers it for its content: title, the date and place (already formatted, "" for
    none), a short plain text and the absolute `url` of its page, which the QR code opens. The
    town's header (name, colour, logo) comes from its profile.
    """
    from django.utils.translation import gettext

    from core.branding import town_profile, town_url

    profile = town_profile()
    data: dict[str, Any] = {
        "document_title": title,
        "town": str(getattr(profile, "name", "") or ""),
        "colour": getattr(profile, "primary_colour", "") or "#1f5f8b",
        "kind": kind,
        "title": title,
        "when": when,
        "place": place,
        "text": " ".join(text.split())[:1200],
        "url": short_address(url),
        "more": gettext("More online: scan the code with your phone's camera or type the address."),
        "footer": short_address(town_url("/")),
    }
    files = {"qr.svg": qr_svg_bytes(url)}
    if (logo := logo_file(profile)) is not None:
        files[logo[0]] = logo[1]
        data["logo"] = logo[0]
    return render_pdf(NOTICE_TEMPLATE, data, files=files)
