"""Searchable content of every provider, made in the current town's schema (for the site-wide search tests).

News, businesses and listings go through their services, which keep the stored
search vectors current; Pinnwand and group posts are searched through expression
indexes, so plain rows are enough (and skip the moderation limits for new accounts).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Role, User
from tests.accounts.factories import UserFactory
from town.models import Ortsgemeinde, ResidentProfile


def town_admin() -> User:
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    assert admin is not None
    return admin


def resident(email: str, *, ortsgemeinde: Ortsgemeinde | None = None, role: str = Role.RESIDENT) -> User:
    user = UserFactory(email=email, name=email.split("@")[0].title(), role=role)
    if ortsgemeinde is not None:
        ResidentProfile.objects.create(user=user, ortsgemeinde=ortsgemeinde)
    return user


def article(title: str, *, body: str = "<p>Mehr im Rathaus.</p>", publish: bool = True,
            publish_at: Any = None) -> Any:
    from modules.news.services import article_create, article_publish

    admin = town_admin()
    made = article_create(acting_user=admin, title=title, teaser="", body=body)
    if publish or publish_at is not None:
        # A `publish_at` in the future schedules the article instead.
        article_publish(article=made, acting_user=admin, publish_at=publish_at)
    return made


def business(name: str, *, description: str = "", approve: bool = True) -> Any:
    from modules.directory.services import business_approve, business_register

    owner = UserFactory()
    made = business_register(acting_user=owner, name=name, description=description)
    if approve:
        business_approve(business=made, acting_user=town_admin())
    return made


def listing(title: str, *, description: str = "Abzugeben, bitte melden.", **fields: Any) -> Any:
    from modules.marketplace.models import ListingKind, ListingType
    from modules.marketplace.services import listing_create

    return listing_create(
        acting_user=fields.pop("owner", None) or town_admin(), kind=ListingKind.OFFER,
        listing_type=ListingType.GIVE_AWAY, title=title, description=description, **fields,
    )


def board_post(text: str, *, author: User | None = None, ortsgemeinde: Ortsgemeinde | None = None,
               hidden: bool = False, expired: bool = False) -> Any:
    from modules.board.models import Post, Topic
    from modules.board.services import topics_seed

    topics_seed()
    expires = timezone.now() + (timedelta(days=-1) if expired else timedelta(days=30))
    return Post.objects.create(
        author=author or town_admin(), topic=Topic.objects.order_by("position").first(), text=text,
        ortsgemeinde=ortsgemeinde, expires_at=expires, is_hidden=hidden,
    )


def group(name: str, *, description: str = "", closed: bool = False, members: tuple[User, ...] = ()) -> Any:
    from django.utils.text import slugify

    from modules.groups.models import Group, MemberRole, Membership, Visibility

    made = Group.objects.create(
        name=name, slug=slugify(name), description=description,
        visibility=Visibility.CLOSED if closed else Visibility.PUBLIC,
    )
    for index, member in enumerate(members):
        Membership.objects.create(group=made, user=member, role=MemberRole.ADMIN if index == 0 else MemberRole.MEMBER)
    return made


def group_post(in_group: Any, text: str, *, author: User | None = None, hidden: bool = False) -> Any:
    from modules.groups.models import Post

    return Post.objects.create(group=in_group, author=author or town_admin(), text=text, is_hidden=hidden)
