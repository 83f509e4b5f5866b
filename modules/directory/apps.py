from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from billing.facade import PromotionSlot
from core.maps import MapLayer
from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, SampleObject
from core.page_cache import CachedFor
from core.personal_data import PersonalData
from core.search import SearchProvider

BUSINESS_COLOUR = "#b45309"  # the Branchenbuch's markers, on its own pages and on the town map


def _sample_category() -> dict[str, Any]:
    from modules.directory.models import BusinessCategory

    category = BusinessCategory.objects.create(name="Isolationsbranche", slug="isolationsbranche")
    return {"pk": category.pk}


class DirectoryConfig(FeatureModule):
    name = "modules.directory"
    label = "directory"
    verbose_name = _("Directory")

    spec = ModuleSpec(
        key="directory",
        name=_("Directory"),
        description=_(
            "The local business directory: bakeries, farm shops, craftspeople, doctors and services run "
            "their own entries with opening hours, offers of the week, delivery and a map."
        ),
        pillar="Nahversorgung",
        nav=(
            NavItem(_("Directory"), "directory:business-list", order=30),
            NavItem(_("Business applications"), "directory:application-list", permission="moderator",
                    order=30, backoffice=True),
            NavItem(_("Business categories"), "directory:category-manage", permission="town_admin",
                    order=31, backoffice=True),
        ),
        has_api=True,
        provides=(
            HomeWidget(render="modules.directory.views.home_widget", order=30, cache=CachedFor(vary="place")),
            PromotionSlot(
                key="directory.category-top",
                label=_("Featured entry in a category"),
                description=_("Shown as the first card of a category's list in the directory."),
                max_entries=1,
                target="category",
                targets="modules.directory.selectors.promotion_targets",
            ),
            PromotionSlot(
                key="directory.home",
                label=_("Card on the start page"),
                description=_("Shown in the directory's box on the town's start page."),
                max_entries=2,
            ),
            SampleObject(create="modules.directory.samples.sample_business"),
            SampleObject(create=_sample_category, url_names=("directory:category-rename", "directory:category-delete")),
            PersonalData(key="directory", export="modules.directory.personal_data.export",
                         erase="modules.directory.personal_data.erase",
                         stores=_("Business entries you applied for in the Branchenbuch."),
                         purpose=_("List local businesses and who manages their entry"),
                         categories=(_("Name and e-mail address"), _("Contact details (phone, e-mail)")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until the person deletes their account or the town deletes it")),
            SearchProvider(search="modules.directory.search.search", label=_("Branchenbuch"),
                           more_url_name="directory:business-list", order=30),
            MapLayer(key="directory.businesses", label=_("Businesses"),
                     points="modules.directory.selectors.map_points", colour=BUSINESS_COLOUR, order=30),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.directory.services import categories_seed

        categories_seed()
