"""Residents propose, neighbours support once each, the town answers past the threshold; progress until done."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from modules.proposals.conf import ProposalsSettingsForm, threshold_for
from modules.proposals.models import Comment, ProgressStep, Proposal, Status, Support
from modules.proposals.services import (
    comment_create,
    progress_step_add,
    proposal_answer,
    proposal_mark_done,
    support_add,
)
from tests.helpers import admin_of, image_upload, logged_in_client
from tests.modules.polls.factories import town_admin
from tests.modules.proposals.factories import make_proposal, supporters


def test_the_threshold_follows_the_town_settings_and_the_size_of_the_place(in_town_a, threshold, elkenroth):
    threshold(base=5, per_thousand=2, populations="Elkenroth: 1600\nSteinebach: 900")

    assert threshold_for("Elkenroth") == 5 + 4  # 2 per 1,000, rounded up
    assert threshold_for(None) == 5 + 5  # the whole town: 2,500 residents
    assert make_proposal(ortsgemeinde=elkenroth).threshold == 9


def test_a_threshold_of_zero_is_refused_in_german():
    from django.utils import translation

    with translation.override("de"):
        form = ProposalsSettingsForm(data={"threshold_base": 0, "threshold_per_thousand": 0})
        assert not form.is_valid()
        assert "0 ist nicht möglich" in str(form.errors["threshold_base"])


def test_supporters_reach_the_threshold_and_the_town_is_asked_to_answer(in_town_a, threshold, erna, mailoutbox):
    threshold(base=3)
    proposal = make_proposal(author=erna)
    people = supporters(3)

    for person in people[:2]:
        support_add(proposal=proposal, acting_user=person)
    proposal.refresh_from_db()
    assert proposal.status == Status.COLLECTING and proposal.support_count == 2
    support_add(proposal=proposal, acting_user=people[2])

    proposal.refresh_from_db()
    assert proposal.status == Status.AWAITING and proposal.support_count == 3


def test_one_support_per_resident_and_none_for_ones_own(in_town_a, threshold, erna):
    threshold(base=10)
    proposal = make_proposal(author=erna)
    [ben] = supporters(1)

    support_add(proposal=proposal, acting_user=ben)
    with pytest.raises(ValidationError, match="already support"):
        support_add(proposal=proposal, acting_user=ben)
    with pytest.raises(ValidationError, match="your own"):
        support_add(proposal=proposal, acting_user=erna)

    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.count() == 1


def test_a_rejection_needs_reasons(in_town_a, erna):
    proposal = make_proposal(author=erna)

    with pytest.raises(ValidationError) as error:
        proposal_answer(proposal=proposal, acting_user=town_admin(), status=Status.REJECTED, answer="  ")
    with pytest.raises(PermissionDenied):
        proposal_answer(proposal=proposal, acting_user=erna, status=Status.ACCEPTED, answer="Ja")

    assert "reasons" in str(error.value)
    proposal.refresh_from_db()
    assert proposal.status == Status.COLLECTING and not proposal.answer


def test_the_town_and_then_the_supporters_are_told(in_town_a, threshold, erna, sent):
    threshold(base=2)
    proposal = make_proposal(author=erna)
    people = supporters(2)
    for person in people:
        support_add(proposal=proposal, acting_user=person)
    asked = [call for call in sent if call["event"] == "proposals.threshold"]

    proposal_answer(proposal=proposal, acting_user=town_admin(), status=Status.REFERRED,
                    answer="Der Ortsgemeinderat berät am 12. März.")

    assert len(asked) == 1 and town_admin().pk in set(asked[0]["user_ids"])
    told = [call for call in sent if call["event"] == "proposals.answer"]
    assert len(told) == 1 and told[0]["topic"] == "proposals.answers"
    assert set(told[0]["user_ids"]) == {p.pk for p in people} | {erna.pk}


def test_accepted_proposals_get_progress_steps_until_done(in_town_a, erna):
    import datetime

    proposal = make_proposal(author=erna)
    admin = town_admin()
    with pytest.raises(ValidationError, match="Only accepted"):
        progress_step_add(proposal=proposal, acting_user=admin, title="Bank bestellt", day=datetime.date(2027, 1, 5))

    proposal_answer(proposal=proposal, acting_user=admin, status=Status.ACCEPTED, answer="Wir stellen eine Bank auf.")
    progress_step_add(proposal=proposal, acting_user=admin, title="Bank bestellt", day=datetime.date(2027, 1, 5),
                      is_done=True)
    progress_step_add(proposal=proposal, acting_user=admin, title="Aufbau", day=datetime.date(2027, 3, 1))
    proposal_mark_done(proposal=proposal, acting_user=admin)

    proposal.refresh_from_db()
    assert proposal.status == Status.DONE
    assert [s.title for s in ProgressStep.objects.filter(proposal=proposal)] == ["Bank bestellt", "Aufbau"]


def test_comments_go_through_the_word_filter(in_town_a, erna, moderator):
    from modules.moderation.services import blocked_terms_replace

    proposal = make_proposal(author=erna)
    blocked_terms_replace(text="saftladen", acting_user=moderator)

    with pytest.raises(ValidationError):
        comment_create(proposal=proposal, acting_user=erna, text="So ein Saftladen")
    with pytest.raises(ValidationError):
        make_proposal(author=erna, title="Saftladen schließen")
    assert not Comment.objects.exists() and Proposal.objects.count() == 1


def test_resident_proposes_with_a_photo_through_the_page(town_a, elkenroth, erna, stored_media):
    client = logged_in_client(town_a, erna)

    response = client.post("/proposals/new/", {
        "title": "Bank an der Bushaltestelle", "text": "Ältere Leute warten dort im Stehen.",
        "ortsgemeinde": elkenroth.pk, "image": image_upload("bank.jpg"), "image_alt": "Die leere Haltestelle",
    })

    proposal = Proposal.objects.get()
    stored_media.append(proposal.image.path)
    assert response.status_code == 302 and proposal.ortsgemeinde == elkenroth
    assert proposal.image.name.startswith("proposals/") and proposal.image_alt == "Die leere Haltestelle"
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Die leere Haltestelle" in page


def test_the_town_answers_through_the_back_office_and_everyone_reads_it(town_a, client_a, erna):
    proposal = make_proposal(author=erna)
    admin = logged_in_client(town_a, admin_of(town_a))

    refused = admin.post(f"/proposals/manage/{proposal.pk}/", {"status": "rejected", "answer": ""})
    done = admin.post(f"/proposals/manage/{proposal.pk}/", {"status": "rejected",
                                                            "answer": "Der Gehweg ist dort zu schmal."})

    assert refused.status_code == 400 and done.status_code == 302
    assert "Der Gehweg ist dort zu schmal." in client_a.get(proposal.get_absolute_url()).content.decode()
    assert logged_in_client(town_a, erna).get(f"/proposals/manage/{proposal.pk}/").status_code == 403


def test_supporting_through_the_page_needs_the_button(town_a, erna, threshold):
    threshold(base=5)
    proposal = make_proposal(author=erna)
    [ben] = supporters(1)
    client = logged_in_client(town_a, ben)

    empty = client.post(f"/proposals/{proposal.pk}/support/")
    pressed = client.post(f"/proposals/{proposal.pk}/support/", {"support": "yes"})
    again = client.post(f"/proposals/{proposal.pk}/support/", {"support": "yes"})

    assert (empty.status_code, pressed.status_code, again.status_code) == (400, 302, 400)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
