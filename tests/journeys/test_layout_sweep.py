"""Every page a person reaches from the menus fits a 320 px screen and has tap targets of at least 24x24 px.

WCAG 2.2 1.4.10 (reflow: no sideways scrolling at 320 CSS px) and 2.5.8 (target size minimum) on the
demo town, as each kind of person sees it: a visitor, a resident, a business owner, a Verein editor
and the town admin. The pages are the ones the menus lead to (main, account, footer and back-office
navigation) and, for each list, its first entry: what the journeys click through, without typing
their paths here, so a new module's pages are swept as soon as a menu links them.

Measured in the browser after layout. Exceptions WCAG itself makes: a link inside a sentence (its
height is the line's), and an undersized target with no other target within its 24 px circle.
One browser, one context per person, signed in by session cookie (the journeys test signing in).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from playwright.sync_api import Error as PlaywrightError

from tests.journeys.support import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 320
MIN_TARGET = 24
# Not pages: downloads, feeds, calendar files and printouts (their links are checked on the page that shows them).
SKIP_SUFFIXES = (".pdf", ".csv", ".ics", ".xml", ".json", ".png", ".svg", ".zip", "/rss/", "/atom/", ".vcf",
                 "/ical/", "/ics/", "/feed/")

MEASURE = """
(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  const targets = [];
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    targets.push({element, box});
  }
  // WCAG 2.5.8's inline exception: a link in running text, whose height the line sets.
  const inSentence = (element) => {
    if (element.tagName !== 'A') return false;
    const block = element.closest('p, li, dd, td, th, figcaption, blockquote, .helptext, .help, .meta, small, label');
    if (!block) return false;
    const own = element.textContent.trim().length;
    const all = block.textContent.replace(/\\s+/g, ' ').trim().length;
    return all > own + 3;
  };
  const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
  const small = targets.filter(({element, box}) =>
    (box.width < minimum - 0.5 || box.height < minimum - 0.5) && !inSentence(element));
  // The spacing exception: a 24 px circle around the small target's centre touches no other target
  // and no other small target's circle.
  const crowded = small.filter((target) => {
    const [x, y] = centre(target.box);
    return targets.some((other) => {
      if (other.element === target.element || other.element.contains(target.element)
          || target.element.contains(other.element)) return false;
      const b = other.box;
      const dx = Math.max(b.left - x, 0, x - b.right), dy = Math.max(b.top - y, 0, y - b.bottom);
      if (Math.hypot(dx, dy) < minimum / 2) return true;
      if (small.includes(other)) {
        const [ox, oy] = centre(b);
        return Math.hypot(ox - x, oy - y) < minimum;
      }
      return false;
    });
  });
  const describe = ({element, box}) => {
    const name = (element.getAttribute('aria-label') || element.textContent || element.value
                  || element.name || element.type || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
    return {tag: element.tagName.toLowerCase(), name, width: Math.round(box.width * 10) / 10,
            height: Math.round(box.height * 10) / 10};
  };
  // What is wider than the screen, to name it when the page scrolls sideways.
  const name = (element) => element.tagName.toLowerCase()
    + (element.className ? '.' + String(element.className).split(' ')[0] : '');
  // The culprit, not what scrolls inside a box of its own (a table in .table-wrap): the outermost too-wide element.
  const scrolls = (element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(element).overflowX);
  const clientWidth = document.documentElement.clientWidth;
  const escapes = (element) => ['absolute', 'fixed'].includes(getComputedStyle(element).position);
  const wide = document.documentElement.scrollWidth <= clientWidth ? [] : [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > clientWidth + 1)
    .filter((element) => { if (escapes(element)) return true;
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement)
      { if (scrolls(up)) return false; } return true; })
    .slice(0, 3).map(name);
  const area = (t) => Math.min(t.width, t.height);
  const counted = targets.filter(({element}) => !inSentence(element)).map(describe);
  return {width: document.documentElement.scrollWidth, wide, crowded: crowded.map(describe),
          smallest: counted.length ? counted.reduce((a, b) => (area(a) <= area(b) ? a : b)) : null};
}
"""

LINKS = """
() => {
  const menus = [...document.querySelectorAll('nav a[href], footer a[href]')].map((a) => a.getAttribute('href'));
  // The first entry of a list: the first link in the content that goes one level deeper than this page.
  const here = location.pathname;
  const deeper = [...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href'))
    .find((href) => href.startsWith(here) && href.length > here.length && !href.includes('?') && !href.includes('#'));
  return {menus, deeper: deeper || null};
}
"""


@dataclass
class Finding:
    role: str
    path: str
    width: int
    wide: list[str]
    crowded: list[dict[str, Any]]
    smallest: dict[str, Any] | None


def _page_path(href: str | None, host: str) -> str | None:
    """The site-relative path of a link worth visiting, or None (other hosts, downloads, fragments)."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.netloc and parts.netloc != host:
        return None
    path = parts.path or "/"
    if path.endswith(SKIP_SUFFIXES) or path.startswith(("/media/", "/static/", "/admin/")) or "logout" in path:
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _signed_in(context: Any, town: Any, host: str, email: str) -> None:
    """Put a session of `email` into the browser (signing in itself is what other journeys test)."""
    from accounts.models import User
    from tests.helpers import logged_in_client

    with schema_context(town.schema_name):
        user = User.objects.get(email=email)
    client = logged_in_client(town, user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host.split(":")[0],
                          "path": "/"}])


