from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalData


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    # The account itself is erased last: every other provider still finds the person's rows through it.
    provides = (
        PersonalData(key="account", export="accounts.personal_data.export", erase="accounts.personal_data.erase",
                     order=1000,
                     stores=_("Your account: name, e-mail address, password (only as a hash), when you agreed to the "
                              "privacy policy, and your sign-ins, so that you can sign in and we can write to you.")),
    )

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401
