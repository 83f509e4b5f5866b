"""The Digitaler Rat: members, meetings with agenda (a proposal on it), internal parts for members only,
recommendations the members vote on once each, and their follow-up for everyone to see."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.council.models import Meeting, Recommendation, RecommendationStatus, RecommendationVote
from modules.council.personal_data import erase, export
from modules.council.services import (
    recommendation_close_voting,
    recommendation_follow_up,
    recommendation_open_voting,
    recommendation_vote,
)
from tests.accounts.factories import UserFactory
from tests.helpers import admin_of, logged_in_client, sql_statements
from tests.modules.council.factories import make_item, make_meeting, make_member, make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_user(in_town_a):
    user = UserFactory(email="maria@example.org", name="Maria Weber")
    make_member(user=user, is_chair=True, seat="für Gebhardshain")
    return user


def test_a_proposal_on_the_agenda_links_both_ways(town_a, in_town_a, client_a):
    # given: a resident's proposal the town referred to the council
    from modules.proposals.models import Proposal, Status

    author = UserFactory(email="hannah@example.org")
    proposal = Proposal.objects.create(author=author, title="Bank an der Bushaltestelle", text="Eine Bank.",
                                       threshold=1, status=Status.REFERRED, answer="An den Rat verwiesen.")
    meeting = make_meeting()

    # when: the town puts it on the agenda in the back office
    admin = logged_in_client(town_a, admin_of(town_a))
    response = admin.post(f"/council/manage/sitzungen/{meeting.pk}/tops/",
                          {"item-title": "", "item-text": "", "item-proposal": str(proposal.pk),
                           "item-is_public": "on"})

    # then: the item takes the proposal's title; meeting page and proposal page link to each other
    assert response.status_code == 302
    item = meeting.agenda_items.get()
    assert item.title == "Bank an der Bushaltestelle" and item.proposal_id == proposal.pk
    page = client_a.get(meeting.get_absolute_url()).content.decode()
    assert proposal.get_absolute_url() in page
    proposal_page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert f"{meeting.get_absolute_url()}#top-{item.pk}" in proposal_page


def test_internal_parts_are_for_members_only(town_a, member_user, client_a):
    public = make_meeting(minutes="Alles öffentlich.", minutes_public=False)
    make_item(meeting=public, title="Öffentlicher Punkt")
    make_item(meeting=public, title="Haushalt des Rats", is_public=False)
    internal = make_meeting(title="Klausurtagung", is_public=False)
    draft = make_recommendation(title="Entwurf einer Empfehlung", meeting=public)
    member = logged_in_client(town_a, member_user)

    anonymous_page = client_a.get(public.get_absolute_url()).content.decode()
    assert "Öffentlicher Punkt" in anonymous_page and "Haushalt des Rats" not in anonymous_page
    assert "Alles öffentlich." not in anonymous_page and "Entwurf einer Empfehlung" not in anonymous_page
    assert client_a.get(internal.get_absolute_url()).status_code == 404
    assert client_a.get(draft.get_absolute_url()).status_code == 404
    assert "Klausurtagung" not in client_a.get("/council/").content.decode()

    member_page = member.get(public.get_absolute_url()).content.decode()
    assert "Haushalt des Rats" in member_page and "Alles öffentlich." in member_page
    assert member.get(internal.get_absolute_url()).status_code == 200
    assert member.get(draft.get_absolute_url()).status_code == 200


def test_members_vote_once_and_everyone_sees_the_result_and_follow_up(town_a, member_user, client_a, monkeypatch):
    # given: a second member and a resident who isn't one
    import modules.notifications.facade as notifications

    told: list[dict] = []
    monkeypatch.setattr(notifications, "notify", lambda **kwargs: told.append(kwargs))
    other = UserFactory(email="peter@example.org")
    make_member(user=other, name="Peter Schneider")
    resident = UserFactory(email="resident@example.org")
    admin = admin_of(town_a)
    recommendation = make_recommendation()
    recommendation_open_voting(acting_user=admin, recommendation=recommendation)
    assert [sorted(t["user_ids"]) for t in told] == [sorted([member_user.pk, other.pk])]  # the members are told

    # when: Maria votes through the page twice (double click), Peter votes no, a resident tries
    maria = logged_in_client(town_a, member_user)
    assert maria.post(f"/council/empfehlungen/{recommendation.pk}/abstimmen/", {"choice": "yes"}).status_code == 302
    again = maria.post(f"/council/empfehlungen/{recommendation.pk}/abstimmen/", {"choice": "no"})
    recommendation_vote(acting_user=other, recommendation=recommendation, choice="yes")
    with pytest.raises(PermissionDenied):
        recommendation_vote(acting_user=resident, recommendation=recommendation, choice="yes")
    refused = logged_in_client(town_a, resident).post(f"/council/empfehlungen/{recommendation.pk}/abstimmen/",
                                                      {"choice": "yes"})

    # then
    assert again.status_code == 400 and refused.status_code == 403
    recommendation.refresh_from_db()
    assert (recommendation.yes_count, recommendation.no_count) == (2, 0)
    assert RecommendationVote.objects.filter(recommendation=recommendation).count() == 2

    # when: the vote closes and the Gemeinderat declines (reasons required)
    recommendation_close_voting(acting_user=admin, recommendation=recommendation)
    with pytest.raises(ValidationError):
        recommendation_follow_up(acting_user=admin, recommendation=recommendation, status="declined", follow_up="")
    recommendation_follow_up(acting_user=admin, recommendation=recommendation, status="submitted",
                             follow_up="Der Verbandsgemeinderat berät am 21. Januar.")

    # then: anyone sees status, count and follow-up
    page = client_a.get(recommendation.get_absolute_url()).content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.SUBMITTED
    assert "Der Verbandsgemeinderat berät am 21. Januar." in page
    assert "2 yes, 0 no, 0 abstained" in page or "2 Ja, 0 Nein, 0 Enthaltungen" in page
    with pytest.raises(ValidationError):  # voting is over
        recommendation_vote(acting_user=member_user, recommendation=recommendation, choice="no")


def test_bad_meeting_input_is_refused_with_a_clear_message(town_a, in_town_a):
    admin = logged_in_client(town_a, admin_of(town_a))
    response = admin.post("/council/manage/sitzungen/neu/", {
        "title": "Sitzung", "starts_at": "2027-02-01T19:00", "ends_at": "2027-02-01T18:00", "location": "",
        "is_public": "on", "minutes": "", "minutes_public": "on"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "must end after it begins" in page or "muss nach ihrem Beginn enden" in page
    assert not Meeting.objects.exists()
    assert logged_in_client(town_a, UserFactory()).get("/council/manage/").status_code in (403, 404)


def test_the_council_page_costs_the_same_queries_for_few_and_many(town_a, in_town_a, client_a, pages_rendered):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_a.get("/council/").status_code == 200
        # Data statements only: whether the connection needs its SET search_path depends on what ran before.
        return len(sql_statements(queries))

    make_meeting()
    make_recommendation(status=RecommendationStatus.ADOPTED)
    count()  # warm: the town's settings and module switches are cached after the first request
    few = count()
    for n in range(8):
        make_item(meeting=make_meeting(title=f"Sitzung {n}", days=n + 1))
        make_recommendation(title=f"Empfehlung {n}", status=RecommendationStatus.ADOPTED)
        make_member(name=f"Mitglied {n}")
    assert count() == few


def test_public_meetings_are_in_the_town_calendar_and_as_ics(in_town_a, client_a):
    meeting = make_meeting(title="Offene Ratssitzung", location="Jugendraum Elkenroth")
    make_meeting(title="Geheime Klausur", is_public=False)

    feed = client_a.get("/kalender/ical/quelle/digitalerrat/").content.decode()
    ics = client_a.get(f"/council/sitzungen/{meeting.pk}/ical/")

    assert "Offene Ratssitzung" in feed and "Geheime Klausur" not in feed
    assert ics.status_code == 200 and "Jugendraum Elkenroth" in ics.content.decode()


def test_town_b_sees_nothing_of_town_a(town_a, town_b, in_town_a, client_b):
    meeting = make_meeting(title="Nur in Altdorf")
    recommendation = make_recommendation(status=RecommendationStatus.ADOPTED, title="Altdorfer Empfehlung")
    connection.set_schema_to_public()

    assert client_b.get(f"/council/empfehlungen/{recommendation.pk}/").status_code == 404
    assert client_b.get(f"/council/sitzungen/{meeting.pk}/").status_code == 404
    assert "Altdorfer Empfehlung" not in client_b.get("/council/").content.decode()


def test_personal_data_export_and_erasure_keep_the_seat(member_user):
    recommendation = make_recommendation(status=RecommendationStatus.VOTING)
    recommendation_vote(acting_user=member_user, recommendation=recommendation, choice="abstain")

    data = export(member_user)
    erase(member_user)

    assert data["seats"][0]["seat"] == "für Gebhardshain" and data["votes"][0]["choice"] == "abstain"
    assert Recommendation.objects.get().abstain_count == 1
    from modules.council.models import Member

    assert Member.objects.get().user is None
