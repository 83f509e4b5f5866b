"""Demo content of the Schaukasten: the town hall's window screen, at /display/bildschirm/schaukasten-demo/.

Only what is missing is created. Real screens get a random key, shown once; the demo's is fixed so that
whoever tries the demo can open the screen.
"""

from __future__ import annotations

from django.db import transaction

DEMO_KEY = "schaukasten-demo"


@transaction.atomic
def load() -> int:
    from accounts.models import Role, User
    from demo.data import ADMIN
    from modules.display.models import Screen
    from modules.display.services import screen_register

    if Screen.objects.exists():
        return 0
    admin = User.objects.filter(email=ADMIN["email"]).first() or User.objects.filter(role=Role.ADMIN).first()
    if admin is None:
        return 0
    screen_register(name="Rathaus Betzdorf, Schaufenster", ortsgemeinde=None, acting_user=admin, key=DEMO_KEY)
    return 1
