"""Factories for the groups: groups through the services (the founder becomes admin), memberships, posts and
comments straight in the table (no moderation, no notifications: for lists and budgets)."""

from __future__ import annotations

from typing import Any

import factory

from accounts.models import User
from modules.groups import services
from modules.groups.models import Comment, Group, MemberRole, Membership, Post, Visibility
from tests.accounts.factories import UserFactory


class GroupFactory(factory.django.DjangoModelFactory):
    """A group started by `admin` through the services; `members=(...)` join it as plain members."""

    class Meta:
        model = Group

    admin = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Gruppe {n}")
    visibility = Visibility.PUBLIC
    members: Any = ()

    @classmethod
    def _create(cls, model_class: type[Group], *, admin: User, members: tuple[User, ...], **fields: Any) -> Group:
        group = services.group_create(acting_user=admin, **fields)
        for member in members:
            GroupMembershipFactory(group=group, user=member)
        return group


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.MEMBER


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    group = factory.SubFactory(GroupFactory)
    author = factory.SubFactory(UserFactory)
    text = "Treffpunkt Montag 18 Uhr am Sportplatz."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = "Bin dabei."
