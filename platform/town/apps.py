from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.audit import AuditActions, AuditLogStore
from core.branding import TownProfileSource
from core.calendar import CalendarPlaces, CalendarSource
from core.modules import BackofficeLink, HomePrompt
from core.personal_data import Kept, PersonalData


class TownConfig(AppConfig):
    name = "town"
    verbose_name = _("Town")

    # What the town app offers the kernel: the town's profile and its back-office sections.
    provides = (
        TownProfileSource(get="town.selectors.town_profile_get"),
        # The town calendar page (/kalender/) offers these villages as a filter.
        CalendarPlaces(places="town.selectors.ortsgemeinde_list", home="town.selectors.user_ortsgemeinde_id"),
        HomePrompt(render="town.views.ortsgemeinde_prompt", order=10),
        BackofficeLink(_("Town profile"), "town:backoffice-branding",
                       _("Name, logo, header image and colours."), order=10),
        BackofficeLink(_("Contact person"), "town:backoffice-contact",
                       _("The person residents can turn to, shown on every page."), order=20),
        BackofficeLink(_("Legal texts"), "town:backoffice-legal", _("Impressum and privacy policy."), order=30),
        BackofficeLink(_("Sign-in security"), "town:backoffice-security",
                       _("Who needs two-factor login besides admins and moderators."), order=35),
        BackofficeLink(_("Own address"), "town:backoffice-domains",
                       _("Your town's own internet address beside its address on the platform."), order=37),
        BackofficeLink(_("Ortsgemeinden"), "town:ortsgemeinde-list", _("The villages residents choose from."),
                       order=40),
        BackofficeLink(_("Places and streets"), "town:places",
                       _("Boundaries and street lists of the Ortsgemeinden, for maps and addresses."), order=45),
        BackofficeLink(_("People"), "town:people", _("Residents, editors, moderators and invitations."), order=50),
        BackofficeLink(_("Organisations"), "town:organisation-admin-list",
                       _("Clubs, fire brigades, parishes and schools that publish."), order=60),
        BackofficeLink(_("Office hours"), "town:office-hours",
                       _("Opening times and Sprechstunden, shown on every page and in the calendar."), order=25),
        BackofficeLink(_("How the digital village is doing"), "town:cockpit",
                       _("Registrations per village and week, active Vereine, what each invitation brought."),
                       order=5),
        BackofficeLink(_("Posters and flyers"), "town:invitations",
                       _("Printed invitations with a QR code for the town, each village and each Verein."),
                       permission="editor", order=55),
        BackofficeLink(_("Confirmed residents"), "town:backoffice-residency",
                       _("Whether residents confirm where they live, and what only they may do."), order=52),
        BackofficeLink(_("Data protection"), "town:privacy-documents",
                       _("Record of processing activities, data-processing agreement, technical and organisational "
                         "measures, retention register."), order=85),
        BackofficeLink(_("Modules"), "town:module-list", _("Switch features on and off and set them up."),
                       order=90),
        BackofficeLink(_("Audit log"), "town:audit-log",
                       _("Who changed roles, modules, settings and organisations, and when."), order=95),
        AuditLogStore(model="town.AuditEntry"),
        AuditActions(labels={
            "user.role": _("Role changed"),
            "domain.add": _("Own address added"),
            "domain.verify": _("Own address confirmed"),
            "domain.primary": _("Main address changed"),
            "domain.remove": _("Own address removed"),
            "residency.policy": _("Residency check changed"),
            "residency.confirm": _("Address confirmed"),
            "residency.reject": _("Address not confirmed"),
            "residency.withdraw": _("Confirmation withdrawn"),
            "residency.letters": _("Letters with codes made"),
            "user.deactivate": _("Account deactivated"),
            "user.reactivate": _("Account reactivated"),
            "invitation.create": _("Invitation sent"),
            "invitation.revoke": _("Invitation withdrawn"),
            "invitation.resend": _("Invitation sent again"),
            "invitation.accept": _("Invitation accepted"),
            "organisation.create": _("Organisation created"),
            "organisation.update": _("Organisation changed"),
            "organisation.delete": _("Organisation deleted"),
            "membership.add": _("Member added"),
            "membership.role": _("Member's role changed"),
            "membership.remove": _("Member removed"),
            "profile.update": _("Town profile changed"),
            "ortsgemeinde.create": _("Ortsgemeinde added"),
            "ortsgemeinde.update": _("Ortsgemeinde changed"),
            "ortsgemeinde.delete": _("Ortsgemeinde deleted"),
            "module.enable": _("Module switched on"),
            "module.disable": _("Module switched off"),
            "module.configure": _("Module settings changed"),
        }),
        PersonalData(key="town", export="town.personal_data.export", erase="town.personal_data.erase",
                     stores=_("Where you live: your Ortsgemeinde, whether your address is confirmed, the "
                              "organisations you publish for, and invitations, so that you see the news of your "
                              "village."),
                     purpose=_("Know which village a person belongs to and which organisations they publish for"),
                     categories=(_("Name and e-mail address"), _("Settings and choices")),
                     legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                     retention=_("Until the person deletes their account or the town deletes it"),
                     kept=(Kept(_("Audit log entries of changes the person made as administrator, moderator or editor"),
                                _("Art. 6(1)(c) and (f), Art. 5(2) and 32 GDPR: proof of who changed roles, accounts "
                                  "and settings; erasure limited by Art. 17(3)(b) and (e) GDPR"),
                                _("As long as the town keeps its audit log"),
                                tables=("town_auditentry",)),)),
        CalendarSource(key="sprechzeiten", label=_("Office hours"),
                       entries="town.calendar_selectors.office_hour_entries", order=10),
    )

    def ready(self) -> None:
        from town import receivers  # noqa: F401
