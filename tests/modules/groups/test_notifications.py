"""Who is told about what: new posts reach opted-in members once, comments reach the post's author."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.groups import services
from modules.groups.models import Membership
from modules.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.helpers import sql_statements
from tests.modules.groups.factories import GroupMembershipFactory


def test_a_new_post_notifies_opted_in_members_except_its_author_once_even_when_sent_twice(
    public_group, people, daytime, celery_eager, django_capture_on_commit_callbacks
):
    # given: the founder and one member want notifications, another member switched them off
    quiet = UserFactory(email="quentin.ruhig@example.org")
    GroupMembershipFactory(group=public_group, user=quiet)
    services.membership_set_notify(group=public_group, acting_user=quiet, notify=False)

    # when: the member posts, and the notification is sent a second time (a retried request, a re-run)
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(group=public_group, acting_user=people["member"], text="Lauf fällt aus!")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_notify_members(post=post)

    # then
    notices = list(Notification.objects.select_related("user"))
    assert [n.user for n in notices] == [people["founder"]]
    (notice,) = notices
    assert notice.event == "groups.post"
    assert notice.topic == f"groups.{public_group.pk}"
    assert notice.url == f"/groups/lauftreff-altdorf/posts/{post.pk}/"
    assert "Lauftreff Altdorf" in notice.title and notice.body == "Lauf fällt aus!"


def test_recipients_of_a_post_are_found_in_one_query(public_group, people, sent):
    for number in range(30):
        GroupMembershipFactory(group=public_group, user=UserFactory(email=f"laeufer{number}@example.org"))
    post = services.post_create(group=public_group, acting_user=people["member"], text="Hallo alle")
    sent.clear()

    with CaptureQueriesContext(connection) as queries:
        services.post_notify_members(post=post)

    assert len(sql_statements(queries)) == 1
    (notice,) = sent
    assert len(notice["user_ids"]) == 31  # founder and the 30 runners, not the author
    assert notice["dedupe_key"] == f"groups.post:{post.pk}"


def test_a_comment_notifies_the_posts_author_but_not_a_self_comment(public_group, people, sent):
    post = services.post_create(group=public_group, acting_user=people["member"], text="Wer kommt mit?")
    sent.clear()

    services.comment_create(post=post, acting_user=people["founder"], text="Ich!")
    services.comment_create(post=post, acting_user=people["member"], text="Prima")

    (notice,) = sent
    assert notice["user_ids"] == [people["member"].pk]
    assert notice["topic"] == "board.replies" and notice["event"] == "groups.comment"


def test_join_requests_notify_every_group_admin_and_the_organisations_managers(
    closed_group, people, feuerwehr, fire_manager, sent
):
    closed_group.organisation = feuerwehr
    closed_group.save()
    second_admin = UserFactory(email="zweite.admin@example.org")
    GroupMembershipFactory(group=closed_group, user=second_admin, role="admin")

    services.join_request_create(group=closed_group, acting_user=people["outsider"], message="Hallo")

    (notice,) = sent
    assert sorted(notice["user_ids"]) == sorted([people["founder"].pk, second_admin.pk, fire_manager.pk])


def test_new_members_get_notifications_and_a_switched_off_member_gets_none(
    public_group, people, daytime, celery_eager, django_capture_on_commit_callbacks
):
    services.group_join(group=public_group, acting_user=people["outsider"])
    services.membership_set_notify(group=public_group, acting_user=people["member"], notify=False)
    assert Membership.objects.get(group=public_group, user=people["outsider"]).notify_posts is True

    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(group=public_group, acting_user=people["founder"], text="Neue Strecke")

    assert set(Notification.objects.values_list("user__email", flat=True)) == {"olga.aussen@example.org"}


def test_with_the_notifications_module_off_nobody_is_notified(
    town_a, public_group, people, daytime, celery_eager, django_capture_on_commit_callbacks
):
    from tenants.services import tenant_module_disable

    tenant_module_disable(tenant=town_a, key="notifications")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(group=public_group, acting_user=people["member"], text="Niemand hört es")
    assert not Notification.objects.exists()
