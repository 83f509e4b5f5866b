from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.audit import AuditActions
from core.modules import FeatureModule, ModuleSpec, NavItem, PageAside, SampleObject
from core.personal_data import PersonalData
from town.capabilities import CockpitSection


def _sample_lotse_work() -> dict[str, Any]:
    """A Lotse, a person they registered, a help request: for the isolation suite."""
    from accounts.models import Role, User
    from modules.lotsen.models import AssistedRegistration, Lotse
    from modules.lotsen.services import help_request_create, lotse_appoint, resident_register
    from town.models import TownProfile

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    helper, _created = User.objects.get_or_create(email="lotse-isolation@example.org",
                                                  defaults={"name": "Lotte Lotse"})
    lotse = Lotse.objects.filter(user=helper).first() or lotse_appoint(acting_user=admin, email=helper.email)
    profile = TownProfile.objects.first()
    if profile is not None and not profile.signup_open:
        TownProfile.objects.filter(pk=profile.pk).update(impressum="Impressum", privacy_policy="Datenschutz")
    registration = AssistedRegistration.objects.filter(lotse=helper).first() or resident_register(
        acting_user=helper, name="Hilde Hilfreich", consent=True)[0]
    request = help_request_create(name="Otto", contact="02741 1", topic="account")
    return {"registration_id": registration.pk, "request_id": request.pk, "lotse_id": lotse.pk}


class LotsenConfig(FeatureModule):
    name = "modules.lotsen"
    label = "lotsen"
    verbose_name = _("Digitallotsen")

    spec = ModuleSpec(
        key="lotsen",
        name=_("Digitallotsen"),
        description=_(
            "Volunteers the town appoints help people in person: they register residents who agree, print them "
            "a sign-in letter, post or register for events on their behalf, and answer help requests."
        ),
        pillar="Kommunikation",
        nav=(NavItem(_("Digitallotsen"), "lotsen:manage", permission="town_admin", order=80, backoffice=True),),
        provides=(
            PageAside(render="modules.lotsen.views.page_aside", order=90),
            CockpitSection(render="modules.lotsen.views.cockpit_section", order=50),
            SampleObject(create=_sample_lotse_work, url_names=(
                "lotsen:person", "lotsen:letter", "lotsen:post-for", "lotsen:event-for", "lotsen:help-take",
                "lotsen:help-done", "lotsen:remove")),
            AuditActions(labels={
                "lotsen.appoint": _("Digitallotse appointed"),
                "lotsen.remove": _("Digitallotse removed"),
                "lotsen.register": _("Resident registered by a Digitallotse"),
            }),
            PersonalData(key="lotsen", export="modules.lotsen.personal_data.export",
                         erase="modules.lotsen.personal_data.erase",
                         stores=_("Whether you are a Digitallotse; the consent you gave a Digitallotse; your help "
                                  "requests."),
                         purpose=_("Help residents in person with the platform"),
                         categories=(_("Name and contact details"), _("Consent with its date"),
                                     _("What help was asked for")),
                         legal_basis=_("Art. 6(1)(a) GDPR: the person's consent, recorded when they gave it"),
                         retention=_("Until the person withdraws or deletes their account")),
        ),
    )
