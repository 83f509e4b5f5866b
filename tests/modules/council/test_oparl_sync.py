"""Council information from the town's RIS over OParl 1.1: full and incremental sync against recorded answers,
deletions, pagination, and a broken server that leaves the last good data in place."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.council.models import (
    OparlAgendaItem,
    OparlBody,
    OparlFile,
    OparlMeeting,
    OparlMembership,
    OparlOrganization,
    OparlPaper,
    SyncState,
)
from modules.council.services import oparl_sync
from modules.council.tasks import oparl_sync as oparl_sync_task
from tests.modules.council.conftest import configure
from tests.modules.council.helpers import fixture

pytestmark = pytest.mark.django_db

MEETING_1 = "/oparl/meeting/1"


def _oid(oparl, path: str) -> str:
    return f"{oparl.url}{path}"


def test_a_full_sync_reads_every_list_and_follows_the_pages(with_oparl, client_a):
    # when
    with CaptureQueriesContext(connection) as queries:
        result = oparl_sync()

    # then: everything stored, page 2 of the meetings included, in one pass of few queries
    assert result.ok and result.error == ""
    assert "/oparl/body/1/meetings?page=2" in with_oparl.requests
    assert OparlBody.objects.get().name == "Verbandsgemeinde Betzdorf-Gebhardshain"
    assert OparlOrganization.objects.count() == 4 and OparlMeeting.objects.count() == 3
    assert OparlMembership.objects.filter(organization__name="Verbandsgemeinderat Betzdorf-Gebhardshain").count() == 2
    assert OparlPaper.objects.count() == 2 and OparlAgendaItem.objects.count() == 5
    budget = OparlAgendaItem.objects.get(oparl_id=_oid(with_oparl, "/oparl/agendaitem/12"))
    assert budget.paper.reference == "VG/2026/118"  # from the paper's consultation
    meeting = OparlMeeting.objects.get(oparl_id=_oid(with_oparl, MEETING_1))
    assert meeting.location.startswith("Rathaus Betzdorf") and meeting.organizations.get().short_name == "VG-Rat"
    assert set(OparlFile.objects.values_list("role", flat=True)) == {"invitation", "resultsProtocol", "mainFile",
                                                                     "auxiliaryFile"}
    assert len(queries) < 80  # a fixed number per list and kind, whatever the number of objects (bench)
    state = SyncState.objects.get()
    assert state.last_success_at and state.modified_since and state.last_error == ""

    # and residents see it: the committees, the meeting with its agenda and documents, the paper
    overview = client_a.get("/council/ris/").content.decode()
    assert "Bau- und Umweltausschuss" in overview and "Fraktion der Wählergruppe" not in overview
    page = client_a.get(meeting.get_absolute_url()).content.decode()
    assert "Haushaltssatzung und Haushaltsplan 2027" in page and "VG/2026/118" in page
    assert f"{with_oparl.url}/ris/dokument/101.pdf" in page  # linked to the RIS, not copied
    paper = client_a.get(budget.paper.get_absolute_url()).content.decode()
    assert "Anlage: Haushaltsplan-Entwurf" in paper and "12. Sitzung des Verbandsgemeinderats" in paper
    found = client_a.get("/council/ris/vorlagen/?q=Straßenbeleuchtung").content.decode()
    assert "OG-Ka/2026/03" in found and "VG/2026/118" not in found
    # and in the town calendar's feed of council meetings
    feed = client_a.get("/kalender/ical/quelle/ratssitzungen/").content.decode()
    assert "12. Sitzung des Verbandsgemeinderats" in feed


def test_an_incremental_sync_asks_for_changes_only_and_removes_a_deleted_meeting(with_oparl):
    assert oparl_sync().ok
    with_oparl.requests.clear()

    # when
    result = oparl_sync()

    # then: every list asked with modified_since; the moved meeting updated, the deleted one gone
    assert result.ok
    lists = [r for r in with_oparl.requests if "/body/1/" in r]
    assert lists and all("modified_since=" in r for r in lists)
    meeting = OparlMeeting.objects.get(oparl_id=_oid(with_oparl, MEETING_1))
    assert meeting.name == "12. Sitzung des Verbandsgemeinderats (verlegt)" and meeting.start.day == 28
    assert not OparlMeeting.objects.filter(oparl_id=_oid(with_oparl, "/oparl/meeting/2")).exists()
    assert OparlMeeting.objects.count() == 2  # the committee's meeting wasn't in the changes and stays
    assert list(meeting.agenda_items.values_list("number", flat=True)) == ["1", "2"]  # item 3 was dropped
    # the paper that didn't change keeps its link to the agenda item; the new paper is there
    assert meeting.agenda_items.get(number="2").paper.reference == "VG/2026/118"
    assert OparlPaper.objects.filter(reference="VG/2026/131").exists() and OparlPaper.objects.count() == 3


@pytest.mark.parametrize(("path", "answer", "message"), [
    ("/oparl/body/1/meetings?page=2", (500, b"Internal Server Error", 0.0), "Fehler 500"),
    ("/oparl/body/1/papers", (200, b"{\"data\": [", 0.0), "nicht lesen"),
    ("/oparl/body/1/papers", (200, b"{\"data\": \"nope\"}", 0.0), "keine OParl-Liste"),
    ("/oparl/body/1/meetings?page=2", (200, fixture("meetings-1.json"), 0.0), "Seiten"),  # page 2 links to itself
    ("/oparl/body/1/people", (200, b"{\"data\": [" + b" " * 70000 + b"]}", 0.0), "zu groß"),
    ("/oparl/body/1/organizations", (200, fixture("organizations.json"), 1.5), "zu lange"),
])
def test_a_broken_server_leaves_the_last_good_data_and_says_why(with_oparl, path, answer, message):
    # given: a good sync, then the server breaks in one place
    from django.utils import translation

    oparl_sync(full=True)
    before = SyncState.objects.get()
    counts = (OparlMeeting.objects.count(), OparlPaper.objects.count(), OparlAgendaItem.objects.count())
    status, body, delay = answer
    if b"oparl.example.org" in body:
        body = body.replace(b"https://oparl.example.org", with_oparl.url.encode())
    with_oparl.override[path] = (status, body, delay)

    # when: a full sync, which would also remove what it doesn't see
    with translation.override("de"):
        result = oparl_sync(full=True)

    # then
    assert not result.ok and message in result.error, result.error
    assert (OparlMeeting.objects.count(), OparlPaper.objects.count(), OparlAgendaItem.objects.count()) == counts
    state = SyncState.objects.get()
    assert state.last_success_at == before.last_success_at and state.last_error == result.error


def test_an_address_that_is_not_an_oparl_system_is_refused(with_oparl, town_a, admin_client_a):
    with_oparl.override["/oparl/"] = (200, b'{"name": "Meine Homepage"}', 0.0)

    response = admin_client_a.post("/council/manage/abgleich/", follow=True)

    page = response.content.decode()
    assert "kein OParl-System" in page or "not an OParl system" in page
    assert not OparlBody.objects.exists()


def test_an_internal_address_is_refused_before_anything_is_sent(town_a, in_town_a, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    configure(town_a, oparl_url="http://169.254.169.254/oparl/")

    result = oparl_sync()

    assert not result.ok and result.error and not OparlBody.objects.exists()
    configure(town_a)


def test_the_periodic_task_does_nothing_without_an_address(town_a, in_town_a):
    configure(town_a)
    assert oparl_sync_task() == 0 and not SyncState.objects.exclude(last_attempt_at=None).exists()


@pytest.mark.parametrize("typed", ["ftp://ris.example.org/oparl/", "ris", "javascript:alert(1)"])
def test_the_settings_take_only_web_addresses(typed):
    from modules.council.conf import CouncilSettingsForm

    form = CouncilSettingsForm(data={"council_name": "Digitaler Rat", "council_intro": "", "oparl_url": typed})

    assert not form.is_valid() and "oparl_url" in form.errors
