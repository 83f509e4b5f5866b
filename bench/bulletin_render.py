"""Mitteilungsblatt: seconds to render an issue of about 12 pages to PDF (Typst + a QR code per item).

    python bench/bulletin_render.py [--items 150] [--repeat 3]

No database: the issue's sections are built in memory exactly as modules.bulletin.printing.issue_pdf
passes them to render_issue (17 Ortsgemeinden plus the town-wide part, items with a title, a short
text of ~300 characters, a date and a link). Prints the pages, the median render time and, separately,
how much of it the QR codes (segno) take. Baseline: an issue of 10 items in the same run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

VILLAGES = ["Alsdorf", "Betzdorf", "Dauersberg", "Elben", "Elkenroth", "Fensdorf", "Gebhardshain", "Grünebach",
            "Kausen", "Malberg", "Mudenbach", "Nauroth", "Rosenheim", "Scheuerfeld", "Steinebach", "Steineroth",
            "Wallmenroth"]
TEXT = ("Die Ortsgemeinde lädt alle Bürgerinnen und Bürger herzlich ein. Für Kaffee und Kuchen ist gesorgt, "
        "der Erlös kommt der Jugendarbeit zugute. Parkplätze gibt es am Dorfgemeinschaftshaus; bitte bringen "
        "Sie gute Laune und, wenn Sie mögen, einen selbst gebackenen Kuchen mit. Anmeldung nicht nötig.")


def _render(count: int) -> tuple[float, float, int]:
    from django.utils import translation

    from modules.bulletin.models import Issue, IssueItem
    from modules.bulletin.printing import render_issue
    from modules.bulletin.selectors import sections_of

    translation.activate("de")
    issue = Issue(year=2026, number=12, period_start=datetime.date(2026, 3, 16), period_end=datetime.date(2026, 3, 22))
    names = dict(enumerate(VILLAGES, start=1))
    items = [IssueItem(pk=n + 1, title=f"Meldung {n + 1}: Frühjahrsputz und Dorffest", text=TEXT, position=n,
                       url=f"/news/meldung-{n + 1}/", source_label="Amtliche Nachricht",
                       date=datetime.datetime(2026, 3, 20, 19, tzinfo=datetime.UTC),
                       ortsgemeinde_id=None if n % 9 == 0 else n % 17 + 1) for n in range(count)]
    sections = sections_of(items, names=names, town_heading="Ganz Betzdorf-Gebhardshain",
                           origin="https://betzdorf-gebhardshain.dorfkern.de")
    started = time.perf_counter()
    from core.printing import qr_svg_bytes

    for item in items:
        qr_svg_bytes(item.link, scale=3, border=1)  # type: ignore[attr-defined]
    qr_seconds = time.perf_counter() - started
    started = time.perf_counter()
    _pdf, pages = render_issue(issue=issue, sections=sections, town="Verbandsgemeinde Betzdorf-Gebhardshain",
                               colour="#1f5f8b", online_url="https://betzdorf-gebhardshain.dorfkern.de/m/")
    return time.perf_counter() - started, qr_seconds, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import django

    django.setup()
    rows = []
    for count in (10, args.items):
        runs = [_render(count) for _ in range(args.repeat)]
        rows.append({"items": count, "pages": runs[0][2], "render_s": statistics.median(r[0] for r in runs),
                     "of_it_qr_codes_s": statistics.median(r[1] for r in runs)})
    for row in rows:
        print(f"{row['items']:>4} items  {row['pages']:>3} pages  {row['render_s']:.2f} s "
              f"(QR codes alone {row['of_it_qr_codes_s']:.2f} s)")
    print("load average:", os.getloadavg())
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "bulletin_render.json").write_text(json.dumps({"rows": rows, "loadavg": os.getloadavg()}, indent=2))


if __name__ == "__main__":
    main()
