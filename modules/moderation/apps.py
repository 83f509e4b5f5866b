from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.audit import AuditActions
from core.modules import FeatureModule, ModuleSpec, NavItem, PeriodicTask, SampleObject
from core.personal_data import Kept, PersonalData
from modules.moderation.conf import ModerationSettingsForm
from modules.moderation.kinds import PROFILE
from modules.notifications.capabilities import NotificationTopic


def _resident(email: str) -> Any:
    from accounts.models import User

    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email=email, name="Rita Rüpel", password=None)


def _moderator() -> Any:
    from accounts.models import Role, User

    return User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()


def _town_context() -> Any:
    """The current schema as its town: suites call samples inside schema_context, whose stand-in tenant
    has no row, and the services ask the town's module switches (notifications, moderation)."""
    from django.db import connection
    from django_tenants.utils import schema_context, tenant_context

    from tenants.models import Municipality

    if getattr(connection.tenant, "pk", None) is not None:
        return tenant_context(connection.tenant)
    schema = connection.schema_name
    with schema_context("public"):
        town = Municipality.objects.get(schema_name=schema)
    return tenant_context(town)


def _sample_report(prefix: str = "isolation") -> dict[str, Any]:
    """A reported profile in the current town: the report form and the queue item of it."""
    from modules.moderation.models import Case
    from modules.moderation.services import report_create

    with _town_context():
        author = _resident(f"gemeldet-{prefix}@example.org")
        reporter = _resident(f"meldend-{prefix}@example.org")
        report = report_create(kind=PROFILE.kind, object_id=author.pk, category="insult", text="Beleidigt andere.",
                               acting_user=reporter)
        case = Case.objects.get(pk=report.case_id)
    return {"kind": case.kind, "object_id": case.object_id, "pk": case.pk}


def _sample_decision() -> dict[str, Any]:
    """A warning, with its decision page, in the current town."""
    from modules.moderation.services import Statement, case_decide

    values = _sample_report("entscheidung")
    with _town_context():
        decision = case_decide(case_id=values["pk"], action="warn", acting_user=_moderator(),
                               statement=Statement(facts="Beleidigung", ground="terms", ground_detail="§ 3"))
    return {"pk": decision.pk}


class ModerationConfig(FeatureModule):
    name = "modules.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    spec = ModuleSpec(
        key="moderation",
        name=_("Moderation"),
        description=_(
            "Residents report posts, comments, messages and profiles; the town's own moderators decide, "
            "give reasons, hear objections and keep an audit log (notice and action as in the EU Digital "
            "Services Act). With a word filter and limits for new accounts."
        ),
        pillar="Kommunikation",
        nav=(
            NavItem(_("Moderation queue"), "moderation:queue", permission="moderator", order=60, backoffice=True),
            NavItem(_("Word filter"), "moderation:word-filter", permission="moderator", order=61, backoffice=True),
            NavItem(_("Moderation log"), "moderation:audit-log", permission="town_admin", order=62,
                    backoffice=True),
        ),
        settings_form=ModerationSettingsForm,
        enabled_by_default=True,
        has_api=True,
        provides=(
            PROFILE,
            AuditActions(labels={
                "moderation.decision": _("Moderation decision"),
                "moderation.word_filter": _("Word filter changed"),
            }),
            NotificationTopic("moderation.decisions", _("Moderation decisions"),
                              _("When the town's moderators decide on your content or on something you reported."),
                              default_on=True, order=60),
            PeriodicTask(task="moderation.purge_activity", every_seconds=6 * 3600),
            SampleObject(create=_sample_report, url_names=("moderation:report", "moderation:case-detail",
                                                           "moderation:case-decide")),
            SampleObject(create=_sample_decision, url_names=("moderation:decision-detail",
                                                             "moderation:objection-create")),
            PersonalData(key="moderation", export="modules.moderation.personal_data.export",
                         erase="modules.moderation.personal_data.erase",
                         stores=_("Reports of content, and the decisions about it, which the town must keep as "
                                  "proof."),
                         purpose=_("Handle reports about content as the Digital Services Act requires"),
                         categories=(_("Name and e-mail address"), _("Reports about content and decisions on them")),
                         legal_basis=_("Art. 6(1)(c) GDPR with Art. 16, 17 and 20 DSA; erasure limited by Art. "
                                       "17(3)(b) and (e) GDPR"),
                         retention=_("As long as the person can object or go to court, usually six months "
                                     "after the decision; then reviewed by the town"),
                         kept=(Kept(_("Moderation cases, decisions, reports and the moderation log"),
                                    _("Art. 6(1)(c) GDPR with Art. 16, 17 and 20 DSA; erasure limited by Art. "
                                      "17(3)(b) and (e) GDPR"),
                                    _("As long as the person can object or go to court, usually six months "
                                      "after the decision; then reviewed by the town"),
                                    tables=("moderation_case",
                                            "moderation_decision",
                                            "moderation_report",
                                            "moderation_objection",
                                            "moderation_suspension",
                                            "moderation_auditentry")),)),
        ),
    )
