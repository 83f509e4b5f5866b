"""Objects the isolation suite makes in a town (core.modules.SampleObject)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sample_everything() -> dict[str, Any]:
    """An office with hours, a closed day and a person, a service with a PDF, a found item and a claim."""
    from accounts.models import Role, User
    from modules.services import services

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    office = services.office_create(acting_user=admin, data={"name": "Isolationsamt", "street": "Amtsweg 1"})
    services.office_hour_add(office=office, acting_user=admin, weekday=0, starts_at=datetime.time(8),
                             ends_at=datetime.time(12))
    link = office.hour_links.get()
    day = services.office_day_add(office=office, acting_user=admin,
                                  start_date=services.today_local() + datetime.timedelta(days=20), note="Ausflug")
    contact = services.office_contact_add(office=office, acting_user=admin, name="Frau Amtsfrau")
    service = services.service_create(acting_user=admin, data={"title": "Isolationsleistung", "office": office})
    form = services.service_form_add(service=service, acting_user=admin, title="Antrag",
                                     upload=SimpleUploadedFile("antrag.pdf", PDF, content_type="application/pdf"))
    item = services.found_item_create(acting_user=admin, data={
        "title": "Isolationsschlüssel", "place_found": "Marktplatz", "found_on": services.today_local()})
    return {"slug": service.slug, "office": office.slug, "hour": link.pk, "day": day.pk, "contact": contact.pk,
            "form": form.pk, "item": item.pk}


def sample_life_situation() -> dict[str, Any]:
    from modules.services.models import LifeSituation

    situation = LifeSituation.objects.create(name="Isolationslage", slug="isolationslage")
    return {"pk": situation.pk}
