"""Demo content for the Mitteilungsblatt in Betzdorf-Gebhardshain: this week's issue, published, put together
from the demo's news and the dates of the next two weeks, with a note of the town hall the editor added.

Idempotent (nothing is made once an issue exists); publishing mails nobody, as the demo has no subscribers.
"""

from __future__ import annotations

AFTER = ("events", "council", "alerts")  # their dates appear in the issue


def load() -> int:
    from accounts.models import Role, User
    from demo.data import ADMIN
    from modules.bulletin.models import Issue
    from modules.bulletin.services import issue_create_draft, issue_item_add, issue_publish

    if Issue.objects.exists():
        return 0
    editor = User.objects.filter(email=ADMIN["email"]).first() or User.objects.filter(role=Role.ADMIN).first()
    if editor is None:
        return 0
    issue = issue_create_draft(acting_user=editor)
    issue_item_add(issue=issue, title="Das Rathaus ist am Brückentag geschlossen",
                   text="Am Freitag nach Christi Himmelfahrt bleibt die Verwaltung geschlossen. In dringenden "
                        "Fällen erreichen Sie den Bereitschaftsdienst über die Telefonzentrale.",
                   url="", ortsgemeinde_id=None, acting_user=editor)
    issue_publish(issue=issue, acting_user=editor)
    return 1
