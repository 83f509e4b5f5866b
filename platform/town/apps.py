from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.branding import TownProfileSource
from core.modules import BackofficeLink


class TownConfig(AppConfig):
    name = "town"
    verbose_name = _("Town")

    # What the town app offers the kernel: the town's profile and its back-office sections.
    provides = (
        TownProfileSource(get="town.selectors.town_profile_get"),
        BackofficeLink(_("Town profile"), "town:backoffice-branding",
                       _("Name, logo, header image and colours."), order=10),
        BackofficeLink(_("Contact person"), "town:backoffice-contact",
                       _("The person residents can turn to, shown on every page."), order=20),
        BackofficeLink(_("Legal texts"), "town:backoffice-legal", _("Impressum and privacy policy."), order=30),
        BackofficeLink(_("Ortsgemeinden"), "town:ortsgemeinde-list", _("The villages residents choose from."),
                       order=40),
        BackofficeLink(_("Places and streets"), "town:places",
                       _("Boundaries and street lists of the Ortsgemeinden, for maps and addresses."), order=45),
        BackofficeLink(_("People"), "town:people", _("Residents, editors, moderators and invitations."), order=50),
        BackofficeLink(_("Organisations"), "town:organisation-admin-list",
                       _("Clubs, fire brigades, parishes and schools that publish."), order=60),
        BackofficeLink(_("Modules"), "town:module-list", _("Switch features on and off and set them up."),
                       order=90),
    )

    def ready(self) -> None:
        from town import receivers  # noqa: F401
