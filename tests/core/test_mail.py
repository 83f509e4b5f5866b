"""Branded e-mail: the town's name, domain, colours and contact person, also from a task."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.template import engines

from core.mail import send_town_mail
from tests.town.helpers import profile_of


@pytest.fixture
def mail_template(tmp_path, settings):
    # A throwaway template pair for the test, found through an extra template dir.
    (tmp_path / "test_mail").mkdir()
    (tmp_path / "test_mail" / "hello.txt").write_text(
        '{% extends "core/mail/base.txt" %}{% block content %}Die Sitzung beginnt um {{ time }}.{% endblock %}')
    (tmp_path / "test_mail" / "hello.html").write_text(
        '{% extends "core/mail/base.html" %}{% block content %}<p>Die Sitzung beginnt um {{ time }}.</p>{% endblock %}')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    engines._engines = {}
    engines.__dict__.pop("templates", None)
    yield "test_mail/hello"
    engines._engines = {}
    engines.__dict__.pop("templates", None)


def test_a_town_mail_carries_the_town_s_name_domain_colour_and_contact(in_town_a, mail_template):
    # given
    profile = profile_of(in_town_a)
    profile.contact_name, profile.contact_email = "Petra Lotsin", "petra@altdorf.example"
    profile.primary_colour = "#2e7d32"
    profile.save()

    # when: sent without any request around, as a Celery task would
    sent = send_town_mail(
        to="rita@example.org", subject="Gemeinderat", template=mail_template, context={"time": "19 Uhr"}
    )

    # then
    assert sent == 1
    message = mail.outbox[-1]
    assert message.subject == "[Verbandsgemeinde Altdorf] Gemeinderat"
    assert message.from_email.startswith("Verbandsgemeinde Altdorf <")
    assert message.reply_to == ["petra@altdorf.example"]
    assert "Die Sitzung beginnt um 19 Uhr." in message.body
    assert "altdorf.localhost" in message.body and "bergdorf" not in message.body
    assert "Petra Lotsin" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "background:#2e7d32" in html and "http://altdorf.localhost/" in html


def test_the_same_mail_sent_in_town_b_is_town_b_s(in_town_b, mail_template):
    send_town_mail(to="rita@example.org", subject="Hallo", template=mail_template, context={"time": "8 Uhr"})

    message = mail.outbox[-1]
    assert message.subject == "[Stadt Bergdorf] Hallo"
    assert "bergdorf.localhost" in message.body and "altdorf" not in message.body.lower()


def test_allauth_mails_use_the_town_branding(client_a, town_a):
    # A password reset asked for on town A's host
    response = client_a.post("/accounts/password/reset/", {"email": "admin@example.org"})

    assert response.status_code == 302
    message = mail.outbox[-1]
    assert "Verbandsgemeinde Altdorf" in message.subject
    assert message.body.splitlines()[0].endswith("Verbandsgemeinde Altdorf!")  # the greeting names the town
    assert "-- \nVerbandsgemeinde Altdorf\nhttp://altdorf.localhost/\n" in message.body
    assert "http://altdorf.localhost/accounts/password/reset/key/" in message.body
    assert "example.com" not in message.body
    assert connection.schema_name == "public"
