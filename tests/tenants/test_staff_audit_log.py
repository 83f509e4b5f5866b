"""The platform's audit log: what staff do on the public site lands in the public schema, never in a town's log."""

from __future__ import annotations

import csv
import io

from django_tenants.utils import schema_context

from core.models import PlatformAuditEntry
from tenants.models import SignupStatus
from tests.tenants.factories import TownSignupFactory
from town.models import AuditEntry


def test_switching_a_town_off_and_retrying_a_signup_are_logged_for_staff(staff_client, town_a):
    # given
    signup = TownSignupFactory(status=SignupStatus.FAILED, error="boom", attempts=1, name="Neudorf")
    with schema_context(town_a.schema_name):
        town_entries = AuditEntry.objects.count()

    # when
    staff_client.post(f"/staff/gemeinden/{town_a.pk}/aktiv/", {"active": "0"})
    staff_client.post(f"/staff/gemeinden/{town_a.pk}/aktiv/", {"active": "1"})
    staff_client.post(f"/staff/registrierungen/{signup.pk}/erneut/")

    # then: in the public schema, with who, what and from where
    entries = list(PlatformAuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["town.deactivate", "town.activate", "signup.retry"]
    assert entries[0].target_label == town_a.name and entries[0].changes == {"is_active": [True, False]}
    assert entries[0].actor_name and entries[0].ip_address == "127.0.0.1"
    assert entries[2].target_label == "Neudorf"
    # and not in the town's own log
    with schema_context(town_a.schema_name):
        assert AuditEntry.objects.count() == town_entries

    page = staff_client.get("/staff/protokoll/")
    html = page.content.decode()
    assert page.status_code == 200 and "Gemeinde abgeschaltet" in html and "Registrierung erneut eingereiht" in html
    filtered = staff_client.get("/staff/protokoll/", {"action": "signup.retry"}).context["page"].object_list
    assert [e.target_label for e in filtered] == ["Neudorf"]
    download = staff_client.get("/staff/protokoll/export.csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert download.status_code == 200 and len(rows) == 4 and rows[1][2] == "Registrierung erneut eingereiht"


def test_the_platform_log_is_for_staff_on_the_public_site_only(public_client, admin_client_a):
    assert public_client.get("/staff/protokoll/").status_code == 302
    assert public_client.get("/staff/protokoll/export.csv").status_code == 302
    assert admin_client_a.get("/staff/protokoll/").status_code == 404


def test_the_platform_log_cannot_be_changed_through_its_routes(staff_client):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(staff_client, method)("/staff/protokoll/").status_code == 405
