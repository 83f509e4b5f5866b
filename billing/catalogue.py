"""The platform's catalogue: what towns may offer to their sponsors (monthly prices net, in cents).

Plain data, also read by the data migration that seeds it.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CATALOGUE: list[tuple[str, str, str, int, int]] = [
    # key, name (German: shown as is, it is a product name), kind, lowest, highest monthly net price
    ("featured-entry", "Hervorgehobener Eintrag", "featured_entry", 1000, 5000),
    ("home-card", "Karte auf der Startseite", "home_card", 2000, 10000),
    ("module-patron", "Modulpate", "module_patron", 1500, 8000),
    ("club-patron", "Vereinspate", "club_patron", 1000, 5000),
]

# What each product gives the sponsor, in one sentence (price lists, purchase page, back office).
PRODUCT_SUMMARIES: dict[str, Promise] = {
    "featured-entry": _("The business appears at the top of one directory category, labelled as sponsored."),
    "home-card": _("A card on the town's start page, labelled as sponsored."),
    "module-patron": _("Every page of one module the town runs (for example the calendar or the notice board) names "
                       "the business as its patron. Never on official news."),
    "club-patron": _("A local club's page names the business as its patron, and the club receives a share of "
                     "every payment."),
}

# The platform's own plans for towns (fixed monthly net price: lowest == highest), published on the public site.
PLATFORM_PLANS: list[tuple[str, str, str, int, int]] = [
    ("plan-dorf", "Dorf (bis 5.000 Einwohner)", "platform_plan", 4900, 4900),
    ("plan-gemeinde", "Gemeinde (bis 20.000 Einwohner)", "platform_plan", 9900, 9900),
    ("plan-stadt", "Stadt / Verbandsgemeinde (über 20.000 Einwohner)", "platform_plan", 19900, 19900),
]

# Never sponsored in any town, whatever the town's own settings say (lower case, matched as substrings).
PLATFORM_EXCLUDED_TERMS: tuple[str, ...] = (
    "partei", "wahlkampf", "wahlwerbung", "wähl", "political", "politisch", "cdu", "csu", "spd", "fdp",
    "grüne", "afd", "die linke", "bsw", "freie wähler", "kandidat", "glücksspiel", "casino", "wetten",
    "tabak", "zigarette", "vape", "waffen",
)


def catalogue_seed(product_model: Any) -> None:
    """Create the catalogue's products that are missing (`product_model`: the real or the migration's model)."""
    for key, name, kind, low, high in CATALOGUE + PLATFORM_PLANS:
        product_model.objects.get_or_create(
            key=key, defaults={"name": name, "kind": kind, "min_monthly_cents": low, "max_monthly_cents": high}
        )
