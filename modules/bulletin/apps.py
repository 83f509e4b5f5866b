from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.modules import BackofficeLink, FeatureModule, ModuleSpec, NavItem, SampleObject, UrlMount
from core.personal_data import PersonalData
from core.search import SearchProvider
from modules.bulletin.conf import BulletinSettingsForm


def _sample_issue() -> dict[str, Any]:
    """A published issue with one item, for the isolation suite (routes take year/number or the pk)."""
    from django.core.files.base import ContentFile

    from modules.bulletin.models import Issue, IssueItem, IssueStatus

    issue = Issue.objects.create(year=2026, number=1, period_start=datetime.date(2026, 1, 1),
                                 period_end=datetime.date(2026, 1, 7), status=IssueStatus.PUBLISHED,
                                 search_text="Isolationsausgabe")
    item = IssueItem.objects.create(issue=issue, source_key="manual", uid="m1", title="Isolationsmeldung")
    issue.pdf.save("isolation.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))  # what publishing stores
    return {"year": issue.year, "number": issue.number, "pk": issue.pk, "item": item.pk}


class BulletinConfig(FeatureModule):
    name = "modules.bulletin"
    label = "bulletin"
    verbose_name = _("Mitteilungsblatt")

    spec = ModuleSpec(
        key="bulletin",
        name=_("Mitteilungsblatt"),
        description=_(
            "The town's weekly or monthly newsletter, put together from what was published: official news, "
            "the Vereine's news, the next dates and notices, per Ortsgemeinde. Printed as a PDF for the "
            "printer, online and by e-mail to subscribers, with an archive of past issues."
        ),
        pillar="Kommunikation",
        nav=(
            NavItem(_("Mitteilungsblatt"), "bulletin:archive", order=60),
        ),
        settings_form=BulletinSettingsForm,
        provides=(
            UrlMount(prefix="mitteilungsblatt/", urls="modules.bulletin.public_urls"),
            BackofficeLink(_("Mitteilungsblatt"), "bulletin:manage",
                           _("Put the next issue together, print it and send it to subscribers."),
                           permission="editor", order=60),
            SampleObject(create=_sample_issue),
            SearchProvider(search="modules.bulletin.search.search", label=_("Mitteilungsblatt"),
                           more_url_name="bulletin-mitteilungsblatt:archive", order=60),
            PersonalData(key="bulletin", export="modules.bulletin.personal_data.export",
                         erase="modules.bulletin.personal_data.erase",
                         stores=_("Whether you get the Mitteilungsblatt by e-mail, and which issues were sent to you."),
                         purpose=_("Send the Mitteilungsblatt to residents who asked for it"),
                         categories=(_("Name and e-mail address"), _("Settings and choices")),
                         legal_basis=_("Art. 6(1)(a) GDPR: consent, which the person can withdraw at any time "
                                       "on the Mitteilungsblatt page"),
                         retention=_("Until the person unsubscribes or deletes their account")),
        ),
    )
