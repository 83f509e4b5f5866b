"""The periodic expiry task: per town, idempotent, and a no-op where the board is off (T8, T13)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from core.tasks import module_beat_schedule
from modules.board.models import Post
from modules.board.tasks import expire_posts
from tenants.services import tenant_module_disable, tenant_module_enable
from tests.accounts.factories import UserFactory
from tests.modules.board.factories import posts_bulk


def _posts(town, *, overdue: int, current: int) -> None:
    with schema_context(town.schema_name):
        author = UserFactory(email=f"autorin-{town.slug}@example.org")
        posts_bulk(author, overdue)
        Post.objects.update(expires_at=timezone.now() - timedelta(minutes=5))
        posts_bulk(author, current)


def _expired(town) -> int:
    with schema_context(town.schema_name):
        return Post.objects.filter(is_expired=True).count()


def test_the_task_expires_overdue_posts_once_and_only_in_its_own_town(town_a, town_b):
    _posts(town_a, overdue=3, current=2)
    _posts(town_b, overdue=1, current=1)

    connection.set_tenant(town_a)
    try:
        first, second = expire_posts(), expire_posts()
    finally:
        connection.set_schema_to_public()

    assert (first, second) == (3, 0)  # a second run finds nothing new
    assert _expired(town_a) == 3
    assert _expired(town_b) == 0  # B's overdue post waits for B's own run


def test_the_task_does_nothing_where_the_board_is_off(town_a, town_b):
    _posts(town_b, overdue=2, current=0)
    tenant_module_disable(tenant=town_b, key="board")
    try:
        connection.set_tenant(town_b)
        ran = expire_posts()
    finally:
        connection.set_schema_to_public()
        tenant_module_enable(tenant=town_b, key="board")

    assert ran == 0 and _expired(town_b) == 0


def test_the_task_outside_a_town_does_nothing(db):
    connection.set_schema_to_public()

    assert expire_posts() == 0


def test_the_task_is_declared_for_the_beat_fan_out():
    entry = module_beat_schedule()["board:board.expire_posts"]

    assert entry["task"] == "core.fan_out" and entry["args"] == ("board.expire_posts", "board")
