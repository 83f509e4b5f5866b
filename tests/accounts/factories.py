"""The one factory for people. It writes into whatever town schema is active.

By default a person is an established resident (joined a year ago, so the limits for new accounts of
moderation and the errands don't apply) with a confirmed e-mail address. Ask for what differs:

    UserFactory(email="anna@example.org", name="Anna Arendt", ortsgemeinde=village)
    UserFactory(role=Role.MODERATOR)
    UserFactory(new_account=True)        # joined just now: the new-account limits apply
    UserFactory(age_days=3)              # joined three days ago
    UserFactory(verified=False)          # no confirmed e-mail address (allauth's EmailAddress)
"""

from __future__ import annotations

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Role, User

# Re-exported: the browser journeys import the town's factories from here.
from tests.town.factories import (  # noqa: F401
    MembershipFactory,
    OrganisationFactory,
    OrtsgemeindeFactory,
    ResidentProfileFactory,
)

PASSWORD = "Fichtenweg-Sonne-42"


def _name_from(email: str) -> str:
    return email.split("@")[0].replace(".", " ").title()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        age_days = 365
        new_account = factory.Trait(age_days=0)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.LazyAttribute(lambda o: _name_from(o.email))
    role = Role.RESIDENT
    password = PASSWORD
    date_joined = factory.LazyAttribute(lambda o: timezone.now() - timedelta(days=o.age_days))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the manager, like signup: the address is normalised and the password hashed.
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A confirmed primary e-mail address unless `verified=False`."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def ortsgemeinde(user, create, extracted, **kwargs):
        """`ortsgemeinde=village`: the person lives there (a ResidentProfile)."""
        if create and extracted is not None:
            ResidentProfileFactory(user=user, ortsgemeinde=extracted)


def town_admin() -> User:
    """The town's first administrator (made when the town was provisioned)."""
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    assert admin is not None, "the test town has an administrator"
    return admin


def user_in_town(town, **fields) -> User:
    """`UserFactory(**fields)` in `town`'s schema, for tests that run outside any town."""
    from django_tenants.utils import schema_context

    with schema_context(town.schema_name):
        return UserFactory(**fields)
