from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from billing.facade import PromotionSlot
from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.page_cache import CachedFor
from core.personal_data import Kept, PersonalData
from core.search import SearchProvider
from modules.notifications.capabilities import NotificationTopic


def _admin() -> Any:
    from accounts.models import Role, User

    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()


def _sample_listing() -> dict[str, Any]:
    """One current listing of the town's admin, for the isolation suite."""
    from modules.marketplace.models import ListingKind, ListingType, PriceMode
    from modules.marketplace.services import listing_create

    listing = listing_create(
        acting_user=_admin(), kind=ListingKind.OFFER, listing_type=ListingType.SELL, title="Kinderfahrrad 20 Zoll",
        description="Gut erhalten, Abholung im Dorf.", price_mode=PriceMode.FIXED, price_cents=4500,
    )
    return {"pk": listing.pk}


def _sample_saved_search() -> dict[str, Any]:
    from modules.marketplace.services import saved_search_create

    return {"pk": saved_search_create(acting_user=_admin(), query="Fahrrad").pk}


def _sample_category() -> dict[str, Any]:
    from modules.marketplace.models import Category

    return {"pk": Category.objects.create(name="Isolationsthema", slug="isolationsthema").pk}


_LISTING_ROUTES = (
    "marketplace:listing-detail", "marketplace:listing-contact", "marketplace:listing-edit",
    "marketplace:listing-status", "marketplace:listing-renew", "marketplace:listing-delete",
    "marketplace:listing-remove", "marketplace-api:listing-detail",
)


class MarketplaceConfig(FeatureModule):
    name = "modules.marketplace"
    label = "marketplace"
    verbose_name = _("Suche & Biete")

    spec = ModuleSpec(
        key="marketplace",
        name=_("Suche & Biete"),
        description=_(
            "Residents and organisations offer and look for things and help: give away, lend, sell, swap, "
            "help wanted. Contact is relayed without showing e-mail addresses; saved searches notify about "
            "new matches."
        ),
        pillar="Nahversorgung",
        nav=(
            NavItem(_("Suche & Biete"), "marketplace:listing-list", order=30),
            NavItem(_("Marketplace categories"), "marketplace:category-manage", permission="town_admin", order=31,
                    backoffice=True),
        ),
        has_api=True,
        provides=(
            HomeWidget(render="modules.marketplace.views.home_widget", order=30, cache=CachedFor(vary="place")),
            # Expired listings disappear within the hour, and their owners get a renewal link.
            PeriodicTask(task="marketplace.expire_listings", every_seconds=3600),
            NotificationTopic("marketplace.saved_searches", _("New listings for your saved searches"),
                              _("When a new listing in Suche & Biete matches a search you saved."),
                              default_on=True, order=70),
            PromotionSlot(
                key="marketplace.top",
                label=_("Featured listing at the top"),
                description=_("One sponsored entry above the list of Suche & Biete."),
                max_entries=1,
            ),
            SampleObject(create=_sample_listing, url_names=_LISTING_ROUTES),
            SampleObject(create=_sample_saved_search, url_names=("marketplace:saved-search-delete",)),
            SampleObject(create=_sample_category,
                         url_names=("marketplace:category-rename", "marketplace:category-delete")),
            PersonalData(key="marketplace", export="modules.marketplace.personal_data.export",
                         erase="modules.marketplace.personal_data.erase",
                         stores=_("Your listings with photos, messages about them and your saved searches."),
                         purpose=_("Let residents offer and look for things"),
                         categories=(_("Name and e-mail address"),
                                     _("Texts and photos the person publishes"),
                                     _("Messages between people")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until it expires or the person deletes it; at the latest with the account"),
                         kept=(Kept(_("Messages to the owners of listings, without the sender"),
                                    _("Art. 6(1)(f) GDPR: the other people's interest in keeping the "
                                      "conversation they took part in"),
                                    _("Without a name for as long as the content it belongs to exists"),
                                    tables=("marketplace_contactthread", "marketplace_contactmessage")),)),
            SearchProvider(search="modules.marketplace.search.search", label=_("Suche & Biete"),
                           more_url_name="marketplace:listing-list", order=40),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.marketplace.services import categories_seed

        categories_seed()
