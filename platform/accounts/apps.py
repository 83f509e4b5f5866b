from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import PageBanner
from core.personal_data import PersonalData


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    # The account itself is erased last: every other provider still finds the person's rows through it.
    provides = (
        PersonalData(key="account", export="accounts.personal_data.export", erase="accounts.personal_data.erase",
                     order=1000),
        # Town admins and moderators without a second factor, in their grace period (accounts.mfa).
        PageBanner(render="accounts.views.mfa_banner", order=5),
    )

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401
