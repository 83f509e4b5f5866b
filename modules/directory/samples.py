"""Objects the isolation suite makes in a town (see ModuleSpec.sample_objects)."""

from __future__ import annotations

import io
from datetime import time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def _png() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (180, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile("laden.png", out.getvalue(), content_type="image/png")


def sample_business() -> dict[str, Any]:
    """An approved bakery with hours, a holiday, a photo and an offer: every manage route has an object."""
    from accounts.models import Role, User
    from core import opening_hours
    from modules.directory import selectors, services

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    business = services.business_register(
        acting_user=admin, name="Isolationsbäckerei", description="Brot und Brötchen.", phone="02741 1234"
    )
    services.business_approve(business=business, acting_user=admin)
    services.opening_hours_replace(
        business=business, acting_user=admin,
        intervals=[opening_hours.Interval(day, time(7), time(18)) for day in range(6)],
    )
    today = selectors.today_local()
    exception = services.opening_exception_add(
        business=business, acting_user=admin, start_date=today + timedelta(days=30), note="Betriebsferien"
    )
    photo = services.photo_add(business=business, acting_user=admin, image=_png(), alt="Ladentheke")
    offer = services.offer_add(
        business=business, acting_user=admin, title="Bauernbrot", price="3,50 €", valid_until=today + timedelta(days=6)
    )
    return {"slug": business.slug, "exception_pk": exception.pk, "photo_pk": photo.pk, "offer_pk": offer.pk}
