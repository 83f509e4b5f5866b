"""Moderation in a person's export and erasure: decisions and notices are kept (legal ground), the counter goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.personal_data import personal_data_erase
from modules.moderation.models import Activity, AuditEntry, Case, Decision, Objection, Report, Suspension
from tests.core.personal_data_helpers import flat, person, section
from tests.helpers import admin_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(in_town_a):
    anna, bert = person("anna@example.org", "Anna Albers"), person("bert@example.org", "Bert Brandt")
    moderator = admin_of(in_town_a)
    about_anna = Case.objects.create(kind="board.post", object_id=1, author=anna, excerpt="Annas Beitrag")
    Report.objects.create(case=about_anna, reporter=bert, category="insult", text="Bert meldet Anna")
    decision = Decision.objects.create(case=about_anna, action="suspend", moderator=moderator, facts="Beleidigung",
                                       ground="terms", ground_detail="§ 3", suspension_days=7)
    Objection.objects.create(decision=decision, text="Das war nicht so gemeint.")
    Suspension.objects.create(user=anna, decision=decision, ends_at=timezone.now() + timedelta(days=7))
    about_bert = Case.objects.create(kind="board.post", object_id=2, author=bert, excerpt="Berts Beitrag")
    Report.objects.create(case=about_bert, reporter=anna, category="spam", text="Anna meldet Bert")
    AuditEntry.objects.create(actor=moderator, action="suspend", case=about_anna, reason="Beleidigung")
    Activity.objects.create(user=anna, action="post")
    Activity.objects.create(user=bert, action="post")
    return {"anna": anna, "bert": bert, "about_anna": about_anna, "decision": decision}


def test_export_holds_the_decisions_about_her_and_her_own_notices(cases):
    data = section(cases["anna"], "moderation")

    assert [c["excerpt"] for c in data["cases_about_them"]] == ["Annas Beitrag"]
    decision = data["decisions_about_them"][0]
    assert (decision["action"], decision["facts"], decision["objection"]["text"]) == (
        "suspend", "Beleidigung", "Das war nicht so gemeint.")
    assert len(data["suspensions"]) == 1
    assert [r["text"] for r in data["reports_filed"]] == ["Anna meldet Bert"]
    # Who reported her, and the other case's content, are not hers.
    assert "Bert meldet Anna" not in flat(data) and "Berts Beitrag" not in flat(data)


def test_erase_keeps_the_record_and_deletes_the_activity_counter(cases):
    personal_data_erase(cases["anna"])

    assert Case.objects.filter(pk=cases["about_anna"].pk, author=cases["anna"]).exists()
    assert Decision.objects.filter(pk=cases["decision"].pk).exists() and Objection.objects.exists()
    assert Report.objects.filter(text="Anna meldet Bert").exists()
    assert Suspension.objects.filter(user=cases["anna"]).exists()
    assert AuditEntry.objects.filter(reason="Beleidigung").exists()
    assert list(Activity.objects.values_list("user_id", flat=True)) == [cases["bert"].pk]
