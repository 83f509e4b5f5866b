from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import FeatureModule, HomeWidget, ModuleSpec, NavItem, SampleObject
from core.page_cache import CachedFor
from core.personal_data import Kept, PersonalData
from modules.errands.conf import ErrandsSettingsForm
from modules.errands.facts import INVOLVED


def _sample_person(email: str, name: str) -> Any:
    """A resident whose account is older than the new-account limits (samples must never hit them)."""
    from django.utils import timezone

    from accounts.models import User

    user, _created = User.objects.get_or_create(
        email=email, defaults={"name": name, "date_joined": timezone.now() - timedelta(days=60)}
    )
    return user


def _sample_request() -> dict[str, Any]:
    from django.utils import timezone

    from modules.errands.services import errand_request_create

    start = timezone.now() + timedelta(hours=2)
    errand = errand_request_create(
        acting_user=_sample_person("mitbringen-isolation@example.org", "Margarete Muster"),
        items="1 Roggenbrot\n6 Eier",
        shop_name="Dorfbäckerei",
        window_start=start,
        window_end=start + timedelta(hours=6),
    )
    return {"request_id": errand.pk}


def _sample_trip() -> dict[str, Any]:
    from django.utils import timezone

    from modules.errands.services import trip_create

    trip = trip_create(
        acting_user=_sample_person("fahrt-isolation@example.org", "Fritz Fahrer"),
        destination="Betzdorf",
        departure_at=timezone.now() + timedelta(days=1),
        capacity=3,
    )
    return {"trip_id": trip.pk}


def _sample_block() -> dict[str, Any]:
    from modules.errands.services import user_block

    block = user_block(
        acting_user=_sample_person("blockt-isolation@example.org", "Berta Block"),
        blocked=_sample_person("geblockt-isolation@example.org", "Gerd Geblockt"),
    )
    return {"block_id": block.pk}


class ErrandsConfig(FeatureModule):
    name = "modules.errands"
    label = "errands"
    verbose_name = _("Errands")

    spec = ModuleSpec(
        key="errands",
        name=_("Errands"),
        description=_(
            "Neighbours bring each other things from the shops: residents without a car ask, "
            "neighbours who are going anyway accept or announce trips others can join. "
            "No money moves through the platform."
        ),
        pillar="Nahversorgung",
        nav=(
            NavItem(_("Errands"), "errands:request-list", order=40),
            NavItem(_("Errand reports"), "errands:report-list", permission="moderator", order=40, backoffice=True),
        ),
        settings_form=ErrandsSettingsForm,
        has_api=True,
        provides=(
            INVOLVED,
            HomeWidget(render="modules.errands.views.home_widget", order=40, cache=CachedFor(vary="user")),
            SampleObject(create=_sample_request),
            SampleObject(create=_sample_trip),
            SampleObject(create=_sample_block),
            PersonalData(key="errands", export="modules.errands.personal_data.export",
                         erase="modules.errands.personal_data.erase",
                         stores=_("Errands you asked for or took on and trips you announced, with items, times and "
                                  "notes."),
                         purpose=_("Arrange shopping help between neighbours"),
                         categories=(_("Name and e-mail address"),
                                     _("Places and addresses the person gives"),
                                     _("Dates and times"),
                                     _("Messages between people")),
                         legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                         retention=_("Until the person deletes their account or the town deletes it"),
                         kept=(Kept(_("Errands a neighbour took on, without the note and the name"),
                                    _("Art. 6(1)(f) GDPR: the other people's interest in keeping the "
                                      "conversation they took part in"),
                                    _("Without a name for as long as the content it belongs to exists"),
                                    tables=("errands_errandrequest", "errands_errandevent")),
                               Kept(_("Reports about errands"),
                                    _("Art. 6(1)(c) GDPR with Art. 16, 17 and 20 DSA; erasure limited by Art. "
                                      "17(3)(b) and (e) GDPR"),
                                    _("As long as the person can object or go to court, usually six months "
                                      "after the decision; then reviewed by the town"),
                                    tables=("errands_errandreport",)),)),
        ),
    )
