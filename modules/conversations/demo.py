"""Demo content: Maria Weber and Thomas Müller talk about the village fête (runs in the demo town's schema)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from modules.conversations.models import Conversation, Message, Participant

_LINES = (
    ("maria.weber", "Hallo Thomas, hilfst du am Samstag beim Aufbau fürs Dorffest?"),
    ("thomas.mueller", "Klar, ich bringe zwei Biertischgarnituren mit. Um 9 Uhr am Bürgerhaus?"),
    ("maria.weber", "Perfekt, bis Samstag!"),
)


def load() -> int:
    """Create the demo conversation unless it exists; returns how many objects were created."""
    from accounts.models import User
    from demo.data import email_of

    people = {u.email: u for u in User.objects.filter(email__in=[email_of("maria.weber"), email_of("thomas.mueller")])}
    maria, thomas = people.get(email_of("maria.weber")), people.get(email_of("thomas.mueller"))
    if maria is None or thomas is None:
        return 0
    low, high = sorted((maria.pk, thomas.pk))
    if Conversation.objects.filter(direct_key=f"{low}-{high}").exists():
        return 0
    start = timezone.now() - timedelta(hours=3)
    conversation = Conversation.objects.create(direct_key=f"{low}-{high}", created_by=maria, last_message_at=start)
    Participant.objects.bulk_create([Participant(conversation=conversation, user=p) for p in (maria, thomas)])
    # Written straight to the tables: demo lines are not residents' activity for the moderation limits.
    by_local = {"maria.weber": maria, "thomas.mueller": thomas}
    created = 3
    ids = []
    for offset, (local, text) in enumerate(_LINES):
        message = Message.objects.create(conversation=conversation, sender=by_local[local], text=text)
        Message.objects.filter(pk=message.pk).update(created_at=start + timedelta(minutes=20 * offset))
        ids.append(message.pk)
        created += 1
    conversation.last_message_at = start + timedelta(minutes=20 * (len(_LINES) - 1))
    conversation.save(update_fields=["last_message_at"])
    # Maria has read everything; Thomas still has her last line unread.
    Participant.objects.filter(conversation=conversation, user=maria).update(last_read_message_id=ids[-1])
    Participant.objects.filter(conversation=conversation, user=thomas).update(last_read_message_id=ids[-2])
    return created
