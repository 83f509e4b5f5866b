"""Sample objects for the platform's own routes (modules declare theirs on their ModuleSpec).

Each entry: (route names it covers, a function that creates the object in the
current town's schema and returns the URL kwargs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone


def _ortsgemeinde() -> dict[str, Any]:
    from town.models import Ortsgemeinde

    place = Ortsgemeinde.objects.create(name="Isolationsdorf", slug="isolationsdorf", postal_codes="12345")
    return {"pk": place.pk}


def _ortsgemeinde_with_street() -> dict[str, Any]:
    from town.models import Ortsgemeinde
    from town.places_services import streets_import

    place = Ortsgemeinde.objects.create(name="Straßendorf", slug="strassendorf")
    streets_import(ortsgemeinde=place, data=b"Isolationsweg\n")
    return {"pk": place.pk}


def _organisation() -> dict[str, Any]:
    from town.models import Organisation

    organisation = Organisation.objects.create(name="Isolationsverein", slug="isolationsverein")
    return {"slug": organisation.slug}


def _membership() -> dict[str, Any]:
    from accounts.models import User
    from town.models import Organisation, OrganisationMembership

    organisation = Organisation.objects.create(name="Mitgliederverein", slug="mitgliederverein")
    user = User.objects.create_user(email="mitglied-isolation@example.org", name="Mitglied", password="x" * 12)
    membership = OrganisationMembership.objects.create(organisation=organisation, user=user)
    return {"slug": organisation.slug, "pk": membership.pk}


def _person() -> dict[str, Any]:
    from accounts.models import User

    user = User.objects.create_user(email="person-isolation@example.org", name="Person", password="x" * 12)
    return {"pk": user.pk}


def _invitation() -> dict[str, Any]:
    from town.models import Invitation

    invitation = Invitation.objects.create(
        email="eingeladen-isolation@example.org",
        role="moderator",
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    return {"pk": invitation.pk}


def _organisation_invitation() -> dict[str, Any]:
    from town.models import Invitation, Organisation

    organisation = Organisation.objects.create(name="Einladungsverein", slug="einladungsverein")
    invitation = Invitation.objects.create(
        email="vereinseinladung-isolation@example.org", role="editor", organisation=organisation,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    return {"slug": organisation.slug, "pk": invitation.pk}


def _api_token() -> dict[str, Any]:
    # The token belongs to the town's admin: the very user who tries it on the other town.
    from api.services import api_token_create

    from accounts.models import Role, User

    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    issued = api_token_create(user=admin, name="Isolation")
    return {"token_id": issued.token.pk}


def _office_hour() -> dict[str, Any]:
    import datetime

    from town.models import OfficeHour

    hour = OfficeHour.objects.create(weekday=1, starts_at=datetime.time(9), ends_at=datetime.time(12),
                                     title="Isolationssprechstunde")
    return {"pk": hour.pk}


def _calendar_village() -> dict[str, Any]:
    from town.models import Ortsgemeinde

    place = Ortsgemeinde.objects.create(name="Kalenderdorf", slug="kalenderdorf")
    return {"ortsgemeinde": place.slug}


def _signup_code() -> dict[str, Any]:
    from town.models import Ortsgemeinde
    from town.outreach_services import signup_code_for

    place = Ortsgemeinde.objects.create(name="Flyerdorf", slug="flyerdorf")
    return {"code": signup_code_for(ortsgemeinde=place).code, "pk": place.pk, "kind": "aushang"}


def _printed_organisation() -> dict[str, Any]:
    from town.models import Organisation

    organisation = Organisation.objects.create(name="Plakatverein", slug="plakatverein")
    return {"pk": organisation.pk, "kind": "flyer"}


def _residency_request() -> dict[str, Any]:
    from accounts.models import User
    from town.models import ResidencyLetterCode, ResidencyMethod, ResidencyVerification

    person = User.objects.create_user(email="wohnsitz@example.org", name="Wanda Wohnsitz")
    request = ResidencyVerification.objects.create(user=person, method=ResidencyMethod.APPROVAL,
                                                   address="Dorfstraße 1", postal_code="57520")
    letter = ResidencyLetterCode.objects.create(batch=1)
    return {"pk": request.pk, "batch": letter.batch}
def _data_export() -> dict[str, Any]:
    # A ready copy of the town admin's data: the very user who then tries it on the other town.
    from django.core.files.base import ContentFile

    from accounts.models import Role, User
    from core.storage import private_storage
    from town.models import DataExport, DataExportStatus

    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    name = private_storage().save("exports/isolation.zip", ContentFile(b"PK isolation"))
    now = timezone.now()
    export = DataExport.objects.create(user=admin, status=DataExportStatus.READY, file_name=name, size_bytes=12,
                                       finished_at=now, expires_at=now + timezone.timedelta(days=7))
    return {"pk": export.pk}


def _custom_domain() -> dict[str, Any]:
    # A town's own address lives in the public schema, claimed by the town whose schema is active.
    from django.db import connection
    from django_tenants.utils import schema_context

    from tenants.models import CustomDomain

    town_id = connection.tenant.pk
    with schema_context("public"):
        claim = CustomDomain.objects.create(tenant_id=town_id, domain=f"isolation-{town_id}.example.de", token="t" * 32)
    return {"pk": claim.pk}


PLATFORM_SAMPLES: list[tuple[tuple[str, ...], Callable[[], dict[str, Any]]]] = [
    (("town:ortsgemeinde-edit", "town:ortsgemeinde-delete"), _ortsgemeinde),
    (("town:place-streets",), _ortsgemeinde_with_street),
    (
        (
            "town:organisation",
            "town:organisation-follow",
            "town:organisation-admin-edit",
            "town:organisation-admin-delete",
            "town:organisation-admin-members",
            "town:organisation-week-text",
            "api:organisation-detail",
        ),
        _organisation,
    ),
    (("town:organisation-admin-member-remove",), _membership),
    (("town:person",), _person),
    (("town:invitation-delete", "town:invitation-resend"), _invitation),
    (("town:organisation-invitation-resend", "town:organisation-invitation-withdraw"), _organisation_invitation),
    (("api:token-revoke",), _api_token),
    (("town:office-hour-delete",), _office_hour),
    (("town:calendar-feed-ortsgemeinde",), _calendar_village),
    (("town:signup-code", "town:invitation-ortsgemeinde"), _signup_code),
    (("town:invitation-organisation",), _printed_organisation),
    (("town:backoffice-residency-decide", "town:backoffice-residency-letters-pdf"), _residency_request),
    (("town:my-data-download",), _data_export),
    (("town:backoffice-domain-check", "town:backoffice-domain-remove"), _custom_domain),
]

# Routes whose parameter is not a town's object id, or is a secret token whose
# cross-town rejection has its own test (ISOLATION T4/T7).
EXEMPT: dict[str, str] = {
    "media": "uploads: tests/isolation/test_files.py (T7)",
    "account_confirm_email": "token link: tests/accounts (T4)",
    "account_reset_password_from_key": "token link: tests/accounts (T4)",
    "town:invitation": "token link: tests/town/test_people_invitations.py (T4)",
    "notifications:unsubscribe": "token link: tests/modules/notifications/test_unsubscribe.py (T4)",
    "bulletin-mitteilungsblatt:unsubscribe": "token link: tests/modules/bulletin/test_issue_workflow.py (T4)",
    "accounts:address-check-confirm": "token link: tests/isolation/test_mail_bounces.py (T4)",
    "marketplace:contact-reply": "token link: tests/modules/marketplace/test_contact_relay.py (T4)",
    "marketplace:saved-search-unsubscribe": "token link: tests/modules/marketplace/test_saved_searches.py (T4)",
    "handover": "token link: tests/tenants (T4)",
    "town:calendar-feed-personal": "token link: tests/core/test_calendar_feeds.py (T4)",
    "town:calendar-feed-source": "a platform-wide source key; its entries per town: tests/core/test_calendar_feeds.py",
    "town:icon": "an icon size, not an object",
    "town:invitation-town": "a document kind (aushang, flyer, brief) of the current town, not an object",
    "map-tile": "tile numbers, not a town's object; the same tiles for every town (tests/core/test_map_tiles.py)",
    "town:module-toggle": "a platform-wide module key, not a town's object",
    "town:module-settings": "a platform-wide module key, not a town's object",
    "mfa_remove_webauthn": "a person's own security key; allauth asks for re-authentication first: "
                           "tests/accounts/test_mfa_required.py (T1)",
    "mfa_edit_webauthn": "a person's own security key; allauth asks for re-authentication first: "
                         "tests/accounts/test_mfa_required.py (T1)",
}
