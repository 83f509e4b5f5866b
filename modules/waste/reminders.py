"""The evening reminder: "Tomorrow: Restmüll, Papier", once per resident and collection day.

Beat runs ``waste.send_reminders`` every few minutes in each town. One INSERT … ON CONFLICT DO
NOTHING … RETURNING claims the residents whose time has come and whose area has a collection
tomorrow; the unique (user, pickup_date) row means a second run, or two workers at once, claim
nobody twice. Only the claimed residents are handed to the notifications module, which sends
in-app, e-mail and push as each resident chose.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.notifications.facade import notifications_enabled, notify
from modules.waste.models import Pickup, PickupArea, ReminderSent, WasteHome

TOPIC = "waste.reminder"


@transaction.atomic
def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind every resident whose reminder time has passed this evening; returns how many were claimed."""
    if not notifications_enabled():
        return 0
    local = timezone.localtime(now or timezone.now())
    tomorrow = local.date() + datetime.timedelta(days=1)
    users = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ReminderSent._meta.db_table} (user_id, pickup_date, sent_at)
            SELECT h.user_id, %s, now() FROM {WasteHome._meta.db_table} h
              JOIN {users} u ON u.id = h.user_id AND u.is_active
             WHERE h.reminder_on AND h.reminder_time <= %s
               AND EXISTS (SELECT 1 FROM {Pickup._meta.db_table} p WHERE p.area_id = h.area_id AND p.date = %s)
            ON CONFLICT (user_id, pickup_date) DO NOTHING
            RETURNING user_id
            """,  # noqa: S608 (table names from the models, values as parameters)
            [tomorrow, local.time(), tomorrow],
        )
        claimed = [row[0] for row in cursor.fetchall()]
    if not claimed:
        return 0
    by_area: dict[int, list[int]] = defaultdict(list)
    for user_id, area_id in WasteHome.objects.filter(user_id__in=claimed).values_list("user_id", "area_id"):
        by_area[area_id].append(user_id)
    kinds: dict[int, list[str]] = defaultdict(list)
    for area_id, name in (Pickup.objects.filter(area_id__in=by_area, date=tomorrow)
                          .order_by("waste_type__position", "waste_type__name")
                          .values_list("area_id", "waste_type__name")):
        kinds[area_id].append(name)
    paths = {area.pk: area.get_absolute_url() for area in PickupArea.objects.filter(pk__in=by_area)}
    for area_id, user_ids in by_area.items():
        names = ", ".join(kinds[area_id])
        notify(
            user_ids=user_ids, event="waste.reminder", topic=TOPIC,
            title=_("Tomorrow: %(types)s") % {"types": names},
            body=_("Please put out tonight: %(types)s (collection on %(date)s).")
            % {"types": names, "date": f"{tomorrow:%d.%m.%Y}"},
            url=paths[area_id], dedupe_key=f"waste.reminder:{tomorrow.isoformat()}",
        )
    return len(claimed)