def test_every_menu_page_fits_320_px_with_tap_targets_of_24_px(live_site, town_slugs, browser, capsys):
    from demo import data
    from demo.loader import demo_load
    from tests.journeys.conftest import drop_towns

    started = time.monotonic()
    drop_towns([data.TOWN["slug"]])
    town_slugs.append(data.TOWN["slug"])
    demo_load()
    loaded = time.monotonic()
    base = live_site.town(data.TOWN["slug"])
    host = urlsplit(base).netloc

    people = [  # who, signed in as, where their own pages start
        ("visitor", None, ["/"]),
        ("resident", data.email_of("maria.weber"), ["/", "/konto/"]),
        ("business", data.email_of("katrin.jung"), ["/", "/directory/mine/", "/sponsoring/"]),
        ("admin", data.ADMIN["email"], ["/backoffice/"]),
    ]
    seen: set[str] = set()
    findings: list[Finding] = []
    csp: list[str] = []
    for role, email, seeds in people:
        context = browser.new_context(viewport={"width": WIDTH, "height": 640}, is_mobile=True, has_touch=True,
                                      locale="en-US", timezone_id="Europe/Berlin", service_workers="block")
        context.set_default_timeout(15_000)
        if email:
            _signed_in(context, _town(data.TOWN["slug"]), host, email)
        # Map tiles come from a tile server the test has none of; the map's box has its size without them.
        context.route("**/karte/kacheln/**", lambda route: route.abort())
        page = context.new_page()
        watch_csp(page, csp)
        queue = list(seeds)
        visited_here: set[str] = set()
        while queue:
            path = queue.pop(0)
            # A page someone before already measured is opened again only to read this person's menus.
            if path in visited_here or (path in seen and path not in seeds):
                continue
            visited_here.add(path)
            try:
                response = page.goto(base.rstrip("/") + path, wait_until="domcontentloaded")
            except PlaywrightError as error:  # a download behind a page-like address is no page to lay out
                if "Download is starting" in str(error):
                    continue
                raise
            if response is None or response.status >= 400 or urlsplit(page.url).netloc != host:
                continue  # e.g. a page this person may not open; not a layout question
            if "text/html" not in response.headers.get("content-type", ""):
                continue  # a PDF to print (the browser's viewer lays it out, not we)
            landed = urlsplit(page.url).path
            links = page.evaluate(LINKS)
            if path in seeds:  # the menus of the start pages lead everywhere else
                queue += [p for p in (_page_path(h, host) for h in links["menus"]) if p and p not in queue]
            deeper = _page_path(links["deeper"], host)
            if deeper and deeper not in queue and "/backoffice/" not in landed and "/manage/" not in landed:
                queue.append(deeper)
            if landed in seen:
                continue  # the same page, already measured for someone who saw it first
            seen.add(landed)
            measured = page.evaluate(MEASURE, MIN_TARGET)
            findings.append(Finding(role, landed, measured["width"], measured["wide"], measured["crowded"],
                                    measured["smallest"]))
        context.close()

    widest = max(findings, key=lambda f: f.width)
    smallest = min((f for f in findings if f.smallest), key=lambda f: min(f.smallest["width"], f.smallest["height"]))
    with capsys.disabled():
        print(f"\nlayout sweep: {len(findings)} pages of the demo town at {WIDTH} px in "
              f"{time.monotonic() - loaded:.1f} s (demo loaded in {loaded - started:.1f} s)")
        if os.environ.get("LAYOUT_SWEEP_PAGES"):
            print("\n".join(f"  {f.role:9} {f.width:4} {f.path}" for f in findings))
        print(f"  widest page: {widest.path} ({widest.role}) {widest.width} px")
        print(f"  smallest tap target: {smallest.smallest} on {smallest.path} ({smallest.role})")

    too_wide = [f"{f.path} ({f.role}): {f.width} px, too wide: {', '.join(f.wide)}"
                for f in findings if f.width > WIDTH]
    too_small = [f"{f.path} ({f.role}): {t['tag']} {t['name']!r} {t['width']}x{t['height']}"
                 for f in findings for t in f.crowded]
    assert len(findings) >= 60, [f.path for f in findings]  # the sweep really reached the menus' pages
    assert not too_wide, "pages scroll sideways at 320 px:\n  " + "\n  ".join(too_wide)
    assert not too_small, "tap targets under 24x24 px:\n  " + "\n  ".join(too_small)
    assert not csp, csp


def _town(slug: str) -> Any:
    from tenants.models import Municipality

    with schema_context("public"):
        return Municipality.objects.get(slug=slug)
