"""E-mails built in the worker carry their own town's name, sender and domain (ISOLATION T9)."""

from __future__ import annotations

from django.db import connection

from modules.notifications import tasks
from tests.accounts.factories import UserFactory
from tests.helpers import host_of
from tests.modules.notifications.helpers import deliver_kwargs
from town.selectors import town_profile_get


def test_each_towns_mail_names_that_town_and_links_to_its_domain(town_a, town_b, daytime, mailoutbox):
    names = {}
    for town in (town_a, town_b):
        # given: in each town a resident with the same e-mail address (and likely the same pk)
        connection.set_tenant(town)
        names[town.slug] = town_profile_get().name
        resident = UserFactory(email="gleich@example.org")
        # when: the same task runs in that town
        tasks.deliver(**deliver_kwargs(user_ids=[resident.pk], url="/news/gleich/"))
    connection.set_schema_to_public()

    # then: two mails, each branded and linked for its own town only
    assert len(mailoutbox) == 2
    for mail, town, other in ((mailoutbox[0], town_a, town_b), (mailoutbox[1], town_b, town_a)):
        name = names[town.slug]
        assert mail.subject.startswith(f"[{name}]")
        assert name in mail.from_email
        body = mail.body + mail.alternatives[0][0]
        assert f"http://{host_of(town)}/news/gleich/" in body
        assert host_of(other) not in body and names[other.slug] not in body
        assert mail.extra_headers["List-Unsubscribe"].startswith(f"<http://{host_of(town)}/notifications/unsubscribe/")
        assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
