from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.modules import PageBanner
from core.personal_data import Kept, PersonalData


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    # The account itself is erased last: every other provider still finds the person's rows through it.
    provides = (
        PersonalData(key="account", export="accounts.personal_data.export", erase="accounts.personal_data.erase",
                     order=1000,
                     stores=_("Your account: name, e-mail address, password (only as a hash), when you agreed to the "
                              "privacy policy, your sign-ins, and whether e-mails to your address came back, so that "
                              "you can sign in and we can write to you."),
                     purpose=_("Run a personal account: sign in, two-factor login, e-mail addresses"),
                     categories=(_("Name and e-mail address"), _("Sign-in and usage data (dates, devices)")),
                     legal_basis=_("Art. 6(1)(b) GDPR: the terms of use the person accepted when registering"),
                     retention=_("Until the person deletes their account or the town deletes it"),
                     kept=(Kept(_("The emptied account: a number, the day of registration and of consent to "
                                  "the privacy policy"),
                                _("Art. 5(2) and 7(1) GDPR: the town must be able to show that earlier "
                                  "processing was lawful"),
                                _("As long as the town uses the platform"),
                                tables=("accounts_user",)),)),
        # Town admins and moderators without a second factor, in their grace period (accounts.mfa).
        PageBanner(render="accounts.views.mfa_banner", order=5),
    )

    def ready(self) -> None:
        from accounts import receivers  # noqa: F401
