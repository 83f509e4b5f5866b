"""`manage.py load_demo`: the demo Verbandsgemeinde Betzdorf-Gebhardshain (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo town Betzdorf-Gebhardshain with people, organisations and news; skips what exists."

    def handle(self, *args, **options) -> None:
        def say(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"  {message}")

        summary = demo_load(say=say)
        if not summary.changed:
            say("demo town is complete already")
            return
        say(
            f"demo: {summary.ortsgemeinden} Ortsgemeinden, {summary.organisations} organisations, "
            f"{summary.users} users, {summary.articles} articles added"
            + (f"; modules switched on: {', '.join(summary.modules_enabled)}" if summary.modules_enabled else "")
        )
