"""Umfragen and Vorschläge: queries per page at two data sizes, and votes under 50 concurrent voters.

    python bench/participation.py [--small 10] [--large 200] [--voters 50] [--polls 1]

1. Queries: one town holds `--small`, then `--large` polls (each with 50 ballots) and proposals
   (each with comments and supports); the list, detail, results and back-office pages are
   requested as a resident and as the town admin (warm cache). Goal: the same count at both sizes.
2. Votes: `--voters` residents vote at once on the same poll, each from its own thread and
   database connection (as gunicorn threads would), every one of them sending its vote twice;
   reports votes per second and checks that exactly one participation and one ballot per
   voter were stored, and that the results add up.
Runs against a throw-away embedded PostgreSQL/Redis (or DATABASE_URL/REDIS_URL).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

SLUG = "stimmdorf"


def _populate(n: int, admin: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from modules.polls.models import Ballot, BallotAnswer, Poll
    from modules.polls.services import QuestionInput, poll_create, poll_publish
    from modules.proposals.models import Comment, Proposal, Support

    now = timezone.now()
    people = list(User.objects.filter(email__startswith="waehler").order_by("pk")[:60])
    for i in range(Poll.objects.count(), n):
        poll = poll_create(acting_user=admin, title=f"Umfrage {i:03d}", description="Ihre Meinung zählt.",
                           opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=5 if i % 2 else -1 + 2),
                           results_visibility="live", questions=[
                               QuestionInput(text="Welche?", kind="single", options=["A", "B", "C"]),
                               QuestionInput(text="Note?", kind="rating"),
                               QuestionInput(text="Was noch?", kind="text", required=False)])
        poll_publish(poll=poll, acting_user=admin)
        single, rating, text = poll.questions.all()
        options = list(single.options.all())
        for b in range(50):
            ballot = Ballot.objects.create(poll=poll, day=now.date())
            BallotAnswer.objects.bulk_create([
                BallotAnswer(ballot=ballot, question=single, option=options[b % 3]),
                BallotAnswer(ballot=ballot, question=rating, rating=1 + b % 5),
                BallotAnswer(ballot=ballot, question=text, text=f"Antwort {b}")])
    for i in range(Proposal.objects.count(), n):
        proposal = Proposal.objects.create(author=people[i % len(people)], title=f"Vorschlag {i:03d}",
                                           text="Eine Bank am Dorfplatz.", threshold=10)
        Support.objects.bulk_create(Support(proposal=proposal, user=p) for p in people[:5] if p != proposal.author)
        Comment.objects.bulk_create(Comment(proposal=proposal, author=p, text="Gute Idee") for p in people[:5])


def _pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from modules.polls.models import Poll
    from modules.proposals.models import Proposal

    poll = Poll.objects.order_by("pk").first()
    proposal = Proposal.objects.order_by("pk").first()
    return [
        ("polls: list", reverse("polls:poll-list")),
        ("polls: vote page", reverse("polls:poll-detail", kwargs={"key": poll.key})),
        ("polls: results", reverse("polls:poll-results", kwargs={"key": poll.key})),
        ("polls bo: list", reverse("polls:poll-manage")),
        ("polls bo: edit", reverse("polls:poll-edit", kwargs={"pk": poll.pk})),
        ("polls bo: results", reverse("polls:poll-manage-results", kwargs={"pk": poll.pk})),
        ("polls bo: CSV", reverse("polls:poll-results-csv", kwargs={"pk": poll.pk})),
        ("home (both widgets)", reverse("home")),
        ("proposals: list", reverse("proposals:proposal-list")),
        ("proposals: detail", reverse("proposals:proposal-detail", kwargs={"pk": proposal.pk})),
        ("proposals bo: list", reverse("proposals:proposal-manage")),
        ("proposals bo: answer", reverse("proposals:proposal-answer", kwargs={"pk": proposal.pk})),
    ]


def _count(clients: dict[str, Any], pages: list[tuple[str, str]], host: str) -> dict[tuple[str, str], Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, path in pages:
        for role, client in clients.items():
            client.get(path, HTTP_HOST=host)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, HTTP_HOST=host)
            connection.set_schema_to_public()
            found[(label, role)] = (response.status_code, len(captured))
    return found


def _race(town: Any, voters: int) -> dict[str, Any]:
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from modules.polls.models import Ballot, BallotAnswer, Participation
    from modules.polls.selectors import poll_results
    from modules.polls.services import QuestionInput, poll_create, poll_publish, vote_cast

    with schema_context(town.schema_name):
        admin = User.objects.get(role=Role.ADMIN)
        now = timezone.now()
        poll = poll_create(acting_user=admin, title="Wettlauf", opens_at=now - timedelta(hours=1),
                           closes_at=now + timedelta(days=1), questions=[
                               QuestionInput(text="Welche?", kind="multiple", options=["A", "B", "C"])])
        poll_publish(poll=poll, acting_user=admin)
        question = poll.questions.get()
        options = [o.pk for o in question.options.all()]
        people = [User.objects.create_user(email=f"rennen{i:03d}@example.org", password=None, name=f"R {i}")
                  for i in range(voters)]
    start = threading.Barrier(voters * 2)
    outcome: list[str] = []
    lock = threading.Lock()

    def vote(person: Any, n: int) -> None:
        connection.set_tenant(town)
        try:
            start.wait()
            vote_cast(poll=poll, acting_user=person, answers={question.pk: options[: 1 + n % 3]})
            result = "counted"
        except ValidationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcome.append(result)

    threads = [threading.Thread(target=vote, args=(p, n)) for n, p in enumerate(people) for _twice in range(2)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = time.perf_counter() - began
    with schema_context(town.schema_name):
        counts = {
            "participations": Participation.objects.filter(poll=poll).count(),
            "ballots": Ballot.objects.filter(poll=poll).count(),
            "answers": BallotAnswer.objects.filter(ballot__poll=poll).count(),
        }
        rows = [r.count for r in poll_results(poll=poll).questions[0].rows]
    expected_answers = sum(1 + n % 3 for n in range(voters))
    ok = (counts["participations"] == counts["ballots"] == voters and counts["answers"] == expected_answers
          and outcome.count("counted") == voters and outcome.count("refused") == voters)
    return {"voters": voters, "requests": len(threads), "seconds": round(seconds, 3),
            "votes_per_second": round(voters / seconds, 1), "requests_per_second": round(len(threads) / seconds, 1),
            **counts, "expected_answers": expected_answers, "option_counts": rows, "correct": ok}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--large", type=int, default=200)
    parser.add_argument("--voters", type=int, default=50)
    args = parser.parse_args()

    benchlib.state_dir_setup()
    benchlib.paths_setup()
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_databases, teardown_databases
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from core.modules import all_modules
    from tenants.services import tenant_module_enable, town_create

    # 2 × voters threads each hold a connection; the embedded server's default of 100 is enough for 50.
    old_config = setup_databases(verbosity=0, interactive=False)
    call_command("migrate_schemas", shared=True, verbosity=0)
    host = f"{SLUG}.{settings.BASE_DOMAIN}"
    results: dict[int, Any] = {}
    try:
        town = town_create(name="Stimmdorf", kind="gemeinde", slug=SLUG, admin_name="Anna Admin",
                           admin_email="admin@example.org", admin_password="x" * 12)
        for key in all_modules():
            tenant_module_enable(tenant=town, key=key, by_staff=True)
        clients = {"resident": Client(), "admin": Client()}
        with schema_context(town.schema_name):
            admin = User.objects.get(role=Role.ADMIN)
            for i in range(60):
                User.objects.create_user(email=f"waehler{i:03d}@example.org", password=None, name=f"W {i}")
            clients["resident"].force_login(User.objects.get(email="waehler000@example.org"))
            clients["admin"].force_login(admin)
        for n in (args.small, args.large):
            with schema_context(town.schema_name):
                _populate(n, admin)
                pages = _pages()
            connection.set_schema_to_public()
            results[n] = _count(clients, pages, host)
        race = _race(town, args.voters)
    finally:
        connection.set_schema_to_public()
        teardown_databases(old_config, verbosity=0)

    rows = []
    for key, (status, small) in results[args.small].items():
        large_status, large = results[args.large][key]
        if status != 200:
            continue
        rows.append([key[0], key[1], small, large, "" if small == large else "GROWS"])
    print(f"\nSQL queries per request (warm) with {args.small} and {args.large} polls and proposals")
    benchlib.table_print(["page", "role", f"@{args.small}", f"@{args.large}", ""], rows, align="<<>><")
    print(f"\n{args.voters} voters at once, each sending the vote twice: {race}")
    benchlib.results_write("participation", {"settings": vars(args), "queries": rows, "race": race})


if __name__ == "__main__":
    main()
