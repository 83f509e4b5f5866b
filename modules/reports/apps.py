from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.maps import MapLayer
from core.modules import FeatureModule, ModuleSpec, NavItem, SampleObject, UrlMount
from core.personal_data import Kept, PersonalData
from core.search import SearchProvider
from modules.moderation.capabilities import ModeratedContent
from modules.notifications.capabilities import NotificationTopic
from modules.reports.conf import ReportsSettingsForm


def _sample_report() -> dict[str, Any]:
    """One public report of the town's admin, for the isolation suite (routes taking a report's pk)."""
    from accounts.models import Role, User
    from modules.reports.models import Category
    from modules.reports.services import categories_seed, report_create

    categories_seed()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    report = report_create(category=Category.objects.order_by("position", "name").first(),
                           description="Laterne flackert", latitude=50.7354, longitude=7.8786, acting_user=admin)
    return {"pk": report.pk, "report_id": str(report.pk), "token": str(report.token), "format": "json"}


def _sample_tokens() -> dict[str, Any]:
    """A confirmed report forwarded to an outside body: its confirmation and answer links (signed per town)."""
    from modules.reports.models import Category, Report
    from modules.reports.services import confirm_token, forward_token

    pk = _sample_report()["pk"]
    Category.objects.filter(reports__pk=pk).update(forward_body="Kreisverwaltung", forward_email="kreis@example.org")
    Report.objects.filter(pk=pk).update(forwarded_to="Kreisverwaltung", status="forwarded")
    report = Report.objects.get(pk=pk)
    return {"confirm": confirm_token(report), "forward": forward_token(report)}


def _sample_confirm() -> dict[str, Any]:
    return {"token": _sample_tokens()["confirm"]}


def _sample_forward() -> dict[str, Any]:
    return {"token": _sample_tokens()["forward"]}


def _sample_category() -> dict[str, Any]:
    from modules.reports.models import Category

    category = Category.objects.create(name="Isolationskategorie", slug="isolationskategorie")
    return {"pk": category.pk, "service_code": category.slug, "format": "json"}


def _sample_key() -> dict[str, Any]:
    from modules.reports.models import ApiKey

    return {"pk": ApiKey.objects.create(name="Isolation", key_hash="0" * 64, prefix="iso").pk}


_REPORT_ROUTES = (
    "reports:report-detail", "reports:report-follow", "reports:report-reopen", "reports:manage-report",
    "reports-open311:request-detail", "reports-open311:token",
)


class ReportsConfig(FeatureModule):
    name = "modules.reports"
    label = "reports"
    verbose_name = _("Report a problem")

    spec = ModuleSpec(
        key="reports",
        name=_("Report a problem"),
        description=_(
            "The Mängelmelder: residents report a broken street light, a pothole or a full bin with photo and "
            "map pin, follow what the town does about it and see it on a public map. The town's staff work the "
            "reports per department; other apps use them over Open311 GeoReport v2."
        ),
        pillar="Verwaltung",
        nav=(
            NavItem(_("Report a problem"), "reports:report-list", order=40),
            NavItem(_("Reports"), "reports:manage", permission="moderator", order=40, backoffice=True),
        ),
        settings_form=ReportsSettingsForm,
        enabled_by_default=True,
        provides=(
            UrlMount(prefix="open311/v2/", urls="modules.reports.open311_urls"),
            MapLayer(key="reports.reports", label=_("Reported problems"), points="modules.reports.selectors.map_points",
                     colour="#b91c1c", order=40),
            SearchProvider(search="modules.reports.search.search", label=_("Reported problems"), order=40),
            # Keys repeat modules.reports.notifications.TOPIC_OWN / TOPIC_SUPPORTED (apps.py loads before models).
            NotificationTopic("reports.own", _("Your reported problems"),
                              _("When the town answers a problem you reported or its status changes."),
                              default_on=True, order=42),
            NotificationTopic("reports.supported", _("Problems you support"),
                              _("When the town answers a reported problem you support or its status changes."),
                              default_on=True, order=43),
            # The description is public: residents can flag it, moderators hide it (the report stays in the queue).
            ModeratedContent(kind="reports.report", label=_("Reported problem"),
                             get="modules.reports.facade.report_summary",
                             set_hidden="modules.reports.facade.report_set_hidden",
                             delete="modules.reports.facade.report_delete",
                             visible_to="modules.reports.facade.report_visible_to"),
            PersonalData(key="reports", export="modules.reports.personal_data.export",
                         erase="modules.reports.personal_data.erase",
                         stores=_("Your reports of problems with place, photos and contact details, and the reports "
                                  "you follow."),
                         purpose=_("Take reports of problems in the town and tell the reporter what happened"),
                         categories=(_("Name and e-mail address"),
                                     _("Contact details (phone, e-mail)"),
                                     _("Places and addresses the person gives"),
                                     _("Texts and photos the person publishes")),
                         legal_basis=_("Art. 6(1)(e) GDPR: a task in the public interest (local self-government)"),
                         retention=_("Until the person deletes their account or the town deletes it"),
                         kept=(Kept(_("Reports of problems, without the reporter and their contact details"),
                                    _("Art. 6(1)(e) GDPR: the town documents how it handled a matter in public"),
                                    _("Until the town archives the report"),
                                    tables=("reports_report", "reports_statuschange", "reports_note")),)),
            SampleObject(create=_sample_report, url_names=_REPORT_ROUTES),
            SampleObject(create=_sample_category, url_names=(
                "reports:category-rename", "reports:category-delete", "reports:category-edit",
                "reports-open311:service")),
            SampleObject(create=_sample_confirm, url_names=("reports:report-confirm",)),
            SampleObject(create=_sample_forward, url_names=("reports:forward-answer",)),
            SampleObject(create=_sample_key, url_names=("reports:apikey-revoke",)),
        ),
    )

    def installed(self, tenant: Any) -> None:
        from modules.reports.services import categories_seed

        categories_seed()
